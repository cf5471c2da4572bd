// Steps 3-5 of vector_clearing.hpp at one exact vector: the min-cost circulation and its
// flows given to the orders (step 3), the integer amounts around the route rounding of
// route_rounding.cpp (step 4), dust, pools and outcomes, and the final check (step 5).
// complete_at also moves the vector when rounding needed traders' room.
#include <algorithm>
#include <map>
#include <optional>

#include "circulation.hpp"
#include "completion.hpp"
#include "pool_math.hpp"
#include "refinement.hpp"
#include "revision.hpp"

namespace pactum::matching {
namespace {

// Costs per unit of value, in the order market clearing asks: an in-the-money order fills
// first, then a pool outside its band trades towards its capacity (checker rule
// pool_in_the_money: pools are arbitraged against each other, around cycles of pools
// too), then orders exactly at their limit take what is left.
constexpr long kStrictCost = -1000;
constexpr long kMarginalCost = -100;
constexpr long kPoolCost = -500;
constexpr long kPoolCostUnrecorded = 1;  // revision.hpp: pools only for what orders cannot net
// Rounds in which a pair whose flow a fill-or-kill order could not take is only capped;
// after that its fill-or-kill orders are removed (which bounds the loop).
constexpr int kCapRounds = 6;
// Route rounding at a moved vector: the market size up to which complete_at does it.
constexpr std::size_t kRoomMaxOrders = 5000;

struct PairState {
  std::size_t strict = 0, weak = 0;
  std::optional<Rational> limit;  // cap on the pair's total flow
  bool fok_removed = false;
};

struct Allocation {
  std::vector<char> full;                     // per order
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

BigInt value_sum(const Book& book, const PairBook& pair, std::size_t from, std::size_t to, const std::vector<BigInt>& n,
                 const std::vector<bool>& removed, bool any_removed) {
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
    net.edges.push_back({from, to, pools.cap[q], pools_clear() ? kPoolCost : kPoolCostUnrecorded, Rational(0)});
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

// ---- Step 4: integer amounts (route rounding: route_rounding.cpp) ----------------------

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
    if (ra <= 0 || rb <= 0 ||
        !pool_invariant_holds({BigInt(after.reserve_a), BigInt(after.reserve_b), after.fee_bps}, ra, rb)) {
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
      if (k >= pairs[p].weak)
        f.outcome = VectorOutcome::limit_not_reached;
      else if (!book.orders[i].partial)
        f.outcome = VectorOutcome::fok_not_fillable;
      else if (k >= pairs[p].strict)
        f.outcome = VectorOutcome::at_limit_no_volume;
      else
        f.outcome = VectorOutcome::rationed;
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

// ---- Step 5: the check ---------------------------------------------------------------

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

// Steps 3-5 at n (completion.hpp).
VectorResult complete_exact(const Book& book, const std::vector<BigInt>& n, const std::vector<Rational>* pool_limit) {
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
  res.trimmed_units = balance_routes(book, n, res.orders, trade, left);
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
      if (takes_a)
        p.reserve_b = to_amount(BigInt(y - d));
      else
        p.reserve_a = to_amount(BigInt(y - d));
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

}  // namespace pactum::matching
