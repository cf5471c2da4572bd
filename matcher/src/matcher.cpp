// settle(): condition resolution (when the batch holds commitments), the clearing of the
// batch, then the bundles. docs/MECHANISMS.md states the rules; matcher.hpp the contract.
#include "pactum/matcher/matcher.hpp"

#include <algorithm>

#include <cstring>
#include <unordered_set>

#include "clearing.hpp"
#include "conditions.hpp"
#include "pactum/checker/checker.hpp"
#include "pactum/matcher/bundles.hpp"
#include "rational.hpp"
#include "receipts.hpp"
#include "revision.hpp"
#include "rooms.hpp"
#include "screening.hpp"
#include "shares.hpp"

namespace pactum {

PublicKey dust_account() { return PublicKey{}; }

namespace {

using matching::Cleared;
using matching::ConditionGraph;

// The receipt of a commitment whose action settled: the action's receipt, saying which
// condition let it through.
Receipt commitment_settled(Receipt r, const Intent& commitment, bool by_fallback) {
  const Condition& c = commitment.commit()->condition;
  static constexpr const char* kNames[] = {"requires", "mirror", "threshold", "exists",
                                           "program",  "all",    "any",       "reveals"};
  const std::string name = std::string(c.negated ? "unless " : "") + kNames[static_cast<int>(c.type)];
  r.message = (by_fallback ? "condition (" + name + ") not met; traded under its \"pools\" fallback: "
                           : "condition (" + name + ") met: ") +
              r.message;
  return r;
}

Receipt bundle_receipt(const StateView& state, const Intent& in, const BundleRun& run);

// Bundles run after the batch, on its result, one after another in ascending id: each
// sees what the batch and the bundles before it did (docs/MECHANISMS.md says why).
void run_bundles(const StateView& state, std::span<const Intent> batch, const std::vector<std::size_t>& bundles,
                 Settlement& settlement);

// With a given clearing (settle_clearing): the clearing, and what its last round broke.
struct Verification {
  const Clearing& clearing;
  bool market_clearing = true;                      // check the checker's in_the_money rule
  std::vector<matching::ClearingProblem> problems;  // the last round's
  std::vector<check::Violation> violations;         // the checker's, on the last round
  std::optional<Settlement> before_bundles;         // the last round's clearing before its bundles ran
};

// One round: the clearing of `round` (searched, or given by `verify`), then its bundles.
Cleared clear_round(const StateView& state, std::span<const Intent> round, const BlockContext& ctx, SettleStats& stats,
                    Verification* verify) {
  Cleared cleared = matching::clear_batch(state, round, ctx, stats, verify ? &verify->clearing : nullptr);
  matching::pay_shares(state, round, cleared.shares, cleared.settlement);
  if (verify) {
    verify->problems = std::move(cleared.problems);
    verify->before_bundles.reset();
    if (!cleared.bundles.empty()) {
      // The bundles' receipts are written by their runner; before it, each is a blank
      // rejected receipt of its own intent (a bundle moves nothing in the clearing).
      verify->before_bundles = cleared.settlement;
      for (std::size_t i : cleared.bundles) verify->before_bundles->receipts[i] = matching::blank_receipt(round[i]);
    }
  }
  run_bundles(state, round, cleared.bundles, cleared.settlement);
  return cleared;
}

// The final round's clearing, as plain intents before the bundles ran, by the checker.
void check_final_round(const StateView& state, std::span<const Intent> round, const BlockContext& ctx,
                       const Settlement& after_bundles, Verification* verify) {
  if (!verify) return;
  check::CheckOptions options;
  options.ctx = &ctx;
  options.in_the_money_must_fill = verify->market_clearing;
  options.pools_must_clear = verify->market_clearing;
  const Settlement& s = verify->before_bundles ? *verify->before_bundles : after_bundles;
  verify->violations = check::check_settlement(state, round, s, options);
}

// Rounds of the greatest fixed point (docs/MECHANISMS.md): each round resolves the
// conditions over the intents still in play, clears them, runs the bundles on the result,
// and takes out of play every intent that did not settle. It ends when a round settles
// all it was given. Every round but the last takes at least one intent out, so there are
// at most n + 1.
//
// The intents that a valid cancel of the batch names (screening, rules 1 and 2, over the
// whole batch): cancelled before any condition is resolved. A cancel does not depend on
// conditions, and a commitment whose condition is not met would otherwise stay out of
// every round, so the cancel naming it would not find it, and it would stay pending and
// settle in a later block although its signer cancelled it.
std::vector<bool> cancelled_up_front(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
  std::vector<bool> out(batch.size(), false);
  if (std::none_of(batch.begin(), batch.end(), [](const Intent& in) { return in.cancel() != nullptr; })) return out;
  std::vector<Intent> actions;
  actions.reserve(batch.size());
  for (const Intent& in : batch) actions.push_back(in.commit() ? action_intent(in) : in);
  std::vector<std::size_t> by_id(batch.size());
  for (std::size_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(), [&](std::size_t a, std::size_t b) {
    return batch[a].id != batch[b].id ? batch[a].id < batch[b].id : a < b;
  });
  const matching::Screening screened = matching::screen(state, actions, by_id, ctx);
  for (std::size_t i = 0; i < batch.size(); ++i)
    out[i] = screened.receipts[i] && screened.receipts[i]->status == ReceiptStatus::cancelled;
  return out;
}

// After a round in which everything in play settled: the commitments whose pattern bounds
// the amount a match sells and that the round's amounts do not meet leave play, like an
// intent that did not settle (docs/MECHANISMS.md 7.4). True when one did.
bool drop_failed_amounts(std::span<const Intent> batch, const ConditionGraph& graph,
                         const std::vector<std::size_t>& members, const Settlement& round, std::vector<bool>& in_play,
                         std::vector<std::optional<Receipt>>& out_of_play) {
  if (!graph.has_amount_bounds()) return false;
  std::vector<bool> settled(in_play.size(), false);
  std::vector<Amount> sold(in_play.size(), Amount(0));
  for (std::size_t k = 0; k < members.size(); ++k) {
    if (round.receipts[k].status != ReceiptStatus::settled || !in_play[members[k]]) continue;
    settled[members[k]] = true;
    sold[members[k]] = round.receipts[k].sold;
  }
  const auto failures = graph.amount_failures(settled, sold);
  for (const auto& [i, f] : failures) {
    in_play[i] = false;
    out_of_play[i] = matching::condition_not_met(batch[i], f.reason, f.message, f.related);
  }
  return !failures.empty();
}

// A cancelled intent leaves play for the conditions (it does not settle) but stays in the
// rounds, so that the cancel that names it finds it and its nonce is used.
Settlement resolve_and_clear(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                             SettleStats& stats, Verification* verify) {
  const std::size_t n = batch.size();
  const ConditionGraph graph(batch);
  std::vector<bool> cancelled = cancelled_up_front(state, batch, ctx);
  std::vector<bool> in_play(n, true);
  for (std::size_t i = 0; i < n; ++i) in_play[i] = !cancelled[i];
  std::vector<std::optional<Receipt>> out_of_play(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!graph.in_negation_cycle(i)) continue;
    const auto f = graph.negation_cycle_failure(i);
    out_of_play[i] = matching::condition_not_met(batch[i], f.reason, f.message, f.related);
    in_play[i] = false;
  }
  for (;;) {
    const ConditionGraph::Verdict verdict = graph.resolve(in_play);
    std::vector<std::size_t> members;
    std::vector<Intent> round;
    for (std::size_t i = 0; i < n; ++i) {
      const bool plays = in_play[i] && (!graph.is_commitment(i) || verdict.keep[i]);
      if (!plays && !cancelled[i]) continue;
      members.push_back(i);
      round.push_back(batch[i].commit() ? action_intent(batch[i]) : batch[i]);
    }
    Cleared cleared = clear_round(state, round, ctx, stats, verify);
    bool changed = false;
    for (std::size_t k = 0; k < round.size(); ++k) {
      const std::size_t i = members[k];
      const Receipt& r = cleared.settlement.receipts[k];
      if (r.status == ReceiptStatus::settled || cancelled[i]) continue;
      in_play[i] = false;
      changed = true;
      if (r.status == ReceiptStatus::cancelled)
        cancelled[i] = true;
      else
        out_of_play[i] = r;
    }
    if (!changed) changed = drop_failed_amounts(batch, graph, members, cleared.settlement, in_play, out_of_play);
    if (changed) continue;

    check_final_round(state, round, ctx, cleared.settlement, verify);
    Settlement out = std::move(cleared.settlement);
    std::vector<Receipt> receipts(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (out_of_play[i])
        receipts[i] = *out_of_play[i];
      else if (verdict.why[i])
        receipts[i] = matching::condition_not_met(batch[i], verdict.why[i]->reason, verdict.why[i]->message,
                                                  verdict.why[i]->related);
    }
    for (std::size_t k = 0; k < round.size(); ++k) {
      const std::size_t i = members[k];
      Receipt& r = out.receipts[k];
      // A cancelled commitment's receipt says only that: no condition let it through.
      const bool through_condition = batch[i].commit() && r.status != ReceiptStatus::cancelled;
      receipts[i] =
          through_condition ? commitment_settled(std::move(r), batch[i], verdict.by_fallback[i]) : std::move(r);
    }
    out.receipts = std::move(receipts);
    return out;
  }
}

Receipt bundle_receipt(const StateView& state, const Intent& in, const BundleRun& run) {
  Receipt r = matching::blank_receipt(in);
  r.status = run.ok ? ReceiptStatus::settled : ReceiptStatus::rejected;
  r.reason = run.reason;
  r.step = run.failed_step;
  r.message = run.ok ? run.message : "bundle failed, nothing changed: " + run.message;
  if (run.ok) {
    std::string net;
    for (const auto& [key, change] : run.changes) {
      if (key.account != in.signer) continue;
      net += (net.empty() ? "" : ", ") + std::string(change < 0 ? "-" : "+") +
             matching::display_amount(state, change < 0 ? BigInt(-change) : change, key.asset);
    }
    if (!net.empty()) r.message += "; net for the signer: " + net;
  }
  return r;
}

void run_bundles(const StateView& state, std::span<const Intent> batch, const std::vector<std::size_t>& bundles,
                 Settlement& settlement) {
  if (bundles.empty()) return;
  OverlayState after(state);
  after.apply(settlement.delta);
  for (std::size_t i : bundles) {
    const Intent& in = batch[i];
    const BundleRun run = run_bundle(after, in);
    settlement.receipts[i] = bundle_receipt(after, in, run);
    if (!run.ok) continue;
    after.apply(run.delta);
    after.use_nonce(in.signer, in.nonce);
  }
  settlement.delta = after.take_delta();
}

}  // namespace

