// The CLI from a shell: an agent without a JSON-RPC library signs, submits, waits and
// checks balances with `pactum` alone.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.hpp"
#include "pactum/intents/amount.hpp"

namespace pactum::testing {
namespace {

std::string pactum() { return shell_quote(pactum_binary()); }

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(Cli, KeysAreTheDocumentedDevKeys) {
  ShellResult r = run_shell(pactum() + " keys dev --count 3 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0);
  json keys = json::parse(r.out);
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[2]["index"], 2);
  EXPECT_EQ(keys[2]["public"], dev_account(2).hex());

  r = run_shell(pactum() + " keys show " + keys[2]["secret"].get<std::string>());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(trim(r.out), dev_account(2).hex());

  r = run_shell(pactum() + " keys new");
  ASSERT_EQ(r.exit_code, 0);
  json fresh = json::parse(r.out);
  r = run_shell(pactum() + " keys show " + fresh["secret"].get<std::string>());
  EXPECT_EQ(trim(r.out), fresh["public"]);

  // Bad usage is an error on stderr and exit 1, not a crash.
  r = run_shell(pactum() + " keys show nothex 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("error: ", 0), 0u) << r.out;
  r = run_shell(pactum() + " sign --kind transfer 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("error: "), std::string::npos) << r.out;
}

TEST(Cli, SignSubmitWaitAndBalanceFromTheShell) {
  TestNode t;
  const std::string rpc = " --rpc " + t.node->url();
  TempDir dir;
  const std::string file = dir.sub("intent.json");
  const std::string before = balance(t.rpc(), dev_account(1), "USDC");

  ShellResult r =
      run_shell(pactum() + " sign --dev 0 --kind transfer --asset USDC --to dev:1 --amount 5 > " + shell_quote(file));
  ASSERT_EQ(r.exit_code, 0);
  r = run_shell(pactum() + " submit --wait" + rpc + " " + shell_quote(file) + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  json status = json::parse(trim(r.out));
  EXPECT_EQ(status["status"], "settled") << r.out;
  const std::string id = status["id"];

  r = run_shell(pactum() + " balance" + rpc + " dev:1 USDC");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(BigInt(trim(r.out)), BigInt(before) + 5);

  r = run_shell(pactum() + " balance" + rpc + " --proof " + dev_account(1).hex() + " USDC");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("proof: verified"), std::string::npos) << r.out;

  r = run_shell(pactum() + " status" + rpc + " " + id);
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out)["status"], "settled");

  // PACTUM_RPC stands in for --rpc; `pactum rpc` is a raw call.
  r = run_shell("PACTUM_RPC=" + t.node->url() + " " + pactum() + " rpc pactum_blockNumber");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out), height(t.rpc()));
  r = run_shell(pactum() + " block" + rpc + " latest");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(header_of(json::parse(r.out))["height"], height(t.rpc()));

  // A swap from JSON on stdin, and a batch of two through a pipe.
  r = run_shell(
      "echo '{\"kind\":\"swap\",\"sell_asset\":\"ETH\",\"buy_asset\":\"USDC\",\"side\":\"sell\","
      "\"sell_amount\":\"1000000000000000\",\"buy_amount\":\"1\",\"partial\":false}' | " +
      pactum() + " sign --dev 3 --json - > " + shell_quote(dir.sub("swap.json")));
  ASSERT_EQ(r.exit_code, 0);
  r = run_shell("(echo '['; cat " + shell_quote(dir.sub("swap.json")) + "; echo ','; " + pactum() +
                " sign --dev 4 --kind transfer --asset DAI --to dev:5 --amount 9; echo ']') | " + pactum() +
                " submit --wait --timeout 20" + rpc + " - 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;

  // A refused submission says why and exits 1.
  r = run_shell(pactum() + " sign --dev 0 --kind transfer --asset NOPE --to dev:1 --amount 5 | " + pactum() +
                " submit" + rpc + " - 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("unknown_asset"), std::string::npos) << r.out;
}

TEST(Cli, SubmitToANodeThatIsNotThereFailsClearly) {
  ShellResult r = run_shell(pactum() + " rpc --rpc http://127.0.0.1:1 pactum_blockNumber 2>&1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("cannot connect"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pactum::testing
