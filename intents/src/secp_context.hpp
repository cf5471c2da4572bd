// Internal to intents/: the process's one libsecp256k1 context (created and randomised
// once in crypto.cpp; safe to share between threads for signing, verifying and ECDH).
#pragma once
#include <secp256k1.h>

namespace pactum::detail {

const secp256k1_context* secp_context();

}  // namespace pactum::detail
