// Exact integer amounts at an exact point (exact_completion.hpp).
#include "exact_completion.hpp"

#include <algorithm>
#include <numeric>

#include "pactum/ledger/pool_math.hpp"

namespace pactum::solvers::exact {

namespace {

using boost::multiprecision::denominator;
using boost::multiprecision::numerator;

BigInt floor_of(const Rational& r) {
  BigInt q = numerator(r) / denominator(r);  // truncates towards zero
  if (r < 0 && Rational(q) != r) q -= 1;
  return q;
}
BigInt ceil_of(const Rational& r) { return -floor_of(-r); }

enum class Mode { none, full, marginal };

// A flexible edge: a marginal swap or a pool, between assets u and v.
struct Edge {
  bool pool = false;
  std::size_t index = 0;
  std::size_t u = 0, v = 0;
};

// The trades of one attempt and what they leave per asset.
struct Trades {
  std::vector<BigInt> sold, bought;     // per swap
  std::vector<std::size_t> pool_takes;  // per pool: the asset it takes (unused when in == 0)
  std::vector<BigInt> pool_in, pool_out;
  std::vector<BigInt> left;  // per asset: paid - received by traders - taken by pools
};

class Completer {
 public:
  Completer(const Problem& pb, const ExactPoint& pt, const std::vector<bool>& dropped);
  std::optional<Completion> run();

 private:
  Rational P(std::size_t i) const { return q_[pb_.swaps[i].sell] / q_[pb_.swaps[i].buy]; }
  const Pool& pool(std::size_t j) const { return *pb_.pools[j].p; }
  void set_modes(const std::vector<bool>& dropped);
  void fill_by_sold(Trades& t, std::size_t i, BigInt y) const;
  void fill_full(Trades& t, std::size_t i) const;
  BigInt max_out(std::size_t j, std::size_t takes, const BigInt& in) const;
  std::optional<BigInt> min_in(std::size_t j, std::size_t takes, const BigInt& out) const;
  void pool_trade(Trades& t, std::size_t j, std::size_t takes, const BigInt& in, const BigInt& out) const;
  std::vector<Edge> flexible_edges() const;
  void round_guided(Trades& t, const Edge& e) const;
  bool carry(Trades& t, const Edge& e, std::size_t leaf) const;
  bool settle_tree(Trades& t, const std::vector<Edge>& tree, std::size_t root) const;
  bool settle_forest(Trades& t, const std::vector<Edge>& forest) const;
  std::optional<Completion> finish(const Trades& t) const;

