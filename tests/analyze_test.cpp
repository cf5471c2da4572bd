// `pactum analyze` on a chain the real node produced: a swap with a loose limit is a
// sandwich opportunity that the adversarial counterfactual takes, while a searcher who
// actually tries the same sandwich inside a pactum batch gains nothing (one price for the
// front-run, the victim and the back-run). Reports are byte-identical across runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The searcher's value change at the block's clearing price (quote units): what it got
// minus what it gave, both swaps priced at num/den quote per base.
BigInt value_change(const json& front, const json& back) {
  const json& p = front["price"];
  EXPECT_EQ(p, back["price"]) << "one price per pair per batch";
  const BigInt num(p["num"].get<std::string>()), den(p["den"].get<std::string>());
  // front: sold ETH (base), bought USDC (quote); back: sold USDC, bought ETH.
  const BigInt eth = BigInt(back["bought"].get<std::string>()) - BigInt(front["sold"].get<std::string>());
  const BigInt usdc = BigInt(front["bought"].get<std::string>()) - BigInt(back["sold"].get<std::string>());
  return eth * num + usdc * den;  // den * (value in USDC units)
}

TEST(Analyze, SandwichOpportunityIsTakenUnderAdversarialAndWorthNothingInABatch) {
  TestNode t(kNode);
  // Block 1: a victim alone, selling 10 ETH with a limit far below the pool (2500 USDC/ETH
  // against about 3000): room a searcher on a sequential chain would take.
  const json victim = signed_swap(8, "ETH", "USDC", "sell", "10000000000000000000", "25000000000");
  submit(t.rpc(), victim);
  auto first = mine_receipts(t.rpc());
  ASSERT_EQ(first.at(id_of(victim))["status"], "settled");

  // Block 2: the searcher tries the sandwich for real, front-run and back-run around a
  // second such victim, all in one batch.
  const json front = signed_swap(7, "ETH", "USDC", "sell", "80000000000000000000", "1");
  const json victim2 = signed_swap(9, "ETH", "USDC", "sell", "10000000000000000000", "25000000000");
  const json back = signed_swap(7, "USDC", "ETH", "sell", "240000000000", "1");
  for (const json& in : {front, victim2, back}) submit(t.rpc(), in);
  auto second = mine_receipts(t.rpc());
  for (const json& in : {front, victim2, back})
    ASSERT_EQ(second.at(id_of(in))["status"], "settled") << second.at(id_of(in));
  EXPECT_LE(value_change(second.at(id_of(front)), second.at(id_of(back))), 0)
      << "in a batch the searcher buys back at the price it sold at: no profit";
  ASSERT_EQ(t.node->stop(), 0) << t.node->log();

  TempDir out;
  const std::string cmd =
      shell_quote(pactum_binary()) + " analyze --quiet --data-dir " + shell_quote(t.data_dir) + " --out ";
  ShellResult a = run_shell(cmd + shell_quote(out.sub("a")) + " 2>&1");
  ASSERT_EQ(a.exit_code, 0) << a.out;
  ShellResult b = run_shell(cmd + shell_quote(out.sub("b")) + " 2>&1");
  ASSERT_EQ(b.exit_code, 0) << b.out;
  for (const char* name : {"intents.csv", "blocks.csv", "pools.csv", "sandwiches.csv", "report.json", "report.html"}) {
    const std::string x = read(out.sub("a") + "/" + name);
    EXPECT_FALSE(x.empty()) << name;
    EXPECT_EQ(x, read(out.sub("b") + "/" + name)) << name << " differs between two runs";
  }

  const json report = json::parse(read(out.sub("a") + "/report.json"));
  // The lone victim of block 1 is sandwiched under adversarial, with value extracted.
  const std::string sandwiches = read(out.sub("a") + "/sandwiches.csv");
  EXPECT_NE(sandwiches.find("\n1," + id_of(victim) + ",ETH/USDC,ETH,"), std::string::npos) << sandwiches;
  const json& b1 = report["blocks"][0];
  ASSERT_EQ(b1["height"], 1);
  EXPECT_NE(b1["extracted"]["sandwich"], "0.000000") << b1;
  bool found = false;
  for (const json& s : report["swaps"]) {
    if (s["id"] != id_of(victim)) continue;
    found = true;
    EXPECT_TRUE(s["sandwiched"].get<bool>());
    // Under adversarial the victim ends near its limit, below what it got alone (fcfs).
    const BigInt adv(s["rules"]["adversarial"]["bought"].get<std::string>());
    const BigInt fcfs(s["rules"]["fcfs"]["bought"].get<std::string>());
    const BigInt batch(s["rules"]["batch"]["bought"].get<std::string>());
    EXPECT_GE(adv, BigInt("25000000000"));
    EXPECT_LT(adv, fcfs);
    EXPECT_EQ(batch, BigInt(first.at(id_of(victim))["bought"].get<std::string>())) << "batch is what the chain did";
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(report["summary"]["blocks"], 2);
  EXPECT_EQ(report["summary"]["swaps"], 4);
  const std::string html = read(out.sub("a") + "/report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos) << "the report fetches nothing";

  // A range: --from 2 analyses block 2 only.
  ShellResult r = run_shell(cmd + shell_quote(out.sub("c")) + " --from 2 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("blocks: 1\n"), std::string::npos) << r.out;
}

// One command reproduces a study: scripts/study.sh runs `pactum scenario` then `pactum
// analyze`; the same seed gives byte-identical reports, another seed other ones.
TEST(Analyze, AStudyFromASeedIsReproducibleByteForByte) {
  TempDir dir;
  const std::string script = shell_quote(std::string(PACTUM_SOURCE_DIR) + "/scripts/study.sh");
  const std::string env = "PACTUM_BINARY=" + shell_quote(pactum_binary()) + " ";
  for (const char* run : {"a", "b"}) {
    ShellResult r = run_shell(env + script + " 5 " + shell_quote(dir.sub(run)) + " 12 16 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  ShellResult other = run_shell(env + script + " 6 " + shell_quote(dir.sub("c")) + " 12 16 2>&1");
  ASSERT_EQ(other.exit_code, 0) << other.out;
  for (const char* name : {"intents.csv", "blocks.csv", "pools.csv", "sandwiches.csv", "report.json", "report.html"}) {
    const std::string a = read(dir.sub("a") + "/report/" + name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_EQ(a, read(dir.sub("b") + "/report/" + name)) << name << ": same seed, different bytes";
  }
  EXPECT_NE(read(dir.sub("a") + "/report/report.json"), read(dir.sub("c") + "/report/report.json"));
  const json summary = json::parse(read(dir.sub("a") + "/report/report.json"))["summary"];
  EXPECT_EQ(summary["blocks"], 12) << summary;
  EXPECT_GT(summary["swaps"].get<int>(), 20) << "the scenario's traders are analysed: " << summary;
}

}  // namespace
}  // namespace pactum::testing
