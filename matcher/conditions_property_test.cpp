// Property tests of conditional commitments (kind "commit") against a brute force that
// knows nothing of the matcher's ConditionGraph.
//
// Each instance is a small batch (3..10 commitments, 0..4 plain intents) signed by dev
// accounts 0..9, some of them deliberately penniless, over a deep AAA/BBB pool. What
// settles is then a function of the conditions alone:
//  * executable(c): c's signer holds what c's action debits. Rich accounts hold far more
//    than all their intents together, poor ones nothing, so this is a fixed fact per
//    commitment, whatever else settles.
//  * plain intents always settle: funded transfers, and fill-or-kill swaps whose limits
//    (0.4..0.8) are far inside the pool's price (1, fee 0.3%).
//  * a set S of commitments is consistent when every c in S is executable and its
//    condition holds on "what settles" = S + the plain intents:
//      requires ids        every id is an intent of the batch that settles
//      mirror              another account's commitment of the same program settles
//      mirror with W       W's commitment of the same program, whose own "with" is c's
//                          signer, settles
//      threshold k [of]    >= k distinct accounts (in `of`, if given) have a commitment of
//                          the same program that settles (c's own signer counts)
//      exists P            another intent whose (action's) swap matches P settles
//      unless X            X does not hold (on the final sets of the lower strata)
//      fallback "pools"    the commitment trades whatever its condition: always consistent
//    "Same program" is computed here from the action and condition with the signer
//    written "self" and a mirror's `with` "peer" (and checked against the program hash).
//  * dependencies: c -> d when c's condition reads whether d settles (requires names d;
//    d shares c's mirror/threshold program; d != c matches c's pattern), negative through
//    "unless". A commitment with fallback "pools" settles whatever its condition says, so
//    whether it settles reads nothing: it has no dependencies. A commitment on a closed walk with a negative edge is in a negation cycle:
//    it never settles (reason negation_cycle) and counts as not settling for the others.
//    The others get a stratum (the most negative edges on a path below them); per stratum,
//    bottom up, every subset of its commitments is tried against the lower strata's final
//    sets; the largest consistent subset must also be the union of all consistent ones
//    (conditions are monotone within a stratum), and it is what settles. Instances without
//    "unless" are one stratum: a brute force over all subsets of the commitments.
// settle() must settle exactly those commitments, give the others condition_not_met (or
// insufficient_balance for the poor), give the same receipts (by id) and delta for a
// permuted batch, and conserve every asset. A disagreement is shrunk (intents dropped one
// at a time while it persists) and printed: who signs what, each condition, expected and
// actual receipts.
//
// ConditionsProperty.* run 2,000 instances each (without, then with "unless" and
// fallbacks); ConditionsMinimal.* are the smallest instances of single properties.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "pactum/intents/intent.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

using nlohmann::json;
using test::MapState;

constexpr std::uint32_t kSigners = 10;  // dev accounts 0..9 sign
constexpr std::uint32_t kPot = 10;      // dev account 10 receives pledges, never signs
const std::vector<std::string> kAssets = {"AAA", "BBB", "CCC"};
const Amount kRich = 1'000'000'000;

struct Keys {
  std::vector<SecretKey> secret;
  std::vector<PublicKey> pub;
};
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

struct Instance {
  std::vector<bool> poor;     // per signer 0..9
  std::vector<Intent> batch;
};

MapState make_state(const std::vector<bool>& poor) {
  MapState s;
  for (const std::string& a : kAssets) s.asset(a);
  for (std::uint32_t i = 0; i < kSigners; ++i)
    if (!poor[i])
      for (const std::string& a : kAssets) s.balance(acct(i), a, kRich);
  s.pool("AAA", "BBB", Amount(1'000'000'000'000ULL), Amount(1'000'000'000'000ULL), 30);
  return s;
}

// ---- the reference semantics --------------------------------------------------------

const Swap* effective_swap(const Intent& in) {
  if (const Swap* s = in.swap()) return s;
  if (const Commit* c = in.commit()) return c->swap();
  return nullptr;
}

bool pattern_matches(const SwapPattern& p, const Intent& in) {
  const Swap* s = effective_swap(in);
  if (!s || s->sell_asset != p.sell_asset || s->buy_asset != p.buy_asset) return false;
  if (p.signer && *p.signer != in.signer) return false;
  const BigInt buy = BigInt(s->buy_amount), sell = BigInt(s->sell_amount);
  if (p.max_rate && buy * BigInt(p.max_rate->den) > BigInt(p.max_rate->num) * sell) return false;
  if (p.min_rate && buy * BigInt(p.min_rate->den) < BigInt(p.min_rate->num) * sell) return false;
  return true;
}

