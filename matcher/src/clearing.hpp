// One clearing of a batch of plain intents (transfers, swaps, cancels; bundles are only
// screened): rules 1-5 of matcher.hpp. The matcher runs it once per round of condition
// resolution (conditions.hpp) and then runs the bundles (bundles.hpp).
#pragma once
#include <span>
#include <vector>

#include "apply_clearing.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum::matching {

struct Cleared {
  // receipts[i] for batch[i]; a bundle's receipt is left blank for the bundle runner.
  Settlement settlement;
  std::vector<std::size_t> bundles;       // valid bundles, ascending id
  std::vector<std::size_t> shares;        // valid surplus shares, ascending id (receipts blank)
  std::vector<ClearingProblem> problems;  // with a given clearing: the rules it breaks in this round
};

// Precondition: the batch holds no commit intents. `given` null: the swaps clear by the
// price search; otherwise by the given clearing (apply_clearing.hpp).
Cleared clear_batch(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx, SettleStats& stats,
                    const Clearing* given = nullptr);

// The batch indices of the funded swaps after screening (rules 1-3).
std::vector<std::size_t> funded_swaps(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx);

}  // namespace pactum::matching
