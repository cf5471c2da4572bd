#include "conditions.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "rational.hpp"

namespace pactum::matching {
namespace {

bool rate_at_most(const Swap& s, const Rate& r) {  // buy/sell <= num/den
  return to_big(s.buy_amount) * to_big(r.den) <= to_big(r.num) * to_big(s.sell_amount);
}

bool matches(const SwapPattern& p, const Intent& in) {
  const Swap* s = traded_swap(in);
  if (!s || s->sell_asset != p.sell_asset || s->buy_asset != p.buy_asset) return false;
  if (p.signer && in.signer != *p.signer) return false;
  if (p.max_rate && !rate_at_most(*s, *p.max_rate)) return false;
  if (p.min_rate &&
      !(to_big(s->buy_amount) * to_big(p.min_rate->den) >= to_big(p.min_rate->num) * to_big(s->sell_amount)))
    return false;
  return true;
}

std::string pattern_key(const SwapPattern& p) {
  std::string k = p.sell_asset + ">" + p.buy_asset;
  if (p.max_rate) k += "<=" + amount_to_string(p.max_rate->num) + "/" + amount_to_string(p.max_rate->den);
  if (p.min_rate) k += ">=" + amount_to_string(p.min_rate->num) + "/" + amount_to_string(p.min_rate->den);
  if (p.signer) k += "@" + p.signer->hex();
  return k;
}

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

// The dependency graph of find_strata: nodes are commitments, then groups, then
// patterns; an edge is negative when it reads through "unless".
struct Edge {
  std::size_t to;
  bool negative;
};
using DependencyGraph = std::vector<std::vector<Edge>>;

// Strongly connected components, in completion order (dependencies first), and each
// node's component.
struct Components {
  std::vector<std::vector<std::size_t>> members;
  std::vector<std::size_t> of;  // per node
};

// Tarjan's algorithm as an iterative walk (a chain of 10,000 requires must not overflow
// the stack).
Components strongly_connected(const DependencyGraph& out) {
  const std::size_t nodes = out.size();
  constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);
  std::vector<std::size_t> index(nodes, kUnvisited), low(nodes, 0);
  Components sccs;
  sccs.of.assign(nodes, kUnvisited);
  std::vector<bool> on_stack(nodes, false);
  std::vector<std::size_t> stack;
  std::size_t next_index = 0;
  for (std::size_t root = 0; root < nodes; ++root) {
    if (index[root] != kUnvisited) continue;
    std::vector<std::pair<std::size_t, std::size_t>> walk{{root, 0}};  // (node, next edge)
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!walk.empty()) {
      auto& [v, e] = walk.back();
      if (e < out[v].size()) {
        const std::size_t w = out[v][e++].to;
        if (index[w] == kUnvisited) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          walk.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const std::size_t done = v;
      walk.pop_back();
      if (!walk.empty()) low[walk.back().first] = std::min(low[walk.back().first], low[done]);
      if (low[done] != index[done]) continue;
      std::vector<std::size_t> comp;
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        sccs.of[w] = sccs.members.size();
        comp.push_back(w);
      } while (w != done);
      sccs.members.push_back(std::move(comp));
    }
  }
  return sccs;
}

// Per component: a cycle through negation (a negative edge inside it), and its stratum,
// the most negative edges on a path below it.
struct ComponentStrata {
  std::vector<int> stratum;
  std::vector<bool> cycle;
};

ComponentStrata component_strata(const DependencyGraph& out, const Components& sccs) {
  ComponentStrata s{std::vector<int>(sccs.members.size(), 0), std::vector<bool>(sccs.members.size(), false)};
  for (std::size_t k = 0; k < sccs.members.size(); ++k) {
    bool cycle = false;
    for (std::size_t v : sccs.members[k]) {
      for (const Edge& e : out[v]) {
        if (sccs.of[e.to] == k) {
          cycle = cycle || e.negative;
        } else {
          s.stratum[k] = std::max(s.stratum[k], s.stratum[sccs.of[e.to]] + (e.negative ? 1 : 0));
        }
      }
    }
    s.cycle[k] = cycle;
  }
  return s;
}

}  // namespace

// What resolve() tracks while it peels: the set and the counts each condition reads.
struct ConditionGraph::Counters {
  std::vector<bool> in_set;                                    // per batch index
  std::vector<bool> entered;                                   // per batch index: in play when resolve began
  std::vector<std::size_t> missing;                            // per commitment (requires)
  std::vector<std::map<PublicKey, int>> by_signer;             // per group: members in the set
  std::vector<int> distinct;                                   // per group: counted signers in the set
  std::map<std::tuple<int, PublicKey, PublicKey>, int> pairs;  // (group, signer, with): named mirrors
  std::vector<int> matches;                                    // per pattern: matches in the set
  // Per commitment (reveals): its reveal intents in the set. Reveals are never commitments, so
  // no peeling changes it: it is fixed for one resolution.
  std::vector<int> revealed;
};

