// Room decisions and room settlement (docs/MECHANISMS.md §9). decide_room() is what the
// node runs at a room's closing height on the positions it decrypted (the ledger never
// sees them); the settlement of the outcome it publishes is part of settle().
#pragma once
#include <optional>

#include "pactum/intents/room.hpp"

namespace pactum {

// The outcome byte (bit 7 deal, bits 0..6 band) of a room from its two positions (nullopt:
// missing or not decryptable, which is a walk-away) and its revealed seed.
//   midpoint: deal iff both accept and floor <= ceiling and some band price lies in
//             [floor, ceiling]; the band whose price is nearest the midpoint (ties: lower).
//   posted:   the band is fixed by the terms or drawn from the seed; deal iff both accept
//             and floor <= band price <= ceiling.
std::uint8_t decide_room(const RoomTerms& terms, const std::optional<SealedPosition>& seller,
                         const std::optional<SealedPosition>& buyer, const Hash32& seed);

// Multi-issue and threshold rooms: positions[i] is party i's (nullopt: missing or not
// decryptable).
//   multi_issue: deal iff every party accepts and some option is acceptable to all; the
//                option with the largest sum of scores (ties: the lowest index).
//                outcome = 0x80 | option.
//   threshold:   met iff at least k parties said yes (accept); outcome 0x80 and `yes` the
//                mask of those who did; else 0 and yes = 0 (nothing of the votes published).
struct GroupDecision {
  std::uint8_t outcome = 0;
  std::uint64_t yes = 0;
};
GroupDecision decide_group_room(const RoomTerms& terms, const std::vector<std::optional<SealedPosition>>& positions);

}  // namespace pactum