// The program, abstracted: signer -> "self", a mirror's `with` -> "peer".
std::string program_key(const Intent& in) {
  const Commit& c = *in.commit();
  const Condition& k = c.condition;
  auto who = [&](const PublicKey& p) {
    if (p == in.signer) return std::string("self");
    if (k.with && p == *k.with) return std::string("peer");
    return p.hex();
  };
  std::ostringstream o;
  if (const Transfer* t = c.transfer()) o << "T " << t->asset << " " << who(t->to) << " " << t->amount;
  if (const Swap* s = c.swap())
    o << "S " << s->sell_asset << " " << s->buy_asset << " " << (s->side == SwapSide::sell ? "sell" : "buy") << " "
      << s->sell_amount << " " << s->buy_amount << " " << s->partial;
  o << " | " << static_cast<int>(k.type) << " neg=" << k.negated;
  for (const Hash32& id : k.ids) o << " id=" << id.hex();
  if (k.with) o << " with=peer";
  if (k.type == ConditionType::threshold) {
    o << " k=" << k.k;
    for (const PublicKey& p : k.of) o << " of=" << p.hex();
  }
  if (k.type == ConditionType::exists) {
    const SwapPattern& p = k.pattern;
    o << " P " << p.sell_asset << ">" << p.buy_asset;
    if (p.max_rate) o << " max=" << p.max_rate->num << "/" << p.max_rate->den;
    if (p.min_rate) o << " min=" << p.min_rate->num << "/" << p.min_rate->den;
    if (p.signer) o << " signer=" << who(*p.signer);
    o << " fallback=" << static_cast<int>(k.fallback);
  }
  return o.str();
}

bool executable(const MapState& s, const Intent& in) {
  const Commit* c = in.commit();
  if (const Transfer* t = c ? c->transfer() : in.transfer()) return s.balance(in.signer, t->asset) >= t->amount;
  const Swap* sw = effective_swap(in);
  return sw && s.balance(in.signer, sw->sell_asset) >= sw->sell_amount;
}

