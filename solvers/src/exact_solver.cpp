// The exact solver (exact.hpp): for a small instance, the MILP of docs/MECHANISMS.md
// ("Quality") over the fill-or-kill choices and the price regions, solved by GLPK within
// the deadline; its floating-point answer made exact in three steps:
//   1. the problem (exact_problem.hpp): assets scaled, the price box from the pools' mid
//      prices and the swaps' limits (no reference prices in a production instance), the
//      pools slightly shrunk so that the real ones keep room for rounding;
//   2. the exact point (exact_point.hpp): rational prices and flows solving exactly the
//      equations the answer satisfies up to GLPK's tolerance;
//   3. the completion (exact_completion.hpp): exact integer amounts at those prices,
//      rounded against the traders, checked by the rules; if the rounding cannot be
//      balanced, fill-or-kill swaps are left out one at a time (the one whose removal
//      keeps the most surplus first), and when nothing balances there is no proposal.
// Statuses: "failed" (too large, malformed, GLPK error, no balanced rounding), "late"
// (no solution by the deadline). The picker checks the proposal like any other.
#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <set>

#include "exact_completion.hpp"
#include "exact_point.hpp"
#include "exact_problem.hpp"
#include "pactum/checker/checker.hpp"
#include "pactum/matcher/matcher.hpp"
#include "pactum/solvers/exact.hpp"
#include "pactum/solvers/exact_milp.hpp"

namespace pactum::solvers {

namespace {

using exact::Completion;
using exact::Problem;
using exact::Rational;

// How far from the built-in matcher's prices the polish solver looks: a fraction.
constexpr double kPolishBox = 0.05;

Answer failure(std::string status, std::string detail) {
  return Answer{std::nullopt, {std::move(status), std::move(detail)}};
}

// What GLPK may use of the time to the deadline: the rest is for the completion.
double milp_seconds(Clock::time_point deadline) {
  const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
  return left - std::clamp(left * 0.2, 0.002, 0.05);
}

// Fill-or-kill swaps are left out, one at a time, until the rounding balances.
std::optional<Completion> complete_with_repairs(const Problem& pb, const exact::ExactPoint& pt,
                                                Clock::time_point deadline) {
  std::vector<bool> dropped(pb.swaps.size(), false);
  if (auto c = exact::complete(pb, pt, dropped)) return c;
  while (Clock::now() < deadline) {
    std::optional<Completion> best;
    std::size_t best_drop = 0, cheapest = pb.swaps.size();
    Rational cheapest_value;
    for (std::size_t i = 0; i < pb.swaps.size(); ++i) {
      if (pb.swaps[i].s->partial || !pt.chosen[i] || dropped[i]) continue;
      const Rational value =
          BigInt(pb.swaps[i].s->sell_amount) * pt.price[pb.swaps[i].sell] / Rational(pb.scale[pb.swaps[i].sell]);
      if (cheapest == pb.swaps.size() || value < cheapest_value) cheapest = i, cheapest_value = value;
      dropped[i] = true;
      auto c = exact::complete(pb, pt, dropped);
      dropped[i] = false;
      if (c && (!best || c->surplus > best->surplus)) best = std::move(c), best_drop = i;
    }
    if (best) return best;
    if (cheapest == pb.swaps.size()) break;
    dropped[cheapest] = true;
    (void)best_drop;
  }
  return std::nullopt;
}

Amount to_amount(const BigInt& v) { return static_cast<Amount>(v); }

Price pair_price(const std::string& base, const std::string& quote, const Rational& value) {
  return Price{base, quote, boost::multiprecision::numerator(value), boost::multiprecision::denominator(value)};
}

// The clearing of a completion: every asset priced (each market's numeraire at 1), the
// fills, a price per pair that traded, the pools that traded.
Clearing clearing_of(const Problem& pb, const Completion& c) {
  Clearing out;
  std::vector<Rational> p;
  for (std::size_t a = 0; a < pb.assets.size(); ++a) p.push_back(c.price[a] / c.price[pb.root[a]]);
  for (std::size_t a = 0; a < pb.assets.size(); ++a)
    out.asset_prices.push_back(
        {pb.assets[a], boost::multiprecision::numerator(p[a]), boost::multiprecision::denominator(p[a])});
  std::map<std::pair<std::size_t, std::size_t>, bool> pairs;
  for (std::size_t i = 0; i < pb.swaps.size(); ++i) {
    if (c.sold[i] == 0 && c.bought[i] == 0) continue;
    out.fills.push_back({pb.swaps[i].s->id, to_amount(c.sold[i]), to_amount(c.bought[i])});
    pairs[{std::min(pb.swaps[i].sell, pb.swaps[i].buy), std::max(pb.swaps[i].sell, pb.swaps[i].buy)}] = true;
  }
  for (std::size_t j = 0; j < pb.pools.size(); ++j) {
    if (!c.pool_traded[j]) continue;
    const Pool& after = c.pools_after[j];
    out.pools.push_back({after.asset_a, after.asset_b, after.reserve_a, after.reserve_b});
    pairs[{pb.pools[j].a, pb.pools[j].b}] = true;
  }
  for (const auto& [pair, _] : pairs)
    out.prices.push_back(pair_price(pb.assets[pair.first], pb.assets[pair.second], p[pair.first] / p[pair.second]));
  std::sort(out.fills.begin(), out.fills.end(), [](const Fill& x, const Fill& y) { return x.intent < y.intent; });
  std::sort(out.pools.begin(), out.pools.end(), [](const PoolReserves& x, const PoolReserves& y) {
    return std::tie(x.asset_a, x.asset_b) < std::tie(y.asset_a, y.asset_b);
  });
  return out;
}

class ExactSolver final : public Solver {
 public:
  explicit ExactSolver(ExactOptions options) : options_(options) {}
  std::string name() const override { return "exact"; }

