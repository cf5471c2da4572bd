// Rules 1-3 of the matcher: validity, cancels, funding. Everything before any value moves.
#pragma once
#include <optional>
#include <span>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::matching {

struct Screening {
  // receipts[i] is set for batch[i] when screening already decided it: rejected,
  // cancelled, a settled cancel or a settled reveal.
  std::vector<std::optional<Receipt>> receipts;
  // Transfers, burns, locks, unlocks and swaps that passed and are funded, as batch indices in ascending id.
  std::vector<std::size_t> funded;
  // Nonces used by settled cancels and reveals, and by the intents cancels cancelled.
  std::vector<NonceKey> nonces_used;
  // Bundles that passed validity and cancels, ascending id: they run after the batch
  // (bundles.hpp), so funding does not reserve for them.
  std::vector<std::size_t> bundles;
  // Surplus shares (a commitment's share_surplus action) that passed validity and cancels,
  // ascending id: paid after the clearing out of their swap's receipt (shares.hpp), so
  // funding does not reserve for them either.
  std::vector<std::size_t> shares;
};

// `by_id` is the batch indices sorted by (id, batch index). The batch holds no commit
// intents (the matcher clears their actions, action_intent()).
Screening screen(const StateView& state, std::span<const Intent> batch, const std::vector<std::size_t>& by_id,
                 const BlockContext& ctx);

}  // namespace pactum::matching
