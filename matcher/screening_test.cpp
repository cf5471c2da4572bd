// Validity, cancels and funding (rules 1-3), and transfers.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pactum {
namespace {

using test::account;
using test::IntentFactory;
using test::MapState;

const PublicKey alice = account(1);
const PublicKey bob = account(2);

MapState funded() {
  MapState s;
  s.asset("AAA").asset("BBB");
  s.balance(alice, "AAA", 100).balance(bob, "AAA", 100);
  s.pool("AAA", "BBB", 1'000'000, 1'000'000, 0);
  return s;
}

TEST(Screening, TransferMovesBalanceAndUsesNonce) {
  IntentFactory f;
  const Settlement st = test::run(funded(), {f.transfer(alice, 7, "AAA", bob, 40)});
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled);
  EXPECT_EQ(st.receipts[0].sold, 40);
  EXPECT_EQ(st.delta.balances.at(BalanceKey{alice, "AAA"}), 60);
  EXPECT_EQ(st.delta.balances.at(BalanceKey{bob, "AAA"}), 140);
  EXPECT_EQ(st.delta.nonces.count(NonceKey{alice, 7}), 1u);
}

TEST(Screening, TransferToSelfSettlesWithoutChangingBalance) {
  IntentFactory f;
  const Settlement st = test::run(funded(), {f.transfer(alice, 1, "AAA", alice, 100)});
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled);
  EXPECT_TRUE(st.delta.balances.empty());
  EXPECT_EQ(st.delta.nonces.size(), 1u);
}

TEST(Screening, RejectionsKeepTheNonceFree) {
  MapState s = funded();
  s.nonce(alice, 5);
  IntentFactory f;
  Intent wrong_chain = f.transfer(alice, 1, "AAA", bob, 1);
  wrong_chain.chain = "other";
  Intent expired = f.transfer(alice, 2, "AAA", bob, 1);
  expired.valid_until = 9;
  Intent used = f.transfer(alice, 5, "AAA", bob, 1);
  Intent unknown = f.transfer(alice, 3, "ZZZ", bob, 1);
  const Settlement st = test::run(s, {wrong_chain, expired, used, unknown}, /*height=*/10);
  const char* reasons[] = {"wrong_chain", "expired", "nonce_used", "unknown_asset"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(st.receipts[i].status, ReceiptStatus::rejected) << i;
    EXPECT_EQ(st.receipts[i].reason, reasons[i]) << i;
    EXPECT_FALSE(st.receipts[i].message.empty());
  }
  EXPECT_TRUE(st.delta.empty());
}

TEST(Screening, ValidUntilEqualToHeightIsStillValid) {
  IntentFactory f;
  Intent in = f.transfer(alice, 1, "AAA", bob, 1);
  in.valid_until = 10;
  EXPECT_EQ(test::run(funded(), {in}, 10).receipts[0].status, ReceiptStatus::settled);
}

// valid_from: a block below it rejects the intent (not_yet_valid, the message names both
// heights, the nonce stays free); from that height on it settles.
TEST(Screening, ValidFromAboveTheBlockHeightIsNotYetValid) {
  IntentFactory f;
  Intent in = f.transfer(alice, 1, "AAA", bob, 1);
  in.valid_from = 11;
  const Settlement early = test::run(funded(), {in}, 10);
  EXPECT_EQ(early.receipts[0].status, ReceiptStatus::rejected);
  EXPECT_EQ(early.receipts[0].reason, "not_yet_valid");
  EXPECT_NE(early.receipts[0].message.find("valid_from 11"), std::string::npos) << early.receipts[0].message;
  EXPECT_NE(early.receipts[0].message.find("block height 10"), std::string::npos) << early.receipts[0].message;
  EXPECT_TRUE(early.delta.empty());
  EXPECT_EQ(test::run(funded(), {in}, 11).receipts[0].status, ReceiptStatus::settled);
}

// A cancel in the same block still cancels an intent that is not valid yet (and uses its
// nonce), so that a cancel never waits for its target's valid_from.
TEST(Screening, CancelCancelsAnIntentThatIsNotValidYet) {
  IntentFactory f;
  Intent later = f.transfer(alice, 1, "AAA", bob, 1);
  later.valid_from = 50;
  Intent cancel = f.cancel(alice, 2, {later.id});
  const Settlement st = test::run(funded(), {later, cancel}, 10);
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::cancelled);
  EXPECT_EQ(st.receipts[1].status, ReceiptStatus::settled);
  EXPECT_EQ(st.delta.nonces.count(NonceKey{alice, 1}), 1u);
}

