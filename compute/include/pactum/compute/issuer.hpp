// The hardware controller's side (docs/MECHANISMS.md section 13): checks the burn, signs a
// permit over a fresh hash chain, releases its keys by a policy, and keeps a ledger of
// every permit it issued, so that one burn never buys two permits.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pactum/compute/burn_proof.hpp"
#include "pactum/compute/hash_chain.hpp"
#include "pactum/compute/permit.hpp"

namespace pactum::compute {

// Checks that the claim's burn is a settled burn paying for its units on its core. The
// controller issues nothing unless it returns success. `pactum compute controller` fetches
// the evidence from a node and checks it with verify_burn (burn_proof.hpp).
using BurnCheck = std::function<Result<void>(const BurnClaim& claim)>;

class Issuer {
 public:
  // Loads the ledger at `ledger_path` (JSON lines, one signed permit each; created on the
  // first issue; a torn last line from a crash is ignored). storage if it cannot be read,
  // or a complete line does not parse.
  static Result<Issuer> open(SecretKey controller, std::string ledger_path, BurnCheck burn_check);

  // Refusals, issuing nothing: duplicate (a permit for this burn_id exists, field
  // burn_id); invalid_params (length 0 or above 2^32, units below length); the burn
  // check's error; storage (the ledger line could not be written: the permit is not given
  // out). The ledger line is durable before the permit is returned.
  // `request_nonce` is the core's nonce in the burn's request hash (burn_proof.hpp,
  // BurnClaim); the burn check needs it, the permit does not carry it.
  Result<Permit> issue(const PublicKey& core, const Hash32& burn_id, std::uint64_t units, std::uint64_t expiry_height,
                       std::uint64_t length, std::uint64_t request_nonce = 0);

  // The chain of an issued permit, rebuilt from the controller's key: the seed is
  // tagged_hash("pactum/compute-seed", controller secret || permit_id), so a restarted
  // controller can still release the keys it owes. not_found for an unknown burn id.
  Result<ChainTraverser> chain_for(const Hash32& burn_id) const;
  const std::vector<Permit>& issued() const { return issued_; }
  const PublicKey& controller() const { return public_key_; }

 private:
  Issuer(SecretKey controller, std::string ledger_path, BurnCheck burn_check);
  Hash32 seed_for(const Hash32& permit_id) const;
  SecretKey controller_;
  PublicKey public_key_;
  std::string ledger_path_;
  BurnCheck burn_check_;
  std::vector<Permit> issued_;
};

// Releases a chain's keys by policy. keys_per_second = 0 releases all at once; otherwise
// floor(elapsed_ms * keys_per_second / 1000) keys are due after elapsed_ms (the caller's
// clock: the library reads none).
class KeyRelease {
 public:
  KeyRelease(ChainTraverser chain, std::uint64_t keys_per_second);
  // The keys that became due since the last call, oldest first (w_{L-1} first).
  std::vector<Hash32> due(std::uint64_t elapsed_ms);
  // Releases what is due (at most `cap` keys in all) and returns only the newest key, or
  // nothing if none became due: one key stands for all the keys before it, so a server
  // keeps no list.
  std::optional<Hash32> newest_due(std::uint64_t elapsed_ms, std::uint64_t cap = UINT64_MAX);
  bool done() const { return chain_.released() == chain_.length(); }
  const ChainTraverser& chain() const { return chain_; }

 private:
  std::uint64_t due_count(std::uint64_t elapsed_ms) const;
  ChainTraverser chain_;
  std::uint64_t keys_per_second_;
};

}  // namespace pactum::compute
