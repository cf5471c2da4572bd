// End to end through the real node (issue 4): conditional commitments, submitted over
// HTTP by dev accounts, settled in one block that pactum_mine produces. Each test names
// the game it plays: a prisoner's dilemma (both mirror: both cooperate; one defects:
// neither), a stag hunt, a public-goods threshold met and one not met, and the
// conditional swap "if a swap USDC->ETH at a rate of at most R exists, swap ETH->USDC,
// else nothing", with and without its counterpart. Conservation is checked over every
// account, pool and lending pool the block can touch.
#include <gtest/gtest.h>

#include <map>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/intents/jcs.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};

json commitment(std::uint32_t from, json action, json condition) {
  return sign_with_dev(from, {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}});
}

json transfer_action(std::uint32_t to, const std::string& asset, const std::string& amount) {
  return {{"kind", "transfer"}, {"asset", asset}, {"to", dev_account(to).hex()}, {"amount", amount}};
}

json mirror_with(std::uint32_t peer) { return {{"type", "mirror"}, {"with", dev_account(peer).hex()}}; }

// The cooperative move of a prisoner's dilemma: give the other 100 USDC (worth more to
// them than to me), iff the other's program is mine.
json cooperate(std::uint32_t me, std::uint32_t other) {
  return commitment(me, transfer_action(other, "USDC", "100000000"), mirror_with(other));
}

TEST(Conditional, PrisonersDilemmaBothMirrorBothCooperate) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const json a = cooperate(1, 2), b = cooperate(2, 1);
  // The two programs are the same once the signer is abstracted.
  EXPECT_EQ(decode_intent(a).value().commit()->program, decode_intent(b).value().commit()->program);
  submit(rpc, a);
  submit(rpc, b);
  auto receipts = mine_receipts(rpc);
  for (const json* c : {&a, &b}) {
    const json& r = receipts.at(id_of(*c));
    EXPECT_EQ(r["status"], "settled") << r.dump();
    EXPECT_NE(r["message"].get<std::string>().find("condition (mirror) met"), std::string::npos) << r.dump();
  }
  // Each gave 100 and received 100.
  EXPECT_EQ(balance(rpc, dev_account(1), "USDC"), "1000000000000");
  EXPECT_EQ(balance(rpc, dev_account(2), "USDC"), "1000000000000");
  EXPECT_EQ(wait_final(rpc, id_of(a))["status"], "settled");
  EXPECT_EQ(asset_totals(rpc), before);
}

TEST(Conditional, PrisonersDilemmaOneDefectsNeitherCooperates) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const json a = cooperate(1, 2);
  // Player 2 defects: a different program (gives nothing unless... it gives 1 unit, and
  // to itself abstracted differently), so player 1's mirror has no counterpart.
  const json defect = commitment(2, transfer_action(1, "USDC", "1"), mirror_with(1));
  submit(rpc, a);
  submit(rpc, defect);
  auto receipts = mine_receipts(rpc);
  for (const json* c : {&a, &defect}) {
    const json& r = receipts.at(id_of(*c));
    EXPECT_EQ(r["status"], "unfilled") << r.dump();
    EXPECT_EQ(r["reason"], "condition_not_met") << r.dump();
    EXPECT_NE(r["message"].get<std::string>().find("mirror"), std::string::npos) << r.dump();
  }
  EXPECT_EQ(balance(rpc, dev_account(1), "USDC"), "1000000000000");
  EXPECT_EQ(balance(rpc, dev_account(2), "USDC"), "1000000000000");
  // The cooperating commitment stays pending (it may still meet its mirror later), with
  // the reason of its last block.
  const json status = rpc.call("pactum_getIntent", json::array({id_of(a)}));
  EXPECT_EQ(status["status"], "pending");
  EXPECT_EQ(status["reason"], "condition_not_met");
  EXPECT_EQ(asset_totals(rpc), before);
}

// A stag hunt: hunting the stag pays only if both hunt it (each puts 500 DAI into the
// hunt's pot, account 19, iff both hunters commit to exactly that). A hunter who goes for
// the hare (a plain transfer) leaves the other's stag commitment unsettled.
json hunt_stag(std::uint32_t me) {
  return commitment(me, transfer_action(19, "DAI", "500000000000000000000"),
                    {{"type", "threshold"}, {"k", 2}, {"of", {dev_account(3).hex(), dev_account(4).hex()}}});
}

