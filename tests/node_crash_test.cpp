// Crash recovery: SIGKILL the node while it settles a stream of intents, restart it on
// the same data, then check that `pactum replay` recomputes exactly the recovered head.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "harness.hpp"

namespace pactum::testing {
namespace {

std::string line_value(const std::string& text, const std::string& key) {
  auto at = text.find(key + ": ");
  if (at == std::string::npos) return {};
  auto start = at + key.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

TEST(NodeCrash, KillDuringLoadThenRestartAndReplayAgree) {
  TestNode t;
  // Pre-sign a stream of transfers among the dev accounts (signing is not what we test).
  std::vector<json> intents;
  for (int i = 0; i < 3000; ++i) {
    std::uint32_t from = i % 20, to = (i * 7 + 3) % 20;
    if (to == from) to = (to + 1) % 20;
    intents.push_back(signed_transfer(from, dev_account(to), i % 2 ? "USDC" : "DAI", std::to_string(1 + i % 97)));
  }

  std::atomic<std::size_t> sent{0};
  std::atomic<bool> stop{false};
  std::thread loader([&] {
    try {
      client::RpcClient rpc(t.node->url(), std::chrono::seconds(5));
      for (std::size_t at = 0; at < intents.size() && !stop; at += 50) {
        std::vector<client::RpcClient::BatchItem> batch;
        for (std::size_t k = at; k < std::min(at + 50, intents.size()); ++k) {
          batch.push_back({"pactum_submitIntent", json::array({intents[k]})});
        }
        rpc.batch(batch);
        sent += batch.size();
      }
    } catch (const std::exception&) {
      // The node was killed under us: that is the point.
    }
  });
  // Kill once blocks are being produced under load.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (sent < 600 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  t.node->kill_hard();
  stop = true;
  loader.join();
  ASSERT_GE(sent.load(), 600u) << "the load never got going; log:\n" << t.node->log();

  t.restart();
  json info = t.rpc().call("pactum_nodeInfo");
  const auto recovered = info["height"].get<std::uint64_t>();
  EXPECT_GE(recovered, 1u) << "blocks were committed before the kill";
  RecordProperty("sent_before_kill", static_cast<int>(sent.load()));
  RecordProperty("recovered_height", static_cast<int>(recovered));
  EXPECT_FALSE(info["halted"].get<bool>());
  json head = header_of(t.rpc().call("pactum_getBlock", json::array({recovered, false})));
  EXPECT_EQ(head["hash"], info["head"]);
  // The recovered node still settles.
  std::string id = submit(t.rpc(), signed_transfer(0, dev_account(1), "USDC", "1"));
  json s = wait_final(t.rpc(), id);
  EXPECT_EQ(s["status"], "settled") << s.dump();
  json last = header_of(t.rpc().call("pactum_getBlock", json::array({s["block"], false})));
  ASSERT_EQ(t.node->stop(), 0);

  ShellResult r = run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(line_value(r.out, "final_root"), last["state_root"].get<std::string>()) << r.out;
  // Counted with or without block 0, depending on how replay counts: either is the head.
  const auto h = last["height"].get<std::uint64_t>();
  const std::string blocks = line_value(r.out, "blocks");
  EXPECT_TRUE(blocks == std::to_string(h) || blocks == std::to_string(h + 1)) << r.out;

  // Replay to the recovered head only gives that block's root.
  r = run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir) + " --to " +
                std::to_string(recovered) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(line_value(r.out, "final_root"), head["state_root"].get<std::string>()) << r.out;
}

}  // namespace
}  // namespace pactum::testing
