// Condition resolution for conditional commitments (docs/MECHANISMS.md, "Conditional
// commitments"). ConditionGraph indexes a batch once; resolve() then decides, for a given
// set of intents still in play, which commitments keep their place: the stratified
// greatest fixed point. Deterministic: everything is keyed by batch index and id, never
// by submission order or hash-table order.
//
//  - Dependencies: a commitment depends on the intents its condition reads: the ids of a
//    `requires`, the swaps matching an `exists` pattern, the commitments sharing its program
//    hash (`mirror`, `threshold`). Through `unless` the dependency is negative. A `reveals`
//    reads only reveal intents, never a commitment: it adds no edge.
//  - A commitment in a cycle through a negative dependency is left out (negation_cycle).
//  - Strata: a commitment's stratum is the largest number of negative dependencies on any
//    path below it. resolve() settles strata bottom up: within one, it peels every
//    commitment whose condition fails on the current set until none does (the greatest
//    fixed point); a negated condition reads only lower strata, which are final by then.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pactum/intents/intent.hpp"

namespace pactum::matching {

struct ConditionFailure {
  std::string reason;  // condition_not_met | negation_cycle
  std::string message;
  std::vector<Hash32> related;  // the intents the failed condition was about
};

class ConditionGraph {
 public:
  explicit ConditionGraph(std::span<const Intent> batch);
  ~ConditionGraph();
  ConditionGraph(const ConditionGraph&) = delete;
  ConditionGraph& operator=(const ConditionGraph&) = delete;

  bool is_commitment(std::size_t i) const { return node_of_[i] >= 0; }
  // A commitment in a cycle through negation (never in play).
  bool in_negation_cycle(std::size_t i) const;
  ConditionFailure negation_cycle_failure(std::size_t i) const;

  struct Verdict {
    std::vector<bool> keep;                            // per batch index: commitment keeps its place
    std::vector<bool> by_fallback;                     // kept only by its "pools" fallback
    std::vector<std::optional<ConditionFailure>> why;  // per batch index, for commitments dropped
  };
  // `in_play[i]`: batch[i] may still settle (plain intents and commitments). Commitments
  // not in play are neither kept nor explained.
  Verdict resolve(const std::vector<bool>& in_play) const;

 private:
  struct Commitment {
    std::size_t index = 0;  // batch index
    const Condition* cond = nullptr;
    int group = -1;                     // mirror, threshold: commitments of the same program
    int pattern = -1;                   // exists
    std::vector<std::size_t> required;  // requires: batch indices of the named ids in the batch
    std::size_t absent_ids = 0;         // requires: named ids not in the batch at all
    std::vector<std::size_t> reveals;   // reveals: batch indices of reveals of its hash
    int stratum = 0;
    bool cycle = false;
  };
  struct Group {
    std::vector<std::size_t> members;  // commitment numbers, ascending batch index
    ConditionType type = ConditionType::mirror;
    const std::vector<PublicKey>* of = nullptr;  // threshold over named accounts
  };
  struct Pattern {
    const SwapPattern* pattern = nullptr;
    std::vector<std::size_t> matches;  // batch indices of matching swaps
    std::vector<std::size_t> users;    // commitment numbers
  };
  struct Counters;

  void index_batch();
  void find_strata();
  bool counts(const Group& g, const PublicKey& signer) const;
  bool holds(std::size_t c, const Counters& k) const;
  ConditionFailure explain(std::size_t c, const Counters& k) const;
  void explain_reveals(const Commitment& c, const Counters& k, ConditionFailure& f) const;
  Counters initial_counters(const std::vector<bool>& in_play) const;
  void depart(std::size_t c, Counters& k, std::vector<std::size_t>& touched) const;
  void peel_stratum(std::size_t s, Counters& k, std::vector<std::size_t>& dropped) const;

  std::span<const Intent> batch_;
  std::vector<int> node_of_;  // batch index -> commitment number, or -1
  std::vector<Commitment> commitments_;
  std::vector<Group> groups_;
  std::vector<Pattern> patterns_;
  std::vector<std::vector<std::size_t>> required_by_;  // batch index -> commitments whose requires name it
  std::vector<std::vector<std::size_t>> patterns_of_;  // batch index -> patterns it matches
  std::vector<std::vector<std::size_t>> by_stratum_;   // commitment numbers per stratum
};

}  // namespace pactum::matching
