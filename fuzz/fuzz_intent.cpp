// fuzz_intent: every intent decoder (intents/include/pactum/intents/*.hpp) on one input.
//  - the raw bytes as an amount string (parse_amount), and as hex of every key type;
//  - the input as JSON: decode_intent (unsigned and signed), decode_verified_intent,
//    intent_digest, canonicalize, parse_amount_json, decode_room_terms (a room_open's
//    terms), sign_intent and add_signature with a devnet key;
// and, where a decoder accepts, the round trips the node relies on:
//  - intent_to_json of a decoded intent decodes again to the same id and signed bytes;
//  - an unsigned intent signed by its signer's key (devnet keys 0..7) verifies.
// Every error is written as the node writes it into a response (fuzz::use_error).
#include <array>
#include <map>

#include "common.hpp"
#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/intents/jcs.hpp"
#include "pactum/intents/room.hpp"

using namespace pactum;
using namespace pactum::fuzz;
using nlohmann::json;

namespace {

struct DevKeys {
  std::map<std::string, std::uint32_t> index_of;  // signer hex -> dev index
  DevKeys() {
    for (std::uint32_t i = 0; i < 8; ++i) index_of[dev_secret_key(i).public_key().hex()] = i;
  }
};
const DevKeys& dev_keys() {
  static const DevKeys keys;
  return keys;
}

void hex_decoders(std::string_view text) {
  use_result(Hash32::from_hex(text, "hash"));
  use_result(PublicKey::from_hex(text, "signer"));
  use_result(Signature::from_hex(text, "sig"));
  use_result(point_from_hex(text, "pubkey"));
  use_result(from_hex(text, "hex"));
}

void round_trip(const Intent& in, bool require_sig) {
  const json again_json = intent_to_json(in);
  (void)dump(again_json);
  auto again = decode_intent(again_json, require_sig);
  FUZZ_CHECK(again.ok(), "intent_to_json of a decoded intent does not decode: %s", again.error().message.c_str());
  FUZZ_CHECK(again->id == in.id, "intent_to_json changed the id");
  FUZZ_CHECK(again->canonical_json() == in.canonical_json(), "intent_to_json changed the signed bytes");
  FUZZ_CHECK(again->kind() == in.kind(), "intent_to_json changed the kind");
  if (in.commit()) {
    const Intent action = action_intent(in);
    FUZZ_CHECK(action.id == in.id, "action_intent changed the id");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)dev_keys();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_view(data, size);
  // Amount strings and hex fields arrive as JSON strings, any bytes a JSON string can hold.
  use_result(parse_amount(text, "amount"));
  hex_decoders(text);

  auto j = parse_json(text);
  if (!j) return 0;
  use_result(canonicalize(*j));
  use_result(parse_amount_json(*j, "amount"));
  if (j->is_string()) hex_decoders(j->get_ref<const std::string&>());

  auto unsigned_intent = decode_intent(*j, /*require_sig=*/false);
  use_result(unsigned_intent);
  auto signed_intent = decode_intent(*j, /*require_sig=*/true);
  use_result(signed_intent);
  auto verified = decode_verified_intent(*j);
  use_result(verified);
  use_result(intent_digest(*j));
  if (signed_intent.ok()) {
    round_trip(*signed_intent, true);
    (void)verify_intent(*signed_intent);
  }
  if (unsigned_intent.ok()) round_trip(*unsigned_intent, false);
  if (verified.ok())
    FUZZ_CHECK(signed_intent.ok() && signed_intent->id == verified->id, "verified differs from decoded");

  if (j->is_object()) {
    // A room_open's terms, with the signer (or a devnet key) as the opener.
    if (auto t = j->find("terms"); t != j->end()) {
      PublicKey opener = dev_secret_key(0).public_key();
      if (auto s = j->find("signer"); s != j->end() && s->is_string()) {
        if (auto k = PublicKey::from_hex(s->get_ref<const std::string&>()); k.ok()) opener = *k;
      }
      auto terms = decode_room_terms(*t, opener);
      use_result(terms);
      if (terms.ok()) {
        const json back = terms_to_json(*terms);
        (void)dump(back);
        auto again = decode_room_terms(back, opener);
        FUZZ_CHECK(again.ok(), "terms_to_json of decoded terms does not decode: %s", again.error().message.c_str());
        FUZZ_CHECK(again->hash == terms->hash, "terms_to_json changed the terms hash");
      }
    }
    // `pactum sign` and `pactum cosign`: an unsigned intent signed by its signer, when that
    // is a devnet key, must verify (bundles also need their cosigners: not checked here).
    json unsigned_json = *j;
    unsigned_json.erase("sig");
    unsigned_json.erase("cosigs");
    std::uint32_t dev = 0;
    bool known_signer = false;
    if (auto s = j->find("signer"); s != j->end() && s->is_string()) {
      auto it = dev_keys().index_of.find(s->get<std::string>());
      if (it != dev_keys().index_of.end()) {
        dev = it->second;
        known_signer = true;
      }
    }
    const SecretKey key = dev_secret_key(dev);
    auto signed_now = sign_intent(unsigned_json, key, /*deterministic=*/true);
    use_result(signed_now);
    if (signed_now.ok()) {
      FUZZ_CHECK(known_signer, "sign_intent signed for a signer that is not the key's");
      const json submitted = intent_to_json(*signed_now);
      (void)dump(submitted);
      if (!signed_now->bundle()) {
        auto check = decode_verified_intent(submitted);
        FUZZ_CHECK(check.ok(), "a freshly signed intent does not verify: %s", check.error().message.c_str());
        FUZZ_CHECK(check->id == signed_now->id, "a freshly signed intent changed its id");
      }
    }
    auto cosigned = add_signature(*j, key, /*deterministic=*/true);
    use_result(cosigned);
    if (cosigned.ok()) (void)dump(*cosigned);
  }
  return 0;
}
