// Offline verification of a room contract (room.hpp, docs/PROTOCOL.md "Room contracts").
#include "pactum/intents/intent.hpp"
#include "pactum/intents/room.hpp"

namespace pactum {

namespace {

using nlohmann::json;

Error bad(const std::string& what) { return make_error(Errc::bad_signature, "contract: " + what); }

}  // namespace

Result<void> verify_room_contract(const json& c) {
  try {
    if (c.value("contract", "") != "pactum/room-contract/v1") return bad("not a pactum/room-contract/v1 document");
    auto room = Hash32::from_hex(c.at("room").get<std::string>(), "room");
    if (!room) return room.error();
    auto producer = PublicKey::from_hex(c.at("producer").get<std::string>(), "producer");
    if (!producer) return producer.error();

    // 1. The room: the opener's signed room_open, whose id is the room and whose terms are these.
    auto open = decode_verified_intent(c.at("room_open"));
    if (!open) return bad("room_open: " + open.error().message);
    if (!open->room_open()) return bad("room_open is not a room_open intent");
    if (open->id != *room) return bad("room_open's id is not the room id");
    const RoomTerms& terms = open->room_open()->terms;
    if (terms_to_json(terms) != c.at("terms")) return bad("terms differ from the signed room_open");
    if (terms.hash.hex() != c.at("terms_hash").get<std::string>()) return bad("terms_hash is not the hash of the terms");

    // 2. The outcome: the producer's signed room_outcome for this room.
    auto outcome = decode_verified_intent(c.at("room_outcome"));
    if (!outcome) return bad("room_outcome: " + outcome.error().message);
    if (!outcome->room_outcome() || outcome->room_outcome()->room != *room) return bad("room_outcome is not this room's");
    if (outcome->signer != *producer) return bad("room_outcome is not signed by the producer");
    const std::uint8_t byte = outcome->room_outcome()->outcome;
    if (c.at("outcome").get<int>() != byte) return bad("outcome differs from the producer's room_outcome");
    if (c.at("block").at("height").get<std::uint64_t>() != outcome->valid_until)
      return bad("block height is not the height of the room_outcome");
    const bool deal = outcome_is_deal(byte);
    if (c.at("deal").get<bool>() != deal) return bad("deal bit differs from the outcome");
    const Amount price = deal ? band_price(terms, outcome_band(byte)) : Amount(0);
    if (c.at("price").get<std::string>() != amount_to_string(price)) return bad("price is not the outcome band's price");
    if (deal && terms.mechanism == RoomMechanism::posted) {
      auto seed = Hash32::from_hex(outcome->room_outcome()->seed.hex(), "seed");
      const std::uint32_t band = terms.posted_band ? *terms.posted_band : band_from_seed(*seed);
      if (outcome_band(byte) != band) return bad("a posted room's deal is not at its posted band");
    }

    // 3. Both parties signed the outcome digest.
    const Hash32 digest = outcome_digest(*room, terms.hash, byte, price);
    if (c.at("digest").get<std::string>() != digest.hex()) return bad("digest is not the outcome digest");
    const json& parties = c.at("parties");
    if (!parties.is_array() || parties.size() != 2) return bad("parties must list the seller and the buyer");
    for (const json& p : parties) {
      const std::string role = p.at("role").get<std::string>();
      const PublicKey& expected = role == "seller" ? terms.seller : terms.buyer;
      if (role != "seller" && role != "buyer") return bad("party role must be seller or buyer");
      if (p.at("account").get<std::string>() != expected.hex()) return bad(role + " is not the terms' " + role);
      auto sig = Signature::from_hex(p.at("sig").get<std::string>(), "sig");
      if (!sig) return sig.error();
      if (!verify(expected, digest, *sig)) return bad(role + "'s signature does not verify over the outcome digest");
    }
    if (parties[0].at("role") == parties[1].at("role")) return bad("seller and buyer must both sign");
    return {};
  } catch (const json::exception& e) {
    return make_error(Errc::invalid_params, std::string("contract: malformed: ") + e.what());
  }
}

}  // namespace pactum
