// State: leaf encodings, overlay reads and deltas, apply, proofs of balances, supply.
#include "pactum/ledger/state.hpp"

#include <gtest/gtest.h>

namespace pactum {
namespace {

PublicKey acct(std::uint32_t i) { return dev_secret_key(i).public_key(); }

StateDelta base_delta() {
  StateDelta d;
  d.assets["ETH"] = AssetInfo{"ETH", 18};
  d.assets["USDC"] = AssetInfo{"USDC", 6};
  d.balances[BalanceKey{acct(0), "ETH"}] = 100;
  d.balances[BalanceKey{acct(1), "USDC"}] = 5000;
  d.pools[make_pool_id("USDC", "ETH")] = Pool{"ETH", "USDC", 10, 30000, 30};
  return d;
}

TEST(StateEncoding, KeysAndValuesFollowTheDocumentedLayout) {
  const PublicKey a = acct(0);
  const std::string bk = balance_key(a, "ETH");
  ASSERT_EQ(bk.size(), 1u + 32 + 3);
  EXPECT_EQ(bk[0], '\x01');
  EXPECT_EQ(bk.substr(33), "ETH");
  EXPECT_EQ(asset_key("ETH"), std::string("\x00"
                                          "ETH",
                                          4));
  EXPECT_EQ(nonce_key(a, 258).substr(33), std::string("\0\0\0\0\0\0\x01\x02", 8));
  EXPECT_EQ(pool_key(make_pool_id("USDC", "ETH")),
            "\x03"
            "ETH/USDC");
  EXPECT_EQ(asset_value(AssetInfo{"ETH", 18}), std::string("\0\0\0\x12", 4));
  const std::string bv = balance_value(Amount(256));
  ASSERT_EQ(bv.size(), 32u);
  EXPECT_EQ(bv.substr(30), std::string("\x01\x00", 2));
  EXPECT_EQ(pool_value(Pool{"ETH", "USDC", 1, 2, 30}).size(), 68u);
}

TEST(StateEncoding, LeavesDecodeBackToTheSameDelta) {
  StateDelta d = base_delta();
  d.nonces.insert(NonceKey{acct(2), 77});
  StateDelta back;
  for (const auto& [k, v] : d.leaves()) ASSERT_TRUE(add_leaf_to_delta(k, v, back).ok());
  EXPECT_EQ(back.leaves(), d.leaves());
  EXPECT_FALSE(add_leaf_to_delta("\x09zz", "", back).ok());
  EXPECT_FALSE(add_leaf_to_delta(balance_key(acct(0), "ETH"), "short", back).ok());
}

TEST(State, ApplyUpdatesReadsAndRoot) {
  State s;
  const Hash32 empty = s.root();
  s.apply(base_delta());
  EXPECT_EQ(s.balance(acct(0), "ETH"), 100);
  EXPECT_EQ(s.balance(acct(0), "USDC"), 0);
  EXPECT_EQ(s.asset("USDC")->decimals, 6u);
  EXPECT_FALSE(s.asset("BTC").has_value());
  auto p = s.pool("USDC", "ETH");  // either order
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->asset_a, "ETH");
  EXPECT_EQ(p->reserve_b, 30000);
  EXPECT_EQ(s.leaf_count(), 5u);
  EXPECT_EQ(s.account_count(), 2u);
  const Hash32 r1 = s.root();
  EXPECT_NE(r1, empty);

  StateDelta d;
  d.balances[BalanceKey{acct(0), "ETH"}] = 0;  // a zero balance stays a leaf
  d.nonces.insert(NonceKey{acct(0), 1});
  s.apply(d);
  EXPECT_EQ(s.leaf_count(), 6u);
  EXPECT_TRUE(s.nonce_used(acct(0), 1));
  EXPECT_FALSE(s.nonce_used(acct(0), 2));
  EXPECT_NE(s.root(), r1);

  // The same contents reached in one step give the same root.
  State t;
  StateDelta all = base_delta();
  all.balances[BalanceKey{acct(0), "ETH"}] = 0;
  all.nonces.insert(NonceKey{acct(0), 1});
  t.apply(all);
  EXPECT_EQ(t.root(), s.root());
}

TEST(State, TotalSupplyCountsBalancesAndReserves) {
  State s;
  s.apply(base_delta());
  EXPECT_EQ(s.total_supply("ETH"), 110);
  EXPECT_EQ(s.total_supply("USDC"), 35000);
  EXPECT_EQ(s.total_supply("BTC"), 0);
}

TEST(State, BalanceProofsVerifyAgainstTheRoot) {
  State s;
  s.apply(base_delta());
  const Hash32 root = s.root();
  StateProof in = s.prove_balance(acct(1), "USDC");
  EXPECT_TRUE(in.present);
  EXPECT_EQ(amount_from_be32(reinterpret_cast<const unsigned char*>(in.value.data())), 5000);
  EXPECT_TRUE(verify_state_proof(root, in));
  StateProof out = s.prove_balance(acct(1), "ETH");
  EXPECT_FALSE(out.present);
  EXPECT_TRUE(verify_state_proof(root, out));
  EXPECT_TRUE(verify_state_proof(root, s.prove(pool_key(make_pool_id("ETH", "USDC")))));
  EXPECT_TRUE(s.prove(pool_key(make_pool_id("ETH", "USDC"))).present);
}

TEST(OverlayState, ReadsSeeWritesAndBaseIsUntouched) {
  State s;
  s.apply(base_delta());
  const Hash32 before = s.root();
  OverlayState o(s);
  o.set_balance(acct(0), "ETH", 40);
  o.use_nonce(acct(0), 9);
  o.set_pool(Pool{"USDC", "ETH", 31000, 9, 30});  // given in the other order
  EXPECT_EQ(o.balance(acct(0), "ETH"), 40);
  EXPECT_EQ(o.balance(acct(1), "USDC"), 5000);  // from the base
  EXPECT_TRUE(o.nonce_used(acct(0), 9));
  auto p = o.pool("ETH", "USDC");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->asset_a, "ETH");
  EXPECT_EQ(p->reserve_a, 9);
  EXPECT_EQ(p->reserve_b, 31000);
  ASSERT_EQ(o.pools().size(), 1u);
  EXPECT_EQ(o.pools()[0].reserve_a, 9);
  EXPECT_EQ(o.asset("ETH")->decimals, 18u);

  EXPECT_EQ(s.balance(acct(0), "ETH"), 100);  // base untouched
  EXPECT_EQ(s.root(), before);

  StateDelta d = o.take_delta();
  EXPECT_EQ(d.size(), 3u);
  s.apply(d);
  EXPECT_EQ(s.balance(acct(0), "ETH"), 40);
  EXPECT_EQ(s.pool("ETH", "USDC")->reserve_a, 9);
  EXPECT_NE(s.root(), before);
}

}  // namespace
}  // namespace pactum
