// The Solver API's documents (docs/PROTOCOL.md, "Solver API"): the instance as sent, and
// the strict reading of a proposal into a Clearing.
#include <gtest/gtest.h>

#include "pactum/solvers/external.hpp"

namespace pactum::solvers {
namespace {

using nlohmann::json;

Hash32 id_of(std::uint8_t b) {
  Hash32 h;
  h.bytes.fill(b);
  return h;
}

Instance sample_instance() {
  Instance in;
  in.chain_id = "pactum-test";
  in.height = 7;
  in.assets = {{"BTC", 8}, {"ETH", 18}, {"USD", 6}};
  in.swaps = {{id_of(1), "USD", "BTC", SwapSide::sell, 100000, 2, true},
              {id_of(2), "BTC", "USD", SwapSide::buy, 3, 150000, false},
              {id_of(3), "ETH", "USD", SwapSide::sell, 10, 20000, true}};
  in.pools = {{"BTC", "USD", 1000, 50000000, 30}};
  return in;
}

json fill(std::uint8_t id, const char* sold, const char* bought) {
  return json{{"id", id_of(id).hex()}, {"sold", sold}, {"bought", bought}};
}

// BTC 50000, USD 1: swap 1 pays 100000 USD for 2 BTC, swap 2 pays 3 BTC for 150000 USD.
json good_proposal() {
  return json{
      {"prices", {{{"asset", "USD"}, {"num", "1"}, {"den", "1"}}, {{"asset", "BTC"}, {"num", "100000"}, {"den", "2"}}}},
      {"fills", {fill(2, "3", "150000"), fill(1, "100000", "2")}},
      {"pools", {{{"asset_a", "BTC"}, {"asset_b", "USD"}, {"reserve_a", "1001"}, {"reserve_b", "49950000"}}}}};
}

TEST(ExternalJson, InstanceCarriesEveryFieldAsSpecified) {
  const json j = instance_to_json(sample_instance(), 250);
  EXPECT_EQ(j.at("chain_id"), "pactum-test");
  EXPECT_EQ(j.at("height"), 7);
  EXPECT_EQ(j.at("deadline_ms"), 250);
  EXPECT_EQ(j.at("assets")[1], (json{{"symbol", "ETH"}, {"decimals", 18}}));
  EXPECT_EQ(j.at("swaps")[1], (json{{"id", id_of(2).hex()},
                                    {"sell_asset", "BTC"},
                                    {"buy_asset", "USD"},
                                    {"side", "buy"},
                                    {"sell_amount", "3"},
                                    {"buy_amount", "150000"},
                                    {"partial", false}}));
  EXPECT_EQ(
      j.at("pools")[0],
      (json{
          {"asset_a", "BTC"}, {"asset_b", "USD"}, {"reserve_a", "1000"}, {"reserve_b", "50000000"}, {"fee_bps", 30}}));
  EXPECT_EQ(j.size(), 6u);
}

TEST(ExternalJson, ProposalBecomesASortedClearingWithReducedPairPrices) {
  auto c = proposal_from_json(good_proposal(), sample_instance());
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->fills.size(), 2u);
  EXPECT_EQ(c->fills[0], (Fill{id_of(1), 100000, 2}));  // sorted by id
  EXPECT_EQ(c->fills[1], (Fill{id_of(2), 3, 150000}));
  ASSERT_EQ(c->asset_prices.size(), 2u);
  EXPECT_EQ(c->asset_prices[0], (AssetPrice{"BTC", 50000, 1}));  // reduced, sorted by asset
  EXPECT_EQ(c->asset_prices[1], (AssetPrice{"USD", 1, 1}));
  // One pair traded (both fills and the pool are BTC/USD): 1 BTC = 50000 USD.
  ASSERT_EQ(c->prices.size(), 1u);
  EXPECT_EQ(c->prices[0], (Price{"BTC", "USD", 50000, 1}));
  ASSERT_EQ(c->pools.size(), 1u);
  EXPECT_EQ(c->pools[0], (PoolReserves{"BTC", "USD", 1001, 49950000}));
}

TEST(ExternalJson, PairPriceIsBaseOverQuoteInLowestTerms) {
  json p = good_proposal();
  p["prices"] = {{{"asset", "USD"}, {"num", "6"}, {"den", "4"}}, {{"asset", "BTC"}, {"num", "9"}, {"den", "1"}}};
  auto c = proposal_from_json(p, sample_instance());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->prices[0], (Price{"BTC", "USD", 6, 1}));  // 9 / (3/2)
  EXPECT_EQ(c->asset_prices[1], (AssetPrice{"USD", 3, 2}));
}

