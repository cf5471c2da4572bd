// End to end through the real node (issue 4): atomic bundles. A profitable flash-loan
// arbitrage across the pools, built step by step with pactum_simulateBundle the way a
// searcher builds one, settles and repays the loan with its fee; a loan that is not
// repaid leaves no trace (balances, pools, lending pool and nonce as before); a
// multi-party bundle without one party's signature is refused; with it, it settles.
// Replay of the resulting chain reproduces every root.
#include <gtest/gtest.h>

#include <map>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};

json lending_reserve(client::RpcClient& rpc, const std::string& asset) {
  for (const auto& p : rpc.call("pactum_getLendingPools"))
    if (p["asset"] == asset) return p["reserve"];
  return nullptr;
}

json swap_step(std::uint32_t who, const std::string& sell, const std::string& buy, const std::string& in,
               const std::string& min_out = "0") {
  return {{"op", "swap"},       {"account", dev_account(who).hex()},
          {"sell_asset", sell}, {"buy_asset", buy},
          {"amount_in", in},    {"min_out", min_out}};
}
json loan_step(const char* op, std::uint32_t who, const std::string& asset, const std::string& amount) {
  return {{"op", op}, {"account", dev_account(who).hex()}, {"asset", asset}, {"amount", amount}};
}
json transfer_step(std::uint32_t from, std::uint32_t to, const std::string& asset, const std::string& amount) {
  return {{"op", "transfer"},
          {"from", dev_account(from).hex()},
          {"to", dev_account(to).hex()},
          {"asset", asset},
          {"amount", amount}};
}
json unsigned_bundle(std::uint32_t signer, json steps, json checks = json::array()) {
  return {{"kind", "bundle"},
          {"signer", dev_account(signer).hex()},
          {"steps", std::move(steps)},
          {"checks", std::move(checks)}};
}

json simulate(client::RpcClient& rpc, const json& bundle) {
  return rpc.call("pactum_simulateBundle", json::array({bundle, "latest"}));
}

TEST(Bundle, FlashLoanArbitrageSettlesAndRepays) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  // A whale dumps 100 ETH straight into the ETH/USDC pool (a one-step bundle): ETH is now
  // cheap there against the BTC pools.
  const json whale =
      sign_with_dev(15, unsigned_bundle(15, json::array({swap_step(15, "ETH", "USDC", "100000000000000000000")})));
  submit(rpc, whale);
  auto receipts = mine_receipts(rpc);
  ASSERT_EQ(receipts.at(id_of(whale))["status"], "settled") << receipts.at(id_of(whale)).dump();
  const auto before = asset_totals(rpc);
  const std::string usdc_before = balance(rpc, dev_account(16), "USDC");
  const json reserve_before = lending_reserve(rpc, "USDC");

  // The searcher builds the cycle USDC -> ETH -> BTC -> USDC on a 100,000 USDC flash loan,
  // reading each step's output from a simulation.
  const std::string loan = "100000000000";
  json steps = json::array({loan_step("borrow", 16, "USDC", loan), swap_step(16, "USDC", "ETH", loan)});
  json sim = simulate(rpc, unsigned_bundle(16, steps));
  const std::string eth = sim["steps"][1]["amount_out"];
  steps.push_back(swap_step(16, "ETH", "BTC", eth));
  sim = simulate(rpc, unsigned_bundle(16, steps));
  const std::string btc = sim["steps"][2]["amount_out"];
  steps.push_back(swap_step(16, "BTC", "USDC", btc));
  sim = simulate(rpc, unsigned_bundle(16, steps));
  const BigInt back(sim["steps"][3]["amount_out"].get<std::string>());
  const std::string owed = sim["steps"][0]["amount_out"];            // principal + fee
  EXPECT_EQ(BigInt(owed), BigInt(loan) + BigInt(loan) * 5 / 10000);  // 5 bps
  ASSERT_GT(back, BigInt(owed)) << "no arbitrage left: " << sim.dump();
  steps.push_back(loan_step("repay", 16, "USDC", owed));
  const json checks = json::array({{{"type", "min_profit"},
                                    {"account", dev_account(16).hex()},
                                    {"asset", "USDC"},
                                    {"amount", "1000000000"}}});  // at least 1,000 USDC
  sim = simulate(rpc, unsigned_bundle(16, steps, checks));
  ASSERT_TRUE(sim["ok"].get<bool>()) << sim.dump();
  EXPECT_EQ(sim["missing_signatures"], json::array({dev_account(16).hex()}));
  EXPECT_EQ(balance(rpc, dev_account(16), "USDC"), usdc_before);  // simulation commits nothing

  const json arb = sign_with_dev(16, unsigned_bundle(16, steps, checks));
  submit(rpc, arb);
  receipts = mine_receipts(rpc);
  const json& r = receipts.at(id_of(arb));
  EXPECT_EQ(r["status"], "settled") << r.dump();
  const BigInt profit = BigInt(balance(rpc, dev_account(16), "USDC")) - BigInt(usdc_before);
  EXPECT_EQ(profit, back - BigInt(owed));
  EXPECT_GE(profit, BigInt(1000000000));
  // The lending pool got its principal back plus the fee.
  EXPECT_EQ(BigInt(lending_reserve(rpc, "USDC").get<std::string>()),
            BigInt(reserve_before.get<std::string>()) + BigInt(owed) - BigInt(loan));
  EXPECT_EQ(asset_totals(rpc), before);  // conservation: the searcher's profit came from the pools

  // Replay re-executes both bundles and reproduces every root.
  t.node->stop();
  ShellResult replay =
      run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir) + " 2>&1");
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
}

