// Strict readers for the JSON objects the ledger decodes (blocks, receipts, proofs,
// genesis). Every error names the JSON path of the field at fault, e.g. "pools[1].fee_bps",
// with the error code chosen by the caller (invalid_params for wire data, genesis_invalid
// for a genesis file). Private to the ledger library.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/result.hpp"

namespace pactum::detail {

// "prefix.name", or just "name" at the top level.
inline std::string join_path(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  std::string out(prefix);
  out += '.';
  out += name;
  return out;
}

inline std::string index_path(std::string_view prefix, std::size_t i) {
  return std::string(prefix) + "[" + std::to_string(i) + "]";
}

class FieldReader {
 public:
  explicit FieldReader(Errc code) : code_(code) {}

  Error fail(const std::string& field, std::string_view why) const {
    return make_error(code_, (field.empty() ? std::string("document") : field) + ": " + std::string(why),
                      field);
  }

  // `j` must be an object holding only the listed member names.
  Result<void> object_with(const nlohmann::json& j, std::string_view path,
                           std::initializer_list<std::string_view> allowed) const {
    if (!j.is_object()) return fail(std::string(path), "must be an object");
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (auto a : allowed) known = known || a == it.key();
      if (!known) return fail(join_path(path, it.key()), "unknown field");
    }
    return {};
  }

  Result<const nlohmann::json*> member(const nlohmann::json& j, std::string_view path,
                                       std::string_view name) const {
    auto it = j.find(name);
    if (it == j.end()) return fail(join_path(path, name), "required field is missing");
    return &*it;
  }

  Result<std::string> string(const nlohmann::json& j, std::string_view path, std::string_view name) const {
    auto m = member(j, path, name);
    if (!m) return m.error();
    if (!(*m)->is_string()) return fail(join_path(path, name), "must be a string");
    return (*m)->get<std::string>();
  }

  Result<bool> boolean(const nlohmann::json& j, std::string_view path, std::string_view name) const {
    auto m = member(j, path, name);
    if (!m) return m.error();
    if (!(*m)->is_boolean()) return fail(join_path(path, name), "must be true or false");
    return (*m)->get<bool>();
  }

  // A non-negative JSON integer no larger than `max`.
  Result<std::uint64_t> uint_value(const nlohmann::json& v, const std::string& field,
                                   std::uint64_t max) const {
    if (!v.is_number_integer()) return fail(field, "must be a non-negative integer");
    if (v.is_number_unsigned()) {
      auto u = v.get<std::uint64_t>();
      if (u > max) return fail(field, "must be at most " + std::to_string(max));
      return u;
    }
    auto s = v.get<std::int64_t>();
    if (s < 0) return fail(field, "must be a non-negative integer");
    if (static_cast<std::uint64_t>(s) > max) return fail(field, "must be at most " + std::to_string(max));
    return static_cast<std::uint64_t>(s);
  }

  Result<std::uint64_t> uint(const nlohmann::json& j, std::string_view path, std::string_view name,
                             std::uint64_t max) const {
    auto m = member(j, path, name);
    if (!m) return m.error();
    return uint_value(**m, join_path(path, name), max);
  }

  Result<Hash32> hash(const nlohmann::json& j, std::string_view path, std::string_view name) const {
    auto s = string(j, path, name);
    if (!s) return s.error();
    return hash_text(*s, join_path(path, name));
  }

  Result<Hash32> hash_value(const nlohmann::json& v, const std::string& field) const {
    if (!v.is_string()) return fail(field, "must be a string of 64 lowercase hex digits");
    return hash_text(v.get<std::string>(), field);
  }

  Result<Amount> amount_value(const nlohmann::json& v, const std::string& field) const {
    auto a = parse_amount_json(v, field);
    if (!a) return fail(field, strip_field(a.error().message, field));
    return a;
  }

  Result<Amount> amount(const nlohmann::json& j, std::string_view path, std::string_view name) const {
    auto m = member(j, path, name);
    if (!m) return m.error();
    return amount_value(**m, join_path(path, name));
  }

  // Re-codes an error from another module under our code and field.
  Error recode(const Error& e, const std::string& field) const {
    return fail(field, strip_field(e.message, field));
  }

 private:
  Result<Hash32> hash_text(const std::string& text, const std::string& field) const {
    auto h = Hash32::from_hex(text, field);
    if (!h) return fail(field, "must be 64 lowercase hex digits");
    return h;
  }
  // Other modules' messages may already start with "field: "; avoid saying it twice.
  static std::string strip_field(const std::string& message, const std::string& field) {
    std::string prefix = field + ": ";
    if (message.rfind(prefix, 0) == 0) return message.substr(prefix.size());
    return message;
  }
  Errc code_;
};

}  // namespace pactum::detail
