// The producer's choice among solvers' proposals (picker.hpp).
#include "pactum/solvers/picker.hpp"

#include <future>
#include <map>
#include <optional>
#include <sstream>

#include "pactum/checker/checker.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum::solvers {

namespace {

class BuiltinSolver final : public Solver {
 public:
  std::string name() const override { return "builtin"; }
  Answer solve(const Instance&, const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
               Clock::time_point) override {
    Settlement s = pactum::settle(state, batch, ctx);
    return Answer{
        clearing_of(batch, s.receipts, s.prices, s.asset_prices, s.cleared_pools.value_or(std::vector<PoolReserves>{})),
        {}};
  }
};

// One proposal after its check.
struct Candidate {
  std::string solver;
  std::size_t order = 0;  // position in the list: the built-in matcher is 0
  int tier = 0;           // 1: every rule; 2: all but market clearing; 0: dropped
  check::Rational score;
  std::optional<Settlement> settlement;
  SolverCandidate record;
  std::uint64_t elapsed_ms = 0;  // for the log only: the block must not depend on timing
};

std::string rational_text(const check::Rational& r) {
  std::ostringstream out;
  out << boost::multiprecision::numerator(r);
  if (boost::multiprecision::denominator(r) != 1) out << "/" << boost::multiprecision::denominator(r);
  return out.str();
}

// One valuation for every candidate of a block, so that their scores compare: each asset
// connected to others by pools is valued at the pre-block pools' mid prices (walking the
// pools from the smallest asset of each group, at 1). Proposals price assets in numeraires
// of their own choosing; without this, two proposals that trade different sets of assets
// would be scored in different units.
using Valuation = std::map<std::string, check::Rational>;
Valuation pool_valuation(const StateView& state) {
  std::map<std::string, std::vector<std::pair<std::string, check::Rational>>> edges;  // value of 1 unit of key in other
  for (const Pool& p : state.pools()) {
    if (p.reserve_a == 0 || p.reserve_b == 0) continue;
    edges[p.asset_a].push_back({p.asset_b, check::Rational(BigInt(p.reserve_b), BigInt(p.reserve_a))});
    edges[p.asset_b].push_back({p.asset_a, check::Rational(BigInt(p.reserve_a), BigInt(p.reserve_b))});
  }
  Valuation value;
  for (const auto& [root, _] : edges) {  // std::map order: the smallest asset of each group first
    if (value.count(root)) continue;
    value[root] = 1;
    std::vector<std::string> todo{root};
    while (!todo.empty()) {
      const std::string a = todo.back();
      todo.pop_back();
      for (const auto& [b, a_in_b] : edges[a]) {
        if (value.count(b)) continue;
        value[b] = value[a] / a_in_b;  // 1 unit of a is worth a_in_b units of b
        todo.push_back(b);
      }
    }
  }
  return value;
}

// The candidate's own prices, with every asset the pools value replaced by that value; an
// asset they do not value keeps the candidate's ratio to the smallest asset both value.
check::PriceVector scoring_prices(const check::PriceVector& own, const Valuation& pools) {
  check::PriceVector out = own;
  std::optional<std::string> anchor;
  for (const auto& [asset, p] : own.price)
    if (pools.count(asset)) {
      anchor = asset;
      break;
    }
  for (auto& [asset, p] : out.price) {
    if (pools.count(asset))
      p = pools.at(asset);
    else if (anchor)
      p = own.price.at(asset) / own.price.at(*anchor) * pools.at(*anchor);
  }
  return out;
}

Candidate check_answer(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx,
                       const Valuation& valuation, const std::string& name, std::size_t order, Answer answer,
                       std::uint64_t elapsed_ms) {
  Candidate c;
  c.solver = name;
  c.order = order;
  c.record = SolverCandidate{name, answer.failure.status, answer.failure.detail, ""};
  c.elapsed_ms = elapsed_ms;
  if (!answer.clearing) return c;
  Result<Settlement> s = settle_clearing(state, batch, ctx, *answer.clearing, true);
  c.tier = 1;
  if (!s && (s.error().field == "in_the_money" || s.error().field == "pool_in_the_money")) {
    s = settle_clearing(state, batch, ctx, *answer.clearing, false);
    c.tier = 2;
  }
  if (!s) {
    c.tier = 0;
    c.record.status = s.error().field.empty() ? "invalid" : s.error().field;
    c.record.detail = s.error().message;
    return c;
  }
  c.score = check::trader_surplus(batch, *s, scoring_prices(check::effective_prices(*s, nullptr), valuation));
  c.record.status = c.tier == 1 ? "valid" : "valid_not_market_clearing";
  c.record.score = rational_text(c.score);
  c.settlement = std::move(*s);
  return c;
}

bool better(const Candidate& a, const Candidate& b) {
  if (a.tier != b.tier) return a.tier != 0 && (b.tier == 0 || a.tier < b.tier);
  if (a.score != b.score) return a.score > b.score;
  return a.order < b.order;
}

std::uint64_t ms_since(Clock::time_point start) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

}  // namespace

