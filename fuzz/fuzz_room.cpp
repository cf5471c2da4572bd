// fuzz_room: sealed room positions and room contracts (intents/include/pactum/intents/room.hpp,
// intent.hpp verify_room_contract, ledger/include/pactum/ledger/room_record.hpp).
//  - the raw bytes as the plaintext of a sealed position: the harness seals them exactly
//    as seal_position_with does (ECDH + HKDF-SHA256 + AES-256-GCM, room.hpp) to a fixed
//    room key, so that open_sealed's plaintext parser sees any bytes; what it accepts must
//    seal and open again to the same position, and must not open for another party;
//  - the input as JSON: a room contract (verify_room_contract, what `pactum contract
//    verify` runs offline), room terms (decode_room_terms: the document or its "terms"),
//    a stored room (RoomRecord::from_json, the state leaf the node loads at start) and a
//    room intent's position (decoded, then opened with the fixed room key).
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include <array>
#include <string>
#include <vector>

#include "common.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/intents/room.hpp"
#include "pactum/ledger/room_record.hpp"

using namespace pactum;
using namespace pactum::fuzz;
using nlohmann::json;

namespace {

struct Fixture {
  SecretKey room_secret = dev_secret_key(100);
  SecretKey eph = dev_secret_key(101);
  Point33 room_pub = compressed_public_key(room_secret);
  Hash32 room = sha256(as_bytes("pactum/fuzz/room"));
  PublicKey party = dev_secret_key(5).public_key();
  PublicKey other = dev_secret_key(6).public_key();
  std::array<std::uint8_t, 12> iv{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
};
const Fixture& fx() {
  static const Fixture f;
  return f;
}

// room.hpp's sealing, written again from its description: the plaintext is given, not a
// SealedPosition, so any bytes reach open_sealed's parser.
RoomPosition seal_bytes(std::string plain) {
  const Fixture& f = fx();
  plain.resize(kSealedPlaintextSize, ' ');
  RoomPosition out;
  out.room = f.room;
  out.eph = compressed_public_key(f.eph);
  out.iv = f.iv;
  std::array<std::uint8_t, 32> z{}, key{};
  secp256k1_pubkey pk;
  FUZZ_CHECK(secp256k1_ec_pubkey_parse(f.ctx, &pk, f.room_pub.data(), f.room_pub.size()) == 1, "room key");
  FUZZ_CHECK(secp256k1_ecdh(f.ctx, z.data(), &pk, f.eph.secret_bytes().data(), nullptr, nullptr) == 1, "ecdh");
  std::vector<std::uint8_t> salt(out.eph.begin(), out.eph.end());
  salt.insert(salt.end(), f.room_pub.begin(), f.room_pub.end());
  std::vector<std::uint8_t> info(kRoomSealInfo.begin(), kRoomSealInfo.end());
  info.insert(info.end(), f.room.bytes.begin(), f.room.bytes.end());
  info.insert(info.end(), f.party.bytes.begin(), f.party.bytes.end());
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
  std::size_t len = key.size();
  const bool derived = pctx && EVP_PKEY_derive_init(pctx) > 0 && EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) > 0 &&
                       EVP_PKEY_CTX_set1_hkdf_salt(pctx, salt.data(), static_cast<int>(salt.size())) > 0 &&
                       EVP_PKEY_CTX_set1_hkdf_key(pctx, z.data(), static_cast<int>(z.size())) > 0 &&
                       EVP_PKEY_CTX_add1_hkdf_info(pctx, info.data(), static_cast<int>(info.size())) > 0 &&
                       EVP_PKEY_derive(pctx, key.data(), &len) > 0 && len == key.size();
  EVP_PKEY_CTX_free(pctx);
  FUZZ_CHECK(derived, "hkdf");
  std::vector<std::uint8_t> aad(f.room.bytes.begin(), f.room.bytes.end());
  aad.insert(aad.end(), f.party.bytes.begin(), f.party.bytes.end());
  out.ct.assign(plain.size() + 16, 0);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int n = 0;
  const bool sealed = c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), nullptr, key.data(), f.iv.data()) == 1 &&
                      EVP_EncryptUpdate(c, nullptr, &n, aad.data(), static_cast<int>(aad.size())) == 1 &&
                      EVP_EncryptUpdate(c, out.ct.data(), &n, reinterpret_cast<const unsigned char*>(plain.data()),
                                        static_cast<int>(plain.size())) == 1 &&
                      EVP_EncryptFinal_ex(c, out.ct.data() + plain.size(), &n) == 1 &&
                      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out.ct.data() + plain.size()) == 1;
  EVP_CIPHER_CTX_free(c);
  FUZZ_CHECK(sealed, "gcm");
  return out;
}

