// Genesis: the devnet file parses; malformed files are refused naming the field.
#include "pactum/ledger/genesis.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace pactum {
namespace {

using json = nlohmann::json;

json valid() {
  return json{
      {"chain_id", "test-1"},
      {"timestamp", 1},
      {"producer", "dev"},
      {"assets", {{{"symbol", "USDC"}, {"decimals", 6}}, {{"symbol", "ETH"}, {"decimals", 18}}}},
      {"pools", {{{"assets", {"USDC", "ETH"}}, {"reserves", {"3000", "1"}}, {"fee_bps", 30}}}},
      {"dev_accounts", {{"count", 3}, {"balances", {{"USDC", "100"}}}}},
      {"accounts", {{{"account", dev_secret_key(50).public_key().hex()}, {"balances", {{"ETH", "7"}}}}}},
  };
}

// The text of `j` with "assets" first and "accounts" right after it, before
// "dev_accounts": parse_genesis_text then takes the accounts one by one as they are read
// (the dumped text puts "accounts" first, so there they stay in the document).
std::string assets_then_accounts(const json& j) {
  json rest = j;
  rest.erase("assets");
  rest.erase("accounts");
  std::string text = "{\"assets\":" + j.at("assets").dump();
  if (j.contains("accounts")) text += ",\"accounts\":" + j.at("accounts").dump();
  return text + "," + rest.dump().substr(1);
}

TEST(Genesis, DevnetFileParses) {
  std::ifstream f(std::string(PACTUM_SOURCE_DIR) + "/genesis/devnet.json");
  ASSERT_TRUE(f) << "genesis/devnet.json not found";
  std::stringstream ss;
  ss << f.rdbuf();
  auto g = parse_genesis_text(ss.str());
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->chain_id, "pactum-devnet");
  EXPECT_EQ(g->producer, dev_producer_key().public_key());
  ASSERT_EQ(g->assets.size(), 5u);
  EXPECT_EQ(g->assets[4].symbol, "COMPUTE");
  EXPECT_TRUE(g->assets[4].burnable);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_FALSE(g->assets[i].burnable) << g->assets[i].symbol;
  EXPECT_EQ(g->supply.at("COMPUTE"), Amount(20) * Amount(1000000000));
  EXPECT_EQ(g->pools.size(), 4u);
  EXPECT_EQ(g->dev_account_count, 20u);
  ASSERT_EQ(g->accounts.size(), 20u);
  EXPECT_EQ(g->accounts[3].account, dev_secret_key(3).public_key());
  for (const auto& p : g->pools) EXPECT_LT(p.asset_a, p.asset_b);
}

TEST(Genesis, ValidFileExpandsAccountsAndOrdersPools) {
  auto g = parse_genesis(valid());
  ASSERT_TRUE(g.ok()) << g.error().message;
  ASSERT_EQ(g->accounts.size(), 4u);
  EXPECT_EQ(g->accounts[0].account, dev_secret_key(0).public_key());
  EXPECT_EQ(g->accounts[3].balances.at("ETH"), 7);
  ASSERT_EQ(g->pools.size(), 1u);
  EXPECT_EQ(g->pools[0].asset_a, "ETH");  // sorted, reserves follow their assets
  EXPECT_EQ(g->pools[0].reserve_a, 1);
  EXPECT_EQ(g->pools[0].reserve_b, 3000);

  StateDelta d = genesis_delta(*g);
  State s;
  s.apply(d);
  EXPECT_EQ(s.total_supply("USDC"), 3 * 100 + 3000);
  EXPECT_EQ(s.total_supply("ETH"), 7 + 1);
  Block b0 = genesis_block(*g, s.root());
  EXPECT_EQ(b0.header.height, 0u);
  EXPECT_TRUE(b0.header.parent.is_zero());
  EXPECT_EQ(b0.header.state_root, s.root());
  EXPECT_TRUE(b0.intents.empty());
}

TEST(Genesis, AccountsReadOneByOneGiveTheSameGenesis) {
  json j = valid();
  for (int i = 0; i < 50; ++i) {
    j["accounts"].push_back({{"account", dev_secret_key(100 + i).public_key().hex()},
                             {"balances", {{"ETH", std::to_string(i + 1)}, {"USDC", "5"}}}});
  }
  auto from_tree = parse_genesis(j);
  auto from_text = parse_genesis_text(j.dump());
  auto streamed = parse_genesis_text(assets_then_accounts(j));
  for (auto* g : {&from_tree, &from_text, &streamed}) ASSERT_TRUE(g->ok()) << g->error().message;
  for (auto* g : {&from_text, &streamed}) {
    EXPECT_EQ((*g)->dev_account_count, 3u);
    ASSERT_EQ((*g)->accounts.size(), from_tree->accounts.size());
    for (std::size_t i = 0; i < from_tree->accounts.size(); ++i) {
      EXPECT_EQ((*g)->accounts[i].account, from_tree->accounts[i].account) << i;
      EXPECT_EQ((*g)->accounts[i].balances, from_tree->accounts[i].balances) << i;
    }
  }
  EXPECT_EQ(streamed->accounts[0].account, dev_secret_key(0).public_key());  // dev accounts first
  EXPECT_EQ(streamed->accounts[53].balances.at("ETH"), 50);                  // 3 dev, valid()'s one, then these
}

