// The room vector of docs/PROTOCOL.md (section 3, "Room vector"): a room_open, the room's
// key and seed, a sealed position (ECDH + HKDF-SHA256 + AES-256-GCM, with the ephemeral
// key and iv fixed through seal_position_with), band prices and the outcome digest. The
// values are hard-coded here and checked both ways (sealing gives the ciphertext, opening
// gives the plaintext back, a wrong party, room, key or byte gives nothing), and the
// fenced "json room-vector" block of PROTOCOL.md must state the same values.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "pactum/intents/intent.hpp"
#include "pactum/intents/jcs.hpp"
#include "pactum/intents/room.hpp"

namespace pactum {
namespace {

using nlohmann::json;

// Dev accounts 1 (seller) and 2 (buyer), PROTOCOL.md section 1.
const std::string kSellerSecret = "2d5b8bbbe5feb23ea040076862b784f5e9056204768e4287552a82e29228acc0";
const std::string kSeller = "aecdf1248b7ce4c75abe290385011e10458a167aaffdda88619a973c630392ff";
const std::string kBuyerSecret = "44412d66f7d858c8110a33996a2341c2d6e33490dbbde394ed518389c383fde7";
const std::string kBuyer = "70f5839797b6472cdfd05becc06fca1b09f729f36162dd9f2efd6a2cc12d6354";

const std::string kTermsCanonical = "{\"amount\":\"1000000000000000000\",\"asset\":\"ETH\",\"buyer\":\"" + kBuyer +
                                    "\",\"close_height\":10,\"mechanism\":\"midpoint\",\"pay_asset\":\"USDC\","
                                    "\"range\":[\"2000000000\",\"4000000000\"],"
                                    "\"seller\":\"" +
                                    kSeller + "\"}";
const std::string kOpenCanonical = "{\"chain\":\"pactum-devnet\",\"kind\":\"room_open\",\"nonce\":5,\"signer\":\"" +
                                   kSeller + "\",\"terms\":" + kTermsCanonical + ",\"valid_until\":1000}";
const std::string kRoom = "fa090da30e2426bb874a83e069d7f4bb83e55f068a6faa6e4a2f964414c2954d";
const std::string kOpenSig =
    "2bb9d4efaf3cc27fcb0e75f51bc68020ee4b23e2149354da481c14ba8b5693bc8ba603ecda5645ad2926c7c49263318fffdb11c36d9cc2b051"
    "083547121457b9";
const std::string kTermsHash = "614395c961a45588af79c3f79fe36d752f97bb2d0cf58e3706e31dc948d6899f";

const std::string kRoomSecret = "498f7d4cc3c65bed06d2ea6bfd0b87b8049ce882bbff44d1ca5a63e1d70f6cbf";
const std::string kRoomPub = "030a0cc9791836c2aa79e02291a3abfa544b8653306fd5560bb7ec7539ae41c105";
const std::string kSeed = "9bb6a5e6d6a9d4632b625081ee62d069a6117a0f59b01e5dc1d960e047212ac5";
const std::string kSeedCommitment = "a0e337aefb54743d639b7851234d5f9754a01285f6371f51c6d4664c06bda939";
const std::uint32_t kSeedBand = 47;

const std::string kEphSecret = "bedd276b6b2376e5e2d6dd6dafabcb7b2a197bb6d137c89de2816fee1a010adc";
const std::string kIv = "a0a1a2a3a4a5a6a7a8a9aaab";
const std::string kPlaintext = "{\"accept\":true,\"reservation\":\"2812345678\"}";
const std::string kEph = "03c4950e1daf4fc5ce862ee706d29e97f671d7d032404abe4d94c12a9741c4bc91";
const std::string kCt =
    "218be652d9040efc414f46dbbb8c3129bb414ba8bb046d80c81994d1e5c1d9a2828ca9919bbe1adff55fd63713507a5faf7989b2a01c0345d3"
    "c9adcee547"
    "ad01cc2d2d4a08ed64f91e7ccab19da3fcc3b1d708827a42f4ccc0caff2f0b7bd5983e155e592297c19a031854d86827f93579bad56862a1ad"
    "e9807a5f9f"
    "59d2465fb85ca2b410428bbdf28c56e8b1ae57fcb0474079ddb3bb85d0c9510b72252dac9ffe389a733fa2c6b61de96d1fdabe8988b36208de"
    "94d9ad0310"
    "88900af15f2fae47e1292e1f7a93d54c315435c3e66239e1c3f4f543476e9f3004071990b2aaefedd476a878e401c59000bfde8a7f9fc26a06"
    "556a694b9b"
    "54843f67ea89dbf65b8b4e6c27dcebc9801fcaed4bba1328";
const std::string kTag = "5b8b4e6c27dcebc9801fcaed4bba1328";
// Intermediate values of the sealing steps (PROTOCOL.md): Z = SHA256(compressed shared point)
// and K = HKDF-SHA256(Z, salt, info). The code keeps them internal; they were checked against
// an independent implementation (Node.js crypto and @noble/curves) when the vector was made.
const std::string kEcdh = "0bfdb58193cc4a158163375ba2a7023ba95820c04e2922a5c84d0467910e41d2";
const std::string kKey = "ca7261f7973ddaa949f4705ccf0f0ed165d997439c7c99c51b23b16d7f3aee51";

const std::uint8_t kOutcome = 0x80 | 63;
const std::string kPrice = "2992187500";
const std::string kDigest = "a1eff8d24caee9795a5649f687debae6e00c2d8fb551509f1164df303156036b";
const std::string kSellerSig =
    "f8479ddd7995ba8532db11bb62308ccb31d08b60c62acfdf7282e0d3f3f38f187f42beb0ae323121fb565be31ca51c711e2f298e2df0de3d0c"
    "f779d7bdb62004";
const std::string kBuyerSig =
    "dd0f547901142cfb17588a3ac161a915d70615137ec0ced963d9047515218bb1d807126df9e34c71879ef2a3ca78abd6ef7799abe806fac41a"
    "30fa8dd0484484";
const std::string kNoDealDigest = "d3d10bbda17ad2e95f17f14302c136b410920faa003bca89e54cf7c5e5ced3bc";

SecretKey key_of(const std::string& hex) { return SecretKey::from_hex(hex).value(); }
Hash32 hash_of(const std::string& hex) { return Hash32::from_hex(hex).value(); }
PublicKey account_of(const std::string& hex) { return PublicKey::from_hex(hex).value(); }

std::array<std::uint8_t, 12> iv_of(const std::string& hex) {
  const std::string raw = from_hex(hex, "iv").value();
  std::array<std::uint8_t, 12> iv{};
  std::copy(raw.begin(), raw.end(), iv.begin());
  return iv;
}

RoomPosition vector_position() {
  RoomPosition p;
  p.room = hash_of(kRoom);
  p.eph = point_from_hex(kEph, "eph").value();
  p.iv = iv_of(kIv);
  const std::string ct = from_hex(kCt, "ct").value();
  p.ct.assign(ct.begin(), ct.end());
  return p;
}

json open_intent() { return json::parse(kOpenCanonical); }

TEST(RoomVector, RoomOpenIdTermsHashAndSignature) {
  const json open = open_intent();
  EXPECT_EQ(canonicalize(open).value(), kOpenCanonical);
  EXPECT_EQ(canonicalize(open.at("terms")).value(), kTermsCanonical);
  EXPECT_EQ(tagged_hash("pactum/room-terms/v1", as_bytes(kTermsCanonical)).hex(), kTermsHash);
  auto in = sign_intent(open, key_of(kSellerSecret), /*deterministic=*/true);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->id.hex(), kRoom);  // the room id is the room_open's id
  EXPECT_EQ(in->sig.hex(), kOpenSig);
  ASSERT_NE(in->room_open(), nullptr);
  EXPECT_EQ(in->room_open()->terms.hash.hex(), kTermsHash);
  EXPECT_EQ(terms_to_json(in->room_open()->terms), open.at("terms"));
  json wire = open;
  wire["sig"] = kOpenSig;
  EXPECT_TRUE(decode_verified_intent(wire).ok());
}

TEST(RoomVector, RoomKeyAndSeed) {
  EXPECT_EQ(point_hex(compressed_public_key(key_of(kRoomSecret))), kRoomPub);
  const Hash32 seed = hash_of(kSeed);
  EXPECT_EQ(sha256(Bytes(seed.bytes)).hex(), kSeedCommitment);
  EXPECT_EQ(band_from_seed(seed), kSeedBand);
  std::string msg = "pactum/room/posted/v1";
  msg.append(reinterpret_cast<const char*>(seed.bytes.data()), 32);
  EXPECT_EQ(sha256(as_bytes(msg)).bytes[0] & 0x7f, kSeedBand);
}

TEST(RoomVector, SealingGivesTheCiphertext) {
  ASSERT_EQ(kCt.size(), 2 * kSealedCiphertextSize);
  EXPECT_EQ(kCt.substr(kCt.size() - 32), kTag);  // the tag is the last 16 bytes
  auto sealed =
      seal_position_with(key_of(kEphSecret), iv_of(kIv), point_from_hex(kRoomPub, "pubkey").value(), hash_of(kRoom),
                         account_of(kSeller), SealedPosition{true, Amount("2812345678"), std::nullopt, {}});
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->room.hex(), kRoom);
  EXPECT_EQ(point_hex(sealed->eph), kEph);
  EXPECT_EQ(point_hex(compressed_public_key(key_of(kEphSecret))), kEph);
  EXPECT_EQ(to_hex(Bytes(sealed->iv)), kIv);
  EXPECT_EQ(to_hex(Bytes(sealed->ct)), kCt);
}

