#include "vector_clearing.hpp"

#include <algorithm>
#include <map>

#include "circulation.hpp"
#include "pool_math.hpp"
#include "price_lp.hpp"
#include "refinement.hpp"
#include "tatonnement.hpp"

namespace pactum::matching {
namespace {

// Costs per unit of value: an in-the-money order is worth more than a marginal one, and a
// pool hop costs a little, so pools carry only what orders cannot net among themselves.
constexpr long kStrictCost = -1000;
constexpr long kMarginalCost = -100;
constexpr long kPoolCost = 1;
// Rounds in which a pair whose flow a fill-or-kill order could not take is only capped;
// after that its fill-or-kill orders are removed (which bounds the loop).
constexpr int kCapRounds = 6;
// Units a trader may give up, beyond its own rounding, so that routes through pools
// (which round in their favour on both legs) balance to the unit: docs/MECHANISMS.md.
constexpr int kMaxTrimUnits = 3;
// Re-clearings without the fill-or-kill orders that could not fill, and the market size
// up to which they are done (each costs a whole clearing).
constexpr int kFokReclears = 3;
constexpr std::size_t kFokReclearMaxOrders = 5000;
constexpr int kFokReclearMaxAssets = 8;
// Markets small enough to try every choice of which unfilled fill-or-kill orders trade.
constexpr std::size_t kFokChoiceMax = 4;
constexpr std::size_t kFokChoiceMaxOrders = 64;
// Price programs (clear_vector, last step): markets up to this many orders, programs
// solved at most.
constexpr std::size_t kProgramMaxOrders = 64;
constexpr int kProgramSolves = 24;      // per start pattern
constexpr int kProgramSolvesAll = 96;   // over all start patterns of a market
// Route rounding (complete_at): units of room each trading pool is given on its curve by
// moving the vector, attempts (room x8 each), and the market size up to which it is done.
constexpr long kRoomUnits = 4;
constexpr int kRoomAttempts = 3;
constexpr std::size_t kRoomMaxOrders = 5000;

BigInt ceil_div(const BigInt& a, const BigInt& b) { return (a + b - 1) / b; }

struct PairState {
  std::size_t strict = 0, weak = 0;
  std::optional<Rational> limit;  // cap on the pair's total flow
  bool fok_removed = false;
};

struct Allocation {
  std::vector<char> full;                   // per order
  std::map<std::uint32_t, Rational> partial;  // order -> filled value (at most one per pair)
};

// Gives `flow` to the pair's in-the-money orders: best limit first, then ascending id.
// Returns the value actually placed (less when a fill-or-kill order did not fit).
// Integer arithmetic on flow * den(flow): no gcd per order.
Rational allocate(const Book& book, const PairBook& pair, const PairState& st, const std::vector<BigInt>& n,
                  const std::vector<bool>& removed, const Rational& flow, Allocation& out) {
  const BigInt& d = den(flow);
  BigInt left = num(flow);
  for (std::size_t k = 0; k < st.weak && left > 0; ++k) {
    const std::uint32_t i = pair.orders[k].input;
    if (removed[i]) continue;
    const VectorOrder& o = book.orders[i];
    BigInt v = full_value(o, n);
    if (d != 1) v *= d;
    if (v <= left) {
      out.full[i] = 1;
      left -= v;
    } else if (o.partial) {
      out.partial[i] = Rational(left, d);
      left = 0;
    }
  }
  return left == 0 ? flow : Rational(flow - Rational(left, d));
}

BigInt value_sum(const Book& book, const PairBook& pair, std::size_t from, std::size_t to,
                 const std::vector<BigInt>& n, const std::vector<bool>& removed, bool any_removed) {
  if (!any_removed) {
    return BigInt((pair.sum_sell_side[to] - pair.sum_sell_side[from]) * n[pair.sell] +
                  (pair.sum_buy_side[to] - pair.sum_buy_side[from]) * n[pair.buy]);
  }
  BigInt sum = 0;
  for (std::size_t k = from; k < to; ++k) {
    const std::uint32_t i = pair.orders[k].input;
    if (!removed[i]) sum += full_value(book.orders[i], n);
  }
  return sum;
}

struct PoolTrade {
  int take = -1, give = -1;
  BigInt received, given;
};

struct PullStep {
  std::size_t pool;
  BigInt more_in, more_out;
};

BigInt reserve_of(const VectorPool& p, int asset) {
  return BigInt(asset == p.a ? p.pool.reserve_a : p.pool.reserve_b);
}

// Least extra input for `more` extra output: (10^4 x + keep (r + k)) (y - g - more) >= 10^4 x y.
std::optional<BigInt> extra_input(const VectorPool& p, const PoolTrade& t, const BigInt& more) {
  const BigInt x = reserve_of(p, t.take), y = reserve_of(p, t.give);
  const BigInt rest = y - t.given - more;
  if (rest <= 0) return std::nullopt;
  const BigInt keep = BigInt(10000 - p.pool.fee_bps);
  const BigInt need = ceil_div(BigInt(ceil_div(BigInt(10000 * x * y), rest) - 10000 * x), keep);
  return need > t.received ? BigInt(need - t.received) : BigInt(0);
}

// A plan that makes `units` more of `asset` available: a pool giving it gives more and
// takes more of its other asset, from a surplus there or, up to `depth` hops, pulled the
// same way. Pools in PoolId order; the first plan found is taken. `slack` counts, per
// asset, the traders that can still give up one unit of it.
bool plan_pull(const Book& book, const std::vector<PoolTrade>& trade, const std::vector<BigInt>& left,
               const std::vector<BigInt>& slack, const std::vector<BigInt>& n, int asset, const BigInt& units,
               int depth, std::vector<bool>& visited, std::vector<PullStep>& plan) {
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    const PoolTrade& t = trade[q];
    if (t.give != asset || visited[t.take]) continue;
    const std::optional<BigInt> k = extra_input(book.pools[q], t, units);
    // The pool stays within one unit of the batch prices: what it gives more is worth at
    // most one unit of what it takes more.
    if (!k || (*k + 1) * n[t.take] < units * n[t.give]) continue;
    // What the asset can spare: its leftover plus one unit per trader with room (taken in
    // the next pass).
    const BigInt surplus = std::max(left[t.take], BigInt(0)) + slack[t.take];
    if (surplus >= *k) {
      plan.push_back({q, *k, units});
      return true;
    }
    if (depth == 0) continue;
    visited[t.take] = true;
    const std::size_t mark = plan.size();
    if (plan_pull(book, trade, left, slack, n, t.take, BigInt(*k - surplus), depth - 1, visited, plan)) {
      plan.push_back({q, *k, units});
      return true;
    }
    plan.resize(mark);
    visited[t.take] = false;
  }
  return false;
}

// Step 5: every invariant again, from the amounts alone. Limits (exact for full fills,
// up to rounding for partial ones), nobody beats the price vector, conservation per asset
// (traders + pools + dust), pools on or above their curves (checked where they are set).
bool final_check(const Book& book, const VectorResult& res) {
  const std::size_t assets = static_cast<std::size_t>(book.assets);
  std::vector<BigInt> net(assets, BigInt(0));
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorFill& f = res.orders[i];
    if (f.outcome != VectorOutcome::filled) continue;
    const VectorOrder& o = book.orders[i];
    const BigInt S(o.sell_amount), B(o.buy_amount);
    if (f.paid < 0 || f.received < 0 || f.paid > S) return false;
    if (!f.partial_fill) {
      if (o.side == SwapSide::sell && (f.paid != S || f.received < B)) return false;
      if (o.side == SwapSide::buy && f.received != B) return false;
    } else if (!o.partial || (f.received + 1) * S <= (f.paid - 1) * B) {
      return false;
    }
    if (f.received * res.n[o.buy] > f.paid * res.n[o.sell]) return false;
    net[o.sell] += f.paid;
    net[o.buy] -= f.received;
  }
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    if (!res.pools_after[q]) continue;
    const Pool& before = book.pools[q].pool;
    const Pool& after = *res.pools_after[q];
    net[book.pools[q].a] -= BigInt(after.reserve_a) - BigInt(before.reserve_a);
    net[book.pools[q].b] -= BigInt(after.reserve_b) - BigInt(before.reserve_b);
  }
  for (std::size_t a = 0; a < assets; ++a) {
    if (res.dust[a] < 0 || net[a] != res.dust[a]) return false;
  }
  return true;
}

}  // namespace

