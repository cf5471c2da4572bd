// Permits: signed-bytes layout, JSON round trip, and each refusal of verify_permit.
#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

#include "pactum/compute/acceptor.hpp"
#include "pactum/compute/hash_chain.hpp"
#include "pactum/compute/permit.hpp"

namespace pactum::compute {
namespace {

Permit sample_permit(const SecretKey& controller) {
  Permit p;
  p.core = dev_secret_key(1).public_key();
  p.burn_id = sha256(as_bytes("burn"));
  p.permit_id = sha256(as_bytes("permit"));
  p.units = 1000;
  p.expiry_height = 50;
  p.length = 10;
  p.anchor = sha256(as_bytes("anchor"));
  return sign_permit(p, controller);
}

TEST(Permit, SignedBytesAreTheDocumentedLayout) {
  const Permit p = sample_permit(dev_secret_key(9));
  const std::string bytes = p.signed_bytes();
  ASSERT_EQ(bytes.size(), kPermitSignedSize);
  EXPECT_EQ(bytes[0], 1);
  EXPECT_EQ(bytes.substr(1, 32), std::string(reinterpret_cast<const char*>(p.controller.bytes.data()), 32));
  EXPECT_EQ(static_cast<unsigned char>(bytes[1 + 32 * 4 + 7]), 1000 & 0xff);  // units, low byte
  EXPECT_EQ(static_cast<unsigned char>(bytes[1 + 32 * 4 + 6]), 1000 >> 8);    // units, next byte
  EXPECT_EQ(static_cast<unsigned char>(bytes[1 + 32 * 4 + 8 + 7]), 50);       // expiry_height
  EXPECT_EQ(static_cast<unsigned char>(bytes[1 + 32 * 4 + 16 + 7]), 10);      // length
  EXPECT_EQ(p.digest(), tagged_hash("pactum/compute-permit", as_bytes(bytes)));
}

TEST(Permit, SignVerifyAndJsonRoundTrip) {
  const SecretKey controller = dev_secret_key(9);
  const Permit p = sample_permit(controller);
  EXPECT_TRUE(verify_permit(p, controller.public_key(), p.core, 50).ok());
  const auto back = Permit::from_json(nlohmann::json::parse(p.to_json().dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->digest(), p.digest());
  EXPECT_EQ(back->sig, p.sig);
  EXPECT_TRUE(verify_permit(*back, controller.public_key(), p.core, 0).ok());
}

TEST(Permit, RefusesATamperedPermit) {
  const SecretKey controller = dev_secret_key(9);
  Permit p = sample_permit(controller);
  p.units = 2000;
  const auto r = verify_permit(p, controller.public_key(), p.core, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::bad_signature);
  EXPECT_EQ(r.error().field, "sig");
}

TEST(Permit, RefusesAnotherController) {
  const Permit p = sample_permit(dev_secret_key(8));  // valid, but signed by an untrusted key
  const auto r = verify_permit(p, dev_secret_key(9).public_key(), p.core, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::bad_signature);
  EXPECT_EQ(r.error().field, "controller");
}

TEST(Permit, RefusesTheWrongCore) {
  const SecretKey controller = dev_secret_key(9);
  const Permit p = sample_permit(controller);
  const auto r = verify_permit(p, controller.public_key(), dev_secret_key(2).public_key(), 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::wrong_core);
  EXPECT_EQ(r.error().field, "core");
}

TEST(Permit, RefusesAfterItsExpiryHeight) {
  const SecretKey controller = dev_secret_key(9);
  const Permit p = sample_permit(controller);
  EXPECT_TRUE(verify_permit(p, controller.public_key(), p.core, 50).ok());
  const auto r = verify_permit(p, controller.public_key(), p.core, 51);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::expired);
  EXPECT_NE(r.error().message.find("expired at height 50"), std::string::npos) << r.error().message;
}

TEST(Permit, RefusesLengthsOutOfRange) {
  const SecretKey controller = dev_secret_key(9);
  Permit p = sample_permit(controller);
  p.length = 0;
  p = sign_permit(p, controller);
  EXPECT_EQ(verify_permit(p, controller.public_key(), p.core, 1).error().field, "length");
  p.length = 2000;  // more keys than units
  p = sign_permit(p, controller);
  EXPECT_EQ(verify_permit(p, controller.public_key(), p.core, 1).error().field, "units");
}

TEST(Permit, UnitsAfterSplitsExactly) {
  Permit p;
  p.units = 10;
  p.length = 3;
  EXPECT_EQ(p.units_after(0), 0u);
  EXPECT_EQ(p.units_after(1), 3u);
  EXPECT_EQ(p.units_after(2), 6u);
  EXPECT_EQ(p.units_after(3), 10u);
  p.units = UINT64_MAX;
  p.length = 7;
  EXPECT_EQ(p.units_after(7), UINT64_MAX);
}

TEST(Permit, FromJsonRefusesBadMembers) {
  const Permit p = sample_permit(dev_secret_key(9));
  nlohmann::json j = p.to_json();
  j["core"] = "zz";
  EXPECT_EQ(Permit::from_json(j).error().field, "core");
  j = p.to_json();
  j.erase("anchor");
  EXPECT_EQ(Permit::from_json(j).error().code, Errc::invalid_params);
  j = p.to_json();
  j["extra"] = 1;
  EXPECT_FALSE(Permit::from_json(j).ok());
}

}  // namespace
}  // namespace pactum::compute

