// Solvers through the real node (issue 19): external solvers that misbehave are dropped
// with their reason while the block is still produced; the block records the winner and
// every candidate; replay passes with the solvers gone, and a tampered clearing fails
// replay naming the rule it breaks.
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <map>

#include "harness.hpp"
#include "pactum/ledger/store.hpp"
#include "reference_solver.hpp"
#include "tamper.hpp"

namespace pactum::testing {
namespace {

using testing_support::python_with_pulp;
using testing_support::ReferenceSolver;

// A loopback port nobody listens on: bound, read, closed.
int closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// Two swaps that cross each other inside the ETH/USDC pool's band (1 ETH ~ 3000 USDC).
void submit_crossing_swaps(client::RpcClient& rpc) {
  submit(rpc, signed_swap(1, "ETH", "USDC", "sell", "1000000000000000000", "2950000000", true));
  submit(rpc, signed_swap(2, "USDC", "ETH", "sell", "3000000000", "990000000000000000", true));
}

std::map<std::string, json> candidates_by_solver(const json& block) {
  std::map<std::string, json> out;
  for (const json& c : block["solver"]["candidates"]) out[c["solver"].get<std::string>()] = c;
  return out;
}

std::string replay_command(const std::string& data_dir) {
  return shell_quote(pactum_binary()) + " replay --quiet --data-dir " + shell_quote(data_dir);
}

TEST(Solvers, MisbehavingSolversAreDroppedWithTheirReasonAndTheBlockIsStillProduced) {
  const std::string python = python_with_pulp();
  if (python.empty()) GTEST_SKIP() << "no python3 with PuLP (scripts/setup.sh installs python3-pulp)";
  ReferenceSolver garbage(python, {"--mode", "garbage"});
  ReferenceSolver broken(python, {"--mode", "break-rule"});
  ReferenceSolver late(python, {"--delay-ms", "5000"});
  ASSERT_TRUE(garbage.port() && broken.port() && late.port()) << "a reference solver did not start";
  const std::string unreachable = "http://127.0.0.1:" + std::to_string(closed_port()) + "/solve";
  TestNode t({"--block-time", "600000", "--solver-deadline", "800", "--solver", garbage.url(), "--solver", broken.url(),
              "--solver", late.url(), "--solver", unreachable});
  submit_crossing_swaps(t.rpc());
  const auto started = std::chrono::steady_clock::now();
  const json mined = t.rpc().call("pactum_mine", json::array({1}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4)) << "the late solver held the block";
  const json block = t.rpc().call("pactum_getBlock", json::array({mined[0]["height"], true}));

  for (const json& r : block["receipts"]) EXPECT_EQ(r["status"], "settled") << r.dump();
  ASSERT_TRUE(block.contains("solver") && block.contains("clearing")) << block.dump();
  const std::string winner = block["solver"]["winner"];
  EXPECT_TRUE(winner == "builtin" || winner == "exact" || winner == "polish") << block["solver"].dump();
  auto by = candidates_by_solver(block);
  EXPECT_EQ(by.at("builtin")["status"], "valid");
  EXPECT_EQ(by.at(garbage.url())["status"], "malformed") << by.at(garbage.url()).dump();
  EXPECT_EQ(by.at(late.url())["status"], "late") << by.at(late.url()).dump();
  EXPECT_EQ(by.at(unreachable)["status"], "unreachable") << by.at(unreachable).dump();
  const std::string broke = by.at(broken.url())["status"];
  EXPECT_TRUE(broke != "valid" && broke != "malformed" && broke != "late" && broke != "unreachable")
      << "a rule code: " << by.at(broken.url()).dump();
  EXPECT_FALSE(by.at(broken.url()).contains("score"));
  // The log names the rule the broken proposal broke.
  EXPECT_NE(t.node->log().find("solver " + broken.url() + " dropped"), std::string::npos) << t.node->log();
  EXPECT_NE(t.node->log().find("breaks rule " + broke), std::string::npos) << t.node->log();

  // Replay with every solver gone: the clearing is checked, not solved for again.
  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  ShellResult r = run_shell(replay_command(t.data_dir) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST(Solvers, ATamperedClearingFailsReplayNamingTheRule) {
  TestNode t({"--block-time", "600000", "--exact-max-swaps", "0", "--polish-max-swaps", "0"});
  // One swap alone: it trades against the ETH/USDC pool, so the clearing moves a pool.
  submit(t.rpc(), signed_swap(3, "ETH", "USDC", "sell", "1000000000000000000", "2900000000", false));
  const json mined = t.rpc().call("pactum_mine", json::array({1}));
  const std::uint64_t height = mined[0]["height"];
  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  ASSERT_EQ(run_shell(replay_command(t.data_dir) + " 2>&1").exit_code, 0) << "the untouched chain replays";

  std::string edited;
  {
    auto store = Store::open(t.data_dir);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto text = (*store)->block_json_at(height);
    ASSERT_TRUE(text.ok() && text->has_value());
    json block = json::parse(**text);
    ASSERT_EQ(block["clearing"]["pools"].size(), 1u) << block.dump();
    EXPECT_EQ(block["solver"]["winner"], "builtin");
    // The pool keeps 1 USDC more than the trader left it: paid out of nothing.
    json& pool = block["clearing"]["pools"][0];
    ASSERT_EQ(pool["asset_b"], "USDC");
    pool["reserve_b"] = (BigInt(pool["reserve_b"].get<std::string>()) + 1000000).str();
    edited = block.dump();
  }
  ASSERT_TRUE(pactum::testing::overwrite_block_json(t.data_dir, height, edited).ok());
  ShellResult r = run_shell(replay_command(t.data_dir) + " 2>&1 >/dev/null");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("block " + std::to_string(height) + ":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("breaks rule dust"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pactum::testing
