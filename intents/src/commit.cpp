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
  PACTUM_TRY(
      only_fields(j, {"sell_asset", "buy_asset", "max_rate", "min_rate", "signer", "min_sold", "max_sold"}, where));
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
  for (const char* bound : {"min_sold", "max_sold"}) {
    if (!j.contains(bound)) continue;
    auto a = get_positive_amount(j, bound);
    if (!a) return prefixed(a.error(), where);
    (std::string(bound) == "min_sold" ? p.min_sold : p.max_sold) = *a;
  }
  if (p.min_sold && p.max_sold && *p.min_sold > *p.max_sold)
    return field_error(where + ".min_sold", "is larger than max_sold: no amount lies between them");
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

// Where a condition sits: at the top (an exists may have a fallback), inside all/any, or
// under unless (a leaf that reads other intents: requires, exists, program).
enum class Place { top, nested, unless };

struct TreeBudget {
  std::size_t nodes = 0;
};

Result<void> decode_exists(const json& j, const std::string& where, Place place, Condition& c) {
  PACTUM_TRY(only_fields(j,
                         place == Place::top ? std::set<std::string>{"type", "pattern", "fallback"}
                                             : std::set<std::string>{"type", "pattern"},
                         where));
  c.type = ConditionType::exists;
  auto p = require(j, "pattern");
  if (!p) return prefixed(p.error(), where);
  PACTUM_ASSIGN(pattern, decode_pattern(**p, where + ".pattern"));
  c.pattern = std::move(pattern);
  const bool bounded = c.pattern.min_sold || c.pattern.max_sold;
  const std::string bound = where + ".pattern." + (c.pattern.min_sold ? "min_sold" : "max_sold");
  // Amounts are known only once a round is cleared; the resolution reads a bound pattern
  // as met by any match and the check after the clearing removes what it over-counted,
  // which is sound for a condition that holds and not for one that is negated.
  if (bounded && place == Place::unless)
    return field_error(bound, "amount bounds are not allowed in a pattern under \"unless\"");
  if (j.contains("fallback")) {
    auto f = get_string(j, "fallback");
    if (!f) return prefixed(f.error(), where);
    if (*f == "none")
      c.fallback = Fallback::none;
    else if (*f == "pools")
      c.fallback = Fallback::pools;
    else
      return field_error(where + ".fallback", "must be \"none\" or \"pools\"");
    if (bounded && c.fallback == Fallback::pools)
      return field_error(bound, "amount bounds are not allowed with \"fallback\": \"pools\"");
  }
  return {};
}

Result<void> decode_threshold(const json& j, const std::string& where, Condition& c) {
  PACTUM_TRY(only_fields(j, {"type", "k", "of"}, where));
  c.type = ConditionType::threshold;
  auto k = get_safe_uint(j, "k");
  if (!k) return prefixed(k.error(), where);
  if (*k < 1 || *k > 1'000'000) return field_error(where + ".k", "must be between 1 and 1000000");
  c.k = static_cast<std::uint32_t>(*k);
  if (!j.contains("of")) return {};
  const json& of = j.at("of");
  const std::string f = where + ".of";
  if (!of.is_array()) return field_error(f, std::string("must be an array, got ") + of.type_name());
  if (of.empty() || of.size() > kMaxThresholdAccounts) return field_error(f, "must name 1 to 64 accounts");
  for (std::size_t i = 0; i < of.size(); ++i) {
    const std::string fi = f + "[" + std::to_string(i) + "]";
    if (!of[i].is_string()) return field_error(fi, "must be a hex string");
    PACTUM_ASSIGN(a, PublicKey::from_hex(of[i].get<std::string>(), fi));
    c.of.push_back(a);
  }
  std::sort(c.of.begin(), c.of.end());
  if (std::adjacent_find(c.of.begin(), c.of.end()) != c.of.end()) return field_error(f, "duplicate account");
  if (c.k > c.of.size()) return field_error(where + ".k", "is larger than the number of accounts in \"of\"");
  return {};
}

Result<void> decode_program(const json& j, const std::string& where, Condition& c) {
  PACTUM_TRY(only_fields(j, {"type", "hash", "signer"}, where));
  c.type = ConditionType::program;
  auto h = require(j, "hash");
  if (!h) return prefixed(h.error(), where);
  if (!(*h)->is_string()) return field_error(where + ".hash", "must be a hex string");
  PACTUM_ASSIGN(hash, Hash32::from_hex((*h)->get<std::string>(), where + ".hash"));
  c.program = hash;
  if (j.contains("signer")) {
    auto s = get_account(j, "signer");
    if (!s) return prefixed(s.error(), where);
    c.signer = *s;
  }
  return {};
}

Result<Condition> decode_condition(const json& j, const std::string& where, Place place, std::size_t depth,
                                   TreeBudget& budget);

// {"kind":"share_surplus", "swap", "asset", "to", "bps", "cap"} (intent.hpp ShareSurplus).
Result<ShareSurplus> decode_share(const json& j) {
  PACTUM_TRY(only_fields(j, {"kind", "swap", "asset", "to", "bps", "cap"}, "action"));
  ShareSurplus s;
  auto swap = require(j, "swap");
  if (!swap) return prefixed(swap.error(), "action");
  if (!(*swap)->is_string()) return field_error("action.swap", "must be a hex string");
  PACTUM_ASSIGN(id, Hash32::from_hex((*swap)->get<std::string>(), "action.swap"));
  s.swap = id;
  auto asset = get_asset(j, "asset");
  if (!asset) return prefixed(asset.error(), "action");
  s.asset = *asset;
  auto to = get_account(j, "to");
  if (!to) return prefixed(to.error(), "action");
  s.to = *to;
  auto bps = get_safe_uint(j, "bps");
  if (!bps) return prefixed(bps.error(), "action");
  if (*bps < 1 || *bps > kMaxShareBps) return field_error("action.bps", "must be between 1 and 10000");
  s.bps = static_cast<std::uint32_t>(*bps);
  auto cap = get_positive_amount(j, "cap");
  if (!cap) return prefixed(cap.error(), "action");
  s.cap = *cap;
  return s;
}