namespace pactum::compute {
namespace {

// The vector of docs/PROTOCOL.md section 11: dev key 9 signs, for dev account 1, a permit
// whose ids are SHA256 of ASCII words; seed = SHA256("seed"), L = 4.
TEST(Permit, ProtocolVector) {
  Permit p;
  p.core = dev_secret_key(1).public_key();
  p.burn_id = sha256(as_bytes("burn"));
  p.permit_id = sha256(as_bytes("permit"));
  p.units = 1000;
  p.expiry_height = 50;
  p.length = 4;
  const std::vector<Hash32> chain = naive_chain(sha256(as_bytes("seed")), 4);
  p.anchor = chain[4];
  p = sign_permit(p, dev_secret_key(9));
  EXPECT_EQ(chain[0].hex(), "19b25856e1c150ca834cffc8b59b23adbd0ec0389e58eb22b3b64768098d002b");
  EXPECT_EQ(chain[1].hex(), "134792506e0e3bc7f549d9309a36d1bee52ef263e7aab4bfd22254b296def1f5");
  EXPECT_EQ(chain[2].hex(), "a67c2146398e9af885999ce8da3a02b8941164c8cb8ee802c9a91e17786cedf3");
  EXPECT_EQ(chain[3].hex(), "e2c6867fc6de35e44577288558b22da576c31c8d6f30b2e3d9d7acd0d8ad9b58");
  EXPECT_EQ(chain[4].hex(), "b7b858cc671aba17442e54a2c916beaf1f009ce728f8304c2f9d96ec1def0a19");
  EXPECT_EQ(to_hex(as_bytes(p.signed_bytes())),
            "01d16e481b58408e8bbd19a2791d72ebbfacff35e140d374fe22cfaae0ebd092f8aecdf1248b7ce4c75abe290385011e10458a167a"
            "affdda88619a973c630392ff859facc5a4c9b80ac2eef78916c1953bcccaab6014bb11b9de8337430ea34f0c85441a43c7cb9f242a"
            "5c20c6648026689c795ad4e8321e215bf68d48fc9a4b1c00000000000003e800000000000000320000000000000004b7b858cc671a"
            "ba17442e54a2c916beaf1f009ce728f8304c2f9d96ec1def0a19");
  EXPECT_EQ(p.digest().hex(), "b28c030fd29c7a44b235e03b3a03fbc89df21abcb5c8d2c184207131c09d54f7");
  EXPECT_EQ(p.sig.hex(),
            "9dab34d6a1718519ca7927e06527e2b851c027f051245e75e62df75e8e94ecbc27d14e31fc35798cd54076609ddc880d2b8b78b152"
            "6f207457b5688b007d1e22");
  // The acceptance example under the vector.
  const std::string state =
      (std::filesystem::temp_directory_path() / ("pactum_vector_" + std::to_string(::getpid()))).string();
  std::filesystem::remove(state);
  auto acceptor = KeyAcceptor::open(p, dev_secret_key(9).public_key(), p.core, 50, state);
  ASSERT_TRUE(acceptor.ok());
  EXPECT_EQ(acceptor->accept(p.digest(), chain[3], 50)->units, 250u);
  const auto two = acceptor->accept(p.digest(), chain[1], 50);
  EXPECT_EQ(two->keys, 2u);
  EXPECT_EQ(two->units, 500u);
  EXPECT_EQ(acceptor->accept(p.digest(), chain[2], 50).error().code, Errc::key_replayed);
  std::filesystem::remove(state);
}

}  // namespace
}  // namespace pactum::compute
