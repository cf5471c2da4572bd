// The program hash over the normal form of a commitment (commit.hpp; docs/PROTOCOL.md,
// "Program hash"): equivalent spellings of one program give one hash.
#include <algorithm>

#include "decoders.hpp"
#include "pactum/intents/jcs.hpp"

namespace pactum::fields {
namespace {

using nlohmann::json;

// The signer reads "self", a mirror's named counterpart "peer": a program does not say who
// runs it.
struct Abstraction {
  const PublicKey& signer;
  std::optional<PublicKey> peer;
  std::string account(const PublicKey& k) const {
    if (k == signer) return "self";
    if (peer && k == *peer) return "peer";
    return k.hex();
  }
};

// In lowest terms: 2/4 and 1/2 bound the same rates.
json rate_json(const Rate& r) {
  Amount a = r.num, b = r.den;
  while (b != 0) a = std::exchange(b, a % b);
  const Amount g = a == 0 ? Amount(1) : a;
  return {{"num", amount_to_string(r.num / g)}, {"den", amount_to_string(r.den / g)}};
}

json pattern_json(const SwapPattern& p, const Abstraction& a) {
  json j = {{"sell_asset", p.sell_asset}, {"buy_asset", p.buy_asset}};
  if (p.max_rate) j["max_rate"] = rate_json(*p.max_rate);
  if (p.min_rate) j["min_rate"] = rate_json(*p.min_rate);
  if (p.signer) j["signer"] = a.account(*p.signer);
  // Absent when unset, so that the programs written before the bounds keep their hash.
  if (p.min_sold) j["min_sold"] = amount_to_string(*p.min_sold);
  if (p.max_sold) j["max_sold"] = amount_to_string(*p.max_sold);
  return j;
}

json leaf_json(const Condition& c, const Abstraction& a) {
  switch (c.type) {
    case ConditionType::requires_ids: {
      std::vector<std::string> ids;
      for (const Hash32& id : c.ids) ids.push_back(id.hex());
      std::sort(ids.begin(), ids.end());  // "every named intent settles": order says nothing
      return {{"type", "requires"}, {"ids", ids}};
    }
    case ConditionType::mirror: {
      json j = {{"type", "mirror"}};
      if (c.with) j["with"] = a.account(*c.with);
      return j;
    }
    case ConditionType::threshold: {
      json j = {{"type", "threshold"}, {"k", c.k}};
      if (!c.of.empty()) {
        json of = json::array();  // the decoded, sorted set; not abstracted
        for (const PublicKey& k : c.of) of.push_back(k.hex());
        j["of"] = std::move(of);
      }
      return j;
    }
    case ConditionType::exists: {
      json j = {{"type", "exists"}, {"pattern", pattern_json(c.pattern, a)}};
      if (c.fallback == Fallback::pools) j["fallback"] = "pools";  // "none" is the default
      return j;
    }
    case ConditionType::program: {
      json j = {{"type", "program"}, {"hash", "*"}};  // what it names is not part of it
      if (c.signer) j["signer"] = a.account(*c.signer);
      return j;
    }
    case ConditionType::reveals:
      return {{"type", "reveals"}, {"hash", c.hash.hex()}};
    default:
      return json::object();  // all/any: condition_json
  }
}

json condition_json(const Condition& c, const Abstraction& a) {
  json j;
  if (c.is_leaf()) {
    j = leaf_json(c, a);
  } else {
    json list = json::array();
    for (const Condition& child : c.children) list.push_back(condition_json(child, a));
    j = {{"type", c.type == ConditionType::all ? "all" : "any"}, {"conditions", std::move(list)}};
  }
  return c.negated ? json{{"type", "unless"}, {"condition", std::move(j)}} : j;
}

// The children of every all/any in the order of their normal forms (the leaf numbering
// of the resolution follows it).
void sort_children(Condition& c, const Abstraction& a) {
  if (c.is_leaf()) return;
  std::vector<std::pair<std::string, Condition>> keyed;
  for (Condition& child : c.children) {
    sort_children(child, a);
    keyed.emplace_back(*canonicalize(condition_json(child, a)), std::move(child));
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  c.children.clear();
  for (auto& [key, child] : keyed) c.children.push_back(std::move(child));
}

json action_json(const Commit& c, const Abstraction& a) {
  if (const Transfer* t = c.transfer())
    return {
        {"kind", "transfer"}, {"asset", t->asset}, {"to", a.account(t->to)}, {"amount", amount_to_string(t->amount)}};
  if (const ShareSurplus* sh = c.share())
    return {{"kind", "share_surplus"}, {"swap", sh->swap.hex()}, {"asset", sh->asset},
            {"to", a.account(sh->to)}, {"bps", sh->bps},         {"cap", amount_to_string(sh->cap)}};
  const Swap& s = *c.swap();
  return {{"kind", "swap"},
          {"sell_asset", s.sell_asset},
          {"buy_asset", s.buy_asset},
          {"side", s.side == SwapSide::sell ? "sell" : "buy"},
          {"sell_amount", amount_to_string(s.sell_amount)},
          {"buy_amount", amount_to_string(s.buy_amount)},
          {"partial", s.partial}};
}

}  // namespace

std::optional<PublicKey> mirror_peer(const Condition& c) {
  std::optional<PublicKey> peer;
  for_each_leaf(c, [&](const Condition& leaf) {
    if (leaf.type == ConditionType::mirror && leaf.with && !peer) peer = leaf.with;
  });
  return peer;
}

Hash32 program_hash(Commit& c, const PublicKey& signer) {
  const Abstraction a{signer, mirror_peer(c.condition)};
  sort_children(c.condition, a);
  const json program = {{"action", action_json(c, a)}, {"condition", condition_json(c.condition, a)}};
  return tagged_hash(kProgramTag, as_bytes(*canonicalize(program)));
}

}  // namespace pactum::fields
