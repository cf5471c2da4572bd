// The benchmark's optimum (exact_milp.hpp): the solvers' MILP of the rules
// (pactum/solvers/exact_milp.hpp, the model the exact and polish solvers use), given the
// instance in units with the numeraire T0 fixed at 1 and every other price within
// kPriceBox of its reference.
#include "exact_milp.hpp"

#include "pactum/solvers/exact_milp.hpp"

namespace pactum::quality {

namespace {

double units(const Amount& a) { return static_cast<double>(a) / kUnit; }

std::size_t index_of(const Instance& inst, const std::string& asset) {
  for (std::size_t a = 0; a < inst.assets.size(); ++a)
    if (inst.assets[a] == asset) return a;
  return inst.assets.size();
}

solvers::exact::MilpInput milp_input(const Instance& inst, double time_limit_seconds, const MilpRules& rules) {
  solvers::exact::MilpInput in;
  in.time_limit_seconds = time_limit_seconds;
  in.idle_pools_in_band = rules.idle_pools_in_band;
  in.pools_clear = rules.pools_clear;
  // The checker's room (pool_in_the_money): 1/50,000 of the pool's value and two base units
  // of each asset. The optimum must contain every settlement the checker passes.
  in.pool_room_share = 1.0 / 50000;
  in.pool_room_units = 2 / kUnit;
  for (std::size_t a = 0; a < inst.assets.size(); ++a) {
    in.lo.push_back(a == 0 ? 1.0 : inst.reference[a] / kPriceBox);
    in.hi.push_back(a == 0 ? 1.0 : inst.reference[a] * kPriceBox);
  }
  for (const Intent& intent : inst.batch) {
    const Swap& s = *intent.swap();
    const double S = units(s.sell_amount), B = units(s.buy_amount);
    in.swaps.push_back(
        {index_of(inst, s.sell_asset), index_of(inst, s.buy_asset), S, B, B / S, s.side == SwapSide::buy, s.partial});
  }
  for (const Pool& p : inst.pools)
    in.pools.push_back({index_of(inst, p.asset_a), index_of(inst, p.asset_b), units(p.reserve_a), units(p.reserve_b),
                        (10000.0 - p.fee_bps) / 10000.0});
  return in;
}

}  // namespace

ExactResult solve_exact(const Instance& inst, double time_limit_seconds, const MilpRules& rules) {
  const solvers::exact::MilpResult m = solvers::exact::solve_milp(milp_input(inst, time_limit_seconds, rules));
  ExactResult r;
  r.feasible = m.feasible;
  r.optimal = m.optimal;
  r.infeasible = m.infeasible;
  r.solver_error = m.solver_error;
  r.objective = m.objective;
  r.bound = m.bound;
  r.prices = m.prices;
  r.prices_at_bounds = m.prices_at_bounds;
  r.binaries = m.binaries;
  r.rows = m.rows;
  r.columns = m.columns;
  r.seconds = m.seconds;
  return r;
}

}  // namespace pactum::quality
