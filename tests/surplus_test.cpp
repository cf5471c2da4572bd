// The surplus-sharing route choice through the real node (docs/MECHANISMS.md 7.9). A chain
// of three assets without pools (so that the two routes are the only liquidity): Y (dev 1)
// sells 1000 AAA for at least 900 BBB. X (dev 0) takes route B (950 BBB to Y for 1000 AAA:
// 50 BBB beyond Y's limit) only if Y's share commitment ("pay X 50% of what my swap got
// beyond its limit, at most 40 BBB", signed with `pactum sign --json`) settles and Y's swap
// sells all 1000 AAA (an amount bound); otherwise route A (950 BBB to W, dev 2, for 100
// CCC). Conservation is checked and replay recomputes every root.
#include <gtest/gtest.h>

#include <fstream>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {
namespace {

constexpr std::uint32_t kX = 0, kY = 1, kW = 2;

// The devnet genesis with three more assets and no pools.
std::string route_genesis(const TempDir& dir) {
  std::ifstream in(std::string(PACTUM_SOURCE_DIR) + "/genesis/devnet.json");
  json g = json::parse(in);
  g["pools"] = json::array();
  g.erase("lending_pools");
  for (const char* symbol : {"AAA", "BBB", "CCC"}) {
    g["assets"].push_back({{"symbol", symbol}, {"decimals", 0}});
    // 2000 BBB: the node reserves both of X's routes (950 BBB each) while they are pending.
    g["dev_accounts"]["balances"][symbol] = std::string(symbol) == "BBB" ? "2000" : "1000";
  }
  const std::string path = dir.sub("genesis.json");
  std::ofstream(path) << g.dump();
  return path;
}

json swap_action(const std::string& sell, const std::string& buy, int sell_amount, int buy_amount) {
  return {{"kind", "swap"},
          {"sell_asset", sell},
          {"buy_asset", buy},
          {"side", "sell"},
          {"sell_amount", std::to_string(sell_amount)},
          {"buy_amount", std::to_string(buy_amount)},
          {"partial", false}};
}

json exists(const std::string& sell, const std::string& buy, std::uint32_t signer, json extra = json::object()) {
  json p = {{"sell_asset", sell}, {"buy_asset", buy}, {"signer", dev_account(signer).hex()}};
  p.update(extra);
  return {{"type", "exists"}, {"pattern", std::move(p)}};
}

// Y's share, as a user writes it: unsigned JSON with dev:N names, signed by the CLI.
json cli_share(const TempDir& dir, const std::string& swap_id) {
  const json unsigned_share = {
      {"kind", "commit"},
      {"action",
       {{"kind", "share_surplus"}, {"swap", swap_id}, {"asset", "BBB"}, {"to", "dev:0"}, {"bps", 5000}, {"cap", "40"}}},
      {"condition",
       {{"type", "exists"}, {"pattern", {{"sell_asset", "BBB"}, {"buy_asset", "AAA"}, {"signer", "dev:0"}}}}}};
  const std::string path = dir.sub("share.json");
  std::ofstream(path) << unsigned_share.dump();
  const ShellResult r = run_shell(shell_quote(pactum_binary()) + " sign --dev " + std::to_string(kY) + " --json " +
                                  shell_quote(path) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return json::parse(r.out);
}

json x_route_b(const std::string& share_program) {
  const json program = {{"type", "program"}, {"hash", share_program}, {"signer", dev_account(kY).hex()}};
  return sign_with_dev(
      kX,
      {{"kind", "commit"},
       {"action", swap_action("BBB", "AAA", 950, 1000)},
       {"condition", {{"type", "all"}, {"conditions", {program, exists("AAA", "BBB", kY, {{"min_sold", "1000"}})}}}}});
}

json x_route_a() {
  return sign_with_dev(kX, {{"kind", "commit"},
                            {"action", swap_action("BBB", "CCC", 950, 100)},
                            {"condition", {{"type", "unless"}, {"condition", exists("BBB", "AAA", kX)}}}});
}

json plain_swap(std::uint32_t who, json action) {
  action.erase("kind");
  action["kind"] = "swap";
  return sign_with_dev(who, std::move(action));
}

std::string program_of(const json& commitment) {
  json unsigned_c = commitment;
  unsigned_c.erase("sig");
  return decode_intent(unsigned_c, false).value().commit()->program.hex();
}

TEST(SurplusSharing, RouteBWithASidePaymentThroughTheNode) {
  TempDir dir;
  TestNode t({"--block-time", "600000", "--genesis", route_genesis(dir)});
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const json y_swap = plain_swap(kY, swap_action("AAA", "BBB", 1000, 900));
  const json y_share = cli_share(dir, id_of(y_swap));
  ASSERT_EQ(y_share["action"]["to"], dev_account(kX).hex());
  const json route_b = x_route_b(program_of(y_share));
  const json route_a = x_route_a();
  const json w_swap = plain_swap(kW, swap_action("CCC", "BBB", 100, 950));
  for (const json* in : {&y_swap, &y_share, &route_b, &route_a, &w_swap}) submit(rpc, *in);

  auto receipts = mine_receipts(rpc);
  EXPECT_EQ(receipts.at(id_of(y_swap))["bought"], "950") << receipts.at(id_of(y_swap)).dump();
  const json& share = receipts.at(id_of(y_share));
  EXPECT_EQ(share["status"], "settled") << share.dump();
  EXPECT_EQ(share["sold"], "25") << share.dump();
  EXPECT_EQ(receipts.at(id_of(route_b))["status"], "settled") << receipts.at(id_of(route_b)).dump();
  EXPECT_EQ(receipts.at(id_of(route_a))["reason"], "condition_not_met") << receipts.at(id_of(route_a)).dump();
  EXPECT_EQ(balance(rpc, dev_account(kY), "BBB"), "2925");
  EXPECT_EQ(balance(rpc, dev_account(kX), "BBB"), "1075");
  EXPECT_EQ(balance(rpc, dev_account(kX), "AAA"), "2000");
  EXPECT_EQ(rpc.call("pactum_getIntent", json::array({id_of(route_a)}))["status"], "pending");
  EXPECT_EQ(asset_totals(rpc), before);

  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  const ShellResult replay = run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir) +
                                       " --genesis " + shell_quote(dir.sub("genesis.json")) + " 2>&1");
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
}

