// The check of settle() against the reference semantics, and the shrinking of an
// instance where they disagree (conditions_property.hpp).
#include <algorithm>

#include "conditions_property.hpp"

namespace pactum::conditions_test {
namespace {

// The program hash abstracts exactly what program_key does.
void check_programs(const std::vector<Intent>& batch, const Reference& ref, Findings& f) {
  const std::size_t n = batch.size();
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t c = a + 1; c < n; ++c)
      if (ref.commitment[a] && ref.commitment[c] &&
          (batch[a].commit()->program == batch[c].commit()->program) != (ref.program[a] == ref.program[c]))
        f["program"] << "#" << a << " and #" << c << ": program hashes "
                     << (ref.program[a] == ref.program[c] ? "differ" : "are equal") << " but the abstracted programs "
                     << (ref.program[a] == ref.program[c] ? "are equal" : "differ") << "\n";
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
      static const char* kNames[] = {"requires", "mirror", "threshold", "exists", "program", "all", "any", "reveals"};
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
    f[a2 == b2 ? "permuted: explanation" : "permuted: outcome"]
        << "#" << perm[k] << ": another receipt in a permuted batch: " << receipt_status_name(b.status) << " "
        << b.reason << ": " << b.message << " (related " << b.related.size() << ") instead of "
        << receipt_status_name(a.status) << " " << a.reason << ": " << a.message << " (related " << a.related.size()
        << ")\n";
  }
}

}  // namespace

Findings check(const Instance& inst, std::uint64_t perm_seed, Tally* tally) {
  const MapState state = make_state(inst.poor);
  const std::vector<Intent>& batch = inst.batch;
  const Reference ref = reference_of(state, batch);
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
    if (after.total(a) != state.total(a))
      f["conservation"] << a << " not conserved: " << state.total(a) << " -> " << after.total(a) << "\n";
  f.close();
  return f;
}

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
  const Reference ref = reference_of(state, inst.batch);
  const Settlement st = test::run(state, inst.batch);
  return "minimal instance for [" + kind + "] (" + std::to_string(inst.batch.size()) + " intents):\n" +
         describe(inst, &ref, &st) + "findings:\n" + check(inst, perm_seed, nullptr).text();
}

}  // namespace pactum::conditions_test
