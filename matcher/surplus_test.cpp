// Amount-aware conditions and actions (docs/MECHANISMS.md 7.9): patterns that bound what a
// match sells (min_sold, max_sold), read on the clearing of the round, and the
// post-clearing action share_surplus, paid out of what a swap received beyond its limit.
// The surplus-sharing route choice: X takes route B, which is better for Y, only if Y pays
// X half of the surplus Y gains from it. Every block is held to the rules by the checker.
#include <gtest/gtest.h>

#include <algorithm>

#include "pactum/checker/checker.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/matcher/matcher.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

using test::swap_action;

using nlohmann::json;

constexpr std::uint32_t kX = 0, kY = 1, kW = 2, kZ = 3;

Genesis route_genesis() {
  json j = {{"chain_id", "surplus-test"},
            {"assets",
             {{{"symbol", "AAA"}, {"decimals", 0}},
              {{"symbol", "BBB"}, {"decimals", 0}},
              {{"symbol", "CCC"}, {"decimals", 0}}}},
            {"dev_accounts", {{"count", 4}, {"balances", {{"AAA", "1000"}, {"BBB", "1000"}, {"CCC", "1000"}}}}}};
  auto g = parse_genesis(j);
  EXPECT_TRUE(g.ok()) << g.error().message;
  return *g;
}

PublicKey dev(std::uint32_t n) { return dev_secret_key(n).public_key(); }

json with_header(std::uint32_t who, std::uint64_t nonce, json j) {
  j["chain"] = "surplus-test";
  j["signer"] = dev(who).hex();
  j["nonce"] = nonce;
  j["valid_until"] = 1000;
  return j;
}

Intent sign(std::uint32_t who, const json& j) {
  auto in = sign_intent(j, dev_secret_key(who), true);
  EXPECT_TRUE(in.ok()) << in.error().message;
  return *in;
}

Intent swap(std::uint32_t who, std::uint64_t nonce, json action) {
  action.erase("kind");
  action["kind"] = "swap";
  return sign(who, with_header(who, nonce, std::move(action)));
}

json commit_body(std::uint32_t who, std::uint64_t nonce, json action, json condition) {
  return with_header(who, nonce,
                     {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}});
}

json share(const Intent& swap, std::uint32_t to, int bps, int cap, const std::string& asset = "BBB") {
  return {{"kind", "share_surplus"},   {"swap", swap.id.hex()}, {"asset", asset}, {"to", dev(to).hex()}, {"bps", bps},
          {"cap", std::to_string(cap)}};
}

json exists(const std::string& sell, const std::string& buy, std::uint32_t signer, json extra = json::object()) {
  json p = {{"sell_asset", sell}, {"buy_asset", buy}, {"signer", dev(signer).hex()}};
  p.update(extra);
  return {{"type", "exists"}, {"pattern", std::move(p)}};
}

json transfer(std::uint32_t to, const std::string& asset, int amount) {
  return {{"kind", "transfer"}, {"asset", asset}, {"to", dev(to).hex()}, {"amount", std::to_string(amount)}};
}

struct Chain {
  Genesis g = route_genesis();
  State state;
  Chain() { state.apply(genesis_delta(g)); }
  Settlement block(std::uint64_t height, const std::vector<Intent>& batch) {
    const BlockContext ctx = block_context(g, height, 0);
    Settlement s = settle(state, batch, ctx);
    // The checker reads the last round: the commitments as their actions, without those
    // that left play (what the matcher's last round cleared).
    std::vector<Intent> round;
    Settlement cleared = s;
    cleared.receipts.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (s.receipts[i].status != ReceiptStatus::settled) continue;
      round.push_back(batch[i].commit() ? action_intent(batch[i]) : batch[i]);
      cleared.receipts.push_back(s.receipts[i]);
    }
    check::CheckOptions opts;
    opts.ctx = &ctx;
    const auto v = check::check_settlement(state, round, cleared, opts);
    EXPECT_TRUE(v.empty()) << check::describe(v, 5);
    state.apply(s.delta);
    return s;
  }
  std::int64_t bal(std::uint32_t who, const std::string& asset) const {
    return static_cast<std::int64_t>(state.balance(dev(who), asset));
  }
};