  Answer solve(const Instance& instance, const StateView&, std::span<const Intent>, const BlockContext&,
               Clock::time_point deadline) override {
    try {
      return solve_instance(instance, deadline);
    } catch (const std::exception& e) {
      return failure("failed", std::string("the exact solver stopped: ") + e.what());
    }
  }

 private:
  Answer solve_instance(const Instance& instance, Clock::time_point deadline) const;
  ExactOptions options_;
};

// The MILP of a problem, made exact: the steps shared by the exact and the polish solver.
Answer solve_problem(const Problem& problem, const exact::MilpInput& input, Clock::time_point deadline) {
  const exact::MilpResult answer = exact::solve_milp(input);
  if (answer.solver_error) return failure("failed", "GLPK stopped on an internal error");
  if (!answer.feasible)
    return answer.infeasible ? failure("failed", "the MILP has no solution within the price box")
                             : failure("late", "GLPK found no solution before the deadline");
  const auto point = exact::exact_point(problem, answer);
  if (!point) return failure("failed", "the exact prices of the MILP's answer are not all positive");
  const auto completion = complete_with_repairs(problem, *point, deadline);
  if (Clock::now() > deadline) return failure("late", "the exact solver passed the deadline");
  if (!completion) return failure("failed", "the MILP's answer could not be rounded to valid integer amounts");
  return Answer{clearing_of(problem, *completion), {}};
}

Answer too_large(const Instance& instance, const ExactOptions& options) {
  return failure("failed", "too large for the exact solver: " + std::to_string(instance.swaps.size()) + " swaps, " +
                               std::to_string(instance.assets.size()) + " assets (at most " +
                               std::to_string(options.max_swaps) + " and " + std::to_string(options.max_assets) + ")");
}

Answer ExactSolver::solve_instance(const Instance& instance, Clock::time_point deadline) const {
  if (instance.swaps.size() > options_.max_swaps || instance.assets.size() > options_.max_assets)
    return too_large(instance, options_);
  if (instance.swaps.empty()) return Answer{Clearing{}, {}};
  const auto problem = exact::make_problem(instance);
  if (!problem) return failure("failed", "the instance names an asset it does not list, or a zero amount");
  const double seconds = milp_seconds(deadline);
  if (seconds < 0.002) return failure("late", "no time left for the exact solver before the deadline");
  return solve_problem(*problem, exact::milp_input(*problem, seconds), deadline);
}

// The polish solver (exact.hpp): the MILP near the built-in matcher's answer.
class PolishSolver final : public Solver {
 public:
  explicit PolishSolver(ExactOptions options) : options_(options) {}
  std::string name() const override { return "polish"; }

