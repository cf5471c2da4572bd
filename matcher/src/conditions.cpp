#include "conditions.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "condition_counters.hpp"
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

}  // namespace

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

// The maps index_batch() builds and index_leaf() reads.
struct ConditionGraph::Indexing {
  std::map<Hash32, std::size_t> first_of;                  // id -> smallest batch index (duplicates are rejected)
  std::map<Hash32, std::vector<std::size_t>> by_program;   // program hash -> commitment numbers
  std::map<std::pair<Hash32, std::size_t>, int> group_of;  // (program, leaf position)
  std::map<std::string, int> pattern_of;
  std::map<std::pair<Hash32, std::optional<PublicKey>>, int> target_of;
  std::map<Hash32, std::vector<std::size_t>> reveals_by_hash;  // SHA-256 of a preimage -> its reveals
};

// One leaf of commitment `number`'s tree, at `position` in it: what it reads.
void ConditionGraph::index_leaf(Indexing& ix, std::size_t number, const Condition& cond, std::size_t position) {
  const std::size_t i = commitments_[number].index;
  const Commit& commit = *batch_[i].commit();
  Leaf l;
  l.cond = &cond;
  l.owner = number;
  const std::size_t leaf = leaves_.size();
  switch (cond.type) {
    case ConditionType::requires_ids:
      for (const Hash32& id : cond.ids) {
        auto it = ix.first_of.find(id);
        if (it == ix.first_of.end())
          ++l.absent_ids;
        else
          l.required.push_back(it->second);
      }
      for (std::size_t r : l.required) required_by_[r].push_back(leaf);
      break;
    case ConditionType::mirror:
    case ConditionType::threshold: {
      auto [it, fresh] = ix.group_of.emplace(std::pair{commit.program, position}, static_cast<int>(groups_.size()));
      if (fresh) {
        Group g;
        g.type = cond.type;
        g.k = cond.k;
        g.position = position;
        if (g.type == ConditionType::threshold && !cond.of.empty()) g.of = &cond.of;
        groups_.push_back(std::move(g));
      }
      l.group = it->second;
      groups_[l.group].members.push_back(number);
      break;
    }
    case ConditionType::exists: {
      const SwapPattern& p = cond.pattern;
      // A condition never reads its own action: a commitment whose action matches its
      // own pattern gets a pattern of its own without itself in it (a shared one would
      // make it depend on itself, a cycle through negation for an "unless").
      const bool self = matches(p, batch_[i]);
      const std::string key = self ? pattern_key(p) + "#" + std::to_string(i) : pattern_key(p);
      auto [it, fresh] = ix.pattern_of.emplace(key, static_cast<int>(patterns_.size()));
      if (fresh) patterns_.push_back(make_pattern(p, self ? i : batch_.size()));
      l.pattern = it->second;
      patterns_[l.pattern].users.push_back(number);
      if (p.has_amount_bounds() && (bounded_.empty() || bounded_.back() != number)) bounded_.push_back(number);
      break;
    }
    case ConditionType::program: {
      auto [it, fresh] = ix.target_of.emplace(std::pair{cond.program, cond.signer}, static_cast<int>(targets_.size()));
      if (fresh) {
        Target t;
        auto members = ix.by_program.find(cond.program);
        if (members != ix.by_program.end())
          for (std::size_t m : members->second)
            if (!cond.signer || batch_[commitments_[m].index].signer == *cond.signer) t.members.push_back(m);
        for (std::size_t m : t.members) targets_of_[m].push_back(targets_.size());
        targets_.push_back(std::move(t));
      }
      l.target = it->second;
      targets_[l.target].users.push_back(number);
      break;
    }
    case ConditionType::reveals:
      if (auto it = ix.reveals_by_hash.find(cond.hash); it != ix.reveals_by_hash.end()) l.reveals = it->second;
      break;
    default:
      break;
  }
  leaves_.push_back(std::move(l));
}

