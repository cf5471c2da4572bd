// Random batch-clearing instances small enough to solve exactly (bench/quality).
//
// Two generators of different design, so that the matcher is measured on batches nobody
// tuned it for (issue 19):
//
// make_instance (the "classic" generator): K assets T0..T{K-1} (T0 is the numeraire: it
// sorts first), a reference price r_a per asset (r_0 = 1), constant-product pools on a
// random spanning tree of the assets plus a few extra pairs (spot near the reference
// ratio, fee 0..100 bps), and n swaps, each from its own funded account, between random
// distinct assets: value 1..40 numeraire units, limit 0.90..1.05 times the reference rate
// (so some cross each other, some only the pools, some nothing), side sell or buy, partial
// or fill-or-kill at random.
//
// make_ring_instance (the "rings" generator): the assets fall into two clusters; every
// swap belongs to a ring (a cycle T_a -> T_b -> ... -> T_a of 2 to 4 swaps inside one
// cluster, so no two swaps of a ring cross each other directly), and no swap joins the
// clusters: they are connected only through pools, one deep pool between them beside thin
// ones (thin pools also join each cluster's assets, so every asset is priced through pools). Limit prices are
// clustered: each ring asks one of two or three premiums over the reference rate (within -1.5%..+0.8%), half of its
// swaps exactly, half within 0.05% of it, so many limits tie or nearly tie and rings only clear when their premiums add
// up to at most the pools' costs.
//
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
  int max_extra_pools = 2;  // beyond the spanning tree (classic generator)
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
Instance make_ring_instance(std::uint64_t seed, const InstanceShape& shape);

// What both generators build with: the assets T0..T{K-1} at the given reference prices,
// pools and swaps in numeraire units, then the pre-block state that funds every swap.
class InstanceBuilder {
 public:
  InstanceBuilder(std::uint64_t seed, std::vector<double> reference);
  // A pool of assets x < y holding `value` numeraire units of x and value * skew of y.
  void add_pool(std::size_t x, std::size_t y, double value, double skew, std::uint32_t fee_bps);
  // A swap selling `value` numeraire units of `sell` for at least limit_factor times the
  // reference rate in `buy`, from its own funded account.
  void add_swap(std::size_t sell, std::size_t buy, double value, double limit_factor, SwapSide side, bool partial);
  std::size_t swaps() const { return inst_.batch.size(); }
  Instance finish();

 private:
  Instance inst_;
  StateDelta genesis_;
};

}  // namespace pactum::quality
