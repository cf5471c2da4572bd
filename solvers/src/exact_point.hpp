// From the MILP's floating-point answer to an exact point (exact_solver.cpp, step 2): the
// prices, the value each swap moves and the value each pool carries, as exact rationals
// that satisfy exactly the equations the MILP's answer satisfies up to its tolerance.
//
// The answer is a vertex of the MILP with its binaries fixed, so it is the solution of
// the constraints tight there: value conservation per asset, a numeraire at 1, each swap's
// value fixed by its status (full: S p_sell or B p_buy; unfilled: 0), a pool that carries
// nothing, a pair's price on one of its breakpoints (a swap's limit, a pool's band edge), a
// pool at its capacity, a marginal swap at 0 or in full. Those equations, exact, are put in
// reduced row echelon form one by one in that order (an equation that contradicts earlier
// ones, a float within tolerance of a breakpoint it is not on, is left out); the variables
// no equation determines keep a rational close to their float value (prices first fixed by
// the equations, the flows solved from them). Nothing here decides validity: the
// completion (exact_completion.hpp) recomputes every status from these prices.
#pragma once
#include <optional>
#include <vector>

#include "exact_problem.hpp"
#include "pactum/solvers/exact_milp.hpp"

namespace pactum::solvers::exact {

struct ExactPoint {
  std::vector<Rational> price;       // per asset, value per scaled unit; each numeraire at 1
  std::vector<Rational> swap_value;  // per swap: the value it moves
  std::vector<Rational> pool_flow;   // per pool: value taken of asset a and given of b (< 0: reverse)
  std::vector<bool> chosen;          // per swap: the MILP fills it
};

// nullopt when the equations give a price that is not positive.
std::optional<ExactPoint> exact_point(const Problem& problem, const MilpResult& answer);

// The rational with denominator at most max_den nearest to x (continued fractions).
Rational approximate(double x, std::int64_t max_den = 1000000000);

}  // namespace pactum::solvers::exact
