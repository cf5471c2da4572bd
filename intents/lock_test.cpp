// The lock and unlock intents and locked asset symbols "BASE@H": decode, canonical form,
// signature, and every refused form (docs/PROTOCOL.md, "Locks: compute futures").
#include <gtest/gtest.h>

#include "pactum/intents/intent.hpp"

namespace pactum {
namespace {

using nlohmann::json;

json base(const SecretKey& k, const std::string& kind) {
  return json{
      {"kind", kind}, {"chain", "pactum-devnet"}, {"signer", k.public_key().hex()}, {"nonce", 4}, {"valid_until", 100}};
}

TEST(LockedSymbol, ParsesOnlyTheCanonicalForm) {
  const auto ok = parse_locked_symbol("COMPUTE@120");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->base, "COMPUTE");
  EXPECT_EQ(ok->until, 120u);
  EXPECT_EQ(locked_symbol("COMPUTE", 120), "COMPUTE@120");
  EXPECT_TRUE(parse_locked_symbol("A@9007199254740991"));
  for (const char* bad :
       {"COMPUTE", "COMPUTE@", "@5", "COMPUTE@0", "COMPUTE@007", "COMPUTE@-1", "COMPUTE@1@2", "compute@5",
        "COMPUTE@9007199254740992", "COMPUTE@99999999999999999", "COMPUTE@ 5", "ABCDEFGHIJKLMNOPQ@5"}) {
    EXPECT_FALSE(parse_locked_symbol(bad)) << bad;
  }
  EXPECT_TRUE(is_valid_asset_symbol("COMPUTE@5"));
  EXPECT_FALSE(is_base_asset_symbol("COMPUTE@5"));
  EXPECT_FALSE(is_valid_asset_symbol("COMPUTE@05"));
}

TEST(Lock, SignDecodeVerifyRoundTrip) {
  const SecretKey k = dev_secret_key(0);
  json j = base(k, "lock");
  j["asset"] = "COMPUTE";
  j["amount"] = "250";
  j["until"] = 1000;
  auto in = sign_intent(j, k, /*deterministic=*/true);
  ASSERT_TRUE(in.ok()) << in.error().message;
  auto back = decode_verified_intent(intent_to_json(*in));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->kind(), "lock");
  ASSERT_TRUE(back->lock());
  EXPECT_EQ(back->lock()->locked(), "COMPUTE@1000");
  const auto c = back->conversion();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->from, "COMPUTE");
  EXPECT_EQ(c->to, "COMPUTE@1000");
  EXPECT_EQ(c->amount, Amount(250));
  EXPECT_EQ(back->canonical_json(),
            "{\"amount\":\"250\",\"asset\":\"COMPUTE\",\"chain\":\"pactum-devnet\",\"kind\":\"lock\",\"nonce\":4,"
            "\"signer\":\"" +
                k.public_key().hex() + "\",\"until\":1000,\"valid_until\":100}");
}

TEST(Unlock, DecodesALockedAssetAndConvertsItBack) {
  const SecretKey k = dev_secret_key(1);
  json j = base(k, "unlock");
  j["asset"] = "COMPUTE@1000";
  j["amount"] = "7";
  auto in = sign_intent(j, k, true);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->kind(), "unlock");
  EXPECT_EQ(in->unlock()->base(), "COMPUTE");
  EXPECT_EQ(in->unlock()->until(), 1000u);
  EXPECT_EQ(in->conversion()->to, "COMPUTE");
}

// Each malformed lock or unlock is refused naming its field, before any signature work.
TEST(Lock, RefusedForms) {
  const SecretKey k = dev_secret_key(0);
  struct Case {
    std::string kind;
    json fields;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"lock", {{"asset", "COMPUTE@5"}, {"amount", "1"}, {"until", 9}}, "asset"},
      {"lock", {{"asset", "COMPUTE"}, {"amount", "0"}, {"until", 9}}, "amount"},
      {"lock", {{"asset", "COMPUTE"}, {"amount", "1"}, {"until", 0}}, "until"},
      {"lock", {{"asset", "COMPUTE"}, {"amount", "1"}, {"until", "9"}}, "until"},
      {"lock", {{"asset", "COMPUTE"}, {"amount", "1"}, {"until", 9007199254740992ULL}}, "until"},
      {"lock", {{"asset", "COMPUTE"}, {"amount", "1"}}, "until"},
      {"lock", {{"asset", "COMPUTE"}, {"amount", "1"}, {"until", 9}, {"extra", 1}}, "extra"},
      {"unlock", {{"asset", "COMPUTE"}, {"amount", "1"}}, "asset"},
      {"unlock", {{"asset", "COMPUTE@0"}, {"amount", "1"}}, "asset"},
      {"unlock", {{"asset", "COMPUTE@5"}, {"amount", "1"}, {"until", 5}}, "until"},
  };
  for (const Case& c : cases) {
    json j = base(k, c.kind);
    j.update(c.fields);
    auto in = decode_intent(j, /*require_sig=*/false);
    ASSERT_FALSE(in.ok()) << j.dump();
    EXPECT_EQ(in.error().code, Errc::invalid_params) << j.dump();
    EXPECT_EQ(in.error().field, c.field) << j.dump() << " " << in.error().message;
  }
}

}  // namespace
}  // namespace pactum
