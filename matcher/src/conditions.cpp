#include "conditions.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "dependency_graph.hpp"
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

}  // namespace

// What resolve() tracks while it peels: the set and the counts each condition reads.
struct ConditionGraph::Counters {
  std::vector<bool> in_set;                                    // per batch index
  std::vector<bool> entered;                                   // per batch index: in play when resolve began
  std::vector<std::size_t> missing;                            // per commitment (requires)
  std::vector<std::map<PublicKey, int>> by_signer;             // per group: members in the set
  std::vector<int> distinct;                                   // per group: counted signers in the set
  std::map<std::tuple<int, PublicKey, PublicKey>, int> pairs;  // (group, signer, with): named mirrors
  // Per rate index, over its positions and one past the end: the next position whose swap
  // is in the set (a union-find with path compression; swaps only ever leave the set).
  std::vector<std::vector<std::size_t>> next_in_set;
  std::vector<std::size_t> witness;                            // per pattern: a match in the set, or hi: none
  std::vector<std::vector<std::vector<std::size_t>>> watched;  // per rate index and position: patterns it witnesses
};

namespace {
std::size_t find_in_set(std::vector<std::size_t>& next, std::size_t pos) {
  std::size_t root = pos;
  while (next[root] != root) root = next[root];
  while (next[pos] != root) pos = std::exchange(next[pos], root);
  return root;
}
}  // namespace

// The first match of `pattern` in the set at or after position `from`, or its hi.
std::size_t ConditionGraph::first_match(std::size_t pattern, std::size_t from, Counters& k) const {
  const Pattern& p = patterns_[pattern];
  std::vector<std::size_t>& next = k.next_in_set[p.index];
  std::size_t pos = find_in_set(next, from);
  if (pos == p.skip) pos = find_in_set(next, pos + 1);
  return std::min(pos, p.hi);
}

std::vector<std::size_t> ConditionGraph::matches_of(std::size_t pattern, const Counters& k) const {
  const Pattern& p = patterns_[pattern];
  std::vector<std::size_t> out;
  if (p.index < 0) return out;
  const std::vector<std::size_t>& order = rate_indexes_[p.index].order;
  for (std::size_t pos = p.lo; pos < p.hi; ++pos)
    if (pos != p.skip && k.in_set[order[pos]]) out.push_back(order[pos]);
  return out;
}

ConditionGraph::~ConditionGraph() = default;

ConditionGraph::ConditionGraph(std::span<const Intent> batch) : batch_(batch) {
  index_batch();
  find_strata();
}

void ConditionGraph::index_batch() {
  const std::size_t n = batch_.size();
  node_of_.assign(n, -1);
  required_by_.assign(n, {});
  std::map<Hash32, std::size_t> first_of;  // id -> smallest batch index (duplicates are rejected)
  for (std::size_t i = 0; i < n; ++i) first_of.emplace(batch_[i].id, i);

  std::map<Hash32, int> group_of;
  std::map<std::string, int> pattern_of;
  index_rates();
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
        if (fresh) patterns_.push_back(make_pattern(p, self ? i : n));
        c.pattern = it->second;
        patterns_[c.pattern].users.push_back(number);
        break;
      }
    }
    commitments_.push_back(std::move(c));
  }
}

// The rate indexes: every pair's swaps, and every (pair, signer) a pattern names, sorted
// by limit rate. Exact: rates compare by cross-multiplication.
void ConditionGraph::index_rates() {
  const std::size_t n = batch_.size();
  positions_of_.assign(n, {});
  std::vector<BigInt> buy(n), sell(n);
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_pair;
  for (std::size_t i = 0; i < n; ++i) {
    if (const Swap* s = traded_swap(batch_[i])) {
      by_pair[{s->sell_asset, s->buy_asset}].push_back(i);
      buy[i] = to_big(s->buy_amount);
      sell[i] = to_big(s->sell_amount);
    }
  }
  std::set<std::tuple<std::string, std::string, PublicKey>> signers;  // the (pair, signer) patterns name
  for (std::size_t i = 0; i < n; ++i) {
    const Commit* c = batch_[i].commit();
    if (c && c->condition.type == ConditionType::exists && c->condition.pattern.signer) {
      const SwapPattern& p = c->condition.pattern;
      signers.emplace(p.sell_asset, p.buy_asset, *p.signer);
    }
  }
  auto add = [&](std::tuple<std::string, std::string, std::optional<PublicKey>> key, std::vector<std::size_t> order) {
    const int number = static_cast<int>(rate_indexes_.size());
    for (std::size_t pos = 0; pos < order.size(); ++pos) positions_of_[order[pos]].emplace_back(number, pos);
    rate_indexes_.push_back(RateIndex{std::move(order), 0});
    rate_index_of_.emplace(std::move(key), number);
  };
  for (auto& [pair, order] : by_pair) {
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const BigInt lhs = buy[a] * sell[b], rhs = buy[b] * sell[a];
      return lhs != rhs ? lhs < rhs : a < b;
    });
    for (auto it = signers.lower_bound({pair.first, pair.second, PublicKey{}});
         it != signers.end() && std::get<0>(*it) == pair.first && std::get<1>(*it) == pair.second; ++it) {
      std::vector<std::size_t> mine;
      for (std::size_t i : order)
        if (batch_[i].signer == std::get<2>(*it)) mine.push_back(i);
      add({pair.first, pair.second, std::get<2>(*it)}, std::move(mine));
    }
    add({pair.first, pair.second, std::nullopt}, order);
  }
}

