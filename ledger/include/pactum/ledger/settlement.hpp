// The contract between the ledger and its settlement function (the matcher): what a
// settlement function is given (the state, the batch and the BlockContext) and what it
// returns (a Settlement: prices, one receipt per intent, and the state delta). The
// ledger takes the function as a SettleFn, so it never depends on the matcher; the
// matcher includes only this header of the ledger's block machinery.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

// A clearing price: 1 unit of base is worth num/den units of quote (exact rational,
// reduced, den > 0). base < quote in byte order.
struct Price {
  std::string base;
  std::string quote;
  BigInt num;
  BigInt den;
  bool operator==(const Price&) const = default;
  nlohmann::json to_json() const;
  static Result<Price> from_json(const nlohmann::json& j);
};

enum class ReceiptStatus {
  settled,    // executed (fully, or partly when the swap allowed it: see `fill`)
  unfilled,   // a swap that did not fill in this block; stays pending until valid_until
  rejected,   // final: will never execute (reason says why); the nonce stays free
  cancelled,  // final: a cancel of the same signer in this block named it; nonce used
};
std::string_view receipt_status_name(ReceiptStatus s);

struct Receipt {
  Hash32 intent;
  ReceiptStatus status = ReceiptStatus::rejected;
  std::string reason;      // machine code ("" when settled in full): limit_not_reached, ...
  std::string message;     // a sentence a person can act on
  std::string sold_asset;  // transfer: the asset sent; swap: sell_asset
  Amount sold = 0;
  std::string bought_asset;  // swap: buy_asset; transfer: ""
  Amount bought = 0;
  std::optional<Price> price;  // swaps: the pair's clearing price in this block
  bool partial_fill = false;   // settled swap that filled less than its full size
  // Commitments: the intents the condition was about (for a failed one, those that did
  // not settle or that matched a negated pattern). Absent from the JSON when empty.
  std::vector<Hash32> related;
  // Bundles: the 0-based index of the step that failed. Absent from the JSON when unset.
  std::optional<std::uint32_t> step;
  bool operator==(const Receipt&) const = default;
  nlohmann::json to_json() const;
  static Result<Receipt> from_json(const nlohmann::json& j);
  Hash32 hash() const;
  // JCS(to_json()), written directly (the block store keeps receipts in this form too).
  std::string canonical_json() const;
};

// One entry of a batch's price vector: 1 unit of `asset` is worth num/den units of the
// batch's numeraire (exact rational, reduced, den > 0). Every trade between assets A and
// B in the batch happens at price(A)/price(B), in both directions.
struct AssetPrice {
  std::string asset;
  BigInt num;
  BigInt den;
  bool operator==(const AssetPrice&) const = default;
  nlohmann::json to_json() const;  // {"asset","num","den"}, num and den decimal strings
  static Result<AssetPrice> from_json(const nlohmann::json& j);
};

// A swap's fill in a clearing: what its signer paid (`sold`, of the sell asset) and got
// (`bought`, of the buy asset), in base units. A commitment whose action is a swap fills
// under the commitment's id.
struct Fill {
  Hash32 intent;
  Amount sold = 0;
  Amount bought = 0;
  bool operator==(const Fill&) const = default;
};

// A pool's reserves after the batch's swaps (before the bundles run on the result).
struct PoolReserves {
  std::string asset_a;  // asset_a < asset_b, as in the pool
  std::string asset_b;
  Amount reserve_a = 0;
  Amount reserve_b = 0;
  bool operator==(const PoolReserves&) const = default;
  nlohmann::json to_json() const;  // {"asset_a","asset_b","reserve_a","reserve_b"}, amounts decimal strings
  static Result<PoolReserves> from_json(const nlohmann::json& j);
};

// A clearing of a batch's swaps: what a solver proposes and what a block records (its
// prices and asset_prices members, the fills in its receipts and its "clearing" member).
// Everything else a block does (validity, cancels, funding, transfers, commitments,
// bundles, rooms, receipts, the state root) follows from the clearing by the rules
// (settle_clearing in the matcher), so checking a block never searches for prices.
struct Clearing {
  std::vector<Price> prices;             // one per traded pair, sorted by (base, quote)
  std::vector<AssetPrice> asset_prices;  // the price vector, sorted by asset (empty: pair prices only)
  std::vector<Fill> fills;               // sorted by intent id, one per filled swap
  std::vector<PoolReserves> pools;       // the pools that traded, sorted by (asset_a, asset_b)
  bool operator==(const Clearing&) const = default;
};

