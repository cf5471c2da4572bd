#include "pactum/intents/crypto.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace pactum {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r')
      cur.push_back(c);
  }
  out.push_back(cur);
  return out;
}

// The official BIP-340 vectors (bitcoin/bips bip-0340/test-vectors.csv), a copy kept in
// tests/vectors: every signature must be reproduced and every verification result match.
TEST(Bip340, OfficialVectors) {
  std::ifstream in(std::string(PACTUM_SOURCE_DIR) + "/tests/vectors/bip340-test-vectors.csv");
  ASSERT_TRUE(in.good());
  std::string line;
  std::getline(in, line);  // header
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto f = split_csv(line);
    ASSERT_GE(f.size(), 7u) << line;
    const std::string sk = lower(f[1]), pk = lower(f[2]), aux = lower(f[3]), msg = lower(f[4]), sig = lower(f[5]);
    const bool expected = f[6] == "TRUE";
    auto msg_bytes = from_hex(msg, "msg");
    ASSERT_TRUE(msg_bytes.ok());
    auto sig_v = Signature::from_hex(sig);
    ASSERT_TRUE(sig_v.ok());
    if (!sk.empty()) {
      auto key = SecretKey::from_hex(sk);
      ASSERT_TRUE(key.ok()) << line;
      EXPECT_EQ(key->public_key().hex(), pk) << line;
      auto aux_b = from_hex(aux, "aux");
      std::array<std::uint8_t, 32> aux_a{};
      std::copy(aux_b->begin(), aux_b->end(), aux_a.begin());
      EXPECT_EQ(key->sign(as_bytes(*msg_bytes), aux_a).hex(), sig) << line;
    }
    auto pub = PublicKey::from_hex(pk);
    if (!pub.ok()) {
      EXPECT_FALSE(expected) << "public key refused but vector expects success: " << line;
    } else {
      EXPECT_EQ(verify(*pub, as_bytes(*msg_bytes), *sig_v), expected) << line;
    }
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

TEST(Crypto, TaggedHashMatchesDefinition) {
  const std::string tag = "pactum/intent/v1";
  const std::string msg = "hello";
  const Hash32 t = sha256(as_bytes(tag));
  std::string pre(reinterpret_cast<const char*>(t.bytes.data()), 32);
  pre += pre;
  pre += msg;
  EXPECT_EQ(tagged_hash(tag, as_bytes(msg)), sha256(as_bytes(pre)));
  TaggedHasher h(tag);
  EXPECT_EQ(h(as_bytes("hel"), as_bytes("lo")), sha256(as_bytes(pre)));
}

TEST(Crypto, HexIsStrictLowercase) {
  EXPECT_FALSE(Hash32::from_hex(std::string(64, 'A')).ok());
  EXPECT_FALSE(Hash32::from_hex(std::string(63, 'a')).ok());
  EXPECT_TRUE(Hash32::from_hex(std::string(64, 'a')).ok());
  // x = 0 is not on the curve... use a value >= p, which is never a valid x.
  EXPECT_FALSE(PublicKey::from_hex(std::string(64, 'f')).ok());
}

TEST(Crypto, DevKeysAreDeterministicAndDistinct) {
  EXPECT_EQ(dev_secret_key(0).hex(), sha256(as_bytes("pactum/devnet/key/0")).hex());
  EXPECT_NE(dev_secret_key(0).public_key(), dev_secret_key(1).public_key());
  auto k = dev_secret_key(3);
  Hash32 d = sha256(as_bytes("x"));
  EXPECT_TRUE(verify(k.public_key(), d, k.sign(d)));
  EXPECT_EQ(k.sign_deterministic(d), k.sign_deterministic(d));
  EXPECT_FALSE(verify(dev_secret_key(4).public_key(), d, k.sign(d)));
}

}  // namespace
}  // namespace pactum
