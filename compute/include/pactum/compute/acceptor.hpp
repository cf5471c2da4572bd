// The compute core's key acceptor (docs/MECHANISMS.md section 13): the one place that
// turns keys into units. It holds one verified permit, the number of keys accepted and
// the last key accepted (initially the anchor). A key w is accepted iff H^k(w) is the last
// accepted value for some 1 <= k <= the keys left; it then counts as k keys and unlocks
// units_after(accepted + k) - units_after(accepted). The new count is written to the state
// file (temp + fsync + rename + fsync dir) BEFORE accept() returns the units, so a crash
// and restart never accepts a key twice: a core may lose units it was granted but not yet
// used, never gain some.
#pragma once
#include <cstdint>
#include <string>

#include "pactum/compute/permit.hpp"

namespace pactum::compute {

struct Acceptance {
  std::uint64_t keys = 0;   // k: how many keys this one stands for (it skipped k-1)
  std::uint64_t units = 0;  // units newly unlocked
  std::uint64_t accepted_total = 0;
  std::uint64_t units_total = 0;
};

class KeyAcceptor {
 public:
  // Verifies the permit (verify_permit: controller, signature, core, expiry at `height`),
  // then loads `state_path` if it exists: it must hold this permit's state (invalid_params
  // naming the file otherwise; storage if it cannot be read or parsed). A missing file is
  // a fresh start (nothing accepted); it is written on the first accepted key.
  static Result<KeyAcceptor> open(const Permit& permit, const PublicKey& trusted_controller, const PublicKey& core,
                                  std::uint64_t height, std::string state_path);

  // Refusals, each leaving the state unchanged:
  //   key_invalid   `permit_digest` is not this permit's (field permit_id), or the key is
  //                 not on this permit's chain within the keys left (field key);
  //   key_replayed  the key is the last one accepted or an older one (field key);
  //   expired       `height` is above the permit's expiry_height;
  //   storage       the state file could not be written (the key is not accepted).
  // A refused foreign key costs up to L hashes.
  Result<Acceptance> accept(const Hash32& permit_digest, const Hash32& key, std::uint64_t height);

  const Permit& permit() const { return permit_; }
  const Hash32& permit_digest() const { return digest_; }
  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t keys_left() const { return permit_.length - accepted_; }
  std::uint64_t units_unlocked() const { return permit_.units_after(accepted_); }

 private:
  KeyAcceptor(Permit permit, std::string state_path);
  Result<void> persist(std::uint64_t accepted, const Hash32& last) const;
  Permit permit_;
  Hash32 digest_;
  std::string state_path_;
  std::uint64_t accepted_ = 0;
  Hash32 last_;  // the last key accepted, or the anchor
};

}  // namespace pactum::compute
