// Hand-built clearing cases: each names one rule of docs/MECHANISMS.md and checks it.
#include <gtest/gtest.h>

#include <algorithm>

#include "src/pool_math.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

using matching::Rational;
using test::account;
using test::IntentFactory;
using test::MapState;

const PublicKey alice = account(1);
const PublicKey bob = account(2);
const PublicKey carol = account(3);
const PublicKey dave = account(4);

MapState two_assets() {
  MapState s;
  s.asset("AAA").asset("BBB");
  for (const PublicKey& who : {alice, bob, carol, dave}) {
    s.balance(who, "AAA", 1'000'000).balance(who, "BBB", 1'000'000);
  }
  return s;
}

Rational price_of(const Price& p) { return Rational(p.num, p.den); }

TEST(Clearing, OppositeSwapsCrossWithoutPoolAtOnePrice) {
  MapState s = two_assets();
  IntentFactory f;
  // Alice sells 100 AAA for at least 150 BBB (>= 1.5); Bob pays 200 BBB for at least
  // 50 AAA (<= 4). E(p) = 100 - 200/p is zero at p = 2.
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 150, false),
                               f.swap(bob, 1, "BBB", "AAA", SwapSide::sell, 200, 50, false)};
  const Settlement st = test::run(s, batch);
  ASSERT_EQ(st.prices.size(), 1u);
  EXPECT_EQ(st.prices[0].base, "AAA");
  EXPECT_EQ(st.prices[0].quote, "BBB");
  EXPECT_EQ(price_of(st.prices[0]), Rational(2));
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled);
  EXPECT_EQ(st.receipts[0].sold, 100);
  EXPECT_EQ(st.receipts[0].bought, 200);
  EXPECT_EQ(st.receipts[1].sold, 200);
  EXPECT_EQ(st.receipts[1].bought, 100);
  EXPECT_EQ(st.delta.balances.at(BalanceKey{alice, "AAA"}), 1'000'000 - 100);
  EXPECT_EQ(st.delta.balances.at(BalanceKey{alice, "BBB"}), 1'000'000 + 200);
  EXPECT_EQ(st.delta.nonces.size(), 2u);
  EXPECT_TRUE(st.delta.pools.empty());
}

TEST(Clearing, ImbalanceTradesAgainstPoolWhichStaysOnItsCurve) {
  MapState s = two_assets();
  s.pool("AAA", "BBB", 1'000'000, 2'000'000, 30);
  IntentFactory f;
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 1000, 1, false)};
  const Settlement st = test::run(s, batch);
  ASSERT_EQ(st.prices.size(), 1u);
  // The pool buys exactly the 1000 AAA: Rq/p - Rb/gamma = 1000.
  const Rational gamma(9970, 10000);
  const Rational expected = Rational(2'000'000) / (Rational(1000) + Rational(1'000'000) / gamma);
  EXPECT_EQ(price_of(st.prices[0]), expected);
  const Receipt& r = st.receipts[0];
  ASSERT_EQ(r.status, ReceiptStatus::settled);
  EXPECT_EQ(r.sold, 1000);
  EXPECT_EQ(BigInt(r.bought), matching::floor_of(expected * 1000));
  const Pool& p = st.delta.pools.at(make_pool_id("AAA", "BBB"));
  EXPECT_EQ(p.reserve_a, 1'001'000);
  EXPECT_EQ(p.reserve_b, 2'000'000 - r.bought);
  EXPECT_GE(BigInt(p.reserve_a) * BigInt(p.reserve_b), BigInt(1'000'000) * 2'000'000);
  EXPECT_TRUE(matching::pool_invariant_holds({1'000'000, 2'000'000, 30}, BigInt(p.reserve_a), BigInt(p.reserve_b)));
}

TEST(Clearing, PoolInsideItsBandDoesNotTradeAndOrdersBelowItStayUnfilled) {
  MapState s = two_assets();
  s.pool("AAA", "BBB", 1'000'000, 2'000'000, 30);  // band about [1.994, 2.006]
  IntentFactory f;
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 1000, 2100, true)};
  const Settlement st = test::run(s, batch);
  EXPECT_TRUE(st.prices.empty());
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::unfilled);
  EXPECT_EQ(st.receipts[0].reason, "limit_not_reached");
  EXPECT_NE(st.receipts[0].message.find("2.1"), std::string::npos);
  EXPECT_TRUE(st.delta.empty());
}

