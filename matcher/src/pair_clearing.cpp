#include "pair_clearing.hpp"

#include <algorithm>
#include <cassert>

#include "price_search.hpp"

namespace pactum::matching {

Rational PairOrder::limit() const {
  // ask: sells base for quote, needs quote/base >= buy/sell; bid: pays at most sell/buy.
  return sells_base ? Rational(buy_amount, sell_amount) : Rational(sell_amount, buy_amount);
}

namespace {

// Contribution to E(p) = base supplied - base demanded, while participating.
Piece piece_of(const PairOrder& o) {
  const bool exact_sell = o.side == SwapSide::sell;
  if (o.sells_base) {
    return exact_sell ? Piece{Rational(o.sell_amount), 0}  // sells S base
                      : Piece{0, Rational(o.buy_amount)};  // receives B quote: B/p base
  }
  return exact_sell ? Piece{0, Rational(-o.sell_amount)}  // pays S quote: S/p base
                    : Piece{Rational(-o.buy_amount), 0};  // receives B base
}

// The order's full size in base at price p.
Rational full_base(const PairOrder& o, const Rational& p) {
  Rational v = piece_of(o).at(p);
  return v < 0 ? Rational(-v) : v;
}

struct Candidate {
  const PairOrder* order;
  Rational limit;
  bool removed = false;  // fill-or-kill that could not fill at an earlier round's price
};

bool participates(const Candidate& c, const Rational& p) { return c.order->sells_base ? p >= c.limit : p <= c.limit; }

// Fractions (0..1) per candidate at price p, or the list of fill-or-kill orders that
// must be removed before trying again.
struct Allocation {
  std::vector<Rational> fraction;
  std::vector<std::size_t> failed_fok;
};

Allocation allocate(const std::vector<Candidate>& cands, const Rational& p, const std::optional<PoolCurve>& pool) {
  Allocation out;
  out.fraction.assign(cands.size(), 0);
  // Non-marginal participants fill fully; E0 is their excess supply plus the pool's.
  Rational e0 = pool ? Rational(-pool->base_bought(p)) : Rational(0);
  Rational asks_at_limit = 0, bids_at_limit = 0;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    const Candidate& c = cands[i];
    if (c.removed || !participates(c, p)) continue;
    if (c.limit == p) {
      (c.order->sells_base ? asks_at_limit : bids_at_limit) += full_base(*c.order, p);
      continue;
    }
    out.fraction[i] = 1;
    e0 += piece_of(*c.order).at(p);
  }
  // Marginal volume: as much as possible with supply == demand.
  // A in [0, asks_at_limit], D in [0, bids_at_limit], e0 + A - D = 0, A largest. The
  // candidate condition E(p-) <= 0 <= E(p+) makes this feasible.
  Rational ask_volume = std::min<Rational>(asks_at_limit, bids_at_limit - e0);
  if (ask_volume < 0) ask_volume = 0;
  Rational bid_volume = e0 + ask_volume;
  if (bid_volume < 0) bid_volume = 0;
  // Ascending id (cands are in id order); fill-or-kill takes all or nothing.
  for (std::size_t i = 0; i < cands.size(); ++i) {
    const Candidate& c = cands[i];
    if (c.removed || c.limit != p) continue;
    Rational& remaining = c.order->sells_base ? ask_volume : bid_volume;
    const Rational full = full_base(*c.order, p);
    if (full <= remaining) {
      out.fraction[i] = 1;
      remaining -= full;
    } else if (c.order->partial) {
      out.fraction[i] = remaining / full;
      remaining = 0;
    } else {
      out.failed_fok.push_back(i);
    }
  }
  return out;
}

bool trades(const Allocation& a) {
  for (const Rational& f : a.fraction) {
    if (f > 0) return true;
  }
  return false;
}

// Candidate prices examined per round: bounds the work on pathological books (E has
// several zeros only through buy-side asks).
constexpr std::size_t kMaxCandidates = 16;

// The pair's orders as candidates, in id order.
std::vector<Candidate> candidates_of(const std::vector<PairOrder>& orders) {
  std::vector<Candidate> cands;
  cands.reserve(orders.size());
  for (const PairOrder& o : orders) {
    assert(o.sell_amount > 0 && o.buy_amount > 0);
    cands.push_back({&o, o.limit()});
  }
  return cands;
}

// The clearing price and its allocation. The lowest candidate price that trades without
// breaking a fill-or-kill wins; if every one breaks some, the fill-or-kill orders that
// break the lowest trading one are removed (and marked in `outcomes`) and the pair is
// cleared again. Each round either settles or removes at least one fill-or-kill order.
// nullopt when no price trades.
std::optional<std::pair<Rational, Allocation>> find_price(std::vector<Candidate>& cands,
                                                          const std::optional<PoolCurve>& pool,
                                                          std::vector<OrderResult>& outcomes) {
  for (std::size_t round = 0; round <= cands.size(); ++round) {
    std::vector<SweepOrder> sweep;
    for (const Candidate& c : cands) {
      if (!c.removed) sweep.push_back({c.order->sells_base, c.limit, piece_of(*c.order)});
    }
    std::optional<Allocation> first_broken;
    for (const Rational& p : clearing_candidates(sweep, pool, kMaxCandidates)) {
      Allocation a = allocate(cands, p, pool);
      if (!trades(a)) continue;
      if (a.failed_fok.empty()) return std::make_pair(p, std::move(a));
      if (!first_broken) first_broken = std::move(a);
    }
    if (!first_broken) break;
    for (std::size_t i : first_broken->failed_fok) {
      cands[i].removed = true;
      outcomes[i].outcome = OrderOutcome::fok_not_fillable;
    }
  }
  return std::nullopt;
}

// Exact amounts at p; traders pay ceil and receive floor of them. The sums are from the
// traders' side.
struct PairFlows {
  std::vector<OrderResult> filled;
  BigInt base_in = 0, base_out = 0, quote_in = 0, quote_out = 0;
  bool traded = false;
};

PairFlows exact_flows(const std::vector<PairOrder>& orders, const std::vector<Candidate>& cands,
                      const Allocation& alloc, const Rational& p) {
  PairFlows f;
  f.filled.resize(orders.size());
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (cands[i].removed || alloc.fraction[i] == 0) continue;
    const PairOrder& o = orders[i];
    const Rational base = alloc.fraction[i] * full_base(o, p);
    OrderResult& r = f.filled[i];
    r.outcome = OrderOutcome::filled;
    r.partial_fill = alloc.fraction[i] < 1;
    if (o.sells_base) {
      r.paid = ceil_of(base);
      r.received = floor_of(base * p);
      f.base_in += r.paid;
      f.quote_out += r.received;
    } else {
      r.paid = ceil_of(base * p);
      r.received = floor_of(base);
      f.quote_in += r.paid;
      f.base_out += r.received;
    }
    f.traded = f.traded || r.paid > 0 || r.received > 0;
  }
  return f;
}

