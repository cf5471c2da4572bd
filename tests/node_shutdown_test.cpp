// SIGTERM is a clean stop (exit 0) in every state: right after the node printed its
// address, after a restart with a settled intent, and while the producer is busy
// notifying WebSocket subscribers and HTTP sessions are open.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <csignal>

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

// A write that fails for real (the WAL reaches the process's file-size limit, as on a full
// disk) halts production; SIGTERM then stops the node cleanly (RocksDB could abort when
// closed after the failed write), and the next start serves every acknowledged block.
TEST(NodeShutdown, HaltedNodeStopsCleanlyOnSigterm) {
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &original), 0);
  auto* previous = std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
  rlimit small = original;
  small.rlim_cur = 1u << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto t = std::make_unique<TestNode>(std::vector<std::string>{"--block-time", "600000", "--quiet"});
  ::setrlimit(RLIMIT_FSIZE, &original);
  std::signal(SIGXFSZ, previous);

  std::uint64_t acknowledged = 0;
  bool halted = false;
  for (int round = 0; round < 400 && !halted; ++round) {
    const json answer = t->rpc().call_raw(client::make_request("pactum_mine", json::array({100}), 1));
    if (answer.contains("error")) {
      // The failed write itself is reported (storage), or the halt it caused.
      const std::string reason = answer["error"]["data"]["reason"];
      EXPECT_TRUE(reason == "halted" || reason == "storage") << answer.dump();
      halted = true;
    } else {
      acknowledged = answer["result"].back()["height"].get<std::uint64_t>();
    }
  }
  ASSERT_TRUE(halted) << "the file-size limit never failed a write";
  EXPECT_TRUE(t->rpc().call("pactum_nodeInfo")["halted"].get<bool>());
  EXPECT_GE(height(t->rpc()), acknowledged) << "reads go on while halted";
  EXPECT_EQ(t->node->stop(), 0) << t->node->log();
  t->restart({"--block-time", "600000", "--quiet"});
  EXPECT_GE(height(t->rpc()), acknowledged) << "an acknowledged block was lost";
  EXPECT_EQ(t->rpc().call("pactum_mine").size(), 1u) << "production resumes after the restart";
}

}  // namespace
}  // namespace pactum::testing
