// Splits a batch's funded swaps into independent markets: assets joined by a swap or by a
// pool are in the same component. A pool joins the batch when one of its assets is traded
// (transitively), so routes through assets nobody trades directly (A->C->B) are found;
// assets that only dangle off one pool and carry no swap are pruned (no flow can pass
// through them). Deterministic: components are ordered by their smallest asset.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::matching {

struct Component {
  std::vector<std::string> assets;        // sorted
  std::vector<std::size_t> members;       // batch indices of its swaps, ascending id
  std::vector<std::pair<int, int>> legs;  // per member: (sell, buy) as indices into `assets`
  std::vector<Pool> pools;                // both reserves > 0, sorted by PoolId
};

// `swaps` are batch indices of funded swaps in ascending id.
std::vector<Component> find_components(const StateView& state, std::span<const Intent> batch,
                                       const std::vector<std::size_t>& swaps);

}  // namespace pactum::matching
