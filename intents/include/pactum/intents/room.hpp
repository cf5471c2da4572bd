// Sealed negotiation rooms (docs/PROTOCOL.md §2 "Rooms", docs/MECHANISMS.md §9). Price
// rooms: a seller and a buyer each seal a reservation (floor, ceiling) to the room's key; at
// the closing height the node decides deal or no deal, and on a deal a price band, and
// publishes only that. Multi-issue rooms (2..16 parties seal acceptable options and
// scores; one option or nothing is revealed) and threshold rooms (2..16 parties seal yes or
// no; "not met", or "met" and the yes voters, who pay) follow the same flow; their terms
// and plaintext are in docs/PROTOCOL.md. Five intent kinds:
//
//   room_open      a party opens a room: "terms" (below). Pays the room fee. id = room id.
//   room_position  a party's sealed position: "room", "eph" (66 hex: compressed secp256k1
//                  ephemeral key), "iv" (24 hex), "ct" (hex: AES-256-GCM ciphertext of the
//                  padded plaintext || 16-byte tag). Escrows the party's side of the deal.
//   room_sign      a party's BIP-340 signature of the room's outcome digest: "room", "outcome_sig".
//   room_key       (producer only) the room's public key "pubkey" (66 hex) and
//                  "seed_commitment" = SHA256(seed), published in the block that opens it.
//   room_outcome   (producer only) "room", "outcome" (0..255: bit 7 deal, bits 0..6 band),
//                  "seed" (64 hex; revealed at close).
//
// terms {"mechanism": "midpoint" | "posted", "seller": acct, "buyer": acct, "asset": A,
//        "amount": X, "pay_asset": B, "range": [lo, hi], "close_height": H,
//        "posted": {"band": 0..127} | {"random": true}   (mechanism "posted" only),
//        "consent": true, "consent_window": W   (optional, both or neither, W 1..1000)}
//   The price is the total paid in B for X of A. The public range [lo, hi] is cut into 128
//   bands; band k's price is lo + floor((hi - lo) * (2k + 1) / 256). The seller escrows X
//   of A, the buyer hi of B (so the escrow says nothing of the ceiling). With consent, a deal
//   does not move the escrow at the close: it moves in the block where the last party's
//   room_sign settles, if that is within W blocks of the close; otherwise the producer's
//   expiry room_outcome (outcome 0, zero seed) refunds it (docs/MECHANISMS.md §9.6).
//
// Sealing: Z = ECDH(e, room_pub) (libsecp256k1's default: SHA256 of the compressed shared
// point); K = HKDF-SHA256(IKM = Z, salt = eph || room_pub (33 + 33 bytes), info =
// "pactum/room/v1" || room id (32) || party (32)); AES-256-GCM under K with the 12-byte iv
// and AAD = room id || party. Plaintext: the JCS JSON {"accept": bool, "reservation":
// amount} padded with spaces to kSealedPlaintextSize bytes.
//
// Outcome digest (what every party signs): tagged_hash("pactum/room-outcome/v1", room id
// || terms hash || outcome (1 byte) || value (32 BE: the price in a price room, zero on no
// deal; the yes mask in a threshold room; zero in a multi-issue room)); terms hash =
// tagged_hash("pactum/room-terms/v1", JCS(terms)).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"

