// Checks the test vectors published in docs/PROTOCOL.md (fenced blocks tagged
// "json vector"), so the document and the code cannot drift apart.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "pactum/intents/intent.hpp"
#include "pactum/intents/jcs.hpp"

namespace pactum {
namespace {

using nlohmann::json;

std::vector<json> read_vectors() {
  std::ifstream in(std::string(PACTUM_SOURCE_DIR) + "/docs/PROTOCOL.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  std::vector<json> out;
  const std::string open = "```json vector\n";
  for (std::size_t pos = doc.find(open); pos != std::string::npos; pos = doc.find(open, pos)) {
    pos += open.size();
    const std::size_t end = doc.find("```", pos);
    out.push_back(json::parse(doc.substr(pos, end - pos)));
    pos = end;
  }
  return out;
}

TEST(ProtocolVectors, EveryVectorReproduces) {
  const auto vectors = read_vectors();
  ASSERT_GE(vectors.size(), 4u) << "docs/PROTOCOL.md lost its vectors";
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.at("name").get<std::string>());
    auto key = SecretKey::from_hex(v.at("secret_key").get<std::string>());
    ASSERT_TRUE(key.ok());
    const json& unsigned_intent = v.at("intent");
    EXPECT_EQ(*canonicalize(unsigned_intent), v.at("canonical").get<std::string>());
    const Hash32 digest = tagged_hash("pactum/intent/v1", as_bytes(v.at("canonical").get<std::string>()));
    EXPECT_EQ(digest.hex(), v.at("digest").get<std::string>());
    auto signed_in = sign_intent(unsigned_intent, *key, /*deterministic=*/true);
    ASSERT_TRUE(signed_in.ok()) << signed_in.error().message;
    EXPECT_EQ(signed_in->id.hex(), v.at("digest").get<std::string>());
    EXPECT_EQ(signed_in->sig.hex(), v.at("sig").get<std::string>());
    json wire = unsigned_intent;
    wire["sig"] = v.at("sig");
    auto verified = decode_verified_intent(wire);
    ASSERT_TRUE(verified.ok()) << verified.error().message;
  }
}

}  // namespace
}  // namespace pactum
