// Internals of the completion at an exact vector (vector_clearing.hpp, steps 3-5), shared
// by the files that implement it:
//   exact_completion.cpp  step 3 (the circulation, flows to orders), the integer amounts
//                         of step 4 around the route rounding, step 5 (the final check);
//                         complete_exact and complete_at
//   route_rounding.cpp    step 4's route rounding: covering the units pools round away
//   price_programs.cpp    the price programs of tiny markets, completed at their own flows
#pragma once
#include <vector>

#include "vector_clearing.hpp"

namespace pactum::matching {

// Route rounding at a moved vector (complete_at, complete_program): units of room each
// trading pool is given on its curve by moving the vector, and attempts (room x8 each).
inline constexpr long kRoomUnits = 4;
inline constexpr int kRoomAttempts = 3;

inline BigInt ceil_div(const BigInt& a, const BigInt& b) { return (a + b - 1) / b; }

inline BigInt reserve_of(const VectorPool& p, int asset) {
  return BigInt(asset == p.a ? p.pool.reserve_a : p.pool.reserve_b);
}

// A pool's rounded trade at the vector: it takes `received` of asset `take` and gives
// `given` of asset `give` (take < 0: it does not trade).
struct PoolTrade {
  int take = -1, give = -1;
  BigInt received, given;
};

// Steps 3-5 at n (exact_completion.cpp). `pool_limit` (optional, per pool, a value in
// units of n): a pool carries at most that much, even where its capacity at n is larger
// (a price program's flows, which keep the pools off their capacity so that rounding has
// room on their curves).
VectorResult complete_exact(const Book& book, const std::vector<BigInt>& n,
                            const std::vector<Rational>* pool_limit = nullptr);

// Step 4, route rounding (route_rounding.cpp): `left` is, per asset, what the traders'
// rounded fills and the pools' rounded trades leave over; where it is short, units are
// found (pools, then traders' room) until no asset is short, if possible. Changes
// `fills`, `trade` and `left`; returns the units traders gave up. `left` may still be
// short afterwards: the caller checks.
int balance_routes(const Book& book, const std::vector<BigInt>& n, std::vector<VectorFill>& fills,
                   std::vector<PoolTrade>& trade, std::vector<BigInt>& left);

}  // namespace pactum::matching
