// From an exact point (exact_point.hpp) to exact integer amounts that pass the rules
// (exact_solver.cpp, step 3). At the point's prices q (value per base unit):
//
//   statuses   every status is recomputed exactly: a partial swap strictly in the money
//              fills in full (market clearing), one out of the money not at all, one at
//              the money (marginal) any amount; a fill-or-kill swap the MILP chose fills
//              in full if it is at or in the money (else it is left out), the others not.
//   traders    rounding against the trader: a full side-sell swap sells S and receives
//              floor(S P), a full side-buy swap receives B and pays ceil(B/P), a marginal
//              swap that pays y receives floor(y P) (P = q_sell/q_buy).
//   pools      a pool that takes `in` gives at most swap_out(in) (pool_math.hpp: on or
//              above its curve) and at most what keeps its loss at the batch prices within
//              one unit of each asset (the checker's pool_price rule).
//   balance    per asset, what traders pay minus what they receive minus what pools take
//              must be >= 0 (it is the dust).
//
// The marginal swaps and the pools are the flexible edges between assets. A spanning
// forest of them (pools first, those the MILP uses most first) absorbs the rounding: the
// other flexible edges trade what the point says, rounded towards the rules; then each
// tree is settled from its leaves to a root, each leaf's surplus or shortfall carried by
// its edge to its parent (a pool takes the surplus and gives all it may, or gives the
// shortfall for the least it may take; a marginal swap sells the shortfall or buys the
// surplus), and the root keeps what is left, which must not be negative. Every asset of a
// tree is tried as its root. Nothing here trusts the point: the amounts are checked
// against the rules above before they are returned.
#pragma once
#include <optional>
#include <vector>

#include "exact_point.hpp"
#include "exact_problem.hpp"

namespace pactum::solvers::exact {

struct Completion {
  std::vector<Rational> price;       // per asset, value per base unit (the point's, unscaled)
  std::vector<BigInt> sold, bought;  // per swap; both 0 when unfilled
  std::vector<Pool> pools_after;     // per problem pool
  std::vector<bool> pool_traded;     // per problem pool
  std::vector<BigInt> dust;          // per asset, >= 0
  Rational surplus;                  // CoW trader surplus at `price`
};

// `dropped`: fill-or-kill swaps left out even if the MILP chose them (the repair of
// exact_solver.cpp). nullopt when the rounding cannot be balanced.
std::optional<Completion> complete(const Problem& problem, const ExactPoint& point, const std::vector<bool>& dropped);

}  // namespace pactum::solvers::exact
