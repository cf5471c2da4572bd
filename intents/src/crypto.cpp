// libsecp256k1 for keys and BIP-340; OpenSSL for SHA-256 and randomness.
#include "pactum/intents/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <array>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include <boost/unordered/unordered_flat_map.hpp>

#include "parsed_key.hpp"
#include "secp_context.hpp"

namespace pactum {
namespace {

// One context for the process. After creation and randomisation, libsecp256k1
// contexts are safe to use from many threads for signing and verification.
const secp256k1_context* ctx() {
  static secp256k1_context* c = [] {
    secp256k1_context* made = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char seed[32];
    if (RAND_bytes(seed, sizeof seed) == 1) {
      [[maybe_unused]] const int randomized = secp256k1_context_randomize(made, seed);
    }
    OPENSSL_cleanse(seed, sizeof seed);
    return made;
  }();
  return c;
}

}  // namespace

const secp256k1_context* detail::secp_context() { return ctx(); }

namespace {

void fill_random(std::uint8_t* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
}

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> fixed_from_hex(std::string_view hex, std::string_view field,
                                                   std::string_view what) {
  const std::string f(field);
  if (hex.size() != 2 * N) {
    return make_error(Errc::invalid_params,
                      f + ": " + std::string(what) + " must be " + std::to_string(2 * N) +
                          " lowercase hex digits, got " + std::to_string(hex.size()) + " characters",
                      f);
  }
  PACTUM_ASSIGN(bytes, from_hex(hex, field));
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), bytes.data(), N);
  return out;
}

}  // namespace

std::string to_hex(Bytes b) {
  std::string s(b.size() * 2, '0');
  for (std::size_t i = 0; i < b.size(); ++i) {
    s[2 * i] = kHexDigits[b[i] >> 4];
    s[2 * i + 1] = kHexDigits[b[i] & 15];
  }
  return s;
}

Result<std::string> from_hex(std::string_view hex, std::string_view field) {
  const std::string f(field);
  if (hex.size() % 2 != 0) return make_error(Errc::invalid_params, f + ": hex has an odd number of digits", f);
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return make_error(Errc::invalid_params, f + ": not lowercase hex at position " + std::to_string(2 * i), f);
    }
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string Hash32::hex() const { return to_hex(bytes); }
bool Hash32::is_zero() const {
  for (auto b : bytes)
    if (b) return false;
  return true;
}
Result<Hash32> Hash32::from_hex(std::string_view hex, std::string_view field) {
  PACTUM_ASSIGN(a, fixed_from_hex<32>(hex, field, "hash"));
  return Hash32{a};
}

Hash32 sha256(Bytes data) {
  Hash32 h;
  // The low-level API: OpenSSL 3's one-shot SHA256() fetches the algorithm under a
  // global lock on every call, which costs more than hashing a short message.
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, data.data(), data.size());
  SHA256_Final(h.bytes.data(), &c);
  return h;
}

Hash32 tagged_hash(std::string_view tag, Bytes msg) { return TaggedHasher(tag)(msg); }

static_assert(sizeof(SHA256_CTX) <= 128, "midstate buffer too small");

TaggedHasher::TaggedHasher(std::string_view tag) {
  const Hash32 t = sha256(as_bytes(tag));
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, t.bytes.data(), 32);
  SHA256_Update(&c, t.bytes.data(), 32);
  std::memcpy(midstate_, &c, sizeof c);
}

Hash32 TaggedHasher::operator()(Bytes msg) const {
  SHA256_CTX c;
  std::memcpy(&c, midstate_, sizeof c);
  SHA256_Update(&c, msg.data(), msg.size());
  Hash32 h;
  SHA256_Final(h.bytes.data(), &c);
  return h;
}

Hash32 TaggedHasher::operator()(Bytes a, Bytes b) const {
  SHA256_CTX c;
  std::memcpy(&c, midstate_, sizeof c);
  SHA256_Update(&c, a.data(), a.size());
  SHA256_Update(&c, b.data(), b.size());
  Hash32 h;
  SHA256_Final(h.bytes.data(), &c);
  return h;
}

