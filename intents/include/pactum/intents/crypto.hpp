// Hashes, keys and BIP-340 Schnorr signatures (libsecp256k1 + OpenSSL SHA-256).
// Value types at the crypto boundary: a PublicKey is always a valid x-only key, a
// SecretKey is always in [1, n-1] and is wiped on destruction. Hex is lowercase on
// output; parsing accepts lowercase only (the wire form is canonical).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "pactum/intents/result.hpp"

namespace pactum {

using Bytes = std::span<const std::uint8_t>;
inline Bytes as_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

std::string to_hex(Bytes b);
// Strict: exactly 2*N lowercase hex digits.
Result<std::string> from_hex(std::string_view hex, std::string_view field);

struct Hash32 {
  std::array<std::uint8_t, 32> bytes{};
  std::string hex() const;
  static Result<Hash32> from_hex(std::string_view hex, std::string_view field = "hash");
  bool is_zero() const;
  auto operator<=>(const Hash32&) const = default;
};

Hash32 sha256(Bytes data);
// BIP-340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || msg).
Hash32 tagged_hash(std::string_view tag, Bytes msg);

// Tagged hashing with the 64-byte tag prefix precomputed once (hot paths: state tree).
class TaggedHasher {
 public:
  explicit TaggedHasher(std::string_view tag);
  Hash32 operator()(Bytes msg) const;
  Hash32 operator()(Bytes a, Bytes b) const;  // hash of a || b
 private:
  alignas(16) unsigned char midstate_[128];  // an OpenSSL SHA256_CTX after the prefix
};

struct PublicKey {  // BIP-340 x-only public key
  std::array<std::uint8_t, 32> bytes{};
  std::string hex() const;
  // Refuses anything that is not 64 lowercase hex digits of a valid x coordinate.
  static Result<PublicKey> from_hex(std::string_view hex, std::string_view field = "signer");
  auto operator<=>(const PublicKey&) const = default;
};

struct Signature {  // BIP-340 signature, 64 bytes
  std::array<std::uint8_t, 64> bytes{};
  std::string hex() const;
  static Result<Signature> from_hex(std::string_view hex, std::string_view field = "sig");
  auto operator<=>(const Signature&) const = default;
};

class SecretKey {
 public:
  static Result<SecretKey> from_bytes(Bytes b32);
  static Result<SecretKey> from_hex(std::string_view hex);
  static SecretKey generate();  // OpenSSL RAND_bytes
  ~SecretKey();
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  PublicKey public_key() const;
  std::string hex() const;  // for `pactum keys` only; never log it
  // The 32 secret bytes, for ECDH (room sealing, room.cpp) only; never log or store them.
  const std::array<std::uint8_t, 32>& secret_bytes() const { return bytes_; }
  // BIP-340 sign of a message of any length. aux is the 32-byte auxiliary randomness;
  // the all-zero aux gives deterministic signatures (used for test vectors).
  Signature sign(Bytes msg, const std::array<std::uint8_t, 32>& aux) const;
  Signature sign(const Hash32& digest) const;                // aux from RAND_bytes
  Signature sign_deterministic(const Hash32& digest) const;  // aux = 32 zero bytes
 private:
  SecretKey() = default;
  std::array<std::uint8_t, 32> bytes_{};
  // libsecp256k1's keypair (secret and public point), computed once in from_bytes: each
  // signature and public_key() would otherwise redo a point multiplication (the
  // producer signs every block header).
  std::array<std::uint8_t, 96> keypair_{};
};

// BIP-340 verify of a message of any length. Thread safe; no locks.
bool verify(const PublicKey& key, Bytes msg, const Signature& sig);
inline bool verify(const PublicKey& key, const Hash32& digest, const Signature& sig) {
  return verify(key, Bytes(digest.bytes), sig);
}

// The documented devnet key derivation: secret = SHA256("pactum/devnet/key/" + index)
// (the ASCII decimal index). Public on purpose: anyone can rebuild the dev accounts.
SecretKey dev_secret_key(std::uint32_t index);
// The devnet block producer key: SHA256("pactum/devnet/producer").
SecretKey dev_producer_key();

}  // namespace pactum
