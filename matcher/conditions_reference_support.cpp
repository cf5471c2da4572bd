// The accounts of the conditions tests, the brute-force reference semantics of
// conditional commitments (the rules at the top of conditions_property_test.cpp; it knows
// nothing of the matcher's ConditionGraph), and the printing of an instance
// (conditions_property.hpp).
#include <algorithm>
#include <bit>
#include <functional>
#include <set>

#include "conditions_property.hpp"

namespace pactum::conditions_test {

const Keys& keys() {
  static const Keys k = [] {
    Keys k;
    for (std::uint32_t i = 0; i <= kPot; ++i) {
      k.secret.push_back(dev_secret_key(i));
      k.pub.push_back(k.secret.back().public_key());
    }
    return k;
  }();
  return k;
}
const PublicKey& acct(std::uint32_t i) { return keys().pub.at(i); }

std::string name_of(const PublicKey& k) {
  for (std::uint32_t i = 0; i <= kPot; ++i)
    if (keys().pub[i] == k) return i == kPot ? "pot" : "dev" + std::to_string(i);
  return k == dust_account() ? "dust" : k.hex().substr(0, 8);
}

MapState make_state(const std::vector<bool>& poor) {
  MapState s;
  for (const std::string& a : kAssets) s.asset(a);
  for (std::uint32_t i = 0; i < kSigners; ++i)
    if (!poor[i])
      for (const std::string& a : kAssets) s.balance(acct(i), a, kRich);
  s.pool("AAA", "BBB", Amount(1'000'000'000'000ULL), Amount(1'000'000'000'000ULL), 30);
  return s;
}

namespace {

bool pattern_matches(const SwapPattern& p, const Intent& in) {
  const Swap* s = traded_swap(in);
  if (!s || s->sell_asset != p.sell_asset || s->buy_asset != p.buy_asset) return false;
  if (p.signer && *p.signer != in.signer) return false;
  const BigInt buy = BigInt(s->buy_amount), sell = BigInt(s->sell_amount);
  if (p.max_rate && buy * BigInt(p.max_rate->den) > BigInt(p.max_rate->num) * sell) return false;
  if (p.min_rate && buy * BigInt(p.min_rate->den) < BigInt(p.min_rate->num) * sell) return false;
  return true;
}

// The account a tree's mirror conditions name with `with`, if any.
std::optional<PublicKey> peer_of(const Condition& k) {
  std::optional<PublicKey> peer;
  for_each_leaf(k, [&](const Condition& leaf) {
    if (leaf.type == ConditionType::mirror && leaf.with && !peer) peer = leaf.with;
  });
  return peer;
}

// The program, abstracted: signer -> "self", a mirror's `with` -> "peer"; a program
// condition's hash left out (what it names is not part of the program). The tree as
// decoded (all/any children in normal-form order).
void condition_key(std::ostringstream& o, const Condition& k, const std::function<std::string(const PublicKey&)>& who) {
  o << " (" << static_cast<int>(k.type) << " neg=" << k.negated;
  for (const Condition& child : k.children) condition_key(o, child, who);
  std::vector<std::string> ids;
  for (const Hash32& id : k.ids) ids.push_back(id.hex());
  std::sort(ids.begin(), ids.end());
  for (const std::string& id : ids) o << " id=" << id;
  if (k.with) o << " with=peer";
  if (k.type == ConditionType::threshold) {
    o << " k=" << k.k;
    for (const PublicKey& p : k.of) o << " of=" << p.hex();
  }
  if (k.type == ConditionType::exists) {
    const SwapPattern& p = k.pattern;
    o << " P " << p.sell_asset << ">" << p.buy_asset;
    auto rate = [](const Rate& r) {  // in lowest terms: 1/2 and 2/4 are one bound
      const BigInt g = boost::multiprecision::gcd(BigInt(r.num), BigInt(r.den));
      return (BigInt(r.num) / g).str() + "/" + (BigInt(r.den) / g).str();
    };
    if (p.max_rate) o << " max=" << rate(*p.max_rate);
    if (p.min_rate) o << " min=" << rate(*p.min_rate);
    if (p.signer) o << " signer=" << who(*p.signer);
    o << " fallback=" << static_cast<int>(k.fallback);
  }
  if (k.type == ConditionType::program && k.signer) o << " signer=" << who(*k.signer);
  if (k.type == ConditionType::reveals) o << " hash=" << k.hash.hex();
  o << ")";
}

std::string program_key(const Intent& in) {
  const Commit& c = *in.commit();
  const std::optional<PublicKey> peer = peer_of(c.condition);
  const std::function<std::string(const PublicKey&)> who = [&](const PublicKey& p) {
    if (p == in.signer) return std::string("self");
    if (peer && p == *peer) return std::string("peer");
    return p.hex();
  };
  std::ostringstream o;
  if (const Transfer* t = c.transfer()) o << "T " << t->asset << " " << who(t->to) << " " << t->amount;
  if (const Swap* s = c.swap())
    o << "S " << s->sell_asset << " " << s->buy_asset << " " << (s->side == SwapSide::sell ? "sell" : "buy") << " "
      << s->sell_amount << " " << s->buy_amount << " " << s->partial;
  o << " |";
  condition_key(o, c.condition, who);
  return o.str();
}

bool executable(const MapState& s, const Intent& in) {
  const Commit* c = in.commit();
  if (const Transfer* t = c ? c->transfer() : in.transfer()) return s.balance(in.signer, t->asset) >= t->amount;
  const Swap* sw = traded_swap(in);
  return sw && s.balance(in.signer, sw->sell_asset) >= sw->sell_amount;
}

class Semantics {
 public:
  Semantics(const MapState& state, const std::vector<Intent>& batch) : b_(batch), n_(batch.size()) {
    r_.commitment.assign(n_, false);
    r_.exec.assign(n_, false);
    r_.program.assign(n_, "");
    for (std::size_t i = 0; i < n_; ++i) {
      index_of_.emplace(b_[i].id, i);
      if (!b_[i].commit()) continue;
      r_.commitment[i] = true;
      r_.exec[i] = executable(state, b_[i]);
      r_.program[i] = program_key(b_[i]);
    }
  }

