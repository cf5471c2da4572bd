// valid_from on the real node: an intent signed by `pactum sign --valid-from H` is
// admitted at once (its debit reserved) but held; blocks below H leave it out and
// pactum_getIntent reports it pending, waiting for H; it settles in the block of height H.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};

json cli_signed_transfer(std::uint64_t valid_from, std::uint64_t valid_until) {
  const ShellResult r = run_shell(
      shell_quote(pactum_binary()) + " sign --dev 3 --kind transfer --asset USDC --to dev:4 --amount 7 --valid-from " +
      std::to_string(valid_from) + " --valid-until " + std::to_string(valid_until) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return r.exit_code == 0 ? json::parse(r.out) : json();
}

TEST(ValidFrom, HeldUntilItsHeightThenSettlesThere) {
  TestNode t(kNode);
  client::RpcClient& rpc = t.rpc();
  const std::uint64_t from = height(rpc) + 3;
  const std::string before = balance(rpc, dev_account(4), "USDC");

  const json intent = cli_signed_transfer(from, from + 10);
  ASSERT_EQ(intent["valid_from"], from);
  const std::string id = submit(rpc, intent);

  // Right after submission and after block from - 2 the next block is below `from`: held.
  for (int k = 0; k < 2; ++k) {
    if (k == 1) {
      EXPECT_EQ(mine_receipts(rpc).count(id), 0u) << "height " << height(rpc);
    }
    const json status = rpc.call("pactum_getIntent", json::array({id}));
    EXPECT_EQ(status["status"], "pending") << status.dump();
    EXPECT_EQ(status["reason"], "not_yet_valid") << status.dump();
    EXPECT_NE(status["message"].get<std::string>().find("waiting for height " + std::to_string(from)),
              std::string::npos)
        << status.dump();
    EXPECT_TRUE(status["block"].is_null());
  }
  // Block from - 1 leaves it out too; now the next block is `from` and it no longer waits.
  EXPECT_EQ(mine_receipts(rpc).count(id), 0u);
  const json ready = rpc.call("pactum_getIntent", json::array({id}));
  EXPECT_EQ(ready["status"], "pending") << ready.dump();
  EXPECT_EQ(ready["reason"], "") << ready.dump();
  ASSERT_EQ(height(rpc) + 1, from);
  EXPECT_EQ(balance(rpc, dev_account(4), "USDC"), before);

  auto receipts = mine_receipts(rpc);
  ASSERT_EQ(receipts.count(id), 1u);
  EXPECT_EQ(receipts[id]["status"], "settled") << receipts[id].dump();
  const json status = rpc.call("pactum_getIntent", json::array({id}));
  EXPECT_EQ(status["status"], "settled");
  EXPECT_EQ(status["block"], from);
  EXPECT_EQ(BigInt(balance(rpc, dev_account(4), "USDC")), BigInt(before) + 7);
}

// Instant mode: a held intent is not fresh, so it does not make the producer write empty
// blocks until its height (with that bug the height runs on to `from` by itself).
TEST(ValidFrom, InstantModeDoesNotProduceBlocksForAHeldIntent) {
  TestNode t;
  client::RpcClient& rpc = t.rpc();
  const std::uint64_t start = height(rpc);
  const std::uint64_t from = start + 50;
  const std::string held = submit(rpc, cli_signed_transfer(from, from + 10));
  const std::string now = submit(rpc, signed_transfer(5, dev_account(6), "USDC", "1"));
  EXPECT_EQ(wait_final(rpc, now)["status"], "settled");
  const json status = rpc.call("pactum_getIntent", json::array({held}));
  EXPECT_EQ(status["status"], "pending") << status.dump();
  EXPECT_EQ(status["reason"], "not_yet_valid") << status.dump();
  EXPECT_LE(height(rpc), start + 2);  // the submissions' blocks only, not one per height up to `from`
}

TEST(ValidFrom, AboveValidUntilIsRefused) {
  TestNode t(kNode);
  json intent = cli_signed_transfer(5, 9);
  intent["valid_from"] = 10;  // refused for its form, before the signature
  try {
    submit(t.rpc(), intent);
    FAIL() << "accepted";
  } catch (const client::RpcError& e) {
    EXPECT_EQ(e.reason, "invalid_params");
    EXPECT_EQ(e.field, "valid_from");
  }
  const ShellResult r = run_shell(shell_quote(pactum_binary()) +
                                  " sign --dev 3 --kind transfer --asset USDC --to dev:4 --amount 7 --valid-from 10 "
                                  "--valid-until 9 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("valid_from"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pactum::testing
