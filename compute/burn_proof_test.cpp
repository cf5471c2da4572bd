// The controller's offline check of a burn: a chain of three headers (0 trusted, 1, 2
// holding the burn among five receipts) built here and signed by the devnet producer; every
// refusal the issue names (forged proof, header not signed by the producer, another core,
// units mismatch, not settled) gets its code and field.
#include <gtest/gtest.h>

#include "pactum/compute/burn_proof.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::compute {
namespace {

const PublicKey kCore = dev_secret_key(7).public_key();

nlohmann::json signed_burn(const std::string& amount, const Hash32& request, std::uint32_t signer = 3) {
  const nlohmann::json j = {
      {"kind", "burn"},   {"chain", "pactum-devnet"}, {"signer", dev_secret_key(signer).public_key().hex()},
      {"nonce", 4},       {"valid_until", 1000},      {"asset", "COMPUTE"},
      {"amount", amount}, {"request", request.hex()}};
  return intent_to_json(*sign_intent(j, dev_secret_key(signer), true));
}

BlockHeader signed_header(const BlockHeader& parent, const Hash32& receipts_root, const SecretKey& producer) {
  BlockHeader h;
  h.height = parent.height + 1;
  h.parent = parent.hash();
  h.timestamp = 1000 + h.height;
  h.state_root = sha256(as_bytes("state " + std::to_string(h.height)));
  h.intents_root = sha256(as_bytes("intents " + std::to_string(h.height)));
  h.receipts_root = receipts_root;
  h.producer = producer.public_key();
  h.sig = producer.sign_deterministic(h.hash());
  return h;
}

// The evidence of a burn of 250 COMPUTE for (kCore, 250 units, nonce 1), receipt 3 of 5 in
// block 2; `receipt_of` may change the receipt before the block is made (a rejected burn).
struct Fixture {
  BurnEvidence evidence;
  BurnTrust trust;
  BurnClaim claim;
  explicit Fixture(ReceiptStatus status = ReceiptStatus::settled, const SecretKey& producer = dev_producer_key(),
                   std::uint32_t signer = 3) {
    evidence.intent = signed_burn("250", compute_request_hash(kCore, 250, 1), signer);
    Receipt& r = evidence.receipt;
    r.intent = *intent_digest([&] {
      nlohmann::json u = evidence.intent;
      u.erase("sig");
      return u;
    }());
    r.status = status;
    r.sold_asset = "COMPUTE";
    r.sold = status == ReceiptStatus::settled ? Amount(250) : Amount(0);
    r.reason = status == ReceiptStatus::settled ? "" : "insufficient_balance";
    std::vector<Hash32> hashes;
    for (int i = 0; i < 5; ++i) hashes.push_back(sha256(as_bytes("other receipt " + std::to_string(i))));
    hashes[3] = r.hash();
    evidence.proof = prove_receipt(hashes, 3);
    const Hash32 root = *receipt_proof_root(r.hash(), evidence.proof);
    BlockHeader genesis;
    genesis.state_root = sha256(as_bytes("genesis"));
    genesis.producer = dev_producer_key().public_key();
    const BlockHeader one = signed_header(genesis, sha256(as_bytes("block 1 receipts")), dev_producer_key());
    evidence.headers = {genesis, one, signed_header(one, root, producer)};
    evidence.block = 2;
    trust = BurnTrust{0, genesis.hash(), dev_producer_key().public_key()};
    claim = BurnClaim{kCore, r.intent, 250, 1};
  }
  std::string refusal() const {
    auto r = verify_burn(evidence, claim, trust);
    if (r) return "accepted";
    return std::string(errc_name(r.error().code)) + " " + r.error().field;
  }
};

TEST(BurnProof, AcceptsASettledBurnForTheCoreAndItsUnits) {
  Fixture f;
  auto v = verify_burn(f.evidence, f.claim, f.trust);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->amount, Amount(250));
  EXPECT_EQ(v->height, 2u);
  EXPECT_EQ(v->payer, dev_secret_key(3).public_key());  // a sponsor may pay: the request binds the core
  // The evidence survives its JSON form (the file `pactum verify-burn` reads).
  auto back = BurnEvidence::from_json(nlohmann::json::parse(f.evidence.to_json().dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(verify_burn(*back, f.claim, f.trust).ok());
  // A burn that pays more than the units cost is accepted too.
  f.trust.price_per_unit = 1;
  f.claim.units = 250;
  EXPECT_EQ(f.refusal(), "accepted");
}

// docs/PROTOCOL.md section 3's burn vector (dev account 0 burns 250 COMPUTE for core dev 7,
// 250 units, request nonce 1) and section 11's verify-burn example.
TEST(BurnProof, ProtocolBurnVector) {
  Fixture f(ReceiptStatus::settled, dev_producer_key(), 0);
  EXPECT_EQ(f.claim.burn_id.hex(), "fb2b7fbe5ad37d2fad251eb243e2509414c192cde55e4ffe69fa67d6bf56acf6");
  EXPECT_EQ(f.evidence.intent["request"], "32196bd278bc91ec59140c9e735e4057cb63fb9edc666aaed1c4379f5786bd0a");
  EXPECT_EQ(f.refusal(), "accepted");
  f.claim.units = 100;
  EXPECT_EQ(f.refusal(), "burn_invalid units");
}

TEST(BurnProof, RefusesAForgedProof) {
  Fixture f;
  f.evidence.receipt.sold = Amount(2500);  // the node inflates the burn
  EXPECT_EQ(f.refusal(), "burn_invalid proof");
  Fixture g;
  g.evidence.proof.siblings[0] = sha256(as_bytes("forged"));
  EXPECT_EQ(g.refusal(), "burn_invalid proof");
  Fixture h;
  h.evidence.intent["amount"] = "2500";  // another body under the receipt's id
  EXPECT_EQ(h.refusal(), "burn_invalid intent");
}

TEST(BurnProof, RefusesAHeaderTheProducerDidNotSign) {
  Fixture f(ReceiptStatus::settled, dev_secret_key(5));
  EXPECT_EQ(f.refusal(), "bad_signature headers[2]");
  Fixture g;
  g.evidence.headers[1].sig = g.evidence.headers[2].sig;
  EXPECT_EQ(g.refusal(), "bad_signature headers[1]");
  Fixture h;
  h.trust.hash = sha256(as_bytes("another genesis"));
  EXPECT_EQ(h.refusal(), "burn_invalid headers[0]");
  Fixture k;
  k.evidence.headers.erase(k.evidence.headers.begin() + 1);  // a gap: block 2 does not link to block 0
  EXPECT_EQ(k.refusal(), "burn_invalid headers[1]");
}

TEST(BurnProof, RefusesABurnForAnotherCoreOrOtherUnits) {
  Fixture f;
  f.claim.core = dev_secret_key(8).public_key();
  EXPECT_EQ(f.refusal(), "wrong_core request");
  Fixture g;
  g.claim.request_nonce = 2;
  EXPECT_EQ(g.refusal(), "wrong_core request");
  Fixture h;
  h.claim.units = 100;  // the burn's request is for 250 units
  EXPECT_EQ(h.refusal(), "burn_invalid units");
  Fixture k;
  k.trust.price_per_unit = 2;  // 250 units cost 500: 250 burned does not pay
  EXPECT_EQ(k.refusal(), "burn_invalid amount");
  Fixture m;
  m.trust.asset = "GPU";
  EXPECT_EQ(m.refusal(), "burn_invalid asset");
}

TEST(BurnProof, RefusesABurnNotSettledOrAnotherIntent) {
  Fixture f(ReceiptStatus::rejected);
  EXPECT_EQ(f.refusal(), "burn_invalid receipt.status");
  Fixture g;
  g.claim.burn_id = sha256(as_bytes("another burn"));
  EXPECT_EQ(g.refusal(), "burn_invalid receipt.intent");
  Fixture h;
  h.evidence.block = 1;
  EXPECT_EQ(h.refusal(), "burn_invalid block");
  Fixture k;
  k.evidence.headers.clear();
  EXPECT_EQ(k.refusal(), "burn_invalid headers");
}

}  // namespace
}  // namespace pactum::compute