namespace {

// ---- Step 3: the circulation at n, and its flows given to the orders --------------------

// The result at n before anything fills: no fills, no pool changes, no dust.
VectorResult empty_result(const Book& book, const std::vector<BigInt>& n) {
  const std::size_t assets = static_cast<std::size_t>(book.assets);
  VectorResult res;
  res.n = n;
  res.orders.resize(book.orders.size());
  res.pools_after.resize(book.pools.size());
  res.dust.assign(assets, BigInt(0));
  res.asset_traded.assign(assets, false);
  return res;
}

// Per pair, how many orders (in book order) are strictly and weakly in the money at n.
std::vector<PairState> pair_states(const Book& book, const std::vector<BigInt>& n) {
  std::vector<PairState> pairs(book.pairs.size());
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    pairs[p].strict = strictly_in(book, book.pairs[p], n);
    pairs[p].weak = weakly_in(book, book.pairs[p], n);
  }
  return pairs;
}

// Per pool, the way it trades at n and the value it may carry: its capacity there, or
// less where `pool_limit` says so.
struct PoolBounds {
  std::vector<int> dir;
  std::vector<Rational> cap;
};

PoolBounds pool_bounds(const Book& book, const std::vector<BigInt>& n, const std::vector<Rational>* pool_limit) {
  PoolBounds out{std::vector<int>(book.pools.size()), std::vector<Rational>(book.pools.size())};
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    out.dir[q] = pool_direction(book.pools[q], n);
    out.cap[q] = pool_capacity(book.pools[q], n);
    if (pool_limit && (*pool_limit)[q] < out.cap[q]) out.cap[q] = std::max((*pool_limit)[q], Rational(0));
  }
  return out;
}

// The network of one round: per directed pair a strict and a marginal edge (both within
// the pair's cap, if any), per pool an edge of what it may carry.
struct Network {
  std::vector<FlowEdge> edges;
  std::vector<std::size_t> strict_edge, marginal_edge;  // per pair
  std::vector<std::size_t> pool_edge;                   // per pool
};

void build_network(const Book& book, const std::vector<BigInt>& n, const std::vector<PairState>& pairs,
                   const PoolBounds& pools, const std::vector<bool>& removed, Network& net) {
  net.edges.clear();
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const PairBook& pair = book.pairs[p];
    const PairState& st = pairs[p];
    Rational strict(value_sum(book, pair, 0, st.strict, n, removed, st.fok_removed));
    Rational marginal(value_sum(book, pair, st.strict, st.weak, n, removed, st.fok_removed));
    if (st.limit) {
      strict = std::min(strict, *st.limit);
      marginal = std::min(marginal, Rational(*st.limit - strict));
    }
    net.strict_edge[p] = net.edges.size();
    net.edges.push_back({pair.sell, pair.buy, strict, kStrictCost, Rational(0)});
    net.marginal_edge[p] = net.edges.size();
    net.edges.push_back({pair.sell, pair.buy, marginal, kMarginalCost, Rational(0)});
  }
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    const VectorPool& pool = book.pools[q];
    net.pool_edge[q] = net.edges.size();
    // An edge u -> v supplies u and demands v (an order selling u for v). A pool of
    // direction +1 takes a and gives b: it supplies b and demands a.
    const int from = pools.dir[q] >= 0 ? pool.b : pool.a;
    const int to = pools.dir[q] >= 0 ? pool.a : pool.b;
    net.edges.push_back({from, to, pools.cap[q], kPoolCost, Rational(0)});
  }
}

// Gives each pair's circulated flow to its orders (allocate). A pair whose flow a
// fill-or-kill order could not take is capped at what was placed; from round kCapRounds
// on, its fill-or-kill orders are removed instead. True when every flow was placed.
bool place_flows(const Book& book, const std::vector<BigInt>& n, const Network& net, int round,
                 std::vector<PairState>& pairs, std::vector<bool>& removed, Allocation& alloc) {
  alloc.full.assign(book.orders.size(), 0);
  alloc.partial.clear();
  bool settled = true;
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const Rational flow = net.edges[net.strict_edge[p]].flow + net.edges[net.marginal_edge[p]].flow;
    const Rational placed = allocate(book, book.pairs[p], pairs[p], n, removed, flow, alloc);
    if (placed == flow) continue;
    settled = false;
    pairs[p].limit = placed;
    if (round >= kCapRounds && !pairs[p].fok_removed) {
      pairs[p].fok_removed = true;
      pairs[p].limit.reset();
      for (std::size_t k = 0; k < pairs[p].weak; ++k) {
        const std::uint32_t i = book.pairs[p].orders[k].input;
        if (!book.orders[i].partial) removed[i] = true;
      }
    }
  }
  return settled;
}

// What the circulation settled on: the orders' fills and each pool's value (units of n).
struct Flows {
  Allocation alloc;
  std::vector<Rational> pool_flow;
};

// Step 3: the min-cost circulation, re-run until every pair's flow is placed (bounded);
// `rounds` counts the rounds run. nullopt when a circulation fails or the rounds run out.
std::optional<Flows> circulate(const Book& book, const std::vector<BigInt>& n, std::vector<PairState>& pairs,
                               const PoolBounds& pools, int& rounds) {
  std::vector<bool> removed(book.orders.size(), false);
  Network net;
  net.strict_edge.resize(book.pairs.size());
  net.marginal_edge.resize(book.pairs.size());
  net.pool_edge.resize(book.pools.size());
  Flows out;
  bool settled = false;
  const int max_rounds = kCapRounds + static_cast<int>(book.pairs.size()) + 2;
  for (int round = 0; round < max_rounds && !settled; ++round) {
    rounds = round + 1;
    build_network(book, n, pairs, pools, removed, net);
    if (!min_cost_circulation(book.assets, net.edges)) return std::nullopt;
    settled = place_flows(book, n, net, round, pairs, removed, out.alloc);
  }
  if (!settled) return std::nullopt;
  out.pool_flow.resize(book.pools.size());
  for (std::size_t q = 0; q < book.pools.size(); ++q) out.pool_flow[q] = net.edges[net.pool_edge[q]].flow;
  return out;
}