// The route game. Y sells 1000 AAA for at least 900 BBB. X holds 950 BBB it would rather
// sell to W for 100 CCC (route A); on route B it sells them to Y for 1000 AAA, which gives Y
// 50 BBB beyond Y's limit. X takes route B only if Y's share commitment settles and Y's swap
// sells its whole 1000 AAA; Y shares 50% of the surplus, at most 40 BBB, only if X's
// route-B swap settles; X's route A runs unless its route B does.
struct RouteGame {
  Intent y_swap = swap(kY, 1, swap_action("AAA", "BBB", 1000, 900));
  json y_share = commit_body(kY, 2, share(y_swap, kX, 5000, 40), exists("BBB", "AAA", kX));
  Intent w_swap = swap(kW, 1, swap_action("CCC", "BBB", 100, 950));
  Hash32 share_program = decode_intent(y_share, false).value().commit()->program;
  json program_of_share = {{"type", "program"}, {"hash", share_program.hex()}, {"signer", dev(kY).hex()}};
  Intent x_route_b = sign(
      kX, commit_body(
              kX, 1, swap_action("BBB", "AAA", 950, 1000),
              {{"type", "all"}, {"conditions", {program_of_share, exists("AAA", "BBB", kY, {{"min_sold", "1000"}})}}}));
  Intent x_route_a = sign(kX, commit_body(kX, 2, swap_action("BBB", "CCC", 950, 100),
                                          {{"type", "unless"}, {"condition", exists("BBB", "AAA", kX)}}));
};

TEST(SurplusSharing, RouteBWithASidePaymentSettlesAndRouteAWaits) {
  Chain c;
  RouteGame g;
  const Settlement s = c.block(1, {g.y_swap, sign(kY, g.y_share), g.x_route_b, g.x_route_a, g.w_swap});
  ASSERT_EQ(s.receipts[0].status, ReceiptStatus::settled) << s.receipts[0].message;
  EXPECT_EQ(s.receipts[0].bought, Amount(950));  // 50 beyond its limit of 900
  ASSERT_EQ(s.receipts[1].status, ReceiptStatus::settled) << s.receipts[1].message;
  EXPECT_EQ(s.receipts[1].sold, Amount(25)) << "5000 bps of 50, under the cap of 40";
  EXPECT_EQ(s.receipts[1].message.rfind("condition (exists) met: shared 25 BBB with ", 0), 0u) << s.receipts[1].message;
  ASSERT_EQ(s.receipts[2].status, ReceiptStatus::settled) << s.receipts[2].message;
  EXPECT_EQ(s.receipts[3].reason, "condition_not_met") << s.receipts[3].message;  // route A waits
  EXPECT_EQ(s.receipts[4].status, ReceiptStatus::unfilled) << s.receipts[4].message;
  EXPECT_EQ(c.bal(kY, "AAA"), 0);
  EXPECT_EQ(c.bal(kY, "BBB"), 1000 + 950 - 25);
  EXPECT_EQ(c.bal(kX, "AAA"), 2000);
  EXPECT_EQ(c.bal(kX, "BBB"), 1000 - 950 + 25);
  EXPECT_EQ(c.bal(kX, "CCC"), 1000);
}