Result<void> decode_combinator(const json& j, const std::string& where, std::size_t depth, TreeBudget& budget,
                               Condition& c) {
  PACTUM_TRY(only_fields(j, {"type", "conditions"}, where));
  if (depth >= kMaxConditionDepth)
    return field_error(where, "all/any nest at most " + std::to_string(kMaxConditionDepth) + " deep");
  auto v = require(j, "conditions");
  if (!v) return prefixed(v.error(), where);
  const json& list = **v;
  const std::string f = where + ".conditions";
  if (!list.is_array()) return field_error(f, std::string("must be an array, got ") + list.type_name());
  if (list.empty() || list.size() > kMaxConditionChildren) return field_error(f, "must hold 1 to 8 conditions");
  for (std::size_t i = 0; i < list.size(); ++i) {
    PACTUM_ASSIGN(child,
                  decode_condition(list[i], f + "[" + std::to_string(i) + "]", Place::nested, depth + 1, budget));
    c.children.push_back(std::move(child));
  }
  return {};
}

Result<Condition> decode_condition(const json& j, const std::string& where, Place place, std::size_t depth,
                                   TreeBudget& budget) {
  if (!j.is_object()) return field_error(where, std::string("must be an object, got ") + j.type_name());
  if (++budget.nodes > kMaxConditionNodes)
    return field_error(where, "a condition tree holds at most " + std::to_string(kMaxConditionNodes) + " conditions");
  auto type = get_string(j, "type");
  if (!type) return prefixed(type.error(), where);
  Condition c;
  if (*type == "requires") {
    PACTUM_TRY(only_fields(j, {"type", "ids"}, where));
    c.type = ConditionType::requires_ids;
    PACTUM_ASSIGN(ids, decode_ids(j, where));
    c.ids = std::move(ids);
  } else if (*type == "exists") {
    PACTUM_TRY(decode_exists(j, where, place, c));
  } else if (*type == "program") {
    PACTUM_TRY(decode_program(j, where, c));
  } else if (*type == "reveals") {
    PACTUM_TRY(only_fields(j, {"type", "hash"}, where));
    c.type = ConditionType::reveals;
    auto hash = get_string(j, "hash");
    if (!hash) return prefixed(hash.error(), where);
    PACTUM_ASSIGN(h, Hash32::from_hex(*hash, where + ".hash"));
    c.hash = h;
  } else if (place == Place::unless) {
    return field_error(
        where + ".type",
        "unless negates \"requires\", \"exists\", \"program\" or \"reveals\" only, got \"" + *type + "\"");
  } else if (*type == "mirror") {
    PACTUM_TRY(only_fields(j, {"type", "with"}, where));
    c.type = ConditionType::mirror;
    if (j.contains("with")) {
      auto w = get_account(j, "with");
      if (!w) return prefixed(w.error(), where);
      c.with = *w;
    }
  } else if (*type == "threshold") {
    PACTUM_TRY(decode_threshold(j, where, c));
  } else if (*type == "all" || *type == "any") {
    c.type = *type == "all" ? ConditionType::all : ConditionType::any;
    PACTUM_TRY(decode_combinator(j, where, depth, budget, c));
  } else if (*type == "unless") {
    PACTUM_TRY(only_fields(j, {"type", "condition"}, where));
    auto inner = require(j, "condition");
    if (!inner) return prefixed(inner.error(), where);
    PACTUM_ASSIGN(c2, decode_condition(**inner, where + ".condition", Place::unless, depth, budget));
    c = std::move(c2);
    c.negated = true;
  } else {
    return field_error(where + ".type",
                       "must be \"requires\", \"mirror\", \"threshold\", \"exists\", \"program\", \"reveals\", "
                       "\"all\", \"any\" or \"unless\", got \"" +
                           *type + "\"");
  }
  return c;
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
  } else if (*kind == "share_surplus") {
    PACTUM_ASSIGN(share, decode_share(action));
    c.action = std::move(share);
  } else {
    return field_error("action.kind", "must be \"transfer\", \"swap\" or \"share_surplus\", got \"" + *kind + "\"");
  }
  PACTUM_ASSIGN(cj, require(j, "condition"));
  TreeBudget budget;
  PACTUM_ASSIGN(cond, decode_condition(*cj, "condition", Place::top, 0, budget));
  c.condition = std::move(cond);
  bool mirrors_self = false;
  for_each_leaf(c.condition, [&](const Condition& leaf) {
    mirrors_self = mirrors_self || (leaf.type == ConditionType::mirror && leaf.with == signer);
  });
  if (mirrors_self) return field_error("condition.with", "must name another account than the signer");
  bool two_peers = false;
  const std::optional<PublicKey> peer = mirror_peer(c.condition);
  for_each_leaf(c.condition, [&](const Condition& leaf) {
    two_peers = two_peers || (leaf.type == ConditionType::mirror && leaf.with && leaf.with != peer);
  });
  if (two_peers) return field_error("condition", "mirror conditions of one commitment must name the same `with`");
  if (c.condition.fallback == Fallback::pools && !c.swap())
    return field_error("condition.fallback", "\"pools\" applies to a swap action only");
  c.program = program_hash(c, signer);
  return c;
}

}  // namespace pactum::fields