  const Problem& pb_;
  const ExactPoint& pt_;
  std::vector<Rational> q_;
  std::vector<Mode> mode_;
};

Completer::Completer(const Problem& pb, const ExactPoint& pt, const std::vector<bool>& dropped) : pb_(pb), pt_(pt) {
  for (std::size_t a = 0; a < pb.assets.size(); ++a) q_.push_back(pt.price[a] / Rational(pb.scale[a]));
  set_modes(dropped);
}

void Completer::set_modes(const std::vector<bool>& dropped) {
  for (std::size_t i = 0; i < pb_.swaps.size(); ++i) {
    const InstanceSwap& s = *pb_.swaps[i].s;
    const Rational d = BigInt(s.sell_amount) * q_[pb_.swaps[i].sell] - BigInt(s.buy_amount) * q_[pb_.swaps[i].buy];
    if (!s.partial)
      mode_.push_back(pt_.chosen[i] && !dropped[i] && d >= 0 ? Mode::full : Mode::none);
    else
      mode_.push_back(d > 0 ? Mode::full : d < 0 ? Mode::none : Mode::marginal);
  }
}

// Pays y (at most the swap's size), receives floor(y P); a side-buy swap that would
// receive its whole B receives exactly B and pays ceil(B/P).
void Completer::fill_by_sold(Trades& t, std::size_t i, BigInt y) const {
  const InstanceSwap& s = *pb_.swaps[i].s;
  const Rational price = P(i);
  y = std::clamp(y, BigInt(0), BigInt(s.sell_amount));
  BigInt got = floor_of(y * price);
  if (s.side == SwapSide::buy && got >= BigInt(s.buy_amount)) {
    got = BigInt(s.buy_amount);
    y = ceil_of(Rational(got) / price);
  }
  t.left[pb_.swaps[i].sell] += y - t.sold[i];
  t.left[pb_.swaps[i].buy] -= got - t.bought[i];
  t.sold[i] = y;
  t.bought[i] = got;
}

void Completer::fill_full(Trades& t, std::size_t i) const {
  const InstanceSwap& s = *pb_.swaps[i].s;
  if (s.side == SwapSide::sell) return fill_by_sold(t, i, BigInt(s.sell_amount));
  const BigInt got(s.buy_amount), pay = ceil_of(Rational(got) / P(i));
  t.left[pb_.swaps[i].sell] += pay - t.sold[i];
  t.left[pb_.swaps[i].buy] -= got - t.bought[i];
  t.sold[i] = pay;
  t.bought[i] = got;
}

// The most a pool may give for `in` of asset `takes`: its curve, and a loss at the batch
// prices of at most one unit of each asset (q_y out - q_x in <= q_x + q_y).
BigInt Completer::max_out(std::size_t j, std::size_t takes, const BigInt& in) const {
  if (in <= 0) return 0;
  const std::size_t gives = takes == pb_.pools[j].a ? pb_.pools[j].b : pb_.pools[j].a;
  const BigInt curve = pool_math::swap_out(pool(j), pb_.assets[takes], in);
  const BigInt by_price = floor_of((q_[takes] * (in + 1) + q_[gives]) / q_[gives]);
  return std::max(BigInt(0), std::min(curve, by_price));
}

// The least a pool may take of asset `takes` to give `out`: the inverse of max_out.
std::optional<BigInt> Completer::min_in(std::size_t j, std::size_t takes, const BigInt& out) const {
  if (out <= 0) return BigInt(0);
  const std::size_t gives = takes == pb_.pools[j].a ? pb_.pools[j].b : pb_.pools[j].a;
  const auto curve = pool_math::swap_in_for(pool(j), pb_.assets[takes], out);
  if (!curve) return std::nullopt;
  const BigInt by_price = ceil_of((q_[gives] * out - q_[takes] - q_[gives]) / q_[takes]);
  return std::max({BigInt(0), *curve, by_price});
}

void Completer::pool_trade(Trades& t, std::size_t j, std::size_t takes, const BigInt& in, const BigInt& out) const {
  const std::size_t gives = takes == pb_.pools[j].a ? pb_.pools[j].b : pb_.pools[j].a;
  t.pool_takes[j] = takes;
  t.pool_in[j] = in;
  t.pool_out[j] = out;
  t.left[takes] -= in;
  t.left[gives] += out;
}

// Pools first, by the value the point gives them (largest first), then marginal swaps.
std::vector<Edge> Completer::flexible_edges() const {
  std::vector<std::size_t> pools(pb_.pools.size());
  std::iota(pools.begin(), pools.end(), 0);
  std::stable_sort(pools.begin(), pools.end(),
                   [&](std::size_t x, std::size_t y) { return abs(pt_.pool_flow[x]) > abs(pt_.pool_flow[y]); });
  std::vector<Edge> edges;
  for (std::size_t j : pools) edges.push_back({true, j, pb_.pools[j].a, pb_.pools[j].b});
  for (std::size_t i = 0; i < pb_.swaps.size(); ++i)
    if (mode_[i] == Mode::marginal) edges.push_back({false, i, pb_.swaps[i].sell, pb_.swaps[i].buy});
  return edges;
}

// An edge outside the forest trades what the point says, rounded down.
void Completer::round_guided(Trades& t, const Edge& e) const {
  if (!e.pool) {
    const Rational v = std::max(Rational(0), pt_.swap_value[e.index]);
    return fill_by_sold(t, e.index, floor_of(v / q_[pb_.swaps[e.index].sell]));
  }
  const Rational g = pt_.pool_flow[e.index];
  const std::size_t takes = g >= 0 ? e.u : e.v;
  const BigInt in = floor_of(abs(g) / q_[takes]);
  pool_trade(t, e.index, takes, in, max_out(e.index, takes, in));
}

// Moves what is left at `leaf` (a surplus or a shortfall) over edge `e` to its other end.
// False when the edge cannot give what the leaf lacks.
bool Completer::carry(Trades& t, const Edge& e, std::size_t leaf) const {
  const std::size_t other = e.u == leaf ? e.v : e.u;
  const BigInt have = t.left[leaf];
  if (e.pool) {
    if (have > 0) pool_trade(t, e.index, leaf, have, max_out(e.index, leaf, have));
    if (have < 0) {
      const auto in = min_in(e.index, other, -have);
      if (!in) return false;
      pool_trade(t, e.index, other, *in, -have);
    }
    return t.left[leaf] >= 0;
  }
  const std::size_t i = e.index;
  if (pb_.swaps[i].sell == leaf && have < 0) fill_by_sold(t, i, -have);
  if (pb_.swaps[i].buy == leaf && have > 0) fill_by_sold(t, i, ceil_of(Rational(have + 1) / P(i)) - 1);
  return t.left[leaf] >= 0;
}

// Settles one tree of the forest towards `root`: leaves first, each over its edge to its parent.
bool Completer::settle_tree(Trades& t, const std::vector<Edge>& tree, std::size_t root) const {
  std::vector<std::size_t> order{root};
  std::vector<const Edge*> up(pb_.assets.size(), nullptr);
  std::vector<bool> seen(pb_.assets.size(), false);
  seen[root] = true;
  for (std::size_t n = 0; n < order.size(); ++n)
    for (const Edge& e : tree) {
      const std::size_t u = order[n];
      if (e.u != u && e.v != u) continue;
      const std::size_t w = e.u == u ? e.v : e.u;
      if (seen[w]) continue;
      seen[w] = true;
      up[w] = &e;
      order.push_back(w);
    }
  for (std::size_t n = order.size(); n-- > 1;)
    if (!carry(t, *up[order[n]], order[n])) return false;
  return t.left[root] >= 0;
}

bool Completer::settle_forest(Trades& t, const std::vector<Edge>& forest) const {
  const std::size_t k = pb_.assets.size();
  std::vector<std::size_t> group(k);
  std::iota(group.begin(), group.end(), 0);
  auto find = [&](std::size_t x) {
    while (group[x] != x) x = group[x];
    return x;
  };
  for (const Edge& e : forest) group[std::max(find(e.u), find(e.v))] = std::min(find(e.u), find(e.v));
  for (std::size_t g = 0; g < k; ++g) {
    if (find(g) != g) continue;
    std::vector<Edge> tree;
    for (const Edge& e : forest)
      if (find(e.u) == g) tree.push_back(e);
    bool settled = false;
    for (std::size_t root = 0; root < k && !settled; ++root) {
      if (find(root) != g) continue;
      Trades attempt = t;
      if (settle_tree(attempt, tree, root)) t = std::move(attempt), settled = true;
    }
    if (!settled) return false;
  }
  return true;
}

std::optional<Completion> Completer::run() {
  const std::size_t n = pb_.swaps.size(), m = pb_.pools.size();
  Trades t{std::vector<BigInt>(n), std::vector<BigInt>(n), std::vector<std::size_t>(m),
           std::vector<BigInt>(m), std::vector<BigInt>(m), std::vector<BigInt>(pb_.assets.size())};
  for (std::size_t i = 0; i < n; ++i)
    if (mode_[i] == Mode::full) fill_full(t, i);
  std::vector<std::size_t> group(pb_.assets.size());
  std::iota(group.begin(), group.end(), 0);
  auto find = [&](std::size_t x) {
    while (group[x] != x) x = group[x];
    return x;
  };
  std::vector<Edge> forest;
  for (const Edge& e : flexible_edges()) {
    const std::size_t x = find(e.u), y = find(e.v);
    if (x != y) {
      group[std::max(x, y)] = std::min(x, y);
      forest.push_back(e);
    } else {
      round_guided(t, e);
    }
  }
  if (!settle_forest(t, forest)) return std::nullopt;
  return finish(t);
}

// The rules, checked on the amounts; the completion as returned.
std::optional<Completion> Completer::finish(const Trades& t) const {
  Completion c;
  c.price = q_;
  c.sold = t.sold;
  c.bought = t.bought;
  c.dust = t.left;
  for (const auto& d : t.left)
    if (d < 0) return std::nullopt;
  for (std::size_t j = 0; j < pb_.pools.size(); ++j) {
    Pool after = pool(j);
    const bool traded = t.pool_in[j] > 0 || t.pool_out[j] > 0;
    if (traded) {
      const std::size_t takes = t.pool_takes[j], gives = takes == pb_.pools[j].a ? pb_.pools[j].b : pb_.pools[j].a;
      const BigInt x = pool_math::reserve_of(after, pb_.assets[takes]),
                   y = pool_math::reserve_of(after, pb_.assets[gives]);
      if (t.pool_out[j] >= y || !pool_math::invariant_holds(x, y, after.fee_bps, x + t.pool_in[j], y - t.pool_out[j]))
        return std::nullopt;
      if (q_[takes] * t.pool_in[j] - q_[gives] * t.pool_out[j] < -(q_[takes] + q_[gives])) return std::nullopt;
      pool_math::apply_swap(after, pb_.assets[takes], t.pool_in[j], t.pool_out[j]);
    }
    c.pools_after.push_back(after);
    c.pool_traded.push_back(traded);
  }
  c.surplus = 0;
  for (std::size_t i = 0; i < pb_.swaps.size(); ++i) {
    if (t.sold[i] == 0 && t.bought[i] == 0) continue;
    const InstanceSwap& s = *pb_.swaps[i].s;
    const BigInt S(s.sell_amount), B(s.buy_amount);
    if (S * q_[pb_.swaps[i].sell] < B * q_[pb_.swaps[i].buy]) return std::nullopt;  // below its limit
    if (s.side == SwapSide::sell)
      c.surplus += (Rational(t.bought[i]) - Rational(B * t.sold[i], S)) * q_[pb_.swaps[i].buy];
    else
      c.surplus += (Rational(S * t.bought[i], B) - Rational(t.sold[i])) * q_[pb_.swaps[i].sell];
  }
  return c;
}

}  // namespace

std::optional<Completion> complete(const Problem& pb, const ExactPoint& pt, const std::vector<bool>& dropped) {
  return Completer(pb, pt, dropped).run();
}

}  // namespace pactum::solvers::exact
