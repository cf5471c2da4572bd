// Rooms: terms, bands, the outcome digest, and sealing (room.hpp states the formats).
#include "pactum/intents/room.hpp"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include "pactum/intents/jcs.hpp"
#include "secp_context.hpp"

namespace pactum {
namespace {

const secp256k1_context* ecdh_ctx() { return detail::secp_context(); }

void put_amount(std::vector<std::uint8_t>& out, const Amount& a) {
  unsigned char be[32];
  amount_to_be32(a, be);
  out.insert(out.end(), be, be + 32);
}

// K = HKDF-SHA256(Z, salt = eph || room_pub, info = tag || room || party).
bool derive_key(const std::array<std::uint8_t, 32>& z, const Point33& eph, const Point33& room_pub, const Hash32& room,
                const PublicKey& party, std::array<std::uint8_t, 32>& key) {
  std::vector<std::uint8_t> salt(eph.begin(), eph.end());
  salt.insert(salt.end(), room_pub.begin(), room_pub.end());
  std::vector<std::uint8_t> info(kRoomSealInfo.begin(), kRoomSealInfo.end());
  info.insert(info.end(), room.bytes.begin(), room.bytes.end());
  info.insert(info.end(), party.bytes.begin(), party.bytes.end());
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
  if (!pctx) return false;
  std::size_t len = key.size();
  const bool ok = EVP_PKEY_derive_init(pctx) > 0 && EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) > 0 &&
                  EVP_PKEY_CTX_set1_hkdf_salt(pctx, salt.data(), static_cast<int>(salt.size())) > 0 &&
                  EVP_PKEY_CTX_set1_hkdf_key(pctx, z.data(), static_cast<int>(z.size())) > 0 &&
                  EVP_PKEY_CTX_add1_hkdf_info(pctx, info.data(), static_cast<int>(info.size())) > 0 &&
                  EVP_PKEY_derive(pctx, key.data(), &len) > 0 && len == key.size();
  EVP_PKEY_CTX_free(pctx);
  return ok;
}

// Z = SHA256(compressed(secret * point)), libsecp256k1's default ECDH hash.
bool ecdh(const std::array<std::uint8_t, 32>& secret, const Point33& point, std::array<std::uint8_t, 32>& z) {
  secp256k1_pubkey pk;
  if (!secp256k1_ec_pubkey_parse(ecdh_ctx(), &pk, point.data(), point.size())) return false;
  return secp256k1_ecdh(ecdh_ctx(), z.data(), &pk, secret.data(), nullptr, nullptr) == 1;
}

std::vector<std::uint8_t> aad_of(const Hash32& room, const PublicKey& party) {
  std::vector<std::uint8_t> aad(room.bytes.begin(), room.bytes.end());
  aad.insert(aad.end(), party.bytes.begin(), party.bytes.end());
  return aad;
}

// AES-256-GCM; `out` = ciphertext || tag on seal; plaintext on open. False on a bad tag.
bool gcm(bool encrypt, const std::array<std::uint8_t, 32>& key, const std::array<std::uint8_t, 12>& iv,
         const std::vector<std::uint8_t>& aad, const std::uint8_t* in, std::size_t in_len,
         std::vector<std::uint8_t>& out) {
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  if (!c) return false;
  bool ok = false;
  int len = 0;
  const std::size_t body = encrypt ? in_len : in_len - 16;
  out.assign(encrypt ? in_len + 16 : body, 0);
  do {
    if ((encrypt ? EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), nullptr, key.data(), iv.data())
                 : EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), nullptr, key.data(), iv.data())) != 1)
      break;
    if ((encrypt ? EVP_EncryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size()))
                 : EVP_DecryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size()))) != 1)
      break;
    if ((encrypt ? EVP_EncryptUpdate(c, out.data(), &len, in, static_cast<int>(body))
                 : EVP_DecryptUpdate(c, out.data(), &len, in, static_cast<int>(body))) != 1)
      break;
    if (encrypt) {
      if (EVP_EncryptFinal_ex(c, out.data() + body, &len) != 1) break;
      if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out.data() + body) != 1) break;
    } else {
      std::array<std::uint8_t, 16> tag;
      std::copy(in + body, in + in_len, tag.begin());
      if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1) break;
      if (EVP_DecryptFinal_ex(c, out.data() + body, &len) != 1) break;
    }
    ok = true;
  } while (false);
  EVP_CIPHER_CTX_free(c);
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    out.clear();
  }
  return ok;
}

}  // namespace

