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

// `idle_pools_in_band`: the matcher's rule that a pool that does not trade (carries less
// than kMinPoolFlow of value) keeps the batch price inside its no-trade band. Without it
// (the default, the rules as first modelled) an idle pool may sit at any price,
// so when the numeraire trades nothing its price is free and the surplus, counted in it,
// is bounded only by the price box.
inline constexpr double kMinPoolFlow = 1e-4;  // numeraire units (100 base units at price 1)
ExactResult solve_exact(const Instance& instance, double time_limit_seconds, bool idle_pools_in_band = false);

}  // namespace pactum::quality
