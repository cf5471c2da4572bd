// Permits: fixed binary signed bytes, JSON form, signing and the core's checks (permit.hpp).
#include "pactum/compute/permit.hpp"

#include "pactum/compute/hash_chain.hpp"
#include "pactum/intents/field_reader.hpp"

namespace pactum::compute {

namespace {

void append_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

template <std::size_t N>
void append_bytes(std::string& out, const std::array<std::uint8_t, N>& b) {
  out.append(reinterpret_cast<const char*>(b.data()), N);
}

constexpr FieldReader kReader(Errc::invalid_params);

}  // namespace

std::string Permit::signed_bytes() const {
  std::string out;
  out.reserve(kPermitSignedSize);
  out += static_cast<char>(kPermitVersion);
  append_bytes(out, controller.bytes);
  append_bytes(out, core.bytes);
  append_bytes(out, burn_id.bytes);
  append_bytes(out, permit_id.bytes);
  append_u64(out, units);
  append_u64(out, expiry_height);
  append_u64(out, length);
  append_bytes(out, anchor.bytes);
  return out;
}

Hash32 Permit::digest() const { return tagged_hash("pactum/compute-permit", as_bytes(signed_bytes())); }

std::uint64_t Permit::units_after(std::uint64_t accepted) const {
  if (length == 0) return 0;
  const unsigned __int128 product = static_cast<unsigned __int128>(units) * accepted;
  return static_cast<std::uint64_t>(product / length);
}

nlohmann::json Permit::to_json() const {
  return {{"version", kPermitVersion},
          {"controller", controller.hex()},
          {"core", core.hex()},
          {"burn_id", burn_id.hex()},
          {"permit_id", permit_id.hex()},
          {"units", units},
          {"expiry_height", expiry_height},
          {"length", length},
          {"anchor", anchor.hex()},
          {"sig", sig.hex()}};
}

Result<Permit> Permit::from_json(const nlohmann::json& j) {
  PACTUM_TRY(kReader.object_with(
      j, "",
      {"version", "controller", "core", "burn_id", "permit_id", "units", "expiry_height", "length", "anchor", "sig"}));
  PACTUM_ASSIGN(version, kReader.uint(j, "", "version", 255));
  if (version != kPermitVersion) return kReader.fail("version", "must be 1");
  Permit p;
  PACTUM_ASSIGN(controller, kReader.account(j, "", "controller"));
  PACTUM_ASSIGN(core, kReader.account(j, "", "core"));
  PACTUM_ASSIGN(burn_id, kReader.hash(j, "", "burn_id"));
  PACTUM_ASSIGN(permit_id, kReader.hash(j, "", "permit_id"));
  PACTUM_ASSIGN(units, kReader.uint(j, "", "units", UINT64_MAX));
  PACTUM_ASSIGN(expiry, kReader.uint(j, "", "expiry_height", UINT64_MAX));
  PACTUM_ASSIGN(length, kReader.uint(j, "", "length", kMaxChainLength));
  PACTUM_ASSIGN(anchor, kReader.hash(j, "", "anchor"));
  PACTUM_ASSIGN(sig_hex, kReader.string(j, "", "sig"));
  PACTUM_ASSIGN(sig, Signature::from_hex(sig_hex, "sig"));
  p.controller = controller;
  p.core = core;
  p.burn_id = burn_id;
  p.permit_id = permit_id;
  p.units = units;
  p.expiry_height = expiry;
  p.length = length;
  p.anchor = anchor;
  p.sig = sig;
  return p;
}

Permit sign_permit(Permit p, const SecretKey& controller) {
  p.controller = controller.public_key();
  p.sig = controller.sign_deterministic(p.digest());
  return p;
}

Result<void> check_permit_form(const Permit& p) {
  if (p.length == 0 || p.length > kMaxChainLength)
    return make_error(Errc::invalid_params, "length: must be between 1 and 2^32", "length");
  if (p.units < p.length)
    return make_error(Errc::invalid_params, "units: must be at least length (" + std::to_string(p.length) + ")",
                      "units");
  if (!verify(p.controller, p.digest(), p.sig))
    return make_error(Errc::bad_signature, "sig: the permit's signature does not verify for its controller", "sig");
  return {};
}

Result<void> verify_permit(const Permit& p, const PublicKey& trusted_controller, const PublicKey& core,
                           std::uint64_t height) {
  PACTUM_TRY(check_permit_form(p));
  if (p.controller != trusted_controller)
    return make_error(Errc::bad_signature,
                      "controller: the permit is signed by " + p.controller.hex() + ", not the trusted controller " +
                          trusted_controller.hex(),
                      "controller");
  if (p.core != core)
    return make_error(Errc::wrong_core, "core: the permit is for core " + p.core.hex() + ", not " + core.hex(), "core");
  if (height > p.expiry_height)
    return make_error(Errc::expired,
                      "expiry_height: the permit expired at height " + std::to_string(p.expiry_height) +
                          "; the chain is at height " + std::to_string(height),
                      "expiry_height");
  return {};
}

}  // namespace pactum::compute
