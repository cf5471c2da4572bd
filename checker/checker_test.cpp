// The checker on hand-made settlements: a good one passes clean, and each broken rule is
// reported under its own kind. The good world: assets AAA, BBB, CCC priced 1, 2, 4; a
// ring alice AAA->BBB, bob BBB->CCC, carol CCC->AAA that nets out; erin and frank trade
// BBB->AAA against the AAA/BBB pool; dave transfers; grace cancels her own swap; henry's
// swap is out of the money and stays unfilled.
#include "pactum/checker/checker.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace pactum::check {
namespace {

PublicKey acct(std::uint8_t i) {
  PublicKey k;
  k.bytes[0] = i;
  k.bytes[31] = 1;
  return k;
}
Hash32 id_of(std::uint8_t i) {
  Hash32 h;
  h.bytes[0] = i;
  h.bytes[1] = 0xAB;
  return h;
}

enum : std::uint8_t { alice = 1, bob, carol, dave, erin, frank, grace, henry, ivy };

Intent swap_intent(std::uint8_t who, std::string sell, std::string buy, SwapSide side, Amount s, Amount b, bool partial,
                   std::uint8_t id) {
  Intent in;
  in.chain = "test";
  in.signer = acct(who);
  in.nonce = 7;
  in.valid_until = 100;
  in.id = id_of(id);
  in.body = Swap{std::move(sell), std::move(buy), side, s, b, partial};
  return in;
}

Receipt settled(const Intent& in, std::string sold_asset, Amount sold, std::string bought_asset, Amount bought,
                std::optional<Price> price = std::nullopt, bool partial = false) {
  Receipt r;
  r.intent = in.id;
  r.status = ReceiptStatus::settled;
  r.reason = partial ? "partial" : "";
  r.sold_asset = std::move(sold_asset);
  r.sold = sold;
  r.bought_asset = std::move(bought_asset);
  r.bought = bought;
  r.price = std::move(price);
  r.partial_fill = partial;
  return r;
}

Price pair(std::string base, std::string quote, int num, int den) { return Price{base, quote, num, den}; }

struct World {
  State pre;
  std::vector<Intent> batch;
  Settlement s;
  BlockContext ctx{"test", 5, 0, {}, {}};