  // One leaf of c's condition, before "unless", on `settled` (per batch index).
  bool leaf_inner(std::size_t c, const Condition& k, const std::vector<bool>& settled) const {
    const Intent& in = b_[c];
    switch (k.type) {
      case ConditionType::requires_ids:
        for (const Hash32& id : k.ids) {
          auto it = index_of_.find(id);
          if (it == index_of_.end() || !settled[it->second]) return false;
        }
        return true;
      case ConditionType::mirror:
        for (std::size_t d = 0; d < n_; ++d) {
          if (d == c || !settled[d] || !r_.commitment[d] || r_.program[d] != r_.program[c]) continue;
          if (!k.with && b_[d].signer != in.signer) return true;
          if (k.with && b_[d].signer == *k.with && peer_of(b_[d].commit()->condition) == in.signer) return true;
        }
        return false;
      case ConditionType::threshold: {
        std::set<PublicKey> who;
        for (std::size_t d = 0; d < n_; ++d) {
          if (!settled[d] || !r_.commitment[d] || r_.program[d] != r_.program[c]) continue;
          if (k.of.empty() || std::find(k.of.begin(), k.of.end(), b_[d].signer) != k.of.end()) who.insert(b_[d].signer);
        }
        return who.size() >= k.k;
      }
      case ConditionType::exists:
        for (std::size_t d = 0; d < n_; ++d)
          if (d != c && settled[d] && pattern_matches(k.pattern, b_[d])) return true;
        return false;
      case ConditionType::program:
        for (std::size_t d = 0; d < n_; ++d)
          if (d != c && settled[d] && reads_program(k, d)) return true;
        return false;
      case ConditionType::reveals:  // a reveal intent of the batch with that SHA-256 settles
        for (std::size_t d = 0; d < n_; ++d)
          if (settled[d] && b_[d].reveal() && sha256(as_bytes(b_[d].reveal()->preimage)) == k.hash) return true;
        return false;
      default:
        return false;
    }
  }
  // A program condition names d: a commitment with that program hash (and signer).
  bool reads_program(const Condition& k, std::size_t d) const {
    return r_.commitment[d] && b_[d].commit()->program == k.program && (!k.signer || b_[d].signer == *k.signer);
  }
  bool eval(std::size_t c, const Condition& k, const std::vector<bool>& settled) const {
    if (k.type == ConditionType::all || k.type == ConditionType::any) {
      bool all = true, any = false;
      for (const Condition& child : k.children) {
        const bool h = eval(c, child, settled);
        all = all && h;
        any = any || h;
      }
      return k.type == ConditionType::all ? all : any;
    }
    return k.negated != leaf_inner(c, k, settled);
  }
  bool holds(std::size_t c, const std::vector<bool>& settled) const {
    return eval(c, b_[c].commit()->condition, settled);
  }
  bool has_fallback(std::size_t c) const { return b_[c].commit()->condition.fallback == Fallback::pools; }

