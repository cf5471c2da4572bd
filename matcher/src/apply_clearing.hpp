// The swap step of a round when the clearing is given (settle_clearing, matcher.hpp)
// instead of searched for: each funded swap settles iff the clearing fills it, at its
// pair's clearing price; the pools end at the clearing's reserves; what traders paid minus
// what they got minus what the pools took is the rounding dust. Internal to the matcher.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "batch_ledger.hpp"
#include "pactum/ledger/settlement.hpp"
#include "receipts.hpp"

namespace pactum::matching {

// A rule the clearing breaks in this round (only the last round's count: an earlier round
// still holds swaps whose fills belong to the final set).
struct ClearingProblem {
  std::string rule;  // "fill", "pool", "dust", "price_vector"
  std::string detail;
};

// `swaps`: the round's funded swaps (batch indices). Writes their receipts, their balance
// changes, the pools and the dust into `ledger`, and the clearing's prices into `out`.
void apply_clearing(const StateView& state, PriceTexts& texts, std::span<const Intent> batch,
                    const std::vector<std::size_t>& swaps, const Clearing& clearing, BatchLedger& ledger,
                    Settlement& out, std::vector<ClearingProblem>& problems);

}  // namespace pactum::matching
