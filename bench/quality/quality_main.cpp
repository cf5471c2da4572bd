// pactum_quality: the matcher's trader surplus against the exact optimum (GLPK MILP) on
// random small instances, and the independent checker's verdict on every settlement.
//
//   pactum_quality [--instances N] [--seed S] [--min-intents n] [--max-intents n]
//                  [--min-assets k] [--max-assets k] [--fok-percent P] [--time-limit SECONDS] [--verbose]
//                  [--require-targets] [--idle-pools-in-band]
//
// Exit status: 0, or 1 when an instance could not be solved at all (a bug in the model)
// or, with --require-targets, when mean < 99%, worst < 95% or any violation was found.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "exact_milp.hpp"
#include "instance.hpp"
#include "pactum/checker/checker.hpp"
#include "pactum/matcher/matcher.hpp"

namespace {

using namespace pactum;
using namespace pactum::quality;
using check::Rational;

struct Options {
  int instances = 60;
  std::uint64_t seed = 1;
  InstanceShape shape;
  double time_limit = 4;
  bool verbose = false;
  bool require_targets = false;
  bool idle_pools_in_band = false;
  std::uint64_t only_seed = 0;  // --instance SEED: that one instance, with its details
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value after %s\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    const std::string a = argv[i];
    if (a == "--instances") o.instances = std::atoi(next());
    else if (a == "--seed") o.seed = std::strtoull(next(), nullptr, 10);
    else if (a == "--min-intents") o.shape.min_intents = std::atoi(next());
    else if (a == "--max-intents") o.shape.max_intents = std::atoi(next());
    else if (a == "--min-assets") o.shape.min_assets = std::atoi(next());
    else if (a == "--max-assets") o.shape.max_assets = std::atoi(next());
    else if (a == "--fok-percent") o.shape.fill_or_kill_percent = std::atoi(next());
    else if (a == "--time-limit") o.time_limit = std::atof(next());
    else if (a == "--verbose") o.verbose = true;
    else if (a == "--instance") o.only_seed = std::strtoull(next(), nullptr, 10), o.instances = 1, o.verbose = true;
    else if (a == "--require-targets") o.require_targets = true;
    else if (a == "--idle-pools-in-band") o.idle_pools_in_band = true;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      std::exit(2);
    }
  }
  o.shape.min_intents = std::min(o.shape.min_intents, o.shape.max_intents);
  o.shape.min_assets = std::min(o.shape.min_assets, o.shape.max_assets);
  return o;
}

double to_double(const Rational& r) { return r.convert_to<double>(); }

// The matcher's prices in the benchmark's numeraire (T0 = 1). A group of assets whose
// prices are not tied to T0 (T0 did not trade with them) is scaled so that its smallest
// asset is at its reference price; `fallback` counts such groups.
check::PriceVector in_numeraire(const Instance& inst, const Settlement& s, int* fallback) {
  check::PriceVector v = check::effective_prices(s, nullptr);
  // Groups: one for asset_prices; for derived vectors, the connected components of the
  // traded pairs.
  std::map<std::string, std::string> group;  // asset -> representative
  auto find = [&](std::string a) {
    while (group.count(a) && group[a] != a) a = group[a];
    return a;
  };
  for (const auto& [a, _] : v.price) group[a] = a;
  if (v.derived) {
    for (const auto& p : s.prices) {
      const std::string x = find(p.base), y = find(p.quote);
      if (x != y) group[std::max(x, y)] = std::min(x, y);
    }
  } else {
    for (const auto& [a, _] : v.price) group[a] = v.price.begin()->first;
  }
  std::map<std::string, Rational> scale;
  for (const auto& [a, p] : v.price) {
    const std::string g = find(a);
    if (scale.count(g)) continue;
    const std::string anchor = inst.assets[0];
    if (v.has(anchor) && find(anchor) == g) {
      scale[g] = 1 / v.price.at(anchor);
    } else {
      std::size_t idx = 0;
      while (idx < inst.assets.size() && inst.assets[idx] != g) ++idx;
      const double r = idx < inst.assets.size() ? inst.reference[idx] : 1.0;
      scale[g] = Rational(static_cast<long long>(r * 1e9), 1000000000LL) / v.price.at(g);
      ++*fallback;
    }
  }
  for (auto& [a, p] : v.price) p *= scale[find(a)];
  return v;
}

