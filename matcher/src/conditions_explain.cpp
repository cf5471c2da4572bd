// The explanations of failed conditions (ConditionGraph::explain): what a receipt says
// when a commitment's condition does not hold on the final set.
#include <algorithm>
#include <set>

#include "condition_counters.hpp"

namespace pactum::matching {
namespace {

std::string short_id(const Hash32& h) { return h.hex().substr(0, 12); }

std::string id_list(const std::vector<Hash32>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 4; ++i) out += (i ? ", " : "") + short_id(ids[i]);
  if (ids.size() > 4) out += " and " + std::to_string(ids.size() - 4) + " more";
  return out;
}

std::string pattern_text(const SwapPattern& p) {
  std::string t = "a swap " + p.sell_asset + "->" + p.buy_asset;
  if (p.max_rate)
    t += " asking at most " + amount_to_string(p.max_rate->num) + "/" + amount_to_string(p.max_rate->den) + " " +
         p.buy_asset + " per " + p.sell_asset + " (base units)";
  if (p.min_rate)
    t += std::string(p.max_rate ? " and" : "") + " asking at least " + amount_to_string(p.min_rate->num) + "/" +
         amount_to_string(p.min_rate->den) + " " + p.buy_asset + " per " + p.sell_asset;
  if (p.signer) t += " from " + p.signer->hex().substr(0, 12);
  return t;
}

}  // namespace

// A tree: the leaves that fail, each explained (at most three), under what combines them.
ConditionFailure ConditionGraph::explain(std::size_t number, const Counters& k) const {
  const Commitment& c = commitments_[number];
  if (c.cond->is_leaf()) return explain_leaf(c.first_leaf, k);
  ConditionFailure f{"condition_not_met", "", {}};
  std::vector<std::string> parts;
  for (std::size_t l = c.first_leaf; l < c.first_leaf + c.leaf_count; ++l) {
    if (leaf_holds(l, k)) continue;
    ConditionFailure leaf = explain_leaf(l, k);
    if (parts.size() < 3) parts.push_back(leaf.message);
    for (const Hash32& id : leaf.related)
      if (f.related.size() < 16) f.related.push_back(id);
  }
  f.message = std::string(c.cond->type == ConditionType::all ? "all" : "any") + " of " +
              std::to_string(c.cond->children.size()) + " conditions does not hold; failing: ";
  for (std::size_t i = 0; i < parts.size(); ++i) f.message += (i ? "; " : "") + parts[i];
  return f;
}