ConditionGraph::~ConditionGraph() = default;

ConditionGraph::ConditionGraph(std::span<const Intent> batch) : batch_(batch) {
  index_batch();
  find_strata();
}

void ConditionGraph::index_batch() {
  const std::size_t n = batch_.size();
  node_of_.assign(n, -1);
  required_by_.assign(n, {});
  patterns_of_.assign(n, {});
  std::map<Hash32, std::size_t> first_of;  // id -> smallest batch index (duplicates are rejected)
  for (std::size_t i = 0; i < n; ++i) first_of.emplace(batch_[i].id, i);

  std::map<Hash32, int> group_of;
  std::map<std::string, int> pattern_of;
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> swaps_by_pair;
  std::map<Hash32, std::vector<std::size_t>> reveals_by_hash;
  for (std::size_t i = 0; i < n; ++i) {
    if (const Swap* s = traded_swap(batch_[i])) swaps_by_pair[{s->sell_asset, s->buy_asset}].push_back(i);
    if (const Reveal* r = batch_[i].reveal()) reveals_by_hash[r->hash].push_back(i);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Commit* commit = batch_[i].commit();
    if (!commit) continue;
    Commitment c;
    c.index = i;
    c.cond = &commit->condition;
    const std::size_t number = commitments_.size();
    node_of_[i] = static_cast<int>(number);
    switch (c.cond->type) {
      case ConditionType::requires_ids:
        for (const Hash32& id : c.cond->ids) {
          auto it = first_of.find(id);
          if (it == first_of.end())
            ++c.absent_ids;
          else
            c.required.push_back(it->second);
        }
        for (std::size_t r : c.required) required_by_[r].push_back(number);
        break;
      case ConditionType::mirror:
      case ConditionType::threshold: {
        auto [it, fresh] = group_of.emplace(commit->program, static_cast<int>(groups_.size()));
        if (fresh) {
          Group g;
          g.type = c.cond->type;
          if (g.type == ConditionType::threshold && !c.cond->of.empty()) g.of = &c.cond->of;
          groups_.push_back(std::move(g));
        }
        c.group = it->second;
        groups_[c.group].members.push_back(number);
        break;
      }
      case ConditionType::exists: {
        const SwapPattern& p = c.cond->pattern;
        // A condition never reads its own action: a commitment whose action matches its
        // own pattern gets a pattern of its own without itself in it (a shared one would
        // make it depend on itself, a cycle through negation for an "unless").
        const bool self = matches(p, batch_[i]);
        const std::string key = self ? pattern_key(p) + "#" + std::to_string(i) : pattern_key(p);
        auto [it, fresh] = pattern_of.emplace(key, static_cast<int>(patterns_.size()));
        if (fresh) {
          Pattern pat;
          pat.pattern = &p;
          auto swaps = swaps_by_pair.find({p.sell_asset, p.buy_asset});
          if (swaps != swaps_by_pair.end()) {
            for (std::size_t k : swaps->second)
              if (k != (self ? i : n) && matches(p, batch_[k])) pat.matches.push_back(k);
          }
          for (std::size_t k : pat.matches) patterns_of_[k].push_back(patterns_.size());
          patterns_.push_back(std::move(pat));
        }
        c.pattern = it->second;
        patterns_[c.pattern].users.push_back(number);
        break;
      }
      case ConditionType::reveals:
        if (auto it = reveals_by_hash.find(c.cond->hash); it != reveals_by_hash.end()) c.reveals = it->second;
        break;
    }
    commitments_.push_back(std::move(c));
  }
}