  Reference solve() {
    find_dependencies();
    find_negation_cycles();
    const int top = find_strata();
    const std::vector<bool> settled = brute_force(top);
    r_.settles.assign(n_, false);
    r_.fallback_used.assign(n_, false);
    for (std::size_t c = 0; c < n_; ++c) {
      if (!r_.commitment[c]) continue;
      r_.settles[c] = settled[c];
      r_.fallback_used[c] = settled[c] && has_fallback(c) && !holds(c, settled);
    }
    return r_;
  }

 private:
  // c -> d when c's condition reads whether d settles; negative through "unless".
  void find_dependencies() {
    r_.deps.assign(n_, {});
    for (std::size_t c = 0; c < n_; ++c) {
      if (!r_.commitment[c] || has_fallback(c)) continue;  // a fallback reads nothing to decide
      for_each_leaf(b_[c].commit()->condition, [&](const Condition& k) {
        for (std::size_t d = 0; d < n_; ++d) {
          if (!r_.commitment[d] || d == c) continue;
          bool reads = false;
          switch (k.type) {
            case ConditionType::requires_ids:
              reads = std::find(k.ids.begin(), k.ids.end(), b_[d].id) != k.ids.end();
              break;
            case ConditionType::mirror:
            case ConditionType::threshold:
              reads = r_.program[d] == r_.program[c];
              break;
            case ConditionType::exists:
              reads = pattern_matches(k.pattern, b_[d]);
              break;
            case ConditionType::program:
              reads = reads_program(k, d);
              break;
            default:
              break;
          }
          if (reads) r_.deps[c].push_back({d, k.negated});
        }
      });
    }
  }

  // Reachability (reflexive), then negation cycles: c on a closed walk through u -> v negative.
  void find_negation_cycles() {
    std::vector<std::vector<bool>> reach(n_, std::vector<bool>(n_, false));
    for (std::size_t c = 0; c < n_; ++c) {
      reach[c][c] = true;
      for (auto [d, neg] : r_.deps[c]) reach[c][d] = true;
    }
    for (std::size_t m = 0; m < n_; ++m)
      for (std::size_t a = 0; a < n_; ++a)
        if (reach[a][m])
          for (std::size_t z = 0; z < n_; ++z)
            if (reach[m][z]) reach[a][z] = true;
    r_.cycle.assign(n_, false);
    for (std::size_t c = 0; c < n_; ++c) {
      if (!r_.commitment[c]) continue;
      for (std::size_t u = 0; u < n_; ++u)
        for (auto [v, neg] : r_.deps[u])
          if (neg && reach[c][u] && reach[v][c]) r_.cycle[c] = true;
    }
  }

