// Offline verification of a room contract (room.hpp, docs/PROTOCOL.md "Room contracts").
#include <bit>

#include "pactum/intents/intent.hpp"
#include "pactum/intents/room.hpp"

namespace pactum {

namespace {

using nlohmann::json;

Error bad(const std::string& what) { return make_error(Errc::bad_signature, "contract: " + what); }

// The phases below read the contract with json's checked accessors: a missing or mistyped
// member throws json::exception, which verify_room_contract reports as malformed.

// 1. The room: the opener's signed room_open, whose id is the room and whose terms are these.
Result<Intent> check_room_open(const json& c, const Hash32& room) {
  auto open = decode_verified_intent(c.at("room_open"));
  if (!open) return bad("room_open: " + open.error().message);
  if (!open->room_open()) return bad("room_open is not a room_open intent");
  if (open->id != room) return bad("room_open's id is not the room id");
  const RoomTerms& terms = open->room_open()->terms;
  if (terms_to_json(terms) != c.at("terms")) return bad("terms differ from the signed room_open");
  if (terms.hash.hex() != c.at("terms_hash").get<std::string>()) return bad("terms_hash is not the hash of the terms");
  return open;
}

// 2. The outcome: the producer's signed room_outcome for this room.
Result<Intent> check_outcome(const json& c, const Hash32& room, const PublicKey& producer) {
  auto outcome = decode_verified_intent(c.at("room_outcome"));
  if (!outcome) return bad("room_outcome: " + outcome.error().message);
  if (!outcome->room_outcome() || outcome->room_outcome()->room != room) return bad("room_outcome is not this room's");
  if (outcome->signer != producer) return bad("room_outcome is not signed by the producer");
  const std::uint8_t byte = outcome->room_outcome()->outcome;
  if (c.at("outcome").get<int>() != byte) return bad("outcome differs from the producer's room_outcome");
  if (c.at("block").at("height").get<std::uint64_t>() != outcome->valid_until)
    return bad("block height is not the height of the room_outcome");
  if (c.at("deal").get<bool>() != outcome_is_deal(byte)) return bad("deal bit differs from the outcome");
  return outcome;
}

// 3. The room key and seed: the producer's room_key for this room, the seed revealed in
// the room_outcome matching its commitment (a no-deal may leave the seed zero).
Result<void> check_seed(const json& c, const Hash32& room, const PublicKey& producer, const Hash32& seed, bool deal) {
  auto key = decode_verified_intent(c.at("room_key"));
  if (!key) return bad("room_key: " + key.error().message);
  if (!key->room_key() || key->room_key()->room != room) return bad("room_key is not this room's");
  if (key->signer != producer) return bad("room_key is not signed by the producer");
  if ((deal || !seed.is_zero()) && sha256(Bytes(seed.bytes)) != key->room_key()->seed_commitment)
    return bad("the revealed seed does not match the seed commitment of the room_key");
  return {};
}

// 4. What the outcome means, by mechanism, and the digest's value.
Result<Amount> price_value(const json& c, const RoomTerms& terms, std::uint8_t byte, const Hash32& seed) {
  const bool deal = outcome_is_deal(byte);
  const Amount price = deal ? band_price(terms, outcome_band(byte)) : Amount(0);
  if (c.at("price").get<std::string>() != amount_to_string(price)) return bad("price is not the outcome band's price");
  const json band = deal ? json(outcome_band(byte)) : json(nullptr);
  if (c.at("band") != band) return bad("band is not the outcome's band");
  if (deal && terms.mechanism == RoomMechanism::posted) {
    const std::uint32_t posted = terms.posted_band ? *terms.posted_band : band_from_seed(seed);
    if (outcome_band(byte) != posted) return bad("a posted room's deal is not at its posted band");
  }
  return price;
}

Result<Amount> multi_issue_value(const json& c, const RoomTerms& terms, std::uint8_t byte) {
  const bool deal = outcome_is_deal(byte);
  const json option = deal ? json(outcome_band(byte)) : json(nullptr);
  if (c.at("option") != option) return bad("option is not the outcome's option");
  if (deal && outcome_band(byte) >= terms.option_count()) return bad("the option does not exist");
  return Amount(0);
}

Result<Amount> threshold_value(const json& c, const RoomTerms& terms, const RoomOutcome& outcome) {
  const std::uint8_t byte = outcome.outcome;
  const bool deal = outcome_is_deal(byte);
  const std::uint64_t yes = outcome.yes;
  if (c.at("yes").get<std::uint64_t>() != yes) return bad("yes differs from the producer's room_outcome");
  if (yes >> terms.parties.size()) return bad("yes names a party the room does not have");
  const auto votes = static_cast<std::uint32_t>(std::popcount(yes));
  if (deal && (byte != 0x80 || votes < terms.k)) return bad("a met threshold needs at least k yes votes");
  if (!deal && (byte != 0 || yes != 0)) return bad("a threshold not met publishes no votes");
  return Amount(yes);
}

Result<Amount> outcome_value(const json& c, const RoomTerms& terms, const RoomOutcome& outcome) {
  auto value = terms.is_price()                                ? price_value(c, terms, outcome.outcome, outcome.seed)
               : terms.mechanism == RoomMechanism::multi_issue ? multi_issue_value(c, terms, outcome.outcome)
                                                               : threshold_value(c, terms, outcome);
  if (!value) return value;
  if (c.at("value").get<std::string>() != amount_to_string(*value)) return bad("value is not the outcome's value");
  return value;
}

// 8. Every party signed the outcome digest.
Result<void> check_party_signatures(const json& c, const RoomTerms& terms, const Hash32& digest) {
  std::vector<std::pair<std::string, PublicKey>> expected;
  if (terms.is_price())
    expected = {{"seller", terms.seller}, {"buyer", terms.buyer}};
  else
    for (const PublicKey& p : terms.parties) expected.emplace_back("party", p);
  const json& parties = c.at("parties");
  if (!parties.is_array() || parties.size() != expected.size())
    return bad("parties must list every party, in terms order");
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const json& p = parties[i];
    if (p.at("role").get<std::string>() != expected[i].first) return bad("party " + std::to_string(i) + ": wrong role");
    if (p.at("account").get<std::string>() != expected[i].second.hex())
      return bad("party " + std::to_string(i) + " is not the terms' party");
    auto sig = Signature::from_hex(p.at("sig").get<std::string>(), "sig");
    if (!sig) return sig.error();
    if (!verify(expected[i].second, digest, *sig))
      return bad("party " + std::to_string(i) + "'s signature does not verify over the outcome digest");
  }
  return {};
}

// 7. A consent room's deal moved its escrow in a block within the window after the close,
// the block in which the last signature settled (the chain's rule; the block is named so
// that a reader with the chain can check it).
Result<void> check_consent(const json& c, const RoomTerms& terms, bool deal) {
  if (!terms.consent || !deal) {
    if (c.contains("consent")) return bad("consent applies to the deal of a room whose terms ask for it");
    return {};
  }
  const std::uint64_t closed = c.at("block").at("height").get<std::uint64_t>();
  const json& consent = c.at("consent");
  if (consent.at("deadline").get<std::uint64_t>() != closed + terms.consent_window)
    return bad("consent.deadline is not the closing height plus consent_window");
  const std::uint64_t exchanged = consent.at("exchange").at("height").get<std::uint64_t>();
  if (exchanged < closed || exchanged > closed + terms.consent_window)
    return bad("consent.exchange is not within the consent window");
  return {};
}

}  // namespace

