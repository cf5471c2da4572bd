// Settlement of the room intents of a batch (docs/MECHANISMS.md §9), before the clearing:
// kinds in this order, each in ascending id: room_open with its room_key, room_position,
// room_outcome, room_sign. Writes into `overlay` (balances, escrow, rooms, nonces) and the
// receipts of those intents.
#pragma once
#include <span>
#include <vector>

#include "pactum/matcher/matcher.hpp"

namespace pactum::matching {

void settle_rooms(OverlayState& overlay, std::span<const Intent> batch, const std::vector<std::size_t>& rooms,
                  const BlockContext& ctx, std::vector<Receipt>& receipts);

}  // namespace pactum::matching
