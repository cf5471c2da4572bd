// Decoding of conditional commitments and their program hash (commit.hpp).
#include <algorithm>

#include "decoders.hpp"
#include "fields.hpp"
#include "pactum/intents/jcs.hpp"

namespace pactum::fields {
namespace {

using nlohmann::json;

Result<Rate> decode_rate(const json& j, const std::string& where) {
  PACTUM_TRY(only_fields(j, {"num", "den"}, where));
  auto num = get_amount(j, "num");
  if (!num) return prefixed(num.error(), where);
  auto den = get_positive_amount(j, "den");
  if (!den) return prefixed(den.error(), where);
  return Rate{*num, *den};
}

Result<SwapPattern> decode_pattern(const json& j, const std::string& where) {
  PACTUM_TRY(only_fields(j, {"sell_asset", "buy_asset", "max_rate", "min_rate", "signer"}, where));
  SwapPattern p;
  auto sell = get_asset(j, "sell_asset");
  if (!sell) return prefixed(sell.error(), where);
  auto buy = get_asset(j, "buy_asset");
  if (!buy) return prefixed(buy.error(), where);
  if (*sell == *buy) return field_error(where + ".buy_asset", "must differ from sell_asset");
  p.sell_asset = *sell;
  p.buy_asset = *buy;
  for (const char* bound : {"max_rate", "min_rate"}) {
    if (!j.contains(bound)) continue;
    PACTUM_ASSIGN(r, decode_rate(j.at(bound), where + "." + bound));
    (std::string(bound) == "max_rate" ? p.max_rate : p.min_rate) = r;
  }
  if (j.contains("signer")) {
    auto s = get_account(j, "signer");
    if (!s) return prefixed(s.error(), where);
    p.signer = *s;
  }
  return p;
}

Result<std::vector<Hash32>> decode_ids(const json& j, const std::string& where) {
  auto v = require(j, "ids");
  if (!v) return prefixed(v.error(), where);
  const json& ids = **v;
  const std::string f = where + ".ids";
  if (!ids.is_array()) return field_error(f, std::string("must be an array, got ") + ids.type_name());
  if (ids.empty()) return field_error(f, "must name at least one intent id");
  if (ids.size() > kMaxConditionIds) return field_error(f, "must name at most 64 intent ids");
  std::vector<Hash32> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string fi = f + "[" + std::to_string(i) + "]";
    if (!ids[i].is_string()) return field_error(fi, "must be a hex string");
    PACTUM_ASSIGN(h, Hash32::from_hex(ids[i].get<std::string>(), fi));
    if (std::find(out.begin(), out.end(), h) != out.end()) return field_error(fi, "duplicate id");
    out.push_back(h);
  }
  return out;
}

// A threshold's "of": 1..64 distinct accounts, sorted (the order written does not count).
Result<std::vector<PublicKey>> decode_accounts(const json& of, const std::string& f) {
  if (!of.is_array()) return field_error(f, std::string("must be an array, got ") + of.type_name());
  if (of.empty() || of.size() > kMaxThresholdAccounts) return field_error(f, "must name 1 to 64 accounts");
  std::vector<PublicKey> out;
  for (std::size_t i = 0; i < of.size(); ++i) {
    const std::string fi = f + "[" + std::to_string(i) + "]";
    if (!of[i].is_string()) return field_error(fi, "must be a hex string");
    PACTUM_ASSIGN(a, PublicKey::from_hex(of[i].get<std::string>(), fi));
    out.push_back(a);
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) return field_error(f, "duplicate account");
  return out;
}

Result<Condition> decode_condition(const json& j, const std::string& where, bool inside_unless) {
  if (!j.is_object()) return field_error(where, std::string("must be an object, got ") + j.type_name());
  auto type = get_string(j, "type");
  if (!type) return prefixed(type.error(), where);
  Condition c;
  if (*type == "requires") {
    PACTUM_TRY(only_fields(j, {"type", "ids"}, where));
    c.type = ConditionType::requires_ids;
    auto ids = decode_ids(j, where);
    if (!ids) return ids.error();
    c.ids = std::move(*ids);
  } else if (*type == "exists") {
    PACTUM_TRY(only_fields(
        j,
        inside_unless ? std::set<std::string>{"type", "pattern"} : std::set<std::string>{"type", "pattern", "fallback"},
        where));
    c.type = ConditionType::exists;
    auto p = require(j, "pattern");
    if (!p) return prefixed(p.error(), where);
    auto pattern = decode_pattern(**p, where + ".pattern");
    if (!pattern) return pattern.error();
    c.pattern = std::move(*pattern);
    if (j.contains("fallback")) {
      auto f = get_string(j, "fallback");
      if (!f) return prefixed(f.error(), where);
      if (*f == "none")
        c.fallback = Fallback::none;
      else if (*f == "pools")
        c.fallback = Fallback::pools;
      else
        return field_error(where + ".fallback", "must be \"none\" or \"pools\"");
    }
  } else if (*type == "reveals") {
    PACTUM_TRY(only_fields(j, {"type", "hash"}, where));
    c.type = ConditionType::reveals;
    auto hash = get_string(j, "hash");
    if (!hash) return prefixed(hash.error(), where);
    PACTUM_ASSIGN(h, Hash32::from_hex(*hash, where + ".hash"));
    c.hash = h;
  } else if (inside_unless) {
    return field_error(where + ".type",
                       "unless negates \"requires\", \"exists\" or \"reveals\" only, got \"" + *type + "\"");
  } else if (*type == "mirror") {
    PACTUM_TRY(only_fields(j, {"type", "with"}, where));
    c.type = ConditionType::mirror;
    if (j.contains("with")) {
      auto w = get_account(j, "with");
      if (!w) return prefixed(w.error(), where);
      c.with = *w;
    }
  } else if (*type == "threshold") {
    PACTUM_TRY(only_fields(j, {"type", "k", "of"}, where));
    c.type = ConditionType::threshold;
    auto k = get_safe_uint(j, "k");
    if (!k) return prefixed(k.error(), where);
    if (*k < 1 || *k > 1'000'000) return field_error(where + ".k", "must be between 1 and 1000000");
    c.k = static_cast<std::uint32_t>(*k);
    if (j.contains("of")) {
      PACTUM_ASSIGN(of, decode_accounts(j.at("of"), where + ".of"));
      c.of = std::move(of);
      if (c.k > c.of.size()) return field_error(where + ".k", "is larger than the number of accounts in \"of\"");
    }
  } else if (*type == "unless") {
    PACTUM_TRY(only_fields(j, {"type", "condition"}, where));
    auto inner = require(j, "condition");
    if (!inner) return prefixed(inner.error(), where);
    PACTUM_ASSIGN(c2, decode_condition(**inner, where + ".condition", true));
    c = std::move(c2);
    c.negated = true;
  } else {
    return field_error(
        where + ".type",
        "must be \"requires\", \"mirror\", \"threshold\", \"exists\", \"reveals\" or \"unless\", got \"" + *type +
            "\"");
  }
  return c;
}

// Rewrites an account-valued member for the program: the signer reads "self", a mirror's
// named counterpart "peer".
void abstract_account(json& holder, const char* field, const PublicKey& signer, const std::optional<PublicKey>& peer) {
  auto it = holder.find(field);
  if (it == holder.end() || !it->is_string()) return;
  const std::string v = it->get<std::string>();
  if (v == signer.hex())
    *it = "self";
  else if (peer && v == peer->hex())
    *it = "peer";
}

}  // namespace

