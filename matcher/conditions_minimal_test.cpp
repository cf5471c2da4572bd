// ConditionsMinimal.*: the smallest instances of single properties of conditional
// commitments (the properties: conditions_property_test.cpp; shared code:
// conditions_property.hpp).
#include <gtest/gtest.h>

#include "conditions_property.hpp"
#include "test_support.hpp"

namespace pactum::conditions_test {
namespace {

using test::swap_action;

Intent signed_intent(std::uint32_t who, std::uint64_t nonce, json body) {
  body["chain"] = test::kChain;
  body["signer"] = acct(who).hex();
  body["nonce"] = nonce;
  body["valid_until"] = 100;
  return sign_intent(body, keys().secret[who], /*deterministic=*/true).value();
}
json exists_swap(const std::string& sell, const std::string& buy) {
  return {{"type", "exists"}, {"pattern", {{"sell_asset", sell}, {"buy_asset", buy}}}};
}
json unless(json c) { return {{"type", "unless"}, {"condition", std::move(c)}}; }
Intent commitment(std::uint32_t who, json action, json condition) {
  return signed_intent(who, 0,
                       {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}});
}
const std::vector<bool> kNobodyPoor(kSigners, false);

// "Swap BBB->AAA unless another swap BBB->AAA settles", alone in its batch: its condition
// reads the other swaps of its pattern, never itself (exists excludes the commitment's own
// action), so there is no cycle and nothing else sells BBB: it settles.
TEST(ConditionsMinimal, UnlessExistsMatchingItsOwnSwapIsNoCycle) {
  const std::vector<Intent> batch{
      commitment(5, swap_action("BBB", "AAA", 2000, 1000), unless(exists_swap("BBB", "AAA")))};
  const Settlement st = test::run(make_state(kNobodyPoor), batch);
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled)
      << st.receipts[0].reason << ": " << st.receipts[0].message << "\n"
      << describe(Instance{kNobodyPoor, batch}, nullptr, &st);
}

// A commitment with fallback "pools" trades whatever its condition says, so it depends on
// nothing: a = "swap BBB->AAA iff a swap AAA->BBB exists, else trade anyway", b = "swap
// AAA->BBB unless a swap BBB->AAA settles". a settles (by its fallback, or with its
// condition met); b's "unless" is then false. No cycle through negation decides anything.
TEST(ConditionsMinimal, FallbackCommitmentReadByAnUnlessStillTrades) {
  json with_fallback = exists_swap("AAA", "BBB");
  with_fallback["fallback"] = "pools";
  const std::vector<Intent> batch{
      commitment(1, swap_action("BBB", "AAA", 1140, 570), with_fallback),
      commitment(6, swap_action("AAA", "BBB", 2200, 1100), unless(exists_swap("BBB", "AAA")))};
  const Settlement st = test::run(make_state(kNobodyPoor), batch);
  const std::string text = describe(Instance{kNobodyPoor, batch}, nullptr, &st);
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled) << text;
  EXPECT_NE(st.receipts[1].status, ReceiptStatus::settled) << text;
  EXPECT_EQ(st.receipts[1].reason, "condition_not_met") << text;
}

// Two accounts' "pledge 13 AAA iff 3 accounts commit": neither settles, and each one's
// receipt must not depend on which of the two comes first in the batch (matcher.hpp:
// permuting the batch permutes only the receipts).
TEST(ConditionsMinimal, FailedConditionReceiptsDoNotDependOnBatchOrder) {
  json pledge = {{"kind", "transfer"}, {"asset", "AAA"}, {"to", acct(kPot).hex()}, {"amount", "13"}};
  const Intent a = commitment(1, pledge, {{"type", "threshold"}, {"k", 3}});
  const Intent b = commitment(2, pledge, {{"type", "threshold"}, {"k", 3}});
  const MapState state = make_state(kNobodyPoor);
  const Settlement ab = test::run(state, {a, b});
  const Settlement ba = test::run(state, {b, a});
  EXPECT_EQ(ab.receipts[0].status, ReceiptStatus::unfilled);
  EXPECT_EQ(ab.receipts[0].reason, "condition_not_met");
  EXPECT_EQ(ab.receipts[0].message, ba.receipts[1].message);
  EXPECT_EQ(ab.receipts[0].related, ba.receipts[1].related);
  EXPECT_EQ(ab.receipts[1].message, ba.receipts[0].message);
  EXPECT_EQ(ab.receipts[1].related, ba.receipts[0].related);
}

// Each swap "unless the other way settles": two stable outcomes, a cycle through
// negation: both are left out with reason negation_cycle.
TEST(ConditionsMinimal, CycleThroughUnlessIsLeftOut) {
  const std::vector<Intent> batch{
      commitment(1, swap_action("AAA", "BBB", 2000, 1000), unless(exists_swap("BBB", "AAA"))),
      commitment(2, swap_action("BBB", "AAA", 2000, 1000), unless(exists_swap("AAA", "BBB")))};
  const Settlement st = test::run(make_state(kNobodyPoor), batch);
  for (const Receipt& r : st.receipts) {
    EXPECT_NE(r.status, ReceiptStatus::settled);
    EXPECT_EQ(r.reason, "negation_cycle");
  }
}

// p (unfunded) "pledge iff 1 account commits" holds, so the first round keeps p and drops
// d = "unless p settles"; p then fails its funding, and the next round lets d through.
TEST(ConditionsMinimal, UnlessOverACommitmentThatCannotExecute) {
  std::vector<bool> poor(kSigners, false);
  poor[3] = true;
  json pledge = {{"kind", "transfer"}, {"asset", "AAA"}, {"to", acct(kPot).hex()}, {"amount", "13"}};
  const Intent p = commitment(3, pledge, {{"type", "threshold"}, {"k", 1}});
  const Intent d = commitment(4, pledge, unless({{"type", "requires"}, {"ids", {p.id.hex()}}}));
  const Settlement st = test::run(make_state(poor), {p, d});
  EXPECT_EQ(st.receipts[0].reason, "insufficient_balance");
  EXPECT_EQ(st.receipts[1].status, ReceiptStatus::settled) << st.receipts[1].reason << ": " << st.receipts[1].message;
}

}  // namespace
}  // namespace pactum::conditions_test