// Never trust the algebra with value: the pool must end on or above its curve and the
// dust account can only receive.
bool flows_safe(const std::optional<PoolCurve>& pool, const PairFlows& f) {
  if (pool) {
    return pool_invariant_holds(*pool, pool->base + f.base_in - f.base_out, pool->quote + f.quote_in - f.quote_out);
  }
  return f.base_in >= f.base_out && f.quote_in >= f.quote_out;
}

// The traded result at `price`: fills, the other orders' outcomes, and the pool's new
// reserves (or, without a pool, the dust).
void record_trade(const std::vector<Candidate>& cands, const Rational& price, const PairFlows& f,
                  const std::optional<PoolCurve>& pool, PairResult& result) {
  result.kind = PairResult::Kind::traded;
  result.price = price;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (cands[i].removed) continue;
    if (f.filled[i].outcome == OrderOutcome::filled) {
      result.orders[i] = f.filled[i];
    } else if (participates(cands[i], price)) {
      result.orders[i].outcome = OrderOutcome::at_limit_no_volume;
    } else {
      result.orders[i].outcome = OrderOutcome::limit_not_reached;
    }
  }
  if (pool) {
    result.pool_base = pool->base + f.base_in - f.base_out;
    result.pool_quote = pool->quote + f.quote_in - f.quote_out;
  } else {
    result.dust_base = f.base_in - f.base_out;
    result.dust_quote = f.quote_in - f.quote_out;
  }
}

}  // namespace

PairResult clear_pair(const std::vector<PairOrder>& orders, const std::optional<PoolCurve>& pool) {
  PairResult result;
  result.orders.resize(orders.size());
  if (pool) {
    result.pool_base = pool->base;
    result.pool_quote = pool->quote;
  }
  const bool any_ask = std::any_of(orders.begin(), orders.end(), [](const PairOrder& o) { return o.sells_base; });
  const bool any_bid = std::any_of(orders.begin(), orders.end(), [](const PairOrder& o) { return !o.sells_base; });
  std::vector<Candidate> cands = candidates_of(orders);
  if (!pool && !(any_ask && any_bid)) {
    result.kind = PairResult::Kind::no_liquidity;
    return result;
  }
  if (orders.empty()) return result;

  const std::optional<std::pair<Rational, Allocation>> found = find_price(cands, pool, result.orders);
  PairFlows flows = found ? exact_flows(orders, cands, found->second, found->first) : PairFlows{};
  if (flows.traded && !flows_safe(pool, flows)) {
    assert(false && "clearing produced flows that break the pool or dust invariant");
    result.safety_fallback = true;
    flows.traded = false;
  }
  if (!flows.traded) {
    result.kind = PairResult::Kind::no_cross;
    for (OrderResult& r : result.orders) {
      if (r.outcome != OrderOutcome::fok_not_fillable) r.outcome = OrderOutcome::no_trade;
    }
    return result;
  }
  record_trade(cands, found->first, flows, pool, result);
  return result;
}

}  // namespace pactum::matching