Amount band_price(const RoomTerms& t, std::uint32_t band) {
  const BigInt span = BigInt(t.hi) - BigInt(t.lo);
  return Amount(BigInt(t.lo) + span * (2 * band + 1) / (2 * kRoomBands));
}

std::uint32_t band_from_seed(const Hash32& seed) {
  std::string msg = "pactum/room/posted/v1";
  msg.append(reinterpret_cast<const char*>(seed.bytes.data()), seed.bytes.size());
  return sha256(as_bytes(msg)).bytes[0] & 0x7f;
}

bool outcome_is_deal(std::uint8_t outcome) { return (outcome & 0x80) != 0; }
std::uint32_t outcome_band(std::uint8_t outcome) { return outcome & 0x7f; }

Hash32 outcome_digest(const Hash32& room, const Hash32& terms_hash, std::uint8_t outcome, const Amount& price) {
  std::vector<std::uint8_t> msg(room.bytes.begin(), room.bytes.end());
  msg.insert(msg.end(), terms_hash.bytes.begin(), terms_hash.bytes.end());
  msg.push_back(outcome);
  put_amount(msg, price);
  return tagged_hash(kRoomOutcomeTag, Bytes(msg));
}

Point33 compressed_public_key(const SecretKey& k) {
  secp256k1_pubkey pk;
  Point33 out{};
  if (!secp256k1_ec_pubkey_create(ecdh_ctx(), &pk, k.secret_bytes().data())) return out;
  std::size_t len = out.size();
  secp256k1_ec_pubkey_serialize(ecdh_ctx(), out.data(), &len, &pk, SECP256K1_EC_COMPRESSED);
  return out;
}

std::string point_hex(const Point33& p) { return to_hex(Bytes(p)); }

Result<Point33> point_from_hex(std::string_view hex, std::string_view field) {
  PACTUM_ASSIGN(raw, from_hex(hex, field));
  if (raw.size() != 33)
    return make_error(Errc::invalid_params, std::string(field) + ": must be 66 hex digits (a compressed point)",
                      std::string(field));
  Point33 p;
  std::copy(raw.begin(), raw.end(), p.begin());
  secp256k1_pubkey pk;
  if (!secp256k1_ec_pubkey_parse(ecdh_ctx(), &pk, p.data(), p.size()))
    return make_error(Errc::invalid_params, std::string(field) + ": not a point on secp256k1", std::string(field));
  return p;
}

Result<RoomPosition> seal_position(const Point33& room_pub, const Hash32& room, const PublicKey& party,
                                   const SealedPosition& position) {
  const SecretKey e = SecretKey::generate();
  std::array<std::uint8_t, 12> iv{};
  if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1) return make_error(Errc::internal, "RAND_bytes failed");
  auto out = seal_position_with(e, iv, room_pub, room, party, position);
  OPENSSL_cleanse(iv.data(), iv.size());
  return out;
}

Result<RoomPosition> seal_position_with(const SecretKey& eph, const std::array<std::uint8_t, 12>& iv,
                                        const Point33& room_pub, const Hash32& room, const PublicKey& party,
                                        const SealedPosition& position) {
  nlohmann::json pj = {{"accept", position.accept}, {"reservation", position.reservation.str()}};
  if (position.options) {
    pj["options"] = *position.options;
    pj["scores"] = position.scores;
  }
  std::string plain = pj.dump();
  if (plain.size() > kSealedPlaintextSize) return make_error(Errc::invalid_params, "position: too long to seal");
  plain.resize(kSealedPlaintextSize, ' ');
  RoomPosition out;
  out.room = room;
  out.eph = compressed_public_key(eph);
  out.iv = iv;
  std::array<std::uint8_t, 32> z{}, key{};
  const bool ok = ecdh(eph.secret_bytes(), room_pub, z) && derive_key(z, out.eph, room_pub, room, party, key) &&
                  gcm(true, key, out.iv, aad_of(room, party), reinterpret_cast<const std::uint8_t*>(plain.data()),
                      plain.size(), out.ct);
  OPENSSL_cleanse(z.data(), z.size());
  OPENSSL_cleanse(key.data(), key.size());
  OPENSSL_cleanse(plain.data(), plain.size());
  if (!ok) return make_error(Errc::invalid_params, "pubkey: sealing to this room key failed", "pubkey");
  return out;
}