std::string PublicKey::hex() const { return to_hex(bytes); }

static_assert(sizeof(secp256k1_xonly_pubkey) == 64, "parsed key cache assumes 64 bytes");

namespace {

// Parsing an x-only key takes a field square root (about 5 us); the same few thousand
// accounts sign and receive again and again, so the node keeps the parsed form of keys
// it has seen. Sharded so that the I/O threads rarely meet on a lock; a full shard is
// simply emptied. Only speed depends on it: a hit returns exactly what parsing returns.
class ParsedKeyCache {
 public:
  bool find(const std::array<std::uint8_t, 32>& key, secp256k1_xonly_pubkey& out) {
    Shard& s = shard(key);
    std::lock_guard lock(s.mu);
    auto it = s.map.find(key);
    if (it == s.map.end()) return false;
    out = it->second;
    return true;
  }
  void add(const std::array<std::uint8_t, 32>& key, const secp256k1_xonly_pubkey& parsed) {
    Shard& s = shard(key);
    std::lock_guard lock(s.mu);
    if (s.map.size() >= kPerShard) s.map.clear();
    s.map.emplace(key, parsed);
  }

 private:
  static constexpr std::size_t kShards = 16, kPerShard = 8192;
  struct KeyHash {
    std::size_t operator()(const std::array<std::uint8_t, 32>& k) const noexcept {
      std::uint64_t w;
      std::memcpy(&w, k.data() + 8, sizeof w);
      return static_cast<std::size_t>(w);
    }
  };
  struct Shard {
    std::mutex mu;
    boost::unordered_flat_map<std::array<std::uint8_t, 32>, secp256k1_xonly_pubkey, KeyHash> map;
  };
  Shard& shard(const std::array<std::uint8_t, 32>& key) { return shards_[key[0] % kShards]; }
  std::array<Shard, kShards> shards_;
};

ParsedKeyCache& parsed_keys() {
  static ParsedKeyCache cache;
  return cache;
}

}  // namespace

Result<PublicKey> detail::public_key_from_hex(std::string_view hex, std::string_view field,
                                              std::array<unsigned char, 64>* parsed) {
  PACTUM_ASSIGN(a, fixed_from_hex<32>(hex, field, "public key"));
  secp256k1_xonly_pubkey pk;
  if (!parsed_keys().find(a, pk)) {
    if (!secp256k1_xonly_pubkey_parse(ctx(), &pk, a.data())) {
      const std::string f(field);
      return make_error(Errc::invalid_params, f + ": not a valid BIP-340 x-only public key", f);
    }
    parsed_keys().add(a, pk);
  }
  if (parsed) std::memcpy(parsed->data(), &pk, sizeof pk);
  return PublicKey{a};
}

bool detail::verify_parsed(const std::array<unsigned char, 64>& parsed, const Hash32& digest, const Signature& sig) {
  secp256k1_xonly_pubkey pk;
  std::memcpy(&pk, parsed.data(), sizeof pk);
  return secp256k1_schnorrsig_verify(ctx(), sig.bytes.data(), digest.bytes.data(), digest.bytes.size(), &pk) == 1;
}

Result<PublicKey> PublicKey::from_hex(std::string_view hex, std::string_view field) {
  return detail::public_key_from_hex(hex, field, nullptr);
}

std::string Signature::hex() const { return to_hex(bytes); }

Result<Signature> Signature::from_hex(std::string_view hex, std::string_view field) {
  PACTUM_ASSIGN(a, fixed_from_hex<64>(hex, field, "signature"));
  return Signature{a};
}

