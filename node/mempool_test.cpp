// Mempool admission: reservations and each refusal, and the after-block bookkeeping.
#include "pactum/node/mempool.hpp"

#include <gtest/gtest.h>

namespace pactum {
namespace {

using nlohmann::json;

const std::string kChain = "pactum-devnet";

struct MempoolTest : ::testing::Test {
  SecretKey alice = dev_secret_key(0);
  SecretKey bob = dev_secret_key(1);
  State state;
  Mempool pool{kChain, 100};

  void SetUp() override {
    StateDelta d;
    d.assets["USDC"] = AssetInfo{"USDC", 6};
    d.assets["ETH"] = AssetInfo{"ETH", 18};
    d.balances[BalanceKey{alice.public_key(), "USDC"}] = 1000;
    d.balances[BalanceKey{alice.public_key(), "ETH"}] = 50;
    state.apply(d);
  }

  Intent transfer(const SecretKey& from, std::uint64_t nonce, const std::string& amount,
                  std::uint64_t valid_until = 100, const std::string& asset = "USDC",
                  const std::string& chain = kChain) {
    json j = {{"kind", "transfer"},         {"chain", chain}, {"signer", from.public_key().hex()}, {"nonce", nonce},
              {"valid_until", valid_until}, {"asset", asset}, {"to", bob.public_key().hex()},      {"amount", amount}};
    auto r = sign_intent(j, from, true);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.value();
  }

  Intent swap(const SecretKey& from, std::uint64_t nonce, const std::string& sell, std::uint64_t valid_until = 100) {
    json j = {{"kind", "swap"},
              {"chain", kChain},
              {"signer", from.public_key().hex()},
              {"nonce", nonce},
              {"valid_until", valid_until},
              {"sell_asset", "USDC"},
              {"buy_asset", "ETH"},
              {"side", "sell"},
              {"sell_amount", sell},
              {"buy_amount", "1"},
              {"partial", false}};
    return sign_intent(j, from, true).value();
  }

  Intent cancel(const SecretKey& from, std::uint64_t nonce, const std::vector<Hash32>& ids) {
    json arr = json::array();
    for (const auto& h : ids) arr.push_back(h.hex());
    json j = {{"kind", "cancel"}, {"chain", kChain},    {"signer", from.public_key().hex()},
              {"nonce", nonce},   {"valid_until", 100}, {"ids", arr}};
    return sign_intent(j, from, true).value();
  }

  Errc refusal(const Intent& i, std::uint64_t head = 0) {
    auto r = pool.add(i, state, head);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Errc::internal : r.error().code;
  }

