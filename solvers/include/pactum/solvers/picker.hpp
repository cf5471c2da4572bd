// The producer's choice of a block's clearing (docs/MECHANISMS.md, "Consensus rules and
// the producer's choice"). For each batch the picker:
//  1. asks every solver: the built-in matcher on the calling thread (it always answers,
//     whatever the deadline), the others on threads of their own until the deadline;
//  2. checks each proposal by the rules (settle_clearing, which runs the independent
//     checker); a proposal that breaks a rule is dropped and the log names the rule;
//  3. keeps the best by tier, then trader surplus (valued for every candidate alike: each
//     asset the pre-block pools connect at the pools' mid prices, so that proposals that
//     pick different numeraires compare), then the solver's position in the list
//     (the built-in matcher first), so two producers given the same proposals pick the
//     same one. Tier 1 keeps the market-clearing rule (no partial swap strictly in the
//     money left unfilled), tier 2 breaks only that rule. The empty clearing (nothing
//     trades) is always valid and is the last resort.
// The settlement it returns records the winner and every candidate's score or reason
// (Settlement::solver), so the block records its clearing and replay checks it.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pactum/ledger/settlement.hpp"
#include "pactum/solvers/solver.hpp"

namespace pactum::solvers {

struct PickerOptions {
  // How long the other solvers have, from the start of the block's settlement.
  std::chrono::milliseconds deadline{200};
  // Gets one line per dropped proposal ("solver URL dropped: rule limit: ..."); may be empty.
  std::function<void(const std::string&)> log;
};

// The built-in matcher (matcher.hpp's settle) as a solver named "builtin".
std::unique_ptr<Solver> builtin_solver();

class Picker {
 public:
  // `others` are asked besides the built-in matcher, in this order.
  Picker(std::vector<std::unique_ptr<Solver>> others, PickerOptions options);
  Settlement settle(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) const;
  // settle() as the SettleFn a NodeCore takes; the picker must outlive it.
  SettleFn settle_fn() const;

 private:
  std::unique_ptr<Solver> builtin_;
  std::vector<std::unique_ptr<Solver>> others_;
  PickerOptions options_;
};

}  // namespace pactum::solvers
