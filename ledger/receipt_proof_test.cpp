// Receipt inclusion proofs against receipts_root: every position of lists of every size
// up to 17 proves, and a changed receipt, position, count or sibling does not.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "pactum/ledger/receipt_proof.hpp"

namespace pactum {
namespace {

std::vector<Receipt> receipts(std::size_t n) {
  std::vector<Receipt> out;
  for (std::size_t i = 0; i < n; ++i) {
    Receipt r;
    r.intent = sha256(as_bytes("intent " + std::to_string(i)));
    r.status = ReceiptStatus::settled;
    r.sold_asset = "COMPUTE";
    r.sold = Amount(i + 1);
    r.message = "burned";
    out.push_back(r);
  }
  return out;
}

std::vector<Hash32> hashes(const std::vector<Receipt>& rs) {
  std::vector<Hash32> out;
  for (const auto& r : rs) out.push_back(r.hash());
  return out;
}

TEST(ReceiptProof, EveryPositionOfEverySizeVerifies) {
  for (std::size_t n = 1; n <= 17; ++n) {
    const auto rs = receipts(n);
    BlockHeader header;
    header.receipts_root = receipts_root(rs);
    for (std::size_t i = 0; i < n; ++i) {
      const ReceiptProof proof = prove_receipt(hashes(rs), i);
      EXPECT_TRUE(verify_receipt_proof(header, rs[i], proof).ok()) << n << " " << i;
      auto back = ReceiptProof::from_json(proof.to_json());
      ASSERT_TRUE(back.ok()) << back.error().message;
      EXPECT_TRUE(verify_receipt_proof(header, rs[i], *back).ok());
      // Another receipt of the block at this position does not verify.
      if (n > 1) {
        EXPECT_FALSE(verify_receipt_proof(header, rs[(i + 1) % n], proof).ok()) << n << " " << i;
      }
    }
  }
}

TEST(ReceiptProof, TamperedReceiptIndexCountOrSiblingFails) {
  const auto rs = receipts(11);
  BlockHeader header;
  header.receipts_root = receipts_root(rs);
  const ReceiptProof good = prove_receipt(hashes(rs), 6);
  ASSERT_TRUE(verify_receipt_proof(header, rs[6], good).ok());
  Receipt changed = rs[6];
  changed.sold = Amount(999);
  EXPECT_FALSE(verify_receipt_proof(header, changed, good).ok());
  ReceiptProof p = good;
  p.index = 7;
  EXPECT_FALSE(verify_receipt_proof(header, rs[6], p).ok());
  p = good;
  p.count = 7;  // index 6 would be the odd last one: another shape
  EXPECT_FALSE(verify_receipt_proof(header, rs[6], p).ok());
  p = good;
  p.siblings[1].bytes[0] ^= 1;
  EXPECT_FALSE(verify_receipt_proof(header, rs[6], p).ok());
  p = good;
  p.siblings.push_back(Hash32{});
  auto r = verify_receipt_proof(header, rs[6], p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more siblings"), std::string::npos);
  p = good;
  p.index = 11;
  EXPECT_FALSE(verify_receipt_proof(header, rs[6], p).ok());
  EXPECT_FALSE(ReceiptProof::from_json({{"index", 0}, {"count", 1}}).ok());
}

// Headers signed by the devnet producer on top of `base`, each the parent of the next.
std::vector<BlockHeader> signed_headers(const BlockHeader& base, int n, const SecretKey& key) {
  std::vector<BlockHeader> out;
  Hash32 parent = base.hash();
  for (int i = 0; i < n; ++i) {
    BlockHeader h;
    h.height = base.height + 1 + i;
    h.parent = parent;
    h.timestamp = 1000 + i;
    h.state_root = sha256(as_bytes("state " + std::to_string(i)));
    h.receipts_root = sha256(as_bytes("receipts " + std::to_string(i)));
    h.producer = dev_producer_key().public_key();
    h.sig = key.sign_deterministic(h.hash());
    parent = h.hash();
    out.push_back(h);
  }
  return out;
}

TEST(HeaderChain, SignedLinkedHeadersExtendTheTrustedOne) {
  BlockHeader trusted;
  trusted.height = 4;
  trusted.producer = dev_producer_key().public_key();
  const PublicKey producer = dev_producer_key().public_key();
  auto headers = signed_headers(trusted, 3, dev_producer_key());
  EXPECT_TRUE(verify_header_chain(trusted, headers, producer).ok());
  EXPECT_TRUE(verify_header_chain(trusted, {}, producer).ok());

  auto broken = headers;
  broken[1].parent.bytes[0] ^= 1;
  auto r = verify_header_chain(trusted, broken, producer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "headers[1]");

  auto forged = signed_headers(trusted, 3, dev_secret_key(0));  // not the producer's key
  r = verify_header_chain(trusted, forged, producer);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("signature"), std::string::npos) << r.error().message;

  auto edited = headers;
  edited[2].receipts_root = Hash32{};  // the signature was over the old hash
  EXPECT_FALSE(verify_header_chain(trusted, edited, producer).ok());

  auto gap = headers;
  gap.erase(gap.begin() + 1);
  EXPECT_FALSE(verify_header_chain(trusted, gap, producer).ok());
  EXPECT_FALSE(verify_header_chain(trusted, headers, dev_secret_key(0).public_key()).ok());
}

// The vectors of docs/PROTOCOL.md ("json receipt-proof-vector") verify, and their roots
// are the list roots of their receipt hashes.
TEST(ReceiptProof, ProtocolVectorsVerify) {
  std::ifstream in(std::string(PACTUM_SOURCE_DIR) + "/docs/PROTOCOL.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const std::string open = "```json receipt-proof-vector\n";
  int seen = 0;
  for (std::size_t pos = doc.find(open); pos != std::string::npos; pos = doc.find(open, pos)) {
    pos += open.size();
    const std::size_t end = doc.find("```", pos);
    const nlohmann::json v = nlohmann::json::parse(doc.substr(pos, end - pos));
    pos = end;
    ++seen;
    auto receipt = Receipt::from_json(v["receipt"]);
    auto proof = ReceiptProof::from_json(v["proof"]);
    ASSERT_TRUE(receipt.ok() && proof.ok()) << v.dump();
    std::vector<Hash32> hashes;
    for (const auto& h : v["receipt_hashes"]) hashes.push_back(*Hash32::from_hex(h.get<std::string>()));
    BlockHeader header;
    header.receipts_root = *Hash32::from_hex(v["receipts_root"].get<std::string>());
    EXPECT_EQ(list_root(hashes), header.receipts_root);
    EXPECT_EQ(receipt->hash(), hashes.at(proof->index));
    EXPECT_TRUE(verify_receipt_proof(header, *receipt, *proof).ok()) << v["name"];
    EXPECT_EQ(prove_receipt(hashes, proof->index).to_json(), v["proof"]);
  }
  EXPECT_GE(seen, 2);
}

}  // namespace
}  // namespace pactum