// Without Y's offer, X's route B has no share to count on: X takes route A with W, and Y's
// swap finds no counterparty.
TEST(SurplusSharing, WithoutTheShareXTakesRouteA) {
  Chain c;
  RouteGame g;
  const Settlement s = c.block(1, {g.y_swap, g.x_route_b, g.x_route_a, g.w_swap});
  EXPECT_EQ(s.receipts[0].status, ReceiptStatus::unfilled) << s.receipts[0].message;
  EXPECT_EQ(s.receipts[1].reason, "condition_not_met") << s.receipts[1].message;
  EXPECT_NE(s.receipts[1].message.find("program"), std::string::npos) << s.receipts[1].message;
  ASSERT_EQ(s.receipts[2].status, ReceiptStatus::settled) << s.receipts[2].message;
  ASSERT_EQ(s.receipts[3].status, ReceiptStatus::settled) << s.receipts[3].message;
  EXPECT_EQ(c.bal(kX, "CCC"), 1100);
  EXPECT_EQ(c.bal(kY, "BBB"), 1000);
}

// The cap binds, bps floor, and two shares of one swap together never exceed its surplus.
TEST(SurplusSharing, CapFloorAndSharesOfOneSwapStayWithinItsSurplus) {
  Chain c;
  // Y sells 1000 AAA for at least 900 BBB; Z sells 950 BBB for 1000 AAA: 50 beyond the limit.
  const Intent y = swap(kY, 1, swap_action("AAA", "BBB", 1000, 900));
  const Intent z = swap(kZ, 1, swap_action("BBB", "AAA", 950, 1000));
  const json requires_y = {{"type", "requires"}, {"ids", {y.id.hex()}}};
  const Intent capped = sign(kY, commit_body(kY, 2, share(y, kX, 10000, 30), requires_y));  // 50 -> cap 30
  const Intent rest = sign(kY, commit_body(kY, 3, share(y, kW, 10000, 1000), requires_y));  // what is left: 20
  const Intent tiny = sign(kY, commit_body(kY, 4, share(y, kZ, 3, 1000), requires_y));      // 50*3/10000 -> 0
  const Settlement s = c.block(1, {y, z, capped, rest, tiny});
  for (const Receipt& r : s.receipts) ASSERT_EQ(r.status, ReceiptStatus::settled) << r.message;
  // Paid in ascending id, each from what the ones before left.
  const bool capped_first = capped.id < rest.id;
  EXPECT_EQ(s.receipts[2].sold, Amount(capped_first ? 30 : 0));
  EXPECT_EQ(s.receipts[3].sold, Amount(capped_first ? 20 : 50));
  EXPECT_EQ(s.receipts[2].sold + s.receipts[3].sold + s.receipts[4].sold, Amount(50));
  EXPECT_EQ(s.receipts[4].sold, Amount(0));
  EXPECT_TRUE(c.state.nonce_used(dev(kY), 4)) << "a share of nothing still settles";
}

// A share whose swap does not settle pays nothing and waits; one naming another signer's
// swap, or another asset than the swap receives, is rejected.
TEST(SurplusSharing, UnsettledForeignOrMismatchedSwapsPayNothing) {
  Chain c;
  const Intent y = swap(kY, 1, swap_action("AAA", "BBB", 1000, 900));  // no counterparty
  const json any = {{"type", "any"}, {"conditions", {{{"type", "requires"}, {"ids", {y.id.hex()}}}}}};
  const Intent waits = sign(kY, commit_body(kY, 2, share(y, kX, 5000, 40), any));
  const Intent foreign = sign(kX, commit_body(kX, 2, share(y, kX, 5000, 40), exists("AAA", "BBB", kY)));
  Settlement s = c.block(1, {y, waits, foreign});
  EXPECT_EQ(s.receipts[0].status, ReceiptStatus::unfilled) << s.receipts[0].message;
  EXPECT_EQ(s.receipts[1].reason, "swap_not_settled") << s.receipts[1].message;
  EXPECT_EQ(s.receipts[1].sold, Amount(0));
  const Intent z = swap(kZ, 1, swap_action("BBB", "AAA", 950, 1000));
  const Intent wrong_asset = sign(kY, commit_body(kY, 3, share(y, kX, 5000, 40, "AAA"), any));
  s = c.block(2, {y, z, waits, foreign, wrong_asset});
  EXPECT_EQ(s.receipts[2].status, ReceiptStatus::settled) << s.receipts[2].message;
  EXPECT_EQ(s.receipts[3].reason, "share_not_own_swap") << s.receipts[3].message;
  EXPECT_EQ(s.receipts[4].reason, "share_asset_mismatch") << s.receipts[4].message;
  // A swap settled in an earlier block: the share waits (unfilled), nothing moves.
  const Intent peer = sign(kW, with_header(kW, 5, transfer(kX, "CCC", 1)));
  const Intent late =
      sign(kY, commit_body(kY, 5, share(y, kX, 5000, 40), {{"type", "requires"}, {"ids", {peer.id.hex()}}}));
  s = c.block(3, {late, peer});
  EXPECT_EQ(s.receipts[0].reason, "swap_not_settled") << s.receipts[0].message;
}

