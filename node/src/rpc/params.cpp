#include "params.hpp"

namespace pactum::rpc {

using nlohmann::json;

const json* Params::get(std::size_t index, const char* name) const {
  if (p_.is_array()) return index < p_.size() ? &p_[index] : nullptr;
  if (p_.is_object()) {
    auto it = p_.find(name);
    return it == p_.end() ? nullptr : &*it;
  }
  return nullptr;
}

Result<const json*> Params::required(std::size_t index, const char* name) const {
  const json* v = get(index, name);
  if (!v) return make_error(Errc::invalid_params, std::string("missing parameter ") + name, name);
  return v;
}

Result<std::string> Params::string(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(v, required(index, name));
  if (!v->is_string()) return make_error(Errc::invalid_params, std::string(name) + ": must be a string", name);
  return v->get<std::string>();
}

Result<std::uint64_t> Params::integer(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(v, required(index, name));
  if (!v->is_number_unsigned() || v->get<std::uint64_t>() > kMaxSafeInteger)
    return make_error(Errc::invalid_params, std::string(name) + ": must be an integer in [0, 2^53-1]", name);
  return v->get<std::uint64_t>();
}

Result<std::uint64_t> Params::integer_in(std::size_t index, const char* name, std::uint64_t lo, std::uint64_t hi,
                                         std::uint64_t fallback) const {
  const json* v = get(index, name);
  if (!v || v->is_null()) return fallback;
  if (!v->is_number_unsigned() || v->get<std::uint64_t>() < lo || v->get<std::uint64_t>() > hi)
    return make_error(Errc::invalid_params,
                      std::string(name) + ": must be an integer in [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]",
                      name);
  return v->get<std::uint64_t>();
}

Result<PublicKey> Params::account(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(s, string(index, name));
  return PublicKey::from_hex(s, name);
}

Result<Hash32> Params::hash(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(s, string(index, name));
  return Hash32::from_hex(s, name);
}

Result<std::string> Params::asset(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(s, string(index, name));
  if (!is_valid_asset_symbol(s))
    return make_error(Errc::invalid_params, std::string(name) + ": not an asset symbol (1..16 of A-Z 0-9)", name);
  return s;
}

}  // namespace pactum::rpc
