// Commitments that are programs (issue 21), on hand-built games with known answers:
// the prisoner's dilemma between two different programs that each cooperate with the
// other, a three-party threshold built from program conditions, and all/any trees.
#include <gtest/gtest.h>

#include "conditions_property.hpp"

namespace pactum::conditions_test {
namespace {

json commit_body(std::uint32_t who, std::uint64_t nonce, json action, json condition) {
  return {{"kind", "commit"},   {"chain", test::kChain},       {"signer", acct(who).hex()},        {"nonce", nonce},
          {"valid_until", 100}, {"action", std::move(action)}, {"condition", std::move(condition)}};
}
Intent sign(json body, std::uint32_t who) { return sign_intent(body, keys().secret[who], true).value(); }
Hash32 program_of(const json& body) { return decode_intent(body, false).value().commit()->program; }
json pay(std::uint32_t to, const std::string& asset, std::uint64_t amount) {
  return {{"kind", "transfer"}, {"asset", asset}, {"to", acct(to).hex()}, {"amount", std::to_string(amount)}};
}
json program(const Hash32& h, std::optional<std::uint32_t> signer = std::nullopt) {
  json c = {{"type", "program"}, {"hash", h.hex()}};
  if (signer) c["signer"] = acct(*signer).hex();
  return c;
}
const std::vector<bool> kNobodyPoor(kSigners, false);

std::vector<ReceiptStatus> statuses(const Settlement& st) {
  std::vector<ReceiptStatus> out;
  for (const Receipt& r : st.receipts) out.push_back(r.status);
  return out;
}

// Two different programs: dev 1 pays dev 2 100 AAA iff dev 2's program P2 settles; dev 2
// pays dev 1 7 BBB iff dev 1's program P1 settles. A program's hash leaves out the hash
// it names, so each can name the other's. Both cooperate; without the other, or against
// a program that pays less, neither does.
TEST(ProgramGames, PrisonersDilemmaBetweenDifferentPrograms) {
  const Hash32 unknown{};
  json alice = commit_body(1, 0, pay(2, "AAA", 100), program(unknown, 2));
  json bob = commit_body(2, 0, pay(1, "BBB", 7), program(unknown, 1));
  const Hash32 p1 = program_of(alice), p2 = program_of(bob);
  ASSERT_NE(p1, p2);
  alice["condition"] = program(p2, 2);
  bob["condition"] = program(p1, 1);
  EXPECT_EQ(program_of(alice), p1) << "naming another hash does not change a program's hash";
  const MapState state = make_state(kNobodyPoor);

  const Settlement both = test::run(state, {sign(alice, 1), sign(bob, 2)});
  EXPECT_EQ(statuses(both), (std::vector{ReceiptStatus::settled, ReceiptStatus::settled}))
      << both.receipts[0].message << " / " << both.receipts[1].message;

  const Settlement alone = test::run(state, {sign(alice, 1)});
  EXPECT_EQ(alone.receipts[0].status, ReceiptStatus::unfilled);
  EXPECT_EQ(alone.receipts[0].reason, "condition_not_met");
  EXPECT_NE(alone.receipts[0].message.find("program"), std::string::npos) << alone.receipts[0].message;

  // Dev 2 defects to a program that pays 1 BBB: its hash is not P2, so dev 1 does not
  // pay, and dev 2's own condition (dev 1's P1) then fails too.
  json cheap = commit_body(2, 0, pay(1, "BBB", 1), program(p1, 1));
  const Settlement defect = test::run(state, {sign(alice, 1), sign(cheap, 2)});
  EXPECT_EQ(statuses(defect), (std::vector{ReceiptStatus::unfilled, ReceiptStatus::unfilled}));

  // Signed by someone else: dev 3 runs P2, but dev 1 asked for dev 2's.
  json impostor = commit_body(3, 0, pay(1, "BBB", 7), program(p1, 1));
  EXPECT_EQ(program_of(impostor), p2) << "the signer is abstracted: dev 3 runs the same program";
  const Settlement wrong_signer = test::run(state, {sign(alice, 1), sign(impostor, 3)});
  EXPECT_EQ(wrong_signer.receipts[0].status, ReceiptStatus::unfilled);
}

// Three parties, three programs, each pays the pot iff both other programs settle (all of
// two program conditions). All three settle; with one missing, none does.
TEST(ProgramGames, ThreePartyThresholdFromProgramConditions) {
  const std::vector<std::uint32_t> who{4, 5, 6};
  const std::vector<std::uint64_t> amount{10, 20, 30};
  std::vector<json> bodies;
  std::vector<Hash32> hashes(3);
  auto condition = [&](std::size_t j) {
    json list = json::array();
    for (std::size_t o = 0; o < 3; ++o)
      if (o != j) list.push_back(program(hashes[o], who[o]));
    return json{{"type", "all"}, {"conditions", list}};
  };
  for (std::size_t j = 0; j < 3; ++j)
    hashes[j] = program_of(commit_body(who[j], 0, pay(kPot, "CCC", amount[j]), condition(j)));
  std::vector<Intent> batch;
  for (std::size_t j = 0; j < 3; ++j)
    batch.push_back(sign(commit_body(who[j], 0, pay(kPot, "CCC", amount[j]), condition(j)), who[j]));
  const MapState state = make_state(kNobodyPoor);
  const Settlement all = test::run(state, batch);
  for (const Receipt& r : all.receipts) EXPECT_EQ(r.status, ReceiptStatus::settled) << r.message;
  MapState after = state;
  after.apply(all.delta);
  EXPECT_EQ(after.balance(acct(kPot), "CCC"), Amount(60));

  const Settlement two = test::run(state, {batch[0], batch[1]});
  for (const Receipt& r : two.receipts) {
    EXPECT_EQ(r.status, ReceiptStatus::unfilled);
    EXPECT_NE(r.message.find("all of 2 conditions"), std::string::npos) << r.message;
  }
}

// any: either alternative will do; all: both; unless over a program.
TEST(ProgramGames, AllAnyAndUnlessOverPrograms) {
  const MapState state = make_state(kNobodyPoor);
  const Intent x = sign({{"kind", "transfer"},
                         {"chain", test::kChain},
                         {"signer", acct(7).hex()},
                         {"nonce", 0},
                         {"valid_until", 100},
                         {"asset", "AAA"},
                         {"to", acct(8).hex()},
                         {"amount", "5"}},
                        7);
  const Hash32 absent = sha256(as_bytes(std::string("not in the batch")));
  json requires_x = {{"type", "requires"}, {"ids", {x.id.hex()}}};
  json requires_absent = {{"type", "requires"}, {"ids", {absent.hex()}}};
  const Intent any =
      sign(commit_body(1, 0, pay(2, "AAA", 1), {{"type", "any"}, {"conditions", {requires_absent, requires_x}}}), 1);
  const Intent all =
      sign(commit_body(3, 0, pay(2, "AAA", 1), {{"type", "all"}, {"conditions", {requires_absent, requires_x}}}), 3);
  const Settlement st = test::run(state, {x, any, all});
  EXPECT_EQ(st.receipts[1].status, ReceiptStatus::settled) << st.receipts[1].message;
  EXPECT_EQ(st.receipts[2].status, ReceiptStatus::unfilled) << st.receipts[2].message;

  // "Pay unless a commitment of program P settles": P is the any-commitment's program.
  const Hash32 p_any = any.commit()->program;
  const Intent shy = sign(commit_body(4, 0, pay(2, "AAA", 1), {{"type", "unless"}, {"condition", program(p_any)}}), 4);
  const Settlement with_any = test::run(state, {x, any, shy});
  EXPECT_EQ(with_any.receipts[2].status, ReceiptStatus::unfilled) << with_any.receipts[2].message;
  const Settlement without = test::run(state, {shy});
  EXPECT_EQ(without.receipts[0].status, ReceiptStatus::settled) << without.receipts[0].message;
}

}  // namespace
}  // namespace pactum::conditions_test