// Tarjan's strongly connected components over commitments, groups and patterns (an
// iterative walk: a chain of 10,000 requires must not overflow the stack), then strata.
void ConditionGraph::find_strata() {
  const std::size_t nc = commitments_.size(), ng = groups_.size(), np = patterns_.size();
  DependencyGraph out(nc + ng + np);
  for (std::size_t c = 0; c < nc; ++c) {
    const Commitment& m = commitments_[c];
    // A "pools" fallback trades whatever its condition says: it depends on nothing.
    if (m.cond->fallback == Fallback::pools) continue;
    const bool neg = m.cond->negated;
    for (std::size_t r : m.required)
      if (node_of_[r] >= 0) out[c].push_back({static_cast<std::size_t>(node_of_[r]), neg});
    if (m.group >= 0) out[c].push_back({nc + static_cast<std::size_t>(m.group), false});
    if (m.pattern >= 0) out[c].push_back({nc + ng + static_cast<std::size_t>(m.pattern), neg});
  }
  for (std::size_t g = 0; g < ng; ++g)
    for (std::size_t member : groups_[g].members) out[nc + g].push_back({member, false});
  for (std::size_t p = 0; p < np; ++p)
    for (std::size_t k : patterns_[p].matches)
      if (node_of_[k] >= 0) out[nc + ng + p].push_back({static_cast<std::size_t>(node_of_[k]), false});

  const Components sccs = strongly_connected(out);
  const ComponentStrata strata = component_strata(out, sccs);
  for (std::size_t k = 0; k < sccs.members.size(); ++k) {
    for (std::size_t v : sccs.members[k]) {
      if (v >= nc) continue;
      commitments_[v].cycle = strata.cycle[k];
      commitments_[v].stratum = strata.stratum[k];
    }
  }
  int top = 0;
  for (const Commitment& c : commitments_) top = std::max(top, c.stratum);
  by_stratum_.assign(static_cast<std::size_t>(top) + 1, {});
  for (std::size_t c = 0; c < nc; ++c) by_stratum_[commitments_[c].stratum].push_back(c);
}

bool ConditionGraph::in_negation_cycle(std::size_t i) const {
  return node_of_[i] >= 0 && commitments_[node_of_[i]].cycle;
}

ConditionFailure ConditionGraph::negation_cycle_failure(std::size_t i) const {
  const Commitment& c = commitments_[node_of_[i]];
  std::vector<Hash32> related;
  for (std::size_t r : c.required) related.push_back(batch_[r].id);
  return {"negation_cycle",
          "this commitment's condition depends on its own negation through other commitments of this batch "
          "(a cycle through \"unless\"); such commitments are left out and stay pending",
          std::move(related)};
}

bool ConditionGraph::counts(const Group& g, const PublicKey& signer) const {
  return !g.of || std::binary_search(g.of->begin(), g.of->end(), signer);
}

bool ConditionGraph::holds(std::size_t number, const Counters& k) const {
  const Commitment& c = commitments_[number];
  const Condition& cond = *c.cond;
  const Intent& in = batch_[c.index];
  bool inner = false;
  switch (cond.type) {
    case ConditionType::requires_ids:
      inner = k.missing[number] == 0;
      break;
    case ConditionType::exists:
      inner = k.matches[c.pattern] >= 1;
      break;
    case ConditionType::mirror:
      if (cond.with) {
        auto it = k.pairs.find({c.group, *cond.with, in.signer});
        inner = it != k.pairs.end() && it->second > 0;
      } else {
        const auto& bs = k.by_signer[c.group];
        auto mine = bs.find(in.signer);
        const int self = mine != bs.end() && mine->second > 0 ? 1 : 0;
        inner = k.distinct[c.group] - self >= 1;
      }
      break;
    case ConditionType::threshold:
      inner = k.distinct[c.group] >= static_cast<int>(cond.k);
      break;
    case ConditionType::reveals:
      inner = k.revealed[number] > 0;
      break;
  }
  return cond.negated ? !inner : inner;
}

ConditionFailure ConditionGraph::explain(std::size_t number, const Counters& k) const {
  const Commitment& c = commitments_[number];
  const Condition& cond = *c.cond;
  const Intent& in = batch_[c.index];
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
        for (std::size_t m : p.matches)
          if (k.in_set[m] && m != c.index) f.related.push_back(batch_[m].id);
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
    case ConditionType::reveals:
      explain_reveals(c, k, f);
      break;
  }
  return f;
}

// A reveals condition that failed: nothing revealed the hash (or, under unless, these did).
void ConditionGraph::explain_reveals(const Commitment& c, const Counters& k, ConditionFailure& f) const {
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

// The counts at the start of a resolution: every intent in play (and in no negation
// cycle) is in the set.
ConditionGraph::Counters ConditionGraph::initial_counters(const std::vector<bool>& in_play) const {
  const std::size_t n = batch_.size();
  Counters k;
  k.in_set.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) k.in_set[i] = in_play[i] && !in_negation_cycle(i);
  k.entered = k.in_set;
  k.missing.assign(commitments_.size(), 0);
  for (std::size_t c = 0; c < commitments_.size(); ++c) {
    k.missing[c] = commitments_[c].absent_ids;
    for (std::size_t r : commitments_[c].required)
      if (!k.in_set[r]) ++k.missing[c];
  }
  k.by_signer.assign(groups_.size(), {});
  k.distinct.assign(groups_.size(), 0);
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (std::size_t m : groups_[g].members) {
      const Intent& in = batch_[commitments_[m].index];
      if (!k.in_set[commitments_[m].index]) continue;
      if (++k.by_signer[g][in.signer] == 1 && counts(groups_[g], in.signer)) ++k.distinct[g];
      if (const auto& with = commitments_[m].cond->with) ++k.pairs[{static_cast<int>(g), in.signer, *with}];
    }
  }
  k.matches.assign(patterns_.size(), 0);
  for (std::size_t p = 0; p < patterns_.size(); ++p)
    for (std::size_t m : patterns_[p].matches)
      if (k.in_set[m]) ++k.matches[p];
  k.revealed.assign(commitments_.size(), 0);
  for (std::size_t c = 0; c < commitments_.size(); ++c)
    for (std::size_t r : commitments_[c].reveals)
      if (k.in_set[r]) ++k.revealed[c];
  return k;
}