  static Block block_of(std::uint64_t height, std::vector<std::pair<Intent, ReceiptStatus>> items) {
    Block b;
    b.header.height = height;
    for (auto& [i, s] : items) {
      Receipt r;
      r.intent = i.id;
      r.status = s;
      b.intents.push_back(i);
      b.receipts.push_back(r);
    }
    return b;
  }
};

TEST_F(MempoolTest, AcceptsAndReservesMaximumDebit) {
  ASSERT_TRUE(pool.add(transfer(alice, 1, "300"), state, 0).ok());
  ASSERT_TRUE(pool.add(swap(alice, 2, "200"), state, 0).ok());
  EXPECT_EQ(pool.reserved(alice.public_key(), "USDC"), Amount(500));
  EXPECT_EQ(pool.size(), 2u);
}

TEST_F(MempoolTest, RefusesWhatReservationsLeaveUncovered) {
  ASSERT_TRUE(pool.add(transfer(alice, 1, "600"), state, 0).ok());
  auto r = pool.add(transfer(alice, 2, "401"), state, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::insufficient_balance);
  EXPECT_NE(r.error().message.find("have 400"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("need 401"), std::string::npos) << r.error().message;
  EXPECT_TRUE(pool.add(transfer(alice, 2, "400"), state, 0).ok());  // exactly what is left
}

// A burn reserves its amount like a transfer; a burn of an asset genesis does not mark
// burnable is refused not_burnable, and neither refusal reserves anything.
TEST_F(MempoolTest, BurnReservesItsAmountAndNeedsABurnableAsset) {
  StateDelta d;
  d.assets["COMPUTE"] = AssetInfo{"COMPUTE", 0, true};
  d.balances[BalanceKey{alice.public_key(), "COMPUTE"}] = 100;
  d.supplies["COMPUTE"] = 100;
  state.apply(d);
  auto burn = [&](std::uint64_t nonce, const std::string& asset, const std::string& amount) {
    json j = {{"kind", "burn"},
              {"chain", kChain},
              {"signer", alice.public_key().hex()},
              {"nonce", nonce},
              {"valid_until", 100},
              {"asset", asset},
              {"amount", amount},
              {"request", std::string(64, '1')}};
    return sign_intent(j, alice, true).value();
  };
  ASSERT_TRUE(pool.add(burn(1, "COMPUTE", "60"), state, 0).ok());
  EXPECT_EQ(pool.reserved(alice.public_key(), "COMPUTE"), Amount(60));
  auto r = pool.add(burn(2, "COMPUTE", "41"), state, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::insufficient_balance);
  EXPECT_EQ(r.error().field, "amount");
  r = pool.add(burn(3, "USDC", "1"), state, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_burnable);
  EXPECT_EQ(r.error().field, "asset");
  EXPECT_EQ(refusal(burn(4, "GOLD", "1")), Errc::unknown_asset);
  EXPECT_EQ(pool.reserved(alice.public_key(), "COMPUTE"), Amount(60));
  EXPECT_EQ(pool.reserved(alice.public_key(), "USDC"), Amount(0));
  EXPECT_EQ(pool.size(), 1u);
}

TEST_F(MempoolTest, RefusesDuplicate) {
  auto t = transfer(alice, 1, "1");
  ASSERT_TRUE(pool.add(t, state, 0).ok());
  EXPECT_EQ(refusal(t), Errc::duplicate);
}

TEST_F(MempoolTest, RefusesWrongChain) {
  EXPECT_EQ(refusal(transfer(alice, 1, "1", 100, "USDC", "other-chain")), Errc::wrong_chain);
}

TEST_F(MempoolTest, RefusesNonceUsedOnChainOrPending) {
  ASSERT_TRUE(pool.add(transfer(alice, 1, "1"), state, 0).ok());
  EXPECT_EQ(refusal(transfer(alice, 1, "2")), Errc::nonce_used);
  StateDelta d;
  d.nonces.insert(NonceKey{alice.public_key(), 7});
  state.apply(d);
  EXPECT_EQ(refusal(transfer(alice, 7, "1")), Errc::nonce_used);
}

TEST_F(MempoolTest, RefusesExpired) {
  EXPECT_EQ(refusal(transfer(alice, 1, "1", /*valid_until=*/5), /*head=*/5), Errc::expired);
  EXPECT_TRUE(pool.add(transfer(alice, 2, "1", 6), state, 5).ok());  // next height 6 is fine
}

TEST_F(MempoolTest, RefusesUnknownAsset) {
  EXPECT_EQ(refusal(transfer(alice, 1, "1", 100, "DOGE")), Errc::unknown_asset);
}

TEST_F(MempoolTest, RefusesWhenFull) {
  Mempool tiny(kChain, 1);
  ASSERT_TRUE(tiny.add(transfer(alice, 1, "1"), state, 0).ok());
  auto r = tiny.add(transfer(alice, 2, "1"), state, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::mempool_full);
}

// The targets stay until the block that carries the cancel records them as cancelled
// (with their nonces used): dropping them before the batch left them replayable.
TEST_F(MempoolTest, CancelKeepsTargetsForItsBatchAndFreesTheirReservation) {
  auto t = transfer(alice, 1, "900");
  ASSERT_TRUE(pool.add(t, state, 0).ok());
  MempoolChanges changes;
  auto c = cancel(alice, 2, {t.id});
  ASSERT_TRUE(pool.add(c, state, 0, &changes).ok());
  ASSERT_NE(pool.find(t.id), nullptr);
  EXPECT_EQ(pool.find(t.id)->cancelled_by, std::optional<Hash32>(c.id));
  EXPECT_EQ(pool.find_dropped(t.id), nullptr);
  EXPECT_EQ(changes.dropped, std::vector<Hash32>{t.id});  // its status now reads cancelled
  EXPECT_EQ(pool.reserved(alice.public_key(), "USDC"), Amount(0));
  auto later = transfer(alice, 3, "1000");
  EXPECT_TRUE(pool.add(later, state, 0).ok());  // the 900 is free again
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.pending_ids(10), (std::vector<Hash32>{c.id, later.id}));  // t reads cancelled

  // The next batch carries the target right before its cancel.
  auto b = pool.batch(10, 1);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].id, t.id);
  EXPECT_EQ(b[1].id, c.id);
  EXPECT_EQ(b[2].id, later.id);