struct Reference {
  std::vector<bool> commitment, exec, cycle, settles, fallback_used;
  std::vector<int> stratum;
  std::vector<std::string> program;
  std::vector<std::vector<std::pair<std::size_t, bool>>> deps;  // (batch index, negative)
  std::string problem;  // the brute force's own consistency check failed (a test bug)
  int strata = 0;
};

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

  // The inner condition (before "unless") on `settled` (per batch index).
  bool inner(std::size_t c, const std::vector<bool>& settled) const {
    const Intent& in = b_[c];
    const Condition& k = in.commit()->condition;
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
          if (k.with && b_[d].signer == *k.with && b_[d].commit()->condition.with == in.signer) return true;
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
    }
    return false;
  }
  bool holds(std::size_t c, const std::vector<bool>& settled) const {
    return b_[c].commit()->condition.negated != inner(c, settled);
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
      const Condition* k = &b_[c].commit()->condition;
      for (std::size_t d = 0; d < n_; ++d) {
        if (!r_.commitment[d] || d == c) continue;
        bool reads = false;
        switch (k->type) {
          case ConditionType::requires_ids:
            reads = std::find(k->ids.begin(), k->ids.end(), b_[d].id) != k->ids.end();
            break;
          case ConditionType::mirror:
          case ConditionType::threshold:
            reads = r_.program[d] == r_.program[c];
            break;
          case ConditionType::exists:
            reads = pattern_matches(k->pattern, b_[d]);
            break;
        }
        if (reads) r_.deps[c].push_back({d, k->negated});
      }
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

// ---- printing -----------------------------------------------------------------------

std::string rate_text(const std::optional<Rate>& r) {
  return r ? amount_to_string(r->num) + "/" + amount_to_string(r->den) : "-";
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
    return it == idx.end() ? "absent:" + h.hex().substr(0, 8) : "#" + std::to_string(it->second);
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
      const Condition& k = c->condition;
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
      }
      o << "  program " << c->program.hex().substr(0, 8);
      if (ref) {
        o << "\n      expected: " << (ref->cycle[i] ? "negation cycle" : ref->settles[i] ? "settles" : "does not settle")
          << (ref->exec[i] ? "" : " (cannot execute)") << ", stratum " << ref->stratum[i] << ", reads";
        for (auto [d, neg] : ref->deps[i]) o << " " << (neg ? "-" : "+") << "#" << d;
      }
    } else if (const Transfer* t = in.transfer()) {
      o << transfer_text(*t);
    } else if (const Swap* s = in.swap()) {
      o << swap_text(*s);
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

// ---- the check ------------------------------------------------------------------------

bool same_delta(const StateDelta& a, const StateDelta& b) {
  return a.assets == b.assets && a.balances == b.balances && a.nonces == b.nonces && a.pools == b.pools;
}

struct Tally {
  std::size_t instances = 0, commitments = 0, settled = 0, poor = 0, cycles = 0, cycle_instances = 0,
              negated_settled = 0, negated_dropped = 0, multi_strata = 0, deep_strata = 0,
              fallback_used = 0;
  std::map<std::string, std::size_t> settled_by_type;
};

// What differs, by kind of property (empty when settle() agrees with the reference).
struct Findings {
  std::map<std::string, std::string> by_kind;  // kind -> the lines about it
  std::ostringstream& operator[](const std::string& kind) {
    auto& s = streams_[kind];
    if (!s) s = std::make_unique<std::ostringstream>();
    return *s;
  }
  void close() {
    for (auto& [k, s] : streams_) by_kind[k] = s->str();
  }
  bool has(const std::string& kind) const { return by_kind.count(kind) > 0; }
  std::string text() const {
    std::string out;
    for (const auto& [k, v] : by_kind) out += "[" + k + "]\n" + v;
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<std::ostringstream>> streams_;
};

// The program hash abstracts exactly what program_key does.
void check_programs(const std::vector<Intent>& batch, const Reference& ref, Findings& f) {
  const std::size_t n = batch.size();
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t c = a + 1; c < n; ++c)
      if (ref.commitment[a] && ref.commitment[c] &&
          (batch[a].commit()->program == batch[c].commit()->program) != (ref.program[a] == ref.program[c]))
        f["program"] << "#" << a << " and #" << c << ": program hashes " << (ref.program[a] == ref.program[c] ? "differ" : "are equal")
            << " but the abstracted programs " << (ref.program[a] == ref.program[c] ? "are equal" : "differ") << "\n";
}

// Each receipt against the reference: plain intents settle; a commitment settles exactly
// when the brute force says so, with the reason and message that say why.
void check_receipts(const std::vector<Intent>& batch, const Reference& ref, const Settlement& st, Findings& f) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Receipt& r = st.receipts[i];
    const bool got = r.status == ReceiptStatus::settled;
    if (r.intent != batch[i].id) f["receipts"] << "#" << i << ": receipt for another intent\n";
    if (!ref.commitment[i]) {
      if (!got) f["plain"] << "#" << i << ": a plain intent did not settle (" << r.reason << ": " << r.message << ")\n";
      continue;
    }
    if (got != ref.settles[i])
      f["settles"] << "#" << i << ": settle() " << (got ? "settles" : "does not settle") << " it, the brute force "
          << (ref.settles[i] ? "settles" : "does not") << (ref.cycle[i] ? " (negation cycle)" : "") << "\n";
    if (ref.cycle[i] && r.reason != "negation_cycle")
      f["reason"] << "#" << i << ": in a negation cycle, but reason \"" << r.reason << "\"\n";
    if (!ref.cycle[i] && r.reason == "negation_cycle")
      f["reason"] << "#" << i << ": reason negation_cycle, but it is in no cycle through \"unless\"\n";
    if (!ref.cycle[i] && !ref.settles[i] && ref.exec[i] && r.reason != "condition_not_met" &&
        r.reason != "negation_cycle")
      f["reason"] << "#" << i << ": executable and its condition fails, but reason \"" << r.reason << "\"\n";
    if (!ref.cycle[i] && !ref.exec[i] && r.reason != "insufficient_balance" && r.reason != "condition_not_met")
      f["reason"] << "#" << i << ": cannot execute, but reason \"" << r.reason << "\"\n";
    if (got) {
      const std::string want = ref.fallback_used[i] ? "not met; traded under its \"pools\" fallback" : ") met: ";
      if (r.message.rfind("condition (", 0) != 0 || r.message.find(want) == std::string::npos)
        f["message"] << "#" << i << ": settled, message \"" << r.message << "\" lacks \"" << want << "\"\n";
    }
  }
}

// What the instance exercised, into the tally.
void count_instance(const std::vector<Intent>& batch, const Reference& ref, Tally& tally) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!ref.commitment[i]) continue;
    const bool negated = batch[i].commit()->condition.negated;
    ++tally.commitments;
    tally.poor += !ref.exec[i];
    tally.cycles += ref.cycle[i];
    tally.fallback_used += ref.fallback_used[i];
    if (ref.settles[i]) {
      ++tally.settled;
      static const char* kNames[] = {"requires", "mirror", "threshold", "exists"};
      const Condition& k = batch[i].commit()->condition;
      ++tally.settled_by_type[std::string(negated ? "unless " : "") + kNames[static_cast<int>(k.type)] +
                              (k.with ? " with" : "") + (k.of.empty() ? "" : " of")];
      tally.negated_settled += negated;
    } else if (negated && !ref.cycle[i] && ref.exec[i]) {
      ++tally.negated_dropped;
    }
  }
  ++tally.instances;
  tally.cycle_instances += std::any_of(ref.cycle.begin(), ref.cycle.end(), [](bool b) { return b; });
  tally.multi_strata += ref.strata > 1;
  tally.deep_strata += ref.strata > 2;
}