// A pattern's amount bound is read on the round's clearing: a partial fill that sells less
// than min_sold does not satisfy it, and the commitment leaves play; within the bound it does.
TEST(AmountBounds, MinSoldReadsTheSettledAmount) {
  for (const int min_sold : {800, 500}) {
    Chain c;
    const Intent y = swap(kY, 1, swap_action("AAA", "BBB", 1000, 900, /*partial=*/true));
    const Intent z = swap(kZ, 1, swap_action("BBB", "AAA", 450, 500));  // takes 500 AAA of Y's 1000 at 0.9
    const Intent w = sign(kW, commit_body(kW, 1, transfer(kX, "CCC", 10),
                                          exists("AAA", "BBB", kY, {{"min_sold", std::to_string(min_sold)}})));
    const Settlement s = c.block(1, {y, z, w});
    ASSERT_EQ(s.receipts[0].status, ReceiptStatus::settled) << s.receipts[0].message;
    EXPECT_EQ(s.receipts[0].sold, Amount(500));
    if (min_sold == 800) {
      EXPECT_EQ(s.receipts[2].reason, "condition_not_met") << s.receipts[2].message;
      EXPECT_EQ(s.receipts[2].message.rfind("amounts: ", 0), 0u) << s.receipts[2].message;
      EXPECT_NE(s.receipts[2].message.find("sold 500"), std::string::npos) << s.receipts[2].message;
      EXPECT_EQ(c.bal(kX, "CCC"), 1000);
    } else {
      EXPECT_EQ(s.receipts[2].status, ReceiptStatus::settled) << s.receipts[2].message;
      EXPECT_EQ(c.bal(kX, "CCC"), 1010);
    }
  }
}

TEST(AmountBounds, MaxSoldAndTheProgramHashNormalForm) {
  Chain c;
  const Intent y = swap(kY, 1, swap_action("AAA", "BBB", 1000, 900));
  const Intent z = swap(kZ, 1, swap_action("BBB", "AAA", 950, 1000));
  const json bound = exists("AAA", "BBB", kY, {{"max_sold", "999"}});
  const Intent w = sign(kW, commit_body(kW, 1, transfer(kX, "CCC", 10), bound));
  const Settlement s = c.block(1, {y, z, w});
  EXPECT_EQ(s.receipts[2].reason, "condition_not_met") << s.receipts[2].message;
  EXPECT_EQ(s.receipts[0].status, ReceiptStatus::settled) << "the swaps settle without the commitment";
  // Bounds are part of the program; absent, the hash is the one it always was.
  const auto program = [](const json& body) { return decode_intent(body, false).value().commit()->program; };
  const json plain = commit_body(kW, 1, transfer(kX, "CCC", 10), exists("AAA", "BBB", kY));
  EXPECT_NE(program(commit_body(kW, 1, transfer(kX, "CCC", 10), bound)), program(plain));
}

