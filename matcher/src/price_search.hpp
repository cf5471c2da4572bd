// The breakpoint sweep that finds a pair's candidate clearing prices (see
// pair_clearing.hpp).
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

#include "pool_math.hpp"
#include "rational.hpp"

namespace pactum::matching {

// One order as the sweep sees it: its limit and its contribution a + b/p to E(p) while
// it participates (asks for p >= limit, bids for p <= limit).
struct SweepOrder {
  bool ask = false;
  Rational limit;
  Piece piece;
};

// The prices p > 0 at which E(p) can be made zero, ascending, at most `max_count`:
//  - a breakpoint P with E(P-) <= 0 <= E(P+) (E only jumps upwards: asks enter, bids
//    leave); the orders whose limit is P are marginal there;
//  - a root of a + b/p strictly inside an interval (nobody is marginal);
//  - without a pool, the midpoint of an interval where E is identically zero and some
//    orders participate (a constant supply meets a constant demand: any price there
//    clears the same trades, so favour neither side).
// E is not monotone in general (a buy-side ask supplies B/p base, less as p rises), so
// there can be several; with a pool and sell-side orders only there is exactly one.
std::vector<Rational> clearing_candidates(const std::vector<SweepOrder>& orders, const std::optional<PoolCurve>& pool,
                                          std::size_t max_count);

}  // namespace pactum::matching
