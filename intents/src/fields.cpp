// Field readers shared by the intent decoders: each names the field at fault.
#include "fields.hpp"

#include "pactum/intents/field_reader.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::fields {

using nlohmann::json;

namespace {

// The intents' wire data: every failure is invalid_params.
constexpr FieldReader kReader(Errc::invalid_params);
}  // namespace

Error field_error(const std::string& field, const std::string& what) {
  return make_error(Errc::invalid_params, field + ": " + what, field);
}

Result<const json*> require(const json& j, const std::string& field) { return kReader.member(j, "", field); }

Result<std::string> get_string(const json& j, const std::string& field) { return kReader.string(j, "", field); }

Result<std::uint64_t> get_safe_uint(const json& j, const std::string& field) {
  return kReader.uint(j, "", field, kMaxSafeInteger);
}

Result<std::string> get_asset(const json& j, const std::string& field) { return kReader.asset(j, "", field); }

Result<Amount> get_positive_amount(const json& j, const std::string& field) {
  PACTUM_ASSIGN(a, kReader.amount(j, "", field));
  if (a == 0) return field_error(field, "amount must be greater than zero");
  return a;
}

Result<Transfer> decode_transfer(const json& j) {
  Transfer t;
  auto asset = get_asset(j, "asset");
  if (!asset) return asset.error();
  t.asset = *asset;
  PACTUM_ASSIGN(to, get_account(j, "to"));
  t.to = to;
  auto amount = get_positive_amount(j, "amount");
  if (!amount) return amount.error();
  t.amount = *amount;
  return t;
}

Result<Burn> decode_burn(const json& j) {
  Burn b;
  PACTUM_ASSIGN(asset, get_asset(j, "asset"));
  b.asset = asset;
  PACTUM_ASSIGN(amount, get_positive_amount(j, "amount"));
  b.amount = amount;
  PACTUM_ASSIGN(request, kReader.hash(j, "", "request"));
  b.request = request;
  return b;
}

Result<Lock> decode_lock(const json& j) {
  Lock l;
  PACTUM_ASSIGN(asset, get_asset(j, "asset"));
  if (!is_base_asset_symbol(asset)) return field_error("asset", "a lock takes a base asset, not the locked " + asset);
  l.asset = asset;
  PACTUM_ASSIGN(amount, get_positive_amount(j, "amount"));
  l.amount = amount;
  PACTUM_ASSIGN(until, get_safe_uint(j, "until"));
  if (until == 0) return field_error("until", "must be a block height >= 1");
  l.until = until;
  return l;
}

Result<Unlock> decode_unlock(const json& j) {
  Unlock u;
  PACTUM_ASSIGN(asset, get_asset(j, "asset"));
  if (!parse_locked_symbol(asset)) return field_error("asset", "an unlock takes a locked asset BASE@H, not " + asset);
  u.asset = asset;
  PACTUM_ASSIGN(amount, get_positive_amount(j, "amount"));
  u.amount = amount;
  return u;
}

Result<Reveal> decode_reveal(const json& j) {
  PACTUM_ASSIGN(text, get_string(j, "preimage"));
  if (text.empty() || text.size() > 2 * kMaxPreimageBytes)
    return field_error("preimage", "must be 1 to 128 bytes (2 to 256 lowercase hex digits), got " +
                                       std::to_string(text.size()) + " digits");
  PACTUM_ASSIGN(bytes, from_hex(text, "preimage"));
  Reveal r;
  r.hash = sha256(as_bytes(bytes));
  r.preimage = std::move(bytes);
  return r;
}

Result<Swap> decode_swap(const json& j) {
  Swap s;
  PACTUM_ASSIGN(sell, get_asset(j, "sell_asset"));
  PACTUM_ASSIGN(buy, get_asset(j, "buy_asset"));
  if (sell == buy) return field_error("buy_asset", "must differ from sell_asset");
  s.sell_asset = sell;
  s.buy_asset = buy;
  auto side = get_string(j, "side");
  if (!side) return side.error();
  if (*side == "sell")
    s.side = SwapSide::sell;
  else if (*side == "buy")
    s.side = SwapSide::buy;
  else
    return field_error("side", "must be \"sell\" or \"buy\"");
  PACTUM_ASSIGN(sa, get_positive_amount(j, "sell_amount"));
  PACTUM_ASSIGN(ba, get_positive_amount(j, "buy_amount"));
  s.sell_amount = sa;
  s.buy_amount = ba;
  PACTUM_ASSIGN(partial, kReader.boolean(j, "", "partial"));
  s.partial = partial;
  return s;
}

Result<Amount> get_amount(const json& j, const std::string& field) { return kReader.amount(j, "", field); }

Result<PublicKey> get_account(const json& j, const std::string& field) { return kReader.account(j, "", field); }

Result<void> only_fields(const json& j, const std::set<std::string>& allowed, const std::string& where) {
  if (!j.is_object()) return field_error(where, std::string("must be an object, got ") + j.type_name());
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!allowed.count(it.key()))
      return field_error(where.empty() ? it.key() : where + "." + it.key(), "unknown field");
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
