// A negotiation room as the ledger holds it (room.hpp has the protocol): its terms, its
// public key, the sealed positions (ciphertext only: the node decrypts at close with the
// room secret, which never reaches the ledger), the escrow, and after close the outcome
// and the parties' signatures of it. State leaf: key 0x05 || room id, value the JCS JSON
// of to_json() (docs/PROTOCOL.md §6).
#pragma once
#include <optional>

#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"

namespace pactum {

struct RoomSide {
  std::optional<RoomPosition> position;  // sealed, as submitted
  Amount escrow = 0;                     // held for this party: seller in asset, buyer in pay_asset
  std::optional<Signature> outcome_sig;  // the party's signature of the outcome digest
  bool operator==(const RoomSide& o) const {
    const bool same_position = position.has_value() == o.position.has_value() &&
                               (!position || (position->eph == o.position->eph && position->iv == o.position->iv &&
                                              position->ct == o.position->ct));
    return same_position && escrow == o.escrow && outcome_sig == o.outcome_sig;
  }
};

// A consent room's deal (terms.consent): awaiting the parties' signatures after the close,
// exchanged once all have signed (given), or refunded when the window passed (expired).
// `none` in every other room, and in a consent room before its close or after a no deal.
enum class RoomConsent { none, awaiting, given, expired };

struct RoomRecord {
  Hash32 id;
  RoomTerms terms;
  PublicKey opener;
  Point33 pubkey{};
  Hash32 seed_commitment;
  std::uint64_t opened_height = 0;
  bool closed = false;
  std::uint8_t outcome = 0;
  Amount price = 0;  // on a deal
  std::uint64_t closed_height = 0;
  Hash32 seed;                    // revealed at close
  RoomSide seller, buyer;         // price rooms
  std::vector<RoomSide> members;  // multi_issue and threshold rooms: one per party, in terms order
  std::uint64_t yes = 0;          // threshold rooms, closed with the threshold met: who said yes
  RoomConsent consent = RoomConsent::none;
  std::uint64_t consent_height = 0;  // given: the block of the exchange; expired: of the refund
  // A consent room's last height at which a signature counts: closed_height + consent_window.
  std::uint64_t consent_deadline() const { return closed_height + terms.consent_window; }
  // Precondition: terms.is_party(party).
  RoomSide& side(const PublicKey& party) {
    if (!terms.is_price()) return members.at(static_cast<std::size_t>(terms.party_index(party)));
    return party == terms.seller ? seller : buyer;
  }
  const RoomSide& side(const PublicKey& party) const {
    if (!terms.is_price()) return members.at(static_cast<std::size_t>(terms.party_index(party)));
    return party == terms.seller ? seller : buyer;
  }
  // The outcome digest's value: the price, the yes mask, or 0 (room.hpp).
  Amount outcome_value() const { return terms.mechanism == RoomMechanism::threshold ? Amount(yes) : price; }
  bool operator==(const RoomRecord& o) const { return to_json() == o.to_json(); }
  nlohmann::json to_json() const;
  static Result<RoomRecord> from_json(const nlohmann::json& j);
};

// Rooms opened per unordered pair of accounts per period (the probing bound).
struct RoomPairKey {
  PublicKey a, b;  // a < b
  std::uint64_t period = 0;
  auto operator<=>(const RoomPairKey&) const = default;
};

const char* consent_name(RoomConsent c);  // "awaiting", "given", "expired" ("none")
std::string room_key(const Hash32& id);
std::string room_value(const RoomRecord& r);
std::string room_pair_key(const RoomPairKey& k);
std::string room_pair_value(std::uint32_t count);

}  // namespace pactum
