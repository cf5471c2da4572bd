// SIGTERM is a clean stop (exit 0) in every state: right after the node printed its
// address, after a restart with a settled intent, and while the producer is busy
// notifying WebSocket subscribers and HTTP sessions are open.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace pactum::testing {
namespace {

TEST(NodeShutdown, SigtermRightAfterStartIsACleanStop) {
  TestNode t;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(t.node->stop(), 0) << "start " << i << "; log:\n" << t.node->log();
    t.restart();
  }
}

TEST(NodeShutdown, SigtermWhileBlocksAreNotifiedAndSessionsAreOpenIsACleanStop) {
  TestNode t({"--block-time", "2"});
  for (int i = 0; i < 8; ++i) {
    client::WsClient ws(t.node->ws_url());
    ASSERT_TRUE(ws.call("pactum_subscribe", json::array({"newBlocks"})).is_string());
    json s = wait_final(t.rpc(), submit(t.rpc(), signed_transfer(i % 5, dev_account(5 + i % 5), "USDC", "1")));
    ASSERT_EQ(s["status"], "settled") << s.dump();
    ASSERT_TRUE(ws.next_notification(std::chrono::seconds(5))) << "blocks are being pushed";
    client::RpcClient idle(t.node->url());  // a second keep-alive session, left open
    idle.call("pactum_blockNumber");
    ASSERT_EQ(t.node->stop(), 0) << "round " << i << "; log:\n" << t.node->log();
    t.restart({"--block-time", "2"});
  }
}

}  // namespace
}  // namespace pactum::testing
