// pactum_getRoom and pactum_getContract: what the chain says of a room. Never a sealed
// position (the ledger holds only ciphertext; the plaintext exists only inside the
// producer while it decides, room_keeper.hpp).
#include "pactum/node/rpc.hpp"

namespace pactum {

namespace {

using nlohmann::json;

json side_json(const RoomSide& s, const PublicKey& account) {
  return {{"account", account.hex()},
          {"sealed", s.position.has_value()},
          {"escrow", amount_to_string(s.escrow)},
          {"outcome_sig", s.outcome_sig ? json(s.outcome_sig->hex()) : json(nullptr)}};
}

}  // namespace

Result<json> NodeCore::get_room(const Hash32& id) const {
  auto lock = read_lock();
  auto room = chain_->state().room(id);
  if (!room) return make_error(Errc::unknown_room, "no room " + id.hex(), "room");
  json out = {{"room", id.hex()},
              {"terms", terms_to_json(room->terms)},
              {"terms_hash", room->terms.hash.hex()},
              {"opener", room->opener.hex()},
              {"pubkey", point_hex(room->pubkey)},
              {"seed_commitment", room->seed_commitment.hex()},
              {"opened_height", room->opened_height},
              {"status", room->closed ? "closed" : "open"},
              {"seller", side_json(room->seller, room->terms.seller)},
              {"buyer", side_json(room->buyer, room->terms.buyer)}};
  if (room->closed) {
    const bool deal = outcome_is_deal(room->outcome);
    out["outcome"] = {{"byte", room->outcome},
                      {"deal", deal},
                      {"band", deal ? json(outcome_band(room->outcome)) : json(nullptr)},
                      {"price", deal ? json(amount_to_string(room->price)) : json(nullptr)},
                      {"digest", outcome_digest(id, room->terms.hash, room->outcome, room->price).hex()}};
    out["closed_height"] = room->closed_height;
    out["seed"] = room->seed.hex();
  }
  return out;
}

Result<json> NodeCore::get_contract(const Hash32& id) const {
  auto lock = read_lock();
  auto room = chain_->state().room(id);
  if (!room) return make_error(Errc::unknown_room, "no room " + id.hex(), "room");
  if (!room->closed) return make_error(Errc::contract_incomplete, "room " + id.hex() + " is still open", "room");
  std::vector<std::string> missing;
  if (!room->seller.outcome_sig) missing.push_back("seller " + room->terms.seller.hex());
  if (!room->buyer.outcome_sig) missing.push_back("buyer " + room->terms.buyer.hex());
  if (!missing.empty()) {
    std::string who = missing[0] + (missing.size() > 1 ? " and " + missing[1] : "");
    return make_error(Errc::contract_incomplete, "the outcome is not signed yet by " + who, "room");
  }
  // The opener's signed room_open and the producer's signed room_outcome, from the chain:
  // with them the contract verifies offline (pactum contract verify).
  auto loc = chain_->store().locate_intent(id);
  if (!loc.ok()) return loc.error();
  if (!loc->has_value()) return make_error(Errc::not_found, "the room_open of this room is not in the chain index");
  auto open_block = block_at_locked((*loc)->height);
  auto close_block = block_at_locked(room->closed_height);
  if (!open_block || !close_block) return make_error(Errc::not_found, "a block of this room is missing");
  json room_outcome;
  for (const Intent& in : close_block->intents)
    if (in.room_outcome() && in.room_outcome()->room == id) room_outcome = intent_to_json(in);
  const bool deal = outcome_is_deal(room->outcome);
  return json{{"contract", "pactum/room-contract/v1"},
              {"room", id.hex()},
              {"terms", terms_to_json(room->terms)},
              {"terms_hash", room->terms.hash.hex()},
              {"outcome", room->outcome},
              {"deal", deal},
              {"band", deal ? json(outcome_band(room->outcome)) : json(nullptr)},
              {"price", amount_to_string(room->price)},
              {"digest", outcome_digest(id, room->terms.hash, room->outcome, room->price).hex()},
              {"block", {{"height", room->closed_height}, {"hash", close_block->header.hash().hex()}}},
              {"parties", json::array({{{"role", "seller"}, {"account", room->terms.seller.hex()},
                                        {"sig", room->seller.outcome_sig->hex()}},
                                       {{"role", "buyer"}, {"account", room->terms.buyer.hex()},
                                        {"sig", room->buyer.outcome_sig->hex()}}})},
              {"producer", chain_->genesis().producer.hex()},
              {"room_open", intent_to_json(open_block->intents.at((*loc)->index))},
              {"room_outcome", room_outcome}};
}

}  // namespace pactum