  World() {
    StateDelta g;
    for (const char* a : {"AAA", "BBB", "CCC"}) g.assets[a] = AssetInfo{a, 0};
    for (std::uint8_t i = alice; i <= ivy; ++i)
      for (const char* a : {"AAA", "BBB", "CCC"}) g.balances[BalanceKey{acct(i), a}] = 1000;
    g.pools[make_pool_id("AAA", "BBB")] = Pool{"AAA", "BBB", 10000, 4000, 0};
    pre.apply(g);

    const Price ab = pair("AAA", "BBB", 1, 2), bc = pair("BBB", "CCC", 1, 2), ac = pair("AAA", "CCC", 1, 4);
    auto add = [&](Intent in, Receipt r) {
      batch.push_back(std::move(in));
      s.receipts.push_back(std::move(r));
    };
    add(swap_intent(alice, "AAA", "BBB", SwapSide::sell, 100, 40, false, 1), {});
    s.receipts.back() = settled(batch.back(), "AAA", 100, "BBB", 50, ab);
    add(swap_intent(bob, "BBB", "CCC", SwapSide::sell, 50, 20, false, 2), {});
    s.receipts.back() = settled(batch.back(), "BBB", 50, "CCC", 25, bc);
    add(swap_intent(carol, "CCC", "AAA", SwapSide::sell, 25, 90, false, 3), {});
    s.receipts.back() = settled(batch.back(), "CCC", 25, "AAA", 100, ac);
    {
      Intent t;
      t.chain = "test";
      t.signer = acct(dave);
      t.nonce = 7;
      t.valid_until = 100;
      t.id = id_of(4);
      t.body = Transfer{"AAA", acct(ivy), 10};
      Receipt r;
      r.intent = t.id;
      r.status = ReceiptStatus::settled;
      r.sold_asset = "AAA";
      r.sold = 10;
      add(std::move(t), std::move(r));
    }
    add(swap_intent(erin, "BBB", "AAA", SwapSide::sell, 10, 15, false, 5), {});
    s.receipts.back() = settled(batch.back(), "BBB", 10, "AAA", 20, ab);
    // frank: side buy, exactly 8 AAA for at most 5 BBB, partial allowed; pays 4 at P = 2.
    add(swap_intent(frank, "BBB", "AAA", SwapSide::buy, 5, 8, true, 6), {});
    s.receipts.back() = settled(batch.back(), "BBB", 4, "AAA", 8, ab);
    // grace: a swap and the cancel that names it.
    add(swap_intent(grace, "AAA", "CCC", SwapSide::sell, 10, 1, false, 7), {});
    s.receipts.back().intent = batch.back().id;
    s.receipts.back().status = ReceiptStatus::cancelled;
    s.receipts.back().reason = "cancelled";
    {
      Intent c;
      c.chain = "test";
      c.signer = acct(grace);
      c.nonce = 8;
      c.valid_until = 100;
      c.id = id_of(8);
      c.body = Cancel{{id_of(7)}};
      Receipt r;
      r.intent = c.id;
      r.status = ReceiptStatus::settled;
      add(std::move(c), std::move(r));
    }
    // henry: 10 CCC for at least 50 AAA (limit 5 AAA per CCC; the batch gives 4): unfilled.
    add(swap_intent(henry, "CCC", "AAA", SwapSide::sell, 10, 50, true, 9), {});
    s.receipts.back().intent = batch.back().id;
    s.receipts.back().status = ReceiptStatus::unfilled;
    s.receipts.back().reason = "limit_not_reached";

    s.prices = {pair("AAA", "BBB", 1, 2), pair("AAA", "CCC", 1, 4), pair("BBB", "CCC", 1, 2)};
    s.asset_prices = {{"AAA", 1, 1}, {"BBB", 2, 1}, {"CCC", 4, 1}};
    auto set = [&](std::uint8_t who, const char* asset, int delta) {
      s.delta.balances[BalanceKey{acct(who), asset}] = Amount(1000 + delta);
    };
    set(alice, "AAA", -100), set(alice, "BBB", +50);
    set(bob, "BBB", -50), set(bob, "CCC", +25);
    set(carol, "CCC", -25), set(carol, "AAA", +100);
    set(dave, "AAA", -10), set(ivy, "AAA", +10);
    set(erin, "BBB", -10), set(erin, "AAA", +20);
    set(frank, "BBB", -4), set(frank, "AAA", +8);
    // The pool receives 14 BBB and gives 28 AAA at P = 2: 9972 * 4014 >= 10000 * 4000.
    s.delta.pools[make_pool_id("AAA", "BBB")] = Pool{"AAA", "BBB", 9972, 4014, 0};
    for (std::uint8_t who : {alice, bob, carol, dave, erin, frank, grace}) s.delta.nonces.insert({acct(who), 7});
    s.delta.nonces.insert({acct(grace), 8});
  }

