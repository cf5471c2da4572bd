// Hash locks: the reveal intent (a preimage published in a block) and the `reveals`
// condition of a commitment (docs/PROTOCOL.md section 2, docs/MECHANISMS.md 7.8): decode,
// canonical form, the hash computed, every refused form, and the program hash.
#include <gtest/gtest.h>

#include "pactum/intents/intent.hpp"

namespace pactum {
namespace {

using nlohmann::json;

json base(const SecretKey& k, const std::string& kind) {
  return json{
      {"kind", kind}, {"chain", "pactum-devnet"}, {"signer", k.public_key().hex()}, {"nonce", 9}, {"valid_until", 100}};
}

json reveal_json(const std::string& preimage) {
  json j = base(dev_secret_key(1), "reveal");
  j["preimage"] = preimage;
  return j;
}

json commit_json(const SecretKey& k, json condition) {
  json j = base(k, "commit");
  j["action"] = {
      {"kind", "transfer"}, {"asset", "USDC"}, {"to", dev_secret_key(1).public_key().hex()}, {"amount", "1"}};
  j["condition"] = std::move(condition);
  return j;
}

std::string field_of(const json& j) {
  auto in = decode_intent(j, false);
  EXPECT_FALSE(in.ok()) << j.dump();
  return in.ok() ? "" : in.error().field;
}

// SHA-256("abc"), FIPS 180-2 appendix B.1: the hash is plain SHA-256, not a tagged hash.
constexpr const char* kAbcHash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(Reveal, DecodesAndHashesThePreimageWithPlainSha256) {
  const SecretKey k = dev_secret_key(1);
  auto in = sign_intent(reveal_json("616263"), k, /*deterministic=*/true);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->kind(), "reveal");
  ASSERT_NE(in->reveal(), nullptr);
  EXPECT_EQ(in->reveal()->preimage, "abc");
  EXPECT_EQ(in->reveal()->hash.hex(), kAbcHash);
  auto back = decode_verified_intent(intent_to_json(*in));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->id, in->id);
  EXPECT_EQ(back->reveal()->hash.hex(), kAbcHash);
  // The hash is not on the wire: the canonical bytes hold the preimage only.
  EXPECT_EQ(in->canonical_json().find(kAbcHash), std::string::npos);
}

TEST(Reveal, AcceptsOneTo128Bytes) {
  EXPECT_TRUE(decode_intent(reveal_json("00"), false).ok());
  EXPECT_TRUE(decode_intent(reveal_json(std::string(256, 'f')), false).ok());
}

TEST(Reveal, RefusesEveryOtherPreimageForm) {
  for (const std::string& bad : {std::string(), std::string(258, 'a'), std::string("abc"), std::string("ABCD"),
                                 std::string("zz"), std::string("0x00")}) {
    auto in = decode_intent(reveal_json(bad), false);
    ASSERT_FALSE(in.ok()) << bad;
    EXPECT_EQ(in.error().code, Errc::invalid_params);
    EXPECT_EQ(in.error().field, "preimage") << in.error().message;
  }
  json number = reveal_json("00");
  number["preimage"] = 7;
  EXPECT_EQ(field_of(number), "preimage");
  json missing = reveal_json("00");
  missing.erase("preimage");
  EXPECT_EQ(field_of(missing), "preimage");
  json extra = reveal_json("00");
  extra["hash"] = kAbcHash;
  EXPECT_EQ(field_of(extra), "hash");
}

TEST(RevealsCondition, DecodesPlainAndUnderUnless) {
  const SecretKey k = dev_secret_key(0);
  auto in = decode_intent(commit_json(k, {{"type", "reveals"}, {"hash", kAbcHash}}), false);
  ASSERT_TRUE(in.ok()) << in.error().message;
  const Condition& c = in->commit()->condition;
  EXPECT_EQ(c.type, ConditionType::reveals);
  EXPECT_FALSE(c.negated);
  EXPECT_EQ(c.hash.hex(), kAbcHash);

  auto neg = decode_intent(
      commit_json(k, {{"type", "unless"}, {"condition", {{"type", "reveals"}, {"hash", kAbcHash}}}}), false);
  ASSERT_TRUE(neg.ok()) << neg.error().message;
  EXPECT_EQ(neg->commit()->condition.type, ConditionType::reveals);
  EXPECT_TRUE(neg->commit()->condition.negated);
  EXPECT_NE(neg->commit()->program, in->commit()->program);
}

TEST(RevealsCondition, RefusesBadHashesAndMembers) {
  const SecretKey k = dev_secret_key(0);
  std::string upper = kAbcHash;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(field_of(commit_json(k, {{"type", "reveals"}, {"hash", upper}})), "condition.hash");
  EXPECT_EQ(field_of(commit_json(k, {{"type", "reveals"}, {"hash", std::string(62, 'a')}})), "condition.hash");
  EXPECT_EQ(field_of(commit_json(k, {{"type", "reveals"}})), "condition.hash");
  EXPECT_EQ(field_of(commit_json(k, {{"type", "reveals"}, {"hash", 5}})), "condition.hash");
  EXPECT_EQ(field_of(commit_json(k, {{"type", "reveals"}, {"hash", kAbcHash}, {"preimage", "00"}})),
            "condition.preimage");
  EXPECT_EQ(field_of(commit_json(
                k, {{"type", "unless"}, {"condition", {{"type", "reveals"}, {"hash", std::string(64, 'G')}}}})),
            "condition.condition.hash");
}

// The program hash covers the condition as written: another hash is another program; the
// same hash signed by another account is the same program (the signer is not in it).
TEST(RevealsCondition, TheHashIsPartOfTheProgram) {
  const SecretKey a = dev_secret_key(0), b = dev_secret_key(2);
  const json h1 = {{"type", "reveals"}, {"hash", kAbcHash}};
  const json h2 = {{"type", "reveals"}, {"hash", std::string(64, '0')}};
  auto x = decode_intent(commit_json(a, h1), false);
  auto y = decode_intent(commit_json(a, h2), false);
  auto z = decode_intent(commit_json(b, h1), false);
  ASSERT_TRUE(x.ok() && y.ok() && z.ok());
  EXPECT_NE(x->commit()->program, y->commit()->program);
  EXPECT_EQ(x->commit()->program, z->commit()->program);
  const std::string canon = R"({"action":{"amount":"1","asset":"USDC","kind":"transfer","to":")" +
                            dev_secret_key(1).public_key().hex() + R"("},"condition":{"hash":")" + kAbcHash +
                            R"(","type":"reveals"}})";
  EXPECT_EQ(x->commit()->program.hex(), tagged_hash(kProgramTag, as_bytes(canon)).hex());
}

TEST(Reveal, UnknownKindMessageNamesReveal) {
  json j = reveal_json("00");
  j["kind"] = "revel";
  auto in = decode_intent(j, false);
  ASSERT_FALSE(in.ok());
  EXPECT_NE(in.error().message.find("\"reveal\""), std::string::npos) << in.error().message;
}

}  // namespace
}  // namespace pactum