// A permuted batch: the same delta, the same receipt for every id. (By a keyed hash of
// the ids, so that dropping an intent keeps the others' order.)
void check_permuted(const MapState& state, const std::vector<Intent>& batch, const Settlement& st,
                    std::uint64_t perm_seed, Findings& f) {
  const std::size_t n = batch.size();
  std::vector<std::pair<Hash32, std::size_t>> keyed;
  for (std::size_t i = 0; i < n; ++i)
    keyed.push_back({sha256(as_bytes(std::to_string(perm_seed) + "/" + batch[i].id.hex())), i});
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::size_t> perm;
  for (const auto& [key, i] : keyed) perm.push_back(i);
  std::vector<Intent> shuffled;
  for (std::size_t i : perm) shuffled.push_back(batch[i]);
  const Settlement ps = test::run(state, shuffled);
  if (!same_delta(st.delta, ps.delta)) f["permuted: outcome"] << "a permuted batch gives another delta\n";
  if (st.prices != ps.prices) f["permuted: outcome"] << "a permuted batch gives other prices\n";
  for (std::size_t k = 0; k < n; ++k) {
    const Receipt& a = st.receipts[perm[k]];
    const Receipt& b = ps.receipts[k];
    if (a == b) continue;
    Receipt a2 = a, b2 = b;
    a2.message = b2.message = "";
    a2.related = b2.related = {};
    f[a2 == b2 ? "permuted: explanation" : "permuted: outcome"] << "#" << perm[k] << ": another receipt in a permuted batch: " << receipt_status_name(b.status) << " "
        << b.reason << ": " << b.message << " (related " << b.related.size() << ") instead of "
        << receipt_status_name(a.status) << " " << a.reason << ": " << a.message << " (related " << a.related.size()
        << ")\n";
  }
}

// The kinds: "settles" (the set of settled commitments differs from the brute force),
// "reason", "message", "plain", "program", "permuted: outcome" (status, amounts, price,
// reason or delta differ for a permuted batch), "permuted: explanation" (only a receipt's
// message or related ids differ), "conservation", "reference".
Findings check(const Instance& inst, std::uint64_t perm_seed, Tally* tally) {
  const MapState state = make_state(inst.poor);
  const std::vector<Intent>& batch = inst.batch;
  Semantics sem(state, batch);
  const Reference ref = sem.solve();
  Findings f;
  if (!ref.problem.empty()) f["reference"] << ref.problem << "\n";
  check_programs(batch, ref, f);

  const Settlement st = test::run(state, batch);
  if (st.receipts.size() != batch.size()) {
    f["receipts"] << st.receipts.size() << " receipts for " << batch.size() << " intents\n";
    f.close();
    return f;
  }
  check_receipts(batch, ref, st, f);
  if (tally) count_instance(batch, ref, *tally);
  check_permuted(state, batch, st, perm_seed, f);

  // Conservation of every asset (balances, pools, dust).
  MapState after = state;
  after.apply(st.delta);
  for (const std::string& a : kAssets)
    if (after.total(a) != state.total(a)) f["conservation"] << a << " not conserved: " << state.total(a) << " -> " << after.total(a) << "\n";
  f.close();
  return f;
}

// Drops intents one at a time while a finding of `kind` persists; prints the smallest
// instance.
std::string shrink_and_describe(Instance inst, std::uint64_t perm_seed, const std::string& kind) {
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = 0; i < inst.batch.size(); ++i) {
      Instance smaller = inst;
      smaller.batch.erase(smaller.batch.begin() + static_cast<std::ptrdiff_t>(i));
      if (smaller.batch.empty() || !check(smaller, perm_seed, nullptr).has(kind)) continue;
      inst = std::move(smaller);
      progress = true;
      --i;
    }
  }
  const MapState state = make_state(inst.poor);
  Semantics sem(state, inst.batch);
  const Reference ref = sem.solve();
  const Settlement st = test::run(state, inst.batch);
  return "minimal instance for [" + kind + "] (" + std::to_string(inst.batch.size()) + " intents):\n" +
         describe(inst, &ref, &st) + "findings:\n" + check(inst, perm_seed, nullptr).text();
}

// ---- the generator ----------------------------------------------------------------------

struct Options {
  bool negation = false;   // "unless" conditions (then cycles through negation occur too)
  bool fallback = false;   // exists with fallback "pools"
};

class Generator {
 public:
  Generator(std::mt19937_64& rng, Options opt) : rng_(rng), opt_(opt), nonce_(kSigners, 0) {}

  Instance make() {
    inst_ = Instance{};
    inst_.poor.assign(kSigners, false);
    for (std::uint32_t i = 0; i < kSigners; ++i) inst_.poor[i] = pick(6) == 0;
    rich_.clear();
    for (std::uint32_t i = 0; i < kSigners; ++i)
      if (!inst_.poor[i]) rich_.push_back(i);
    if (rich_.empty()) {
      inst_.poor[0] = false;
      rich_.push_back(0);
    }
    const std::size_t target_c = 3 + pick(8), target_p = pick(5);
    commits_ = plains_ = 0;
    while (commits_ < target_c || plains_ < target_p) {
      if (plains_ < target_p && (commits_ >= target_c || pick(3) == 0)) {
        add(plain());
        ++plains_;
        continue;
      }
      const std::size_t room = target_c - commits_;
      switch (opt_.negation && room >= 2 && pick(25) == 0 ? 99 : opt_.negation && room >= 2 && pick(10) == 0 ? 98 : pick(13)) {
        case 99:
          negation_cycle_unit();
          break;
        case 98:
          chain_unit(room);
          break;
        case 0: case 1: case 2:
          if (!inst_.batch.empty()) {
            requires_unit();
            break;
          }
          [[fallthrough]];
        case 3: case 4: case 5: case 6:
          exists_unit();
          break;
        case 7: case 8:
          mirror_group(room);
          break;
        case 9: case 10:
          mirror_pair(room);
          break;
        default:
          threshold_group(room);
          break;
      }
    }
    return std::move(inst_);
  }

