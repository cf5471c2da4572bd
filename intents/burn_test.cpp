// The burn intent: decode, canonical form, signature, refusals, and the compute request
// hash (docs/PROTOCOL.md, "Burns and supply").
#include <gtest/gtest.h>

#include "pactum/intents/intent.hpp"

namespace pactum {
namespace {

using nlohmann::json;

const char* kRequest = "1f2e3d4c5b6a79880123456789abcdef0123456789abcdef0123456789abcdef";

json burn_json(const SecretKey& k) {
  return json{{"kind", "burn"},  {"chain", "pactum-devnet"}, {"signer", k.public_key().hex()},
              {"nonce", 3},      {"valid_until", 100},       {"asset", "COMPUTE"},
              {"amount", "250"}, {"request", kRequest}};
}

TEST(Burn, SignDecodeVerifyRoundTrip) {
  const SecretKey k = dev_secret_key(0);
  auto signed_in = sign_intent(burn_json(k), k, /*deterministic=*/true);
  ASSERT_TRUE(signed_in.ok()) << signed_in.error().message;
  auto back = decode_verified_intent(intent_to_json(*signed_in));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->kind(), "burn");
  ASSERT_NE(back->burn(), nullptr);
  EXPECT_EQ(back->burn()->asset, "COMPUTE");
  EXPECT_EQ(back->burn()->amount, Amount(250));
  EXPECT_EQ(back->burn()->request.hex(), kRequest);
  EXPECT_EQ(back->id, tagged_hash(kIntentTag, as_bytes(back->canonical_json())));
  EXPECT_EQ(back->canonical_json(),
            "{\"amount\":\"250\",\"asset\":\"COMPUTE\",\"chain\":\"pactum-devnet\",\"kind\":\"burn\",\"nonce\":3,"
            "\"request\":\"" +
                std::string(kRequest) + "\",\"signer\":\"" + k.public_key().hex() + "\",\"valid_until\":100}");
}

TEST(Burn, TamperedRequestBreaksTheSignature) {
  const SecretKey k = dev_secret_key(0);
  json wire = intent_to_json(*sign_intent(burn_json(k), k));
  wire["request"] = std::string(64, 'a');
  auto r = decode_verified_intent(wire);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::bad_signature);
}

struct BurnRefusal {
  const char* member;
  json value;  // null: the member is removed
  const char* field;
  const char* says;
};

class BurnRefuses : public ::testing::TestWithParam<BurnRefusal> {};

TEST_P(BurnRefuses, NamingTheField) {
  const BurnRefusal& c = GetParam();
  json j = burn_json(dev_secret_key(0));
  if (c.value.is_null())
    j.erase(c.member);
  else
    j[c.member] = c.value;
  auto r = decode_intent(j, false);
  ASSERT_FALSE(r.ok()) << j.dump();
  EXPECT_EQ(r.error().code, Errc::invalid_params);
  EXPECT_EQ(r.error().field, c.field);
  EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Burn, BurnRefuses,
    ::testing::Values(BurnRefusal{"amount", "0", "amount", "greater than zero"},
                      BurnRefusal{"amount",
                                  "1157920892373161954235709850086879078532699846656405640394575840079131296399360",
                                  "amount", ""},
                      BurnRefusal{"amount", "-5", "amount", ""}, BurnRefusal{"amount", 5, "amount", ""},
                      BurnRefusal{"amount", nullptr, "amount", "missing"}, BurnRefusal{"asset", "compute", "asset", ""},
                      BurnRefusal{"asset", nullptr, "asset", "missing"}, BurnRefusal{"request", "abcd", "request", ""},
                      BurnRefusal{"request", std::string(64, 'G'), "request", ""},
                      BurnRefusal{"request", nullptr, "request", "missing"},
                      BurnRefusal{"to", std::string(64, 'a'), "to", "unknown field for a burn intent"}));

TEST(Burn, ComputeRequestHashIsTheDocumentedTaggedHash) {
  const PublicKey core = dev_secret_key(5).public_key();
  std::string msg(reinterpret_cast<const char*>(core.bytes.data()), 32);
  const unsigned char tail[16] = {0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0, 0, 0, 0x07};  // 1000, 7
  msg.append(reinterpret_cast<const char*>(tail), 16);
  EXPECT_EQ(compute_request_hash(core, 1000, 7), tagged_hash("pactum/compute-request", as_bytes(msg)));
  EXPECT_NE(compute_request_hash(core, 1000, 7), compute_request_hash(core, 1000, 8));
  EXPECT_NE(compute_request_hash(core, 1000, 7), compute_request_hash(core, 1001, 7));
}

}  // namespace
}  // namespace pactum