  // Strata: the most negative edges on a path (no positive-weight cycle remains).
  // Returns the top stratum.
  int find_strata() {
    r_.stratum.assign(n_, 0);
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t c = 0; c < n_; ++c) {
        if (!r_.commitment[c] || r_.cycle[c]) continue;
        for (auto [d, neg] : r_.deps[c]) {
          if (r_.cycle[d]) continue;
          const int want = r_.stratum[d] + (neg ? 1 : 0);
          if (want > r_.stratum[c]) {
            r_.stratum[c] = want;
            changed = true;
          }
        }
      }
    }
    int top = 0;
    for (std::size_t c = 0; c < n_; ++c)
      if (r_.commitment[c] && !r_.cycle[c]) top = std::max(top, r_.stratum[c]);
    r_.strata = top + 1;
    return top;
  }

  // Brute force, stratum by stratum: every subset of the stratum's executable commitments
  // against the lower strata's final sets; the largest consistent one settles (and must
  // be the union of all consistent ones). Returns what settles, per batch index.
  std::vector<bool> brute_force(int top) {
    std::vector<bool> settled(n_, false);
    for (std::size_t i = 0; i < n_; ++i) settled[i] = !r_.commitment[i];
    for (int s = 0; s <= top; ++s) {
      std::vector<std::size_t> members;
      for (std::size_t c = 0; c < n_; ++c)
        if (r_.commitment[c] && !r_.cycle[c] && r_.stratum[c] == s && r_.exec[c]) members.push_back(c);
      const std::size_t m = members.size();
      std::uint32_t best = 0, uni = 0;
      int best_size = -1;
      for (std::uint32_t mask = 0; mask < (1u << m); ++mask) {
        std::vector<bool> trial = settled;
        for (std::size_t j = 0; j < m; ++j)
          if (mask >> j & 1) trial[members[j]] = true;
        bool ok = true;
        for (std::size_t j = 0; j < m && ok; ++j)
          if (mask >> j & 1) ok = has_fallback(members[j]) || holds(members[j], trial);
        if (!ok) continue;
        uni |= mask;
        if (std::popcount(mask) > best_size) {
          best_size = std::popcount(mask);
          best = mask;
        }
      }
      if (uni != best && r_.problem.empty())
        r_.problem = "stratum " + std::to_string(s) + ": the union of the consistent sets is not consistent";
      for (std::size_t j = 0; j < m; ++j)
        if (best >> j & 1) settled[members[j]] = true;
    }
    return settled;
  }

  const std::vector<Intent>& b_;
  std::size_t n_;
  std::map<Hash32, std::size_t> index_of_;
  Reference r_;
};

std::string rate_text(const std::optional<Rate>& r) {
  return r ? amount_to_string(r->num) + "/" + amount_to_string(r->den) : "-";
}

}  // namespace

Reference reference_of(const MapState& state, const std::vector<Intent>& batch) {
  return Semantics(state, batch).solve();
}

