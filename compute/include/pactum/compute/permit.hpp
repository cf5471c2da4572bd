// A compute permit: the controller's signed promise that keys of one hash chain unlock
// `units` of compute on one core, paid by one burn (docs/MECHANISMS.md section 13).
//
// Signed bytes (fixed binary layout, integers big-endian, 185 bytes):
//   version u8 (= 1) || controller 32 || core 32 || burn_id 32 || permit_id 32 ||
//   units u64 || expiry_height u64 || length u64 || anchor 32
// The controller signs digest = tagged_hash("pactum/compute-permit", those bytes) with
// BIP-340. The permit's id for the core is that digest (`Permit::digest()`).
// JSON form (what the controller serves): {"version":1,"controller":hex,"core":hex,
// "burn_id":hex,"permit_id":hex,"units":int,"expiry_height":int,"length":int,
// "anchor":hex,"sig":hex}; integers are JSON numbers up to 2^64-1.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "pactum/intents/crypto.hpp"
#include "pactum/intents/result.hpp"

namespace pactum::compute {

constexpr std::uint8_t kPermitVersion = 1;
constexpr std::size_t kPermitSignedSize = 185;

struct Permit {
  PublicKey controller;  // who signed it
  PublicKey core;        // the only core that may use its keys
  Hash32 burn_id;        // the burn that paid for it (opaque here; issuer.hpp checks it)
  Hash32 permit_id;      // the controller's nonce: two permits never share one
  std::uint64_t units = 0;
  std::uint64_t expiry_height = 0;  // usable while the chain's height is <= this
  std::uint64_t length = 0;         // L: keys in the chain, 1 <= L <= units, L <= 2^32
  Hash32 anchor;                    // w_L
  Signature sig;

  std::string signed_bytes() const;  // the 185 bytes above
  Hash32 digest() const;             // what `sig` signs
  // Units unlocked once `accepted` keys are accepted: floor(units * accepted / L), so each
  // key unlocks units/L rounded down, and all L keys unlock exactly `units`.
  std::uint64_t units_after(std::uint64_t accepted) const;

  nlohmann::json to_json() const;
  // Strict: every member present with its type and form (invalid_params naming it).
  static Result<Permit> from_json(const nlohmann::json& j);
};

// Fills controller and sig (deterministic BIP-340: aux = 0).
Permit sign_permit(Permit unsigned_permit, const SecretKey& controller);

// What a core checks before it accepts any key of a permit, in this order:
//   invalid_params  version, units, length out of range (field names the member);
//   bad_signature   the controller is not `trusted_controller` (field "controller"), or
//                   the signature does not verify (field "sig");
//   wrong_core      the permit names another core (field "core");
//   expired         `height` is above expiry_height (field "expiry_height").
Result<void> verify_permit(const Permit& permit, const PublicKey& trusted_controller, const PublicKey& core,
                           std::uint64_t height);
// The checks of a permit alone (form and signature), without core or height.
Result<void> check_permit_form(const Permit& permit);

}  // namespace pactum::compute
