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
//     wins), unknown asset -> rejected with that reason.
//  2. Cancels settle first: an intent of the same signer named by a settled cancel is
//     cancelled (its nonce is used); the cancel's own nonce is used.
//  3. Funding: intents in id order reserve what they may debit from the pre-block
//     balance; one that does not fit is rejected (insufficient_balance). Proceeds are
//     credited after the batch, so a batch never spends what it receives.
//  4. Transfers execute. Swaps clear per pair at one uniform price: opposite swaps
//     match each other first; the net imbalance trades against the pair's constant-
//     product pool, which ends on or above its curve (x*y never decreases). No swap
//     receives less than its limit; fill-or-kill fills fully or not at all; rounding
//     always favours the pool (or, without a pool, the dust account), never a trader.
//  5. Settled intents use their nonce. Unfilled swaps do not: they stay pending.
#pragma once
#include <span>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

// The account that receives rounding dust of pairs without a pool: 32 zero bytes (no
// one holds its key).
PublicKey dust_account();

Settlement settle(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx);

}  // namespace pactum