TEST(ExternalJson, EmptyProposalIsAnEmptyClearing) {
  auto c = proposal_from_json(json{{"prices", json::array()}, {"fills", json::array()}, {"pools", json::array()}},
                              sample_instance());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, Clearing{});
}

// Each malformed proposal is refused as invalid_params, naming the field at fault.
void expect_refused(const json& p, const std::string& field) {
  auto c = proposal_from_json(p, sample_instance());
  ASSERT_FALSE(c.ok()) << p.dump();
  EXPECT_EQ(c.error().code, Errc::invalid_params);
  EXPECT_EQ(c.error().field, field) << c.error().message;
}

TEST(ExternalJson, UnknownFieldsAreRefused) {
  json p = good_proposal();
  p["score"] = "12";
  expect_refused(p, "score");
  p = good_proposal();
  p["fills"][0]["fee"] = "1";
  expect_refused(p, "fills[0].fee");
  p = good_proposal();
  p["pools"][0]["fee_bps"] = 30;
  expect_refused(p, "pools[0].fee_bps");
}

TEST(ExternalJson, MissingMembersAreRefused) {
  json p = good_proposal();
  p.erase("pools");
  expect_refused(p, "pools");
  p = good_proposal();
  p["fills"][1].erase("bought");
  expect_refused(p, "fills[1].bought");
  expect_refused(json::array(), "");
}

TEST(ExternalJson, FillsMustNameInstanceSwapsAtMostOnce) {
  json p = good_proposal();
  p["fills"][0]["id"] = id_of(9).hex();
  expect_refused(p, "fills[0].id");
  p = good_proposal();
  p["fills"][0]["id"] = "not-hex";
  expect_refused(p, "fills[0].id");
  p = good_proposal();
  p["fills"].push_back(fill(1, "1", "1"));
  expect_refused(p, "fills[2].id");
  p = good_proposal();
  p["fills"][0] = fill(2, "0", "0");
  expect_refused(p, "fills[0]");
}

TEST(ExternalJson, AmountsMustBeDecimalStrings) {
  for (const json& bad : {json(-3), json("-3"), json("3.5"), json("1e3"), json("03"), json(""), json("abc"), json(3)}) {
    json p = good_proposal();
    p["fills"][0]["sold"] = bad;
    expect_refused(p, "fills[0].sold");
  }
  json p = good_proposal();
  p["pools"][0]["reserve_b"] = "x";
  expect_refused(p, "pools[0].reserve_b");
}

TEST(ExternalJson, PricesMustBePositiveAndForInstanceAssetsOnce) {
  json p = good_proposal();
  p["prices"][0]["den"] = "0";
  expect_refused(p, "prices[0].den");
  p = good_proposal();
  p["prices"][1]["num"] = "0";
  expect_refused(p, "prices[1].num");
  p = good_proposal();
  p["prices"].push_back({{"asset", "DOGE"}, {"num", "1"}, {"den", "1"}});
  expect_refused(p, "prices[2].asset");
  p = good_proposal();
  p["prices"].push_back({{"asset", "USD"}, {"num", "2"}, {"den", "1"}});
  expect_refused(p, "prices[2].asset");
}

TEST(ExternalJson, ATradeWhoseAssetsLackAPriceIsRefused) {
  json p = good_proposal();
  p["prices"].erase(1);  // BTC unpriced: the first fill touching BTC/USD is at fault
  expect_refused(p, "fills[0].id");
  p = good_proposal();
  p["fills"] = json::array();
  p["prices"].erase(1);  // now only the pool touches BTC/USD
  expect_refused(p, "pools[0]");
}

TEST(ExternalJson, PoolsMustBeInstancePoolsThatTraded) {
  json p = good_proposal();
  p["pools"][0]["asset_a"] = "ETH";
  p["pools"][0]["asset_b"] = "USD";
  expect_refused(p, "pools[0]");
  p = good_proposal();
  p["pools"].push_back(p["pools"][0]);
  expect_refused(p, "pools[1]");
  p = good_proposal();
  p["pools"][0]["reserve_a"] = "1000";
  p["pools"][0]["reserve_b"] = "50000000";
  expect_refused(p, "pools[0]");
}

}  // namespace
}  // namespace pactum::solvers