Result<void> verify_room_contract(const json& c) {
  try {
    if (c.value("contract", "") != "pactum/room-contract/v1") return bad("not a pactum/room-contract/v1 document");
    auto room = Hash32::from_hex(c.at("room").get<std::string>(), "room");
    if (!room) return room.error();
    auto producer = PublicKey::from_hex(c.at("producer").get<std::string>(), "producer");
    if (!producer) return producer.error();

    auto open = check_room_open(c, *room);
    if (!open) return open.error();
    const RoomTerms& terms = open->room_open()->terms;
    auto outcome = check_outcome(c, *room, *producer);
    if (!outcome) return outcome.error();
    const RoomOutcome& result = *outcome->room_outcome();
    PACTUM_TRY(check_seed(c, *room, *producer, result.seed, outcome_is_deal(result.outcome)));
    auto value = outcome_value(c, terms, result);
    if (!value) return value.error();

    const Hash32 digest = outcome_digest(*room, terms.hash, result.outcome, *value);
    if (c.at("digest").get<std::string>() != digest.hex()) return bad("digest is not the outcome digest");
    PACTUM_TRY(check_consent(c, terms, outcome_is_deal(result.outcome)));
    return check_party_signatures(c, terms, digest);
  } catch (const json::exception& e) {
    return make_error(Errc::invalid_params, std::string("contract: malformed: ") + e.what());
  }
}

}  // namespace pactum
