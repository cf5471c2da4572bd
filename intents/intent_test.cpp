#include "pactum/intents/intent.hpp"

#include <gtest/gtest.h>

namespace pactum {
namespace {

using nlohmann::json;

json swap_json(const SecretKey& k) {
  return json{{"kind", "swap"},
              {"chain", "pactum-devnet"},
              {"signer", k.public_key().hex()},
              {"nonce", 1},
              {"valid_until", 100},
              {"sell_asset", "ETH"},
              {"buy_asset", "USDC"},
              {"side", "sell"},
              {"sell_amount", "1000000000000000000"},
              {"buy_amount", "2900000000"},
              {"partial", false}};
}

TEST(Intent, SignDecodeVerifyRoundTrip) {
  auto k = dev_secret_key(0);
  auto signed_in = sign_intent(swap_json(k), k);
  ASSERT_TRUE(signed_in.ok()) << signed_in.error().message;
  json wire = intent_to_json(*signed_in);
  auto back = decode_verified_intent(wire);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->id, signed_in->id);
  EXPECT_EQ(back->kind(), "swap");
  ASSERT_NE(back->swap(), nullptr);
  EXPECT_EQ(back->swap()->sell_amount, Amount(1000000000000000000ull));
  EXPECT_EQ(back->canonical_json().find(' '), std::string::npos);
  EXPECT_EQ(back->canonical_json().find("\"sig\""), std::string::npos);
}

TEST(Intent, IdIsTaggedHashOfCanonicalJson) {
  auto k = dev_secret_key(1);
  auto in = sign_intent(swap_json(k), k);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->id, tagged_hash("pactum/intent/v1", as_bytes(in->canonical_json())));
  // Member order and whitespace of the input do not matter.
  json reordered = json::parse(json(swap_json(k)).dump(2));
  EXPECT_EQ(*intent_digest(reordered), in->id);
}

TEST(Intent, TamperedFieldFailsVerification) {
  auto k = dev_secret_key(0);
  json wire = intent_to_json(*sign_intent(swap_json(k), k));
  wire["buy_amount"] = "1";
  auto r = decode_verified_intent(wire);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::bad_signature);
}

