// Atomic bundles (kind "bundle"): ordered steps that settle all together or not at all.
// docs/PROTOCOL.md §2 gives the wire form, docs/MECHANISMS.md the execution rules.
//
//   steps   1..32 of
//     {"op":"transfer", "from", "to", "asset", "amount"}
//     {"op":"swap", "account", "sell_asset", "buy_asset", "amount_in", "min_out"}  (against the pool)
//     {"op":"borrow", "account", "asset", "amount"}     flash loan from the asset's lending pool
//     {"op":"repay",  "account", "asset", "amount"}     principal plus fee, in one or more repays
//   checks  0..16 of (end conditions, after the last step)
//     {"type":"min_balance", "account", "asset", "amount"}   balance at the end >= amount
//     {"type":"min_profit",  "account", "asset", "amount"}   end balance - start balance >= amount
//   cosigs  [{"account", "sig"}]: the signatures of every account other than `signer`
//           that a step debits or names (`from` of a transfer, `account` of the others)
//
// Every signer signs the same digest, the intent id: tagged_hash("pactum/intent/v1",
// JCS(bundle without "sig" and "cosigs")). An account that moves funds without having
// signed makes the bundle invalid (Errc::missing_signature).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"

namespace pactum {

inline constexpr std::size_t kMaxBundleSteps = 32;
inline constexpr std::size_t kMaxBundleChecks = 16;
inline constexpr std::size_t kMaxCosigners = 16;

enum class StepOp { transfer, swap, borrow, repay };
std::string_view step_op_name(StepOp op);

struct BundleStep {
  StepOp op = StepOp::transfer;
  PublicKey account;      // transfer: from; others: the account whose balance moves
  PublicKey to;           // transfer only
  std::string asset;      // transfer, borrow, repay; swap: sell_asset
  std::string buy_asset;  // swap only
  Amount amount;          // transfer, borrow, repay; swap: amount_in
  Amount min_out;         // swap only
};

enum class CheckType { min_balance, min_profit };

struct BundleCheck {
  CheckType type = CheckType::min_balance;
  PublicKey account;
  std::string asset;
  Amount amount;
};

struct CoSignature {
  PublicKey account;
  Signature sig;
};

struct Bundle {
  std::vector<BundleStep> steps;
  std::vector<BundleCheck> checks;
  std::vector<CoSignature> cosigs;  // not signed over; kept in the order given
  std::vector<PublicKey> movers;    // sorted, distinct: accounts that must sign
};

}  // namespace pactum
