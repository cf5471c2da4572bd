// Compute futures: a lock turns COMPUTE into COMPUTE@H, which trades like any asset at the
// batch price and can be unlocked (or burned) only from height H on (docs/MECHANISMS.md
// section 14). The checker holds the matcher to both.
#include <gtest/gtest.h>

#include "pactum/checker/checker.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum {
namespace {

using nlohmann::json;

Genesis futures_genesis() {
  json j = {
      {"chain_id", "lock-test"},
      {"assets", {{{"symbol", "COMPUTE"}, {"decimals", 0}, {"burnable", true}}, {{"symbol", "USDC"}, {"decimals", 6}}}},
      {"dev_accounts", {{"count", 3}, {"balances", {{"COMPUTE", "1000"}, {"USDC", "500"}}}}}};
  auto g = parse_genesis(j);
  EXPECT_TRUE(g.ok()) << g.error().message;
  return *g;
}

Intent signed_intent(std::uint32_t dev, json j) {
  const SecretKey k = dev_secret_key(dev);
  j["chain"] = "lock-test";
  j["signer"] = k.public_key().hex();
  j["valid_until"] = 1000;
  auto in = sign_intent(j, k, true);
  EXPECT_TRUE(in.ok()) << in.error().message;
  return *in;
}

Intent lock(std::uint32_t dev, const std::string& amount, std::uint64_t until, std::uint64_t nonce) {
  return signed_intent(
      dev, {{"kind", "lock"}, {"nonce", nonce}, {"asset", "COMPUTE"}, {"amount", amount}, {"until", until}});
}

Intent unlock(std::uint32_t dev, const std::string& asset, const std::string& amount, std::uint64_t nonce) {
  return signed_intent(dev, {{"kind", "unlock"}, {"nonce", nonce}, {"asset", asset}, {"amount", amount}});
}

Intent burn(std::uint32_t dev, const std::string& asset, const std::string& amount, std::uint64_t nonce) {
  return signed_intent(
      dev,
      {{"kind", "burn"}, {"nonce", nonce}, {"asset", asset}, {"amount", amount}, {"request", std::string(64, 'a')}});
}

Intent swap(std::uint32_t dev, const std::string& sell, const std::string& buy, const std::string& side,
            const std::string& sell_amount, const std::string& buy_amount, std::uint64_t nonce) {
  return signed_intent(dev, {{"kind", "swap"},
                             {"nonce", nonce},
                             {"sell_asset", sell},
                             {"buy_asset", buy},
                             {"side", side},
                             {"sell_amount", sell_amount},
                             {"buy_amount", buy_amount},
                             {"partial", false}});
}

struct Chain {
  Genesis g = futures_genesis();
  State state;
  Chain() { state.apply(genesis_delta(g)); }
  // Settles `batch` at `height`, checks it by the rules and applies it.
  Settlement block(std::uint64_t height, const std::vector<Intent>& batch) {
    const BlockContext ctx = block_context(g, height, 0);
    Settlement s = settle(state, batch, ctx);
    check::CheckOptions opts;
    opts.ctx = &ctx;
    const auto v = check::check_settlement(state, batch, s, opts);
    EXPECT_TRUE(v.empty()) << check::describe(v, 5);
    state.apply(s.delta);
    return s;
  }
};

PublicKey dev(std::uint32_t n) { return dev_secret_key(n).public_key(); }

TEST(Lock, LocksTradesAtTheBatchPriceAndUnlocksFromItsHeightOn) {
  Chain c;
  Settlement s = c.block(1, {lock(0, "400", 5, 1)});
  ASSERT_EQ(s.receipts[0].status, ReceiptStatus::settled) << s.receipts[0].message;
  EXPECT_EQ(s.receipts[0].bought_asset, "COMPUTE@5");
  EXPECT_EQ(c.state.balance(dev(0), "COMPUTE"), Amount(600));
  EXPECT_EQ(c.state.balance(dev(0), "COMPUTE@5"), Amount(400));
  EXPECT_EQ(c.state.supply("COMPUTE"), Amount(3000));  // locking destroys nothing
  const auto info = c.state.asset("COMPUTE@5");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->unlocks_at, 5u);
  EXPECT_FALSE(info->burnable);