// Commitment c leaves the set: the counts it was in fall, and the commitments whose
// condition may now fail are appended to `touched`.
void ConditionGraph::depart(std::size_t c, Counters& k, std::vector<std::size_t>& touched) const {
  const Commitment& m = commitments_[c];
  k.in_set[m.index] = false;
  for (std::size_t d : required_by_[m.index]) {
    ++k.missing[d];
    touched.push_back(d);
  }
  for (std::size_t p : patterns_of_[m.index]) {
    if (--k.matches[p] == 0)
      for (std::size_t u : patterns_[p].users) touched.push_back(u);
  }
  if (m.group < 0) return;
  const Group& g = groups_[m.group];
  const PublicKey& signer = batch_[m.index].signer;
  const bool signer_gone = --k.by_signer[m.group][signer] == 0;
  if (signer_gone && counts(g, signer)) {
    const int left = --k.distinct[m.group];
    // Conditions flip only when the count crosses their bound: push the members then
    // (once for a threshold, twice for a mirror), not on every departure.
    const bool crossed = g.type == ConditionType::threshold ? left == static_cast<int>(m.cond->k) - 1 : left <= 1;
    if (crossed)
      for (std::size_t u : g.members) touched.push_back(u);
  }
  if (m.cond->with) {
    auto it = k.pairs.find({m.group, signer, *m.cond->with});
    if (--it->second == 0)
      for (std::size_t u : g.members)
        if (batch_[commitments_[u].index].signer == *m.cond->with) touched.push_back(u);
  }
}

// The greatest fixed point of stratum s: peels every commitment whose condition fails
// on the current set (a "pools" fallback stays: it trades as a plain swap instead) until
// none does; the peeled ones are appended to `dropped`.
void ConditionGraph::peel_stratum(std::size_t s, Counters& k, std::vector<std::size_t>& dropped) const {
  std::vector<std::size_t> work(by_stratum_[s].rbegin(), by_stratum_[s].rend());  // pops ascending
  std::vector<std::size_t> touched;
  while (!work.empty()) {
    const std::size_t c = work.back();
    work.pop_back();
    const Commitment& m = commitments_[c];
    if (!k.in_set[m.index] || holds(c, k)) continue;
    if (m.cond->fallback == Fallback::pools) continue;
    dropped.push_back(c);
    touched.clear();
    depart(c, k, touched);
    for (std::size_t u : touched) {
      if (commitments_[u].stratum == static_cast<int>(s) && k.in_set[commitments_[u].index]) work.push_back(u);
    }
  }
}

ConditionGraph::Verdict ConditionGraph::resolve(const std::vector<bool>& in_play) const {
  const std::size_t n = batch_.size();
  Verdict v;
  v.keep.assign(n, false);
  v.by_fallback.assign(n, false);
  v.why.assign(n, std::nullopt);
  Counters k = initial_counters(in_play);
  std::vector<std::size_t> dropped;
  for (std::size_t s = 0; s < by_stratum_.size(); ++s) peel_stratum(s, k, dropped);
  // Explained against the final set, not at the moment of removal: the order in which
  // the peeling met them depends on the batch order, the final set does not. A removed
  // commitment's condition fails on the final set too (monotone conditions fail on every
  // subset; a negated one reads lower strata, final before its stratum began).
  for (std::size_t c : dropped) v.why[commitments_[c].index] = explain(c, k);
  for (std::size_t c = 0; c < commitments_.size(); ++c) {
    const Commitment& m = commitments_[c];
    if (!k.in_set[m.index]) continue;
    v.keep[m.index] = true;
    v.by_fallback[m.index] = m.cond->fallback == Fallback::pools && !holds(c, k);
  }
  return v;
}

}  // namespace pactum::matching