TEST(Bundle, UnrepaidLoanLeavesNoTrace) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const json reserve_before = lending_reserve(rpc, "USDC");
  // Borrow 1,000 USDC, give it away, never repay.
  const json bad = sign_with_dev(16, unsigned_bundle(16, {loan_step("borrow", 16, "USDC", "1000000000"),
                                                          transfer_step(16, 17, "USDC", "1000000000")}));
  const json sim = simulate(rpc, bad);
  EXPECT_FALSE(sim["ok"].get<bool>());
  EXPECT_EQ(sim["reason"], "loan_not_repaid");
  EXPECT_EQ(sim["missing_signatures"], json::array());
  submit(rpc, bad);
  auto receipts = mine_receipts(rpc);
  const json& r = receipts.at(id_of(bad));
  EXPECT_EQ(r["status"], "rejected") << r.dump();
  EXPECT_EQ(r["reason"], "loan_not_repaid");
  EXPECT_EQ(balance(rpc, dev_account(17), "USDC"), "1000000000000");
  EXPECT_EQ(lending_reserve(rpc, "USDC"), reserve_before);
  EXPECT_EQ(asset_totals(rpc), before);
  const Intent in = decode_intent(bad).value();
  EXPECT_FALSE(rpc.call("pactum_nonceUsed", json::array({in.signer.hex(), in.nonce})).get<bool>());
  EXPECT_EQ(wait_final(rpc, id_of(bad))["status"], "rejected");
}

TEST(Bundle, FailingStepIsNamedAndNothingChanges) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  // Step 1 asks the ETH/USDC pool for more than it gives (1 ETH for at least 4000 USDC).
  const json b =
      sign_with_dev(16, unsigned_bundle(16, {transfer_step(16, 17, "DAI", "5"),
                                             swap_step(16, "ETH", "USDC", "1000000000000000000", "4000000000")}));
  submit(rpc, b);
  auto receipts = mine_receipts(rpc);
  const json& r = receipts.at(id_of(b));
  EXPECT_EQ(r["status"], "rejected") << r.dump();
  EXPECT_EQ(r["reason"], "min_out_not_met");
  EXPECT_EQ(r["step"], 1);
  EXPECT_EQ(balance(rpc, dev_account(17), "DAI"), "1000000000000000000000000");
  EXPECT_EQ(asset_totals(rpc), before);
}