 private:
  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }
  std::uint32_t signer() { return static_cast<std::uint32_t>(pick(kSigners)); }
  std::uint32_t rich() { return rich_[pick(rich_.size())]; }
  std::string hex(std::uint32_t i) { return acct(i).hex(); }

  Intent sign(std::uint32_t who, json body) {
    body["chain"] = test::kChain;
    body["signer"] = hex(who);
    body["nonce"] = nonce_[who]++;
    body["valid_until"] = 100;
    auto in = sign_intent(body, keys().secret[who], /*deterministic=*/true);
    if (!in) {
      ADD_FAILURE() << "sign_intent: " << in.error().message << " in " << body.dump();
      return Intent{};
    }
    return std::move(*in);
  }
  void add(Intent in) { inst_.batch.push_back(std::move(in)); }
  void add_commit(std::uint32_t who, json action, json condition) {
    add(sign(who, {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}}));
    ++commits_;
  }

  // A swap AAA<->BBB at a limit rate of r/10 (r in 4..8): far inside the pool's price.
  json swap_fields(bool aaa_to_bbb, std::uint64_t r, bool sell_side) {
    const std::uint64_t sell = 10 * (100 + pick(400));
    return {{"sell_asset", aaa_to_bbb ? "AAA" : "BBB"}, {"buy_asset", aaa_to_bbb ? "BBB" : "AAA"},
            {"side", sell_side ? "sell" : "buy"},       {"sell_amount", std::to_string(sell)},
            {"buy_amount", std::to_string(sell * r / 10)}, {"partial", false}};
  }
  json random_swap() { return swap_fields(pick(2) == 0, 4 + pick(5), pick(2) == 0); }
  json transfer_fields(const std::string& asset, std::uint32_t to, std::uint64_t amount) {
    return {{"asset", asset}, {"to", hex(to)}, {"amount", std::to_string(amount)}};
  }
  json random_transfer() {
    return transfer_fields(kAssets[pick(3)], static_cast<std::uint32_t>(pick(kPot + 1)), 1 + pick(1000));
  }
  json action(bool swap) {
    json a = swap ? random_swap() : random_transfer();
    a["kind"] = swap ? "swap" : "transfer";
    return a;
  }

  Intent plain() {
    json body = pick(2) ? random_swap() : random_transfer();
    body["kind"] = body.contains("side") ? "swap" : "transfer";
    return sign(rich(), std::move(body));
  }

  json maybe_unless(json c) {
    if (opt_.negation && pick(4) == 0) return {{"type", "unless"}, {"condition", std::move(c)}};
    return c;
  }

  void requires_unit() {
    std::vector<std::string> ids;
    const std::size_t count = 1 + pick(3);
    for (std::size_t j = 0; j < count; ++j) {
      std::string id = inst_.batch[pick(inst_.batch.size())].id.hex();
      if (pick(12) == 0) id = sign(rich(), [&] { json t = random_transfer(); t["kind"] = "transfer"; return t; }()).id.hex();
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    add_commit(signer(), action(pick(3) == 0), maybe_unless({{"type", "requires"}, {"ids", ids}}));
  }

  json rate(std::uint64_t r) { return {{"num", std::to_string(r)}, {"den", "10"}}; }

  void exists_unit() {
    const bool aaa_to_bbb = pick(2) == 0;
    json pattern = {{"sell_asset", aaa_to_bbb ? "AAA" : "BBB"}, {"buy_asset", aaa_to_bbb ? "BBB" : "AAA"}};
    if (pick(2)) pattern["max_rate"] = rate(5 + pick(3));
    if (pick(3) == 0) pattern["min_rate"] = rate(4 + pick(3));
    if (pick(5) == 0) pattern["signer"] = hex(signer());
    json cond = {{"type", "exists"}, {"pattern", pattern}};
    const bool swap = pick(4) != 0;
    if (opt_.fallback && swap && pick(6) == 0) {
      cond["fallback"] = "pools";
    } else {
      cond = maybe_unless(cond);
    }
    add_commit(signer(), action(swap), cond);
  }

  // A chain c1 <- c2 <- ... of requires, each link negated with probability 1/2: strata.
  void chain_unit(std::size_t room) {
    const std::size_t len = 2 + pick(std::min<std::size_t>(room, 4) - 1);
    std::string prev;
    for (std::size_t j = 0; j < len; ++j) {
      json cond;
      if (prev.empty()) {
        cond = {{"type", "exists"}, {"pattern", {{"sell_asset", pick(2) ? "AAA" : "BBB"}, {"buy_asset", "CCC"}}}};
        if (pick(2)) cond = {{"type", "threshold"}, {"k", 1}};
      } else {
        std::vector<std::string> ids{prev};
        if (pick(3) == 0) ids.push_back(inst_.batch[pick(inst_.batch.size())].id.hex());
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        cond = {{"type", "requires"}, {"ids", ids}};
      }
      if (pick(2)) cond = {{"type", "unless"}, {"condition", cond}};
      if (cond["type"] == "unless" && cond["condition"]["type"] == "threshold") cond = cond["condition"];
      add_commit(signer(), action(pick(4) == 0), cond);
      prev = inst_.batch.back().id.hex();
    }
  }

  // Swaps that read each other through "unless": a pair each "unless the other way
  // exists" (two stable choices), or one "unless" and one plain "exists" (none).
  void negation_cycle_unit() {
    const bool both = pick(2) == 0;
    const std::uint32_t a = signer(), b = signer();
    json p_ab = {{"sell_asset", "AAA"}, {"buy_asset", "BBB"}}, p_ba = {{"sell_asset", "BBB"}, {"buy_asset", "AAA"}};
    if (pick(2)) p_ab["signer"] = hex(a);
    if (pick(2)) p_ba["signer"] = hex(b);
    json sa = swap_fields(true, 4 + pick(5), pick(2) == 0), sb = swap_fields(false, 4 + pick(5), pick(2) == 0);
    sa["kind"] = sb["kind"] = "swap";
    add_commit(a, sa, {{"type", "unless"}, {"condition", {{"type", "exists"}, {"pattern", p_ba}}}});
    json cb = {{"type", "exists"}, {"pattern", p_ab}};
    add_commit(b, sb, both ? json{{"type", "unless"}, {"condition", cb}} : cb);
  }

  // m commitments of one program "transfer X to R iff mirror" (sometimes one deviates).
  void mirror_group(std::size_t room) {
    const std::size_t m = 1 + pick(std::min<std::size_t>(room, 3));
    const std::string asset = kAssets[pick(3)];
    const std::uint32_t to = pick(2) ? kPot : signer();
    const std::uint64_t amount = 1 + pick(1000);
    for (std::size_t j = 0; j < m; ++j) {
      json a = transfer_fields(asset, to, pick(8) == 0 ? amount + 1 : amount);
      a["kind"] = "transfer";
      add_commit(signer(), std::move(a), {{"type", "mirror"}});
    }
  }

  // A and B, each "give the other X iff the other commits the same" (or give to the pot);
  // sometimes B names someone else, or B is missing, or a third party names A.
  void mirror_pair(std::size_t room) {
    const std::uint32_t a = signer();
    std::uint32_t b = signer();
    while (b == a) b = signer();
    const std::string asset = kAssets[pick(3)];
    const bool to_peer = pick(3) != 0;
    const std::uint64_t amount = 1 + pick(1000);
    auto commit = [&](std::uint32_t who, std::uint32_t with) {
      json act = transfer_fields(asset, to_peer ? with : kPot, amount);
      act["kind"] = "transfer";
      add_commit(who, std::move(act), {{"type", "mirror"}, {"with", hex(with)}});
    };
    commit(a, b);
    if (room < 2) return;
    const std::uint64_t v = pick(10);
    if (v < 7) {
      commit(b, a);
    } else if (v < 9) {
      std::uint32_t c = signer();
      while (c == b) c = signer();
      commit(b, c);  // names a third account: no pair with a
    }
    if (room >= 3 && pick(4) == 0) {
      std::uint32_t c = signer();
      while (c == a) c = signer();
      commit(c, a);  // names a, but a names b
    }
  }

  void threshold_group(std::size_t room) {
    const std::size_t m = 1 + pick(std::min<std::size_t>(room, 4));
    json cond = {{"type", "threshold"}};
    std::uint64_t k = 1 + pick(3);
    if (pick(2)) {
      std::vector<std::string> of;
      for (std::uint32_t i = 0; i < kSigners; ++i)
        if (pick(2)) of.push_back(hex(i));
      if (of.empty()) of.push_back(hex(signer()));
      std::sort(of.begin(), of.end());  // the wire order is part of the program hash
      k = std::min<std::uint64_t>(k, of.size());
      cond["of"] = of;
      cond["k"] = k;
      // Members are mostly from `of`.
      std::vector<std::uint32_t> named;
      for (std::uint32_t i = 0; i < kSigners; ++i)
        if (std::find(of.begin(), of.end(), hex(i)) != of.end()) named.push_back(i);
      const std::string asset = kAssets[pick(3)];
      const std::uint64_t amount = 1 + pick(1000);
      for (std::size_t j = 0; j < m; ++j) {
        const std::uint32_t who = pick(4) ? named[pick(named.size())] : signer();
        json a = transfer_fields(asset, kPot, amount);
        a["kind"] = "transfer";
        add_commit(who, std::move(a), cond);
      }
      return;
    }
    cond["k"] = k;
    const std::string asset = kAssets[pick(3)];
    const std::uint64_t amount = 1 + pick(1000);
    for (std::size_t j = 0; j < m; ++j) {
      json a = transfer_fields(asset, kPot, amount);
      a["kind"] = "transfer";
      add_commit(signer(), std::move(a), cond);
    }
  }

  std::mt19937_64& rng_;
  Options opt_;
  Instance inst_;
  std::vector<std::uint64_t> nonce_;
  std::vector<std::uint32_t> rich_;
  std::size_t commits_ = 0, plains_ = 0;
};

