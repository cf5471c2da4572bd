// End-to-end flows against the real `pactum node` binary: a transfer with a balance proof,
// crossing swaps with a pool trade, a restart on the same data, interval blocks.
#include <gtest/gtest.h>

#include <thread>

#include "harness.hpp"
#include "pactum/intents/amount.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/state_tree.hpp"

namespace pactum::testing {
namespace {

BigInt big(const std::string& decimal) { return BigInt(decimal); }
BigInt big(const json& decimal_string) { return BigInt(decimal_string.get<std::string>()); }
BigInt big(const char* decimal) { return BigInt(decimal); }

TEST(NodeFlow, TransferSettlesAndBalanceProofVerifiesAgainstTheBlock) {
  TestNode t;
  auto& rpc = t.rpc();
  const PublicKey from = dev_account(0), to = dev_account(1);
  const BigInt from_before = big(balance(rpc, from, "USDC"));
  const BigInt to_before = big(balance(rpc, to, "USDC"));

  const std::string id = submit(rpc, signed_transfer(0, to, "USDC", "100000000"));
  json status = wait_final(rpc, id);
  ASSERT_EQ(status["status"], "settled") << status.dump();
  ASSERT_TRUE(status["block"].is_number()) << status.dump();
  EXPECT_EQ(status["receipt"]["status"], "settled");
  EXPECT_EQ(status["receipt"]["sold"], "100000000");

  EXPECT_EQ(big(balance(rpc, from, "USDC")), from_before - 100000000);
  EXPECT_EQ(big(balance(rpc, to, "USDC")), to_before + 100000000);

  // A light client's check: the proof verifies against the root the head block commits to.
  json answer = rpc.call("pactum_getBalanceProof", json::array({to.hex(), "USDC"}));
  EXPECT_EQ(big(answer["balance"]), to_before + 100000000);
  auto proof = StateProof::from_json(answer["proof"]);
  ASSERT_TRUE(proof.ok()) << proof.error().message;
  EXPECT_TRUE(proof->present);
  EXPECT_EQ(proof->key, balance_key(to, "USDC"));
  EXPECT_EQ(proof->value, balance_value(Amount(to_before + 100000000)));
  json header = header_of(rpc.call("pactum_getBlock", json::array({answer["height"], false})));
  EXPECT_EQ(header["state_root"], answer["state_root"]);
  auto root = Hash32::from_hex(header["state_root"].get<std::string>());
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(verify_state_proof(*root, *proof));
  // And it does not verify against another root (the genesis block's).
  auto genesis_root = Hash32::from_hex(
      header_of(rpc.call("pactum_getBlock", json::array({0, false})))["state_root"].get<std::string>());
  ASSERT_TRUE(genesis_root.ok());
  EXPECT_FALSE(verify_state_proof(*genesis_root, *proof));
}

// Interval mode with a long interval, so that the test decides the batch with pactum_mine.
TEST(NodeFlow, CrossingSwapsAndAPoolTradeClearAtOnePrice) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  const std::uint64_t start_height = height(rpc);
  json pool_before = rpc.call("pactum_getPool", json::array({"ETH", "USDC"}));
  std::map<std::pair<std::uint32_t, std::string>, BigInt> before;
  for (std::uint32_t i : {1u, 2u, 3u}) {
    for (std::string asset : {"ETH", "USDC"}) before[{i, asset}] = big(balance(rpc, dev_account(i), asset));
  }

  // dev1 sells 1 ETH for at least 2900 USDC; dev2 buys 1 ETH for at most 3100 USDC (they
  // cross); dev3 sells 0.5 ETH for at least 1400 USDC (the net imbalance hits the pool).
  const std::string eth1 = "1000000000000000000", eth_half = "500000000000000000";
  std::vector<std::string> ids{
      submit(rpc, signed_swap(1, "ETH", "USDC", "sell", eth1, "2900000000")),
      submit(rpc, signed_swap(2, "USDC", "ETH", "buy", "3100000000", eth1)),
      submit(rpc, signed_swap(3, "ETH", "USDC", "sell", eth_half, "1400000000")),
  };
  json mined = rpc.call("pactum_mine", json::array({1}));
  ASSERT_EQ(mined.size(), 1u) << mined.dump();
  EXPECT_EQ(mined[0]["height"], start_height + 1);