TEST(Conditional, StagHuntBothHuntTheStag) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const json a = hunt_stag(3), b = hunt_stag(4);
  submit(rpc, a);
  submit(rpc, b);
  auto receipts = mine_receipts(rpc);
  EXPECT_EQ(receipts.at(id_of(a))["status"], "settled") << receipts.at(id_of(a)).dump();
  EXPECT_EQ(receipts.at(id_of(b))["status"], "settled") << receipts.at(id_of(b)).dump();
  EXPECT_EQ(balance(rpc, dev_account(19), "DAI"), "1001000000000000000000000");
  EXPECT_EQ(asset_totals(rpc), before);
}

TEST(Conditional, StagHuntOneHuntsTheHare) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const json a = hunt_stag(3);
  const json hare = signed_transfer(4, dev_account(4 + 10), "DAI", "1000000000000000000");
  submit(rpc, a);
  submit(rpc, hare);
  auto receipts = mine_receipts(rpc);
  const json& r = receipts.at(id_of(a));
  EXPECT_EQ(r["status"], "unfilled") << r.dump();
  EXPECT_EQ(r["reason"], "condition_not_met");
  EXPECT_NE(r["message"].get<std::string>().find("threshold: 1 account(s) of the 2 named"), std::string::npos)
      << r.dump();
  EXPECT_EQ(receipts.at(id_of(hare))["status"], "settled");
  EXPECT_EQ(balance(rpc, dev_account(19), "DAI"), "1000000000000000000000000");
  EXPECT_EQ(asset_totals(rpc), before);
}

// A public good funded only if at least 3 labs commit: each pledges 1000 USDC to account
// 18 with a threshold of 3 accounts of any (the assurance contract).
json pledge(std::uint32_t lab) {
  return commitment(lab, transfer_action(18, "USDC", "1000000000"), {{"type", "threshold"}, {"k", 3}});
}

TEST(Conditional, PublicGoodThresholdMet) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  std::vector<json> pledges{pledge(5), pledge(6), pledge(7), pledge(8)};
  for (const auto& p : pledges) submit(rpc, p);
  auto receipts = mine_receipts(rpc);
  for (const auto& p : pledges) EXPECT_EQ(receipts.at(id_of(p))["status"], "settled") << receipts.at(id_of(p)).dump();
  EXPECT_EQ(balance(rpc, dev_account(18), "USDC"), "1004000000000");
  EXPECT_EQ(asset_totals(rpc), before);
}

TEST(Conditional, PublicGoodThresholdNotMet) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  std::vector<json> pledges{pledge(5), pledge(6)};
  for (const auto& p : pledges) submit(rpc, p);
  auto receipts = mine_receipts(rpc);
  for (const auto& p : pledges) {
    const json& r = receipts.at(id_of(p));
    EXPECT_EQ(r["status"], "unfilled") << r.dump();
    EXPECT_NE(r["message"].get<std::string>().find("threshold: 2 account(s) commit"), std::string::npos) << r.dump();
    EXPECT_EQ(r["related"].size(), 2u) << r.dump();
  }
  EXPECT_EQ(balance(rpc, dev_account(18), "USDC"), "1000000000000");
  EXPECT_EQ(asset_totals(rpc), before);
  // A third lab joins later: the two pending pledges and the new one settle together.
  const json third = pledge(7);
  submit(rpc, third);
  receipts = mine_receipts(rpc);
  for (const auto& p : {pledges[0], pledges[1], third}) EXPECT_EQ(receipts.at(id_of(p))["status"], "settled");
  EXPECT_EQ(balance(rpc, dev_account(18), "USDC"), "1003000000000");
  EXPECT_EQ(asset_totals(rpc), before);
}

