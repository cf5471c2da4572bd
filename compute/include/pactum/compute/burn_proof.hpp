// The controller's check of a burn (docs/MECHANISMS.md section 13, docs/PROTOCOL.md section
// 11, "Burn evidence"): everything is checked offline against one header the controller
// already trusts and the producer's key, so the node that served the evidence need not be
// trusted. The evidence is a burn intent, its receipt with an inclusion proof against the
// burn block's receipts_root, and the headers from the trusted one up to that block.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/receipt_proof.hpp"
#include "pactum/ledger/settlement.hpp"

namespace pactum::compute {

// What a core asks a permit for: its burn must pay `units` and name, as its request,
// compute_request_hash(core, units, request_nonce) (intents/intent.hpp).
struct BurnClaim {
  PublicKey core;
  Hash32 burn_id;  // the burn intent's id
  std::uint64_t units = 0;
  std::uint64_t request_nonce = 0;
};

// What the verifier trusts: a header (its height and hash: block 0 recomputed from the
// genesis file, or a checkpoint), the producer's key, and its price.
struct BurnTrust {
  std::uint64_t height = 0;
  Hash32 hash;
  PublicKey producer;
  std::string asset = "COMPUTE";
  Amount price_per_unit = 1;  // the asset a unit costs: a burn of at least units * price pays
};

// The evidence, as a file (`pactum verify-burn`) and as the controller builds it from a
// node: JSON {"intent": signed burn intent, "block": height, "receipt", "proof": the
// pactum_getReceiptProof members, "headers": [header, ...] from the trusted height up to
// "block", the first the trusted header itself}.
struct BurnEvidence {
  nlohmann::json intent;
  std::uint64_t block = 0;
  Receipt receipt;
  ReceiptProof proof;
  std::vector<BlockHeader> headers;
  nlohmann::json to_json() const;
  static Result<BurnEvidence> from_json(const nlohmann::json& j);  // invalid_params naming the member
};

struct VerifiedBurn {
  PublicKey payer;  // the burn's signer: any account may pay for a core (the request binds the core)
  Amount amount;    // destroyed
  std::uint64_t height = 0;
};

// Checks, in order, each refusal naming its field (docs/PROTOCOL.md section 11):
//   burn_invalid  headers[0] is not the trusted header (height, hash); headers[i] does not
//                 link to headers[i-1]; `block` is not the last header's height; the proof
//                 does not lead from the receipt to its receipts_root (a forged proof,
//                 field proof/receipt); the receipt is of another intent (receipt.intent);
//                 the intent does not hash to its id, is not a burn, or its signature does
//                 not verify (intent); the receipt is not settled (receipt.status); another
//                 asset (asset); units mismatch: the request is the hash for other units
//                 (units); the amount destroyed is below units * price (amount)
//   bad_signature headers[i] does not name the producer or lacks its signature
//   wrong_core    the request is not compute_request_hash(core, units, nonce): made for
//                 another core (or with another nonce) (request)
Result<VerifiedBurn> verify_burn(const BurnEvidence& evidence, const BurnClaim& claim, const BurnTrust& trust);

}  // namespace pactum::compute