void run_property(const char* what, Options opt, std::uint64_t seed, int instances, Tally& tally) {
  std::mt19937_64 rng(seed);
  Generator gen(rng, opt);
  std::map<std::string, int> failures;  // by kind
  const auto t0 = std::chrono::steady_clock::now();
  for (int it = 0; it < instances; ++it) {
    const Instance inst = gen.make();
    const std::uint64_t perm_seed = rng();
    const Findings f = check(inst, perm_seed, &tally);
    for (const auto& [kind, text] : f.by_kind) {
      if (++failures[kind] > 1) continue;  // one shrunk example per kind
      ADD_FAILURE() << what << " instance " << it << ": [" << kind << "]\n"
                    << text << shrink_and_describe(inst, perm_seed, kind);
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << what << ": " << instances << " instances in " << secs << " s; "
            << tally.commitments << " commitments (" << tally.poor << " cannot execute, " << tally.cycles
            << " in negation cycles in " << tally.cycle_instances << " instances), " << tally.settled
            << " settle; " << tally.multi_strata << " instances with 2+ strata (" << tally.deep_strata
            << " with 3+); unless: " << tally.negated_settled
            << " settle, " << tally.negated_dropped << " fail; fallbacks used " << tally.fallback_used << "\n  settled:";
  for (const auto& [k, v] : tally.settled_by_type) std::cout << " " << k << "=" << v;
  std::cout << "\n  instances disagreeing, by kind:" << (failures.empty() ? " none" : "");
  for (const auto& [k, v] : failures) std::cout << " [" << k << "] " << v;
  std::cout << "\n";
  for (const auto& [k, v] : failures) EXPECT_EQ(v, 0) << what << ": instances with findings of kind [" << k << "]";
}

TEST(ConditionsProperty, MonotoneMatchesGreatestConsistentSet) {
  Tally t;
  run_property("monotone", Options{false, false}, 0xC0DD1710, 2000, t);
  // The generator must exercise every condition.
  for (const char* k : {"requires", "mirror", "mirror with", "threshold", "threshold of", "exists"})
    EXPECT_GT(t.settled_by_type[k], 100u) << k;
  EXPECT_GT(t.poor, 1000u);
}

TEST(ConditionsProperty, StratifiedNegationMatchesStratumByStratum) {
  Tally t;
  run_property("with unless", Options{true, true}, 0x57A7A, 2000, t);
  EXPECT_GT(t.multi_strata, 300u);
  EXPECT_GT(t.cycle_instances, 100u);
  EXPECT_GT(t.negated_settled, 200u);
  EXPECT_GT(t.negated_dropped, 200u);
  EXPECT_GT(t.fallback_used, 50u);
  for (const char* k : {"unless requires", "unless exists", "mirror with", "threshold", "exists"})
    EXPECT_GT(t.settled_by_type[k], 50u) << k;
}

// ---- the smallest instances, one property each ------------------------------------------

Intent signed_intent(std::uint32_t who, std::uint64_t nonce, json body) {
  body["chain"] = test::kChain;
  body["signer"] = acct(who).hex();
  body["nonce"] = nonce;
  body["valid_until"] = 100;
  return sign_intent(body, keys().secret[who], /*deterministic=*/true).value();
}
json swap_action(const std::string& sell, const std::string& buy, std::uint64_t sell_amount, std::uint64_t buy_amount) {
  return {{"kind", "swap"}, {"sell_asset", sell}, {"buy_asset", buy}, {"side", "sell"},
          {"sell_amount", std::to_string(sell_amount)}, {"buy_amount", std::to_string(buy_amount)}, {"partial", false}};
}
json exists_swap(const std::string& sell, const std::string& buy) {
  return {{"type", "exists"}, {"pattern", {{"sell_asset", sell}, {"buy_asset", buy}}}};
}
json unless(json c) { return {{"type", "unless"}, {"condition", std::move(c)}}; }
Intent commitment(std::uint32_t who, json action, json condition) {
  return signed_intent(who, 0, {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}});
}
const std::vector<bool> kNobodyPoor(kSigners, false);

// "Swap BBB->AAA unless another swap BBB->AAA settles", alone in its batch: its condition
// reads the other swaps of its pattern, never itself (exists excludes the commitment's own
// action), so there is no cycle and nothing else sells BBB: it settles.
TEST(ConditionsMinimal, UnlessExistsMatchingItsOwnSwapIsNoCycle) {
  const std::vector<Intent> batch{commitment(5, swap_action("BBB", "AAA", 2000, 1000), unless(exists_swap("BBB", "AAA")))};
  const Settlement st = test::run(make_state(kNobodyPoor), batch);
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled)
      << st.receipts[0].reason << ": " << st.receipts[0].message << "\n"
      << describe(Instance{kNobodyPoor, batch}, nullptr, &st);
}