ConditionFailure ConditionGraph::explain_leaf(std::size_t leaf, const Counters& k) const {
  const Leaf& c = leaves_[leaf];
  const Condition& cond = *c.cond;
  const Intent& in = batch_[commitments_[c.owner].index];
  const std::string program = in.commit()->program.hex().substr(0, 12);
  ConditionFailure f{"condition_not_met", "", {}};
  switch (cond.type) {
    case ConditionType::requires_ids: {
      if (cond.negated) {
        f.related = cond.ids;
        f.message = "unless: every named intent (" + id_list(cond.ids) + ") settles in this batch";
        break;
      }
      for (const Hash32& id : cond.ids) {
        bool there = false;
        for (std::size_t r : c.required)
          if (batch_[r].id == id && k.in_set[r]) there = true;
        if (!there) f.related.push_back(id);
      }
      f.message = "requires " + std::to_string(cond.ids.size()) + " intent(s) to settle in this batch; " +
                  std::to_string(f.related.size()) + " do not: " + id_list(f.related);
      break;
    }
    case ConditionType::exists: {
      const Pattern& p = patterns_[c.pattern];
      if (cond.negated) {
        for (std::size_t m : matches_of(c.pattern, k)) f.related.push_back(batch_[m].id);
        std::sort(f.related.begin(), f.related.end());  // by id, not batch order
        if (f.related.size() > 16) f.related.resize(16);
        f.message =
            "unless: " + pattern_text(*p.pattern) + " settles in this batch, and " + id_list(f.related) + " does";
      } else {
        f.message = "exists: no " + pattern_text(*p.pattern).substr(2) + " settles in this batch";
      }
      break;
    }
    case ConditionType::mirror:
      f.message =
          cond.with ? "mirror: account " + cond.with->hex().substr(0, 12) + " has no commitment with this program (" +
                          program + ") naming this signer that settles in this batch"
                    : "mirror: no other account's commitment with this program (" + program + ") settles in this batch";
      break;
    case ConditionType::threshold: {
      // Counted over the commitments of the program that entered this resolution (an
      // input, so the same whatever the batch order), and over those that can settle.
      std::set<PublicKey> committed;
      const Group& g = groups_[c.group];
      for (std::size_t m : g.members) {
        const std::size_t idx = commitments_[m].index;
        if (!k.entered[idx]) continue;
        if (counts(g, batch_[idx].signer)) committed.insert(batch_[idx].signer);
        f.related.push_back(batch_[idx].id);
      }
      std::sort(f.related.begin(), f.related.end());  // by id, not batch order
      if (f.related.size() > 16) f.related.resize(16);
      f.message = "threshold: " + std::to_string(committed.size()) + " account(s)" +
                  (cond.of.empty() ? "" : " of the " + std::to_string(cond.of.size()) + " named") +
                  " commit to this program (" + program + ") in this batch; " + std::to_string(cond.k) + " needed";
      if (committed.size() >= cond.k)
        f.message += ", and only " + std::to_string(k.distinct[c.group]) + " of them can settle";
      break;
    }
    case ConditionType::program:
      explain_program(leaf, k, f);
      break;
    case ConditionType::reveals:
      explain_reveals(leaf, k, f);
      break;
    default:
      break;
  }
  return f;
}

// A program leaf: no other commitment of the named program (and signer) settles, or,
// under unless, which ones do.
void ConditionGraph::explain_program(std::size_t leaf, const Counters& k, ConditionFailure& f) const {
  const Leaf& c = leaves_[leaf];
  const Condition& cond = *c.cond;
  const std::string named = cond.program.hex().substr(0, 12);
  const std::string who = cond.signer ? " signed by " + cond.signer->hex().substr(0, 12) : "";
  if (cond.negated) {
    for (std::size_t m : targets_[c.target].members)
      if (m != c.owner && k.in_set[commitments_[m].index]) f.related.push_back(batch_[commitments_[m].index].id);
    std::sort(f.related.begin(), f.related.end());
    if (f.related.size() > 16) f.related.resize(16);
    f.message = "unless: a commitment with program " + named + who + " settles in this batch, and " +
                id_list(f.related) + " does";
  } else {
    f.message = "program: no other commitment with program " + named + who + " settles in this batch";
  }
}

// A reveals leaf that failed: nothing revealed the hash (or, under unless, these did).
void ConditionGraph::explain_reveals(std::size_t leaf, const Counters& k, ConditionFailure& f) const {
  const Leaf& c = leaves_[leaf];
  const std::string hash = c.cond->hash.hex();
  if (c.cond->negated) {
    for (std::size_t r : c.reveals)
      if (k.in_set[r]) f.related.push_back(batch_[r].id);
    std::sort(f.related.begin(), f.related.end());  // by id, not batch order
    if (f.related.size() > 16) f.related.resize(16);
    f.message = "unless: the preimage of " + hash + " is revealed in this batch, by " + id_list(f.related);
    return;
  }
  // The reveals of this hash that were in the batch but do not settle (rejected, cancelled).
  for (std::size_t r : c.reveals) f.related.push_back(batch_[r].id);
  std::sort(f.related.begin(), f.related.end());
  if (f.related.size() > 16) f.related.resize(16);
  f.message = "reveals: no reveal of a preimage of " + hash + " (SHA-256) settles in this batch";
  if (!f.related.empty()) f.message += "; " + id_list(f.related) + " names it but does not settle";
}

}  // namespace pactum::matching
