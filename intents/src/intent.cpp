#include "pactum/intents/intent.hpp"

#include <algorithm>
#include <set>

#include "pactum/intents/jcs.hpp"
#include "parsed_key.hpp"

namespace pactum {
namespace {

using nlohmann::json;

const std::set<std::string>& common_fields() {
  static const std::set<std::string> f = {"kind", "chain", "signer", "nonce", "valid_until", "sig"};
  return f;
}

const std::set<std::string>& kind_fields(std::string_view kind) {
  static const std::set<std::string> transfer = {"asset", "to", "amount"};
  static const std::set<std::string> swap = {"sell_asset", "buy_asset", "side", "sell_amount",
                                             "buy_amount", "partial"};
  static const std::set<std::string> cancel = {"ids"};
  if (kind == "transfer") return transfer;
  if (kind == "swap") return swap;
  return cancel;
}

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

Result<IntentBody> decode_transfer(const json& j) {
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
  return IntentBody{t};
}

Result<IntentBody> decode_swap(const json& j) {
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
  return IntentBody{s};
}

Result<IntentBody> decode_cancel(const json& j) {
  auto v = require(j, "ids");
  if (!v) return v.error();
  const json& ids = **v;
  if (!ids.is_array()) return field_error("ids", std::string("must be an array, got ") + ids.type_name());
  if (ids.empty()) return field_error("ids", "must name at least one intent id");
  if (ids.size() > kMaxCancelIds) return field_error("ids", "must name at most 64 intent ids");
  Cancel c;
  std::set<Hash32> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string f = "ids[" + std::to_string(i) + "]";
    if (!ids[i].is_string()) return field_error(f, "must be a hex string");
    auto h = Hash32::from_hex(ids[i].get<std::string>(), f);
    if (!h) return h.error();
    if (!seen.insert(*h).second) return field_error(f, "duplicate id");
    c.ids.push_back(*h);
  }
  return IntentBody{c};
}

}  // namespace

bool is_valid_asset_symbol(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::string_view Intent::kind() const {
  switch (body.index()) {
    case 0: return "transfer";
    case 1: return "swap";
    default: return "cancel";
  }
}

Result<Intent> decode_intent(const json& j, bool require_sig) {
  if (!j.is_object()) {
    return make_error(Errc::invalid_params, std::string("intent must be a JSON object, got ") + j.type_name(), "intent");
  }
  auto kind = get_string(j, "kind");
  if (!kind) return kind.error();
  if (*kind != "transfer" && *kind != "swap" && *kind != "cancel") {
    return field_error("kind", "must be \"transfer\", \"swap\" or \"cancel\", got \"" + *kind + "\"");
  }
  const auto& specific = kind_fields(*kind);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!common_fields().count(it.key()) && !specific.count(it.key())) {
      return field_error(it.key(), "unknown field for a " + *kind + " intent");
    }
  }
  Intent in;
  auto chain = get_string(j, "chain");
  if (!chain) return chain.error();
  if (chain->empty() || chain->size() > 64) return field_error("chain", "must be 1-64 characters");
  in.chain = *chain;
  auto signer = get_string(j, "signer");
  if (!signer) return signer.error();
  auto pk = detail::public_key_from_hex(*signer, "signer", &in.signer_parsed.key);
  if (!pk) return pk.error();
  in.signer = *pk;
  in.signer_parsed.of = pk->bytes;
  in.signer_parsed.valid = true;
  auto nonce = get_safe_uint(j, "nonce");
  if (!nonce) return nonce.error();
  in.nonce = *nonce;
  auto vu = get_safe_uint(j, "valid_until");
  if (!vu) return vu.error();
  in.valid_until = *vu;

  Result<IntentBody> body = *kind == "transfer" ? decode_transfer(j)
                            : *kind == "swap"   ? decode_swap(j)
                                                : decode_cancel(j);
  if (!body) return body.error();
  in.body = std::move(*body);

  auto sig_it = j.find("sig");
  if (sig_it != j.end()) {
    if (!sig_it->is_string()) return field_error("sig", "must be a hex string");
    auto sig = Signature::from_hex(sig_it->get<std::string>(), "sig");
    if (!sig) return sig.error();
    in.sig = *sig;
  } else if (require_sig) {
    return field_error("sig", "missing required field");
  }

  json unsigned_j = j;
  unsigned_j.erase("sig");
  auto canon = canonicalize(unsigned_j);
  if (!canon) return canon.error();
  in.canonical = std::move(*canon);
  in.id = tagged_hash(kIntentTag, as_bytes(in.canonical));
  return in;
}

Result<Hash32> intent_digest(const json& unsigned_intent) {
  auto in = decode_intent(unsigned_intent, false);
  if (!in) return in.error();
  return in->id;
}

bool verify_intent(const Intent& intent) {
  // decode_intent parsed the signer already; the cache counts only for the key it was
  // parsed from (a caller may have changed signer since).
  const ParsedSignerKey& c = intent.signer_parsed;
  if (c.valid && c.of == intent.signer.bytes) return detail::verify_parsed(c.key, intent.id, intent.sig);
  return verify(intent.signer, intent.id, intent.sig);
}

Result<Intent> decode_verified_intent(const json& j) {
  auto in = decode_intent(j, true);
  if (!in) return in;
  if (!verify_intent(*in)) {
    return make_error(Errc::bad_signature,
                      "sig: signature does not verify for signer " + in->signer.hex() + " and digest " + in->id.hex(),
                      "sig");
  }
  return in;
}

json intent_to_json(const Intent& intent) {
  json j = json::parse(intent.canonical);
  j["sig"] = intent.sig.hex();
  return j;
}

Result<Intent> sign_intent(const json& unsigned_intent, const SecretKey& key, bool deterministic) {
  if (unsigned_intent.is_object() && unsigned_intent.contains("sig")) {
    json copy = unsigned_intent;
    copy.erase("sig");
    return sign_intent(copy, key, deterministic);
  }
  auto in = decode_intent(unsigned_intent, false);
  if (!in) return in;
  if (in->signer != key.public_key()) {
    return make_error(Errc::invalid_params, "signer: does not match the signing key's public key " +
                                                key.public_key().hex(), "signer");
  }
  in->sig = deterministic ? key.sign_deterministic(in->id) : key.sign(in->id);
  return in;
}

}  // namespace pactum