  // A second cancel may not name it again.
  EXPECT_EQ(refusal(cancel(alice, 4, {t.id})), Errc::not_cancellable);

  // The block cancels it: both leave, and the chain's index answers from then on.
  pool.on_block(block_of(1, {{t, ReceiptStatus::cancelled}, {c, ReceiptStatus::settled}}), state);
  EXPECT_EQ(pool.find(t.id), nullptr);
  EXPECT_EQ(pool.find(c.id), nullptr);
  EXPECT_EQ(pool.size(), 1u);
}

TEST_F(MempoolTest, BatchTakesACancelWithItsTargetsOrNotAtAll) {
  auto t = transfer(alice, 1, "10");
  auto other = transfer(alice, 2, "10");
  ASSERT_TRUE(pool.add(t, state, 0).ok());
  ASSERT_TRUE(pool.add(other, state, 0).ok());
  auto c = cancel(alice, 3, {t.id});
  ASSERT_TRUE(pool.add(c, state, 0).ok());
  // Room for 2: `other`, then the group {t, c} does not fit, so neither goes.
  auto b = pool.batch(2, 1);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].id, other.id);
  // A group larger than the cap still goes when it is first (it must not block the pool).
  Mempool solo(kChain, 100);
  ASSERT_TRUE(solo.add(t, state, 0).ok());
  ASSERT_TRUE(solo.add(c, state, 0).ok());
  b = solo.batch(1, 1);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].id, t.id);
  EXPECT_EQ(b[1].id, c.id);
}

TEST_F(MempoolTest, TargetOfACancelThatExpiredUnbatchedIsPendingAgain) {
  auto t = transfer(alice, 1, "900", /*valid_until=*/100);
  ASSERT_TRUE(pool.add(t, state, 0).ok());
  json arr = json::array({t.id.hex()});
  json j = {{"kind", "cancel"}, {"chain", kChain},  {"signer", alice.public_key().hex()},
            {"nonce", 2},       {"valid_until", 1}, {"ids", arr}};
  auto c = sign_intent(j, alice, true).value();
  ASSERT_TRUE(pool.add(c, state, 0).ok());
  EXPECT_EQ(pool.reserved(alice.public_key(), "USDC"), Amount(0));
  // Block 1 had no room for them; the cancel (valid_until 1) expires, the target stays.
  auto changes = pool.on_block(block_of(1, {}), state);
  EXPECT_EQ(pool.find(c.id), nullptr);
  ASSERT_NE(pool.find(t.id), nullptr);
  EXPECT_FALSE(pool.find(t.id)->cancelled_by.has_value());
  EXPECT_EQ(pool.reserved(alice.public_key(), "USDC"), Amount(900));
  EXPECT_EQ(changes.dropped, (std::vector<Hash32>{c.id, t.id}));
}

TEST_F(MempoolTest, RefusesCancelOfSomeoneElsesOrUnknownIntent) {
  StateDelta d;
  d.balances[BalanceKey{bob.public_key(), "USDC"}] = 10;
  state.apply(d);
  auto bobs = transfer(bob, 1, "1");
  ASSERT_TRUE(pool.add(bobs, state, 0).ok());
  EXPECT_EQ(refusal(cancel(alice, 1, {bobs.id})), Errc::not_cancellable);
  Hash32 unknown;
  unknown.bytes[0] = 1;
  EXPECT_EQ(refusal(cancel(alice, 2, {unknown})), Errc::not_cancellable);
  EXPECT_NE(pool.find(bobs.id), nullptr);
}

