// Bundle execution (docs/MECHANISMS.md, "Atomic bundles"): a bundle's steps run in order
// on a scratch copy of the state; balances may go negative between steps; the bundle
// commits only if every step succeeds and, at the end, every flash loan is repaid with
// its fee, no touched balance is negative and every check holds. Otherwise nothing
// changes. Pure and deterministic, like the matcher.
//
// Steps:
//   transfer  from -= amount, to += amount
//   swap      against the pair's constant-product pool at its current (scratch) reserves:
//             out = floor(R_out * a*(10000-fee) / (R_in*10000 + a*(10000-fee))), a = amount_in
//             (pool_math::swap_out, pactum/ledger/pool_math.hpp); fails if out < min_out or out = 0
//   borrow    from the asset's lending pool (at most its reserve); the bundle owes
//             amount + ceil(amount * fee_bps / 10000) (pool_math::flash_loan_fee)
//   repay     to the lending pool; at most what is still owed
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

struct BundleStepResult {
  std::uint32_t index = 0;
  StepOp op = StepOp::transfer;
  bool ok = false;
  std::string error;      // "" when ok; otherwise a machine code (see docs/PROTOCOL.md)
  std::string message;    // what the step did, or why it failed
  Amount amount_out = 0;  // swap: amount received; borrow: amount owed (principal + fee)
};

struct BundleRun {
  bool ok = false;
  std::optional<std::uint32_t> failed_step;  // the step that failed (unset: an end condition)
  std::string reason;                        // "" when ok; the failure code
  std::string message;
  std::vector<BundleStepResult> steps;  // every step that ran, in order
  // Net change per (account, asset) over the whole bundle (zero changes omitted).
  std::vector<std::pair<BalanceKey, BigInt>> changes;
  StateDelta delta;  // when ok: new balances, pools and lending pools (absolute values)
};

// Runs `bundle` (an intent of kind "bundle") against `state`. Does not check its
// signatures, chain, nonce or expiry (the matcher's screening does).
BundleRun run_bundle(const StateView& state, const Intent& bundle);

}  // namespace pactum