  std::vector<json> receipts;
  for (const auto& id : ids) {
    json s = wait_final(rpc, id, std::chrono::seconds(5));
    ASSERT_EQ(s["status"], "settled") << s.dump();
    EXPECT_EQ(s["block"], start_height + 1);
    receipts.push_back(s["receipt"]);
  }
  // One price for the pair in the block, on every receipt.
  ASSERT_TRUE(receipts[0].contains("price"));
  EXPECT_EQ(receipts[0]["price"], receipts[1]["price"]);
  EXPECT_EQ(receipts[0]["price"], receipts[2]["price"]);
  // Limits: exact sides exact, limit sides at least (or at most) the limit.
  EXPECT_EQ(big(receipts[0]["sold"]), big(eth1));
  EXPECT_GE(big(receipts[0]["bought"]), big("2900000000"));
  EXPECT_EQ(big(receipts[1]["bought"]), big(eth1));
  EXPECT_LE(big(receipts[1]["sold"]), big("3100000000"));
  EXPECT_EQ(big(receipts[2]["sold"]), big(eth_half));
  EXPECT_GE(big(receipts[2]["bought"]), big("1400000000"));
  // Same price, so 1 ETH sold and 1 ETH bought exchange the same USDC up to rounding,
  // which never favours the trader.
  EXPECT_LE(big(receipts[0]["bought"]), big(receipts[1]["sold"]));

  // Balances moved exactly as the receipts say.
  auto delta = [&](std::uint32_t i, const std::string& asset) {
    return big(balance(rpc, dev_account(i), asset)) - before[{i, asset}];
  };
  EXPECT_EQ(delta(1, "ETH"), -big(eth1));
  EXPECT_EQ(delta(1, "USDC"), big(receipts[0]["bought"]));
  EXPECT_EQ(delta(2, "ETH"), big(eth1));
  EXPECT_EQ(delta(2, "USDC"), -big(receipts[1]["sold"]));
  EXPECT_EQ(delta(3, "ETH"), -big(eth_half));
  EXPECT_EQ(delta(3, "USDC"), big(receipts[2]["bought"]));

  // Conservation: what the traders gained or lost, the pool lost or gained.
  json pool_after = rpc.call("pactum_getPool", json::array({"ETH", "USDC"}));
  ASSERT_EQ(pool_after["assets"], pool_before["assets"]);
  for (std::size_t side = 0; side < 2; ++side) {
    const std::string asset = pool_after["assets"][side];
    BigInt traders = delta(1, asset) + delta(2, asset) + delta(3, asset);
    BigInt pool = big(pool_after["reserves"][side]) - big(pool_before["reserves"][side]);
    EXPECT_EQ(traders + pool, 0) << asset;
  }
  // The pool took in ETH (net sell of 0.5 ETH) and stays on or above its curve.
  const std::size_t eth = pool_after["assets"][0] == "ETH" ? 0 : 1;
  EXPECT_EQ(big(pool_after["reserves"][eth]) - big(pool_before["reserves"][eth]), big(eth_half));
  EXPECT_GE(big(pool_after["reserves"][0]) * big(pool_after["reserves"][1]),
            big(pool_before["reserves"][0]) * big(pool_before["reserves"][1]));
}

TEST(NodeFlow, RestartKeepsHeightHeadAndBalances) {
  TestNode t;
  {
    auto& rpc = t.rpc();
    for (int i = 0; i < 3; ++i) {
      std::string id = submit(t.rpc(), signed_transfer(4, dev_account(5), "BTC", "1000"));
      ASSERT_EQ(wait_final(rpc, id)["status"], "settled");
    }
  }
  auto snapshot = [&] {
    auto& rpc = t.rpc();
    json info = rpc.call("pactum_nodeInfo");
    return json{{"height", info["height"]},
                {"head", info["head"]},
                {"b4", balance(rpc, dev_account(4), "BTC")},
                {"b5", balance(rpc, dev_account(5), "BTC")},
                {"root", header_of(rpc.call("pactum_getBlock", json::array({info["height"], false})))["state_root"]}};
  };
  json before = snapshot();
  EXPECT_GE(before["height"].get<std::uint64_t>(), 1u);
  EXPECT_EQ(t.node->stop(), 0) << t.node->log();
  t.restart();
  EXPECT_EQ(snapshot(), before);
  // And it keeps going from there.
  std::string id = submit(t.rpc(), signed_transfer(4, dev_account(5), "BTC", "1"));
  json s = wait_final(t.rpc(), id);
  EXPECT_EQ(s["status"], "settled");
  EXPECT_GT(s["block"].get<std::uint64_t>(), before["height"].get<std::uint64_t>());
}

TEST(NodeFlow, IntervalModeProducesBlocksWithoutSubmissions) {
  TestNode t({"--block-time", "200"});
  const auto start = height(t.rpc());
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  const auto later = height(t.rpc());
  EXPECT_GE(later, start + 2);
  EXPECT_LE(later, start + 8);  // about one per 200 ms, not a flood
  json info = t.rpc().call("pactum_nodeInfo");
  EXPECT_EQ(info["block_time_ms"], 200);
}

TEST(NodeFlow, InstantModeProducesNoBlockWithoutSubmissions) {
  TestNode t;
  const auto start = height(t.rpc());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(height(t.rpc()), start);
}

}  // namespace
}  // namespace pactum::testing
