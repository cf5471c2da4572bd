// Hashes for the matcher's lookup-only tables (never iterated where iteration order could
// reach a block: see the users). Keys are hashes or public keys already, so folding their
// bytes is enough.
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include "pactum/ledger/state.hpp"

namespace pactum::matching {

inline std::uint64_t fold32(const std::array<std::uint8_t, 32>& b) {
  std::uint64_t w[4];
  std::memcpy(w, b.data(), 32);
  return w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL) ^ (w[2] * 0xbf58476d1ce4e5b9ULL) ^ (w[3] * 0x94d049bb133111ebULL);
}

struct Hash32Hash {
  std::size_t operator()(const Hash32& h) const noexcept { return fold32(h.bytes); }
};
struct NonceKeyHash {
  std::size_t operator()(const NonceKey& k) const noexcept {
    return fold32(k.account.bytes) ^ (k.nonce * 0xc4ceb9fe1a85ec53ULL);
  }
};
struct BalanceKeyHash {
  std::size_t operator()(const BalanceKey& k) const noexcept {
    return fold32(k.account.bytes) ^ (std::hash<std::string>()(k.asset) * 0xff51afd7ed558ccdULL);
  }
};

}  // namespace pactum::matching