Settlement settle(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
  return settle_with_stats(state, batch, ctx, nullptr);
}

namespace {

// Everything but rooms: conditions (when the batch holds commitments), clearing, bundles.
Settlement settle_plain(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                        SettleStats& stats, Verification* verify) {
  const bool conditional =
      std::any_of(batch.begin(), batch.end(), [](const Intent& in) { return in.commit() != nullptr; });
  if (conditional) return resolve_and_clear(state, batch, ctx, stats, verify);
  Cleared cleared = clear_round(state, batch, ctx, stats, verify);
  check_final_round(state, batch, ctx, cleared.settlement, verify);
  return std::move(cleared.settlement);
}

// Rooms settle first (rooms.hpp), on an overlay; the rest of the batch then settles on
// that overlay, so that escrow taken in this block cannot also be spent in it.
Settlement settle_impl(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                       SettleStats& stats, Verification* verify) {
  std::vector<std::size_t> rooms;
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].is_room()) rooms.push_back(i);
  if (rooms.empty()) return settle_plain(state, batch, ctx, stats, verify);
  OverlayState overlay(state);
  std::vector<Receipt> receipts(batch.size());
  matching::settle_rooms(overlay, batch, rooms, ctx, receipts);
  std::vector<Intent> rest;
  std::vector<std::size_t> rest_index;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].is_room()) continue;
    rest.push_back(batch[i]);
    rest_index.push_back(i);
  }
  Settlement inner = settle_plain(overlay, rest, ctx, stats, verify);
  for (std::size_t k = 0; k < rest.size(); ++k) receipts[rest_index[k]] = std::move(inner.receipts[k]);
  Settlement out;
  out.receipts = std::move(receipts);
  out.prices = std::move(inner.prices);
  out.asset_prices = std::move(inner.asset_prices);
  out.cleared_pools = std::move(inner.cleared_pools);
  overlay.apply(inner.delta);
  out.delta = overlay.take_delta();
  return out;
}