  Answer solve(const Instance& instance, const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
               Clock::time_point deadline) override {
    try {
      return polish(instance, state, batch, ctx, deadline);
    } catch (const std::exception& e) {
      return failure("failed", std::string("the polish solver stopped: ") + e.what());
    }
  }

 private:
  Answer polish(const Instance& instance, const StateView& state, std::span<const Intent> batch,
                const BlockContext& ctx, Clock::time_point deadline) const;
  ExactOptions options_;
};

// The intents whose swap the settlement filled.
std::set<Hash32> filled_swaps(std::span<const Intent> batch, const Settlement& s) {
  std::set<Hash32> filled;
  for (std::size_t i = 0; i < batch.size() && i < s.receipts.size(); ++i)
    if (traded_swap(batch[i]) && s.receipts[i].status == ReceiptStatus::settled) filled.insert(batch[i].id);
  return filled;
}

// Every price of the MILP within kPolishBox of the matcher's (per scaled unit, relative to
// its market's numeraire); an asset the matcher did not price keeps the wide box.
void narrow_box(const Problem& pb, const check::PriceVector& prices, exact::MilpInput& in) {
  for (std::size_t a = 0; a < pb.assets.size(); ++a) {
    const std::size_t root = pb.root[a];
    if (a == root || !prices.has(pb.assets[a]) || !prices.has(pb.assets[root])) continue;
    const Rational ratio =
        prices.price.at(pb.assets[a]) * pb.scale[a] / (prices.price.at(pb.assets[root]) * pb.scale[root]);
    const double r = exact::to_double(ratio);
    in.lo[a] = std::max(in.lo[a], r / (1 + kPolishBox));
    in.hi[a] = std::min(in.hi[a], r * (1 + kPolishBox));
    if (in.lo[a] > in.hi[a]) in.lo[a] = r / (1 + kPolishBox), in.hi[a] = r * (1 + kPolishBox);
  }
}

Answer PolishSolver::polish(const Instance& instance, const StateView& state, std::span<const Intent> batch,
                            const BlockContext& ctx, Clock::time_point deadline) const {
  if (instance.swaps.size() > options_.max_swaps || instance.assets.size() > options_.max_assets)
    return too_large(instance, options_);
  const Settlement matched = settle(state, batch, ctx);
  const check::PriceVector prices = check::effective_prices(matched, nullptr);
  const std::set<Hash32> filled = filled_swaps(batch, matched);
  Instance kept = instance;
  std::erase_if(kept.swaps, [&](const InstanceSwap& w) { return !w.partial && !filled.count(w.id); });
  if (kept.swaps.empty()) return failure("failed", "nothing to polish: no swap left");
  const auto problem = exact::make_problem(kept);
  if (!problem) return failure("failed", "the instance names an asset it does not list, or a zero amount");
  const double seconds = milp_seconds(deadline);
  if (seconds < 0.002) return failure("late", "no time left for the polish solver before the deadline");
  exact::MilpInput input = exact::milp_input(*problem, seconds);
  input.fallback_share = 0;
  narrow_box(*problem, prices, input);
  return solve_problem(*problem, input, deadline);
}

}  // namespace

std::unique_ptr<Solver> exact_solver(ExactOptions options) { return std::make_unique<ExactSolver>(options); }

std::unique_ptr<Solver> polish_solver(ExactOptions options) { return std::make_unique<PolishSolver>(options); }

}  // namespace pactum::solvers
