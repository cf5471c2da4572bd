// Burning COMPUTE over HTTP on the real node: the balance and pactum_getSupply fall by
// exactly the burned amount, pactum_getBurns lists the burn, refused burns spend
// nothing, and `pactum replay` of the data directory recomputes the same roots.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/ledger/receipt_proof.hpp"

namespace pactum::testing {
namespace {

json unsigned_burn(const std::string& asset, const std::string& amount, const Hash32& request) {
  return json{{"kind", "burn"}, {"asset", asset}, {"amount", amount}, {"request", request.hex()}};
}

std::string supply(client::RpcClient& rpc, const std::string& asset) {
  return rpc.call("pactum_getSupply", json::array({asset}))["supply"].get<std::string>();
}

// Block `height`'s header as the node serves it (pactum_getBlock), its members only.
BlockHeader served_header(client::RpcClient& rpc, std::uint64_t height) {
  const json block = header_of(rpc.call("pactum_getBlock", json::array({height})));
  json h;
  for (const char* k :
       {"height", "parent", "timestamp", "state_root", "intents_root", "receipts_root", "producer", "hash", "sig"})
    h[k] = block.at(k);
  auto header = BlockHeader::from_json(h);
  if (!header) throw std::runtime_error("header " + std::to_string(height) + ": " + header.error().message);
  return *header;
}

// The burn's receipt proves against the block header's receipts_root, offline; the header
// is the one the node serves for that block, signed by the producer.
void check_receipt_proof(client::RpcClient& rpc, std::uint64_t at, const json& id) {
  const json rp = rpc.call("pactum_getReceiptProof", json{{"block", at}, {"intent", id}});
  auto header = BlockHeader::from_json(rp["header"]);
  auto receipt = Receipt::from_json(rp["receipt"]);
  auto proof = ReceiptProof::from_json(rp["proof"]);
  ASSERT_TRUE(header.ok() && receipt.ok() && proof.ok()) << rp.dump();
  EXPECT_TRUE(verify_receipt_proof(*header, *receipt, *proof).ok());
  EXPECT_EQ(header->hash().hex(), header_of(rpc.call("pactum_getBlock", json::array({at})))["hash"]);
  EXPECT_TRUE(verify(header->producer, header->hash(), header->sig));
  EXPECT_EQ(receipt->intent.hex(), id);
  // From block 0 (which a verifier recomputes from the genesis file) to the burn's block,
  // every header links to its parent and carries the producer's signature.
  const BlockHeader trusted = served_header(rpc, 0);
  std::vector<BlockHeader> chain;
  for (std::uint64_t h = 1; h <= at; ++h) chain.push_back(served_header(rpc, h));
  EXPECT_TRUE(verify_header_chain(trusted, chain, header->producer).ok());
  EXPECT_EQ(chain.back().hash(), header->hash());
  EXPECT_EQ(receipt->sold, Amount(250));
  Receipt forged = *receipt;
  forged.sold = Amount(2500);
  EXPECT_FALSE(verify_receipt_proof(*header, forged, *proof).ok());
  try {
    rpc.call("pactum_getReceiptProof", json{{"block", at}, {"intent", std::string(64, 'a')}});
    ADD_FAILURE() << "no receipt of an unknown intent";
  } catch (const client::RpcError& e) {
    EXPECT_EQ(e.reason, "not_found");
  }
}

// Refusals at admission (dev account 3 holds 999999750 COMPUTE): nothing is reserved,
// spent or burned.
void check_refusals_spend_nothing(client::RpcClient& rpc, const Hash32& request) {
  EXPECT_EQ(refusal(rpc, sign_with_dev(3, unsigned_burn("COMPUTE", "999999751", request))),
            "-32006 insufficient_balance amount");
  EXPECT_EQ(refusal(rpc, sign_with_dev(3, unsigned_burn("USDC", "1", request))), "-32024 not_burnable asset");
  EXPECT_EQ(refusal(rpc, sign_with_dev(3, unsigned_burn("NOPE", "1", request))), "-32005 unknown_asset asset");
  // A zero amount cannot even be signed: its form is refused before the signature.
  json zero = sign_with_dev(3, unsigned_burn("COMPUTE", "1", request));
  zero["amount"] = "0";
  EXPECT_EQ(refusal(rpc, zero), "-32602 invalid_params amount");
  EXPECT_EQ(balance(rpc, dev_account(3), "COMPUTE"), "999999750");
  EXPECT_EQ(balance(rpc, dev_account(3), "USDC"), "1000000000000");
  EXPECT_EQ(supply(rpc, "COMPUTE"), "19999999750");
  EXPECT_EQ(supply(rpc, "USDC"), rpc.call("pactum_getSupply", json::array({"USDC"}))["genesis_supply"]);
  EXPECT_EQ(rpc.call("pactum_getSupply", json::array({"USDC"}))["burnable"], false);
}

TEST(BurnFlow, BurnOverHttpLowersBalanceAndSupplyAndReplays) {
  TestNode t;
  const PublicKey core = dev_account(7);
  const Hash32 request = compute_request_hash(core, 250, 1);
  const std::string before = balance(t.rpc(), dev_account(3), "COMPUTE");
  ASSERT_EQ(before, "1000000000");
  const json s0 = t.rpc().call("pactum_getSupply", json::array({"COMPUTE"}));
  ASSERT_EQ(s0["supply"], "20000000000") << s0.dump();
  EXPECT_EQ(s0["burnable"], true);
  EXPECT_EQ(s0["proof"]["present"], true);

  const json burn = sign_with_dev(3, unsigned_burn("COMPUTE", "250", request));
  const json done = wait_final(t.rpc(), submit(t.rpc(), burn));
  ASSERT_EQ(done["status"], "settled") << done.dump();
  EXPECT_EQ(done["receipt"]["sold"], "250");
  EXPECT_EQ(done["receipt"]["sold_asset"], "COMPUTE");
  const std::uint64_t at = done["block"].get<std::uint64_t>();

  EXPECT_EQ(balance(t.rpc(), dev_account(3), "COMPUTE"), "999999750");
  const json s1 = t.rpc().call("pactum_getSupply", json::array({"COMPUTE"}));
  EXPECT_EQ(s1["supply"], "19999999750");
  EXPECT_EQ(s1["burned"], "250");
  EXPECT_EQ(s1["genesis_supply"], "20000000000");

  const json burns = t.rpc().call("pactum_getBurns", json{{"account", dev_account(3).hex()}, {"asset", "COMPUTE"}});
  ASSERT_EQ(burns["burns"].size(), 1u) << burns.dump();
  const json& b = burns["burns"][0];
  EXPECT_EQ(b["height"], at);
  EXPECT_EQ(b["intent"], done["id"]);
  EXPECT_EQ(b["amount"], "250");
  EXPECT_EQ(b["request"], request.hex());
  EXPECT_EQ(b["account"], dev_account(3).hex());
  EXPECT_EQ(t.rpc().call("pactum_getBurns", json{{"account", dev_account(4).hex()}})["burns"].size(), 0u);
  EXPECT_EQ(t.rpc().call("pactum_getBurns", json{{"from", at + 1}})["burns"].size(), 0u);
  EXPECT_EQ(t.rpc().call("pactum_getBurns", json{{"from", at}, {"to", at}})["total"], 1);

  check_receipt_proof(t.rpc(), at, done["id"]);
  check_refusals_spend_nothing(t.rpc(), request);

  // A second burn, then replay recomputes every root from genesis.
  const json again = wait_final(
      t.rpc(),
      submit(t.rpc(), sign_with_dev(5, unsigned_burn("COMPUTE", "1000", compute_request_hash(core, 1000, 2)))));
  ASSERT_EQ(again["status"], "settled") << again.dump();
  EXPECT_EQ(supply(t.rpc(), "COMPUTE"), "19999998750");
  EXPECT_EQ(t.rpc().call("pactum_getBurns", json::object())["total"], 2);
  const json page = t.rpc().call("pactum_getBurns", json{{"offset", 1}, {"limit", 1}});
  ASSERT_EQ(page["burns"].size(), 1u) << page.dump();
  EXPECT_EQ(page["burns"][0]["intent"], again["id"]);
  EXPECT_EQ(page["total"], 2);
  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  ShellResult r = run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;

  // The CSV: one row per settled burn, in block order, with the supply after its block.
  const std::string csv = t.dir.sub("burns.csv");
  r = run_shell(shell_quote(pactum_binary()) + " burns --quiet --data-dir " + shell_quote(t.data_dir) + " --out " +
                shell_quote(csv) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("burns: 2\n"), std::string::npos) << r.out;
  const std::string text = run_shell("cat " + shell_quote(csv)).out;
  const std::string first = std::to_string(at) + "," + dev_account(3).hex() + ",COMPUTE,250," +
                            done["id"].get<std::string>() + "," + request.hex() + ",19999999750\n";
  EXPECT_EQ(text.rfind("height,account,asset,amount,intent,request,supply_after\n" + first, 0), 0u) << text;
  EXPECT_NE(text.find(",COMPUTE,1000," + again["id"].get<std::string>()), std::string::npos) << text;
}

TEST(BurnFlow, SignCommandBuildsABurnWithTheComputeRequestHash) {
  ShellResult r = run_shell(shell_quote(pactum_binary()) +
                            " sign --dev 3 --kind burn --asset COMPUTE --amount 5 --core dev:7 --units 5"
                            " --request-nonce 9 --nonce 1 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "burn");
  EXPECT_EQ(j["request"], compute_request_hash(dev_account(7), 5, 9).hex());
  EXPECT_TRUE(decode_verified_intent(j).ok());
}

}  // namespace
}  // namespace pactum::testing
