// The exact solver's view of an instance (exact_problem.hpp).
#include "exact_problem.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace pactum::solvers::exact {

double to_double(const BigInt& v) { return v.convert_to<double>(); }
double to_double(const Rational& v) { return v.convert_to<double>(); }
double scaled(const BigInt& v, const BigInt& scale) { return to_double(Rational(v, scale)); }

Rational milp_gamma(const Pool& p) { return Rational(10000 - p.fee_bps, 10000) * (1 - kBandWiden); }

namespace {

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  bool join(std::size_t x, std::size_t y) {
    x = find(x), y = find(y);
    if (x == y) return false;
    parent[std::max(x, y)] = std::min(x, y);  // the smaller index leads: the numeraire
    return true;
  }
};

// A power of ten near a tenth of the largest amount of the asset (swaps first, pools when
// no swap names it), so that swap amounts are between about 1 and 100 scaled units.
BigInt scale_of(const Problem& pb, std::size_t a) {
  BigInt largest = 0;
  for (const auto& w : pb.swaps) {
    if (w.sell == a) largest = std::max(largest, BigInt(w.s->sell_amount));
    if (w.buy == a) largest = std::max(largest, BigInt(w.s->buy_amount));
  }
  for (const auto& p : pb.pools)
    if (largest == 0 && (p.a == a || p.b == a)) largest = BigInt(p.a == a ? p.p->reserve_a : p.p->reserve_b) / 100;
  BigInt s = 1;
  while (s * 100 <= largest) s *= 10;
  return s;
}

// One edge of the reference tree: price(x) / price(y) = ratio, per scaled unit.
struct RefEdge {
  std::size_t x, y;
  double ratio;
};

void set_references(Problem& pb) {
  std::vector<std::pair<double, RefEdge>> pools;
  for (const auto& p : pb.pools) {
    const double x = scaled(BigInt(p.p->reserve_a), pb.scale[p.a]), y = scaled(BigInt(p.p->reserve_b), pb.scale[p.b]);
    pools.push_back({-x * y, RefEdge{p.a, p.b, y / x}});
  }
  std::stable_sort(pools.begin(), pools.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  std::vector<RefEdge> edges;
  for (const auto& e : pools) edges.push_back(e.second);
  for (const auto& w : pb.swaps)
    edges.push_back(
        {w.sell, w.buy,
         scaled(BigInt(w.s->buy_amount), pb.scale[w.buy]) / scaled(BigInt(w.s->sell_amount), pb.scale[w.sell])});
  const std::size_t k = pb.assets.size();
  UnionFind uf(k);
  std::vector<std::vector<std::pair<std::size_t, double>>> tree(k);  // neighbour, log(price(n)/price(me))
  for (const auto& e : edges)
    if (uf.join(e.x, e.y)) {
      tree[e.x].push_back({e.y, -std::log(e.ratio)});
      tree[e.y].push_back({e.x, std::log(e.ratio)});
    }
  std::vector<double> logp(k, 0);
  std::vector<bool> seen(k, false);
  for (std::size_t r = 0; r < k; ++r) {
    if (pb.root[r] != r) continue;
    std::vector<std::size_t> stack{r};
    seen[r] = true;
    while (!stack.empty()) {
      const std::size_t u = stack.back();
      stack.pop_back();
      for (auto [v, d] : tree[u])
        if (!seen[v]) seen[v] = true, logp[v] = logp[u] + d, stack.push_back(v);
    }
  }
  pb.reference.resize(k);
  for (std::size_t a = 0; a < k; ++a) pb.reference[a] = std::exp(logp[a]);
}

}  // namespace

std::optional<Problem> make_problem(const Instance& inst) {
  Problem pb;
  std::map<std::string, std::size_t> index;
  for (const auto& a : inst.assets) {
    index.emplace(a.symbol, pb.assets.size());
    pb.assets.push_back(a.symbol);
  }
  if (!std::is_sorted(pb.assets.begin(), pb.assets.end())) return std::nullopt;
  auto find = [&](const std::string& s) { return index.count(s) ? index.at(s) : pb.assets.size(); };
  for (const auto& s : inst.swaps) {
    ProblemSwap w{&s, find(s.sell_asset), find(s.buy_asset)};
    if (w.sell == pb.assets.size() || w.buy == pb.assets.size() || w.sell == w.buy) return std::nullopt;
    if (s.sell_amount == 0 || s.buy_amount == 0) return std::nullopt;
    pb.swaps.push_back(w);
  }
  for (const auto& p : inst.pools) {
    if (p.reserve_a == 0 || p.reserve_b == 0) continue;
    ProblemPool q{&p, find(p.asset_a), find(p.asset_b)};
    if (q.a == pb.assets.size() || q.b == pb.assets.size() || q.a >= q.b || p.fee_bps >= 10000) return std::nullopt;
    pb.pools.push_back(q);
  }
  UnionFind uf(pb.assets.size());
  for (const auto& w : pb.swaps) uf.join(w.sell, w.buy);
  for (const auto& p : pb.pools) uf.join(p.a, p.b);
  for (std::size_t a = 0; a < pb.assets.size(); ++a) {
    pb.root.push_back(uf.find(a));
    pb.scale.push_back(BigInt(1));
  }
  for (std::size_t a = 0; a < pb.assets.size(); ++a) pb.scale[a] = scale_of(pb, a);
  set_references(pb);
  return pb;
}

MilpInput milp_input(const Problem& pb, double time_limit_seconds) {
  MilpInput in;
  in.time_limit_seconds = time_limit_seconds;
  in.fallback_share = 0.3;
  // The producer's tier 1 asks it (the checker's pool_in_the_money, whose room is 1/50,000
  // of the pool's value): a quarter of that room, since the MILP's pools are narrower by
  // kBandWiden (10^-5) and its flows are rounded in the pools' favour.
  in.pools_clear = true;
  in.pool_room_share = 0.5e-5;
  for (std::size_t a = 0; a < pb.assets.size(); ++a) {
    const bool root = pb.root[a] == a;
    in.lo.push_back(root ? 1.0 : pb.reference[a] / kPriceBox);
    in.hi.push_back(root ? 1.0 : pb.reference[a] * kPriceBox);
  }
  for (const auto& w : pb.swaps) {
    const BigInt S(w.s->sell_amount), B(w.s->buy_amount);
    in.swaps.push_back({w.sell, w.buy, scaled(S, pb.scale[w.sell]), scaled(B, pb.scale[w.buy]),
                        to_double(Rational(B * pb.scale[w.sell], S * pb.scale[w.buy])), w.s->side == SwapSide::buy,
                        w.s->partial});
  }
  for (const auto& p : pb.pools)
    in.pools.push_back({p.a, p.b, scaled(BigInt(p.p->reserve_a), pb.scale[p.a]),
                        scaled(BigInt(p.p->reserve_b), pb.scale[p.b]), to_double(milp_gamma(*p.p))});
  return in;
}

}  // namespace pactum::solvers::exact
