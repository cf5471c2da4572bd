// Compute futures over HTTP on the real node: a lock turns COMPUTE into COMPUTE@H, two
// accounts trade it against COMPUTE in one batch (its price is the forward price), the
// node refuses an unlock or a burn of it before H with `locked` and spends nothing, and
// from H on it unlocks one for one. The supply never moves, and replay agrees.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};

std::string supply(client::RpcClient& rpc) {
  return rpc.call("pactum_getSupply", json::array({"COMPUTE"}))["supply"].get<std::string>();
}

TEST(ComputeFutures, LockTradeRefuseEarlyUnlockThenUnlock) {
  TestNode t(kNode);
  client::RpcClient& rpc = t.rpc();
  const std::string total = supply(rpc);
  const std::uint64_t until = height(rpc) + 4;
  const std::string future = locked_symbol("COMPUTE", until);

  const std::string lock_id =
      submit(rpc, sign_with_dev(3, json{{"kind", "lock"}, {"asset", "COMPUTE"}, {"amount", "500"}, {"until", until}}));
  auto receipts = mine_receipts(rpc);
  ASSERT_EQ(receipts[lock_id]["status"], "settled") << receipts[lock_id].dump();
  EXPECT_EQ(balance(rpc, dev_account(3), future), "500");
  EXPECT_EQ(balance(rpc, dev_account(3), "COMPUTE"), "999999500");
  EXPECT_EQ(supply(rpc), total);

  // Too early: refused at admission, nothing reserved or spent.
  const json early_unlock = sign_with_dev(3, json{{"kind", "unlock"}, {"asset", future}, {"amount", "500"}});
  EXPECT_EQ(refusal(rpc, early_unlock), "-32025 locked asset");
  const json early_burn =
      sign_with_dev(3, json{{"kind", "burn"}, {"asset", future}, {"amount", "1"}, {"request", std::string(64, 'b')}});
  EXPECT_EQ(refusal(rpc, early_burn), "-32025 locked asset");
  json base_unlock = early_unlock;  // its form is refused before the signature
  base_unlock["asset"] = "COMPUTE";
  EXPECT_EQ(refusal(rpc, base_unlock), "-32602 invalid_params asset");
  EXPECT_EQ(balance(rpc, dev_account(3), future), "500");

  // The forward market, one batch: dev 3 sells 200 COMPUTE@H for at least 180 COMPUTE,
  // dev 4 buys 200 paying at most 190.
  const std::string sell = submit(rpc, signed_swap(3, future, "COMPUTE", "sell", "200", "180"));
  const std::string buy = submit(rpc, signed_swap(4, "COMPUTE", future, "buy", "190", "200"));
  receipts = mine_receipts(rpc);
  ASSERT_EQ(receipts[sell]["status"], "settled") << receipts[sell].dump();
  ASSERT_EQ(receipts[buy]["status"], "settled") << receipts[buy].dump();
  const std::string paid = receipts[buy]["sold"].get<std::string>();
  EXPECT_GE(std::stoi(paid), 180);
  EXPECT_LE(std::stoi(paid), 190);
  EXPECT_EQ(balance(rpc, dev_account(4), future), "200");
  const json block = rpc.call("pactum_getBlock", json::array({height(rpc)}));
  bool priced = false;
  for (const json& p : block["prices"]) priced = priced || p["base"] == future || p["quote"] == future;
  EXPECT_TRUE(priced) << block["prices"].dump();

  // At height H: unlocks settle one for one; the supply never moved.
  while (height(rpc) + 1 < until) mine_receipts(rpc);
  const std::string unlock_id =
      submit(rpc, sign_with_dev(4, json{{"kind", "unlock"}, {"asset", future}, {"amount", "200"}}));
  receipts = mine_receipts(rpc);
  ASSERT_EQ(receipts[unlock_id]["status"], "settled") << receipts[unlock_id].dump();
  EXPECT_EQ(balance(rpc, dev_account(4), future), "0");
  EXPECT_EQ(balance(rpc, dev_account(4), "COMPUTE"), std::to_string(1000000000 - std::stoi(paid) + 200));
  EXPECT_EQ(supply(rpc), total);

  // Replay from genesis recomputes every root.
  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  const ShellResult replay =
      run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir) + " 2>&1");
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
}

TEST(ComputeFutures, SignCommandBuildsLockAndUnlock) {
  ShellResult r = run_shell(shell_quote(pactum_binary()) +
                            " sign --dev 3 --kind lock --asset COMPUTE --amount 5 --until 90 --nonce 1 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto lock = decode_verified_intent(json::parse(r.out));
  ASSERT_TRUE(lock.ok()) << r.out;
  ASSERT_TRUE(lock->lock());
  EXPECT_EQ(lock->lock()->locked(), "COMPUTE@90");
  r = run_shell(shell_quote(pactum_binary()) + " sign --dev 3 --kind unlock --asset COMPUTE@90 --amount 5 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto unlock = decode_verified_intent(json::parse(r.out));
  ASSERT_TRUE(unlock.ok()) << r.out;
  EXPECT_EQ(unlock->conversion()->to, "COMPUTE");
}

}  // namespace
}  // namespace pactum::testing
