// Hash locks through the real node: the two-party atomic swap between accounts
// (docs/MECHANISMS.md 7.8). Alice (dev 5) commits "100 USDC to Bob iff reveals(H)", Bob
// (dev 6) "1 ETH to Alice iff reveals(H)". Without the preimage neither settles and both
// stay pending; Bob's reveal, signed with `pactum sign --kind reveal`, settles both in its
// block. A wrong preimage unlocks nothing. Conservation is checked over every account and
// pool the block can touch, and replay recomputes every root.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};
constexpr std::uint32_t kAlice = 5, kBob = 6;
const std::string kSecret = "5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2";

std::string hash_of(const std::string& preimage_hex) {
  return sha256(as_bytes(from_hex(preimage_hex, "preimage").value())).hex();
}

json pay_iff_revealed(std::uint32_t from, std::uint32_t to, const std::string& asset, const std::string& amount,
                      const std::string& hash) {
  return sign_with_dev(
      from, {{"kind", "commit"},
             {"action", {{"kind", "transfer"}, {"asset", asset}, {"to", dev_account(to).hex()}, {"amount", amount}}},
             {"condition", {{"type", "reveals"}, {"hash", hash}}}});
}

// A reveal signed by the CLI, as a user would make it.
json cli_reveal(std::uint32_t dev, const std::string& preimage) {
  const ShellResult r = run_shell(shell_quote(pactum_binary()) + " sign --dev " + std::to_string(dev) +
                                  " --kind reveal --preimage " + preimage + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return json::parse(r.out);
}

TEST(HashLock, AtomicSwapSettlesBothHalvesInTheBlockOfTheReveal) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const std::string lock = hash_of(kSecret);
  const json alice = pay_iff_revealed(kAlice, kBob, "USDC", "100000000", lock);
  const json bob = pay_iff_revealed(kBob, kAlice, "ETH", "1000000000000000000", lock);
  submit(rpc, alice);
  submit(rpc, bob);

  // No preimage yet: both wait, nothing moves.
  auto receipts = mine_receipts(rpc);
  for (const json* c : {&alice, &bob}) {
    const json& r = receipts.at(id_of(*c));
    EXPECT_EQ(r["status"], "unfilled") << r.dump();
    EXPECT_EQ(r["reason"], "condition_not_met") << r.dump();
    EXPECT_NE(r["message"].get<std::string>().find(lock), std::string::npos) << r.dump();
    EXPECT_EQ(rpc.call("pactum_getIntent", json::array({id_of(*c)}))["status"], "pending");
  }
  EXPECT_EQ(balance(rpc, dev_account(kAlice), "USDC"), "1000000000000");

  // Bob reveals: both halves and the reveal settle in one block.
  const json reveal = cli_reveal(kBob, kSecret);
  ASSERT_EQ(reveal["preimage"], kSecret);
  submit(rpc, reveal);
  receipts = mine_receipts(rpc);
  const json& rr = receipts.at(id_of(reveal));
  EXPECT_EQ(rr["status"], "settled") << rr.dump();
  EXPECT_EQ(rr["message"].get<std::string>().rfind("revealed the preimage of " + lock, 0), 0u) << rr.dump();
  for (const json* c : {&alice, &bob}) {
    const json& r = receipts.at(id_of(*c));
    EXPECT_EQ(r["status"], "settled") << r.dump();
    EXPECT_NE(r["message"].get<std::string>().find("condition (reveals) met"), std::string::npos) << r.dump();
  }
  EXPECT_EQ(balance(rpc, dev_account(kAlice), "USDC"), "999900000000");
  EXPECT_EQ(balance(rpc, dev_account(kBob), "USDC"), "1000100000000");
  EXPECT_EQ(balance(rpc, dev_account(kAlice), "ETH"), "1001000000000000000000");
  EXPECT_EQ(balance(rpc, dev_account(kBob), "ETH"), "999000000000000000000");
  EXPECT_EQ(asset_totals(rpc), before);

  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  const ShellResult replay =
      run_shell(shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir) + " 2>&1");
  EXPECT_EQ(replay.exit_code, 0) << replay.out;
}

TEST(HashLock, AWrongPreimageUnlocksNothing) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const std::string lock = hash_of(kSecret);
  const json alice = pay_iff_revealed(kAlice, kBob, "USDC", "100000000", lock);
  const json bob = pay_iff_revealed(kBob, kAlice, "ETH", "1000000000000000000", lock);
  const json wrong = cli_reveal(kBob, std::string(64, '0'));
  for (const json* in : {&alice, &bob, &wrong}) submit(rpc, *in);
  auto receipts = mine_receipts(rpc);
  EXPECT_EQ(receipts.at(id_of(wrong))["status"], "settled");
  for (const json* c : {&alice, &bob}) EXPECT_EQ(receipts.at(id_of(*c))["reason"], "condition_not_met");
  EXPECT_EQ(balance(rpc, dev_account(kAlice), "USDC"), "1000000000000");
  EXPECT_EQ(balance(rpc, dev_account(kBob), "ETH"), "1000000000000000000000");
  EXPECT_EQ(asset_totals(rpc), before);
}

TEST(HashLock, TheNodeRefusesAMalformedPreimage) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  for (const std::string& bad : {std::string("abc"), std::string("ABCD"), std::string(258, 'a')}) {
    const json j = {{"kind", "reveal"},   {"chain", "pactum-devnet"}, {"signer", dev_account(kBob).hex()}, {"nonce", 1},
                    {"valid_until", 100}, {"preimage", bad},          {"sig", std::string(128, '0')}};
    try {
      submit(rpc, j);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const client::RpcError& e) {
      EXPECT_EQ(e.code, -32602) << e.what();
      EXPECT_EQ(e.field, "preimage") << e.what();
    }
  }
}

}  // namespace
}  // namespace pactum::testing
