// A chain written before the issue-18 redesign (tests/fixtures/README.md) still replays,
// block by block, to the state root it recorded, and a node opens it at the same head:
// the redesign changed no encoding, hash or settlement rule.
#include <gtest/gtest.h>

#include <string>

#include "harness.hpp"

namespace pactum::testing {
namespace {

// What `pactum scenario --seed 18 --blocks 40 --agents 24` printed at commit 85c3677.
constexpr const char* kFinalStateRoot = "49b719f79dcdf637c1dbd690065fb2efe9e0043e899988aee950d85d58d44b27";
constexpr const char* kHeadHash = "692206fdca52d14b6d745a94454cc087bcad80485e75529df7e7ec454f23cd5b";
constexpr std::uint64_t kBlocks = 40;

// The devnet genesis the chain was written from: genesis/devnet.json before COMPUTE was
// added (issue 20).
std::string fixture_genesis() { return std::string(PACTUM_SOURCE_DIR) + "/tests/fixtures/devnet_before_compute.json"; }

std::string unpacked_fixture(const TempDir& dir) {
  const std::string fixture = std::string(PACTUM_SOURCE_DIR) + "/tests/fixtures/chain_before_redesign.tar.gz";
  ShellResult untar = run_shell("tar xzf " + shell_quote(fixture) + " -C " + shell_quote(dir.path()) + " 2>&1");
  EXPECT_EQ(untar.exit_code, 0) << untar.out;
  return dir.path() + "/prechain";
}

TEST(ChainCompat, ChainWrittenBeforeTheRedesignReplaysToItsRecordedRoot) {
  TempDir dir;
  const std::string data = unpacked_fixture(dir);
  ShellResult r = run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(data) + " --genesis " +
                            shell_quote(fixture_genesis()) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("blocks: " + std::to_string(kBlocks) + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::string("final_root: ") + kFinalStateRoot), std::string::npos) << r.out;
}

TEST(ChainCompat, NodeOpensTheOldChainAtItsHead) {
  TempDir dir;
  const std::string data = unpacked_fixture(dir);
  NodeProcess node(data, dir.sub("node.log"), {"--quiet", "--genesis", fixture_genesis()});
  EXPECT_EQ(node.rpc().call("pactum_blockNumber").get<std::uint64_t>(), kBlocks);
  const json head = node.rpc().call("pactum_getBlock", json::array({kBlocks}));
  EXPECT_NE(head.dump().find(kHeadHash), std::string::npos) << head.dump();
  EXPECT_EQ(node.stop(), 0) << node.log();
}

}  // namespace
}  // namespace pactum::testing