// "If a swap USDC->ETH asking at most 1 ETH per 2900 USDC exists, sell 1 ETH for at least
// 2900 USDC; else do nothing."
json conditional_eth_sale(std::uint32_t me) {
  return commitment(me,
                    {{"kind", "swap"},
                     {"sell_asset", "ETH"},
                     {"buy_asset", "USDC"},
                     {"side", "sell"},
                     {"sell_amount", "1000000000000000000"},
                     {"buy_amount", "2900000000"},
                     {"partial", false}},
                    {{"type", "exists"},
                     {"pattern",
                      {{"sell_asset", "USDC"},
                       {"buy_asset", "ETH"},
                       {"max_rate", {{"num", "1000000000000000000"}, {"den", "2900000000"}}}}},
                     {"fallback", "none"}});
}

TEST(Conditional, ConditionalSwapWithItsCounterpartSettles) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const json c = conditional_eth_sale(9);
  // The counterpart: sells 3000 USDC for at least 1 ETH (asks 1 ETH per 3000 USDC).
  const json counterpart = signed_swap(10, "USDC", "ETH", "sell", "3000000000", "1000000000000000000");
  submit(rpc, c);
  submit(rpc, counterpart);
  auto receipts = mine_receipts(rpc);
  const json& r = receipts.at(id_of(c));
  EXPECT_EQ(r["status"], "settled") << r.dump();
  EXPECT_EQ(r["sold"], "1000000000000000000");
  EXPECT_GE(BigInt(r["bought"].get<std::string>()), BigInt(2900000000));
  EXPECT_NE(r["message"].get<std::string>().find("condition (exists) met"), std::string::npos) << r.dump();
  EXPECT_EQ(receipts.at(id_of(counterpart))["status"], "settled");
  EXPECT_EQ(balance(rpc, dev_account(9), "ETH"), "999000000000000000000");
}

TEST(Conditional, ConditionalSwapWithoutItsCounterpartDoesNothing) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto before = asset_totals(rpc);
  const json c = conditional_eth_sale(9);
  // A USDC->ETH swap that asks too much (1 ETH for 2000 USDC) does not match the pattern.
  const json greedy = signed_swap(10, "USDC", "ETH", "sell", "2000000000", "1000000000000000000");
  submit(rpc, c);
  submit(rpc, greedy);
  auto receipts = mine_receipts(rpc);
  const json& r = receipts.at(id_of(c));
  EXPECT_EQ(r["status"], "unfilled") << r.dump();
  EXPECT_EQ(r["reason"], "condition_not_met");
  EXPECT_NE(r["message"].get<std::string>().find("exists: no swap USDC->ETH"), std::string::npos) << r.dump();
  EXPECT_EQ(balance(rpc, dev_account(9), "ETH"), "1000000000000000000000");
  EXPECT_EQ(balance(rpc, dev_account(9), "USDC"), "1000000000000");
  EXPECT_EQ(asset_totals(rpc), before);  // neither swap traded
}

// Two commitments that each settle only unless the other does: a cycle through negation
// is left out of the batch, both receipts say why, nothing moves.
TEST(Conditional, CycleThroughNegationIsLeftOutWithAReason) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  // Each names the other's id, so the second must be signed first: a -> b, b -> a needs
  // ids known in advance, which a requires cycle cannot have. An exists pattern can: a
  // sells ETH unless someone sells BTC for ETH; b sells BTC for ETH unless someone sells
  // ETH for BTC.
  const json a =
      commitment(11,
                 {{"kind", "swap"},
                  {"sell_asset", "ETH"},
                  {"buy_asset", "BTC"},
                  {"side", "sell"},
                  {"sell_amount", "1000000000000000000"},
                  {"buy_amount", "1"},
                  {"partial", false}},
                 {{"type", "unless"},
                  {"condition", {{"type", "exists"}, {"pattern", {{"sell_asset", "BTC"}, {"buy_asset", "ETH"}}}}}});
  const json b =
      commitment(12,
                 {{"kind", "swap"},
                  {"sell_asset", "BTC"},
                  {"buy_asset", "ETH"},
                  {"side", "sell"},
                  {"sell_amount", "1000000"},
                  {"buy_amount", "1"},
                  {"partial", false}},
                 {{"type", "unless"},
                  {"condition", {{"type", "exists"}, {"pattern", {{"sell_asset", "ETH"}, {"buy_asset", "BTC"}}}}}});
  const auto before = asset_totals(rpc);
  submit(rpc, a);
  submit(rpc, b);
  auto receipts = mine_receipts(rpc);
  for (const json* c : {&a, &b}) {
    const json& r = receipts.at(id_of(*c));
    EXPECT_EQ(r["status"], "unfilled") << r.dump();
    EXPECT_EQ(r["reason"], "negation_cycle") << r.dump();
  }
  EXPECT_EQ(asset_totals(rpc), before);
}

