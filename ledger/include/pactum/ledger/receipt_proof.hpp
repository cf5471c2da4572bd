// Inclusion proofs of a receipt against a block header's receipts_root (docs/PROTOCOL.md,
// "Receipt proofs"): what lets someone who trusts a header, and nothing else, check that
// an intent (a burn, say) settled in that block.
//
// receipts_root is list_root over the receipt hashes (block.hpp): neighbours are paired
// level by level with tagged_hash("pactum/list/v1", left || right), an odd last element
// moves up unchanged. A proof is the receipt's position `index`, the number of receipts
// `count`, and the siblings met on the way up (bottom first; a level where the element
// moves up alone contributes none).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/ledger/block.hpp"

namespace pactum {

struct ReceiptProof {
  std::uint64_t index = 0;
  std::uint64_t count = 0;
  std::vector<Hash32> siblings;    // bottom-up
  nlohmann::json to_json() const;  // {"index", "count", "siblings": [hex, ...]}
  static Result<ReceiptProof> from_json(const nlohmann::json& j);
};

// The proof of the receipt at `index` among these receipt hashes (index < hashes.size()).
ReceiptProof prove_receipt(const std::vector<Hash32>& receipt_hashes, std::uint64_t index);
// The root a proof and a receipt hash lead to; an error when the proof's shape is wrong
// (index not below count, too few or too many siblings).
Result<Hash32> receipt_proof_root(const Hash32& receipt_hash, const ReceiptProof& proof);
// Checks that `receipt` is the receipt at proof.index of the block whose header is
// `header`: the proof leads from the receipt's hash to header.receipts_root. It does not
// check the header itself (its hash, its producer signature, its place in a chain).
Result<void> verify_receipt_proof(const BlockHeader& header, const Receipt& receipt, const ReceiptProof& proof);

// Checks that `headers` extend `trusted` one block at a time: headers[0].parent is the hash
// of `trusted`, each next one's parent the hash of the one before, heights consecutive, and
// every header names `producer` and carries its valid BIP-340 signature over its hash. On
// success the last header is as trustworthy as `trusted` (docs/PROTOCOL.md, "Receipt
// proofs"). The error names the first header at fault.
Result<void> verify_header_chain(const BlockHeader& trusted, std::span<const BlockHeader> headers,
                                 const PublicKey& producer);

}  // namespace pactum
