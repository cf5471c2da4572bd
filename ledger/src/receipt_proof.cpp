// Receipt inclusion proofs against receipts_root (receipt_proof.hpp).
#include "pactum/ledger/receipt_proof.hpp"

#include "pactum/intents/field_reader.hpp"

namespace pactum {

namespace {

constexpr FieldReader kReader(Errc::invalid_params);

Hash32 pair_hash(const Hash32& left, const Hash32& right) {
  static const TaggedHasher list_hasher("pactum/list/v1");
  return list_hasher(Bytes(left.bytes), Bytes(right.bytes));
}

Error bad_proof(const std::string& what) { return make_error(Errc::invalid_params, "proof: " + what, "proof"); }

}  // namespace

nlohmann::json ReceiptProof::to_json() const {
  nlohmann::json s = nlohmann::json::array();
  for (const Hash32& h : siblings) s.push_back(h.hex());
  return {{"index", index}, {"count", count}, {"siblings", std::move(s)}};
}

Result<ReceiptProof> ReceiptProof::from_json(const nlohmann::json& j) {
  PACTUM_TRY(kReader.object_with(j, "proof", {"index", "count", "siblings"}));
  ReceiptProof p;
  PACTUM_ASSIGN(index, kReader.uint(j, "proof", "index", kMaxSafeInteger));
  PACTUM_ASSIGN(count, kReader.uint(j, "proof", "count", kMaxSafeInteger));
  p.index = index;
  p.count = count;
  PACTUM_ASSIGN(siblings, kReader.member(j, "proof", "siblings"));
  if (!siblings->is_array()) return kReader.fail("proof.siblings", "must be an array of hashes");
  if (siblings->size() > 64) return kReader.fail("proof.siblings", "at most 64 hashes");
  for (std::size_t i = 0; i < siblings->size(); ++i) {
    PACTUM_ASSIGN(h, kReader.hash_value((*siblings)[i], "proof.siblings[" + std::to_string(i) + "]"));
    p.siblings.push_back(h);
  }
  return p;
}

ReceiptProof prove_receipt(const std::vector<Hash32>& receipt_hashes, std::uint64_t index) {
  ReceiptProof proof;
  proof.index = index;
  proof.count = receipt_hashes.size();
  std::vector<Hash32> level = receipt_hashes;
  std::uint64_t i = index;
  while (level.size() > 1) {
    if (i % 2 == 1)
      proof.siblings.push_back(level[i - 1]);
    else if (i + 1 < level.size())
      proof.siblings.push_back(level[i + 1]);
    std::vector<Hash32> up;
    up.reserve((level.size() + 1) / 2);
    for (std::size_t k = 0; k + 1 < level.size(); k += 2) up.push_back(pair_hash(level[k], level[k + 1]));
    if (level.size() % 2 == 1) up.push_back(level.back());
    level = std::move(up);
    i /= 2;
  }
  return proof;
}

Result<Hash32> receipt_proof_root(const Hash32& receipt_hash, const ReceiptProof& proof) {
  if (proof.index >= proof.count) return bad_proof("index must be below count");
  Hash32 h = receipt_hash;
  std::uint64_t i = proof.index, n = proof.count;
  std::size_t used = 0;
  while (n > 1) {
    const bool has_sibling = i % 2 == 1 || i + 1 < n;
    if (has_sibling) {
      if (used == proof.siblings.size()) return bad_proof("too few siblings for index and count");
      const Hash32& s = proof.siblings[used++];
      h = i % 2 == 1 ? pair_hash(s, h) : pair_hash(h, s);
    }
    i /= 2;
    n = (n + 1) / 2;
  }
  if (used != proof.siblings.size()) return bad_proof("more siblings than index and count use");
  return h;
}

Result<void> verify_receipt_proof(const BlockHeader& header, const Receipt& receipt, const ReceiptProof& proof) {
  PACTUM_ASSIGN(root, receipt_proof_root(receipt.hash(), proof));
  if (root != header.receipts_root)
    return make_error(Errc::invalid_params,
                      "receipt: the proof leads to " + root.hex() + ", not to the header's receipts_root " +
                          header.receipts_root.hex(),
                      "receipt");
  return {};
}

Result<void> verify_header_chain(const BlockHeader& trusted, std::span<const BlockHeader> headers,
                                 const PublicKey& producer) {
  Hash32 parent = trusted.hash();
  std::uint64_t height = trusted.height;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const BlockHeader& h = headers[i];
    const std::string at = "headers[" + std::to_string(i) + "]";
    auto fail = [&](const std::string& what) { return make_error(Errc::invalid_params, at + ": " + what, at); };
    if (h.height != height + 1)
      return fail("height " + std::to_string(h.height) + " does not follow " + std::to_string(height));
    if (h.parent != parent) return fail("parent " + h.parent.hex() + " is not the hash " + parent.hex());
    if (h.producer != producer) return fail("producer " + h.producer.hex() + " is not " + producer.hex());
    const Hash32 hash = h.hash();
    if (!verify(producer, hash, h.sig)) return fail("the producer's signature does not verify over " + hash.hex());
    parent = hash;
    height = h.height;
  }
  return {};
}

}  // namespace pactum
