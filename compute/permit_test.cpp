// Permits: signed-bytes layout, JSON round trip, and each refusal of verify_permit.
#include <gtest/gtest.h>

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