TEST(SurplusSharing, TheNodeRefusesMalformedSharesAndFarValidFrom) {
  TempDir dir;
  TestNode t({"--block-time", "600000", "--genesis", route_genesis(dir)});
  auto& rpc = t.rpc();
  const json y_swap = plain_swap(kY, swap_action("AAA", "BBB", 1000, 900));
  auto share = [&](json changes) {
    json action = {{"kind", "share_surplus"},     {"swap", id_of(y_swap)}, {"asset", "BBB"},
                   {"to", dev_account(kX).hex()}, {"bps", 5000},           {"cap", "40"}};
    action.update(changes);
    return json{{"kind", "commit"},
                {"chain", "pactum-devnet"},
                {"signer", dev_account(kY).hex()},
                {"nonce", 7},
                {"valid_until", 100},
                {"action", action},
                {"condition", {{"type", "requires"}, {"ids", {id_of(y_swap)}}}},
                {"sig", std::string(128, '0')}};
  };
  EXPECT_EQ(refusal(rpc, share({{"bps", 10001}})), "-32602 invalid_params action.bps");
  EXPECT_EQ(refusal(rpc, share({{"cap", "0"}})), "-32602 invalid_params action.cap");
  // A well-formed symbol the chain does not know: refused once the signature verifies.
  json unknown = share({{"asset", "ZZZ"}});
  unknown.erase("sig");
  EXPECT_EQ(refusal(rpc, sign_with_dev(kY, unknown)), "-32005 unknown_asset action.asset");
  json far = signed_transfer(kY, dev_account(kX), "AAA", "1");
  far.erase("sig");
  far["valid_from"] = height(rpc) + 100001;
  EXPECT_EQ(refusal(rpc, sign_with_dev(kY, far)), "-32602 invalid_params valid_from");
  far["valid_from"] = height(rpc) + 100000;
  EXPECT_EQ(refusal(rpc, sign_with_dev(kY, far)), "accepted");
}

}  // namespace
}  // namespace pactum::testing