// How the producer chose a block's clearing: every solver asked, what its proposal scored
// (trader surplus, an exact rational "num/den", valued alike for every candidate of the
// block: docs/MECHANISMS.md section 12) or why it was dropped. Recorded in the block for
// analysts; it is the producer's choice, not a rule, so replay does not check it.
struct SolverCandidate {
  std::string solver;  // "builtin", "exact", or the URL of an external solver
  std::string status;  // "valid", or why the proposal was dropped: a rule code, "late", "unreachable", "malformed"
  std::string detail;  // a sentence ("" when valid)
  std::string score;   // "num/den" or "num" when valid, "" otherwise
  bool operator==(const SolverCandidate&) const = default;
};
struct SolverRecord {
  std::string winner;  // the solver whose clearing the block records
  std::vector<SolverCandidate> candidates;
  bool operator==(const SolverRecord&) const = default;
  nlohmann::json to_json() const;
  static Result<SolverRecord> from_json(const nlohmann::json& j);
};

// What the matcher returns for a batch.
struct Settlement {
  std::vector<Price> prices;  // one per traded pair, sorted by (base, quote)
  // The batch's price vector over the assets that traded, sorted by asset (see
  // docs/MECHANISMS.md for the numeraire). Empty when nothing traded.
  std::vector<AssetPrice> asset_prices;
  std::vector<Receipt> receipts;  // one per intent, in batch order
  StateDelta delta;
  // The pools' reserves after the swaps, before any bundle ran (the matcher sets it).
  std::optional<std::vector<PoolReserves>> cleared_pools;
  // Set by the producer's picker (solvers/picker.hpp), which made this settlement with
  // settle_clearing: the block then records its clearing (cleared_pools) and this record,
  // and replay checks the clearing instead of searching. Unset: a block without a
  // clearing, replayed by re-running the search (blocks written before clearings were
  // recorded, and chains made with a bare SettleFn).
  std::optional<SolverRecord> solver;
};

// The clearing a settlement made, read back from it: prices, asset prices, the fill of
// every settled swap (a receipt with status settled whose intent, or commitment action,
// is a swap) and `pools`. Used by replay (from a block) and the producer (from a solver's
// settlement).
Clearing clearing_of(std::span<const Intent> batch, const std::vector<Receipt>& receipts,
                     const std::vector<Price>& prices, const std::vector<AssetPrice>& asset_prices,
                     std::vector<PoolReserves> pools);

// Negotiation rooms (docs/MECHANISMS.md §9): what opening one costs and how many rooms a
// pair of accounts may open per period of blocks (the probing bound).
struct RoomRules {
  std::string fee_asset;           // "" = no fee
  Amount fee = 0;                  // paid by the opener to the producer's account
  std::uint32_t max_per_pair = 8;  // rooms per unordered pair of parties per period
  std::uint64_t period = 100;      // blocks; period number = height / period
};

struct BlockContext {
  std::string chain_id;
  std::uint64_t height = 0;
  std::uint64_t timestamp = 0;  // ms; informational, settlement must not depend on it
  PublicKey producer;           // the genesis producer: the only signer of room_key / room_outcome
  RoomRules rooms;              // the genesis room rules
};

struct Genesis;

// The context of block `height` of the chain of `genesis`: the one place a BlockContext is
// made, for producing, quoting, simulating and replaying alike.
BlockContext block_context(const Genesis& genesis, std::uint64_t height, std::uint64_t timestamp);

// The settlement function (the matcher), injected so that ledger does not depend on it.
using SettleFn = std::function<Settlement(const StateView&, std::span<const Intent>, const BlockContext&)>;

// The rules given a recorded clearing (the matcher's settle_clearing, without the
// market-clearing rule): how replay checks a block that records its clearing.
using VerifyFn =
    std::function<Result<Settlement>(const StateView&, std::span<const Intent>, const BlockContext&, const Clearing&)>;

}  // namespace pactum
