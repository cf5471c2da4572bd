// Checks the test vectors published in docs/PROTOCOL.md (fenced blocks tagged
// "json vector", "json commit-vector", "json bundle-vector", "json block-vector" and
// "json receipt-vector"), so the document and the code cannot drift apart.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "pactum/intents/intent.hpp"
#include "pactum/intents/jcs.hpp"

namespace pactum {
namespace {

using nlohmann::json;

std::string read_doc() {
  std::ifstream in(std::string(PACTUM_SOURCE_DIR) + "/docs/PROTOCOL.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Fenced blocks of PROTOCOL.md opened with "```json <tag>".
std::vector<json> read_blocks(const std::string& tag) {
  const std::string doc = read_doc();
  std::vector<json> out;
  const std::string open = "```json " + tag + "\n";
  for (std::size_t pos = doc.find(open); pos != std::string::npos; pos = doc.find(open, pos)) {
    pos += open.size();
    const std::size_t end = doc.find("```", pos);
    out.push_back(json::parse(doc.substr(pos, end - pos)));
    pos = end;
  }
  return out;
}

std::vector<json> read_vectors() { return read_blocks("vector"); }

// PROTOCOL.md section 5, written out here so the check does not lean on the ledger's code.
Hash32 list_root(std::vector<Hash32> level) {
  if (level.empty()) return Hash32{};
  const TaggedHasher node("pactum/list/v1");
  while (level.size() > 1) {
    std::vector<Hash32> up;
    for (std::size_t i = 0; i + 1 < level.size(); i += 2)
      up.push_back(node(Bytes(level[i].bytes), Bytes(level[i + 1].bytes)));
    if (level.size() % 2 == 1) up.push_back(level.back());
    level = std::move(up);
  }
  return level[0];
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
    // A reveal vector also states the hash a `reveals` condition names: plain SHA-256.
    if (const Reveal* r = verified->reveal()) {
      EXPECT_EQ(r->hash.hex(), v.at("hash").get<std::string>());
      EXPECT_EQ(sha256(as_bytes(r->preimage)).hex(), v.at("hash").get<std::string>());
    }
    EXPECT_EQ(verified->valid_from, unsigned_intent.value("valid_from", std::uint64_t{0}));
  }
}

// The program of a commitment as docs/PROTOCOL.md section 2 constructs it (the normal
// form), written out here from the intent JSON alone (not with the decoder's code).
struct NormalForm {
  std::string signer, peer;
  void abstract(json& holder, const char* field) const {
    if (!holder.contains(field)) return;
    if (holder[field] == signer)
      holder[field] = "self";
    else if (!peer.empty() && holder[field] == peer)
      holder[field] = "peer";
  }
  static json lowest_terms(const json& rate) {
    BigInt num(rate.at("num").get<std::string>()), den(rate.at("den").get<std::string>());
    const BigInt g = num == 0 ? den : boost::multiprecision::gcd(num, den);
    return {{"num", BigInt(num / g).str()}, {"den", BigInt(den / g).str()}};
  }
  json condition(json c) const {
    const std::string type = c.at("type");
    if (type == "requires") {
      std::vector<std::string> ids = c.at("ids");
      std::sort(ids.begin(), ids.end());
      c["ids"] = ids;
    } else if (type == "mirror") {
      abstract(c, "with");
    } else if (type == "exists") {
      if (c.value("fallback", "") == "none") c.erase("fallback");
      json& p = c["pattern"];
      abstract(p, "signer");
      for (const char* bound : {"max_rate", "min_rate"})
        if (p.contains(bound)) p[bound] = lowest_terms(p[bound]);
    } else if (type == "program") {
      c["hash"] = "*";
      abstract(c, "signer");
    } else if (type == "unless") {
      c["condition"] = condition(c["condition"]);
    } else if (type == "all" || type == "any") {
      std::vector<std::pair<std::string, json>> keyed;
      for (const json& child : c.at("conditions")) {
        json n = condition(child);
        keyed.emplace_back(*canonicalize(n), n);
      }
      std::sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      c["conditions"] = json::array();
      for (auto& [key, n] : keyed) c["conditions"].push_back(n);
    }
    return c;
  }
};

json first_mirror_with(const json& c) {
  if (c.at("type") == "mirror" && c.contains("with")) return c["with"];
  if (c.contains("conditions"))
    for (const json& child : c["conditions"])
      if (json w = first_mirror_with(child); !w.is_null()) return w;
  return nullptr;
}

json program_of(const json& intent) {
  const json with = first_mirror_with(intent.at("condition"));
  const NormalForm nf{intent.at("signer").get<std::string>(), with.is_null() ? "" : with.get<std::string>()};
  json program = {{"action", intent.at("action")}, {"condition", nf.condition(intent.at("condition"))}};
  nf.abstract(program["action"], "to");
  return program;
}

// Commit vectors: canonical bytes, id and signature as for every intent, plus the program
// hash; the mirrored commitment of the counterpart has the same program.
TEST(ProtocolVectors, CommitVectorsReproduce) {
  const auto vectors = read_blocks("commit-vector");
  ASSERT_GE(vectors.size(), 1u) << "docs/PROTOCOL.md lost its commit vector";
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.at("name").get<std::string>());
    auto key = SecretKey::from_hex(v.at("secret_key").get<std::string>());
    ASSERT_TRUE(key.ok());
    const json& unsigned_intent = v.at("intent");
    EXPECT_EQ(key->public_key().hex(), unsigned_intent.at("signer").get<std::string>());
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
    ASSERT_NE(verified->commit(), nullptr);