void plaintext(std::string_view raw) {
  const Fixture& f = fx();
  if (raw.size() > kSealedPlaintextSize) raw = raw.substr(0, kSealedPlaintextSize);
  const RoomPosition pos = seal_bytes(std::string(raw));
  const auto opened = open_sealed(f.room_secret, f.room, f.party, pos);
  FUZZ_CHECK(!open_sealed(f.room_secret, f.room, f.other, pos), "a position opened for a party it was not sealed to");
  if (!opened) return;
  // What the node accepted must seal (seal_position_with) and open to the same position.
  auto again = seal_position_with(f.eph, f.iv, f.room_pub, f.room, f.party, *opened);
  use_result(again);
  FUZZ_CHECK(again.ok(), "an opened position does not seal again: %s", again.error().message.c_str());
  const auto reopened = open_sealed(f.room_secret, f.room, f.party, *again);
  FUZZ_CHECK(reopened.has_value(), "a resealed position does not open");
  FUZZ_CHECK(reopened->accept == opened->accept && reopened->reservation == opened->reservation &&
                 reopened->options == opened->options && reopened->scores == opened->scores,
             "a resealed position opened differently");
}

void terms(const json& t, const PublicKey& opener) {
  auto decoded = decode_room_terms(t, opener);
  use_result(decoded);
  if (!decoded) return;
  const json back = terms_to_json(*decoded);
  (void)dump(back);
  auto again = decode_room_terms(back, opener);
  FUZZ_CHECK(again.ok(), "terms_to_json does not decode: %s", again.error().message.c_str());
  FUZZ_CHECK(again->hash == decoded->hash, "terms round trip changed the hash");
  (void)decoded->option_count();
  if (decoded->is_price()) {
    for (std::uint32_t band : {0u, 63u, 127u}) (void)band_price(*decoded, band);
  }
}

void record(const json& j) {
  auto r = RoomRecord::from_json(j);
  use_result(r);
  if (!r) return;
  const json back = r->to_json();
  (void)dump(back);
  auto again = RoomRecord::from_json(back);
  FUZZ_CHECK(again.ok(), "RoomRecord::to_json does not decode: %s", again.error().message.c_str());
  FUZZ_CHECK(again->to_json() == back, "RoomRecord round trip changed the room");
  (void)r->outcome_value();
  (void)room_value(*r);
  (void)outcome_digest(r->id, r->terms.hash, r->outcome, r->outcome_value());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fx();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_view(data, size);
  plaintext(text);

  auto j = parse_json(text);
  if (!j) return 0;
  use_result(verify_room_contract(*j));
  PublicKey opener = fx().party;
  if (j->is_object()) {
    if (auto s = j->find("signer"); s != j->end() && s->is_string()) {
      if (auto k = PublicKey::from_hex(s->get_ref<const std::string&>()); k.ok()) opener = *k;
    }
    if (auto s = j->find("opener"); s != j->end() && s->is_string()) {
      if (auto k = PublicKey::from_hex(s->get_ref<const std::string&>()); k.ok()) opener = *k;
    }
    if (auto t = j->find("terms"); t != j->end()) terms(*t, opener);
  }
  terms(*j, opener);
  record(*j);

  auto in = decode_intent(*j, /*require_sig=*/false);
  use_result(in);
  if (in.ok() && in->room_position()) {
    const RoomPosition& p = *in->room_position();
    (void)open_sealed(fx().room_secret, p.room, in->signer, p);
  }
  return 0;
}