// ---- Step 4: integer amounts ------------------------------------------------------------

// Exact amounts, rounded against the traders, into res.orders. Returns per asset what the
// traders pay in minus what they receive.
std::vector<BigInt> trader_amounts(const Book& book, const std::vector<BigInt>& n, const Allocation& alloc,
                                   VectorResult& res) {
  const std::size_t assets = static_cast<std::size_t>(book.assets);
  std::vector<BigInt> trader_in(assets, BigInt(0)), trader_out(assets, BigInt(0));
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorOrder& o = book.orders[i];
    VectorFill& f = res.orders[i];
    if (alloc.full[i]) {
      // The limit holds exactly: floor(S*N[sell]/N[buy]) >= B, ceil(B*N[buy]/N[sell]) <= S.
      if (o.side == SwapSide::sell) {
        f.paid = BigInt(o.sell_amount);
        f.received = f.paid * n[o.sell] / n[o.buy];
      } else {
        f.received = BigInt(o.buy_amount);
        f.paid = ceil_div(BigInt(f.received * n[o.buy]), n[o.sell]);
      }
    } else {
      auto it = alloc.partial.find(static_cast<std::uint32_t>(i));
      if (it == alloc.partial.end() || it->second == 0) continue;
      const BigInt& vn = num(it->second);
      const BigInt& vd = den(it->second);
      f.paid = ceil_div(vn, BigInt(vd * n[o.sell]));
      f.received = vn / BigInt(vd * n[o.buy]);
      f.partial_fill = true;
    }
    f.outcome = VectorOutcome::filled;
    trader_in[o.sell] += f.paid;
    trader_out[o.buy] += f.received;
  }
  std::vector<BigInt> left(assets);
  for (std::size_t a = 0; a < assets; ++a) left[a] = trader_in[a] - trader_out[a];
  return left;
}

// Pools: receive ceil, give floor of their exact flows (never against the pool). Marks
// the assets they trade.
std::vector<PoolTrade> pool_trades(const Book& book, const std::vector<BigInt>& n,
                                   const std::vector<Rational>& pool_flow, const std::vector<int>& pool_dir,
                                   std::vector<bool>& asset_traded) {
  std::vector<PoolTrade> trade(book.pools.size());
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    const Rational& flow = pool_flow[q];
    if (flow == 0) continue;
    const VectorPool& pool = book.pools[q];
    PoolTrade& t = trade[q];
    t.take = pool_dir[q] >= 0 ? pool.a : pool.b;
    t.give = pool_dir[q] >= 0 ? pool.b : pool.a;
    t.received = ceil_div(num(flow), BigInt(den(flow) * n[t.take]));
    t.given = num(flow) / BigInt(den(flow) * n[t.give]);
    asset_traded[t.take] = asset_traded[t.give] = true;
  }
  return trade;
}

// Step 4, route rounding: per asset what is left over may be short. A shortfall comes
// from pools rounding in their favour on both legs of a route (one gives floor(c), the
// next takes ceil(c)). It is covered, cheapest first for the traders: a pool with room on
// its curve gives more; a pull along pools from a surplus; a partial fill with room gives
// up a unit; a pool that takes the asset takes less and gives what its curve then allows
// (which may move the shortfall downstream, to the asset it gives); only then a pull that
// counts on traders' room, and traders (ascending id) with room above their limit giving
// up units. Two tries: pools first (traders keep the one-unit rounding rule), then, if
// that cannot balance, traders' room first.
class RouteBalancer {
 public:
  RouteBalancer(const Book& book, const std::vector<BigInt>& n, std::vector<VectorFill>& fills,
                std::vector<PoolTrade>& trade, std::vector<BigInt>& left)
      : book_(book),
        n_(n),
        fills_(fills),
        trade_(trade),
        left_(left),
        assets_(static_cast<std::size_t>(book.assets)),
        trimmed_(book.orders.size(), 0),
        took_less_(book.pools.size(), 0),
        gave_more_(book.pools.size(), 0) {}

  // Returns the units traders gave up (`left` may still be short: the caller checks).
  int run() {
    const std::vector<PoolTrade> trade_before = trade_;
    const std::vector<BigInt> left_before = left_;
    const std::vector<VectorFill> fills_before = fills_;
    passes(false);
    if (std::any_of(left_.begin(), left_.end(), [](const BigInt& v) { return v < 0; })) {
      trade_ = trade_before;
      left_ = left_before;
      fills_ = fills_before;
      std::fill(trimmed_.begin(), trimmed_.end(), 0);
      std::fill(took_less_.begin(), took_less_.end(), 0);
      std::fill(gave_more_.begin(), gave_more_.end(), 0);
      passes(true);
    }
    int units = 0;
    for (const char t : trimmed_) units += t;
    return units;
  }

 private:
  // Repeatedly the first asset that is short, until none is (bounded).
  void passes(bool traders_first) {
    for (std::size_t pass = 0; pass < 16 * assets_ + 16; ++pass) {
      std::size_t a = 0;
      while (a < assets_ && left_[a] >= 0) ++a;
      if (a == assets_) break;
      cover(a, traders_first);
    }
  }

  void cover(std::size_t a, bool traders_first) {
    if (traders_first) trim_traders(a);
    pools_give_more(a);
    if (left_[a] < 0 && pull(a, false)) return;
    partials_give_up(a);
    pools_take_less(a);
    if (left_[a] >= 0) return;
    if (pull(a, true)) return;
    trim_traders(a);
  }

  // A full fill with room above its limit gives up a unit of `asset` (at most
  // kMaxTrimUnits in all): side sell receives one less, side buy pays one more.
  bool can_trim(std::size_t i, int asset) const {
    const VectorFill& f = fills_[i];
    const VectorOrder& o = book_.orders[i];
    if (f.outcome != VectorOutcome::filled || f.partial_fill || trimmed_[i] >= kMaxTrimUnits) return false;
    if (o.side == SwapSide::sell) return o.buy == asset && f.received > BigInt(o.buy_amount);
    return o.sell == asset && f.paid < BigInt(o.sell_amount);
  }

  // Per asset, the units traders could still give up (none without `with_traders`).
  std::vector<BigInt> trader_slack(bool with_traders) const {
    std::vector<BigInt> slack(assets_, BigInt(0));
    if (!with_traders) return slack;
    for (std::size_t i = 0; i < book_.orders.size(); ++i) {
      const VectorOrder& o = book_.orders[i];
      const VectorFill& f = fills_[i];
      const int asset = o.side == SwapSide::sell ? o.buy : o.sell;
      if (!can_trim(i, asset)) continue;
      const BigInt room = o.side == SwapSide::sell ? BigInt(f.received - BigInt(o.buy_amount))
                                                   : BigInt(BigInt(o.sell_amount) - f.paid);
      slack[asset] += std::min(room, BigInt(kMaxTrimUnits - trimmed_[i]));
    }
    return slack;
  }

