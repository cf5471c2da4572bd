// Field readers shared by the intent decoders: each names the field at fault.
#include "fields.hpp"

#include "pactum/intents/intent.hpp"

namespace pactum::fields {

using nlohmann::json;

Error field_error(const std::string& field, const std::string& what) {
  return make_error(Errc::invalid_params, field + ": " + what, field);
}

Result<const json*> require(const json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end()) return field_error(field, "missing required field");
  return &*it;
}

Result<std::string> get_string(const json& j, const std::string& field) {
  auto v = require(j, field);
  if (!v) return v.error();
  if (!(*v)->is_string()) return field_error(field, std::string("must be a string, got ") + (*v)->type_name());
  return (*v)->get<std::string>();
}

Result<std::uint64_t> get_safe_uint(const json& j, const std::string& field) {
  auto v = require(j, field);
  if (!v) return v.error();
  const json& n = **v;
  if (n.is_number_unsigned()) {
    const auto x = n.get<std::uint64_t>();
    if (x > kMaxSafeInteger) return field_error(field, "must be at most 2^53-1 (9007199254740991)");
    return x;
  }
  if (n.is_number_integer()) {
    const auto x = n.get<std::int64_t>();
    if (x < 0) return field_error(field, "must not be negative");
    if (static_cast<std::uint64_t>(x) > kMaxSafeInteger) return field_error(field, "must be at most 2^53-1 (9007199254740991)");
    return static_cast<std::uint64_t>(x);
  }
  if (n.is_number_float()) return field_error(field, "must be a whole number");
  return field_error(field, std::string("must be an integer, got ") + n.type_name());
}

Result<std::string> get_asset(const json& j, const std::string& field) {
  auto s = get_string(j, field);
  if (!s) return s.error();
  if (!is_valid_asset_symbol(*s)) return field_error(field, "asset symbol must be 1-16 characters of A-Z and 0-9");
  return *s;
}

Result<Amount> get_positive_amount(const json& j, const std::string& field) {
  auto v = require(j, field);
  if (!v) return v.error();
  auto a = parse_amount_json(**v, field);
  if (!a) return a.error();
  if (*a == 0) return field_error(field, "amount must be greater than zero");
  return *a;
}

Result<Transfer> decode_transfer(const json& j) {
  Transfer t;
  auto asset = get_asset(j, "asset");
  if (!asset) return asset.error();
  t.asset = *asset;
  auto to = get_string(j, "to");
  if (!to) return to.error();
  auto pk = PublicKey::from_hex(*to, "to");
  if (!pk) return pk.error();
  t.to = *pk;
  auto amount = get_positive_amount(j, "amount");
  if (!amount) return amount.error();
  t.amount = *amount;
  return t;
}

Result<Swap> decode_swap(const json& j) {
  Swap s;
  auto sell = get_asset(j, "sell_asset");
  if (!sell) return sell.error();
  auto buy = get_asset(j, "buy_asset");
  if (!buy) return buy.error();
  if (*sell == *buy) return field_error("buy_asset", "must differ from sell_asset");
  s.sell_asset = *sell;
  s.buy_asset = *buy;
  auto side = get_string(j, "side");
  if (!side) return side.error();
  if (*side == "sell") s.side = SwapSide::sell;
  else if (*side == "buy") s.side = SwapSide::buy;
  else return field_error("side", "must be \"sell\" or \"buy\"");
  auto sa = get_positive_amount(j, "sell_amount");
  if (!sa) return sa.error();
  auto ba = get_positive_amount(j, "buy_amount");
  if (!ba) return ba.error();
  s.sell_amount = *sa;
  s.buy_amount = *ba;
  auto partial = require(j, "partial");
  if (!partial) return partial.error();
  if (!(*partial)->is_boolean()) return field_error("partial", std::string("must be a boolean, got ") + (*partial)->type_name());
  s.partial = (*partial)->get<bool>();
  return s;
}

Result<Amount> get_amount(const json& j, const std::string& field) {
  auto v = require(j, field);
  if (!v) return v.error();
  return parse_amount_json(**v, field);
}

Result<PublicKey> get_account(const json& j, const std::string& field) {
  auto s = get_string(j, field);
  if (!s) return s.error();
  return PublicKey::from_hex(*s, field);
}

Result<void> only_fields(const json& j, const std::set<std::string>& allowed, const std::string& where) {
  if (!j.is_object()) return field_error(where, std::string("must be an object, got ") + j.type_name());
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!allowed.count(it.key())) return field_error(where.empty() ? it.key() : where + "." + it.key(), "unknown field");
  }
  return {};
}

Error prefixed(const Error& e, const std::string& where) {
  Error out = e;
  out.field = e.field.empty() ? where : where + "." + e.field;
  out.message = where + "." + e.message;
  return out;
}

}  // namespace pactum::fields
