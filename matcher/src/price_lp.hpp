// The best price vector for a fixed pattern of fills (small markets, docs/MECHANISMS.md
// 5.6 step 2b): an exact linear program over the prices, solved by a dense fraction-free
// integer simplex (two phases, Bland's rule: deterministic, no floating point).
//
// With the pattern fixed (which orders fill in full, which partial orders fill a free
// fraction exactly at their limit, which way each pool may trade), everything is linear
// in the vector p (p[0] = 1): an order's value S p_sell or B p_buy, its surplus
// S p_sell - B p_buy, a pool's capacity (keep p_give y - 10^4 p_take x) / keep. The
// program maximises the traders' surplus subject to
//   * every full fill at or in the money, every other partial order at or out of it
//     (market clearing), every marginal one exactly at its limit;
//   * per asset, value sold = value bought, pools carrying any value in [0, capacity]
//     in their direction (a pool need not trade its whole capacity: it then ends above
//     its curve); a pool that does not trade keeps the prices inside its no-trade band;
//   * every price within a factor 5/4 of the starting vector (a trust region).
// The equilibrium of 5.5 is one feasible point, so the result is never worse for the
// pattern it came from.
#pragma once
#include <optional>
#include <vector>

#include "vector_book.hpp"

namespace pactum::matching {

struct FillPattern {
  // Per order: 0 does not fill, 1 fills in full, 2 (partial orders only) any fraction at
  // exactly its limit.
  std::vector<char> fill;
  // Per pool: +1 may take a and give b, -1 the reverse, 0 does not trade (in its band).
  std::vector<int> pool_mode;
};

struct PriceProgram {
  std::vector<Rational> p;  // p[0] = 1
  Rational surplus;         // in units of asset 0
  // Per pool, the value it carries at p (0 when it does not trade): often below its
  // capacity, which the completion then keeps to (vector_clearing.cpp).
  std::vector<Rational> pool_flow;
};

// nullopt when the program is infeasible or the simplex gave up (iteration bound).
std::optional<PriceProgram> best_prices(const Book& book, const FillPattern& pattern, const std::vector<BigInt>& start);

}  // namespace pactum::matching