  bool pull(std::size_t a, bool with_traders) {
    std::vector<PullStep> plan;
    std::vector<bool> visited(assets_, false);
    visited[a] = true;
    if (!plan_pull(book_, trade_, left_, trader_slack(with_traders), n_, static_cast<int>(a), BigInt(-left_[a]), 3,
                   visited, plan)) {
      return false;
    }
    for (const PullStep& step : plan) {
      PoolTrade& t = trade_[step.pool];
      t.received += step.more_in;
      t.given += step.more_out;
      left_[t.take] -= step.more_in;
      left_[t.give] += step.more_out;
    }
    return true;
  }

  void trim_traders(std::size_t a) {
    for (std::size_t i = 0; i < book_.orders.size() && left_[a] < 0; ++i) {
      while (left_[a] < 0 && can_trim(i, static_cast<int>(a))) {
        VectorFill& f = fills_[i];
        if (book_.orders[i].buy == static_cast<int>(a)) f.received -= 1;
        else f.paid += 1;
        ++trimmed_[i];
        left_[a] += 1;
      }
    }
  }

  // A pool that gives the asset and has room on its curve gives more.
  void pools_give_more(std::size_t a) {
    for (std::size_t q = 0; q < book_.pools.size() && left_[a] < 0; ++q) {
      PoolTrade& t = trade_[q];
      if (t.give != static_cast<int>(a) || gave_more_[q]) continue;
      const BigInt x = reserve_of(book_.pools[q], t.take), y = reserve_of(book_.pools[q], t.give);
      const BigInt keep = BigInt(10000 - book_.pools[q].pool.fee_bps);
      const BigInt room = y - ceil_div(BigInt(10000 * x * y), BigInt(10000 * x + keep * t.received)) - t.given;
      if (room <= 0) continue;
      // One unit per pool, and only while the pool stays within one unit of what it
      // takes of the batch prices: received N_take - (given + 1) N_give >= -N_take.
      if ((t.received + 1) * n_[t.take] < (t.given + 1) * n_[t.give]) continue;
      gave_more_[q] = 1;
      const BigInt more = 1;
      t.given += more;
      left_[a] += more;
    }
  }

  // Partial fills with room above their limit (up to rounding) receive one unit less.
  void partials_give_up(std::size_t a) {
    for (std::size_t i = 0; i < book_.orders.size() && left_[a] < 0; ++i) {
      VectorFill& f = fills_[i];
      const VectorOrder& o = book_.orders[i];
      if (f.outcome != VectorOutcome::filled || !f.partial_fill || o.buy != static_cast<int>(a)) continue;
      if (f.received > 0 && f.received * BigInt(o.sell_amount) > (f.paid - 1) * BigInt(o.buy_amount)) {
        f.received -= 1;
        left_[a] += 1;
      }
    }
  }

  // A pool that takes the asset takes less and gives what its curve then allows.
  void pools_take_less(std::size_t a) {
    for (std::size_t q = 0; q < book_.pools.size() && left_[a] < 0; ++q) {
      PoolTrade& t = trade_[q];
      // One unit per pool at most: a pool stays within a unit of the batch prices.
      if (t.take != static_cast<int>(a) || t.received == 0 || took_less_[q]) continue;
      took_less_[q] = 1;
      const BigInt less = 1;
      t.received -= less;
      left_[a] += less;
      // The most it may give for what it now takes: (10^4 x + keep r)(y - g) >= 10^4 x y.
      const BigInt x = reserve_of(book_.pools[q], t.take), y = reserve_of(book_.pools[q], t.give);
      const BigInt keep = BigInt(10000 - book_.pools[q].pool.fee_bps);
      const BigInt most = y - ceil_div(BigInt(10000 * x * y), BigInt(10000 * x + keep * t.received));
      if (t.given > most) {
        left_[t.give] -= t.given - most;
        t.given = most;
      }
    }
  }

  const Book& book_;
  const std::vector<BigInt>& n_;
  std::vector<VectorFill>& fills_;
  std::vector<PoolTrade>& trade_;
  std::vector<BigInt>& left_;
  const std::size_t assets_;
  std::vector<char> trimmed_;                // per order: units given up
  std::vector<char> took_less_, gave_more_;  // per pool: its one unit used
};

// ---- Step 4, end: dust, pools, outcomes -------------------------------------------------

// What is left over of each asset becomes dust; false (the result invalid) when an asset
// is still short.
bool take_dust(const std::vector<BigInt>& left, VectorResult& res) {
  for (std::size_t a = 0; a < left.size(); ++a) {
    if (left[a] < 0) {
      res.valid = false;
      return false;
    }
    res.dust[a] = left[a];
  }
  return true;
}

// The result traded when an order paid or received anything; so did its assets.
void mark_traded(const Book& book, VectorResult& res) {
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorFill& f = res.orders[i];
    if (f.outcome != VectorOutcome::filled) continue;
    if (f.paid > 0 || f.received > 0) {
      res.traded = true;
      res.asset_traded[book.orders[i].sell] = res.asset_traded[book.orders[i].buy] = true;
    }
  }
}

// The pools' new reserves: their rounded trades, plus, when the result traded, each
// asset's leftover given to the first pool (PoolId order) that traded the asset (else it
// stays dust). False (the result invalid) when a pool would end below its curve.
bool settle_pools(const Book& book, const std::vector<Rational>& pool_flow, const std::vector<PoolTrade>& trade,
                  VectorResult& res) {
  std::vector<BigInt> pool_net_a(book.pools.size(), BigInt(0)), pool_net_b(book.pools.size(), BigInt(0));
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    const PoolTrade& t = trade[q];
    if (t.take < 0) continue;
    (t.take == book.pools[q].a ? pool_net_a[q] : pool_net_b[q]) += t.received;
    (t.give == book.pools[q].a ? pool_net_a[q] : pool_net_b[q]) -= t.given;
  }
  for (std::size_t a = 0; a < res.dust.size() && res.traded; ++a) {
    if (res.dust[a] == 0) continue;
    for (std::size_t q = 0; q < book.pools.size(); ++q) {
      if (pool_flow[q] == 0) continue;
      const VectorPool& pool = book.pools[q];
      if (pool.a != static_cast<int>(a) && pool.b != static_cast<int>(a)) continue;
      (pool.a == static_cast<int>(a) ? pool_net_a[q] : pool_net_b[q]) += res.dust[a];
      res.dust[a] = 0;
      break;
    }
  }
  for (std::size_t q = 0; q < book.pools.size() && res.traded; ++q) {
    if (pool_net_a[q] == 0 && pool_net_b[q] == 0) continue;
    Pool after = book.pools[q].pool;
    const BigInt ra = BigInt(after.reserve_a) + pool_net_a[q];
    const BigInt rb = BigInt(after.reserve_b) + pool_net_b[q];
    if (ra <= 0 || rb <= 0 || !pool_invariant_holds({BigInt(after.reserve_a), BigInt(after.reserve_b), after.fee_bps}, ra, rb)) {
      res.valid = false;
      return false;
    }
    after.reserve_a = to_amount(ra);
    after.reserve_b = to_amount(rb);
    res.pools_after[q] = after;
  }
  return true;
}

