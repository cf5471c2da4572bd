// What ConditionGraph::resolve() tracks while it peels (conditions.cpp), shared with
// the explanations of failed conditions (conditions_explain.cpp). Internal to the matcher.
#pragma once
#include <map>
#include <tuple>
#include <vector>

#include "conditions.hpp"

namespace pactum::matching {

// What resolve() tracks while it peels: the set and the counts each condition reads.
struct ConditionGraph::Counters {
  std::vector<bool> in_set;                                    // per batch index
  std::vector<bool> entered;                                   // per batch index: in play when resolve began
  std::vector<std::size_t> missing;                            // per leaf (requires)
  std::vector<int> target_count;                               // per target: members in the set
  std::vector<int> revealed;                                   // per leaf (reveals): its reveals in the set
  std::vector<std::map<PublicKey, int>> by_signer;             // per group: members in the set
  std::vector<int> distinct;                                   // per group: counted signers in the set
  std::map<std::tuple<int, PublicKey, PublicKey>, int> pairs;  // (group, signer, with): named mirrors
  // Per rate index, over its positions and one past the end: the next position whose swap
  // is in the set (a union-find with path compression; swaps only ever leave the set).
  std::vector<std::vector<std::size_t>> next_in_set;
  std::vector<std::size_t> witness;                            // per pattern: a match in the set, or hi: none
  std::vector<std::vector<std::vector<std::size_t>>> watched;  // per rate index and position: patterns it witnesses
  // Set only by amount_failures(): per batch index, what it sold in the round's clearing.
  // Then a pattern with amount bounds holds only for a match whose amount lies within them.
  const std::vector<Amount>* sold = nullptr;
};

}  // namespace pactum::matching