namespace pactum {

inline constexpr std::string_view kRoomTermsTag = "pactum/room-terms/v1";
inline constexpr std::string_view kRoomOutcomeTag = "pactum/room-outcome/v1";
inline constexpr std::string_view kRoomSealInfo = "pactum/room/v1";
inline constexpr std::size_t kSealedPlaintextSize = 256;
inline constexpr std::size_t kSealedCiphertextSize = kSealedPlaintextSize + 16;
inline constexpr int kRoomBands = 128;
inline constexpr std::uint32_t kMaxConsentWindow = 1000;  // blocks

using Point33 = std::array<std::uint8_t, 33>;  // a compressed secp256k1 point

enum class RoomMechanism { midpoint, posted, multi_issue, threshold };

inline constexpr std::size_t kMaxRoomParties = 16;
inline constexpr std::size_t kMaxRoomOptions = 64;

// Multi-issue rooms: the options are the cartesian product of the issues' values, numbered
// in row-major order (the last issue varies fastest), at most kMaxRoomOptions in all.
struct RoomIssue {
  std::string name;
  std::vector<std::string> values;
};

struct RoomTerms {
  RoomMechanism mechanism = RoomMechanism::midpoint;
  PublicKey seller, buyer;
  std::string asset;
  Amount amount;
  std::string pay_asset;
  Amount lo, hi;
  std::uint64_t close_height = 0;
  std::optional<std::uint32_t> posted_band;  // posted: a fixed band
  bool posted_random = false;                // posted: a band drawn from the committed seed
  // Price rooms: a deal's escrow moves only once both parties have signed the outcome within
  // consent_window blocks of the close (absent from the JSON when false).
  bool consent = false;
  std::uint32_t consent_window = 0;
  // multi_issue and threshold rooms: the parties (2..16, distinct, in the order given).
  std::vector<PublicKey> parties;
  std::vector<RoomIssue> issues;  // multi_issue
  std::uint32_t k = 0;            // threshold: yes votes needed
  std::string action_asset;       // threshold: what each yes voter pays ...
  Amount action_amount = 0;       // ... how much (every party escrows it) ...
  PublicKey action_to;            // ... and to whom
  Hash32 hash;                    // the terms hash
  bool is_price() const { return mechanism == RoomMechanism::midpoint || mechanism == RoomMechanism::posted; }
  std::size_t option_count() const;
  // The party's index in `parties` (price rooms: seller 0, buyer 1), or -1.
  int party_index(const PublicKey& k) const;
  bool is_party(const PublicKey& k) const { return party_index(k) >= 0; }
};

struct RoomOpen {
  RoomTerms terms;
};
struct RoomPosition {
  Hash32 room;
  Point33 eph{};
  std::array<std::uint8_t, 12> iv{};
  std::vector<std::uint8_t> ct;  // kSealedCiphertextSize bytes
};
struct RoomSign {
  Hash32 room;
  Signature outcome_sig;
};
struct RoomKey {
  Hash32 room;
  Point33 pubkey{};
  Hash32 seed_commitment;
};
struct RoomOutcome {
  Hash32 room;
  std::uint8_t outcome = 0;
  Hash32 seed;
  std::uint64_t yes = 0;  // threshold rooms: bit i = party i voted yes (published only when met)
};

// What a party seals.
struct SealedPosition {
  bool accept = false;
  Amount reservation;  // seller: floor; buyer: ceiling (total in pay_asset); 0 in other rooms
  // multi_issue: bit i = option i is acceptable; scores: one decimal digit per option
  // (missing digits score 0). Both absent from the plaintext in other rooms.
  std::optional<std::uint64_t> options;
  std::string scores;
};

// Band k's price for the terms' range.
Amount band_price(const RoomTerms& t, std::uint32_t band);
// The band a "posted"/"random" room draws from its seed: SHA256("pactum/room/posted/v1" || seed)[0] & 0x7f.
std::uint32_t band_from_seed(const Hash32& seed);
bool outcome_is_deal(std::uint8_t outcome);
std::uint32_t outcome_band(std::uint8_t outcome);
// `value`: the price in a price room, the yes mask in a threshold room, 0 in a multi-issue room.
Hash32 outcome_digest(const Hash32& room, const Hash32& terms_hash, std::uint8_t outcome, const Amount& value);

// Sealing and opening (ECDH + HKDF-SHA256 + AES-256-GCM, above). seal() draws a fresh
// ephemeral key and iv from OpenSSL's RNG. open_sealed() returns nothing when the key,
// binding or tag is wrong, or the plaintext is not a position.
Result<RoomPosition> seal_position(const Point33& room_pub, const Hash32& room, const PublicKey& party,
                                   const SealedPosition& position);
// The same with the ephemeral secret key and the iv given (seal_position() draws both and
// calls this): deterministic, for test vectors (docs/PROTOCOL.md, "Room sealing vector").
// Never seal twice with the same (eph, iv): reusing a GCM iv under one key breaks it.
Result<RoomPosition> seal_position_with(const SecretKey& eph, const std::array<std::uint8_t, 12>& iv,
                                        const Point33& room_pub, const Hash32& room, const PublicKey& party,
                                        const SealedPosition& position);
std::optional<SealedPosition> open_sealed(const SecretKey& room_secret, const Hash32& room, const PublicKey& party,
                                          const RoomPosition& sealed);
// The compressed public key of a secret key (the room key is published in this form).
Point33 compressed_public_key(const SecretKey& k);
std::string point_hex(const Point33& p);
Result<Point33> point_from_hex(std::string_view hex, std::string_view field);

nlohmann::json terms_to_json(const RoomTerms& t);
// The "terms" object of a room_open (also how the ledger reads a stored room back);
// `opener` must be one of its parties.
Result<RoomTerms> decode_room_terms(const nlohmann::json& terms, const PublicKey& opener);

}  // namespace pactum