TEST(Screening, SmallestIdWinsADuplicateNonceAndACopyIsADuplicate) {
  IntentFactory f;
  Intent a = f.transfer(alice, 1, "AAA", bob, 1);
  Intent b = f.transfer(alice, 1, "AAA", bob, 2);
  const bool a_first = a.id < b.id;
  const Settlement st = test::run(funded(), {a, b, a});
  EXPECT_EQ(st.receipts[a_first ? 0 : 1].status, ReceiptStatus::settled);
  EXPECT_EQ(st.receipts[a_first ? 1 : 0].reason, "duplicate_nonce");
  EXPECT_EQ(st.receipts[2].reason, "duplicate");
}

TEST(Screening, FundingReservesInIdOrderFromThePreBlockBalance) {
  IntentFactory f;
  Intent x = f.transfer(alice, 1, "AAA", bob, 60);
  Intent y = f.transfer(alice, 2, "AAA", bob, 60);
  const bool x_first = x.id < y.id;
  // Either batch order: the smaller id settles, the other is refused with have/need.
  for (const auto& batch : {std::vector<Intent>{x, y}, std::vector<Intent>{y, x}}) {
    const Settlement st = test::run(funded(), batch);
    const Intent& winner = x_first ? x : y;
    for (std::size_t i = 0; i < 2; ++i) {
      if (batch[i].id == winner.id) {
        EXPECT_EQ(st.receipts[i].status, ReceiptStatus::settled);
      } else {
        EXPECT_EQ(st.receipts[i].reason, "insufficient_balance");
        EXPECT_NE(st.receipts[i].message.find("have 40 AAA"), std::string::npos);
        EXPECT_NE(st.receipts[i].message.find("need 60"), std::string::npos);
      }
    }
  }
}

TEST(Screening, ProceedsOfTheBatchCannotBeSpentInTheSameBatch) {
  IntentFactory f;
  // Bob receives 40 AAA from Alice but holds 100: sending 120 must fail even so.
  const Settlement st =
      test::run(funded(), {f.transfer(alice, 1, "AAA", bob, 40), f.transfer(bob, 1, "AAA", alice, 120)});
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled);
  EXPECT_EQ(st.receipts[1].reason, "insufficient_balance");
  // Alice swaps AAA for BBB and tries to send BBB she does not hold yet.
  const Settlement sw = test::run(
      funded(), {f.swap(alice, 2, "AAA", "BBB", SwapSide::sell, 50, 1, false), f.transfer(alice, 3, "BBB", bob, 1)});
  EXPECT_EQ(sw.receipts[0].status, ReceiptStatus::settled);
  EXPECT_EQ(sw.receipts[1].reason, "insufficient_balance");
}

TEST(Screening, CancelCancelsOwnIntentsInTheBatchOnly) {
  IntentFactory f;
  Intent mine = f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 10, 1, false);
  Intent bobs = f.transfer(bob, 1, "AAA", alice, 5);
  Hash32 elsewhere = sha256(as_bytes("not in this batch"));
  Intent cancel = f.cancel(alice, 2, {mine.id, bobs.id, elsewhere});
  const Settlement st = test::run(funded(), {mine, bobs, cancel});
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::cancelled);
  EXPECT_EQ(st.receipts[0].reason, "cancelled");
  EXPECT_EQ(st.receipts[1].status, ReceiptStatus::settled);  // not Alice's to cancel
  EXPECT_EQ(st.receipts[2].status, ReceiptStatus::settled);
  EXPECT_EQ(st.delta.nonces.count(NonceKey{alice, 1}), 1u);  // cancelled: nonce used
  EXPECT_EQ(st.delta.nonces.count(NonceKey{alice, 2}), 1u);
  EXPECT_EQ(st.delta.balances.count(BalanceKey{alice, "BBB"}), 0u);  // the swap did not run
}

TEST(Screening, UnfilledSwapDoesNotUseItsNonce) {
  MapState s;
  s.asset("AAA").asset("BBB").balance(alice, "AAA", 100);
  IntentFactory f;
  const Settlement st = test::run(s, {f.swap(alice, 1, "AAA", "BBB", SwapSide::sell, 10, 1, false)});
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::unfilled);
  EXPECT_TRUE(st.delta.nonces.empty());
}

TEST(Screening, WorksOnTheLedgerState) {
  // The real State (with its Merkle tree) as the view, and the delta applied to it.
  StateDelta genesis;
  genesis.assets["AAA"] = AssetInfo{"AAA", 6};
  genesis.balances[BalanceKey{alice, "AAA"}] = 100;
  State state;
  state.apply(genesis);
  IntentFactory f;
  const Settlement st = settle(state, std::vector<Intent>{f.transfer(alice, 1, "AAA", bob, 30)}, test::context());
  state.apply(st.delta);
  EXPECT_EQ(state.balance(alice, "AAA"), 70);
  EXPECT_EQ(state.balance(bob, "AAA"), 30);
  EXPECT_TRUE(state.nonce_used(alice, 1));
}

}  // namespace
}  // namespace pactum