// Signs any object as an intent, valid or not (sign_intent refuses invalid ones): the
// digest of PROTOCOL.md §3 over whatever the object holds.
json sign_anything(std::uint32_t from, json j) {
  const SecretKey key = dev_secret_key(from);
  j["signer"] = key.public_key().hex();
  j["chain"] = "pactum-devnet";
  j["nonce"] = fresh_nonce();
  j["valid_until"] = kMaxSafeInteger;
  const Hash32 digest = tagged_hash(kIntentTag, as_bytes(canonicalize(j).value()));
  j["sig"] = key.sign(digest).hex();
  return j;
}

json raw_commitment(std::uint32_t from, json action, json condition) {
  return sign_anything(from, {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}});
}

TEST(Conditional, BadCommitmentsAreRefusedWithTheField) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const auto refuse = [&](const json& intent, const std::string& field) {
    const json answer = rpc.call_raw(client::make_request("pactum_submitIntent", json::array({intent}), 1));
    ASSERT_TRUE(answer.contains("error")) << answer.dump();
    EXPECT_EQ(answer["error"]["data"]["field"], field) << answer.dump();
  };
  refuse(raw_commitment(1, transfer_action(2, "USDC", "1"), {{"type", "mirror"}, {"with", dev_account(1).hex()}}),
         "condition.with");
  refuse(raw_commitment(1, transfer_action(2, "USDC", "1"),
                        {{"type", "threshold"}, {"k", 3}, {"of", {dev_account(2).hex()}}}),
         "condition.k");
  refuse(raw_commitment(1, transfer_action(2, "NOPE", "1"), {{"type", "mirror"}}), "action.asset");
  refuse(raw_commitment(1, transfer_action(2, "USDC", "1"), {{"type", "sometimes"}}), "condition.type");
  refuse(raw_commitment(1, transfer_action(2, "USDC", "2000000000000"), {{"type", "mirror"}}), "action.amount");
  EXPECT_EQ(rpc.call("pactum_pendingIntents").size(), 0u);
}

}  // namespace
}  // namespace pactum::testing

namespace pactum::testing {
namespace {

// docs/MECHANISMS.md 7.5 and PROTOCOL section 2: a `requires` naming a bundle is met only
// when the bundle settles; a rejected bundle does not count.
TEST(Conditional, RequiresABundleOnlyWhenTheBundleSettles) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  for (const bool bundle_fails : {true, false}) {
    // dev 10 moves USDC to dev 11: 10^30 of it (more than it has) when it must fail.
    const std::string amount = bundle_fails ? "1000000000000000000000000000000" : "1000000";
    const json bundle = sign_with_dev(10, {{"kind", "bundle"},
                                           {"steps", json::array({{{"op", "transfer"},
                                                                   {"from", dev_account(10).hex()},
                                                                   {"to", dev_account(11).hex()},
                                                                   {"asset", "USDC"},
                                                                   {"amount", amount}}})}});
    const json commit =
        commitment(12, transfer_action(13, "USDC", "5"), {{"type", "requires"}, {"ids", json::array({id_of(bundle)})}});
    submit(rpc, bundle);
    submit(rpc, commit);
    auto receipts = mine_receipts(rpc);
    EXPECT_EQ(receipts.at(id_of(bundle))["status"], bundle_fails ? "rejected" : "settled")
        << receipts.at(id_of(bundle)).dump();
    const json& r = receipts.at(id_of(commit));
    if (bundle_fails) {
      EXPECT_EQ(r["status"], "unfilled") << r.dump();
      EXPECT_EQ(r["reason"], "condition_not_met") << r.dump();
    } else {
      EXPECT_EQ(r["status"], "settled") << r.dump();
    }
  }
}

}  // namespace
}  // namespace pactum::testing