// Outcomes of everything that did not fill.
void unfilled_outcomes(const Book& book, const std::vector<PairState>& pairs, VectorResult& res) {
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const PairBook& pair = book.pairs[p];
    for (std::size_t k = 0; k < pair.orders.size(); ++k) {
      const std::uint32_t i = pair.orders[k].input;
      VectorFill& f = res.orders[i];
      if (f.outcome == VectorOutcome::filled) continue;
      if (k >= pairs[p].weak) f.outcome = VectorOutcome::limit_not_reached;
      else if (!book.orders[i].partial) f.outcome = VectorOutcome::fok_not_fillable;
      else if (k >= pairs[p].strict) f.outcome = VectorOutcome::at_limit_no_volume;
      else f.outcome = VectorOutcome::rationed;
    }
  }
}

// Nothing moved: only "fill-or-kill, could not fill in full" stays informative.
void forget_untraded(VectorResult& res) {
  for (VectorFill& f : res.orders) {
    f = VectorFill{f.outcome == VectorOutcome::fok_not_fillable ? f.outcome : VectorOutcome::no_trade, 0, 0, false};
  }
  for (auto& p : res.pools_after) p.reset();
  res.dust.assign(res.dust.size(), BigInt(0));
  res.asset_traded.assign(res.asset_traded.size(), false);
}

// Steps 3-5 at n. `pool_limit` (optional, per pool, a value in units of n): a pool carries
// at most that much, even where its capacity at n is larger (a price program's flows,
// which keep the pools off their capacity so that rounding has room on their curves).
VectorResult complete_exact(const Book& book, const std::vector<BigInt>& n,
                            const std::vector<Rational>* pool_limit = nullptr) {
  VectorResult res = empty_result(book, n);
  std::vector<PairState> pairs = pair_states(book, n);
  const PoolBounds pools = pool_bounds(book, n, pool_limit);
  const std::optional<Flows> flows = circulate(book, n, pairs, pools, res.stats.completion_rounds);
  if (!flows) {
    res.valid = false;
    return res;
  }
  std::vector<BigInt> left = trader_amounts(book, n, flows->alloc, res);
  std::vector<PoolTrade> trade = pool_trades(book, n, flows->pool_flow, pools.dir, res.asset_traded);
  for (const PoolTrade& t : trade) {
    if (t.take < 0) continue;
    left[t.take] -= t.received;
    left[t.give] += t.given;
  }
  res.trimmed_units = RouteBalancer(book, n, res.orders, trade, left).run();
  if (!take_dust(left, res)) return res;
  mark_traded(book, res);
  if (!settle_pools(book, flows->pool_flow, trade, res)) return res;
  unfilled_outcomes(book, pairs, res);
  if (res.traded && !final_check(book, res)) {
    res.valid = false;
    return res;
  }
  if (!res.traded) forget_untraded(res);
  return res;
}

}  // namespace

// Route rounding without traders giving up units: when the completion at `n` could only
// balance a route through pools by trimming traders (every pool trades its whole
// capacity there, so none has room on its curve for the unit it rounded away), the
// vector is moved a little instead. The market is solved again with every trading pool
// made shallower (its reserve of the asset it gives reduced so that, at the new vector,
// the real pool has about `room` units of that asset left on its curve), and the
// amounts are completed on the real pools at that vector. The traders pay for the room
// in the price, within the one-unit rounding rule; pools end above their curves.
VectorResult complete_at(const Book& book, const std::vector<BigInt>& n) {
  VectorResult res = complete_exact(book, n);
  if (!res.valid || res.trimmed_units == 0 || !res.traded || book.orders.size() > kRoomMaxOrders) return res;
  BigInt room = kRoomUnits;
  for (int attempt = 0; attempt < kRoomAttempts; ++attempt, room *= 8) {
    std::vector<VectorPool> shallower = book.pools;
    bool any = false;
    for (std::size_t q = 0; q < book.pools.size(); ++q) {
      if (!res.pools_after[q]) continue;
      const Pool& before = book.pools[q].pool;
      const Pool& after = *res.pools_after[q];
      const bool takes_a = after.reserve_a > before.reserve_a;
      const BigInt x(takes_a ? before.reserve_a : before.reserve_b);  // what it takes
      const BigInt y(takes_a ? before.reserve_b : before.reserve_a);  // what it gives
      const BigInt taken = takes_a ? BigInt(BigInt(after.reserve_a) - x) : BigInt(BigInt(after.reserve_b) - x);
      if (taken <= 0) continue;
      // Room on the curve at an intake a, for a give-side reserve smaller by d:
      // about d * gamma a / (x + gamma a); so d = room (10^4 x + keep a) / (keep a).
      const BigInt keep = BigInt(10000 - before.fee_bps);
      BigInt d = ceil_div(BigInt(room * (10000 * x + keep * taken)), BigInt(keep * taken));
      if (d * 4 > y) d = y / 4;
      if (d <= 0) continue;
      Pool& p = shallower[q].pool;
      if (takes_a) p.reserve_b = to_amount(BigInt(y - d));
      else p.reserve_a = to_amount(BigInt(y - d));
      any = true;
    }
    if (!any) break;
    const Book virt = build_book(book.orders, std::move(shallower), book.assets);
    Refinement r = refine_prices(virt, n);
    if (!r.n) r = refine_by_path(virt, n);
    if (!r.n) continue;
    std::vector<BigInt> m = *r.n;
    BigInt g = m[0];
    for (const BigInt& v : m) g = boost::multiprecision::gcd(g, v);
    for (BigInt& v : m) v /= g;
    VectorResult alt = complete_exact(book, m);
    if (alt.valid && alt.traded && alt.trimmed_units == 0) return alt;
  }
  return res;
}

namespace {

// How good a valid result is, to choose between clearings of the same market: first the
// partial-allowed orders left strictly in the money and not filled in full (an
// equilibrium has none), then the traders' surplus f * (S N_sell - B N_buy) in units of
// asset 0 (docs/MECHANISMS.md 5.2). Exact.
struct Score {
  std::size_t rationed = 0;
  Rational surplus;
};

Score score_of(const Book& book, const VectorResult& r) {
  Score s;
  const std::vector<BigInt>& n = r.n;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorOrder& o = book.orders[i];
    const VectorFill& f = r.orders[i];
    const bool full = f.outcome == VectorOutcome::filled && !f.partial_fill;
    // Counted whether or not its assets traded: a result that trades nothing is not
    // better for leaving every in-the-money order out.
    if (o.partial && !full && limit_vs_price(o, n) < 0) {
      ++s.rationed;
    }
    if (f.outcome != VectorOutcome::filled) continue;
    const BigInt S(o.sell_amount), B(o.buy_amount);
    const BigInt gain = S * n[o.sell] - B * n[o.buy];
    // The filled fraction: of S for side sell, of B for side buy.
    s.surplus += o.side == SwapSide::sell ? Rational(BigInt(f.paid * gain), BigInt(S * n[0]))
                                          : Rational(BigInt(f.received * gain), BigInt(B * n[0]));
  }
  return s;
}

