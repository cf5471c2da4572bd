// WebSocket subscriptions: new blocks and one intent's status, pushed without polling.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace pactum::testing {
namespace {

using std::chrono::seconds;

TEST(WsSubscription, NewBlocksNotifiesAfterASubmission) {
  TestNode t;
  client::WsClient ws(t.node->ws_url());
  EXPECT_EQ(ws.call("pactum_blockNumber"), height(t.rpc()));  // plain calls work over WS too
  json sub = ws.call("pactum_subscribe", json::array({"newBlocks"}));
  ASSERT_TRUE(sub.is_string());
  EXPECT_FALSE(ws.next_notification(std::chrono::milliseconds(100))) << "no block yet, no notification";

  std::string id = submit(t.rpc(), signed_transfer(0, dev_account(1), "USDC", "10"));
  auto note = ws.next_notification(seconds(10));
  ASSERT_TRUE(note) << "no newBlocks notification";
  EXPECT_EQ((*note)["method"], "pactum_subscription");
  EXPECT_EQ((*note)["params"]["subscription"], sub);
  const json& block = (*note)["params"]["result"];
  EXPECT_GE(block["height"].get<std::uint64_t>(), 1u);
  EXPECT_TRUE(block.contains("state_root"));
  EXPECT_GE(block["intents"].get<int>(), 1);

  EXPECT_EQ(ws.call("pactum_unsubscribe", json::array({sub})), true);
  wait_final(t.rpc(), submit(t.rpc(), signed_transfer(0, dev_account(1), "USDC", "11")));
  EXPECT_FALSE(ws.next_notification(std::chrono::milliseconds(200))) << "unsubscribed";

  // Subscriptions need a connection to push on: over HTTP they are refused.
  json answer = t.rpc().call_raw(client::make_request("pactum_subscribe", json::array({"newBlocks"}), 1));
  EXPECT_TRUE(answer.contains("error")) << answer.dump();
}

TEST(WsSubscription, IntentStatusIsPushedUntilFinal) {
  // Interval mode with a long interval: the intent stays pending until we mine.
  TestNode t({"--block-time", "600000"});
  client::WsClient ws(t.node->ws_url());
  std::string id = submit(t.rpc(), signed_transfer(0, dev_account(1), "USDC", "12"));
  json sub = ws.call("pactum_subscribe", json::array({"intent", id}));

  auto first = ws.next_notification(seconds(5));
  ASSERT_TRUE(first) << "the current status is sent at subscribe time";
  EXPECT_EQ((*first)["params"]["subscription"], sub);
  EXPECT_EQ((*first)["params"]["result"]["id"], id);
  EXPECT_EQ((*first)["params"]["result"]["status"], "pending");

  t.rpc().call("pactum_mine", json::array({1}));
  auto second = ws.next_notification(seconds(10));
  ASSERT_TRUE(second) << "no status change pushed";
  EXPECT_EQ((*second)["params"]["result"]["status"], "settled");
  EXPECT_EQ((*second)["params"]["result"]["receipt"]["status"], "settled");
}

}  // namespace
}  // namespace pactum::testing