void ConditionGraph::index_batch() {
  const std::size_t n = batch_.size();
  node_of_.assign(n, -1);
  required_by_.assign(n, {});
  Indexing ix;
  for (std::size_t i = 0; i < n; ++i) {
    ix.first_of.emplace(batch_[i].id, i);
    if (const Reveal* r = batch_[i].reveal()) ix.reveals_by_hash[r->hash].push_back(i);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!batch_[i].commit()) continue;
    node_of_[i] = static_cast<int>(commitments_.size());
    commitments_.emplace_back();
    commitments_.back().index = i;
    commitments_.back().cond = &batch_[i].commit()->condition;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (node_of_[i] >= 0) ix.by_program[batch_[i].commit()->program].push_back(static_cast<std::size_t>(node_of_[i]));

  targets_of_.assign(commitments_.size(), {});
  index_rates();
  for (std::size_t i = 0; i < n; ++i) {
    if (node_of_[i] < 0) continue;
    const std::size_t number = static_cast<std::size_t>(node_of_[i]);
    Commitment& c = commitments_[number];
    c.first_leaf = leaves_.size();
    std::size_t position = 0;
    for_each_leaf(*c.cond, [&](const Condition& leaf) { index_leaf(ix, number, leaf, position++); });
    commitments_[number].leaf_count = leaves_.size() - commitments_[number].first_leaf;
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
    if (const Commit* c = batch_[i].commit()) {
      for_each_leaf(c->condition, [&](const Condition& leaf) {
        if (leaf.type == ConditionType::exists && leaf.pattern.signer)
          signers.emplace(leaf.pattern.sell_asset, leaf.pattern.buy_asset, *leaf.pattern.signer);
      });
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
  const std::size_t nc = commitments_.size(), ng = groups_.size(), np = patterns_.size(), nt = targets_.size();
  // Segment tree nodes 1 .. m-1 of each rate index of m swaps (leaves m .. 2m-1 are the
  // swaps themselves): node t reaches its children 2t and 2t+1.
  std::size_t nodes = nc + ng + np + nt;
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
    for (std::size_t l = m.first_leaf; l < m.first_leaf + m.leaf_count; ++l) {
      const Leaf& leaf = leaves_[l];
      const bool neg = leaf.cond->negated;
      for (std::size_t r : leaf.required)
        if (node_of_[r] >= 0) out[c].push_back({static_cast<std::size_t>(node_of_[r]), neg});
      if (leaf.group >= 0) out[c].push_back({nc + static_cast<std::size_t>(leaf.group), false});
      if (leaf.pattern >= 0) out[c].push_back({nc + ng + static_cast<std::size_t>(leaf.pattern), neg});
      if (leaf.target >= 0) out[c].push_back({nc + ng + np + static_cast<std::size_t>(leaf.target), neg});
    }
  }
  for (std::size_t t = 0; t < nt; ++t)
    for (std::size_t member : targets_[t].members) out[nc + ng + np + t].push_back({member, false});
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
  for (std::size_t l = c.first_leaf; l < c.first_leaf + c.leaf_count; ++l)
    for (std::size_t r : leaves_[l].required) related.push_back(batch_[r].id);
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
  std::size_t next = c.first_leaf;
  return tree_holds(*c.cond, next, k);
}

// Every leaf is read (no short cut), so that `next_leaf` walks the leaves in order.
bool ConditionGraph::tree_holds(const Condition& c, std::size_t& next_leaf, const Counters& k) const {
  if (c.is_leaf()) return leaf_holds(next_leaf++, k);
  bool all = true, any = false;
  for (const Condition& child : c.children) {
    const bool h = tree_holds(child, next_leaf, k);
    all = all && h;
    any = any || h;
  }
  return c.type == ConditionType::all ? all : any;
}

bool ConditionGraph::leaf_holds(std::size_t leaf, const Counters& k) const {
  const Leaf& l = leaves_[leaf];
  const Condition& cond = *l.cond;
  const std::size_t self_index = commitments_[l.owner].index;
  const Intent& in = batch_[self_index];
  bool inner = false;
  switch (cond.type) {
    case ConditionType::requires_ids:
      inner = k.missing[leaf] == 0;
      break;
    case ConditionType::exists:
      inner = patterns_[l.pattern].index >= 0 && k.witness[l.pattern] < patterns_[l.pattern].hi;
      if (inner && k.sold && cond.pattern.has_amount_bounds()) inner = !sold_within(leaf, k).empty();
      break;
    case ConditionType::program: {
      // Another commitment: this one counts itself out when it is a member.
      const auto& members = targets_[l.target].members;
      const bool self = k.in_set[self_index] && std::binary_search(members.begin(), members.end(), l.owner);
      inner = k.target_count[l.target] - (self ? 1 : 0) >= 1;
      break;
    }
    case ConditionType::mirror:
      if (cond.with) {
        auto it = k.pairs.find({l.group, *cond.with, in.signer});
        inner = it != k.pairs.end() && it->second > 0;
      } else {
        const auto& bs = k.by_signer[l.group];
        auto mine = bs.find(in.signer);
        const int self = mine != bs.end() && mine->second > 0 ? 1 : 0;
        inner = k.distinct[l.group] - self >= 1;
      }
      break;
    case ConditionType::threshold:
      inner = k.distinct[l.group] >= static_cast<int>(cond.k);
      break;
    case ConditionType::reveals:
      inner = k.revealed[leaf] > 0;
      break;
    default:
      break;
  }
  return cond.negated ? !inner : inner;
}

// The counts at the start of a resolution: every intent in play (and in no negation
// cycle) is in the set.
ConditionGraph::Counters ConditionGraph::initial_counters(const std::vector<bool>& in_play) const {
  const std::size_t n = batch_.size();
  Counters k;
  k.in_set.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) k.in_set[i] = in_play[i] && !in_negation_cycle(i);
  k.entered = k.in_set;
  k.missing.assign(leaves_.size(), 0);
  for (std::size_t l = 0; l < leaves_.size(); ++l) {
    k.missing[l] = leaves_[l].absent_ids;
    for (std::size_t r : leaves_[l].required)
      if (!k.in_set[r]) ++k.missing[l];
  }
  // Reveals are never commitments: no peeling changes these.
  k.revealed.assign(leaves_.size(), 0);
  for (std::size_t l = 0; l < leaves_.size(); ++l)
    for (std::size_t r : leaves_[l].reveals)
      if (k.in_set[r]) ++k.revealed[l];
  k.target_count.assign(targets_.size(), 0);
  for (std::size_t t = 0; t < targets_.size(); ++t)
    for (std::size_t m : targets_[t].members)
      if (k.in_set[commitments_[m].index]) ++k.target_count[t];
  k.by_signer.assign(groups_.size(), {});
  k.distinct.assign(groups_.size(), 0);
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (std::size_t m : groups_[g].members) {
      const Intent& in = batch_[commitments_[m].index];
      if (!k.in_set[commitments_[m].index]) continue;
      if (++k.by_signer[g][in.signer] == 1 && counts(groups_[g], in.signer)) ++k.distinct[g];
      const Condition& leaf = *leaves_[commitments_[m].first_leaf + groups_[g].position].cond;
      if (leaf.with) ++k.pairs[{static_cast<int>(g), in.signer, *leaf.with}];
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
    touched.push_back(leaves_[d].owner);
  }
  // The programs naming it: a reader fails when no other member is left.
  for (std::size_t t : targets_of_[c]) {
    if (--k.target_count[t] <= 1)
      for (std::size_t u : targets_[t].users) touched.push_back(u);
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
  const PublicKey& signer = batch_[m.index].signer;
  for (std::size_t l = m.first_leaf; l < m.first_leaf + m.leaf_count; ++l) {
    const Leaf& leaf = leaves_[l];
    if (leaf.group < 0) continue;
    const Group& g = groups_[leaf.group];
    const bool signer_gone = --k.by_signer[leaf.group][signer] == 0;
    if (signer_gone && counts(g, signer)) {
      const int left = --k.distinct[leaf.group];
      // Conditions flip only when the count crosses their bound: push the members then
      // (once for a threshold, twice for a mirror), not on every departure.
      const bool crossed = g.type == ConditionType::threshold ? left == static_cast<int>(g.k) - 1 : left <= 1;
      if (crossed)
        for (std::size_t u : g.members) touched.push_back(u);
    }
    if (leaf.cond->with) {
      auto it = k.pairs.find({leaf.group, signer, *leaf.cond->with});
      if (--it->second == 0)
        for (std::size_t u : g.members)
          if (batch_[commitments_[u].index].signer == *leaf.cond->with) touched.push_back(u);
    }
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
