// Solvers: a batch auction instance goes in, a proposed Clearing comes out. The producer
// asks every solver it has (the built-in matcher, the exact MILP for small batches, and
// external solvers over HTTP), checks each proposal by the rules (the matcher's
// settle_clearing, which runs the independent checker), and records the best valid one
// by trader surplus (picker.hpp). A solver's answer may come from anywhere (floating
// point, another process): nothing a verifier recomputes trusts it.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::solvers {

// One swap of the instance: a swap intent, or a commitment whose action is a swap (under
// the commitment's id), that passed screening (valid, not cancelled, funded).
struct InstanceSwap {
  Hash32 id;
  std::string sell_asset;
  std::string buy_asset;
  SwapSide side = SwapSide::sell;
  Amount sell_amount;
  Amount buy_amount;
  bool partial = false;
  bool operator==(const InstanceSwap&) const = default;
};

struct InstanceAsset {
  std::string symbol;
  std::uint32_t decimals = 0;
  bool operator==(const InstanceAsset&) const = default;
};

// What a solver sees of a batch (docs/PROTOCOL.md, "Solver API").
struct Instance {
  std::string chain_id;
  std::uint64_t height = 0;
  std::vector<InstanceAsset> assets;  // every asset a swap or pool names, sorted
  std::vector<InstanceSwap> swaps;    // sorted by id
  std::vector<Pool> pools;            // pre-block reserves of every pool between two instance assets, sorted
  bool operator==(const Instance&) const = default;
};

// The instance of a batch: its solvable swaps (matcher.hpp's solvable_swaps), their
// assets with decimals, and every pool of the state between two of those assets.
Instance make_instance(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx);

using Clock = std::chrono::steady_clock;

// Why a solver gave no proposal; the picker records it as the candidate's status.
struct Failure {
  std::string status;  // "late", "unreachable", "malformed", "failed"
  std::string detail;  // a sentence
};

struct Answer {
  std::optional<Clearing> clearing;  // set when the solver proposed one
  Failure failure;                   // why not, otherwise
};

class Solver {
 public:
  virtual ~Solver() = default;
  // "builtin", "exact", or the external solver's URL: what the block records.
  virtual std::string name() const = 0;
  // A proposal for `instance` by `deadline`. Must not throw; must return by the deadline
  // (a late answer is dropped anyway). `state` and `batch` are for in-process solvers
  // that need more than the instance; external solvers see only the instance.
  virtual Answer solve(const Instance& instance, const StateView& state, std::span<const Intent> batch,
                       const BlockContext& ctx, Clock::time_point deadline) = 0;
};

}  // namespace pactum::solvers