TEST(RoomVector, OpeningGivesThePlaintextBackAndNothingElse) {
  const SecretKey room_secret = key_of(kRoomSecret);
  const RoomPosition p = vector_position();
  auto opened = open_sealed(room_secret, hash_of(kRoom), account_of(kSeller), p);
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(opened->accept);
  EXPECT_EQ(opened->reservation, Amount("2812345678"));

  // Bound to the party, the room and the key: anything else gives nothing.
  EXPECT_FALSE(open_sealed(room_secret, hash_of(kRoom), account_of(kBuyer), p).has_value());
  EXPECT_FALSE(open_sealed(room_secret, hash_of(kTermsHash), account_of(kSeller), p).has_value());
  EXPECT_FALSE(open_sealed(key_of(kEphSecret), hash_of(kRoom), account_of(kSeller), p).has_value());
  for (std::size_t at : {std::size_t{0}, std::size_t{100}, kSealedCiphertextSize - 1}) {  // body and tag
    RoomPosition bad = p;
    bad.ct[at] ^= 0x01;
    EXPECT_FALSE(open_sealed(room_secret, hash_of(kRoom), account_of(kSeller), bad).has_value()) << at;
  }
  RoomPosition bad_iv = p;
  bad_iv.iv[11] ^= 0x01;
  EXPECT_FALSE(open_sealed(room_secret, hash_of(kRoom), account_of(kSeller), bad_iv).has_value());
  RoomPosition other_eph = p;
  other_eph.eph = point_from_hex(kRoomPub, "eph").value();
  EXPECT_FALSE(open_sealed(room_secret, hash_of(kRoom), account_of(kSeller), other_eph).has_value());
  RoomPosition short_ct = p;
  short_ct.ct.pop_back();
  EXPECT_FALSE(open_sealed(room_secret, hash_of(kRoom), account_of(kSeller), short_ct).has_value());
}