TEST(Clearing, FillOrKillThatCannotFillFullyDoesNotFillAtAll) {
  IntentFactory f;
  // Alice sells 100 AAA (>= 1 BBB each), fill-or-kill; Bob buys exactly 50 AAA paying
  // at most 100 BBB. At p = 1 only half of Alice's order finds a buyer.
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 100, false),
                               f.swap(bob, 1, "BBB", "AAA", SwapSide::buy, 100, 50, false)};
  const Settlement st = test::run(two_assets(), batch);
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::unfilled);
  EXPECT_EQ(st.receipts[0].reason, "fok_not_fillable");
  EXPECT_EQ(st.receipts[1].status, ReceiptStatus::unfilled);
  EXPECT_TRUE(st.prices.empty());
  EXPECT_TRUE(st.delta.empty());  // no balance moved, no nonce used

  // The same with Alice partially fillable: she sells half at p = 1.
  batch[0] = f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 100, true);
  const Settlement part = test::run(two_assets(), batch);
  ASSERT_EQ(part.prices.size(), 1u);
  EXPECT_EQ(price_of(part.prices[0]), Rational(1));
  EXPECT_EQ(part.receipts[0].status, ReceiptStatus::settled);
  EXPECT_TRUE(part.receipts[0].partial_fill);
  EXPECT_EQ(part.receipts[0].reason, "partial");
  EXPECT_EQ(part.receipts[0].sold, 50);
  EXPECT_EQ(part.receipts[0].bought, 50);
  EXPECT_EQ(part.receipts[1].bought, 50);
  EXPECT_EQ(part.receipts[1].sold, 50);
}

TEST(Clearing, BuySideOrdersReceiveExactlyTheirAmount) {
  IntentFactory f;
  // Alice wants exactly 150 BBB for at most 100 AAA; Bob wants exactly 50 AAA for at
  // most 200 BBB. Only p = 3 gives both their exact amounts (150 BBB = 50 AAA * 3).
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::buy, 100, 150, false),
                               f.swap(bob, 1, "BBB", "AAA", SwapSide::buy, 200, 50, false)};
  const Settlement st = test::run(two_assets(), batch);
  ASSERT_EQ(st.prices.size(), 1u);
  EXPECT_EQ(price_of(st.prices[0]), Rational(3));
  EXPECT_EQ(st.receipts[0].bought, 150);
  EXPECT_EQ(st.receipts[0].sold, 50);
  EXPECT_EQ(st.receipts[1].bought, 50);
  EXPECT_EQ(st.receipts[1].sold, 150);
}

TEST(Clearing, MarginalVolumeGoesToPartialOrdersInAscendingId) {
  IntentFactory f;
  std::vector<Intent> asks = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 100, true),
                              f.swap(bob, 1, "AAA", "BBB", SwapSide::sell, 100, 100, true),
                              f.swap(carol, 1, "AAA", "BBB", SwapSide::sell, 100, 100, true)};
  std::sort(asks.begin(), asks.end(), [](const Intent& x, const Intent& y) { return x.id < y.id; });
  std::vector<Intent> batch = asks;
  // Dave buys exactly 150 AAA, paying up to 2 BBB each: at p = 1 the asks are marginal.
  batch.push_back(f.swap(dave, 1, "BBB", "AAA", SwapSide::buy, 300, 150, false));
  std::reverse(batch.begin(), batch.end());  // batch order must not matter
  const Settlement st = test::run(two_assets(), batch);
  ASSERT_EQ(st.prices.size(), 1u);
  EXPECT_EQ(price_of(st.prices[0]), Rational(1));
  auto receipt_of = [&](const Intent& in) {
    for (const Receipt& r : st.receipts) {
      if (r.intent == in.id) return r;
    }
    return Receipt{};
  };
  EXPECT_EQ(receipt_of(asks[0]).sold, 100);
  EXPECT_FALSE(receipt_of(asks[0]).partial_fill);
  EXPECT_EQ(receipt_of(asks[1]).sold, 50);
  EXPECT_TRUE(receipt_of(asks[1]).partial_fill);
  EXPECT_EQ(receipt_of(asks[2]).status, ReceiptStatus::unfilled);
  EXPECT_EQ(receipt_of(asks[2]).reason, "limit_not_reached");
  EXPECT_EQ(st.receipts[0].bought, 150);  // Dave
}

