#include "room_keeper.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "pactum/matcher/rooms.hpp"

namespace pactum {

namespace {

Intent signed_producer_intent(nlohmann::json j, const SecretKey& producer, const std::string& chain_id,
                              std::uint64_t height, bool deterministic) {
  j["chain"] = chain_id;
  j["signer"] = producer.public_key().hex();
  j["nonce"] = 0;  // producer intents use no nonce: the room makes each one unique
  j["valid_until"] = height;
  auto in = sign_intent(j, producer, deterministic);
  if (!in) throw std::runtime_error("room intent does not sign: " + in.error().message);
  return std::move(*in);
}

}  // namespace

RoomKeeper::~RoomKeeper() {
  for (auto& [id, s] : secrets_) wipe(s);
}

void RoomKeeper::wipe(Secret& s) { OPENSSL_cleanse(s.seed.bytes.data(), s.seed.bytes.size()); }

std::vector<Intent> RoomKeeper::producer_intents(const State& state, const std::vector<Intent>& batch,
                                                 std::uint64_t height, const SecretKey& producer,
                                                 const std::string& chain_id) {
  std::vector<Intent> out;
  const bool deterministic = static_cast<bool>(source_);
  for (const Intent& in : batch) {
    if (!in.room_open() || state.room(in.id)) continue;
    auto it = secrets_.find(in.id);
    if (it == secrets_.end() && source_) {
      auto [key, seed] = source_(in.id);
      it = secrets_.emplace(in.id, Secret{std::move(key), seed}).first;
    } else if (it == secrets_.end()) {
      Secret s{SecretKey::generate(), {}};
      if (RAND_bytes(s.seed.bytes.data(), static_cast<int>(s.seed.bytes.size())) != 1)
        throw std::runtime_error("RAND_bytes failed");
      it = secrets_.emplace(in.id, std::move(s)).first;
    }
    out.push_back(signed_producer_intent({{"kind", "room_key"},
                                          {"room", in.id.hex()},
                                          {"pubkey", point_hex(compressed_public_key(it->second.key))},
                                          {"seed_commitment", sha256(Bytes(it->second.seed.bytes)).hex()}},
                                         producer, chain_id, height, deterministic));
  }
  for (const RoomRecord& room : state.open_rooms()) {
    if (room.terms.close_height > height) continue;
    std::uint8_t outcome = 0;
    std::uint64_t yes = 0;
    Hash32 seed;  // zero: not revealed (a room whose secret was lost closes with no deal)
    auto it = secrets_.find(room.id);
    if (it != secrets_.end()) {
      const auto open_side = [&](const PublicKey& party) -> std::optional<SealedPosition> {
        const RoomSide& side = room.side(party);
        if (!side.position) return std::nullopt;
        return open_sealed(it->second.key, room.id, party, *side.position);
      };
      if (room.terms.is_price()) {
        outcome = decide_room(room.terms, open_side(room.terms.seller), open_side(room.terms.buyer), it->second.seed);
      } else {
        std::vector<std::optional<SealedPosition>> positions;
        for (const PublicKey& p : room.terms.parties) positions.push_back(open_side(p));
        const GroupDecision d = decide_group_room(room.terms, positions);
        outcome = d.outcome;
        yes = d.yes;
      }
      seed = it->second.seed;
    }
    nlohmann::json j = {{"kind", "room_outcome"}, {"room", room.id.hex()}, {"outcome", outcome}, {"seed", seed.hex()}};
    if (room.terms.mechanism == RoomMechanism::threshold) j["yes"] = yes;
    out.push_back(signed_producer_intent(std::move(j), producer, chain_id, height, deterministic));
  }
  // Consent rooms whose window has passed without every signature: the expiry outcome
  // (0, zero seed) refunds the escrow and its receipt names who did not sign.
  for (const RoomRecord& room : state.all_rooms()) {
    if (room.consent != RoomConsent::awaiting || room.consent_deadline() >= height) continue;
    nlohmann::json j = {{"kind", "room_outcome"}, {"room", room.id.hex()}, {"outcome", 0}, {"seed", Hash32{}.hex()}};
    out.push_back(signed_producer_intent(std::move(j), producer, chain_id, height, deterministic));
  }
  return out;
}

}  // namespace pactum
