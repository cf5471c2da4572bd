// Property tests of conditional commitments (kind "commit") against a brute force that
// knows nothing of the matcher's ConditionGraph.
//
// Each instance is a small batch (3..10 commitments, 0..4 plain intents) signed by dev
// accounts 0..9, some of them deliberately penniless, over a deep AAA/BBB pool. What
// settles is then a function of the conditions alone:
//  * executable(c): c's signer holds what c's action debits. Rich accounts hold far more
//    than all their intents together, poor ones nothing, so this is a fixed fact per
//    commitment, whatever else settles.
//  * plain intents always settle: funded transfers, and fill-or-kill swaps whose limits
//    (0.4..0.8) are far inside the pool's price (1, fee 0.3%).
//  * a set S of commitments is consistent when every c in S is executable and its
//    condition holds on "what settles" = S + the plain intents:
//      requires ids        every id is an intent of the batch that settles
//      mirror              another account's commitment of the same program settles
//      mirror with W       W's commitment of the same program, whose own "with" is c's
//                          signer, settles
//      threshold k [of]    >= k distinct accounts (in `of`, if given) have a commitment of
//                          the same program that settles (c's own signer counts)
//      exists P            another intent whose (action's) swap matches P settles
//      reveals H           a reveal intent whose preimage has SHA-256 H settles (reveals
//                          are plain intents: valid ones always settle; no dependency)
//      unless X            X does not hold (on the final sets of the lower strata)
//      fallback "pools"    the commitment trades whatever its condition: always consistent
//    "Same program" is computed here from the action and condition with the signer
//    written "self" and a mirror's `with` "peer" (and checked against the program hash).
//  * dependencies: c -> d when c's condition reads whether d settles (requires names d;
//    d shares c's mirror/threshold program; d != c matches c's pattern), negative through
//    "unless". A commitment with fallback "pools" settles whatever its condition says, so
//    whether it settles reads nothing: it has no dependencies. A commitment on a closed walk with a negative edge is in
//    a negation cycle: it never settles (reason negation_cycle) and counts as not settling for the others. The others
//    get a stratum (the most negative edges on a path below them); per stratum, bottom up, every subset of its
//    commitments is tried against the lower strata's final sets; the largest consistent subset must also be the union
//    of all consistent ones (conditions are monotone within a stratum), and it is what settles. Instances without
//    "unless" are one stratum: a brute force over all subsets of the commitments.
// settle() must settle exactly those commitments, give the others condition_not_met (or
// insufficient_balance for the poor), give the same receipts (by id) and delta for a
// permuted batch, and conserve every asset. A disagreement is shrunk (intents dropped one
// at a time while it persists) and printed: who signs what, each condition, expected and
// actual receipts.
//
// ConditionsProperty.* run 2,000 instances each (without, then with "unless" and
// fallbacks); ConditionsMinimal.* are the smallest instances of single properties.
//
// The reference, the check and the generator: conditions_property.hpp.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>

#include "conditions_property.hpp"

namespace pactum::conditions_test {
namespace {

void run_property(const char* what, Options opt, std::uint64_t seed, int instances, Tally& tally) {
  std::mt19937_64 rng(seed);
  Generator gen(rng, opt);
  std::map<std::string, int> failures;  // by kind
  const auto t0 = std::chrono::steady_clock::now();
  for (int it = 0; it < instances; ++it) {
    const Instance inst = gen.make();
    const std::uint64_t perm_seed = rng();
    const Findings f = check(inst, perm_seed, &tally);
    for (const auto& [kind, text] : f.by_kind) {
      if (++failures[kind] > 1) continue;  // one shrunk example per kind
      ADD_FAILURE() << what << " instance " << it << ": [" << kind << "]\n"
                    << text << shrink_and_describe(inst, perm_seed, kind);
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << what << ": " << instances << " instances in " << secs << " s; " << tally.commitments << " commitments ("
            << tally.poor << " cannot execute, " << tally.cycles << " in negation cycles in " << tally.cycle_instances
            << " instances), " << tally.settled << " settle; " << tally.multi_strata << " instances with 2+ strata ("
            << tally.deep_strata << " with 3+); unless: " << tally.negated_settled << " settle, "
            << tally.negated_dropped << " fail; fallbacks used " << tally.fallback_used << "\n  settled:";
  for (const auto& [k, v] : tally.settled_by_type) std::cout << " " << k << "=" << v;
  std::cout << "\n  instances disagreeing, by kind:" << (failures.empty() ? " none" : "");
  for (const auto& [k, v] : failures) std::cout << " [" << k << "] " << v;
  std::cout << "\n";
  for (const auto& [k, v] : failures) EXPECT_EQ(v, 0) << what << ": instances with findings of kind [" << k << "]";
}

TEST(ConditionsProperty, MonotoneMatchesGreatestConsistentSet) {
  Tally t;
  run_property("monotone", Options{false, false}, 0xC0DD1710, 2000, t);
  // The generator must exercise every condition.
  for (const char* k : {"requires", "mirror", "mirror with", "threshold", "threshold of", "exists"})
    EXPECT_GT(t.settled_by_type[k], 100u) << k;
  EXPECT_GT(t.poor, 1000u);
}

TEST(ConditionsProperty, StratifiedNegationMatchesStratumByStratum) {
  Tally t;
  run_property("with unless", Options{true, true}, 0x57A7A, 2000, t);
  EXPECT_GT(t.multi_strata, 300u);
  EXPECT_GT(t.cycle_instances, 100u);
  EXPECT_GT(t.negated_settled, 200u);
  EXPECT_GT(t.negated_dropped, 200u);
  EXPECT_GT(t.fallback_used, 50u);
  for (const char* k : {"unless requires", "unless exists", "mirror with", "threshold", "exists"})
    EXPECT_GT(t.settled_by_type[k], 50u) << k;
}

// Hash locks: "reveals H" (and "unless reveals H") against reveals of the right secret, of
// another one, or none, mixed with every other condition.
TEST(ConditionsProperty, RevealsMatchesTheBruteForce) {
  Tally t;
  run_property("with reveals", Options{true, true, false, true}, 0x4A5410C, 1000, t);
  EXPECT_GT(t.settled_by_type["reveals"], 50u);
  EXPECT_GT(t.settled_by_type["unless reveals"], 20u);
  EXPECT_GT(t.negated_dropped, 50u);
}

// Issue 21: program conditions (rings of different programs naming each other, all or
// any of them, sometimes signed by the named party, missing, wrong or negated) and
// all/any trees over requires, exists and program leaves, some negated, one level
// nested; with unless and fallbacks as above. Brute force agrees on every instance.
TEST(ConditionsProperty, ProgramsAndCombinatorsMatchBruteForce) {
  Tally t;
  run_property("programs and all/any", Options{true, true, true}, 0x9A0C1, 2000, t);
  for (const char* k : {"program", "all", "any"}) EXPECT_GT(t.settled_by_type[k], 30u) << k;
  EXPECT_GT(t.negated_dropped, 50u);
}

}  // namespace
}  // namespace pactum::conditions_test
