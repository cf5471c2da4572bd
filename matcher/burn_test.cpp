// Burns in a block: funded like transfers, settled with a receipt, the supply leaf falls by
// exactly what was burned, and the checker holds the matcher to it (docs/MECHANISMS.md).
#include <gtest/gtest.h>

#include "pactum/checker/checker.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum {
namespace {

using nlohmann::json;

const char* kRequest = "00000000000000000000000000000000000000000000000000000000000000aa";

Genesis burnable_genesis() {
  json j = {
      {"chain_id", "burn-test"},
      {"assets", {{{"symbol", "COMPUTE"}, {"decimals", 0}, {"burnable", true}}, {{"symbol", "USDC"}, {"decimals", 6}}}},
      {"dev_accounts", {{"count", 3}, {"balances", {{"COMPUTE", "1000"}, {"USDC", "500"}}}}}};
  auto g = parse_genesis(j);
  EXPECT_TRUE(g.ok()) << g.error().message;
  return *g;
}

Intent burn(std::uint32_t dev, const std::string& asset, const std::string& amount, std::uint64_t nonce) {
  const SecretKey k = dev_secret_key(dev);
  json j = {{"kind", "burn"},   {"chain", "burn-test"}, {"signer", k.public_key().hex()},
            {"nonce", nonce},   {"valid_until", 100},   {"asset", asset},
            {"amount", amount}, {"request", kRequest}};
  auto in = sign_intent(j, k, true);
  EXPECT_TRUE(in.ok()) << in.error().message;
  return *in;
}

struct Fixture {
  Genesis g = burnable_genesis();
  State state;
  BlockContext ctx;
  Fixture() {
    state.apply(genesis_delta(g));
    ctx = block_context(g, 1, 0);
  }
};

TEST(Burn, SettlesAndTheSupplyFallsByExactlyTheBurnedAmount) {
  Fixture f;
  const PublicKey a0 = dev_secret_key(0).public_key();
  ASSERT_EQ(f.state.supply("COMPUTE"), Amount(3000));
  const std::vector<Intent> batch = {burn(0, "COMPUTE", "300", 1), burn(1, "COMPUTE", "45", 1)};
  const Settlement s = settle(f.state, batch, f.ctx);
  for (const Receipt& r : s.receipts) {
    EXPECT_EQ(r.status, ReceiptStatus::settled) << r.message;
    EXPECT_EQ(r.sold_asset, "COMPUTE");
  }
  EXPECT_EQ(s.receipts[0].sold, Amount(300));
  EXPECT_NE(s.receipts[0].message.find(kRequest), std::string::npos) << s.receipts[0].message;
  EXPECT_TRUE(check::check_settlement(f.state, batch, s).empty())
      << check::describe(check::check_settlement(f.state, batch, s), 5);
  f.state.apply(s.delta);
  EXPECT_EQ(f.state.balance(a0, "COMPUTE"), Amount(700));
  EXPECT_EQ(f.state.supply("COMPUTE"), Amount(3000 - 345));
  EXPECT_EQ(BigInt(*f.state.supply("COMPUTE")), f.state.total_supply("COMPUTE"));
  EXPECT_TRUE(f.state.nonce_used(a0, 1));
}

TEST(Burn, RefusalsSpendNothing) {
  Fixture f;
  const Hash32 root = f.state.root();
  // Too large; an asset that is not burnable; two burns that together exceed the balance
  // (the smaller id is funded first, the other is refused).
  std::vector<Intent> batch = {burn(0, "COMPUTE", "1001", 1), burn(1, "USDC", "5", 1)};
  Settlement s = settle(f.state, batch, f.ctx);
  EXPECT_EQ(s.receipts[0].status, ReceiptStatus::rejected);
  EXPECT_EQ(s.receipts[0].reason, "insufficient_balance");
  EXPECT_EQ(s.receipts[1].status, ReceiptStatus::rejected);
  EXPECT_EQ(s.receipts[1].reason, "not_burnable");
  EXPECT_TRUE(s.delta.empty());
  f.state.apply(s.delta);
  EXPECT_EQ(f.state.root(), root);

  batch = {burn(2, "COMPUTE", "600", 1), burn(2, "COMPUTE", "600", 2)};
  s = settle(f.state, batch, f.ctx);
  const int settled =
      (s.receipts[0].status == ReceiptStatus::settled) + (s.receipts[1].status == ReceiptStatus::settled);
  EXPECT_EQ(settled, 1);
  const Receipt& refused = s.receipts[0].status == ReceiptStatus::settled ? s.receipts[1] : s.receipts[0];
  EXPECT_EQ(refused.reason, "insufficient_balance");
  f.state.apply(s.delta);
  EXPECT_EQ(f.state.supply("COMPUTE"), Amount(2400));
  EXPECT_EQ(f.state.balance(dev_secret_key(2).public_key(), "COMPUTE"), Amount(400));
}

TEST(Burn, CheckerRefusesASupplyThatDoesNotFallByTheBurn) {
  Fixture f;
  const std::vector<Intent> batch = {burn(0, "COMPUTE", "10", 1)};
  Settlement s = settle(f.state, batch, f.ctx);
  ASSERT_TRUE(check::check_settlement(f.state, batch, s).empty());
  Settlement wrong = s;
  wrong.delta.supplies["COMPUTE"] = Amount(3000);  // the burn destroyed nothing
  auto v = check::check_settlement(f.state, batch, wrong);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].kind, "supply");
  wrong = s;
  wrong.delta.supplies.clear();
  EXPECT_FALSE(check::check_settlement(f.state, batch, wrong).empty());
}

}  // namespace
}  // namespace pactum