std::optional<SealedPosition> open_sealed(const SecretKey& room_secret, const Hash32& room, const PublicKey& party,
                                          const RoomPosition& sealed) {
  if (sealed.ct.size() != kSealedCiphertextSize) return std::nullopt;
  const Point33 room_pub = compressed_public_key(room_secret);
  std::array<std::uint8_t, 32> z{}, key{};
  std::vector<std::uint8_t> plain;
  const bool ok = ecdh(room_secret.secret_bytes(), sealed.eph, z) &&
                  derive_key(z, sealed.eph, room_pub, room, party, key) &&
                  gcm(false, key, sealed.iv, aad_of(room, party), sealed.ct.data(), sealed.ct.size(), plain);
  OPENSSL_cleanse(z.data(), z.size());
  OPENSSL_cleanse(key.data(), key.size());
  if (!ok) return std::nullopt;
  std::optional<SealedPosition> out;
  try {
    std::string text(plain.begin(), plain.end());
    while (!text.empty() && text.back() == ' ') text.pop_back();
    const nlohmann::json j = nlohmann::json::parse(text);
    auto r = parse_amount_json(j.at("reservation"), "reservation");
    if (r && j.at("accept").is_boolean() && j.size() == 2) out = SealedPosition{j.at("accept").get<bool>(), *r, {}, {}};
    if (r && j.at("accept").is_boolean() && j.size() == 4 && j.at("options").is_number_unsigned() &&
        j.at("scores").is_string()) {
      const std::string sc = j.at("scores").get<std::string>();
      const bool digits = sc.size() <= kMaxRoomOptions &&
                          std::all_of(sc.begin(), sc.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (digits) out = SealedPosition{j.at("accept").get<bool>(), *r, j.at("options").get<std::uint64_t>(), sc};
    }
    OPENSSL_cleanse(text.data(), text.size());
  } catch (const nlohmann::json::exception&) {}
  OPENSSL_cleanse(plain.data(), plain.size());
  return out;
}

std::size_t RoomTerms::option_count() const {
  std::size_t n = issues.empty() ? 0 : 1;
  for (const RoomIssue& i : issues) n *= i.values.size();
  return n;
}

int RoomTerms::party_index(const PublicKey& k) const {
  if (is_price()) return k == seller ? 0 : k == buyer ? 1 : -1;
  for (std::size_t i = 0; i < parties.size(); ++i)
    if (parties[i] == k) return static_cast<int>(i);
  return -1;
}

nlohmann::json terms_to_json(const RoomTerms& t) {
  if (!t.is_price()) {
    nlohmann::json parties = nlohmann::json::array();
    for (const PublicKey& p : t.parties) parties.push_back(p.hex());
    nlohmann::json j = {{"mechanism", t.mechanism == RoomMechanism::multi_issue ? "multi_issue" : "threshold"},
                        {"parties", parties},
                        {"close_height", t.close_height}};
    if (t.mechanism == RoomMechanism::multi_issue) {
      nlohmann::json issues = nlohmann::json::array();
      for (const RoomIssue& i : t.issues) issues.push_back({{"name", i.name}, {"values", i.values}});
      j["issues"] = issues;
    } else {
      j["k"] = t.k;
      j["action"] = {{"asset", t.action_asset}, {"amount", t.action_amount.str()}, {"to", t.action_to.hex()}};
    }
    return j;
  }
  nlohmann::json j = {{"mechanism", t.mechanism == RoomMechanism::midpoint ? "midpoint" : "posted"},
                      {"seller", t.seller.hex()},
                      {"buyer", t.buyer.hex()},
                      {"asset", t.asset},
                      {"amount", t.amount.str()},
                      {"pay_asset", t.pay_asset},
                      {"range", {t.lo.str(), t.hi.str()}},
                      {"close_height", t.close_height}};
  if (t.mechanism == RoomMechanism::posted) {
    j["posted"] = t.posted_random ? nlohmann::json{{"random", true}} : nlohmann::json{{"band", *t.posted_band}};
  }
  if (t.consent) {  // written only when on: rooms without consent keep their ids and terms hashes
    j["consent"] = true;
    j["consent_window"] = t.consent_window;
  }
  return j;
}

}  // namespace pactum
