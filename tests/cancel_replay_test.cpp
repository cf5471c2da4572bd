// Security: a cancelled intent can never be replayed. The block that carries the cancel
// also carries its target with a `cancelled` receipt and uses the target's nonce, so the
// chain itself refuses the original signed intent, even after the node restarted and
// forgot its mempool.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace pactum::testing {
namespace {

json call_raw(client::RpcClient& rpc, const std::string& method, json params) {
  return rpc.call_raw(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}});
}

TEST(CancelReplay, CancelledSwapIsRefusedAfterARestart) {
  // Interval mode with a long interval: pactum_mine decides that both go in one block.
  const std::vector<std::string> args{"--block-time", "600000"};
  TestNode t(args);
  // Sells 1 ETH for at least 1,000,000 USDC: never reachable on the devnet pool.
  const json swap = signed_swap(3, "ETH", "USDC", "sell", "1000000000000000000", "1000000000000");
  const std::string swap_id = submit(t.rpc(), swap);
  const json cancel = sign_with_dev(3, {{"kind", "cancel"}, {"ids", json::array({swap_id})}});
  const std::string cancel_id = submit(t.rpc(), cancel);

  json mined = t.rpc().call("pactum_mine");
  const auto height = mined[0]["height"].get<std::uint64_t>();
  json block = t.rpc().call("pactum_getBlock", json::array({height, false}));
  EXPECT_EQ(block["intents"], json::array({swap_id, cancel_id})) << "the cancel comes with its target";
  json status = t.rpc().call("pactum_getIntent", json::array({swap_id}));
  EXPECT_EQ(status["status"], "cancelled") << status.dump();
  EXPECT_EQ(status["block"], height);
  EXPECT_EQ(status["receipt"]["status"], "cancelled");
  const json nonce_query = json::array({dev_account(3).hex(), swap["nonce"]});
  EXPECT_EQ(t.rpc().call("pactum_nonceUsed", nonce_query), true);

  t.restart(args);
  json replayed = call_raw(t.rpc(), "pactum_submitIntent", json::array({swap}));
  ASSERT_TRUE(replayed.contains("error")) << "the cancelled swap was accepted again: " << replayed.dump();
  const std::string reason = replayed["error"]["data"]["reason"];
  EXPECT_TRUE(reason == "nonce_used" || reason == "duplicate") << replayed.dump();
  EXPECT_EQ(t.rpc().call("pactum_nonceUsed", nonce_query), true);
  EXPECT_EQ(t.rpc().call("pactum_getIntent", json::array({swap_id}))["status"], "cancelled");
  EXPECT_EQ(t.rpc().call("pactum_pendingIntents"), json::array());
}

}  // namespace
}  // namespace pactum::testing
