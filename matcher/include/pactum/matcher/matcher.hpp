// The matcher: a pure, deterministic function from (read-only state, batch, block
// context) to a Settlement. No I/O, no clock, no threads, no floating point, no
// unordered iteration: the same inputs give the same settlement byte for byte, and
// permuting the batch permutes only the receipts (receipts[i] is for batch[i]).
//
// Precondition: every intent's signature was verified (decode_verified_intent).
//
// Rules, in order (docs/MECHANISMS.md has the full statement):
//  1. Validity, per intent: wrong chain, expired (valid_until < height), nonce already
//     used, a second intent of the same (signer, nonce) in the batch (the smallest id
//     wins), unknown asset, not yet valid (valid_from > height; a cancel of the batch
//     may still cancel it) -> rejected with that reason.
//  2. Cancels settle first: an intent of the same signer named by a settled cancel is
//     cancelled (its nonce is used); the cancel's own nonce is used.
//  3. Funding: intents in id order reserve what they may debit from the pre-block
//     balance; one that does not fit is rejected (insufficient_balance). Proceeds are
//     credited after the batch, so a batch never spends what it receives.
//  4. Transfers execute. Swaps clear at ONE price vector per batch (one price per asset;
//     every swap A->B trades at p_A/p_B): opposite swaps and rings net against each
//     other; only the net imbalance trades against constant-product pools (possibly
//     routed through several), which end on or above their curves. No swap receives
//     less than its limit; fill-or-kill fills fully or not at all; rounding always
//     favours the pools (or the dust account), never a trader.
//  5. Settled intents use their nonce. Unfilled swaps do not: they stay pending.
#pragma once
#include <span>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/replay.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

// The account that receives rounding dust of pairs without a pool: 32 zero bytes (no
// one holds its key).
PublicKey dust_account();

Settlement settle(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx);

// The rules given a clearing (docs/MECHANISMS.md, "Consensus rules and the producer's
// choice"): settle() with the price search replaced by `clearing`. Validity, cancels,
// funding, transfers, the rounds of condition resolution, bundles and rooms run exactly as
// in settle(); in every round a swap settles iff the clearing fills it (at its pair's
// clearing price), and the pools end at the clearing's reserves. The last round's clearing
// must then pass every rule of the independent checker (checker.hpp), every fill must
// belong to a swap that settled, and rounding dust (what traders paid minus what they got
// minus what the pools took, per asset) must not be negative. A clearing that breaks a rule
// is a `clearing_invalid` error whose `field` is the rule's code (checker.hpp's list, or
// "fill" / "pool" / "dust") and whose message names the intent or pool.
//
// The result has `cleared_pools` set (settle() sets it too): a block built from it records its clearing, and
// replay calls this function with the clearing read back from the block (clearing_of).
// A settlement of settle() run through clearing_of and then settle_clearing gives the
// same fills, prices and state.
//
// `market_clearing`: also apply the checker's market-clearing rules: in_the_money (a
// partial-allowed swap strictly in the money at the batch prices fills fully) and
// pool_in_the_money (a pool the batch prices put outside its band trades its whole
// capacity at them). The producer ranks proposals that keep them above those that do not;
// they are not rules of block validity (replay passes false), because the built-in matcher
// breaks them on some batches (docs/MECHANISMS.md).
Result<Settlement> settle_clearing(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                                   const Clearing& clearing, bool market_clearing = true);

// How replay checks a block's recorded clearing (ReplayOptions::verify, a VerifyFn):
// settle_clearing without the market-clearing rule.
Result<Settlement> verify_recorded_clearing(const StateView& state, std::span<const Intent> batch,
                                            const BlockContext& ctx, const Clearing& clearing);

// Replay of a chain by these rules (ledger/replay.hpp): blocks that record their clearing
// are checked with verify_recorded_clearing, older ones re-settled by settle(). `options`
// gives the range, threads, progress and visitor; its `verify` is set here.
Result<ReplayStats> replay_by_the_rules(const std::string& dir, Genesis genesis, ReplayOptions options);

// The batch indices a solver may fill: swaps, and commitments whose action is a swap, that
// pass screening with every condition assumed to hold (valid, not cancelled, funded).
std::vector<std::size_t> solvable_swaps(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx);

// What the clearing did, for benchmarks, tests and logs (not part of the block).
struct SettleStats {
  std::size_t pair_markets = 0;    // components of two assets, cleared by the exact pair sweep
  std::size_t vector_markets = 0;  // components of three or more assets, cleared at a price vector
  std::size_t fallbacks = 0;       // vector markets whose final check failed: cleared per pair instead
  std::size_t refined = 0;         // vector markets whose exact equilibrium step succeeded
  int search_iterations = 0;       // summed over vector markets
  int completion_rounds = 0;       // summed over vector markets
};
// settle(), also reporting what the clearing did. (A distinct name, so that &settle
// stays unambiguous where the node and replay take it as a SettleFn.)
Settlement settle_with_stats(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                             SettleStats* stats);

}  // namespace pactum