Result<Commit> decode_commit(const json& j, const PublicKey& signer) {
  Commit c;
  PACTUM_ASSIGN(a, require(j, "action"));
  const json& action = *a;
  if (!action.is_object()) return field_error("action", std::string("must be an object, got ") + action.type_name());
  auto kind = get_string(action, "kind");
  if (!kind) return prefixed(kind.error(), "action");
  if (*kind == "transfer") {
    PACTUM_TRY(only_fields(action, {"kind", "asset", "to", "amount"}, "action"));
    auto t = decode_transfer(action);
    if (!t) return prefixed(t.error(), "action");
    c.action = std::move(*t);
  } else if (*kind == "swap") {
    PACTUM_TRY(only_fields(action, {"kind", "sell_asset", "buy_asset", "side", "sell_amount", "buy_amount", "partial"},
                           "action"));
    auto s = decode_swap(action);
    if (!s) return prefixed(s.error(), "action");
    c.action = std::move(*s);
  } else {
    return field_error("action.kind", "must be \"transfer\" or \"swap\", got \"" + *kind + "\"");
  }
  PACTUM_ASSIGN(cj, require(j, "condition"));
  PACTUM_ASSIGN(cond, decode_condition(*cj, "condition", false));
  c.condition = std::move(cond);
  if (c.condition.type == ConditionType::mirror && c.condition.with == signer)
    return field_error("condition.with", "must name another account than the signer");
  if (c.condition.fallback == Fallback::pools && !c.swap())
    return field_error("condition.fallback", "\"pools\" applies to a swap action only");

  json program = {{"action", action}, {"condition", *cj}};
  abstract_account(program["action"], "to", signer, c.condition.with);
  json& pc = program["condition"];
  if (c.condition.type == ConditionType::threshold && !c.condition.of.empty()) {
    json of = json::array();  // the decoded, sorted set: order in the wire form does not matter
    for (const PublicKey& k : c.condition.of) of.push_back(k.hex());
    pc["of"] = std::move(of);
  }
  abstract_account(pc, "with", signer, c.condition.with);
  json* pattern_holder = pc.contains("pattern")                                            ? &pc["pattern"]
                         : pc.contains("condition") && pc["condition"].contains("pattern") ? &pc["condition"]["pattern"]
                                                                                           : nullptr;
  if (pattern_holder) abstract_account(*pattern_holder, "signer", signer, c.condition.with);
  PACTUM_ASSIGN(canon, canonicalize(program));
  c.program = tagged_hash(kProgramTag, as_bytes(canon));
  return c;
}

}  // namespace pactum::fields
