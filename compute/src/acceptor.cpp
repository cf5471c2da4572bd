// The core's durable key acceptor (acceptor.hpp).
#include "pactum/compute/acceptor.hpp"

#include "durable_file.hpp"
#include "pactum/compute/hash_chain.hpp"
#include "pactum/intents/field_reader.hpp"

namespace pactum::compute {

namespace {

constexpr FieldReader kStateReader(Errc::storage);

// The state file: {"permit":digest hex,"accepted":n,"last":hex}.
Result<void> load_state(const std::string& text, const std::string& path, const Hash32& digest, std::uint64_t length,
                        std::uint64_t& accepted, Hash32& last) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error(Errc::storage, "acceptor state " + path + " is not JSON");
  PACTUM_TRY(kStateReader.object_with(j, "", {"permit", "accepted", "last"}));
  PACTUM_ASSIGN(permit, kStateReader.hash(j, "", "permit"));
  if (permit != digest)
    return make_error(Errc::invalid_params,
                      "acceptor state " + path + " belongs to permit " + permit.hex() + ", not " + digest.hex(),
                      "state");
  PACTUM_ASSIGN(count, kStateReader.uint(j, "", "accepted", length));
  PACTUM_ASSIGN(last_key, kStateReader.hash(j, "", "last"));
  accepted = count;
  last = last_key;
  return {};
}

}  // namespace

KeyAcceptor::KeyAcceptor(Permit permit, std::string state_path)
    : permit_(std::move(permit)),
      digest_(permit_.digest()),
      state_path_(std::move(state_path)),
      last_(permit_.anchor) {}

Result<KeyAcceptor> KeyAcceptor::open(const Permit& permit, const PublicKey& trusted_controller, const PublicKey& core,
                                      std::uint64_t height, std::string state_path) {
  PACTUM_TRY(verify_permit(permit, trusted_controller, core, height));
  KeyAcceptor acceptor(permit, std::move(state_path));
  PACTUM_ASSIGN(text, read_file_if_exists(acceptor.state_path_));
  if (text)
    PACTUM_TRY(
        load_state(*text, acceptor.state_path_, acceptor.digest_, permit.length, acceptor.accepted_, acceptor.last_));
  return acceptor;
}

Result<void> KeyAcceptor::persist(std::uint64_t accepted, const Hash32& last) const {
  const nlohmann::json j = {{"permit", digest_.hex()}, {"accepted", accepted}, {"last", last.hex()}};
  return write_file_atomically(state_path_, j.dump() + "\n");
}

Result<Acceptance> KeyAcceptor::accept(const Hash32& permit_digest, const Hash32& key, std::uint64_t height) {
  if (permit_digest != digest_)
    return make_error(Errc::key_invalid,
                      "permit_id: the key is for permit " + permit_digest.hex() + ", not " + digest_.hex(),
                      "permit_id");
  if (height > permit_.expiry_height)
    return make_error(Errc::expired,
                      "expiry_height: the permit expired at height " + std::to_string(permit_.expiry_height) +
                          "; the chain is at height " + std::to_string(height),
                      "expiry_height");
  const std::uint64_t left = keys_left();
  // Walk up from the key: a newer key meets the last accepted value within `left` steps;
  // an older one (or the last itself) meets the anchor, or is the last, first.
  Hash32 value = key;
  for (std::uint64_t steps = 0; steps <= permit_.length; ++steps) {
    if (value == last_ && steps > 0 && steps <= left) {
      const std::uint64_t total = accepted_ + steps;
      PACTUM_TRY(persist(total, key));  // durable before any unit is granted
      Acceptance a{steps, permit_.units_after(total) - permit_.units_after(accepted_), total,
                   permit_.units_after(total)};
      accepted_ = total;
      last_ = key;
      return a;
    }
    if (value == last_ || value == permit_.anchor)
      return make_error(Errc::key_replayed,
                        "key: already accepted (" + std::to_string(accepted_) + " of " +
                            std::to_string(permit_.length) + " keys of this permit are used)",
                        "key");
    value = chain_step(value);
  }
  return make_error(Errc::key_invalid,
                    "key: not on this permit's hash chain within the " + std::to_string(left) + " keys left", "key");
}

}  // namespace pactum::compute
