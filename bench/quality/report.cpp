#include "report.hpp"

#include <algorithm>
#include <cstdio>

namespace pactum::quality {

using check::Rational;

// A group of assets whose prices are not tied to T0 (T0 did not trade with them) is
// scaled so that its smallest asset is at its reference price; `fallback` counts such groups.
// Each asset's value in T0 at the pre-block pools' mid prices (reserve ratios), walking the
// pools from T0; assets no pool path reaches are left out.
std::map<std::string, Rational> pool_values(const Instance& inst) {
  std::map<std::string, Rational> value{{inst.assets[0], Rational(1)}};
  for (bool grew = true; grew;) {
    grew = false;
    for (const Pool& p : inst.pools) {
      const bool a = value.count(p.asset_a) != 0, b = value.count(p.asset_b) != 0;
      if (a == b) continue;
      const Rational b_per_a(BigInt(p.reserve_b), BigInt(p.reserve_a));
      if (a)
        value[p.asset_b] = value[p.asset_a] / b_per_a;
      else
        value[p.asset_a] = value[p.asset_b] * b_per_a;
      grew = true;
    }
  }
  return value;
}

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
  const std::map<std::string, Rational> pooled = pool_values(inst);
  for (const auto& [a, p] : v.price) {
    const std::string g = find(a);
    if (scale.count(g)) continue;
    const std::string anchor = inst.assets[0];
    if (v.has(anchor) && find(anchor) == g) {
      scale[g] = 1 / v.price.at(anchor);
    } else if (pooled.count(g)) {
      // T0 not priced by the settlement: its group joins T0 at the pools' prices (where
      // the MILP's market-clearing pools pin it), not at the generator's reference.
      scale[g] = pooled.at(g) / v.price.at(g);
      ++*fallback;
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

bool compare(bool verbose, const Instance& inst, const ExactResult& exact, double got, std::size_t violations,
             Tally& t) {
  const auto seed = static_cast<unsigned long long>(inst.seed);
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
  // A clean settlement above the proven optimum: the model is too strict or the checker
  // too lenient. Either way one of them is wrong about the rules.
  const bool above = exact.optimal && violations == 0 && got > best * (1 + 1e-6) + 1e-9;
  if (above) {
    ++t.above_optimum;
    t.above_seeds.push_back(inst.seed);
    std::printf("  seed %llu (%s): matcher %.9f above the proven optimum %.9f with no violation\n", seed,
                t.shape.c_str(), got, best);
  }
  if (exact.optimal) {
    t.sum_ratio += ratio;
    t.total_opt += best;
    t.total_got += got;
    ++t.compared;
    if (ratio < t.worst) t.worst = ratio, t.worst_seed = inst.seed;
  }
  if (verbose)
    std::printf(
        "  seed %llu: %zu intents, %zu assets, %zu pools: matcher %.6f, optimum %.6f%s, ratio %.4f, "
        "%zu violations, MILP %d bin %.2f s%s\n",
        seed, inst.batch.size(), inst.assets.size(), inst.pools.size(), got, best, exact.optimal ? "" : " (bound)",
        ratio, violations, exact.binaries, exact.seconds,
        exact.prices_at_bounds ? ", optimal prices on the box edge" : "");
  return above;
}

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

namespace {

const char* verdict(bool met) { return met ? "met" : "NOT MET"; }

std::string seed_list(const std::vector<std::uint64_t>& seeds) {
  std::string out;
  for (auto s : seeds) out += (out.empty() ? "" : " ") + std::to_string(s);
  return out.empty() ? "-" : out;
}

}  // namespace

void print_summary(const Tally& t) {
  const double worst = t.compared ? t.worst : 0.0;
  std::printf("\nshape %s\n", t.shape.c_str());
  std::printf(
      "instances               %d: MILP proven optimal %d, time limit %d (no solution found %d), "
      "infeasible %d\n",
      t.instances, t.compared, t.unproven + t.no_incumbent, t.no_incumbent, t.infeasible);
  if (t.idle_rule_infeasible > 0)
    std::printf("infeasible with a market-clearing rule for pools: %d, seeds %s\n", t.idle_rule_infeasible,
                seed_list(t.idle_rule_infeasible_seeds).c_str());
  std::printf("surplus ratio mean      %.4f  over the proven instances (target >= %.3f: %s)\n", t.mean(), kTargetMean,
              verdict(t.compared && t.mean() >= kTargetMean));
  std::printf("surplus ratio worst     %.4f  (seed %llu; target >= %.2f: %s)\n", worst,
              static_cast<unsigned long long>(t.worst_seed), kTargetWorst,
              verdict(t.compared && worst >= kTargetWorst));
  std::printf("surplus total           matcher %.3f / optimum %.3f = %.4f (proven instances)\n", t.total_got,
              t.total_opt, t.total_opt > 0 ? t.total_got / t.total_opt : 1.0);
  if (t.unproven > 0)
    std::printf("unproven instances      mean ratio %.4f against the best solution found, %.4f against the bound\n",
                t.unproven_vs_incumbent / t.unproven, t.unproven_vs_bound / t.unproven);
  std::printf("clean settlements above the proven optimum: %d (target 0: %s) seeds %s\n", t.above_optimum,
              verdict(t.above_optimum == 0), seed_list(t.above_seeds).c_str());
  std::printf("checker violations      %zu in %d instances (target 0: %s) seeds %s\n", t.violations, t.with_violations,
              verdict(t.violations == 0), seed_list(t.violation_seeds).c_str());
  for (const auto& [kind, count] : t.by_kind) std::printf("  %-22s %zu\n", kind.c_str(), count);
  std::printf("price groups without T0 (scaled at the pools' prices): %d; MILP prices on the box edge: %d\n",
              t.fallback, t.at_bounds);
  std::printf("time                    matcher %.3f s, MILP %.1f s\n", t.matcher_seconds, t.milp_seconds);
  for (const auto& [solver, n] : t.won_by) std::printf("clearings recorded from %-8s %d\n", solver.c_str(), n);
  std::printf(
      "result shape=%s instances=%d proven=%d unproven=%d infeasible=%d idle_rule_infeasible=%d mean=%.4f worst=%.4f "
      "worst_seed=%llu "
      "violations=%zu violating_instances=%d above_optimum=%d targets=%s\n",
      t.shape.c_str(), t.instances, t.compared, t.unproven + t.no_incumbent, t.infeasible, t.idle_rule_infeasible,
      t.mean(), worst, static_cast<unsigned long long>(t.worst_seed), t.violations, t.with_violations, t.above_optimum,
      t.targets_met() ? "met" : "missed");
}

void print_table(const std::vector<Tally>& tallies) {
  std::printf("\n| shape | instances | proven | mean | worst (seed) | checker violations | clean above optimum |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const auto& t : tallies) {
    char mean[32] = "-", worst[64] = "-";
    if (t.compared) {
      std::snprintf(mean, sizeof mean, "%.4f", t.mean());
      std::snprintf(worst, sizeof worst, "%.4f (%llu)", t.worst, static_cast<unsigned long long>(t.worst_seed));
    }
    std::printf("| %s | %d | %d | %s | %s | %zu in %d | %d |\n", t.shape.c_str(), t.instances, t.compared, mean, worst,
                t.violations, t.with_violations, t.above_optimum);
  }
}

}  // namespace pactum::quality
