// Decoders of the kinds that live in their own files (internal to intents/).
#pragma once
#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"

namespace pactum::fields {

// The "action" and "condition" of a commit intent; computes the program hash.
Result<Commit> decode_commit(const nlohmann::json& j, const PublicKey& signer);
// The program hash of a decoded commitment over its normal form (program_hash.cpp); puts
// the conditions of every all/any in normal-form order first.
Hash32 program_hash(Commit& c, const PublicKey& signer);
// The account the tree's mirror conditions name with `with` ("peer" in the program), if any.
std::optional<PublicKey> mirror_peer(const Condition& c);

// The "steps", "checks" and "cosigs" of a bundle; lists the movers and refuses a bundle
// that moves funds of an account with no signature (Errc::missing_signature) when
// `require_cosigs` (unsigned bundles being prepared for signing skip that check).
Result<Bundle> decode_bundle(const nlohmann::json& j, const PublicKey& signer, bool require_cosigs);

// The room kinds (room.hpp). A room_open's signer must be a party of its terms.
Result<RoomOpen> decode_room_open(const nlohmann::json& j, const PublicKey& signer);
Result<RoomPosition> decode_room_position(const nlohmann::json& j);
Result<RoomSign> decode_room_sign(const nlohmann::json& j);
Result<RoomKey> decode_room_key(const nlohmann::json& j);
Result<RoomOutcome> decode_room_outcome(const nlohmann::json& j);

}  // namespace pactum::fields