// A commitment with fallback "pools" trades whatever its condition says, so it depends on
// nothing: a = "swap BBB->AAA iff a swap AAA->BBB exists, else trade anyway", b = "swap
// AAA->BBB unless a swap BBB->AAA settles". a settles (by its fallback, or with its
// condition met); b's "unless" is then false. No cycle through negation decides anything.
TEST(ConditionsMinimal, FallbackCommitmentReadByAnUnlessStillTrades) {
  json with_fallback = exists_swap("AAA", "BBB");
  with_fallback["fallback"] = "pools";
  const std::vector<Intent> batch{commitment(1, swap_action("BBB", "AAA", 1140, 570), with_fallback),
                                  commitment(6, swap_action("AAA", "BBB", 2200, 1100), unless(exists_swap("BBB", "AAA")))};
  const Settlement st = test::run(make_state(kNobodyPoor), batch);
  const std::string text = describe(Instance{kNobodyPoor, batch}, nullptr, &st);
  EXPECT_EQ(st.receipts[0].status, ReceiptStatus::settled) << text;
  EXPECT_NE(st.receipts[1].status, ReceiptStatus::settled) << text;
  EXPECT_EQ(st.receipts[1].reason, "condition_not_met") << text;
}

// Two accounts' "pledge 13 AAA iff 3 accounts commit": neither settles, and each one's
// receipt must not depend on which of the two comes first in the batch (matcher.hpp:
// permuting the batch permutes only the receipts).
TEST(ConditionsMinimal, FailedConditionReceiptsDoNotDependOnBatchOrder) {
  json pledge = {{"kind", "transfer"}, {"asset", "AAA"}, {"to", acct(kPot).hex()}, {"amount", "13"}};
  const Intent a = commitment(1, pledge, {{"type", "threshold"}, {"k", 3}});
  const Intent b = commitment(2, pledge, {{"type", "threshold"}, {"k", 3}});
  const MapState state = make_state(kNobodyPoor);
  const Settlement ab = test::run(state, {a, b});
  const Settlement ba = test::run(state, {b, a});
  EXPECT_EQ(ab.receipts[0].status, ReceiptStatus::unfilled);
  EXPECT_EQ(ab.receipts[0].reason, "condition_not_met");
  EXPECT_EQ(ab.receipts[0].message, ba.receipts[1].message);
  EXPECT_EQ(ab.receipts[0].related, ba.receipts[1].related);
  EXPECT_EQ(ab.receipts[1].message, ba.receipts[0].message);
  EXPECT_EQ(ab.receipts[1].related, ba.receipts[0].related);
}