// What the instances add up to.
struct Tally {
  double sum_ratio = 0, worst = 1e9, matcher_seconds = 0, milp_seconds = 0, total_opt = 0, total_got = 0;
  std::uint64_t worst_seed = 0;
  double unproven_vs_incumbent = 0, unproven_vs_bound = 0;
  int compared = 0, unproven = 0, infeasible = 0, no_incumbent = 0, above_optimum = 0, fallback = 0, with_violations = 0,
      at_bounds = 0;
  std::size_t violations = 0;
  std::map<std::string, std::size_t> by_kind;
};

// --instance SEED: the instance's pools and swaps, both settlements' prices.
void print_details(const Instance& inst, const Settlement& s, const ExactResult& exact) {
  for (const auto& pool : inst.pools)
    std::printf("    pool %s/%s %s %s fee %u\n", pool.asset_a.c_str(), pool.asset_b.c_str(),
                amount_to_string(pool.reserve_a).c_str(), amount_to_string(pool.reserve_b).c_str(), pool.fee_bps);
  for (std::size_t i = 0; i < inst.batch.size(); ++i) {
    const Swap& w = *inst.batch[i].swap();
    const Receipt& r = s.receipts[i];
    std::printf("    %s %s->%s %s sell %s buy %s | %s %s sold %s bought %s\n",
                w.side == SwapSide::sell ? "sell" : "buy ", w.sell_asset.c_str(), w.buy_asset.c_str(),
                w.partial ? "partial" : "fok    ", amount_to_string(w.sell_amount).c_str(),
                amount_to_string(w.buy_amount).c_str(), std::string(receipt_status_name(r.status)).c_str(),
                r.reason.c_str(), amount_to_string(r.sold).c_str(), amount_to_string(r.bought).c_str());
  }
  for (const auto& p : s.asset_prices)
    std::printf("    matcher price %s = %s/%s\n", p.asset.c_str(), p.num.str().c_str(), p.den.str().c_str());
  for (std::size_t a = 0; a < exact.prices.size(); ++a)
    std::printf("    optimal price %s = %.6f (reference %.6f)\n", inst.assets[a].c_str(), exact.prices[a],
                inst.reference[a]);
}

// Compares the matcher's surplus `got` with the MILP's on one solved instance.
void compare(const Options& opt, std::uint64_t seed, const Instance& inst, const ExactResult& exact, double got,
             std::size_t violations, Tally& t) {
  t.at_bounds += exact.prices_at_bounds;
  if (!exact.optimal) {
    // Not proven within the time limit: kept apart. Against the incumbent the ratio
    // may be too high, against the proven bound too low; both are reported.
    ++t.unproven;
    t.unproven_vs_incumbent += exact.objective <= 1e-9 ? 1.0 : got / exact.objective;
    t.unproven_vs_bound += exact.bound <= 1e-9 ? 1.0 : got / exact.bound;
  }
  const double best = exact.optimal ? exact.objective : exact.bound;
  const double ratio = best <= 1e-9 ? 1.0 : got / best;
  // A clean settlement above the proven optimum would mean the model is too strict.
  if (exact.optimal && violations == 0 && got > best * (1 + 1e-6) + 1e-9) {
    ++t.above_optimum;
    std::printf("  seed %llu: matcher %.9f above the proven optimum %.9f with no violation\n",
                static_cast<unsigned long long>(seed), got, best);
  }
  if (exact.optimal) {
    t.sum_ratio += ratio;
    t.total_opt += best;
    t.total_got += got;
    ++t.compared;
    if (ratio < t.worst) t.worst = ratio, t.worst_seed = seed;
  }
  if (opt.verbose)
    std::printf("  seed %llu: %zu intents, %zu assets, %zu pools: matcher %.6f, optimum %.6f%s, ratio %.4f, "
                "%zu violations, MILP %d bin %.2f s\n",
                static_cast<unsigned long long>(seed), inst.batch.size(), inst.assets.size(), inst.pools.size(), got,
                best, exact.optimal ? "" : " (bound)", ratio, violations, exact.binaries, exact.seconds);
}