TEST(Bundle, MultiPartyBundleNeedsEverySignature) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  // An OTC trade in one bundle: 10 sends 3,000 USDC to 11, 11 sends 1 ETH to 10.
  const json otc = sign_with_dev(10, unsigned_bundle(10, {transfer_step(10, 11, "USDC", "3000000000"),
                                                          transfer_step(11, 10, "ETH", "1000000000000000000")}));
  // Without 11's signature: refused at admission, naming the step and the account.
  const json missing = rpc.call_raw(client::make_request("pactum_submitIntent", json::array({otc}), 1));
  ASSERT_TRUE(missing.contains("error")) << missing.dump();
  EXPECT_EQ(missing["error"]["code"], -32014);
  EXPECT_EQ(missing["error"]["data"]["reason"], "missing_signature");
  EXPECT_EQ(missing["error"]["data"]["field"], "steps[1].from");
  // A cosig from the wrong key: bad_signature on that cosig.
  json forged = otc;
  forged["cosigs"] = json::array({{{"account", dev_account(11).hex()},
                                   {"sig", dev_secret_key(12).sign(decode_intent(otc, false).value().id).hex()}}});
  const json bad = rpc.call_raw(client::make_request("pactum_submitIntent", json::array({forged}), 2));
  ASSERT_TRUE(bad.contains("error")) << bad.dump();
  EXPECT_EQ(bad["error"]["data"]["reason"], "bad_signature");
  EXPECT_EQ(bad["error"]["data"]["field"], "cosigs[0].sig");
  EXPECT_EQ(rpc.call("pactum_pendingIntents").size(), 0u);

  // With it (the same id: cosigs are not signed over), the bundle settles.
  const json both = add_signature(otc, dev_secret_key(11)).value();
  EXPECT_EQ(id_of(both), id_of(otc));
  submit(rpc, both);
  auto receipts = mine_receipts(rpc);
  EXPECT_EQ(receipts.at(id_of(both))["status"], "settled") << receipts.at(id_of(both)).dump();
  EXPECT_EQ(balance(rpc, dev_account(10), "ETH"), "1001000000000000000000");
  EXPECT_EQ(balance(rpc, dev_account(11), "USDC"), "1003000000000");
  EXPECT_EQ(asset_totals(rpc), before);
}

TEST(Bundle, CliCosignAndSimulate) {
  TestNode t;  // instant mode: `submit --wait` sees the block at once
  const std::string bin = shell_quote(pactum_binary());
  const std::string rpc_flag = " --rpc " + t.node->url();
  // Written by hand, with dev:N for the accounts (pactum sign resolves them).
  const json otc = json::parse(R"({"kind":"bundle","steps":[
      {"op":"transfer","from":"dev:10","to":"dev:11","asset":"USDC","amount":"3000000000"},
      {"op":"transfer","from":"dev:11","to":"dev:10","asset":"ETH","amount":"1000000000000000000"}]})");
  const std::string file = t.dir.sub("otc.json");
  ShellResult r =
      run_shell("echo " + shell_quote(otc.dump()) + " | " + bin + " sign --dev 10 --json - > " + shell_quote(file) +
                " && " + bin + " cosign --dev 11 " + shell_quote(file) + " > " + shell_quote(file + ".2") + " && " +
                bin + " simulate" + rpc_flag + " " + shell_quote(file + ".2"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json sim = json::parse(r.out);
  EXPECT_TRUE(sim["ok"].get<bool>()) << sim.dump();
  EXPECT_EQ(sim["missing_signatures"], json::array());
  r = run_shell(bin + " submit --wait" + rpc_flag + " " + shell_quote(file + ".2"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("settled"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pactum::testing