std::unique_ptr<Solver> builtin_solver() { return std::make_unique<BuiltinSolver>(); }

Picker::Picker(std::vector<std::unique_ptr<Solver>> others, PickerOptions options)
    : builtin_(builtin_solver()), others_(std::move(others)), options_(std::move(options)) {}

Settlement Picker::settle(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) const {
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + options_.deadline;
  std::optional<Instance> instance;
  if (!others_.empty()) instance = make_instance(state, batch, ctx);
  // A batch without a swap to fill has one clearing (nothing trades): no one else is asked.
  const bool ask_others = instance && !instance->swaps.empty();
  std::vector<std::future<std::pair<Answer, std::uint64_t>>> pending;
  for (const auto& solver : others_) {
    if (!ask_others) break;
    pending.push_back(std::async(std::launch::async, [&, s = solver.get()] {
      Answer a = s->solve(*instance, state, batch, ctx, deadline);
      return std::pair<Answer, std::uint64_t>(std::move(a), ms_since(start));
    }));
  }
  std::vector<Candidate> candidates;
  const Valuation valuation = pool_valuation(state);
  Answer own = builtin_->solve(Instance{}, state, batch, ctx, deadline);
  candidates.push_back(
      check_answer(state, batch, ctx, valuation, builtin_->name(), 0, std::move(own), ms_since(start)));
  for (std::size_t k = 0; k < pending.size(); ++k) {
    auto [answer, elapsed] = pending[k].get();
    // Late by when the solver answered (measured on its own thread), not by when the
    // picker, busy with the built-in matcher, got to look.
    const auto allowed = std::chrono::duration_cast<std::chrono::milliseconds>(options_.deadline).count() + 50;
    if (answer.clearing && elapsed > static_cast<std::uint64_t>(allowed)) {
      answer.clearing.reset();
      answer.failure = Failure{"late", "answered after the deadline"};
    }
    candidates.push_back(
        check_answer(state, batch, ctx, valuation, others_[k]->name(), k + 1, std::move(answer), elapsed));
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < candidates.size(); ++k)
    if (better(candidates[k], candidates[best])) best = k;
  SolverRecord record;
  for (const Candidate& c : candidates) {
    record.candidates.push_back(c.record);
    if (c.tier == 0 && options_.log)
      options_.log("solver " + c.solver + " dropped after " + std::to_string(c.elapsed_ms) + " ms (" + c.record.status +
                   "): " + c.record.detail);
  }
  Settlement out;
  if (candidates[best].tier != 0) {
    out = std::move(*candidates[best].settlement);
    record.winner = candidates[best].solver;
  } else {
    // No proposal passed: nothing trades (the empty clearing always passes).
    Result<Settlement> empty = settle_clearing(state, batch, ctx, Clearing{}, false);
    out = empty ? std::move(*empty) : pactum::settle(state, batch, ctx);
    record.winner = "none";
  }
  out.solver = std::move(record);
  return out;
}

SettleFn Picker::settle_fn() const {
  return [this](const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
    return settle(state, batch, ctx);
  };
}

}  // namespace pactum::solvers
