// The controller's issuer, its ledger, and key release (issuer.hpp).
#include "pactum/compute/issuer.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <sstream>

#include "durable_file.hpp"

namespace pactum::compute {

namespace {

Result<Hash32> random_hash() {
  Hash32 out;
  if (RAND_bytes(out.bytes.data(), static_cast<int>(out.bytes.size())) != 1)
    return make_error(Errc::internal, "RAND_bytes failed");
  return out;
}

// Every complete line of the ledger; a last line without its newline is a torn write.
Result<std::vector<Permit>> parse_ledger(const std::string& text, const std::string& path) {
  std::vector<Permit> out;
  std::size_t start = 0;
  for (std::size_t line_no = 1;; ++line_no) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    const nlohmann::json j = nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
    if (j.is_discarded()) return make_error(Errc::storage, path + ":" + std::to_string(line_no) + ": not JSON");
    auto permit = Permit::from_json(j);
    if (!permit) return make_error(Errc::storage, path + ":" + std::to_string(line_no) + ": " + permit.error().message);
    out.push_back(std::move(*permit));
    start = end + 1;
  }
  return out;
}

}  // namespace

Issuer::Issuer(SecretKey controller, std::string ledger_path, BurnCheck burn_check)
    : controller_(std::move(controller)),
      public_key_(controller_.public_key()),
      ledger_path_(std::move(ledger_path)),
      burn_check_(std::move(burn_check)) {}

Result<Issuer> Issuer::open(SecretKey controller, std::string ledger_path, BurnCheck burn_check) {
  Issuer issuer(std::move(controller), std::move(ledger_path), std::move(burn_check));
  PACTUM_ASSIGN(text, read_file_if_exists(issuer.ledger_path_));
  if (text) {
    PACTUM_ASSIGN(permits, parse_ledger(*text, issuer.ledger_path_));
    issuer.issued_ = std::move(permits);
  }
  return issuer;
}

Hash32 Issuer::seed_for(const Hash32& permit_id) const {
  std::string material(reinterpret_cast<const char*>(controller_.secret_bytes().data()), 32);
  material.append(reinterpret_cast<const char*>(permit_id.bytes.data()), 32);
  return tagged_hash("pactum/compute-seed", as_bytes(material));
}

Result<Permit> Issuer::issue(const PublicKey& core, const Hash32& burn_id, std::uint64_t units,
                             std::uint64_t expiry_height, std::uint64_t length, std::uint64_t request_nonce) {
  for (const Permit& p : issued_)
    if (p.burn_id == burn_id)
      return make_error(Errc::duplicate,
                        "burn_id: burn " + burn_id.hex() + " already paid for permit " + p.permit_id.hex() + " (core " +
                            p.core.hex() + ")",
                        "burn_id");
  if (length == 0 || length > kMaxChainLength)
    return make_error(Errc::invalid_params, "length: must be between 1 and 2^32", "length");
  if (units < length) return make_error(Errc::invalid_params, "units: must be at least length", "units");
  PACTUM_TRY(burn_check_(BurnClaim{core, burn_id, units, request_nonce}));
  Permit p;
  p.core = core;
  p.burn_id = burn_id;
  PACTUM_ASSIGN(permit_id, random_hash());
  p.permit_id = permit_id;
  p.units = units;
  p.expiry_height = expiry_height;
  p.length = length;
  p.anchor = ChainTraverser(seed_for(permit_id), length).anchor();
  p = sign_permit(std::move(p), controller_);
  PACTUM_TRY(append_line_durably(ledger_path_, p.to_json().dump()));
  issued_.push_back(p);
  return p;
}

Result<ChainTraverser> Issuer::chain_for(const Hash32& burn_id) const {
  for (const Permit& p : issued_)
    if (p.burn_id == burn_id) return ChainTraverser(seed_for(p.permit_id), p.length);
  return make_error(Errc::not_found, "burn_id: no permit issued for burn " + burn_id.hex(), "burn_id");
}

KeyRelease::KeyRelease(ChainTraverser chain, std::uint64_t keys_per_second)
    : chain_(std::move(chain)), keys_per_second_(keys_per_second) {}

std::uint64_t KeyRelease::due_count(std::uint64_t elapsed_ms) const {
  if (keys_per_second_ == 0) return chain_.length();
  const unsigned __int128 due = static_cast<unsigned __int128>(elapsed_ms) * keys_per_second_ / 1000;
  return due < chain_.length() ? static_cast<std::uint64_t>(due) : chain_.length();
}

std::vector<Hash32> KeyRelease::due(std::uint64_t elapsed_ms) {
  const std::uint64_t target = due_count(elapsed_ms);
  std::vector<Hash32> out;
  while (chain_.released() < target) out.push_back(*chain_.next());
  return out;
}

std::optional<Hash32> KeyRelease::newest_due(std::uint64_t elapsed_ms, std::uint64_t cap) {
  const std::uint64_t target = std::min(due_count(elapsed_ms), cap);
  std::optional<Hash32> newest;
  while (chain_.released() < target) newest = chain_.next();
  return newest;
}

}  // namespace pactum::compute