// One condition of `describe`, the ids it names by batch index.
void condition_text(std::ostringstream& o, const Condition& k,
                    const std::function<std::string(const Hash32&)>& ref_id) {
  if (k.negated) o << "unless ";
  switch (k.type) {
    case ConditionType::requires_ids:
      o << "requires [";
      for (std::size_t j = 0; j < k.ids.size(); ++j) o << (j ? " " : "") << ref_id(k.ids[j]);
      o << "]";
      break;
    case ConditionType::mirror:
      o << "mirror" << (k.with ? " with " + name_of(*k.with) : "");
      break;
    case ConditionType::threshold:
      o << "threshold k=" << k.k;
      if (!k.of.empty()) {
        o << " of [";
        for (std::size_t j = 0; j < k.of.size(); ++j) o << (j ? " " : "") << name_of(k.of[j]);
        o << "]";
      }
      break;
    case ConditionType::exists:
      o << "exists " << k.pattern.sell_asset << "->" << k.pattern.buy_asset << " max_rate "
        << rate_text(k.pattern.max_rate) << " min_rate " << rate_text(k.pattern.min_rate)
        << (k.pattern.signer ? " signer " + name_of(*k.pattern.signer) : "")
        << (k.fallback == Fallback::pools ? " fallback pools" : "");
      break;
    case ConditionType::reveals:
      o << "reveals " << k.hash.hex().substr(0, 8);
      break;
    case ConditionType::program:
      o << "program " << k.program.hex().substr(0, 8) << (k.signer ? " signed by " + name_of(*k.signer) : "");
      break;
    case ConditionType::all:
    case ConditionType::any:
      o << (k.type == ConditionType::all ? "all" : "any") << " of " << k.children.size() << " (leaves:";
      for_each_leaf(k, [&](const Condition& leaf) {
        o << " " << (leaf.negated ? "unless " : "") << static_cast<int>(leaf.type);
        if (leaf.type == ConditionType::program) o << ":" << leaf.program.hex().substr(0, 8);
      });
      o << ")";
      break;
  }
}

std::string describe(const Instance& inst, const Reference* ref, const Settlement* st) {
  std::ostringstream o;
  o << "poor accounts:";
  for (std::uint32_t i = 0; i < kSigners; ++i)
    if (inst.poor[i]) o << " dev" << i;
  o << "\n";
  std::map<Hash32, std::size_t> idx;
  for (std::size_t i = 0; i < inst.batch.size(); ++i) idx[inst.batch[i].id] = i;
  auto ref_id = [&](const Hash32& h) {
    auto it = idx.find(h);
    // Appended, not "#" + ...: GCC 12 warns falsely (-Wrestrict) on that once inlined here.
    std::string out = it == idx.end() ? "absent:" : "#";
    out += it == idx.end() ? h.hex().substr(0, 8) : std::to_string(it->second);
    return out;
  };
  auto swap_text = [](const Swap& s) {
    return "swap " + s.sell_asset + "->" + s.buy_asset + " " + (s.side == SwapSide::sell ? "sell " : "buy ") +
           amount_to_string(s.sell_amount) + " for " + amount_to_string(s.buy_amount) + " (rate " +
           amount_to_string(s.buy_amount) + "/" + amount_to_string(s.sell_amount) + ")";
  };
  auto transfer_text = [](const Transfer& t) {
    return "transfer " + amount_to_string(t.amount) + " " + t.asset + " to " + name_of(t.to);
  };
  for (std::size_t i = 0; i < inst.batch.size(); ++i) {
    const Intent& in = inst.batch[i];
    o << "  #" << i << " [" << in.id.hex().substr(0, 8) << "] " << name_of(in.signer) << ": ";
    if (const Commit* c = in.commit()) {
      o << "commit { " << (c->transfer() ? transfer_text(*c->transfer()) : swap_text(*c->swap())) << " } iff ";
      condition_text(o, c->condition, ref_id);
      o << "  program " << c->program.hex().substr(0, 8);
      if (ref) {
        o << "\n      expected: "
          << (ref->cycle[i]     ? "negation cycle"
              : ref->settles[i] ? "settles"
                                : "does not settle")
          << (ref->exec[i] ? "" : " (cannot execute)") << ", stratum " << ref->stratum[i] << ", reads";
        for (auto [d, neg] : ref->deps[i]) o << " " << (neg ? "-" : "+") << "#" << d;
      }
    } else if (const Transfer* t = in.transfer()) {
      o << transfer_text(*t);
    } else if (const Swap* s = in.swap()) {
      o << swap_text(*s);
    } else if (const Reveal* r = in.reveal()) {
      o << "reveal of the preimage of " << r->hash.hex().substr(0, 8);
    }
    if (st) {
      const Receipt& r = st->receipts[i];
      o << "\n      settle(): " << receipt_status_name(r.status) << (r.reason.empty() ? "" : " " + r.reason) << ": "
        << r.message;
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace pactum::conditions_test