    const std::string program_canonical = v.at("program_canonical").get<std::string>();
    EXPECT_EQ(*canonicalize(program_of(unsigned_intent)), program_canonical);
    const Hash32 program = tagged_hash("pactum/program/v1", as_bytes(program_canonical));
    EXPECT_EQ(program.hex(), v.at("program").get<std::string>());
    EXPECT_EQ(verified->commit()->program.hex(), v.at("program").get<std::string>());

    if (v.contains("peer_intent")) {
      const json& peer = v.at("peer_intent");
      EXPECT_EQ(*canonicalize(program_of(peer)), program_canonical);
      auto decoded = decode_intent(peer, /*require_sig=*/false);
      ASSERT_TRUE(decoded.ok()) << decoded.error().message;
      EXPECT_EQ(decoded->id.hex(), v.at("peer_digest").get<std::string>());
      EXPECT_EQ(decoded->commit()->program.hex(), v.at("program").get<std::string>());
      EXPECT_NE(decoded->id, verified->id);
    }
  }
}

// Bundle vectors: the signer and every co-signer sign the same digest, which leaves out
// both "sig" and "cosigs"; without the co-signature the bundle is refused.
TEST(ProtocolVectors, BundleVectorsReproduce) {
  const auto vectors = read_blocks("bundle-vector");
  ASSERT_GE(vectors.size(), 1u) << "docs/PROTOCOL.md lost its bundle vector";
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.at("name").get<std::string>());
    auto key = SecretKey::from_hex(v.at("secret_key").get<std::string>());
    ASSERT_TRUE(key.ok());
    const json& unsigned_intent = v.at("intent");
    ASSERT_FALSE(unsigned_intent.contains("cosigs"));
    EXPECT_EQ(*canonicalize(unsigned_intent), v.at("canonical").get<std::string>());
    const Hash32 digest = tagged_hash("pactum/intent/v1", as_bytes(v.at("canonical").get<std::string>()));
    EXPECT_EQ(digest.hex(), v.at("digest").get<std::string>());
    auto signed_in = sign_intent(unsigned_intent, *key, /*deterministic=*/true);
    ASSERT_TRUE(signed_in.ok()) << signed_in.error().message;
    EXPECT_EQ(signed_in->id.hex(), v.at("digest").get<std::string>());
    EXPECT_EQ(signed_in->sig.hex(), v.at("sig").get<std::string>());

    const json& cosigs = v.at("cosigs");
    const json& cosigner_keys = v.at("cosigner_secret_keys");
    ASSERT_EQ(cosigs.size(), cosigner_keys.size());
    json built = unsigned_intent;  // add_signature, one signer after the other
    auto with_sig = add_signature(built, *key, /*deterministic=*/true);
    ASSERT_TRUE(with_sig.ok()) << with_sig.error().message;
    built = *with_sig;
    for (std::size_t i = 0; i < cosigs.size(); ++i) {
      auto co = SecretKey::from_hex(cosigner_keys[i].get<std::string>());
      ASSERT_TRUE(co.ok());
      EXPECT_EQ(co->public_key().hex(), cosigs[i].at("account").get<std::string>());
      EXPECT_EQ(co->sign_deterministic(digest).hex(), cosigs[i].at("sig").get<std::string>());
      auto next = add_signature(built, *co, /*deterministic=*/true);
      ASSERT_TRUE(next.ok()) << next.error().message;
      built = *next;
    }

    json wire = unsigned_intent;
    wire["sig"] = v.at("sig");
    wire["cosigs"] = cosigs;
    EXPECT_EQ(built, wire);
    auto verified = decode_verified_intent(wire);
    ASSERT_TRUE(verified.ok()) << verified.error().message;
    EXPECT_EQ(verified->id.hex(), v.at("digest").get<std::string>());  // cosigs are not signed over
    ASSERT_NE(verified->bundle(), nullptr);

    json without = wire;
    without.erase("cosigs");
    auto refused = decode_verified_intent(without);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::missing_signature);
    EXPECT_EQ(refused.error().field, v.at("missing_signature_field").get<std::string>());

    json tampered = wire;
    tampered["cosigs"][0]["sig"] = v.at("sig");  // the signer's signature under the co-signer's name
    auto bad = decode_verified_intent(tampered);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, Errc::bad_signature);
    EXPECT_EQ(bad.error().field, "cosigs[0].sig");
  }
}