Result<SecretKey> SecretKey::from_bytes(Bytes b32) {
  if (b32.size() != 32 || !secp256k1_ec_seckey_verify(ctx(), b32.data())) {
    return make_error(Errc::invalid_params, "secret key: must be 32 bytes in [1, n-1]", "secret");
  }
  SecretKey k;
  std::memcpy(k.bytes_.data(), b32.data(), 32);
  secp256k1_keypair kp;
  [[maybe_unused]] const int ok = secp256k1_keypair_create(ctx(), &kp, k.bytes_.data());
  assert(ok);  // the secret was verified above
  std::memcpy(k.keypair_.data(), &kp, sizeof kp);
  OPENSSL_cleanse(&kp, sizeof kp);
  return k;
}

Result<SecretKey> SecretKey::from_hex(std::string_view hex) {
  // Not PACTUM_ASSIGN: it would copy the secret out of the Result, and only the copy
  // would be wiped.
  auto a = fixed_from_hex<32>(hex, "secret", "secret key");
  if (!a) return a.error();
  auto k = from_bytes(*a);
  OPENSSL_cleanse(a->data(), a->size());
  return k;
}

SecretKey SecretKey::generate() {
  for (;;) {
    std::array<std::uint8_t, 32> b{};
    fill_random(b.data(), b.size());
    auto k = from_bytes(b);
    OPENSSL_cleanse(b.data(), b.size());
    if (k) return *k;
  }
}

static_assert(sizeof(secp256k1_keypair) == 96, "SecretKey::keypair_ holds a secp256k1_keypair");

SecretKey::~SecretKey() {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
  OPENSSL_cleanse(keypair_.data(), keypair_.size());
}

namespace {
const secp256k1_keypair* as_keypair(const std::array<std::uint8_t, 96>& bytes) {
  return reinterpret_cast<const secp256k1_keypair*>(bytes.data());
}
}  // namespace

PublicKey SecretKey::public_key() const {
  secp256k1_xonly_pubkey xpk;
  [[maybe_unused]] const int ok = secp256k1_keypair_xonly_pub(ctx(), &xpk, nullptr, as_keypair(keypair_));
  assert(ok);
  PublicKey out;
  secp256k1_xonly_pubkey_serialize(ctx(), out.bytes.data(), &xpk);
  return out;
}

std::string SecretKey::hex() const { return to_hex(bytes_); }

Signature SecretKey::sign(Bytes msg, const std::array<std::uint8_t, 32>& aux) const {
  secp256k1_schnorrsig_extraparams extra = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
  extra.ndata = const_cast<std::uint8_t*>(aux.data());
  Signature sig;
  [[maybe_unused]] const int ok =
      secp256k1_schnorrsig_sign_custom(ctx(), sig.bytes.data(), msg.data(), msg.size(), as_keypair(keypair_), &extra);
  assert(ok);
  return sig;
}

Signature SecretKey::sign(const Hash32& digest) const {
  std::array<std::uint8_t, 32> aux{};
  fill_random(aux.data(), aux.size());
  return sign(Bytes(digest.bytes), aux);
}

Signature SecretKey::sign_deterministic(const Hash32& digest) const {
  return sign(Bytes(digest.bytes), std::array<std::uint8_t, 32>{});
}

bool verify(const PublicKey& key, Bytes msg, const Signature& sig) {
  secp256k1_xonly_pubkey pk;
  if (!secp256k1_xonly_pubkey_parse(ctx(), &pk, key.bytes.data())) return false;
  return secp256k1_schnorrsig_verify(ctx(), sig.bytes.data(), msg.data(), msg.size(), &pk) == 1;
}

SecretKey dev_secret_key(std::uint32_t index) {
  const std::string seed = "pactum/devnet/key/" + std::to_string(index);
  const Hash32 h = sha256(as_bytes(seed));
  auto k = SecretKey::from_bytes(h.bytes);
  assert(k.ok());  // a SHA-256 output is a valid secret except with negligible probability
  return *k;
}

SecretKey dev_producer_key() {
  const Hash32 h = sha256(as_bytes("pactum/devnet/producer"));
  auto k = SecretKey::from_bytes(h.bytes);
  assert(k.ok());
  return *k;
}

}  // namespace pactum
