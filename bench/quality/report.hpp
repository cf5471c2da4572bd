// What pactum_quality adds up per shape, and how it prints it: the matcher's surplus in
// the numeraire, the comparison with the proven optimum, one shape's summary and its
// machine-readable "result" line (which the quality_smoke test parses).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "exact_milp.hpp"
#include "instance.hpp"
#include "pactum/checker/checker.hpp"

namespace pactum::quality {

// Issue 19's targets, over the proven instances of every shape.
inline constexpr double kTargetMean = 0.995, kTargetWorst = 0.97;

struct Tally {
  std::string shape;
  int instances = 0;
  double sum_ratio = 0, worst = 1e9, matcher_seconds = 0, milp_seconds = 0, total_opt = 0, total_got = 0;
  std::uint64_t worst_seed = 0;
  double unproven_vs_incumbent = 0, unproven_vs_bound = 0;
  int compared = 0, unproven = 0, infeasible = 0, no_incumbent = 0, above_optimum = 0, fallback = 0,
      with_violations = 0, at_bounds = 0;
  std::size_t violations = 0;
  std::map<std::string, std::size_t> by_kind;
  std::map<std::string, int> won_by;  // --producer: instances whose recorded clearing came from another solver
  // Infeasible only with the idle-pool rule (shapes.hpp): that rule is the matcher's own
  // documented habit, not a rule of valid settlements, so this is a finding (the matcher
  // or the rule's model disagree at some instance), not a bug in the model of the rules.
  int idle_rule_infeasible = 0;
  std::vector<std::uint64_t> above_seeds, violation_seeds, idle_rule_infeasible_seeds;

  double mean() const { return compared ? sum_ratio / compared : 0; }
  bool targets_met() const {
    return compared > 0 && mean() >= kTargetMean && worst >= kTargetWorst && violations == 0 && above_optimum == 0;
  }
};

// The matcher's prices in the benchmark's numeraire (T0 = 1); `fallback` counts price
// groups not tied to T0, scaled to T0 at the pre-block pools' mid prices instead (at their
// reference when no pool path reaches T0).
check::PriceVector in_numeraire(const Instance& inst, const Settlement& s, int* fallback);

// Adds one solved instance to `t`; true when the settlement, clean by the checker, has
// more surplus than the proven optimum (the model or the checker is wrong somewhere).
bool compare(bool verbose, const Instance& inst, const ExactResult& exact, double got, std::size_t violations,
             Tally& t);

// The instance's pools and swaps, the matcher's receipts, both settlements' prices.
void print_details(const Instance& inst, const Settlement& s, const ExactResult& exact);

void print_summary(const Tally& t);
void print_table(const std::vector<Tally>& tallies);

}  // namespace pactum::quality
