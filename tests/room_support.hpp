// Sealing a room position and signing a room's outcome over HTTP, as a party does
// (docs/PROTOCOL.md, "Rooms"): shared by tests/room_test.cpp and tests/room_consent_test.cpp.
#pragma once
#include <string>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {

// `party`'s signed room_position for `room`: its reservation sealed to the room's key.
inline json sealed_position(client::RpcClient& rpc, std::uint32_t party, const std::string& room,
                            const std::string& reservation, bool accept = true) {
  const json info = rpc.call("pactum_getRoom", json::array({room}));
  const Point33 pub = point_from_hex(info["pubkey"].get<std::string>(), "pubkey").value();
  const Hash32 id = Hash32::from_hex(room).value();
  const RoomPosition p =
      seal_position(pub, id, dev_account(party), SealedPosition{accept, Amount(reservation), std::nullopt, {}}).value();
  return sign_with_dev(party, {{"kind", "room_position"},
                               {"room", room},
                               {"eph", point_hex(p.eph)},
                               {"iv", to_hex(Bytes(p.iv))},
                               {"ct", to_hex(Bytes(p.ct))}});
}

// `party`'s signed room_sign over the room's outcome digest.
inline json outcome_signature(client::RpcClient& rpc, std::uint32_t party, const std::string& room) {
  const json info = rpc.call("pactum_getRoom", json::array({room}));
  const Hash32 digest = Hash32::from_hex(info["outcome"]["digest"].get<std::string>()).value();
  return sign_with_dev(
      party, {{"kind", "room_sign"}, {"room", room}, {"outcome_sig", dev_secret_key(party).sign(digest).hex()}});
}

}  // namespace pactum::testing