// A pattern's run: the swaps of its pair (and signer) whose rate lies within its bounds,
// found by binary search; `self` (a batch index, or the batch size for none) is skipped.
ConditionGraph::Pattern ConditionGraph::make_pattern(const SwapPattern& p, std::size_t self) const {
  Pattern pat;
  pat.pattern = &p;
  auto it = rate_index_of_.find({p.sell_asset, p.buy_asset, p.signer});
  if (it == rate_index_of_.end()) return pat;
  pat.index = it->second;
  const std::vector<std::size_t>& order = rate_indexes_[it->second].order;
  auto below = [&](const Rate& r, bool or_equal) {  // rate(i) < r, or <= r
    return [&, or_equal](std::size_t i) {
      const Swap& s = *traded_swap(batch_[i]);
      const BigInt lhs = to_big(s.buy_amount) * to_big(r.den), rhs = to_big(r.num) * to_big(s.sell_amount);
      return or_equal ? lhs <= rhs : lhs < rhs;
    };
  };
  pat.lo = p.min_rate ? static_cast<std::size_t>(
                            std::partition_point(order.begin(), order.end(), below(*p.min_rate, false)) - order.begin())
                      : 0;
  pat.hi = p.max_rate ? static_cast<std::size_t>(
                            std::partition_point(order.begin(), order.end(), below(*p.max_rate, true)) - order.begin())
                      : order.size();
  pat.hi = std::max(pat.hi, pat.lo);
  if (self < positions_of_.size())
    for (const auto& [index, pos] : positions_of_[self])
      if (index == pat.index) pat.skip = pos;
  return pat;
}

// Tarjan's strongly connected components over commitments, groups and patterns (an
// iterative walk: a chain of 10,000 requires must not overflow the stack), then strata.
void ConditionGraph::find_strata() {
  const std::size_t nc = commitments_.size(), ng = groups_.size(), np = patterns_.size();
  // Segment tree nodes 1 .. m-1 of each rate index of m swaps (leaves m .. 2m-1 are the
  // swaps themselves): node t reaches its children 2t and 2t+1.
  std::size_t nodes = nc + ng + np;
  for (RateIndex& r : rate_indexes_) {
    r.first_node = nodes;
    nodes += r.order.size() > 1 ? r.order.size() - 1 : 0;
  }
  DependencyGraph out(nodes);
  // The edge to segment tree node t of index r: a leaf is its swap's commitment (a plain
  // swap is no node: it depends on nothing).
  auto tree_edge = [&](std::vector<Edge>& from, const RateIndex& r, std::size_t t) {
    const std::size_t m = r.order.size();
    if (t < m) {
      from.push_back({r.first_node + t - 1, false});
    } else if (node_of_[r.order[t - m]] >= 0) {
      from.push_back({static_cast<std::size_t>(node_of_[r.order[t - m]]), false});
    }
  };
  for (const RateIndex& r : rate_indexes_) {
    for (std::size_t t = 1; t < r.order.size(); ++t) {
      tree_edge(out[r.first_node + t - 1], r, 2 * t);
      tree_edge(out[r.first_node + t - 1], r, 2 * t + 1);
    }
  }
  // A pattern reaches the O(log m) tree nodes that cover its run (bottom-up decomposition).
  auto cover = [&](std::vector<Edge>& from, const RateIndex& r, std::size_t lo, std::size_t hi) {
    const std::size_t m = r.order.size();
    for (std::size_t l = lo + m, h = hi + m; l < h; l >>= 1, h >>= 1) {
      if (l & 1) tree_edge(from, r, l++);
      if (h & 1) tree_edge(from, r, --h);
    }
  };
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
  for (std::size_t p = 0; p < np; ++p) {
    const Pattern& pat = patterns_[p];
    if (pat.index < 0) continue;
    const RateIndex& r = rate_indexes_[pat.index];
    if (pat.skip >= pat.lo && pat.skip < pat.hi) {
      cover(out[nc + ng + p], r, pat.lo, pat.skip);
      cover(out[nc + ng + p], r, pat.skip + 1, pat.hi);
    } else {
      cover(out[nc + ng + p], r, pat.lo, pat.hi);
    }
  }

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
      inner = patterns_[c.pattern].index >= 0 && k.witness[c.pattern] < patterns_[c.pattern].hi;
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
  }
  return f;
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
  k.next_in_set.resize(rate_indexes_.size());
  k.watched.resize(rate_indexes_.size());
  for (std::size_t r = 0; r < rate_indexes_.size(); ++r) {
    const std::vector<std::size_t>& order = rate_indexes_[r].order;
    std::vector<std::size_t>& next = k.next_in_set[r];
    next.resize(order.size() + 1);
    for (std::size_t pos = 0; pos <= order.size(); ++pos)
      next[pos] = pos == order.size() || k.in_set[order[pos]] ? pos : pos + 1;
    k.watched[r].assign(order.size(), {});
  }
  k.witness.assign(patterns_.size(), 0);
  for (std::size_t p = 0; p < patterns_.size(); ++p) {
    if (patterns_[p].index < 0) continue;
    k.witness[p] = first_match(p, patterns_[p].lo, k);
    if (k.witness[p] < patterns_[p].hi) k.watched[patterns_[p].index][k.witness[p]].push_back(p);
  }
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
  // Its swap leaves every rate index; each pattern it witnessed looks further along its
  // run, and one that finds nothing has no match left.
  for (const auto& [r, pos] : positions_of_[m.index]) {
    k.next_in_set[r][pos] = pos + 1;
    const std::vector<std::size_t> watchers = std::exchange(k.watched[r][pos], {});
    for (std::size_t p : watchers) {
      k.witness[p] = first_match(p, pos + 1, k);
      if (k.witness[p] < patterns_[p].hi)
        k.watched[r][k.witness[p]].push_back(p);
      else
        for (std::size_t u : patterns_[p].users) touched.push_back(u);
    }
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