struct BadCase {
  const char* name;
  std::function<void(json&)> edit;
  const char* field;
  const char* says;  // a fragment of the message
};

// A burnable asset: its flag byte in the asset leaf and a supply leaf holding the genesis
// total of balances, pool reserves and lending reserves; the other assets have neither.
TEST(Genesis, BurnableAssetGetsASupplyLeafWithTheGenesisTotal) {
  json j = valid();
  j["assets"][0]["burnable"] = true;  // USDC: 3 dev accounts x 100 + pool reserve 3000 + lending 40
  j["assets"][1]["burnable"] = false;
  j["lending_pools"] = {{{"asset", "USDC"}, {"reserve", "40"}, {"fee_bps", 5}}};
  auto g = parse_genesis(j);
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_TRUE(g->assets[0].burnable);
  EXPECT_FALSE(g->assets[1].burnable);
  EXPECT_EQ(g->supply.at("USDC"), Amount(3340));
  EXPECT_EQ(g->supply.at("ETH"), Amount(8));
  const StateDelta d = genesis_delta(*g);
  ASSERT_EQ(d.supplies.size(), 1u);
  EXPECT_EQ(d.supplies.at("USDC"), Amount(3340));
  State s;
  s.apply(d);
  EXPECT_EQ(s.supply("USDC"), Amount(3340));
  EXPECT_EQ(s.supply("ETH"), std::nullopt);
  EXPECT_EQ(BigInt(*s.supply("USDC")), s.total_supply("USDC"));
  const StateProof proof = s.prove(supply_key("USDC"));
  EXPECT_TRUE(proof.present);
  EXPECT_EQ(asset_value(g->assets[0]), std::string("\x00\x00\x00\x06\x01", 5));
  EXPECT_EQ(asset_value(g->assets[1]), std::string("\x00\x00\x00\x12", 4));
  // Stored leaves load back to the same delta (what a restarting node reads).
  StateDelta loaded;
  for (const auto& [k, v] : d.leaves()) ASSERT_TRUE(add_leaf_to_delta(k, v, loaded).ok());
  EXPECT_EQ(loaded.supplies, d.supplies);
  EXPECT_EQ(loaded.assets, d.assets);
  // The flag is part of the state root.
  json plain = j;
  plain["assets"][0]["burnable"] = false;
  auto g2 = parse_genesis(plain);
  ASSERT_TRUE(g2.ok());
  State s2;
  s2.apply(genesis_delta(*g2));
  EXPECT_NE(s.root(), s2.root());
}