TEST(Intent, WrongKeyCannotSign) {
  auto r = sign_intent(swap_json(dev_secret_key(0)), dev_secret_key(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "signer");
}

struct Mutation {
  const char* field;
  json value;  // null means "remove"
  const char* expected_field;
};

class IntentRefuses : public ::testing::TestWithParam<Mutation> {};

TEST_P(IntentRefuses, NamingTheField) {
  auto k = dev_secret_key(0);
  json j = intent_to_json(*sign_intent(swap_json(k), k));
  if (GetParam().value.is_null())
    j.erase(GetParam().field);
  else
    j[GetParam().field] = GetParam().value;
  auto r = decode_intent(j);
  ASSERT_FALSE(r.ok()) << GetParam().field;
  EXPECT_EQ(r.error().code, Errc::invalid_params);
  EXPECT_EQ(r.error().field, GetParam().expected_field) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    All, IntentRefuses,
    ::testing::Values(
        Mutation{"kind", "steal", "kind"}, Mutation{"kind", 3, "kind"}, Mutation{"signer", "xyz", "signer"},
        Mutation{"nonce", -1, "nonce"}, Mutation{"nonce", "1", "nonce"}, Mutation{"nonce", 1.5, "nonce"},
        Mutation{"valid_until", nullptr, "valid_until"}, Mutation{"sell_amount", 5, "sell_amount"},
        Mutation{"sell_amount", "05", "sell_amount"}, Mutation{"sell_amount", "0", "sell_amount"},
        Mutation{"buy_amount", "-3", "buy_amount"},
        Mutation{"sell_amount", "1157920892373161954235709850086879078532699846656405640394575840079131296399360",
                 "sell_amount"},
        Mutation{"buy_asset", "ETH", "buy_asset"}, Mutation{"buy_asset", "usdc", "buy_asset"},
        Mutation{"side", "both", "side"}, Mutation{"partial", "no", "partial"}, Mutation{"extra", 1, "extra"},
        Mutation{"sig", "00", "sig"}, Mutation{"chain", "", "chain"}, Mutation{"valid_from", 101, "valid_from"},
        Mutation{"valid_from", -1, "valid_from"}, Mutation{"valid_from", "3", "valid_from"}));

TEST(Intent, TransferAndCancelDecode) {
  auto k = dev_secret_key(2);
  json t = {{"kind", "transfer"},
            {"chain", "c"},
            {"signer", k.public_key().hex()},
            {"nonce", 0},
            {"valid_until", 5},
            {"asset", "DAI"},
            {"to", dev_secret_key(3).public_key().hex()},
            {"amount", "7"}};
  auto ts = sign_intent(t, k);
  ASSERT_TRUE(ts.ok()) << ts.error().message;
  ASSERT_NE(ts->transfer(), nullptr);
  json c = {{"kind", "cancel"}, {"chain", "c"},     {"signer", k.public_key().hex()},
            {"nonce", 1},       {"valid_until", 5}, {"ids", json::array({ts->id.hex()})}};
  auto cs = sign_intent(c, k);
  ASSERT_TRUE(cs.ok()) << cs.error().message;
  ASSERT_EQ(cs->cancel()->ids.size(), 1u);
  c["ids"] = json::array({ts->id.hex(), ts->id.hex()});
  EXPECT_FALSE(decode_intent(c, false).ok());
  c["ids"] = json::array();
  EXPECT_FALSE(decode_intent(c, false).ok());
}

// valid_from is optional: absent, the canonical bytes (and so the id) are those of an
// intent without it and it reads 0; present, it is signed and decoded.
TEST(Intent, ValidFromAbsentOrPresent) {
  auto k = dev_secret_key(0);
  auto plain = sign_intent(swap_json(k), k, true);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->valid_from, 0u);
  EXPECT_EQ(plain->canonical_json().find("valid_from"), std::string::npos);

  json waiting = swap_json(k);
  waiting["valid_from"] = 100;  // = valid_until: the one block that may include it
  auto held = sign_intent(waiting, k, true);
  ASSERT_TRUE(held.ok()) << held.error().message;
  EXPECT_EQ(held->valid_from, 100u);
  EXPECT_NE(held->canonical_json().find("\"valid_from\":100"), std::string::npos);
  EXPECT_NE(held->id, plain->id);
  auto back = decode_verified_intent(intent_to_json(*held));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->valid_from, 100u);

  // Written out as 0 it means no wait, but it is signed: another id.
  waiting["valid_from"] = 0;
  auto zero = sign_intent(waiting, k, true);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->valid_from, 0u);
  EXPECT_NE(zero->id, plain->id);

  // Tampering with it breaks the signature.
  json wire = intent_to_json(*held);
  wire["valid_from"] = 1;
  auto tampered = decode_verified_intent(wire);
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().code, Errc::bad_signature);

  // A commitment's action intent keeps it (the matcher clears the action in its place).
  json commit = {
      {"kind", "commit"},
      {"chain", "pactum-devnet"},
      {"signer", k.public_key().hex()},
      {"nonce", 3},
      {"valid_until", 50},
      {"valid_from", 9},
      {"action",
       {{"kind", "transfer"}, {"asset", "USDC"}, {"to", dev_secret_key(1).public_key().hex()}, {"amount", "1"}}},
      {"condition", {{"type", "mirror"}, {"with", dev_secret_key(1).public_key().hex()}}}};
  auto c = sign_intent(commit, k, true);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(action_intent(*c).valid_from, 9u);
}

TEST(Intent, ValidFromAboveValidUntilIsRefused) {
  auto k = dev_secret_key(0);
  json j = swap_json(k);
  j["valid_from"] = 101;
  auto r = decode_intent(j, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_params);
  EXPECT_EQ(r.error().field, "valid_from");
  EXPECT_NE(r.error().message.find("valid_until (100)"), std::string::npos) << r.error().message;
}

TEST(Intent, NotAnObject) {
  auto r = decode_intent(json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_params);
}

}  // namespace
}  // namespace pactum
