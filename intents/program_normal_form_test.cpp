// The program hash over the normal form (docs/PROTOCOL.md, "Program hash"): equivalent
// spellings give one hash; the program and all/any conditions decode with their bounds.
#include <gtest/gtest.h>

#include "pactum/intents/intent.hpp"

namespace pactum {
namespace {

using nlohmann::json;

const SecretKey& key() {
  static const SecretKey k = dev_secret_key(0);
  return k;
}

json commit_with(json condition) {
  return {{"kind", "commit"},
          {"chain", "pactum-devnet"},
          {"signer", key().public_key().hex()},
          {"nonce", 1},
          {"valid_until", 100},
          {"action",
           {{"kind", "swap"},
            {"sell_asset", "ETH"},
            {"buy_asset", "USDC"},
            {"side", "sell"},
            {"sell_amount", "10"},
            {"buy_amount", "20"},
            {"partial", false}}},
          {"condition", std::move(condition)}};
}

Result<Intent> decode(json condition) { return decode_intent(commit_with(std::move(condition)), false); }
Hash32 program(json condition) { return decode(std::move(condition)).value().commit()->program; }

json exists(json pattern) { return {{"type", "exists"}, {"pattern", std::move(pattern)}}; }
const json kPattern = {{"sell_asset", "USDC"}, {"buy_asset", "ETH"}};

TEST(ProgramNormalForm, EquivalentSpellingsGiveOneHash) {
  json with_default = exists(kPattern);
  with_default["fallback"] = "none";
  EXPECT_EQ(program(exists(kPattern)), program(with_default));

  json half = kPattern, two_quarters = kPattern;
  half["max_rate"] = {{"num", "1"}, {"den", "2"}};
  two_quarters["max_rate"] = {{"num", "2"}, {"den", "4"}};
  EXPECT_EQ(program(exists(half)), program(exists(two_quarters)));
  EXPECT_NE(program(exists(half)), program(exists(kPattern)));

  const std::string a(64, 'a'), b(64, 'b');
  EXPECT_EQ(program({{"type", "requires"}, {"ids", {a, b}}}), program({{"type", "requires"}, {"ids", {b, a}}}));

  const json r = {{"type", "requires"}, {"ids", {a}}};
  const json e = exists(kPattern);
  EXPECT_EQ(program({{"type", "any"}, {"conditions", {r, e}}}), program({{"type", "any"}, {"conditions", {e, r}}}));
  EXPECT_NE(program({{"type", "any"}, {"conditions", {r, e}}}), program({{"type", "all"}, {"conditions", {r, e}}}));

  // The signer is abstracted in a program condition's signer; the hash it names is not
  // part of the program.
  const json p1 = {{"type", "program"}, {"hash", a}, {"signer", key().public_key().hex()}};
  const json p2 = {{"type", "program"}, {"hash", b}, {"signer", key().public_key().hex()}};
  EXPECT_EQ(program(p1), program(p2));
  json p3 = p1;
  p3["signer"] = dev_secret_key(1).public_key().hex();
  EXPECT_NE(program(p1), program(p3));
}

// The mirror program of docs/PROTOCOL.md section 3 keeps its hash (and so do all programs
// of the earlier forms written without defaults): chains written before still replay.
TEST(ProgramNormalForm, TheEarlierFormsKeepTheirHash) {
  const PublicKey peer = dev_secret_key(1).public_key();
  json j = commit_with({{"type", "mirror"}, {"with", peer.hex()}});
  j["action"] = {{"kind", "transfer"}, {"asset", "USDC"}, {"to", peer.hex()}, {"amount", "100000000"}};
  const std::string canonical =
      R"({"action":{"amount":"100000000","asset":"USDC","kind":"transfer","to":"peer"},"condition":{"type":"mirror","with":"peer"}})";
  EXPECT_EQ(decode_intent(j, false).value().commit()->program, tagged_hash(kProgramTag, as_bytes(canonical)));
}

TEST(ProgramNormalForm, TreesAreBounded) {
  const json leaf = exists(kPattern);
  json deep = leaf;
  for (int d = 0; d < 5; ++d) deep = {{"type", "all"}, {"conditions", {deep}}};
  auto r = decode(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("deep"), std::string::npos) << r.error().message;

  json wide = {{"type", "any"}, {"conditions", json::array()}};
  for (int i = 0; i < 9; ++i) wide["conditions"].push_back(leaf);
  EXPECT_EQ(decode(wide).error().field, "condition.conditions");

  json big = {{"type", "all"}, {"conditions", json::array()}};
  for (int i = 0; i < 3; ++i) {
    json inner = {{"type", "any"}, {"conditions", json::array()}};
    for (int k = 0; k < 5; ++k) inner["conditions"].push_back(leaf);
    big["conditions"].push_back(inner);
  }
  r = decode(big);  // 1 + 3 * 6 = 19 conditions
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("at most 16"), std::string::npos) << r.error().message;

  json nested_fallback = exists(kPattern);
  nested_fallback["fallback"] = "pools";
  EXPECT_FALSE(decode({{"type", "all"}, {"conditions", {nested_fallback}}}).ok());
  EXPECT_FALSE(decode({{"type", "unless"}, {"condition", {{"type", "all"}, {"conditions", {leaf}}}}}).ok());
  EXPECT_TRUE(decode({{"type", "unless"}, {"condition", {{"type", "program"}, {"hash", std::string(64, 'c')}}}}).ok());
  EXPECT_EQ(decode({{"type", "program"}, {"hash", "xyz"}}).error().field, "condition.hash");
}

}  // namespace
}  // namespace pactum