TEST(Genesis, MalformedFilesNameTheField) {
  const std::vector<BadCase> cases = {
      {"unknown top field", [](json& j) { j["chainid"] = "x"; }, "chainid", "unknown field"},
      {"missing chain id", [](json& j) { j.erase("chain_id"); }, "chain_id", "missing"},
      {"bad chain id", [](json& j) { j["chain_id"] = "Test!"; }, "chain_id", "a-z"},
      {"negative timestamp", [](json& j) { j["timestamp"] = -5; }, "timestamp", "must not be negative"},
      {"bad producer", [](json& j) { j["producer"] = "me"; }, "producer", "dev"},
      {"duplicate asset", [](json& j) { j["assets"][1]["symbol"] = "USDC"; }, "assets[1].symbol", "duplicate"},
      {"lowercase symbol", [](json& j) { j["assets"][0]["symbol"] = "usdc"; }, "assets[0].symbol", "A-Z"},
      {"decimals too big", [](json& j) { j["assets"][1]["decimals"] = 37; }, "assets[1].decimals", "36"},
      {"burnable not a boolean", [](json& j) { j["assets"][1]["burnable"] = "yes"; }, "assets[1].burnable",
       "must be a boolean"},
      {"burnable as a number", [](json& j) { j["assets"][0]["burnable"] = 1; }, "assets[0].burnable",
       "must be a boolean"},
      {"decimals float", [](json& j) { j["assets"][1]["decimals"] = 1.5; }, "assets[1].decimals",
       "must be a whole number"},
      {"fee too big", [](json& j) { j["pools"][0]["fee_bps"] = 10000; }, "pools[0].fee_bps", "must be below 10000"},
      {"unknown pool asset", [](json& j) { j["pools"][0]["assets"][1] = "BTC"; }, "pools[0].assets[1]",
       "unknown asset BTC"},
      {"zero reserve", [](json& j) { j["pools"][0]["reserves"][1] = "0"; }, "pools[0].reserves[1]", "positive"},
      {"numeric reserve", [](json& j) { j["pools"][0]["reserves"][0] = 3000; }, "pools[0].reserves[0]", ""},
      {"duplicate pool",
       [](json& j) {
         j["pools"].push_back({{"assets", {"ETH", "USDC"}}, {"reserves", {"1", "1"}}, {"fee_bps", 1}});
       },
       "pools[1].assets", "duplicate pool"},
      {"same asset twice", [](json& j) { j["pools"][0]["assets"][1] = "USDC"; }, "pools[0].assets", "different"},
      {"too many dev accounts", [](json& j) { j["dev_accounts"]["count"] = 10001; }, "dev_accounts.count", "10000"},
      {"dev balance unknown asset", [](json& j) { j["dev_accounts"]["balances"]["DOGE"] = "1"; },
       "dev_accounts.balances.DOGE", "unknown asset"},
      {"leading zero amount", [](json& j) { j["accounts"][0]["balances"]["ETH"] = "07"; }, "accounts[0].balances.ETH",
       "leading zeros"},
      {"bad account key", [](json& j) { j["accounts"][0]["account"] = "00"; }, "accounts[0].account", "public key"},
      {"account duplicates a dev account",
       [](json& j) { j["accounts"][0]["account"] = dev_secret_key(1).public_key().hex(); }, "accounts[0].account",
       "dev account 1"},
      {"supply overflow",
       [](json& j) {
         j["dev_accounts"]["balances"]["ETH"] =
             "57896044618658097711785492504343953926634992332820282019728792003956564819968";  // 2^255
       },
       "dev_accounts.balances.ETH", "2^256-1"},
      {"assets empty", [](json& j) { j["assets"] = json::array(); }, "assets", "non-empty"},
      {"account not an object", [](json& j) { j["accounts"].push_back(5); }, "accounts[1]", "object"},
      {"account named twice",
       [](json& j) {
         j["accounts"].push_back(j["accounts"][0]);
         j["accounts"].push_back(j["accounts"][0]);
       },
       "accounts[1].account", "same as accounts[0]"},
  };
  for (const auto& c : cases) {
    json j = valid();
    c.edit(j);
    // The same error from the tree, from its text, and with the accounts read one by one.
    for (const auto& [how, g] : {std::pair{"tree", parse_genesis(j)}, std::pair{"text", parse_genesis_text(j.dump())},
                                 std::pair{"streamed", parse_genesis_text(assets_then_accounts(j))}}) {
      const std::string name = std::string(c.name) + " (" + how + ")";
      ASSERT_FALSE(g.ok()) << name;
      EXPECT_EQ(g.error().code, Errc::genesis_invalid) << name;
      EXPECT_EQ(g.error().field, c.field) << name << ": " << g.error().message;
      EXPECT_NE(g.error().message.find(c.says), std::string::npos) << name << ": " << g.error().message;
      EXPECT_EQ(g.error().message.rfind(std::string(c.field) + ": ", 0), 0u) << name << ": " << g.error().message;
    }
  }
}

TEST(Genesis, MalformedJsonReportsThePosition) {
  auto g = parse_genesis_text("{\"chain_id\": \"x\",\n \"assets\": [}");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, Errc::genesis_invalid);
  EXPECT_NE(g.error().message.find("at byte 31"), std::string::npos) << g.error().message;
}

}  // namespace
}  // namespace pactum

namespace pactum {
namespace {

// Found by fuzz_genesis: a number too large for a double is nlohmann's out_of_range, not a
// parse_error; it used to escape parse_genesis_text and end the process. And a member named
// twice is refused rather than silently the last one (issue 17).
TEST(Genesis, OutOfRangeNumbersAndRepeatedMembersAreErrorsNotCrashes) {
  auto huge = parse_genesis_text(R"({"chain_id":"x","timestamp":1e4008})");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, Errc::genesis_invalid);
  auto twice = parse_genesis_text(R"({"chain_id":"x","chain_id":"y"})");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, Errc::genesis_invalid);
  EXPECT_NE(twice.error().message.find("chain_id"), std::string::npos) << twice.error().message;
}

}  // namespace
}  // namespace pactum