TEST(Clearing, BookThatDoesNotCrossTradesNothing) {
  IntentFactory f;
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 300, true),  // asks >= 3
                               f.swap(bob, 1, "BBB", "AAA", SwapSide::sell, 200, 100, true)};   // bids <= 2
  const Settlement st = test::run(two_assets(), batch);
  EXPECT_TRUE(st.prices.empty());
  for (const Receipt& r : st.receipts) {
    EXPECT_EQ(r.status, ReceiptStatus::unfilled);
    EXPECT_EQ(r.reason, "limit_not_reached");
  }
  EXPECT_NE(st.receipts[0].message.find("best bid was 2"), std::string::npos);
  EXPECT_TRUE(st.delta.empty());
}

TEST(Clearing, NoPoolAndNoCounterpartyIsNoLiquidity) {
  IntentFactory f;
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 1, true)};
  const Settlement st = test::run(two_assets(), batch);
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::unfilled);
  EXPECT_EQ(st.receipts[0].reason, "no_liquidity");
}

TEST(Clearing, ConstantSupplyMeetingConstantDemandClearsAtTheMidpoint) {
  IntentFactory f;
  // Alice sells exactly 100 AAA at >= 1; Bob buys exactly 100 AAA at <= 3: any p in
  // [1, 3] clears both; the rule takes the midpoint 2. Rounding dust is zero here.
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 100, false),
                               f.swap(bob, 1, "BBB", "AAA", SwapSide::buy, 300, 100, false)};
  const Settlement st = test::run(two_assets(), batch);
  ASSERT_EQ(st.prices.size(), 1u);
  EXPECT_EQ(price_of(st.prices[0]), Rational(2));
  EXPECT_EQ(st.receipts[0].bought, 200);
  EXPECT_EQ(st.receipts[1].sold, 200);
}

TEST(Clearing, RoundingDustWithoutPoolGoesToTheDustAccount) {
  IntentFactory f;
  // Alice sells exactly 5 AAA (>= 1); Bob buys exactly 2 AAA paying <= 7 BBB (<= 3.5);
  // Carol pays exactly 7 BBB for >= 1 AAA (<= 7). E(p) = 5 - 2 - 7/p = 0 at p = 7/3.
  // Alice receives floor(35/3) = 11 BBB, Bob pays ceil(14/3) = 5 BBB, Carol receives
  // floor(3) = 3 AAA. BBB paid 12, received 11: 1 BBB of dust.
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 5, 5, false),
                               f.swap(bob, 1, "BBB", "AAA", SwapSide::buy, 7, 2, false),
                               f.swap(carol, 1, "BBB", "AAA", SwapSide::sell, 7, 1, false)};
  const Settlement st = test::run(two_assets(), batch);
  ASSERT_EQ(st.prices.size(), 1u);
  EXPECT_EQ(price_of(st.prices[0]), Rational(7, 3));
  EXPECT_EQ(st.receipts[0].bought, 11);
  EXPECT_EQ(st.receipts[1].sold, 5);
  EXPECT_EQ(st.receipts[1].bought, 2);
  EXPECT_EQ(st.receipts[2].bought, 3);
  EXPECT_EQ(st.delta.balances.at(BalanceKey{dust_account(), "BBB"}), 1);
  EXPECT_EQ(st.delta.balances.count(BalanceKey{dust_account(), "AAA"}), 0u);
}

TEST(Clearing, WorkedExampleOfMechanismsDoc) {
  MapState s = two_assets();
  s.pool("AAA", "BBB", 1000, 2000, 0);
  IntentFactory f;
  std::vector<Intent> batch = {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 100, 150, false),
                               f.swap(bob, 1, "BBB", "AAA", SwapSide::sell, 110, 50, false)};
  const Settlement st = test::run(s, batch);
  ASSERT_EQ(st.prices.size(), 1u);
  EXPECT_EQ(st.prices[0].num, 211);
  EXPECT_EQ(st.prices[0].den, 110);
  EXPECT_EQ(st.receipts[0].sold, 100);
  EXPECT_EQ(st.receipts[0].bought, 191);
  EXPECT_EQ(st.receipts[1].sold, 110);
  EXPECT_EQ(st.receipts[1].bought, 57);
  const Pool& p = st.delta.pools.at(make_pool_id("AAA", "BBB"));
  EXPECT_EQ(p.reserve_a, 1043);
  EXPECT_EQ(p.reserve_b, 1919);
}

}  // namespace
}  // namespace pactum
