// Random batch-clearing instances small enough to solve exactly (bench/quality).
//
// An instance has K assets T0..T{K-1} (T0 is the numeraire: it sorts first), a reference
// price r_a per asset (r_0 = 1), constant-product pools on a random spanning tree of the
// assets plus a few extra pairs (spot near the reference ratio, fee 0..100 bps), and n
// swaps, each from its own funded account, between random distinct assets: value 1..40
// numeraire units, limit 0.90..1.05 times the reference rate (so some cross each other,
// some only the pools, some nothing), side sell or buy, partial or fill-or-kill at random.
// Amounts are integers in base units; one "unit" is kUnit base units, so the rounding of
// integer settlement is negligible next to the amounts. Generation uses floating point
// (it is a benchmark, not consensus code) from a seeded std::mt19937_64.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::quality {

inline constexpr double kUnit = 1e6;  // base units per unit

struct InstanceShape {
  int min_assets = 3, max_assets = 5;
  int min_intents = 6, max_intents = 20;
  int max_extra_pools = 2;  // beyond the spanning tree
  int fill_or_kill_percent = 25;
};

struct Instance {
  std::uint64_t seed = 0;
  std::vector<std::string> assets;  // sorted; assets[0] is the numeraire
  std::vector<double> reference;    // reference price per asset (numeraire units per unit)
  std::unique_ptr<State> state;     // pre-block state: assets, balances, pools
  std::vector<Pool> pools;          // the same pools, sorted by id
  std::vector<Intent> batch;
  BlockContext ctx{"quality", 1, 0, {}, {}};
};

Instance make_instance(std::uint64_t seed, const InstanceShape& shape);

}  // namespace pactum::quality
