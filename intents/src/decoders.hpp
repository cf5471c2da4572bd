// Decoders of the kinds that live in their own files (internal to intents/).
#pragma once
#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"

namespace pactum::fields {

// The "action" and "condition" of a commit intent; computes the program hash.
Result<Commit> decode_commit(const nlohmann::json& j, const PublicKey& signer);
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