Error clearing_error(const std::string& rule, const std::string& detail) {
  return make_error(Errc::clearing_invalid, "the clearing breaks rule " + rule + ": " + detail, rule);
}

// Every fill must belong to a swap (or a commitment's swap action) that settled.
Result<void> fills_settled(std::span<const Intent> batch, const Settlement& s, const Clearing& clearing) {
  struct IdHash {  // an id is a hash: its first 8 bytes are uniform
    std::size_t operator()(const Hash32& id) const noexcept {
      std::uint64_t h = 0;
      std::memcpy(&h, id.bytes.data(), sizeof h);
      return h;
    }
  };
  std::unordered_set<Hash32, IdHash> settled;
  settled.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (s.receipts[i].status == ReceiptStatus::settled && traded_swap(batch[i])) settled.insert(batch[i].id);
  for (std::size_t k = 0; k < clearing.fills.size(); ++k) {
    const Fill& f = clearing.fills[k];
    if (k > 0 && !(clearing.fills[k - 1].intent < f.intent))
      return clearing_error("fill", "the fills are not sorted by intent id or name " + f.intent.hex() + " twice");
    if (!settled.count(f.intent))
      return clearing_error("fill", "intent " + f.intent.hex() + " is filled but does not settle in this block");
  }
  return {};
}

}  // namespace

