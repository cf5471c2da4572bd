// Clearing one pair {base, quote} at one uniform price p (quote per base): the unit the
// matcher runs per pair. Input: the pair's funded swaps (in ascending id order) and the
// pair's pool, if any. Output: the price, each order's exact integer flows, and the
// pool's new reserves (or, without a pool, the rounding dust per asset).
//
// The algorithm (docs/MECHANISMS.md states it with a worked example):
//  - E(p) = base sold by traders - base bought by traders - base bought by the pool.
//    Between consecutive breakpoints (order limits, the pool's band edges) the set of
//    participants is fixed and E(p) = a + b/p.
//  - Sweep the breakpoints upwards from E(0+) < 0. The clearing price is the first p at
//    which E can be made zero: either a root a + b/p = 0 inside an interval, or a
//    breakpoint P where E jumps over zero; then the orders whose limit is exactly P are
//    marginal and fill partly (ascending id). Without a pool, if E is identically zero
//    on the interval that follows P, p is the midpoint of that interval.
//  - Fill-or-kill marginal orders that cannot fill fully are removed; repeat.
//  - Each trader pays ceil and receives floor of its exact amounts at p; the pool takes
//    the exact net of all traders, so it ends at or above its curve.
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

#include "pactum/intents/crypto.hpp"
#include "pactum/intents/intent.hpp"
#include "pool_math.hpp"
#include "rational.hpp"

namespace pactum::matching {

struct PairOrder {
  Hash32 id;
  bool sells_base = false;  // an ask: sells base, buys quote
  SwapSide side = SwapSide::sell;
  BigInt sell_amount;
  BigInt buy_amount;
  bool partial = false;
  // Limit as quote per base: an ask needs p >= limit(), a bid needs p <= limit().
  Rational limit() const;
};

enum class OrderOutcome {
  filled,              // paid / received set; partial_fill when less than the full size
  limit_not_reached,   // the clearing price is on the wrong side of the limit
  at_limit_no_volume,  // the price equals the limit and the volume there went to smaller ids
  fok_not_fillable,    // fill-or-kill at the clearing price, could not fill in full
  no_trade,            // the pair did not trade (see PairResult::kind)
};

struct OrderResult {
  OrderOutcome outcome = OrderOutcome::no_trade;
  BigInt paid;      // in the asset the order sells
  BigInt received;  // in the asset the order buys
  bool partial_fill = false;
};

struct PairResult {
  enum class Kind {
    traded,
    no_liquidity,  // no pool and no order on the other side
    no_cross,      // orders (and pool) exist but no price lets anything trade
  };
  Kind kind = Kind::no_cross;
  Rational price;                   // when traded: quote per base
  std::vector<OrderResult> orders;  // parallel to the input
  BigInt pool_base, pool_quote;     // new reserves (when there is a pool)
  BigInt dust_base, dust_quote;     // rounding left over (when there is no pool)
  bool safety_fallback = false;     // the final invariant check failed: nothing traded
};

// `orders` must be sorted by id (allocation at a marginal price goes in that order).
PairResult clear_pair(const std::vector<PairOrder>& orders, const std::optional<PoolCurve>& pool);

}  // namespace pactum::matching