TEST_F(MempoolTest, AfterBlockRemovesFinalKeepsUnfilledDropsExpired) {
  auto settled = transfer(alice, 1, "100");
  auto unfilled = swap(alice, 2, "200");
  auto expiring = swap(alice, 3, "300", /*valid_until=*/1);
  auto untouched = transfer(alice, 4, "50");
  for (const auto& i : {settled, unfilled, expiring, untouched}) ASSERT_TRUE(pool.add(i, state, 0).ok());

  StateDelta d;  // the block debited the settled transfer
  d.balances[BalanceKey{alice.public_key(), "USDC"}] = 900;
  d.nonces.insert(NonceKey{alice.public_key(), 1});
  state.apply(d);
  auto changes = pool.on_block(block_of(1, {{settled, ReceiptStatus::settled},
                                            {unfilled, ReceiptStatus::unfilled},
                                            {expiring, ReceiptStatus::unfilled}}),
                               state);
  EXPECT_EQ(pool.find(settled.id), nullptr);
  ASSERT_NE(pool.find(unfilled.id), nullptr);
  EXPECT_EQ(pool.find(unfilled.id)->last_block, std::optional<std::uint64_t>(1));
  EXPECT_EQ(pool.find(expiring.id), nullptr);
  ASSERT_NE(pool.find_dropped(expiring.id), nullptr);
  EXPECT_EQ(pool.find_dropped(expiring.id)->status, "expired");
  EXPECT_EQ(changes.dropped, std::vector<Hash32>{expiring.id});
  EXPECT_NE(pool.find(untouched.id), nullptr);
  EXPECT_EQ(pool.reserved(alice.public_key(), "USDC"), Amount(250));  // 200 + 50
  // The settled intent's nonce is free in the mempool but used on chain.
  EXPECT_EQ(refusal(transfer(alice, 1, "1"), 1), Errc::nonce_used);
}

TEST_F(MempoolTest, BatchIsArrivalOrderedAndCapped) {
  std::vector<Intent> in;
  for (std::uint64_t n = 0; n < 5; ++n) {
    in.push_back(transfer(alice, 10 + n, "1"));
    ASSERT_TRUE(pool.add(in.back(), state, 0).ok());
  }
  auto b = pool.batch(3, 1);
  ASSERT_EQ(b.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(b[i].id, in[i].id);
}

// valid_from: admitted and reserved at once, but held out of every batch for a block
// below its height, and not counted as fresh (an instant-mode node must not produce
// empty blocks for it).
TEST_F(MempoolTest, HeldIntentIsNotBatchedUntilItsHeight) {
  json j = {{"kind", "transfer"},
            {"chain", kChain},
            {"signer", alice.public_key().hex()},
            {"nonce", 1},
            {"valid_until", 100},
            {"valid_from", 4},
            {"asset", "USDC"},
            {"to", bob.public_key().hex()},
            {"amount", "900"}};
  Intent held = sign_intent(j, alice, true).value();
  auto now = transfer(alice, 2, "50");
  ASSERT_TRUE(pool.add(held, state, 0).ok());
  ASSERT_TRUE(pool.add(now, state, 0).ok());
  EXPECT_EQ(pool.reserved(alice.public_key(), "USDC"), Amount(950));  // held, but its debit is reserved
  EXPECT_EQ(refusal(transfer(alice, 3, "100")), Errc::insufficient_balance);

  auto first = pool.batch(10, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, now.id);
  EXPECT_EQ(pool.fresh_count(1), 1u);
  pool.on_block(block_of(1, {{now, ReceiptStatus::settled}}), state);
  for (std::uint64_t height = 2; height < 4; ++height) {
    EXPECT_TRUE(pool.batch(10, height).empty()) << "height " << height;
    EXPECT_EQ(pool.fresh_count(height), 0u);
    pool.on_block(block_of(height, {}), state);
    ASSERT_NE(pool.find(held.id), nullptr);  // still pending
  }
  EXPECT_EQ(pool.fresh_count(4), 1u);
  auto b = pool.batch(10, 4);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].id, held.id);
}

// An unlock of BASE@H (or a room position) is checked at the first height that may
// include it: with valid_from >= H the node takes it before H and holds it.
TEST_F(MempoolTest, HeldUnlockIsCheckedAtItsValidFrom) {
  StateDelta d;
  d.assets["ETH@7"] = AssetInfo{"ETH@7", 18};
  d.assets["ETH@7"].unlocks_at = 7;
  d.balances[BalanceKey{alice.public_key(), "ETH@7"}] = 5;
  state.apply(d);
  json j = {{"kind", "unlock"}, {"chain", kChain},    {"signer", alice.public_key().hex()},
            {"nonce", 1},       {"valid_until", 100}, {"asset", "ETH@7"},
            {"amount", "5"}};
  EXPECT_EQ(refusal(sign_intent(j, alice, true).value()), Errc::locked);
  j["valid_from"] = 7;
  EXPECT_TRUE(pool.add(sign_intent(j, alice, true).value(), state, 0).ok());
  EXPECT_TRUE(pool.batch(10, 6).empty());
  EXPECT_EQ(pool.batch(10, 7).size(), 1u);
}

}  // namespace
}  // namespace pactum
