// verify_intent reuses the signer key that decode_intent parsed, but only for that key.
#include <gtest/gtest.h>

#include "pactum/intents/intent.hpp"

namespace pactum {
namespace {

using nlohmann::json;

json transfer_json(const SecretKey& k) {
  return json{{"kind", "transfer"},
              {"chain", "pactum-devnet"},
              {"signer", k.public_key().hex()},
              {"nonce", 1},
              {"valid_until", 100},
              {"asset", "USDC"},
              {"to", dev_secret_key(9).public_key().hex()},
              {"amount", "5"}};
}

TEST(ParsedSignerKey, DecodedIntentVerifiesWithItsParsedKeyOnly) {
  auto k = dev_secret_key(0);
  auto decoded = decode_intent(intent_to_json(sign_intent(transfer_json(k), k).value()));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_TRUE(decoded->signer_parsed.valid);
  EXPECT_TRUE(verify_intent(*decoded));

  Intent other_signer = *decoded;  // the cache must not vouch for another key
  other_signer.signer = dev_secret_key(1).public_key();
  EXPECT_FALSE(verify_intent(other_signer));

  Intent bad_sig = *decoded;
  bad_sig.sig.bytes[0] ^= 1;
  EXPECT_FALSE(verify_intent(bad_sig));

  Intent uncached = *decoded;  // an intent built without decode_intent still verifies
  uncached.signer_parsed = ParsedSignerKey{};
  EXPECT_TRUE(verify_intent(uncached));
}

}  // namespace
}  // namespace pactum
