// The strict JSON field reader (field_reader.hpp).
#include "pactum/intents/field_reader.hpp"

#include "pactum/intents/intent.hpp"

namespace pactum {

using nlohmann::json;

namespace {
// Other modules' messages may already start with "field: "; avoid saying it twice.
std::string strip_field(const std::string& message, const std::string& field) {
  const std::string prefix = field + ": ";
  if (message.rfind(prefix, 0) == 0) return message.substr(prefix.size());
  return message;
}
}  // namespace

std::string join_path(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  std::string out(prefix);
  out += '.';
  out += name;
  return out;
}

std::string index_path(std::string_view prefix, std::size_t i) {
  return std::string(prefix) + "[" + std::to_string(i) + "]";
}

Error FieldReader::fail(const std::string& field, std::string_view why) const {
  return make_error(code_, (field.empty() ? std::string("document") : field) + ": " + std::string(why), field);
}

Error FieldReader::recode(const Error& e, const std::string& field) const {
  return fail(field, strip_field(e.message, field));
}

Result<void> FieldReader::object_with(const json& j, std::string_view path,
                                      std::initializer_list<std::string_view> allowed) const {
  if (!j.is_object()) return fail(std::string(path), std::string("must be an object, got ") + j.type_name());
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (auto a : allowed) known = known || a == it.key();
    if (!known) return fail(join_path(path, it.key()), "unknown field");
  }
  return {};
}

Result<const json*> FieldReader::member(const json& j, std::string_view path, std::string_view name) const {
  auto it = j.find(name);
  if (it == j.end()) return fail(join_path(path, name), "missing required field");
  return &*it;
}

Result<std::string> FieldReader::string_value(const json& v, const std::string& field) const {
  if (!v.is_string()) return fail(field, std::string("must be a string, got ") + v.type_name());
  return v.get<std::string>();
}

Result<bool> FieldReader::boolean_value(const json& v, const std::string& field) const {
  if (!v.is_boolean()) return fail(field, std::string("must be a boolean, got ") + v.type_name());
  return v.get<bool>();
}

Result<std::uint64_t> FieldReader::uint_value(const json& v, const std::string& field, std::uint64_t max) const {
  const std::string too_large = max == kMaxSafeInteger ? std::string("must be at most 2^53-1 (9007199254740991)")
                                                       : "must be at most " + std::to_string(max);
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > max) return fail(field, too_large);
    return u;
  }
  if (v.is_number_integer()) {
    const auto s = v.get<std::int64_t>();
    if (s < 0) return fail(field, "must not be negative");
    if (static_cast<std::uint64_t>(s) > max) return fail(field, too_large);
    return static_cast<std::uint64_t>(s);
  }
  if (v.is_number_float()) return fail(field, "must be a whole number");
  return fail(field, std::string("must be an integer, got ") + v.type_name());
}

Result<Hash32> FieldReader::hash_value(const json& v, const std::string& field) const {
  PACTUM_ASSIGN(text, string_value(v, field));
  auto h = Hash32::from_hex(text, field);
  if (!h) return recode(h.error(), field);
  return h;
}

Result<PublicKey> FieldReader::account_value(const json& v, const std::string& field) const {
  PACTUM_ASSIGN(text, string_value(v, field));
  auto k = PublicKey::from_hex(text, field);
  if (!k) return recode(k.error(), field);
  return k;
}

Result<Amount> FieldReader::amount_value(const json& v, const std::string& field) const {
  auto a = parse_amount_json(v, field);
  if (!a) return recode(a.error(), field);
  return a;
}

Result<std::string> FieldReader::asset_value(const json& v, const std::string& field) const {
  PACTUM_ASSIGN(s, string_value(v, field));
  if (!is_valid_asset_symbol(s))
    return fail(field,
                "asset symbol must be 1-16 characters of A-Z and 0-9, or a locked asset BASE@H (H a height >= 1)");
  return s;
}

// The member readers: find the member, then read its value under its full path.
Result<std::string> FieldReader::string(const json& j, std::string_view path, std::string_view name) const {
  PACTUM_ASSIGN(m, member(j, path, name));
  return string_value(*m, join_path(path, name));
}
Result<bool> FieldReader::boolean(const json& j, std::string_view path, std::string_view name) const {
  PACTUM_ASSIGN(m, member(j, path, name));
  return boolean_value(*m, join_path(path, name));
}
Result<std::uint64_t> FieldReader::uint(const json& j, std::string_view path, std::string_view name,
                                        std::uint64_t max) const {
  PACTUM_ASSIGN(m, member(j, path, name));
  return uint_value(*m, join_path(path, name), max);
}
Result<Hash32> FieldReader::hash(const json& j, std::string_view path, std::string_view name) const {
  PACTUM_ASSIGN(m, member(j, path, name));
  return hash_value(*m, join_path(path, name));
}
Result<PublicKey> FieldReader::account(const json& j, std::string_view path, std::string_view name) const {
  PACTUM_ASSIGN(m, member(j, path, name));
  return account_value(*m, join_path(path, name));
}
Result<Amount> FieldReader::amount(const json& j, std::string_view path, std::string_view name) const {
  PACTUM_ASSIGN(m, member(j, path, name));
  return amount_value(*m, join_path(path, name));
}
Result<std::string> FieldReader::asset(const json& j, std::string_view path, std::string_view name) const {
  PACTUM_ASSIGN(m, member(j, path, name));
  return asset_value(*m, join_path(path, name));
}

}  // namespace pactum