bool better(const Score& x, const Score& y) {
  return x.rationed < y.rationed || (x.rationed == y.rationed && x.surplus > y.surplus);
}

// Small markets whose refinement fails get a few more starts: the searched vector with
// one asset's price moved by +-1/16 and +-1/4 (deterministic order). A different start
// gives a different first active set, and the pivots often reach the equilibrium from it.
Refinement refine_with_restarts(const Book& book, const std::vector<BigInt>& start) {
  Refinement r = refine_prices(book, start);
  if (r.n || book.assets > kFokReclearMaxAssets || book.orders.size() > kFokReclearMaxOrders) return r;
  r = refine_by_path(book, start);
  if (r.n) return r;
  for (const int shift : {4, 2}) {
    for (int a = 0; a < book.assets && !r.n; ++a) {
      for (const int sign : {1, -1}) {
        std::vector<BigInt> moved = start;
        for (BigInt& v : moved) v <<= 4;  // room for the fraction
        const BigInt delta = moved[a] >> shift;
        moved[a] = sign > 0 ? BigInt(moved[a] + delta) : BigInt(moved[a] - delta);
        r = refine_prices(book, moved);
        if (r.n) break;
      }
    }
    if (r.n) break;
  }
  return r;
}

VectorResult clear_once(const Book& book) {
  const PriceSearch search = search_prices(book);
  const Refinement refined = refine_with_restarts(book, search.n);
  std::vector<BigInt> n = refined.n ? *refined.n : search.n;
  BigInt g = n[0];
  for (const BigInt& v : n) g = boost::multiprecision::gcd(g, v);
  for (BigInt& v : n) v /= g;
  VectorResult res = complete_at(book, n);
  bool exact = refined.n.has_value();
  if (!exact && res.valid && res.traded && book.assets <= kFokReclearMaxAssets &&
      book.orders.size() <= kFokReclearMaxOrders) {
    // Second chance: where the completion rationed, the equilibrium sits at that limit.
    std::vector<PairFill> fills(book.pairs.size());
    bool rationed = false;
    for (std::size_t p = 0; p < book.pairs.size(); ++p) {
      const PairBook& pair = book.pairs[p];
      std::size_t k = 0;
      while (k < pair.orders.size()) {
        const VectorFill& f = res.orders[pair.orders[k].input];
        if (f.outcome != VectorOutcome::filled || f.partial_fill) break;
        ++k;
      }
      fills[p].full = k;
      if (k < pair.orders.size()) {
        const VectorOutcome o = res.orders[pair.orders[k].input].outcome;
        const bool partial = o == VectorOutcome::filled && res.orders[pair.orders[k].input].partial_fill;
        fills[p].marginal = partial || o == VectorOutcome::rationed || o == VectorOutcome::at_limit_no_volume;
        rationed = rationed || partial || o == VectorOutcome::rationed;
      }
    }
    if (rationed) {
      const Refinement second = refine_from_fills(book, n, fills);
      if (second.n) {
        std::vector<BigInt> m = *second.n;
        BigInt h = m[0];
        for (const BigInt& v : m) h = boost::multiprecision::gcd(h, v);
        for (BigInt& v : m) v /= h;
        VectorResult better = complete_at(book, m);
        if (better.valid) {
          res = std::move(better);
          exact = true;
        }
      }
    }
  }
  res.stats.search_iterations = search.iterations;
  res.stats.search_converged = search.converged;
  res.stats.refined = exact;
  res.stats.refinement_rounds = refined.rounds;
  return res;
}

}  // namespace

// A clearing with the fill-or-kill orders in `forced` made sure to trade (their limits
// relaxed 4x for the price search and refinement, so that they count as in the money)
// and those in `dropped` left out; the amounts are then completed on the real orders, so
// a forced order the prices leave out of the money does not fill.
VectorResult clear_choosing(const Book& book, const std::vector<char>& forced, const std::vector<char>& dropped) {
  std::vector<VectorOrder> relaxed, kept;
  std::vector<std::size_t> origin;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (dropped[i]) continue;
    VectorOrder o = book.orders[i];
    kept.push_back(o);
    if (forced[i]) {
      if (o.side == SwapSide::sell) o.buy_amount = o.buy_amount > 4 ? Amount(o.buy_amount / 4) : Amount(1);
      else o.sell_amount = o.sell_amount * 4;
    }
    relaxed.push_back(o);
    origin.push_back(i);
  }
  VectorResult out;
  out.valid = false;
  if (kept.empty()) return out;
  const Book relaxed_book = build_book(std::move(relaxed), book.pools, book.assets);
  const VectorResult searched = clear_once(relaxed_book);
  if (!searched.valid) return out;
  const Book kept_book = build_book(std::move(kept), book.pools, book.assets);
  VectorResult done = complete_at(kept_book, searched.n);
  if (!done.valid) return out;
  VectorResult merged = done;
  merged.orders.assign(book.orders.size(), VectorFill{});
  for (std::size_t k = 0; k < origin.size(); ++k) merged.orders[origin[k]] = done.orders[k];
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (dropped[i]) merged.orders[i].outcome = VectorOutcome::fok_not_fillable;
  }
  merged.stats = searched.stats;
  return merged;
}

namespace {

// The pattern a result realises: per order full (1), a fraction (2), nothing (0); per
// pool the way it trades at the result's vector.
FillPattern pattern_of(const Book& book, const VectorResult& r) {
  FillPattern f;
  f.fill.assign(book.orders.size(), 0);
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorFill& x = r.orders[i];
    if (x.outcome != VectorOutcome::filled) continue;
    f.fill[i] = x.partial_fill && book.orders[i].partial ? 2 : 1;
  }
  for (const VectorPool& p : book.pools) f.pool_mode.push_back(pool_direction(p, r.n));
  return f;
}

// The integer vector of a program's rational prices (p[0] = 1), gcd-reduced.
std::vector<BigInt> integer_vector(const std::vector<Rational>& p) {
  BigInt common = 1;
  for (const Rational& v : p) common = common / boost::multiprecision::gcd(common, den(v)) * den(v);
  std::vector<BigInt> n(p.size());
  for (std::size_t a = 0; a < p.size(); ++a) n[a] = num(p[a]) * (common / den(p[a]));
  BigInt g = n[0];
  for (const BigInt& v : n) g = boost::multiprecision::gcd(g, v);
  for (BigInt& v : n) v /= g;
  return n;
}