// Each swap "unless the other way settles": two stable outcomes, a cycle through
// negation: both are left out with reason negation_cycle.
TEST(ConditionsMinimal, CycleThroughUnlessIsLeftOut) {
  const std::vector<Intent> batch{commitment(1, swap_action("AAA", "BBB", 2000, 1000), unless(exists_swap("BBB", "AAA"))),
                                  commitment(2, swap_action("BBB", "AAA", 2000, 1000), unless(exists_swap("AAA", "BBB")))};
  const Settlement st = test::run(make_state(kNobodyPoor), batch);
  for (const Receipt& r : st.receipts) {
    EXPECT_NE(r.status, ReceiptStatus::settled);
    EXPECT_EQ(r.reason, "negation_cycle");
  }
}

// p (unfunded) "pledge iff 1 account commits" holds, so the first round keeps p and drops
// d = "unless p settles"; p then fails its funding, and the next round lets d through.
TEST(ConditionsMinimal, UnlessOverACommitmentThatCannotExecute) {
  std::vector<bool> poor(kSigners, false);
  poor[3] = true;
  json pledge = {{"kind", "transfer"}, {"asset", "AAA"}, {"to", acct(kPot).hex()}, {"amount", "13"}};
  const Intent p = commitment(3, pledge, {{"type", "threshold"}, {"k", 1}});
  const Intent d = commitment(4, pledge, unless({{"type", "requires"}, {"ids", {p.id.hex()}}}));
  const Settlement st = test::run(make_state(poor), {p, d});
  EXPECT_EQ(st.receipts[0].reason, "insufficient_balance");
  EXPECT_EQ(st.receipts[1].status, ReceiptStatus::settled) << st.receipts[1].reason << ": " << st.receipts[1].message;
}

}  // namespace
}  // namespace pactum