TEST(AmountBounds, MalformedFieldsAreRefusedWithTheirPath) {
  const auto error = [](const json& action, const json& condition) {
    auto in = decode_intent(commit_body(kY, 1, action, condition), false);
    return in.ok() ? std::string("ok") : in.error().message;
  };
  const Intent y = swap(kY, 1, swap_action("AAA", "BBB", 1000, 900));
  const json ok_cond = {{"type", "requires"}, {"ids", {y.id.hex()}}};
  EXPECT_EQ(error(share(y, kX, 5000, 40), ok_cond), "ok");
  EXPECT_EQ(error(share(y, kX, 10001, 40), ok_cond), "action.bps: must be between 1 and 10000");
  EXPECT_EQ(error(share(y, kX, 0, 40), ok_cond), "action.bps: must be between 1 and 10000");
  EXPECT_NE(error(share(y, kX, 5000, 0), ok_cond).find("action.cap: "), std::string::npos);
  json bad_swap = share(y, kX, 5000, 40);
  bad_swap["swap"] = "12";
  EXPECT_EQ(error(bad_swap, ok_cond).rfind("action.swap: ", 0), 0u);
  json extra = share(y, kX, 5000, 40);
  extra["memo"] = "x";
  EXPECT_EQ(error(extra, ok_cond).rfind("action.memo: ", 0), 0u);
  const json t = transfer(kX, "CCC", 1);
  EXPECT_EQ(error(t, exists("AAA", "BBB", kY, {{"min_sold", "0"}})).rfind("condition.pattern.min_sold: ", 0), 0u);
  EXPECT_EQ(error(t, exists("AAA", "BBB", kY, {{"min_sold", "5"}, {"max_sold", "4"}})),
            "condition.pattern.min_sold: is larger than max_sold: no amount lies between them");
  EXPECT_EQ(error(t, {{"type", "unless"}, {"condition", exists("AAA", "BBB", kY, {{"max_sold", "4"}})}})
                .rfind("condition.condition.pattern.max_sold: ", 0),
            0u);
  json pools = exists("AAA", "BBB", kY, {{"min_sold", "4"}});
  pools["fallback"] = "pools";
  EXPECT_EQ(error(swap_action("CCC", "AAA", 1, 1), pools).rfind("condition.pattern.min_sold: ", 0), 0u);
}

}  // namespace
}  // namespace pactum

namespace pactum {
namespace {

// The checker's rule `share`: a share receipt paying more than its bps of the surplus (or
// above its cap) is a violation, whatever the delta says.
TEST(SurplusSharing, TheCheckerRefusesAShareAboveItsBpsOrCap) {
  Chain c;
  const Intent y = swap(kY, 1, swap_action("AAA", "BBB", 1000, 900));
  const Intent z = swap(kZ, 1, swap_action("BBB", "AAA", 950, 1000));
  const Intent sh = sign(kY, commit_body(kY, 2, share(y, kX, 5000, 20), {{"type", "requires"}, {"ids", {y.id.hex()}}}));
  const BlockContext ctx = block_context(c.g, 1, 0);
  const Settlement s = settle(c.state, std::vector<Intent>{y, z, sh}, ctx);
  ASSERT_EQ(s.receipts[2].sold, Amount(20)) << s.receipts[2].message;  // min(cap 20, 25)
  const std::vector<Intent> round{y, z, action_intent(sh)};
  check::CheckOptions opts;
  opts.ctx = &ctx;
  EXPECT_TRUE(check::check_settlement(c.state, round, s, opts).empty());
  for (const int paid : {21, 26}) {
    Settlement bad = s;
    bad.receipts[2].sold = Amount(paid);
    const auto v = check::check_settlement(c.state, round, bad, opts);
    EXPECT_TRUE(std::any_of(v.begin(), v.end(), [](const check::Violation& x) { return x.kind == "share"; }))
        << paid << "\n"
        << check::describe(v, 5);
  }
}

}  // namespace
}  // namespace pactum
