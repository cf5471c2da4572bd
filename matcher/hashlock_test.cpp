// Hash locks (docs/MECHANISMS.md 7.8): a commitment with {"type":"reveals","hash":H}
// settles only in a block whose batch holds a reveal intent of a preimage of H that
// settles. The two-party atomic swap: Alice commits "100 USDC to Bob iff reveals(H)", Bob
// "1 ETH to Alice iff reveals(H)"; Bob, who knows the preimage, reveals it. Every block is
// held to the rules by the checker.
#include <gtest/gtest.h>

#include <algorithm>

#include "pactum/checker/checker.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum {
namespace {

using nlohmann::json;

constexpr std::uint32_t kAlice = 0, kBob = 1, kCarol = 2;
const std::string kUsdc100 = "100000000";          // 100 USDC (6 decimals)
const std::string kEth1 = "1000000000000000000";   // 1 ETH (18 decimals)
const std::string kSecret = std::string(64, 'a');  // Bob's 32-byte preimage (hex)
const std::string kWrongSecret = std::string(64, 'b');

std::string sha256_hex_of(const std::string& hex) { return sha256(as_bytes(*from_hex(hex, "preimage"))).hex(); }
const std::string kLock = sha256_hex_of(kSecret);

Genesis swap_genesis() {
  json j = {{"chain_id", "hashlock-test"},
            {"assets", {{{"symbol", "USDC"}, {"decimals", 6}}, {{"symbol", "ETH"}, {"decimals", 18}}}},
            {"dev_accounts", {{"count", 3}, {"balances", {{"USDC", "1000000000"}, {"ETH", "5000000000000000000"}}}}}};
  auto g = parse_genesis(j);
  EXPECT_TRUE(g.ok()) << g.error().message;
  return *g;
}

PublicKey dev(std::uint32_t n) { return dev_secret_key(n).public_key(); }

Intent signed_intent(std::uint32_t who, std::uint64_t nonce, json j, std::uint64_t valid_until = 1000) {
  const SecretKey k = dev_secret_key(who);
  j["chain"] = "hashlock-test";
  j["signer"] = k.public_key().hex();
  j["nonce"] = nonce;
  j["valid_until"] = valid_until;
  auto in = sign_intent(j, k, true);
  EXPECT_TRUE(in.ok()) << in.error().message;
  return *in;
}

json reveals(const std::string& hash) { return {{"type", "reveals"}, {"hash", hash}}; }

Intent pay_iff(std::uint32_t who, std::uint32_t to, const std::string& asset, const std::string& amount, json condition,
               std::uint64_t nonce) {
  json action = {{"kind", "transfer"}, {"asset", asset}, {"to", dev(to).hex()}, {"amount", amount}};
  return signed_intent(who, nonce, {{"kind", "commit"}, {"action", action}, {"condition", std::move(condition)}});
}

Intent reveal(std::uint32_t who, const std::string& preimage, std::uint64_t nonce, std::uint64_t valid_until = 1000) {
  return signed_intent(who, nonce, {{"kind", "reveal"}, {"preimage", preimage}}, valid_until);
}

// Alice's and Bob's halves of the swap, locked to kLock.
Intent alice_half() { return pay_iff(kAlice, kBob, "USDC", kUsdc100, reveals(kLock), 1); }
Intent bob_half() { return pay_iff(kBob, kAlice, "ETH", kEth1, reveals(kLock), 1); }

struct Chain {
  Genesis g = swap_genesis();
  State state;
  Chain() { state.apply(genesis_delta(g)); }
  Settlement block(std::uint64_t height, const std::vector<Intent>& batch) {
    const BlockContext ctx = block_context(g, height, 0);
    Settlement s = settle(state, batch, ctx);
    // The checker reads plain intents: the commitments as their actions, without those
    // whose condition kept them out (what the matcher's last round cleared).
    std::vector<Intent> round;
    Settlement cleared = s;
    cleared.receipts.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (s.receipts[i].reason == "condition_not_met") continue;
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
  Amount usdc(std::uint32_t who) const { return state.balance(dev(who), "USDC"); }
  Amount eth(std::uint32_t who) const { return state.balance(dev(who), "ETH"); }
};

void expect_waits(const Receipt& r) {
  EXPECT_EQ(r.status, ReceiptStatus::unfilled) << r.message;
  EXPECT_EQ(r.reason, "condition_not_met") << r.message;
  EXPECT_NE(r.message.find(kLock), std::string::npos) << r.message;
}

// (a) Bob reveals the preimage: both halves settle in the same block.
TEST(HashLock, AtomicSwapSettlesBothHalvesWhenThePreimageIsRevealed) {
  Chain c;
  const Settlement s = c.block(1, {alice_half(), bob_half(), reveal(kBob, kSecret, 2)});
  for (const Receipt& r : s.receipts) ASSERT_EQ(r.status, ReceiptStatus::settled) << r.message;
  EXPECT_EQ(s.receipts[0].message.rfind("condition (reveals) met: ", 0), 0u) << s.receipts[0].message;
  EXPECT_EQ(s.receipts[2].message.rfind("revealed the preimage of " + kLock, 0), 0u) << s.receipts[2].message;
  EXPECT_EQ(s.receipts[2].sold, Amount(0));
  EXPECT_EQ(c.usdc(kAlice), Amount(900000000));
  EXPECT_EQ(c.usdc(kBob), Amount(1100000000));
  EXPECT_EQ(c.eth(kAlice), Amount(6000000000000000000ULL));
  EXPECT_EQ(c.eth(kBob), Amount(4000000000000000000ULL));
  // Both commitments' nonces and the reveal's are used.
  EXPECT_TRUE(c.state.nonce_used(dev(kAlice), 1));
  EXPECT_TRUE(c.state.nonce_used(dev(kBob), 1));
  EXPECT_TRUE(c.state.nonce_used(dev(kBob), 2));
}

// (b) Nobody reveals: neither half settles, nothing moves, no nonce is used; the halves
// stay pending and settle together in a later block that carries the reveal.
TEST(HashLock, WithoutARevealNeitherHalfSettles) {
  Chain c;
  const Hash32 root = c.state.root();
  Settlement s = c.block(1, {alice_half(), bob_half()});
  expect_waits(s.receipts[0]);
  expect_waits(s.receipts[1]);
  EXPECT_TRUE(s.delta.empty());
  EXPECT_EQ(c.state.root(), root);

  s = c.block(2, {bob_half(), reveal(kBob, kSecret, 2), alice_half()});
  for (const Receipt& r : s.receipts) EXPECT_EQ(r.status, ReceiptStatus::settled) << r.message;
  EXPECT_EQ(c.usdc(kBob), Amount(1100000000));
  EXPECT_EQ(c.eth(kAlice), Amount(6000000000000000000ULL));
}

// (c) A reveal of another preimage settles (it is a valid reveal) but unlocks nothing.
TEST(HashLock, AWrongPreimageUnlocksNeitherHalf) {
  Chain c;
  const Settlement s = c.block(1, {alice_half(), bob_half(), reveal(kBob, kWrongSecret, 2)});
  expect_waits(s.receipts[0]);
  expect_waits(s.receipts[1]);
  EXPECT_EQ(s.receipts[2].status, ReceiptStatus::settled) << s.receipts[2].message;
  EXPECT_NE(s.receipts[2].message.find(sha256_hex_of(kWrongSecret)), std::string::npos);
  EXPECT_EQ(c.usdc(kAlice), Amount(1000000000));
  EXPECT_EQ(c.eth(kBob), Amount(5000000000000000000ULL));
  EXPECT_TRUE(s.delta.balances.empty());
  EXPECT_EQ(s.delta.nonces.size(), 1u);  // the wrong reveal's own
}

// Only a reveal that settles counts: an expired one, one whose nonce is taken, or one
// its signer cancels in the same block unlock nothing; the failed condition names it.
TEST(HashLock, ARevealThatDoesNotSettleUnlocksNothing) {
  {
    Chain c;
    const Intent late = reveal(kBob, kSecret, 2, /*valid_until=*/3);
    const Settlement s = c.block(4, {alice_half(), bob_half(), late});
    EXPECT_EQ(s.receipts[2].reason, "expired");
    expect_waits(s.receipts[0]);
    ASSERT_EQ(s.receipts[0].related.size(), 1u);
    EXPECT_EQ(s.receipts[0].related[0], late.id);
  }
  {
    Chain c;
    c.block(1, {reveal(kCarol, "00", 7)});
    const Settlement s = c.block(2, {alice_half(), bob_half(), reveal(kCarol, kSecret, 7)});
    EXPECT_EQ(s.receipts[2].reason, "nonce_used");
    expect_waits(s.receipts[0]);
    expect_waits(s.receipts[1]);
  }
  {
    Chain c;
    const Intent r = reveal(kBob, kSecret, 2);
    const Intent cancel = signed_intent(kBob, 3, {{"kind", "cancel"}, {"ids", {r.id.hex()}}});
    const Settlement s = c.block(1, {alice_half(), bob_half(), r, cancel});
    EXPECT_EQ(s.receipts[2].status, ReceiptStatus::cancelled);
    expect_waits(s.receipts[0]);
    expect_waits(s.receipts[1]);
  }
}

// Anyone's reveal counts (the preimage, not the revealer, opens the lock), and one reveal
// opens every lock on its hash; the batch order does not matter.
TEST(HashLock, AnyRevealerAndAnyOrder) {
  std::vector<Intent> batch = {alice_half(), bob_half(), reveal(kCarol, kSecret, 1),
                               pay_iff(kCarol, kAlice, "USDC", "5", reveals(kLock), 2)};
  std::vector<Intent> reversed(batch.rbegin(), batch.rend());
  Chain one, two;
  const Settlement a = one.block(1, batch);
  const Settlement b = two.block(1, reversed);
  for (const Receipt& r : a.receipts) EXPECT_EQ(r.status, ReceiptStatus::settled) << r.message;
  EXPECT_EQ(one.state.root(), two.state.root());
  for (std::size_t i = 0; i < batch.size(); ++i)
    EXPECT_EQ(a.receipts[i].message, b.receipts[batch.size() - 1 - i].message);
}

// "unless reveals(H)": the refund leg. It settles in a block without the preimage, and
// not in one with it. A reveal is no commitment, so there is no cycle and no stratum above 0.
TEST(HashLock, UnlessRevealsHoldsOnlyWithoutTheReveal) {
  const json unless = {{"type", "unless"}, {"condition", reveals(kLock)}};
  {
    Chain c;
    const Settlement s = c.block(1, {pay_iff(kAlice, kCarol, "USDC", "7", unless, 5)});
    EXPECT_EQ(s.receipts[0].status, ReceiptStatus::settled) << s.receipts[0].message;
    EXPECT_EQ(s.receipts[0].message.rfind("condition (unless reveals) met: ", 0), 0u) << s.receipts[0].message;
  }
  {
    Chain c;
    const Intent r = reveal(kBob, kSecret, 2);
    const Settlement s = c.block(1, {pay_iff(kAlice, kCarol, "USDC", "7", unless, 5), r});
    EXPECT_EQ(s.receipts[0].reason, "condition_not_met") << s.receipts[0].message;
    EXPECT_NE(s.receipts[0].message.find("unless: the preimage of " + kLock), std::string::npos);
    ASSERT_EQ(s.receipts[0].related.size(), 1u);
    EXPECT_EQ(s.receipts[0].related[0], r.id);
  }
}

// A reveal alone: it settles, uses its nonce and moves nothing. The checker refuses a
// settlement whose reveal receipt claims to move funds.
TEST(HashLock, ARevealMovesNothingAndTheCheckerHoldsItToThat) {
  Chain c;
  const std::vector<Intent> batch = {reveal(kAlice, kSecret, 9)};
  const BlockContext ctx = block_context(c.g, 1, 0);
  Settlement s = settle(c.state, batch, ctx);
  ASSERT_EQ(s.receipts[0].status, ReceiptStatus::settled);
  EXPECT_TRUE(s.delta.balances.empty());
  EXPECT_EQ(s.delta.nonces.count(NonceKey{dev(kAlice), 9}), 1u);
  s.receipts[0].sold = Amount(1);
  const auto v = check::check_settlement(c.state, batch, s);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].kind, "reveal") << check::describe(v, 3);
}

}  // namespace
}  // namespace pactum
