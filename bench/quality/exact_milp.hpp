// The exact optimum of trader surplus over one price vector, as a MILP solved with GLPK
// (docs/MECHANISMS.md, "Quality", has the formulation and why it is exact).
#pragma once
#include <vector>

#include "instance.hpp"

namespace pactum::quality {

struct ExactResult {
  bool feasible = false;
  bool optimal = false;        // proven optimal (within mip_gap); false: time limit reached
  bool infeasible = false;     // proven to have no solution (a bug in the model: doing nothing is
                               // not always feasible, but an equilibrium always exists)
  bool solver_error = false;   // GLPK stopped on an internal error (a failed numerical
                               // assertion in its simplex): no answer, counted as unproven
  double objective = 0;        // best integer solution: trader surplus in numeraire units
  double bound = 0;            // proven upper bound on the optimum (== objective when optimal)
  std::vector<double> prices;  // per asset, numeraire = 1
  int prices_at_bounds = 0;    // prices on the box [r/kPriceBox, r*kPriceBox] (should be 0)
  int binaries = 0, rows = 0, columns = 0;
  double seconds = 0;
};

inline constexpr double kPriceBox = 1.25;  // each price stays within [r/1.25, 1.25r] of its reference

// Which market-clearing rules the optimum obeys besides the rules of valid settlements
// (solvers::exact::MilpInput has their models).
//   pools_clear: a pool the prices put outside its band trades its whole capacity at them
//     (the checker's pool_in_the_money, part of the producer's market clearing): it pins
//     the price level of assets joined by pools, so the surplus counted in T0 cannot grow by
//     moving a whole group of prices to the box's edge.
//   idle_pools_in_band: the weaker habit "a pool that carries less than 10^-4 units of
//     value keeps the price in its band" (the figures before pools_clear).
struct MilpRules {
  bool pools_clear = true;
  bool idle_pools_in_band = false;
};
ExactResult solve_exact(const Instance& instance, double time_limit_seconds, const MilpRules& rules);

}  // namespace pactum::quality