// The block vector: a real block 1 of the devnet. Its hash, roots and producer signature
// recompute from the JSON with nothing but JCS, tagged hashes and BIP-340.
TEST(ProtocolVectors, BlockVectorRecomputes) {
  const auto blocks = read_blocks("block-vector");
  ASSERT_EQ(blocks.size(), 1u) << "docs/PROTOCOL.md lost its block vector";
  const json& block = blocks[0].at("block");
  json header;
  for (const char* k : {"height", "parent", "timestamp", "state_root", "intents_root", "receipts_root", "producer"})
    header[k] = block.at(k);
  EXPECT_EQ(tagged_hash("pactum/block/v1", as_bytes(*canonicalize(header))).hex(), block.at("hash").get<std::string>());

  std::vector<Hash32> ids, receipt_hashes;
  for (const auto& in : block.at("intents")) {
    auto decoded = decode_verified_intent(in);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    ids.push_back(decoded->id);
  }
  for (const auto& r : block.at("receipts"))
    receipt_hashes.push_back(tagged_hash("pactum/receipt/v1", as_bytes(*canonicalize(r))));
  ASSERT_EQ(ids.size(), receipt_hashes.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(block.at("receipts")[i].at("intent"), ids[i].hex());
  EXPECT_EQ(list_root(ids).hex(), block.at("intents_root").get<std::string>());
  EXPECT_EQ(list_root(receipt_hashes).hex(), block.at("receipts_root").get<std::string>());
  EXPECT_EQ(receipt_hashes.front().hex(), blocks[0].at("receipt_hashes").at(0).get<std::string>());

  auto producer = PublicKey::from_hex(block.at("producer").get<std::string>(), "producer");
  auto sig = Signature::from_hex(block.at("sig").get<std::string>(), "sig");
  auto hash = Hash32::from_hex(block.at("hash").get<std::string>());
  ASSERT_TRUE(producer.ok() && sig.ok() && hash.ok());
  EXPECT_TRUE(verify(*producer, *hash, *sig));
}

TEST(ProtocolVectors, ReceiptVectorsHash) {
  const auto receipts = read_blocks("receipt-vector");
  ASSERT_GE(receipts.size(), 1u) << "docs/PROTOCOL.md lost its receipt vector";
  for (const auto& v : receipts) {
    const std::string canonical = *canonicalize(v.at("receipt"));
    EXPECT_EQ(canonical, v.at("canonical").get<std::string>());
    EXPECT_EQ(tagged_hash("pactum/receipt/v1", as_bytes(canonical)).hex(), v.at("hash").get<std::string>());
  }
}

}  // namespace
}  // namespace pactum
