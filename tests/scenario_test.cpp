// `pactum scenario`: the same seed gives the same chain byte for byte (every block's JSON,
// read back with `pactum export`), another seed another chain; the directory replays and a
// node opens it; the workload holds what it claims (settled swaps on both sides of a
// market, partial fills, commitments, flash-loan bundles, cancels, rooms from open to sign).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {
namespace {

constexpr int kBlocks = 30;
constexpr int kAgents = 24;

ShellResult scenario(const std::string& dir, std::uint64_t seed, const std::string& extra = "") {
  return run_shell(shell_quote(pactum_binary()) + " scenario --quiet --seed " + std::to_string(seed) + " --out " +
                   shell_quote(dir) + " --blocks " + std::to_string(kBlocks) + " --agents " + std::to_string(kAgents) +
                   " " + extra + " 2>&1");
}

std::vector<std::string> export_lines(const std::string& dir) {
  ShellResult r = run_shell(shell_quote(pactum_binary()) + " export --data-dir " + shell_quote(dir) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The summary without its timing line, and one named value of it.
std::string without_seconds(const std::string& summary) {
  std::istringstream in(summary);
  std::string out;
  for (std::string line; std::getline(in, line);)
    if (!line.starts_with("seconds:")) out += line + "\n";
  return out;
}
std::string value_of(const std::string& summary, const std::string& name) {
  const auto at = summary.find("\n" + name + ": ");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 3;
  return summary.substr(start, summary.find('\n', start) - start);
}

class Scenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    a_ = scenario(dir_->sub("a"), 20240611);
    b_ = scenario(dir_->sub("b"), 20240611);
    c_ = scenario(dir_->sub("c"), 20240612);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
  static ShellResult a_, b_, c_;
};
TempDir* Scenario::dir_ = nullptr;
ShellResult Scenario::a_, Scenario::b_, Scenario::c_;

TEST_F(Scenario, SameSeedGivesTheSameChainByteForByteAnotherSeedAnother) {
  ASSERT_EQ(a_.exit_code, 0) << a_.out;
  ASSERT_EQ(b_.exit_code, 0) << b_.out;
  ASSERT_EQ(c_.exit_code, 0) << c_.out;
  EXPECT_EQ(without_seconds(a_.out), without_seconds(b_.out));
  EXPECT_EQ(value_of(a_.out, "blocks"), std::to_string(kBlocks));

  const auto la = export_lines(dir_->sub("a")), lb = export_lines(dir_->sub("b")), lc = export_lines(dir_->sub("c"));
  ASSERT_EQ(la.size(), std::size_t(kBlocks + 1));
  ASSERT_EQ(lb.size(), la.size());
  for (std::size_t h = 0; h < la.size(); ++h) EXPECT_EQ(la[h], lb[h]) << "block " << h << " differs between two runs";

  // The summary's export digest is the SHA256 of what `pactum export` writes.
  const std::string out = dir_->sub("a.jsonl");
  ShellResult e = run_shell(shell_quote(pactum_binary()) + " export --data-dir " + shell_quote(dir_->sub("a")) +
                            " --out " + shell_quote(out) + " 2>&1");
  ASSERT_EQ(e.exit_code, 0) << e.out;
  EXPECT_NE(e.out.find("sha256: " + value_of(a_.out, "export_sha256")), std::string::npos) << e.out << a_.out;
  ShellResult sum = run_shell("sha256sum " + shell_quote(out));
  EXPECT_EQ(sum.out.substr(0, 64), value_of(a_.out, "export_sha256"));

  // Another seed: the same genesis (block 0), then another chain.
  ASSERT_EQ(lc.size(), la.size());
  EXPECT_EQ(la[0], lc[0]);
  for (std::size_t h = 1; h < la.size(); ++h) EXPECT_NE(la[h], lc[h]) << "block " << h << " equal for two seeds";
  EXPECT_NE(value_of(a_.out, "final_state_root"), value_of(c_.out, "final_state_root"));

  // Timestamps come from the genesis and the height, not the clock.
  const json b1 = json::parse(la[1]), b0 = json::parse(la[0]);
  EXPECT_EQ(b1["timestamp"].get<std::uint64_t>(), b0["timestamp"].get<std::uint64_t>() + 2000);
}

TEST_F(Scenario, TheDirectoryReplaysAndANodeOpensIt) {
  ASSERT_EQ(a_.exit_code, 0) << a_.out;
  ShellResult r =
      run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(dir_->sub("a")) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("blocks: " + std::to_string(kBlocks)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("final_root: " + value_of(a_.out, "final_state_root")), std::string::npos) << r.out;

  NodeProcess node(dir_->sub("a"), dir_->sub("node.log"), {"--quiet"});
  EXPECT_EQ(node.rpc().call("pactum_blockNumber").get<std::uint64_t>(), std::uint64_t(kBlocks));
  const json head = node.rpc().call("pactum_getBlock", json::array({kBlocks}));
  EXPECT_EQ(header_of(head)["hash"], value_of(a_.out, "head_hash"));

  // A room the agents opened, sealed, closed and signed has a contract that verifies offline.
  std::map<std::string, int> signs;
  for (const std::string& line : export_lines(dir_->sub("a"))) {
    const json b = json::parse(line);
    for (std::size_t i = 0; i < b["intents"].size(); ++i)
      if (b["intents"][i]["kind"] == "room_sign" && b["receipts"][i]["status"] == "settled")
        ++signs[b["intents"][i]["room"].get<std::string>()];
  }
  int verified = 0;
  for (const auto& [room, n] : signs) {
    if (n != 2) continue;
    const json contract = node.rpc().call("pactum_getContract", json::array({room}));
    auto ok = verify_room_contract(contract);
    EXPECT_TRUE(ok.ok()) << (ok.ok() ? "" : ok.error().message) << contract.dump();
    ++verified;
  }
  EXPECT_GE(verified, 1) << "no room was signed by both parties";
  EXPECT_EQ(node.stop(), 0) << node.log();
}

TEST_F(Scenario, TheWorkloadHoldsEveryKindItClaims) {
  ASSERT_EQ(a_.exit_code, 0) << a_.out;
  std::map<std::string, std::map<std::string, int>> by_kind;  // kind -> status -> receipts
  int partial_fills = 0, two_sided = 0, flash_loans_settled = 0, room_deals = 0;
  for (const std::string& line : export_lines(dir_->sub("a"))) {
    const json b = json::parse(line);
    std::map<std::pair<std::string, std::string>, int> directions;
    for (std::size_t i = 0; i < b["intents"].size(); ++i) {
      const json& in = b["intents"][i];
      const json& r = b["receipts"][i];
      const std::string kind = in["kind"], status = r["status"];
      ++by_kind[kind][status];
      if (kind == "swap" && status == "settled") {
        if (r["partial_fill"].get<bool>()) ++partial_fills;
        ++directions[{in["sell_asset"], in["buy_asset"]}];
      }
      if (kind == "bundle" && status == "settled" && in["steps"][0]["op"] == "borrow") ++flash_loans_settled;
      if (kind == "room_outcome" && status == "settled" && (in["outcome"].get<int>() & 0x80)) ++room_deals;
    }
    for (const auto& [d, n] : directions)
      if (d.first < d.second && directions.count({d.second, d.first})) ++two_sided;
  }
  // Block 1 funds the agents from the dev accounts.
  EXPECT_GE(by_kind["transfer"]["settled"], kAgents * 4);
  EXPECT_GE(by_kind["swap"]["settled"], 50);
  EXPECT_GE(by_kind["swap"]["unfilled"], 1) << "passive limits wait";
  EXPECT_GE(partial_fills, 1);
  EXPECT_GE(two_sided, 1) << "no block settled both sides of a market";
  EXPECT_GE(by_kind["commit"]["settled"], 4);
  EXPECT_GE(by_kind["bundle"]["settled"], 1);
  EXPECT_GE(flash_loans_settled + by_kind["bundle"]["rejected"], 1);
  EXPECT_GE(by_kind["cancel"]["settled"], 1);
  EXPECT_GE(by_kind["swap"]["cancelled"], 1);
  EXPECT_GE(by_kind["room_open"]["settled"], 1);
  EXPECT_GE(by_kind["room_key"]["settled"], 1);
  EXPECT_GE(by_kind["room_position"]["settled"], 2);
  EXPECT_GE(by_kind["room_outcome"]["settled"], 1);
  EXPECT_GE(by_kind["room_sign"]["settled"], 2);
  // The summary counts the same blocks.
  EXPECT_EQ(value_of(a_.out, "partial_fills"), std::to_string(partial_fills));
  EXPECT_EQ(value_of(a_.out, "room_deals"), std::to_string(room_deals));
}

TEST(ScenarioDir, RefusesAnExistingNonEmptyDirectory) {
  TempDir dir;
  const std::string data = dir.sub("data");
  std::filesystem::create_directories(data);
  { std::ofstream(data + "/keep.txt") << "mine"; }
  ShellResult r = scenario(data, 1);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("not empty"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(data + "/keep.txt"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(data), std::filesystem::directory_iterator()), 1);
}

}  // namespace
}  // namespace pactum::testing
