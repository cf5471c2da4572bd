// Internal to intents/: a signer key parsed once (secp256k1_xonly_pubkey_parse costs a
// field square root) and reused by verify_intent.
#pragma once
#include <array>
#include <string_view>

#include "pactum/intents/crypto.hpp"

namespace pactum::detail {

// PublicKey::from_hex that also hands back the parsed key (same checks, same errors).
Result<PublicKey> public_key_from_hex(std::string_view hex, std::string_view field,
                                      std::array<unsigned char, 64>* parsed);
// BIP-340 verification against an already parsed key.
bool verify_parsed(const std::array<unsigned char, 64>& parsed, const Hash32& digest, const Signature& sig);

}  // namespace pactum::detail