Settlement settle_with_stats(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                             SettleStats* stats_out) {
  SettleStats stats;
  Settlement out = settle_impl(state, batch, ctx, stats, nullptr);
  if (stats_out) *stats_out = stats;
  return out;
}

Result<Settlement> settle_clearing(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                                   const Clearing& clearing, bool market_clearing) {
  SettleStats stats;
  Verification verify{clearing, market_clearing, {}, {}, std::nullopt};
  Settlement out = settle_impl(state, batch, ctx, stats, &verify);
  if (!verify.problems.empty()) return clearing_error(verify.problems[0].rule, verify.problems[0].detail);
  if (!verify.violations.empty()) return clearing_error(verify.violations[0].kind, verify.violations[0].detail);
  PACTUM_TRY(fills_settled(batch, out, clearing));
  return out;
}

Result<Settlement> verify_recorded_clearing(const StateView& state, std::span<const Intent> batch,
                                            const BlockContext& ctx, const Clearing& clearing) {
  return settle_clearing(state, batch, ctx, clearing, /*market_clearing=*/false);
}

Result<ReplayStats> replay_by_the_rules(const std::string& dir, Genesis genesis, ReplayOptions options) {
  options.verify = &verify_recorded_clearing;
  // Blocks without a recorded clearing were settled by the search of their time
  // (revision.hpp); re-settling them must give the same state roots.
  const SettleFn by_search = [](const StateView& s, std::span<const Intent> batch, const BlockContext& ctx) {
    const matching::RevisionScope unrecorded(matching::Revision::unrecorded);
    return settle(s, batch, ctx);
  };
  return replay(dir, std::move(genesis), by_search, options);
}

std::vector<std::size_t> solvable_swaps(const StateView& state, std::span<const Intent> batch,
                                        const BlockContext& ctx) {
  std::vector<Intent> actions;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].is_room()) continue;
    actions.push_back(batch[i].commit() ? action_intent(batch[i]) : batch[i]);
    index.push_back(i);
  }
  std::vector<std::size_t> out;
  for (std::size_t k : matching::funded_swaps(state, actions, ctx)) out.push_back(index[k]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace pactum
