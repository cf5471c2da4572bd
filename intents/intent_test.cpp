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
    ::testing::Values(Mutation{"kind", "steal", "kind"}, Mutation{"kind", 3, "kind"},
                      Mutation{"signer", "xyz", "signer"}, Mutation{"nonce", -1, "nonce"},
                      Mutation{"nonce", "1", "nonce"}, Mutation{"nonce", 1.5, "nonce"},
                      Mutation{"valid_until", nullptr, "valid_until"}, Mutation{"sell_amount", 5, "sell_amount"},
                      Mutation{"sell_amount", "05", "sell_amount"}, Mutation{"sell_amount", "0", "sell_amount"},
                      Mutation{"buy_amount", "-3", "buy_amount"},
                      Mutation{"sell_amount",
                               "1157920892373161954235709850086879078532699846656405640394575840079131296399360",
                               "sell_amount"},
                      Mutation{"buy_asset", "ETH", "buy_asset"}, Mutation{"buy_asset", "usdc", "buy_asset"},
                      Mutation{"side", "both", "side"}, Mutation{"partial", "no", "partial"},
                      Mutation{"extra", 1, "extra"}, Mutation{"sig", "00", "sig"}, Mutation{"chain", "", "chain"}));

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

TEST(Intent, NotAnObject) {
  auto r = decode_intent(json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_params);
}

}  // namespace
}  // namespace pactum
