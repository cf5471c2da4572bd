// The sequential rules (fcfs, adversarial) over one block's eligible swaps, and the
// valuation they are measured with. Internal to analysis/.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "amm.hpp"

namespace pactum::analysis {

// Prices of every asset in numeraire base units per asset base unit, from the pre-block
// pool spot prices: breadth first from the numeraire through the pools (pools in id
// order). An asset no pool path reaches is valued at 0.
std::map<std::string, Rational> reference_values(const PoolBook& book, const Study& study);

// What one swap did when executed alone on the book (not applied).
struct Execution {
  bool filled = false;
  BigInt sold = 0;
  BigInt bought = 0;
  Route route;
};
Execution execute_alone(const PoolBook& book, const std::vector<std::string>& assets, const Swap& s);
// The same over the given routes only (best of them).
Execution execute_on(const PoolBook& book, const std::vector<Route>& candidates, const Swap& s);
// Applies an execution to the book (along its route).
void apply(PoolBook& book, const Execution& e);

// The searcher's view of a block: the reference price of each pool (asset_b per asset_a,
// base units) it arbitrages toward, and the values profits are measured in.
struct Market {
  std::vector<std::string> assets;
  std::map<std::string, Rational> value;  // numeraire per base unit
  std::map<PoolId, Rational> reference;   // asset_b per asset_a
};

struct Sandwich {
  BigInt front_in = 0, front_out = 0, back_out = 0;
};
// The most profitable sandwich of `s` on its direct pool in `book` such that the victim
// still fills fully within its limit; nullopt when none pays.
std::optional<Sandwich> best_sandwich(const PoolBook& book, const Swap& s);
// Arbitrages the pool back toward its reference price when that pays: returns the
// profit in the numeraire (0 when nothing was done) and applies the trade.
Rational backrun(PoolBook& book, const PoolId& pool, const Market& m);

}  // namespace pactum::analysis