// Completion at a program's vector, with the fill-or-kill orders the pattern leaves out
// removed (so that the circulation cannot trade them in place of the others). With
// `keep_flows`, every pool carries at most the program's flow (so a pool the program
// keeps below capacity stays there); otherwise as complete_at.
VectorResult complete_pattern_at(const Book& book, const FillPattern& pattern, const PriceProgram& prog,
                                 bool keep_flows) {
  const std::vector<BigInt> n = integer_vector(prog.p);
  std::vector<VectorOrder> kept;
  std::vector<std::size_t> origin;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (!book.orders[i].partial && pattern.fill[i] == 0) continue;
    kept.push_back(book.orders[i]);
    origin.push_back(i);
  }
  VectorResult out;
  out.valid = false;
  if (kept.empty()) return out;
  const Book kept_book = build_book(std::move(kept), book.pools, book.assets);
  VectorResult done;
  if (keep_flows) {
    // Values in units of n: p[0] = 1, so a value at p times n[0].
    std::vector<Rational> limit(book.pools.size());
    for (std::size_t q = 0; q < book.pools.size(); ++q) limit[q] = prog.pool_flow[q] * Rational(n[0]);
    done = complete_exact(kept_book, n, &limit);
  } else {
    done = complete_at(kept_book, n);
  }
  if (!done.valid) return out;
  VectorResult merged = done;
  merged.orders.assign(book.orders.size(), VectorFill{VectorOutcome::fok_not_fillable, 0, 0, false});
  for (std::size_t k = 0; k < origin.size(); ++k) merged.orders[origin[k]] = done.orders[k];
  if (!merged.traded) {
    for (VectorFill& f : merged.orders) {
      if (f.outcome != VectorOutcome::fok_not_fillable) f.outcome = VectorOutcome::no_trade;
    }
  }
  return merged;
}

// The settlement of a program: at its vector with the pools kept to its flows. A pool
// the program runs at its whole capacity has no room on its curve for the unit a route
// rounds away, so when that completion fails or needs traders to give up units, the
// program is solved again with every trading pool made shallower (its reserve of the
// asset it gives reduced so that about `room` units are left on the real curve: 4, 32,
// 256 units, as complete_at does for equilibria) and completed on the real pools at the
// flows found there. Failing that, the completion of complete_at at the program's vector.
VectorResult complete_program(const Book& book, const FillPattern& pattern, const PriceProgram& prog,
                              const std::vector<BigInt>& start) {
  VectorResult first = complete_pattern_at(book, pattern, prog, true);
  if (first.valid && first.trimmed_units == 0) return first;
  BigInt room = kRoomUnits;
  for (int attempt = 0; attempt < kRoomAttempts; ++attempt, room *= 8) {
    std::vector<VectorPool> shallower = book.pools;
    bool any = false;
    for (std::size_t q = 0; q < book.pools.size(); ++q) {
      const int mode = pattern.pool_mode[q];
      if (mode == 0 || prog.pool_flow[q] <= 0) continue;
      const VectorPool& pool = book.pools[q];
      const int take = mode > 0 ? pool.a : pool.b;
      const BigInt x = reserve_of(pool, take), y = reserve_of(pool, mode > 0 ? pool.b : pool.a);
      // The intake in base units (at least one), from the program's flow.
      const Rational in = prog.pool_flow[q] / prog.p[static_cast<std::size_t>(take)];
      const BigInt a = std::max(BigInt(num(in) / den(in)), BigInt(1));
      const BigInt keep = BigInt(10000 - pool.pool.fee_bps);
      BigInt d = ceil_div(BigInt(room * (10000 * x + keep * a)), BigInt(keep * a));
      if (d * 4 > y) d = y / 4;
      if (d <= 0) continue;
      Pool& virt = shallower[q].pool;
      if (mode > 0) virt.reserve_b = to_amount(BigInt(y - d));
      else virt.reserve_a = to_amount(BigInt(y - d));
      any = true;
    }
    if (!any) break;
    const Book virt = build_book(book.orders, std::move(shallower), book.assets);
    const std::optional<PriceProgram> alt = best_prices(virt, pattern, start);
    if (!alt) continue;
    VectorResult done = complete_pattern_at(book, pattern, *alt, true);
    if (done.valid && done.trimmed_units == 0) return done;
  }
  VectorResult plain = complete_pattern_at(book, pattern, prog, false);
  return plain.valid ? plain : first;
}

// Local search over patterns from `start`: the program of the pattern, then, while the
// budget lasts, the patterns that change one boundary the optimum sits on (an order at
// its limit changes between full, fraction and nothing; a fill-or-kill order in or out;
// a pool at its band edge starts or stops trading). The best program wins (surplus,
// then the earlier pattern); its vector is then completed and scored like any candidate.
std::optional<std::pair<FillPattern, PriceProgram>> search_patterns(const Book& book, FillPattern start,
                                                                    const std::vector<BigInt>& n, int& budget) {
  if (budget <= 0) return std::nullopt;
  --budget;
  std::optional<PriceProgram> prog = best_prices(book, start, n);
  if (!prog) return std::nullopt;
  FillPattern best = std::move(start);
  PriceProgram best_prog = std::move(*prog);
  for (bool improved = true; improved && budget > 0;) {
    improved = false;
    const std::vector<Rational>& p = best_prog.p;
    std::vector<FillPattern> moves;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      const VectorOrder& o = book.orders[i];
      const Rational margin = Rational(BigInt(o.sell_amount)) * p[o.sell] - Rational(BigInt(o.buy_amount)) * p[o.buy];
      if (!o.partial) {
        FillPattern m = best;
        m.fill[i] = best.fill[i] ? 0 : 1;
        moves.push_back(std::move(m));
        continue;
      }
      if (margin != 0) continue;
      for (const char to : {char(0), char(1), char(2)}) {
        if (to == best.fill[i]) continue;
        FillPattern m = best;
        m.fill[i] = to;
        moves.push_back(std::move(m));
      }
    }
    for (std::size_t q = 0; q < book.pools.size(); ++q) {
      for (const int to : {0, 1, -1}) {
        if (to == best.pool_mode[q]) continue;
        FillPattern m = best;
        m.pool_mode[q] = to;
        moves.push_back(std::move(m));
      }
    }
    // Then, with what the budget leaves, partial orders off their limits change between in
    // full and nothing (the best settlement may leave one out that is strictly in the
    // money here, at prices beyond the limits next to these), nearest to the limit first
    // (relative margin |S p_sell - B p_buy| / (S p_sell); ties by index).
    std::vector<std::pair<Rational, std::size_t>> far;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      const VectorOrder& o = book.orders[i];
      if (!o.partial || best.fill[i] == 2) continue;
      const Rational value = Rational(BigInt(o.sell_amount)) * p[o.sell];
      const Rational margin = value - Rational(BigInt(o.buy_amount)) * p[o.buy];
      if (margin == 0 || value <= 0) continue;
      far.push_back({Rational(abs(margin) / value), i});
    }
    std::sort(far.begin(), far.end());
    for (const auto& [_, i] : far) {
      FillPattern m = best;
      m.fill[i] = best.fill[i] ? 0 : 1;
      moves.push_back(std::move(m));
    }
    for (FillPattern& m : moves) {
      if (budget <= 0) break;
      --budget;
      std::optional<PriceProgram> alt = best_prices(book, m, n);
      if (!alt || alt->surplus <= best_prog.surplus) continue;
      best = std::move(m);
      best_prog = std::move(*alt);
      improved = true;
      break;
    }
  }
  return std::make_pair(std::move(best), std::move(best_prog));
}

