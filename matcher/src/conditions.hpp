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
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
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

  // Patterns may bound the amount a match sells (min_sold, max_sold). resolve() reads such
  // a pattern as met by any match that settles (amounts are known only once a round is
  // cleared); after a round in which every intent in play settled, amount_failures()
  // reads the round's amounts: the commitments of `settled` whose condition fails on them.
  // Bounds are refused under unless, so resolve() never under-counts (docs/MECHANISMS.md 7.4).
  bool has_amount_bounds() const { return !bounded_.empty(); }
  // `settled[i]`: batch[i] settled in the round; `sold[i]`: what its receipt says it sold.
  std::vector<std::pair<std::size_t, ConditionFailure>> amount_failures(const std::vector<bool>& settled,
                                                                        const std::vector<Amount>& sold) const;

 private:
  // One leaf of a commitment's condition tree (every condition but all/any), in the
  // order of for_each_leaf; `negated` under unless.
  struct Leaf {
    const Condition* cond = nullptr;
    std::size_t owner = 0;              // commitment number
    int group = -1;                     // mirror, threshold: commitments of the same program
    int pattern = -1;                   // exists
    int target = -1;                    // program
    std::vector<std::size_t> required;  // requires: batch indices of the named ids in the batch
    std::size_t absent_ids = 0;         // requires: named ids not in the batch at all
    std::vector<std::size_t> reveals;   // reveals: batch indices of the reveals of its hash
  };
  struct Commitment {
    std::size_t index = 0;            // batch index
    const Condition* cond = nullptr;  // the root of its tree
    std::size_t first_leaf = 0;       // its leaves are leaves_[first_leaf, first_leaf + leaf_count)
    std::size_t leaf_count = 0;
    int stratum = 0;
    bool cycle = false;
  };
  // A program condition's target: the commitments whose program hash it names (signed by
  // its `signer`, when it names one).
  struct Target {
    std::vector<std::size_t> members;  // commitment numbers
    std::vector<std::size_t> users;    // commitment numbers of the commitments that read it
  };
  // The commitments of one program, for its mirror or threshold leaf at one position of
  // the tree (every commitment of the program has the same leaf there).
  struct Group {
    std::vector<std::size_t> members;  // commitment numbers, ascending batch index
    ConditionType type = ConditionType::mirror;
    std::uint32_t k = 0;                         // threshold
    std::size_t position = 0;                    // the leaf's position in its program's tree
    const std::vector<PublicKey>* of = nullptr;  // threshold over named accounts
  };
  // A pair's swaps, or one signer's swaps of a pair, in ascending limit rate
  // (buy_amount / sell_amount, then batch index). A pattern's matches are one run of one
  // of these: finding them is a binary search, and the dependency graph reaches them
  // through a segment tree over the positions (O(log n) edges per pattern, not one per
  // match: 10,000 patterns over 5,000 swaps would otherwise be 25 million edges).
  struct RateIndex {
    std::vector<std::size_t> order;  // batch indices
    std::size_t first_node = 0;      // dependency graph node of segment tree node 1
  };
  struct Pattern {
    const SwapPattern* pattern = nullptr;
    int index = -1;                  // its RateIndex; -1 when no swap of the pair is in the batch
    std::size_t lo = 0, hi = 0;      // its run [lo, hi) of that index
    std::size_t skip = kNoSkip;      // position of its own commitment's swap (never its own match)
    std::vector<std::size_t> users;  // commitment numbers
  };
  static constexpr std::size_t kNoSkip = static_cast<std::size_t>(-1);
  struct Counters;
  struct Indexing;
  void index_leaf(Indexing& ix, std::size_t number, const Condition& cond, std::size_t position);

  void index_batch();
  void index_rates();
  Pattern make_pattern(const SwapPattern& p, std::size_t self) const;
  std::vector<std::size_t> matches_of(std::size_t pattern, const Counters& k) const;  // in the set, batch indices
  std::size_t first_match(std::size_t pattern, std::size_t from, Counters& k) const;
  void find_strata();
  bool counts(const Group& g, const PublicKey& signer) const;
  bool holds(std::size_t c, const Counters& k) const;
  bool leaf_holds(std::size_t leaf, const Counters& k) const;
  // A bound exists leaf: its matches in the set whose sold amount (k.sold) lies within the bounds.
  std::vector<std::size_t> sold_within(std::size_t leaf, const Counters& k) const;
  ConditionFailure explain_amounts(std::size_t c, const Counters& k) const;
  bool tree_holds(const Condition& c, std::size_t& next_leaf, const Counters& k) const;
  ConditionFailure explain(std::size_t c, const Counters& k) const;
  ConditionFailure explain_leaf(std::size_t leaf, const Counters& k) const;
  void explain_program(std::size_t leaf, const Counters& k, ConditionFailure& f) const;
  void explain_reveals(std::size_t leaf, const Counters& k, ConditionFailure& f) const;
  Counters initial_counters(const std::vector<bool>& in_play) const;
  void depart(std::size_t c, Counters& k, std::vector<std::size_t>& touched) const;
  void peel_stratum(std::size_t s, Counters& k, std::vector<std::size_t>& dropped) const;

  std::span<const Intent> batch_;
  std::vector<int> node_of_;  // batch index -> commitment number, or -1
  std::vector<Commitment> commitments_;
  std::vector<Leaf> leaves_;
  std::vector<Target> targets_;
  std::vector<std::vector<std::size_t>> targets_of_;  // commitment number -> targets it is a member of
  std::vector<Group> groups_;
  std::vector<Pattern> patterns_;
  std::vector<std::vector<std::size_t>> required_by_;  // batch index -> requires leaves that name it
  std::vector<RateIndex> rate_indexes_;
  std::map<std::tuple<std::string, std::string, std::optional<PublicKey>>, int> rate_index_of_;  // (sell, buy, signer)
  std::vector<std::vector<std::pair<int, std::size_t>>> positions_of_;  // batch index -> (rate index, position)
  std::vector<std::vector<std::size_t>> by_stratum_;                    // commitment numbers per stratum
  std::vector<std::size_t> bounded_;  // commitment numbers with a pattern that bounds amounts, ascending
};

}  // namespace pactum::matching