  std::vector<Violation> check(CheckOptions o = {}) const {
    if (!o.ctx) o.ctx = &ctx;
    return check_settlement(pre, batch, s, o);
  }
  std::size_t index_of(std::uint8_t id) const {
    for (std::size_t i = 0; i < batch.size(); ++i)
      if (batch[i].id == id_of(id)) return i;
    ADD_FAILURE() << "no intent " << int(id);
    return 0;
  }
  Receipt& receipt(std::uint8_t id) { return s.receipts[index_of(id)]; }
  Swap& swap(std::uint8_t id) { return std::get<Swap>(batch[index_of(id)].body); }
  void set_balance(std::uint8_t who, const char* asset, int value) {
    s.delta.balances[BalanceKey{acct(who), asset}] = Amount(value);
  }
};

bool has(const std::vector<Violation>& v, const std::string& kind) {
  return std::any_of(v.begin(), v.end(), [&](const Violation& x) { return x.kind == kind; });
}

#define EXPECT_KIND(world, kind)                                                           \
  do {                                                                                     \
    auto found = (world).check();                                                          \
    EXPECT_TRUE(has(found, kind)) << "expected " << kind << ", got:\n" << describe(found); \
  } while (0)

TEST(Checker, AGoodRingPoolTransferCancelSettlementIsClean) {
  World w;
  auto v = w.check();
  EXPECT_TRUE(v.empty()) << describe(v);
  // Surplus: alice (50-40)*2 + bob (25-20)*4 + carol (100-90)*1 + erin (20-15)*1
  // + frank side buy (5*8/8 - 4)*2 = 20 + 20 + 10 + 5 + 2.
  EXPECT_EQ(trader_surplus(w.batch, w.s, effective_prices(w.s, nullptr)), Rational(57));
}

TEST(Checker, PairPricesAloneGiveTheSameVector) {
  World w;
  w.s.asset_prices.clear();
  auto v = w.check();
  EXPECT_TRUE(v.empty()) << describe(v);
  auto p = effective_prices(w.s, nullptr);
  EXPECT_TRUE(p.derived);
  EXPECT_EQ(p.price.at("CCC") / p.price.at("AAA"), Rational(4));
}

TEST(Checker, RequiringAssetPricesFlagsTheirAbsence) {
  World w;
  w.s.asset_prices.clear();
  CheckOptions o;
  o.require_asset_prices = true;
  EXPECT_TRUE(has(w.check(o), "price_vector"));
}

TEST(Checker, PairPricesInconsistentAroundACycle) {
  World w;
  w.s.asset_prices.clear();
  w.s.prices[1] = pair("AAA", "CCC", 1, 5);
  EXPECT_KIND(w, "price_vector");
}

TEST(Checker, TradedAssetWithoutAPrice) {
  World w;
  w.s.asset_prices.pop_back();  // CCC
  EXPECT_KIND(w, "price_vector");
}

TEST(Checker, ConservationBroken) {
  World w;  // alice gets one BBB more than anyone gave: her receipt and balance agree
  w.receipt(1).bought = 51;
  w.set_balance(alice, "BBB", 1051);
  EXPECT_KIND(w, "conservation");
}

TEST(Checker, BalanceDisagreesWithReceipts) {
  World w;
  w.set_balance(erin, "AAA", 1025);
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_a = 9967;  // conserved, still wrong for erin
  EXPECT_KIND(w, "balance");
}

TEST(Checker, LimitBroken) {
  World w;
  w.swap(1).buy_amount = 60;  // alice wanted 60 BBB; the batch price gives 50
  EXPECT_KIND(w, "limit");
}

TEST(Checker, PartialFillBelowItsLimitAtTheExactPrice) {
  World w;
  // henry's limit is 5 AAA per CCC and the batch pays 4, yet he is filled in part
  w.receipt(9) = settled(w.batch[w.index_of(9)], "CCC", 5, "AAA", 20, pair("AAA", "CCC", 1, 4), true);
  EXPECT_KIND(w, "limit");
}

TEST(Checker, FillOrKillFilledInPart) {
  World w;  // alice (fill-or-kill) sells half
  w.receipt(1).sold = 50;
  w.receipt(1).bought = 25;
  w.receipt(1).partial_fill = true;
  EXPECT_KIND(w, "fill_or_kill");
}

TEST(Checker, PartialFlagWrong) {
  World w;
  w.receipt(5).partial_fill = true;
  EXPECT_KIND(w, "partial_flag");
}

TEST(Checker, OffPriceInTheTradersFavour) {
  World w;  // erin gets 21 AAA for 10 BBB at P = 2
  w.receipt(5).bought = 21;
  w.set_balance(erin, "AAA", 1021);
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_a = 9971;
  EXPECT_KIND(w, "off_price");
}

TEST(Checker, OffPriceByMoreThanRounding) {
  World w;  // erin gets 18 AAA for 10 BBB: two units below the price, the pool keeps them
  w.receipt(5).bought = 18;
  w.set_balance(erin, "AAA", 1018);
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_a = 9974;
  EXPECT_KIND(w, "off_price");
}

TEST(Checker, OneUnitOfRoundingAgainstThePartialTraderIsFine) {
  World w;  // frank, at the money (8 AAA for at most 4 BBB), fills 7/8: x = 3.5 BBB, he pays 4
  w.swap(6).sell_amount = 4;
  w.receipt(6) = settled(w.batch[w.index_of(6)], "BBB", 4, "AAA", 7, pair("AAA", "BBB", 1, 2), true);
  w.set_balance(frank, "AAA", 1007);
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_a = 9973;
  auto v = w.check();
  EXPECT_TRUE(v.empty()) << describe(v);
}

TEST(Checker, OneUnitBelowTheExactSideOfAFullFillIsNotRounding) {
  World w;  // erin sold exactly 10 BBB at P = 2: floor(20) is 20, so 19 is off price
  w.receipt(5).bought = 19;
  w.set_balance(erin, "AAA", 1019);
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_a = 9973;
  EXPECT_KIND(w, "off_price");
}

TEST(Checker, PairPriceDisagreesWithTheVector) {
  World w;
  w.receipt(1).price = pair("AAA", "BBB", 1, 3);
  EXPECT_KIND(w, "pair_price");
}

TEST(Checker, PoolBelowItsCurve) {
  World w;  // the pool gives 28 AAA for only 10 BBB; frank's 4 BBB go to the dust account
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_b = 4010;
  w.s.delta.balances[BalanceKey{dust_account_for_check(), "BBB"}] = 4;
  EXPECT_KIND(w, "pool_curve");
}

TEST(Checker, PoolDrained) {
  World w;
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_a = 0;
  w.s.delta.balances[BalanceKey{dust_account_for_check(), "AAA"}] = 9972;
  EXPECT_KIND(w, "pool_curve");
}

TEST(Checker, PoolGivesValueAwayAtTheBatchPrices) {
  World w;  // the pool gives 10 AAA more than the traders took, to the dust account
  w.s.delta.pools[make_pool_id("AAA", "BBB")] = Pool{"AAA", "BBB", 9962, 4014, 0};
  w.s.delta.balances[BalanceKey{dust_account_for_check(), "AAA"}] = 10;
  EXPECT_KIND(w, "pool_price");
}

TEST(Checker, DustAccountLoses) {
  World w;
  w.pre.apply([] {
    StateDelta d;
    d.balances[BalanceKey{dust_account_for_check(), "AAA"}] = 5;
    return d;
  }());
  w.s.delta.balances[BalanceKey{dust_account_for_check(), "AAA"}] = 4;
  w.s.delta.pools[make_pool_id("AAA", "BBB")].reserve_a = 9973;
  EXPECT_KIND(w, "dust");
}

TEST(Checker, SpendingMoreThanTheBalance) {
  World w;  // dave transfers 1500 AAA with 1000
  std::get<Transfer>(w.batch[w.index_of(4)].body).amount = 1500;
  w.receipt(4).sold = 1500;
  w.set_balance(dave, "AAA", 0);
  w.set_balance(ivy, "AAA", 2500);
  EXPECT_KIND(w, "funding");
}

TEST(Checker, TransferOfTheWrongAmount) {
  World w;
  w.receipt(4).sold = 9;
  EXPECT_KIND(w, "transfer");
}

TEST(Checker, NonceNotUsed) {
  World w;
  w.s.delta.nonces.erase({acct(alice), 7});
  EXPECT_KIND(w, "nonce");
}

TEST(Checker, NonceUsedByNothing) {
  World w;
  w.s.delta.nonces.insert({acct(henry), 7});  // henry's swap is unfilled: its nonce stays free
  EXPECT_KIND(w, "nonce");
}

TEST(Checker, NonceAlreadyUsed) {
  World w;
  w.pre.apply([] {
    StateDelta d;
    d.nonces.insert({acct(bob), 7});
    return d;
  }());
  EXPECT_KIND(w, "nonce");
}

TEST(Checker, CancelledWithoutACancel) {
  World w;
  w.receipt(9).status = ReceiptStatus::cancelled;
  w.s.delta.nonces.insert({acct(henry), 7});
  EXPECT_KIND(w, "cancel");
}

TEST(Checker, StrictlyInTheMoneyPartialSwapLeftUnfilled) {
  World w;  // henry's limit 3 AAA per CCC; the batch pays 4
  w.swap(9).buy_amount = 30;
  EXPECT_KIND(w, "in_the_money");
  CheckOptions o;
  o.in_the_money_must_fill = false;
  EXPECT_FALSE(has(w.check(o), "in_the_money"));
}

TEST(Checker, AtTheMoneyPartialSwapMayStayUnfilled) {
  World w;  // limit exactly 4 AAA per CCC: rationing at the money is allowed
  w.swap(9).buy_amount = 40;
  auto v = w.check();
  EXPECT_TRUE(v.empty()) << describe(v);
}

// A pool the batch's prices leave outside its band is a standing order in the money: it
// owes its capacity at those prices (pool_in_the_money, a market-clearing rule that the
// producer ranks by and replay does not apply).
World with_pool(Amount bbb, Amount ccc, std::uint32_t fee_bps) {
  World w;
  StateDelta d;
  d.pools[make_pool_id("BBB", "CCC")] = Pool{"BBB", "CCC", bbb, ccc, fee_bps};
  w.pre.apply(d);
  return w;
}

std::size_t mentions(const std::vector<Violation>& v, const std::string& kind, const std::string& text) {
  return std::count_if(v.begin(), v.end(),
                       [&](const Violation& x) { return x.kind == kind && x.detail.find(text) != std::string::npos; });
}

TEST(Checker, PoolLeftIdleOutsideItsBandIsInTheMoney) {
  // The batch values BBB at 2 and CCC at 4 (0.5 CCC per BBB); this pool trades 1 CCC per
  // BBB: at the batch prices it would give BBB for CCC, 1000 - 1000 * 0.5 = 500 BBB's worth.
  World w = with_pool(1000, 1000, 30);
  CheckOptions o;
  o.pools_must_clear = true;
  const auto v = w.check(o);
  EXPECT_EQ(mentions(v, "pool_in_the_money", "pool BBB/CCC"), 1u) << describe(v);
  EXPECT_EQ(mentions(w.check(), "pool_in_the_money", "BBB/CCC"), 0u) << "off unless asked";
}

TEST(Checker, APoolInsideItsBandOwesNothing) {
  World w = with_pool(2000, 1000, 30);  // 0.5 CCC per BBB, the batch's price
  CheckOptions o;
  o.pools_must_clear = true;
  EXPECT_EQ(mentions(w.check(o), "pool_in_the_money", "BBB/CCC"), 0u) << describe(w.check(o));
  World edge = with_pool(2000, 1003, 30);  // 0.3% off, inside the 30 bps band
  EXPECT_EQ(mentions(edge.check(o), "pool_in_the_money", "BBB/CCC"), 0u) << describe(edge.check(o));
}

TEST(Checker, SettledOnAnotherChainOrExpired) {
  World w;
  w.batch[w.index_of(1)].chain = "other";
  w.batch[w.index_of(2)].valid_until = 4;
  auto v = w.check();
  EXPECT_EQ(std::count_if(v.begin(), v.end(), [](const Violation& x) { return x.kind == "validity"; }), 2)
      << describe(v);
}

TEST(Checker, SettledBeforeValidFrom) {
  World w;                                // the block is at height 5
  w.batch[w.index_of(1)].valid_from = 5;  // equal to the height: valid
  EXPECT_EQ(mentions(w.check(), "validity", ""), 0u) << describe(w.check());
  w.batch[w.index_of(2)].valid_from = 6;
  EXPECT_EQ(mentions(w.check(), "validity", "before valid_from"), 1u) << describe(w.check());
}

TEST(Checker, ReceiptsThatDoNotLineUp) {
  World w;
  w.s.receipts.pop_back();
  EXPECT_KIND(w, "structure");
  World u;
  u.receipt(2).intent = id_of(99);
  EXPECT_KIND(u, "structure");
}

}  // namespace
}  // namespace pactum::check
