// Counterfactual analysis of settled blocks (docs/MECHANISMS.md §10 states every formula).
//
// Each block's swaps are re-run against the SAME pre-block state under three sequencing
// rules, independently per block (nothing carries from one block's counterfactual into
// the next):
//   batch        what pactum did: the stored receipts (one price vector per batch);
//   fcfs         the block's order (the producing node's arrival order), each swap alone
//                against the pools, best of the direct pool and two-pool routes, its
//                limit enforced (a partial swap fills the largest part that meets it);
//   adversarial  fcfs plus a searcher who sees the pending swaps: before a victim on a
//                direct pool it front-runs (same direction, sized to maximise its profit
//                while the victim still fills at its limit), after it back-runs (sells
//                back what it bought); and after every swap it arbitrages the touched
//                pools back to the block's reference price when that pays.
// Only plain swaps are traders here; a swap the batch refused for validity (expired,
// nonce, balance, cancelled, ...) could not trade under any rule and is left out.
//
// Values: every amount is valued at the block's reference prices (the pre-block pool
// spot prices, reached from the numeraire through the pools) and reported in the
// numeraire's display units. Everything is exact (rationals over cpp_int): the same
// chain gives byte-identical reports.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::analysis {

using Rational = boost::multiprecision::cpp_rational;

enum class Rule { batch = 0, fcfs = 1, adversarial = 2 };
inline constexpr std::array<Rule, 3> kRules{Rule::batch, Rule::fcfs, Rule::adversarial};
std::string_view rule_name(Rule r);

// What one swap got under one rule.
struct Fill {
  bool filled = false;
  Amount sold = 0;
  Amount bought = 0;
  Rational surplus;                        // over the limit, in the numeraire (CoW's definition)
  std::optional<std::int64_t> impact_bps;  // execution rate vs the reference rate (filled only)
};

struct SwapRow {
  std::uint64_t height = 0;
  std::uint32_t index = 0;  // position in the block (the arrival order)
  Hash32 id;
  PublicKey signer;
  Swap swap;
  std::array<Fill, 3> by_rule;  // indexed by Rule
  bool sandwiched = false;      // adversarial: the searcher sandwiched it
  Rational victim_loss;         // adversarial: fcfs surplus minus adversarial surplus
};

struct SandwichRow {
  std::uint64_t height = 0;
  Hash32 victim;
  PoolId pool;
  std::string asset_in;  // what the searcher front-runs with (the victim's sell asset)
  Amount front_in = 0;   // sold into the pool before the victim
  Amount front_out = 0;  // bought, then sold back after the victim
  Amount back_out = 0;   // what the back-run returns, in asset_in
  Rational profit;       // (back_out - front_in) valued in the numeraire
};

struct PoolRow {
  std::uint64_t height = 0;
  PoolId pool;
  Rational reference;                  // price of asset_a in asset_b (base units): the batch price path
  std::array<Rational, 3> spot_after;  // pool spot (asset_b per asset_a) after the block, per rule
  std::array<Rational, 3> lvr;         // loss versus rebalancing at `reference`, numeraire, per rule
};

struct BlockRow {
  std::uint64_t height = 0;
  std::uint32_t swaps = 0;                    // swaps analysed (eligible)
  std::array<std::uint32_t, 3> filled{};      // per rule
  std::array<Rational, 3> surplus;            // summed, numeraire, per rule
  Rational sandwich_value;                    // adversarial: sandwich profits
  Rational backrun_value;                     // adversarial: arbitrage profits
  std::array<std::uint32_t, 3> worse_off{};   // traders with less surplus than under batch, per rule
  std::array<std::uint32_t, 3> better_off{};  // traders with more surplus than under batch, per rule
};

struct Study {
  std::string chain_id;
  std::string numeraire;
  std::uint32_t numeraire_decimals = 0;
  std::map<std::string, std::uint32_t> decimals;  // every asset of the chain, by symbol
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  std::vector<BlockRow> blocks;
  std::vector<SwapRow> swaps;
  std::vector<SandwichRow> sandwiches;
  std::vector<PoolRow> pools;
};

// Starts a study of a chain with these assets: the numeraire is `preferred` when the
// chain has it, else the first asset by symbol.
Study new_study(const std::string& chain_id, const std::vector<AssetInfo>& assets,
                const std::string& preferred = "USDC");

// Analyses one block: `pre` is the state it was settled on, `block` the stored block
// (its receipts are the batch outcome), `delta` what the block changed (the pools after
// batch clearing). Appends its rows to `study`.
void analyze_block(const StateView& pre, const Block& block, const StateDelta& delta, Study& study);

// Fixed-point rendering: `v` scaled by 10^-decimals, `places` fractional digits, rounded
// toward zero ("-1.250000"). Exact and locale-free.
std::string fixed(const Rational& v, std::uint32_t decimals, unsigned places = 6);

// Report files in `dir` (created): intents.csv, blocks.csv, pools.csv, sandwiches.csv,
// report.json and report.html (self-contained, SVG charts, nothing fetched). Returns the
// names written. Byte-identical for the same study.
Result<std::vector<std::string>> write_reports(const Study& study, const std::string& dir);

}  // namespace pactum::analysis
