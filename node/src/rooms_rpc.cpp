// pactum_getRoom and pactum_getContract: what the chain says of a room. Never a sealed
// position (the ledger holds only ciphertext; the plaintext exists only inside the
// producer while it decides, room_keeper.hpp).
#include "pactum/node/node_core.hpp"

#include <algorithm>

namespace pactum {

namespace {

using nlohmann::json;

json side_json(const RoomSide& s, const PublicKey& account) {
  return {{"account", account.hex()},
          {"sealed", s.position.has_value()},
          {"escrow", amount_to_string(s.escrow)},
          {"outcome_sig", s.outcome_sig ? json(s.outcome_sig->hex()) : json(nullptr)}};
}

// The public face of a room (pactum_getRoom), shared by pactum_getRooms.
json room_json(const RoomRecord& room) {
  const Hash32& id = room.id;
  json out = {{"room", id.hex()},
              {"terms", terms_to_json(room.terms)},
              {"terms_hash", room.terms.hash.hex()},
              {"opener", room.opener.hex()},
              {"pubkey", point_hex(room.pubkey)},
              {"seed_commitment", room.seed_commitment.hex()},
              {"opened_height", room.opened_height},
              {"status", room.closed ? "closed" : "open"},
              {"seller", side_json(room.seller, room.terms.seller)},
              {"buyer", side_json(room.buyer, room.terms.buyer)}};
  if (!room.terms.is_price()) {
    out.erase("seller");
    out.erase("buyer");
    json members = json::array();
    for (std::size_t i = 0; i < room.members.size(); ++i)
      members.push_back(side_json(room.members[i], room.terms.parties[i]));
    out["members"] = std::move(members);
  }
  if (room.closed) {
    const bool deal = outcome_is_deal(room.outcome);
    const bool price_room = room.terms.is_price();
    out["outcome"] = {{"byte", room.outcome},
                      {"deal", deal},
                      {"band", deal && price_room ? json(outcome_band(room.outcome)) : json(nullptr)},
                      {"price", deal && price_room ? json(amount_to_string(room.price)) : json(nullptr)},
                      {"digest", outcome_digest(id, room.terms.hash, room.outcome, room.outcome_value()).hex()}};
    if (room.terms.mechanism == RoomMechanism::multi_issue)
      out["outcome"]["option"] = deal ? json(outcome_band(room.outcome)) : json(nullptr);
    if (room.terms.mechanism == RoomMechanism::threshold) {
      json yes = json::array();
      for (std::size_t i = 0; i < room.terms.parties.size(); ++i)
        if (room.yes >> i & 1) yes.push_back(room.terms.parties[i].hex());
      out["outcome"]["yes"] = std::move(yes);
    }
    out["closed_height"] = room.closed_height;
    out["seed"] = room.seed.hex();
  }
  if (room.consent != RoomConsent::none) {  // a consent room's deal (MECHANISMS 9.6)
    if (room.consent == RoomConsent::awaiting) out["status"] = "awaiting_consent";
    out["consent"] = {{"state", consent_name(room.consent)},
                      {"deadline", room.consent_deadline()},
                      {"height", room.consent == RoomConsent::awaiting ? json(nullptr) : json(room.consent_height)}};
  }
  return out;
}

}  // namespace

Result<json> NodeCore::get_room(const Hash32& id) const {
  auto lock = read_lock();
  auto room = chain_->state().room(id);
  if (!room) return make_error(Errc::unknown_room, "no room " + id.hex(), "room");
  return room_json(*room);
}

// Newest first: the explorer shows recent rooms; a scan of every room is fine at the
// sizes a node holds (each room costs its opener the genesis room fee).
json NodeCore::get_rooms(std::optional<bool> closed, std::size_t limit) const {
  auto lock = read_lock();
  std::vector<RoomRecord> rooms = chain_->state().all_rooms();
  std::erase_if(rooms, [&](const RoomRecord& r) { return closed && r.closed != *closed; });
  std::stable_sort(rooms.begin(), rooms.end(),
                   [](const RoomRecord& a, const RoomRecord& b) { return a.opened_height > b.opened_height; });
  json out = json::array();
  for (std::size_t i = 0; i < rooms.size() && i < limit; ++i) out.push_back(room_json(rooms[i]));
  return out;
}

Result<json> NodeCore::get_contract(const Hash32& id) const {
  auto lock = read_lock();
  auto room = chain_->state().room(id);
  if (!room) return make_error(Errc::unknown_room, "no room " + id.hex(), "room");
  if (!room->closed) return make_error(Errc::contract_incomplete, "room " + id.hex() + " is still open", "room");
  // The parties in terms order (price rooms: seller, buyer) with their outcome signatures.
  std::vector<std::pair<std::string, PublicKey>> parties;
  if (room->terms.is_price()) {
    parties = {{"seller", room->terms.seller}, {"buyer", room->terms.buyer}};
  } else {
    for (const PublicKey& p : room->terms.parties) parties.emplace_back("party", p);
  }
  std::string missing;
  json signed_by = json::array();
  for (const auto& [role, account] : parties) {
    const RoomSide& side = room->side(account);
    if (!side.outcome_sig)
      missing += (missing.empty() ? "" : ", ") + role + " " + account.hex();
    else
      signed_by.push_back({{"role", role}, {"account", account.hex()}, {"sig", side.outcome_sig->hex()}});
  }
  if (!missing.empty())
    return make_error(Errc::contract_incomplete, "the outcome is not signed yet by " + missing, "room");
  // The opener's signed room_open and the producer's signed room_outcome, from the chain:
  // with them the contract verifies offline (pactum contract verify).
  PACTUM_ASSIGN(loc, chain_->store().locate_intent(id));
  if (!loc.has_value()) return make_error(Errc::not_found, "the room_open of this room is not in the chain index");
  auto open_block = block_at_locked((loc)->height);
  auto close_block = block_at_locked(room->closed_height);
  if (!open_block || !close_block) return make_error(Errc::not_found, "a block of this room is missing");
  json room_outcome, room_key;
  for (const Intent& in : close_block->intents)
    if (in.room_outcome() && in.room_outcome()->room == id) room_outcome = intent_to_json(in);
  for (const Intent& in : open_block->intents)
    if (in.room_key() && in.room_key()->room == id) room_key = intent_to_json(in);
  const bool deal = outcome_is_deal(room->outcome);
  const bool price_room = room->terms.is_price();
  json contract = {{"contract", "pactum/room-contract/v1"},
                   {"room", id.hex()},
                   {"terms", terms_to_json(room->terms)},
                   {"terms_hash", room->terms.hash.hex()},
                   {"outcome", room->outcome},
                   {"deal", deal},
                   {"band", deal && price_room ? json(outcome_band(room->outcome)) : json(nullptr)},
                   {"price", amount_to_string(room->price)},
                   {"value", amount_to_string(room->outcome_value())},
                   {"digest", outcome_digest(id, room->terms.hash, room->outcome, room->outcome_value()).hex()},
                   {"block", {{"height", room->closed_height}, {"hash", close_block->header.hash().hex()}}},
                   {"parties", std::move(signed_by)},
                   {"producer", chain_->genesis().producer.hex()},
                   {"room_open", intent_to_json(open_block->intents.at((loc)->index))},
                   {"room_key", room_key},
                   {"room_outcome", room_outcome}};
  if (room->terms.mechanism == RoomMechanism::multi_issue)
    contract["option"] = deal ? json(outcome_band(room->outcome)) : json(nullptr);
  if (room->terms.mechanism == RoomMechanism::threshold) contract["yes"] = room->yes;
  if (room->consent == RoomConsent::given) {  // every party signed before anything moved: the block that exchanged
    auto exchange_block = block_at_locked(room->consent_height);
    if (!exchange_block) return make_error(Errc::not_found, "the block of this room's exchange is missing");
    contract["consent"] = {
        {"deadline", room->consent_deadline()},
        {"exchange", {{"height", room->consent_height}, {"hash", exchange_block->header.hash().hex()}}}};
  }
  return contract;
}

}  // namespace pactum