// One instance: the matcher, the checker on its settlement, the MILP.
void run_instance(const Options& opt, std::uint64_t seed, Tally& t) {
  Instance inst = make_instance(seed, opt.shape);
  const auto t0 = std::chrono::steady_clock::now();
  const Settlement s = settle(*inst.state, inst.batch, inst.ctx);
  t.matcher_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  check::CheckOptions copt;
  copt.ctx = &inst.ctx;
  const auto v = check::check_settlement(*inst.state, inst.batch, s, copt);
  t.violations += v.size();
  if (!v.empty()) ++t.with_violations;
  for (const auto& x : v) ++t.by_kind[x.kind];

  const double got = to_double(check::trader_surplus(inst.batch, s, in_numeraire(inst, s, &t.fallback))) / kUnit;
  const ExactResult exact = solve_exact(inst, opt.time_limit, opt.idle_pools_in_band);
  t.milp_seconds += exact.seconds;
  if (!exact.feasible) {
    if (exact.infeasible) ++t.infeasible; else ++t.no_incumbent;
    std::printf("  seed %llu: the MILP %s (%d binaries); matcher %.6f, %zu violations\n",
                static_cast<unsigned long long>(seed),
                exact.infeasible ? "is INFEASIBLE" : "found no solution in the time limit", exact.binaries, got,
                v.size());
    return;
  }
  compare(opt, seed, inst, exact, got, v.size(), t);
  if (opt.verbose && !v.empty()) std::printf("%s", check::describe(v, opt.only_seed ? 100 : 5).c_str());
  if (opt.only_seed) print_details(inst, s, exact);
}

void print_summary(const Options& opt, const Tally& t, double mean) {
  std::printf("\ninstances               %d: MILP proven optimal %d, time limit %d (no solution found %d), "
              "infeasible %d\n", opt.instances, t.compared, t.unproven + t.no_incumbent, t.no_incumbent, t.infeasible);
  std::printf("surplus ratio mean      %.4f  over the proven instances (target >= 0.99)\n", mean);
  std::printf("surplus ratio worst     %.4f  (seed %llu; target >= 0.95)\n", t.compared ? t.worst : 0.0,
              static_cast<unsigned long long>(t.worst_seed));
  std::printf("surplus total           matcher %.3f / optimum %.3f = %.4f (proven instances)\n", t.total_got,
              t.total_opt, t.total_opt > 0 ? t.total_got / t.total_opt : 1.0);
  if (t.unproven > 0)
    std::printf("unproven instances      mean ratio %.4f against the best solution found, %.4f against the bound\n",
                t.unproven_vs_incumbent / t.unproven, t.unproven_vs_bound / t.unproven);
  std::printf("clean settlements above the proven optimum: %d (a model check: must be 0)\n", t.above_optimum);
  std::printf("checker violations      %zu in %d instances\n", t.violations, t.with_violations);
  for (const auto& [kind, count] : t.by_kind) std::printf("  %-22s %zu\n", kind.c_str(), count);
  std::printf("price groups scaled by reference (no T0 price): %d; MILP prices on the box edge: %d\n", t.fallback,
              t.at_bounds);
  std::printf("time                    matcher %.3f s, MILP %.1f s\n", t.matcher_seconds, t.milp_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  std::printf("pactum_quality: %d instances, %d-%d intents over %d-%d assets, seed %llu, MILP limit %.0f s%s\n",
              opt.instances, opt.shape.min_intents, opt.shape.max_intents, opt.shape.min_assets,
              opt.shape.max_assets, static_cast<unsigned long long>(opt.seed), opt.time_limit,
              opt.idle_pools_in_band ? ", idle pools in their bands" : "");
  Tally t;
  for (int n = 0; n < opt.instances; ++n) {
    const std::uint64_t seed = opt.only_seed ? opt.only_seed : opt.seed * 1000003ULL + static_cast<std::uint64_t>(n);
    run_instance(opt, seed, t);
  }
  const double mean = t.compared ? t.sum_ratio / t.compared : 0;
  print_summary(opt, t, mean);
  if (t.infeasible > 0 || t.above_optimum > 0) return 1;
  if (opt.require_targets && (mean < 0.99 || t.worst < 0.95 || t.violations > 0)) return 1;
  return 0;
}
