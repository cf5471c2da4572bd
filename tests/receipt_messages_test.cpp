// Receipt messages are sentences a person can act on: amounts and prices in display units
// (each asset's decimals), exact and deterministic, while the machine fields stay in
// base units.
#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum {
namespace {

using nlohmann::json;
const std::string kChain = "pactum-devnet";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// "2988.012345" from 2988012345 base units and 6 decimals (written independently of the
// matcher's formatter).
std::string shown(const Amount& base_units, unsigned decimals) {
  std::string s = amount_to_string(base_units);
  if (s.size() <= decimals) s.insert(0, decimals + 1 - s.size(), '0');
  std::string whole = s.substr(0, s.size() - decimals), frac = s.substr(s.size() - decimals);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? whole : whole + "." + frac;
}

struct ReceiptMessages : ::testing::Test {
  SecretKey alice = dev_secret_key(0), bob = dev_secret_key(1), carol = dev_secret_key(2);
  State state;

  void SetUp() override {
    StateDelta d;
    d.assets["ETH"] = AssetInfo{"ETH", 18};
    d.assets["USDC"] = AssetInfo{"USDC", 6};
    // 1000 ETH / 3,000,000 USDC: 3000 USDC per ETH, 0.3% fee.
    d.pools[make_pool_id("ETH", "USDC")] =
        Pool{"ETH", "USDC", Amount("1000000000000000000000"), Amount("3000000000000"), 30};
    for (const auto* k : {&alice, &bob, &carol}) {
      d.balances[BalanceKey{k->public_key(), "ETH"}] = Amount("10000000000000000000");
      d.balances[BalanceKey{k->public_key(), "USDC"}] = Amount("500000");  // 0.5 USDC
    }
    state.apply(d);
  }

  Intent sign(const SecretKey& who, json body, std::uint64_t nonce) {
    body["chain"] = kChain;
    body["signer"] = who.public_key().hex();
    body["nonce"] = nonce;
    body["valid_until"] = 100;
    return sign_intent(body, who).value();
  }
  Intent sell_eth(const SecretKey& who, const std::string& eth, const std::string& min_usdc) {
    return sign(who,
                {{"kind", "swap"},
                 {"sell_asset", "ETH"},
                 {"buy_asset", "USDC"},
                 {"side", "sell"},
                 {"sell_amount", eth},
                 {"buy_amount", min_usdc},
                 {"partial", false}},
                1);
  }
  Settlement run(const std::vector<Intent>& batch) { return settle(state, batch, BlockContext{kChain, 1, 0, {}, {}}); }
};

TEST_F(ReceiptMessages, SettledSwapShowsDisplayAmountsPriceAndLimit) {
  // Alice sells 1 ETH for at least 2900 USDC; Bob's limit (1,000,000 USDC) is never reached.
  const Intent a = sell_eth(alice, "1000000000000000000", "2900000000");
  const Intent b = sell_eth(bob, "1000000000000000000", "1000000000000");
  const Settlement st = run({a, b});
  const Receipt& ra = st.receipts[0];
  ASSERT_EQ(ra.status, ReceiptStatus::settled) << ra.message;
  // Machine fields stay in base units.
  EXPECT_EQ(ra.sold, Amount("1000000000000000000"));
  ASSERT_TRUE(ra.price.has_value());
  const std::string usdc = shown(ra.bought, 6);
  EXPECT_EQ(ra.message.rfind("sold 1 ETH for " + usdc + " USDC (price ", 0), 0u) << ra.message;
  // Display price = num/den * 10^18 / 10^6: its whole part is in the message.
  const BigInt whole = ra.price->num * BigInt("1000000000000") / ra.price->den;
  EXPECT_TRUE(whole > 2900 && whole < 3000) << whole;
  EXPECT_TRUE(contains(ra.message, "(price " + whole.str())) << ra.message;
  EXPECT_TRUE(contains(ra.message, " USDC per ETH); limit was at least 2900 USDC per ETH")) << ra.message;
  EXPECT_FALSE(contains(ra.message, "0.000000")) << "base units labelled as display units: " << ra.message;

  const Receipt& rb = st.receipts[1];
  ASSERT_EQ(rb.status, ReceiptStatus::unfilled) << rb.message;
  EXPECT_TRUE(
      contains(rb.message, "your limit is at least 1000000 USDC per ETH but this block cleared at " + whole.str()))
      << rb.message;
  EXPECT_TRUE(contains(rb.message, "until block 100")) << rb.message;

  // Deterministic: the same batch gives byte-identical messages (they are hashed).
  const Settlement again = run({a, b});
  EXPECT_EQ(again.receipts[0].message, ra.message);
  EXPECT_EQ(again.receipts[1].message, rb.message);
}

TEST_F(ReceiptMessages, SwapThatCrossesNothingNamesThePoolBandInDisplayUnits) {
  const Settlement st = run({sell_eth(alice, "1000000000000000000", "1000000000000")});
  const std::string& m = st.receipts[0].message;
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::unfilled);
  // bid = 3000 * 0.997 = 2991 exactly; ask = 3000 / 0.997 = 3009.02708...
  EXPECT_TRUE(contains(m, "the pool buys below 2991 USDC per ETH and sells above 3009.02708~ USDC per ETH")) << m;
}

TEST_F(ReceiptMessages, TransferAndInsufficientBalanceUseDisplayUnits) {
  const Intent pay =
      sign(alice, {{"kind", "transfer"}, {"asset", "USDC"}, {"to", bob.public_key().hex()}, {"amount", "250000"}}, 2);
  const Intent too_much =
      sign(carol, {{"kind", "transfer"}, {"asset", "USDC"}, {"to", bob.public_key().hex()}, {"amount", "1500000"}}, 2);
  const Settlement st = run({pay, too_much});
  EXPECT_EQ(st.receipts[0].sold, Amount(250000));
  EXPECT_EQ(st.receipts[0].message, "sent 0.25 USDC to " + bob.public_key().hex());
  EXPECT_EQ(st.receipts[1].reason, "insufficient_balance");
  EXPECT_TRUE(contains(st.receipts[1].message, "have 0.5 USDC")) << st.receipts[1].message;
  EXPECT_TRUE(contains(st.receipts[1].message, "need 1.5 USDC")) << st.receipts[1].message;
}

}  // namespace
}  // namespace pactum