// The fill-or-kill orders whose choice is enumerated (clear_vector): all of them when
// there are few (a filled one can cost the others more than its own surplus: several
// equilibria), else those the first clearing could not fill.
std::vector<std::size_t> fok_choice_orders(const Book& book, const VectorResult& res) {
  std::vector<std::size_t> fok_orders;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (res.valid && !book.orders[i].partial) fok_orders.push_back(i);
  }
  if (fok_orders.size() > kFokChoiceMax) {
    std::erase_if(fok_orders, [&](std::size_t i) { return res.orders[i].outcome != VectorOutcome::fok_not_fillable; });
  }
  return fok_orders;
}

// The best valid candidate so far (fewest rationed orders, then most surplus).
struct Chosen {
  VectorResult best;
  Score score;
};

// Fill-or-kill orders that could not fill at the found prices are left out and the
// market is cleared again without them (as the pair sweep does), so that the prices
// clear the rest exactly instead of rationing it. Bounded; only for books where a
// second clearing is cheap next to the block. Each re-clearing is a candidate (leaving
// out a fill-or-kill order can lose more surplus than it saves).
void reclear_without_unfilled_fok(const Book& book, VectorResult res, Chosen& chosen) {
  std::vector<bool> out(book.orders.size(), false);
  for (int again = 0; again < kFokReclears; ++again) {
    if (!res.valid) break;
    bool any = false;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (!out[i] && res.orders[i].outcome == VectorOutcome::fok_not_fillable) out[i] = any = true;
    }
    if (!any) break;
    std::vector<VectorOrder> kept;
    std::vector<std::size_t> origin;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (out[i]) continue;
      kept.push_back(book.orders[i]);
      origin.push_back(i);
    }
    if (kept.empty()) break;
    const Book smaller = build_book(std::move(kept), book.pools, book.assets);
    VectorResult next = clear_once(smaller);
    if (!next.valid) break;
    VectorResult merged = next;
    merged.orders.assign(book.orders.size(), VectorFill{});
    for (std::size_t k = 0; k < origin.size(); ++k) merged.orders[origin[k]] = next.orders[k];
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (out[i]) merged.orders[i].outcome = VectorOutcome::fok_not_fillable;
    }
    merged.stats.refined = next.stats.refined;
    merged.stats.search_iterations += res.stats.search_iterations;
    merged.stats.completion_rounds += res.stats.completion_rounds;
    res = std::move(merged);
    if (!chosen.best.valid) {
      chosen.best = res;
      chosen.score = score_of(book, chosen.best);
    } else {
      Score sc = score_of(book, res);
      if (better(sc, chosen.score)) {
        chosen.best = res;
        chosen.score = std::move(sc);
      }
    }
  }
}

// A start of the price programs: a fill pattern and the vector it came from.
using ProgramStart = std::pair<FillPattern, std::vector<BigInt>>;

// Tiny markets: which fill-or-kill orders trade is the integer part of the problem;
// every choice is tried (each one forced in or left out, 2^k clearings for k <= 4) and
// the best valid result kept. Each choice also gives two starts for the price programs.
void try_fok_choices(const Book& book, const std::vector<std::size_t>& fok_orders, Chosen& chosen,
                     std::vector<ProgramStart>& starts) {
  for (std::size_t mask = 0; mask < (std::size_t{1} << fok_orders.size()); ++mask) {
    std::vector<char> forced(book.orders.size(), 0), dropped(book.orders.size(), 0);
    for (std::size_t j = 0; j < fok_orders.size(); ++j) {
      ((mask >> j) & 1 ? forced : dropped)[fok_orders[j]] = 1;
    }
    VectorResult candidate = clear_choosing(book, forced, dropped);
    if (!candidate.valid) continue;
    if (book.orders.size() <= kProgramMaxOrders) {
      // A start for the price programs: the pattern with the forced orders in (the
      // program puts them in the money if any vector near this one can), and the
      // pattern as completed.
      FillPattern plain = pattern_of(book, candidate);
      FillPattern with_forced = plain;
      for (std::size_t i = 0; i < book.orders.size(); ++i) {
        if (forced[i]) with_forced.fill[i] = 1;
      }
      starts.push_back({std::move(with_forced), candidate.n});
      starts.push_back({std::move(plain), candidate.n});
    }
    Score sc = score_of(book, candidate);
    if (better(sc, chosen.score)) {
      chosen.best = std::move(candidate);
      chosen.score = std::move(sc);
    }
  }
}

// Tiny markets, last: the best price vector for the best result's pattern and for the
// patterns next to it, by linear programs (price_lp.hpp). An equilibrium makes every
// pool trade its whole capacity; the best settlement may use a pool below capacity, or
// a fill-or-kill order that no equilibrium fills. The winner's pattern is searched
// first, then those of the other fill-or-kill choices (the best settlement may need
// several orders to change status at once, which one step of the search cannot do from
// the winner but can from another choice's equilibrium), within one budget.
void try_price_programs(const Book& book, std::vector<ProgramStart> starts, Chosen& chosen) {
  starts.insert(starts.begin(), {pattern_of(book, chosen.best), chosen.best.n});
  std::vector<FillPattern> seen;
  int budget = kProgramSolvesAll;
  for (auto& [pattern, n] : starts) {
    if (budget <= 0) break;
    const FillPattern& p = pattern;  // clang 14 cannot capture a structured binding
    if (std::find_if(seen.begin(), seen.end(), [&](const FillPattern& f) {
          return f.fill == p.fill && f.pool_mode == p.pool_mode;
        }) != seen.end()) {
      continue;
    }
    seen.push_back(pattern);
    int local = std::min(budget, kProgramSolves);
    const int before = local;
    const auto found = search_patterns(book, pattern, n, local);
    budget -= before - local;
    if (!found) continue;
    VectorResult candidate = complete_program(book, found->first, found->second, n);
    if (!candidate.valid) continue;
    Score sc = score_of(book, candidate);
    if (better(sc, chosen.score)) {
      candidate.stats = chosen.best.stats;
      chosen.best = std::move(candidate);
      chosen.score = std::move(sc);
    }
  }
}

}  // namespace

VectorResult clear_vector(const Book& book) {
  VectorResult res = clear_once(book);
  const bool small = book.orders.size() <= kFokReclearMaxOrders && book.assets <= kFokReclearMaxAssets;
  if (!small) return res;
  const std::vector<std::size_t> fok_orders = fok_choice_orders(book, res);
  Chosen chosen{res, score_of(book, res)};
  reclear_without_unfilled_fok(book, std::move(res), chosen);
  std::vector<ProgramStart> starts;
  if (chosen.best.valid && !fok_orders.empty() && fok_orders.size() <= kFokChoiceMax &&
      book.orders.size() <= kFokChoiceMaxOrders && book.assets <= kFokReclearMaxAssets) {
    try_fok_choices(book, fok_orders, chosen, starts);
  }
  if (chosen.best.valid && chosen.best.traded && book.orders.size() <= kProgramMaxOrders &&
      book.assets <= kFokReclearMaxAssets) {
    try_price_programs(book, std::move(starts), chosen);
  }
  return chosen.best;
}

}  // namespace pactum::matching