TEST(RoomVector, TheRandomSealOpensToo) {
  // seal_position draws a fresh ephemeral key and iv: another ciphertext, the same plaintext.
  const Point33 pub = point_from_hex(kRoomPub, "pubkey").value();
  auto a = seal_position(pub, hash_of(kRoom), account_of(kBuyer),
                         SealedPosition{false, Amount("3187654321"), std::nullopt, {}});
  auto b = seal_position(pub, hash_of(kRoom), account_of(kBuyer),
                         SealedPosition{false, Amount("3187654321"), std::nullopt, {}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->ct.size(), kSealedCiphertextSize);
  EXPECT_NE(a->eph, b->eph);
  EXPECT_NE(a->ct, b->ct);
  auto opened = open_sealed(key_of(kRoomSecret), hash_of(kRoom), account_of(kBuyer), *a);
  ASSERT_TRUE(opened.has_value());
  EXPECT_FALSE(opened->accept);
  EXPECT_EQ(opened->reservation, Amount("3187654321"));
}

TEST(RoomVector, BandPricesAndOutcomeDigest) {
  const RoomTerms terms = decode_room_terms(open_intent().at("terms"), account_of(kSeller)).value();
  EXPECT_EQ(band_price(terms, 0).str(), "2007812500");
  EXPECT_EQ(band_price(terms, 63).str(), kPrice);
  EXPECT_EQ(band_price(terms, 64).str(), "3007812500");
  EXPECT_EQ(band_price(terms, 127).str(), "3992187500");
  EXPECT_TRUE(outcome_is_deal(kOutcome));
  EXPECT_EQ(outcome_band(kOutcome), 63u);
  const Hash32 digest = outcome_digest(hash_of(kRoom), hash_of(kTermsHash), kOutcome, Amount(kPrice));
  EXPECT_EQ(digest.hex(), kDigest);
  // Written out: tagged_hash(tag, room || terms_hash || outcome || price as 32 bytes BE).
  std::string msg = from_hex(kRoom, "room").value() + from_hex(kTermsHash, "terms_hash").value();
  msg.push_back(static_cast<char>(kOutcome));
  msg += from_hex("00000000000000000000000000000000000000000000000000000000b259286c", "price").value();
  EXPECT_EQ(tagged_hash("pactum/room-outcome/v1", as_bytes(msg)).hex(), kDigest);
  EXPECT_EQ(key_of(kSellerSecret).sign_deterministic(digest).hex(), kSellerSig);
  EXPECT_EQ(key_of(kBuyerSecret).sign_deterministic(digest).hex(), kBuyerSig);
  EXPECT_TRUE(verify(account_of(kSeller), digest, Signature::from_hex(kSellerSig).value()));
  EXPECT_TRUE(verify(account_of(kBuyer), digest, Signature::from_hex(kBuyerSig).value()));
  EXPECT_EQ(outcome_digest(hash_of(kRoom), hash_of(kTermsHash), 0, Amount(0)).hex(), kNoDealDigest);
}

// The fenced "json room-vector" block of docs/PROTOCOL.md states these same values.
TEST(RoomVector, DocumentedVectorMatches) {
  std::ifstream in(std::string(PACTUM_SOURCE_DIR) + "/docs/PROTOCOL.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const std::string open = "```json room-vector\n";
  const std::size_t at = doc.find(open);
  ASSERT_NE(at, std::string::npos) << "docs/PROTOCOL.md lost its room vector";
  const std::size_t from = at + open.size();
  const json v = json::parse(doc.substr(from, doc.find("```", from) - from));
  EXPECT_EQ(v.at("seller_secret_key"), kSellerSecret);
  EXPECT_EQ(v.at("buyer_secret_key"), kBuyerSecret);
  EXPECT_EQ(v.at("room_open"), open_intent());
  EXPECT_EQ(v.at("room_open_canonical"), kOpenCanonical);
  EXPECT_EQ(v.at("room_open_sig"), kOpenSig);
  EXPECT_EQ(v.at("room"), kRoom);
  EXPECT_EQ(v.at("terms_canonical"), kTermsCanonical);
  EXPECT_EQ(v.at("terms_hash"), kTermsHash);
  EXPECT_EQ(v.at("room_secret_key"), kRoomSecret);
  EXPECT_EQ(v.at("room_pubkey"), kRoomPub);
  EXPECT_EQ(v.at("seed"), kSeed);
  EXPECT_EQ(v.at("seed_commitment"), kSeedCommitment);
  EXPECT_EQ(v.at("posted_random_band"), kSeedBand);
  EXPECT_EQ(v.at("band_prices"),
            json::parse(R"([[0,"2007812500"],[63,"2992187500"],[64,"3007812500"],[127,"3992187500"]])"));
  const json& s = v.at("seal");
  EXPECT_EQ(s.at("party"), kSeller);
  EXPECT_EQ(s.at("ephemeral_secret_key"), kEphSecret);
  EXPECT_EQ(s.at("iv"), kIv);
  EXPECT_EQ(s.at("plaintext"), kPlaintext);
  EXPECT_EQ(s.at("plaintext_padded_size"), kSealedPlaintextSize);
  EXPECT_EQ(s.at("eph"), kEph);
  EXPECT_EQ(s.at("salt"), kEph + kRoomPub);
  EXPECT_EQ(s.at("info"), to_hex(as_bytes("pactum/room/v1")) + kRoom + kSeller);
  EXPECT_EQ(s.at("aad"), kRoom + kSeller);
  EXPECT_EQ(s.at("ct"), kCt);
  EXPECT_EQ(s.at("tag"), kTag);
  EXPECT_EQ(s.at("ecdh"), kEcdh);
  EXPECT_EQ(s.at("key"), kKey);
  const json& o = v.at("outcome");
  EXPECT_EQ(o.at("byte"), kOutcome);
  EXPECT_EQ(o.at("deal"), true);
  EXPECT_EQ(o.at("band"), 63);
  EXPECT_EQ(o.at("price"), kPrice);
  EXPECT_EQ(o.at("digest"), kDigest);
  EXPECT_EQ(o.at("seller_sig"), kSellerSig);
  EXPECT_EQ(o.at("buyer_sig"), kBuyerSig);
  EXPECT_EQ(v.at("no_deal_digest"), kNoDealDigest);
}

}  // namespace
}  // namespace pactum
