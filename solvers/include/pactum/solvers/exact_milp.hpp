// The exact optimum of trader surplus over one price vector, as a MILP solved with GLPK
// (docs/MECHANISMS.md, "Quality", has the formulation and why it is exact). Floating
// point throughout: the exact solver (exact_solver.cpp) turns its answer into exact
// integers; the quality benchmark (bench/quality) uses its objective as the optimum.
//
// The model is given in "scaled units": every amount divided by a per-asset scale chosen
// by the caller, so that amounts and prices are of moderate size (GLPK works in double
// precision with absolute tolerances near 1e-7 to 1e-9).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pactum::solvers::exact {

struct MilpSwap {
  std::size_t sell = 0, buy = 0;  // asset indices
  double sell_amount = 0;         // S, scaled
  double buy_amount = 0;          // B, scaled
  double rate = 0;                // the limit B/S in scaled units (buy per sell)
  bool side_buy = false;          // side buy: its full value is B p_buy, else S p_sell
  bool partial = false;
};

struct MilpPool {
  std::size_t a = 0, b = 0;  // asset indices, a < b
  double x = 0, y = 0;       // reserves of a and b, scaled
  double gamma = 1;          // 1 - fee (the caller may make it smaller, to keep room)
};

struct MilpInput {
  std::vector<double> lo, hi;  // the price box per asset (lo == hi fixes a numeraire at 1)
  std::vector<MilpSwap> swaps;
  std::vector<MilpPool> pools;
  // The matcher's rule that a pool that does not trade keeps the price inside its band
  // (docs/MECHANISMS.md, "Idle pools"): off for the rules alone.
  bool idle_pools_in_band = false;
  // Market clearing for pools (the checker's pool_in_the_money): a pool whose band the
  // prices leave trades its whole capacity at those prices (y p_B - x p_A / gamma, or the
  // reverse), not any part of it. Linear: the capacity is a sum over the pair's regions.
  // It may fall short by the checker's room: pool_room_share of the pool's value plus
  // pool_room_units (in scaled units) of each asset, valued at the prices. (A model that
  // must stay within the checker's room uses a smaller share; one that must contain every
  // settlement the checker passes, the quality benchmark's, at least the checker's.)
  bool pools_clear = false;
  double pool_room_share = 0;
  double pool_room_units = 0;
  double time_limit_seconds = 4;
  double mip_gap = 1e-7;
  // With fill-or-kill swaps, first solve the model with all of them left out for this
  // share of the time (usually fast), and keep its answer when the full model finds none
  // (GLPK can take long to find its first integer solution) or a worse one. 0: off.
  double fallback_share = 0;
};

struct MilpResult {
  bool feasible = false;           // an integer solution was found
  bool optimal = false;            // proven optimal (within mip_gap); false: time limit reached
  bool infeasible = false;         // proven to have no solution
  bool solver_error = false;       // GLPK stopped on an internal error: no answer
  bool from_fallback = false;      // the answer leaves every fill-or-kill swap out (fallback_share)
  double objective = 0;            // best integer solution: trader surplus in value units
  double bound = 0;                // proven upper bound (== objective when optimal)
  std::vector<double> prices;      // per asset, value per scaled unit
  std::vector<double> swap_value;  // per swap: the value it moves (0: unfilled)
  std::vector<bool> chosen;        // per swap: a fill-or-kill swap's binary (partial: value > 0)
  std::vector<double> pool_flow;   // per pool: value it takes of a and gives of b (< 0: the reverse)
  int prices_at_bounds = 0;        // free prices on the edge of their box
  int binaries = 0, rows = 0, columns = 0;
  double seconds = 0;
};

inline constexpr double kMinPoolFlow = 1e-4;  // value of a pool that "trades" (idle-pool rule)

// Thread-safe: each thread has its own GLPK environment (exact_glpk.hpp). A
// GLPK internal error (a failed numerical assertion) is caught and reported as
// solver_error, never aborts the process.
MilpResult solve_milp(const MilpInput& input);

}  // namespace pactum::solvers::exact
