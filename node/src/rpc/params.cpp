#include "params.hpp"

#include "pactum/intents/field_reader.hpp"

namespace pactum::rpc {

using nlohmann::json;

namespace {
constexpr FieldReader kReader(Errc::invalid_params);  // the type and form checks of every field
}  // namespace

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
  if (!v) return kReader.fail(name, "missing required parameter");
  return v;
}

Result<std::string> Params::string(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(v, required(index, name));
  return kReader.string_value(*v, name);
}

Result<std::uint64_t> Params::integer(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(v, required(index, name));
  return kReader.uint_value(*v, name, kMaxSafeInteger);
}

Result<std::uint64_t> Params::integer_in(std::size_t index, const char* name, std::uint64_t lo, std::uint64_t hi,
                                         std::uint64_t fallback) const {
  const json* v = get(index, name);
  if (!v || v->is_null()) return fallback;
  if (!v->is_number_unsigned() || v->get<std::uint64_t>() < lo || v->get<std::uint64_t>() > hi)
    return make_error(
        Errc::invalid_params,
        std::string(name) + ": must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]", name);
  return v->get<std::uint64_t>();
}

Result<PublicKey> Params::account(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(v, required(index, name));
  return kReader.account_value(*v, name);
}

Result<Hash32> Params::hash(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(v, required(index, name));
  return kReader.hash_value(*v, name);
}

Result<std::string> Params::asset(std::size_t index, const char* name) const {
  PACTUM_ASSIGN(v, required(index, name));
  return kReader.asset_value(*v, name);
}

}  // namespace pactum::rpc