  // The forward market: dev0 sells 100 COMPUTE@5 for at least 90 COMPUTE, dev1 buys 100
  // paying at most 95. One batch price between the limits.
  s = c.block(2, {swap(0, "COMPUTE@5", "COMPUTE", "sell", "100", "90", 2),
                  swap(1, "COMPUTE", "COMPUTE@5", "buy", "95", "100", 1)});
  for (const Receipt& r : s.receipts) ASSERT_EQ(r.status, ReceiptStatus::settled) << r.message;
  ASSERT_EQ(s.prices.size(), 1u);
  EXPECT_EQ(c.state.balance(dev(1), "COMPUTE@5"), Amount(100));
  const Amount paid = s.receipts[1].sold;
  EXPECT_GE(paid, Amount(90));
  EXPECT_LE(paid, Amount(95));

  // Before height 5: neither an unlock nor a burn of COMPUTE@5; nothing moves.
  const Hash32 root = c.state.root();
  s = c.block(4, {unlock(1, "COMPUTE@5", "100", 2), burn(0, "COMPUTE@5", "10", 3)});
  for (const Receipt& r : s.receipts) {
    EXPECT_EQ(r.status, ReceiptStatus::rejected);
    EXPECT_EQ(r.reason, "locked") << r.message;
  }
  EXPECT_TRUE(s.delta.empty());
  EXPECT_EQ(c.state.root(), root);

  // From height 5: unlocked one for one. A locked form is never burned itself.
  s = c.block(5, {unlock(1, "COMPUTE@5", "100", 3), burn(0, "COMPUTE@5", "10", 4)});
  EXPECT_EQ(s.receipts[0].status, ReceiptStatus::settled) << s.receipts[0].message;
  EXPECT_EQ(s.receipts[1].reason, "not_burnable") << s.receipts[1].message;
  EXPECT_EQ(c.state.balance(dev(1), "COMPUTE@5"), Amount(0));
  EXPECT_EQ(c.state.balance(dev(1), "COMPUTE"), Amount(1000) - paid + Amount(100));
  EXPECT_EQ(c.state.supply("COMPUTE"), Amount(3000));
}

TEST(Lock, RefusesALockOfUnknownOrUnfundedAssets) {
  Chain c;
  // More than the balance; an unlock of a locked form of an asset that does not exist.
  Settlement s = c.block(1, {lock(0, "1001", 5, 1), unlock(1, "GOLD@1", "1", 1)});
  EXPECT_EQ(s.receipts[0].reason, "insufficient_balance");
  EXPECT_EQ(s.receipts[1].reason, "unknown_asset");
  EXPECT_TRUE(s.delta.empty());
}

TEST(Lock, CheckerRefusesAnEarlyUnlockAndAConversionThatIsNotOneForOne) {
  Chain c;
  c.block(1, {lock(0, "400", 5, 1)});
  const BlockContext late = block_context(c.g, 5, 0);
  const std::vector<Intent> batch = {unlock(0, "COMPUTE@5", "400", 2)};
  const Settlement s = settle(c.state, batch, late);
  ASSERT_EQ(s.receipts[0].status, ReceiptStatus::settled);

  // The same settlement recorded in a block of height 4 unlocks early.
  const BlockContext early = block_context(c.g, 4, 0);
  check::CheckOptions opts;
  opts.ctx = &early;
  auto v = check::check_settlement(c.state, batch, s, opts);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].kind, "lock") << check::describe(v, 3);

  // An unlock that pays out more than it takes.
  Settlement more = s;
  more.delta.balances[BalanceKey{dev(0), "COMPUTE"}] = Amount(1001);
  more.receipts[0].bought = Amount(401);
  v = check::check_settlement(c.state, batch, more);
  ASSERT_FALSE(v.empty());
  bool named = false;
  for (const auto& x : v) named = named || x.kind == "lock" || x.kind == "conservation";
  EXPECT_TRUE(named) << check::describe(v, 5);
}

}  // namespace
}  // namespace pactum
