#include "pactum/matcher/bundles.hpp"

#include <map>

#include "pactum/ledger/pool_math.hpp"
#include "rational.hpp"
#include "receipts.hpp"

namespace pactum {
namespace {

using matching::display_amount;
using matching::to_amount;
using matching::to_big;

// The scratch state of one bundle: signed balances, pools and lending pools as changed.
class Scratch {
 public:
  explicit Scratch(const StateView& base) : base_(base) {}

  BigInt& balance(const PublicKey& account, const std::string& asset) {
    auto [it, fresh] = balances_.try_emplace(BalanceKey{account, asset});
    if (fresh) {
      it->second = to_big(base_.balance(account, asset));
      start_.emplace(it->first, it->second);
    }
    return it->second;
  }
  BigInt start_balance(const PublicKey& account, const std::string& asset) {
    balance(account, asset);
    return start_.at(BalanceKey{account, asset});
  }
  Pool* pool(const std::string& x, const std::string& y) {
    const PoolId id = make_pool_id(x, y);
    auto it = pools_.find(id);
    if (it != pools_.end()) return &it->second;
    auto p = base_.pool(x, y);
    if (!p) return nullptr;
    return &pools_.emplace(id, *p).first->second;
  }
  LendingPool* lending(const std::string& asset) {
    auto it = lending_.find(asset);
    if (it != lending_.end()) return &it->second;
    auto p = base_.lending_pool(asset);
    if (!p) return nullptr;
    return &lending_.emplace(asset, *p).first->second;
  }
  bool known(const std::string& asset) const { return base_.asset(asset).has_value(); }

  const std::map<BalanceKey, BigInt>& balances() const { return balances_; }
  const std::map<BalanceKey, BigInt>& starts() const { return start_; }
  const std::map<PoolId, Pool>& pools() const { return pools_; }
  const std::map<std::string, LendingPool>& lending() const { return lending_; }

 private:
  const StateView& base_;
  std::map<BalanceKey, BigInt> balances_;
  std::map<BalanceKey, BigInt> start_;
  std::map<PoolId, Pool> pools_;
  std::map<std::string, LendingPool> lending_;
};

struct StepOutcome {
  std::string error;
  std::string message;
  BigInt amount_out = 0;
};

StepOutcome run_step(const StateView& state, Scratch& s, std::map<std::string, BigInt>& owed, const BundleStep& step) {
  const auto unknown = [&](const std::string& asset) -> std::optional<StepOutcome> {
    if (s.known(asset)) return std::nullopt;
    return StepOutcome{"unknown_asset", "asset '" + asset + "' is not in the registry", 0};
  };
  const BigInt amount = to_big(step.amount);
  switch (step.op) {
    case StepOp::transfer: {
      if (auto u = unknown(step.asset)) return *u;
      s.balance(step.account, step.asset) -= amount;
      s.balance(step.to, step.asset) += amount;
      return {"",
              "sent " + display_amount(state, amount, step.asset) + " from " + step.account.hex().substr(0, 12) +
                  " to " + step.to.hex().substr(0, 12),
              0};
    }
    case StepOp::swap: {
      if (auto u = unknown(step.asset)) return *u;
      if (auto u = unknown(step.buy_asset)) return *u;
      Pool* pool = s.pool(step.asset, step.buy_asset);
      if (!pool || pool->reserve_a == 0 || pool->reserve_b == 0)
        return {"no_pool", "there is no pool for " + step.asset + "/" + step.buy_asset, 0};
      const BigInt out = pool_math::swap_out(*pool, step.asset, amount);
      if (out == 0 || out < to_big(step.min_out)) {
        return {"min_out_not_met",
                "the pool gives " + display_amount(state, out, step.buy_asset) + " for " +
                    display_amount(state, amount, step.asset) + ", below min_out " +
                    display_amount(state, to_big(step.min_out), step.buy_asset),
                out};
      }
      pool_math::apply_swap(*pool, step.asset, amount, out);
      s.balance(step.account, step.asset) -= amount;
      s.balance(step.account, step.buy_asset) += out;
      return {"",
              "swapped " + display_amount(state, amount, step.asset) + " for " +
                  display_amount(state, out, step.buy_asset) + " against the pool",
              out};
    }
    case StepOp::borrow: {
      if (auto u = unknown(step.asset)) return *u;
      LendingPool* lender = s.lending(step.asset);
      if (!lender) return {"no_lending_pool", "there is no lending pool for " + step.asset, 0};
      if (amount > to_big(lender->reserve))
        return {"insufficient_liquidity",
                "the " + step.asset + " lending pool holds only " +
                    display_amount(state, to_big(lender->reserve), step.asset),
                0};
      lender->reserve = to_amount(to_big(lender->reserve) - amount);
      s.balance(step.account, step.asset) += amount;
      const BigInt debt = amount + pool_math::flash_loan_fee(amount, lender->fee_bps);
      owed[step.asset] += debt;
      return {"",
              "borrowed " + display_amount(state, amount, step.asset) + "; owes " +
                  display_amount(state, debt, step.asset) + " (fee " + std::to_string(lender->fee_bps) + " bps)",
              debt};
    }
    case StepOp::repay: {
      if (auto u = unknown(step.asset)) return *u;
      LendingPool* lender = s.lending(step.asset);
      if (!lender) return {"no_lending_pool", "there is no lending pool for " + step.asset, 0};
      BigInt& debt = owed[step.asset];
      if (amount > debt)
        return {"repay_exceeds_debt",
                "repays " + display_amount(state, amount, step.asset) + " but only " +
                    display_amount(state, debt, step.asset) + " is owed",
                0};
      debt -= amount;
      lender->reserve = to_amount(to_big(lender->reserve) + amount);
      s.balance(step.account, step.asset) -= amount;
      return {"",
              "repaid " + display_amount(state, amount, step.asset) + "; " + display_amount(state, debt, step.asset) +
                  " still owed",
              0};
    }
  }
  return {"invalid_step", "unknown step", 0};
}

}  // namespace

BundleRun run_bundle(const StateView& state, const Intent& intent) {
  BundleRun run;
  const Bundle& bundle = *intent.bundle();
  Scratch s(state);
  std::map<std::string, BigInt> owed;
  for (std::size_t i = 0; i < bundle.steps.size(); ++i) {
    const BundleStep& step = bundle.steps[i];
    StepOutcome o = run_step(state, s, owed, step);
    BundleStepResult r;
    r.index = static_cast<std::uint32_t>(i);
    r.op = step.op;
    r.ok = o.error.empty();
    r.error = o.error;
    r.message = o.message;
    r.amount_out = o.amount_out >= 0 ? to_amount(o.amount_out) : Amount(0);
    run.steps.push_back(r);
    if (!r.ok) {
      run.failed_step = r.index;
      run.reason = o.error;
      run.message = "step " + std::to_string(i) + " (" + std::string(step_op_name(step.op)) + ") failed: " + o.message;
      return run;
    }
  }
  for (const auto& [asset, debt] : owed) {
    if (debt == 0) continue;
    run.reason = "loan_not_repaid";
    run.message = "the " + asset + " flash loan is not repaid: " + display_amount(state, debt, asset) +
                  " still owed at the end of the bundle";
    return run;
  }
  for (const auto& [key, value] : s.balances()) {
    if (value >= 0) continue;
    run.reason = "negative_balance";
    run.message = "account " + key.account.hex().substr(0, 12) + " would end with " +
                  display_amount(state, -value, key.asset) + " less than nothing";
    return run;
  }
  for (std::size_t i = 0; i < bundle.checks.size(); ++i) {
    const BundleCheck& c = bundle.checks[i];
    const BigInt end = s.balance(c.account, c.asset);
    const BigInt measured = c.type == CheckType::min_balance ? end : end - s.start_balance(c.account, c.asset);
    if (measured >= to_big(c.amount)) continue;
    run.reason = "check_failed";
    run.message =
        "checks[" + std::to_string(i) + "] (" + (c.type == CheckType::min_balance ? "min_balance" : "min_profit") +
        "): " + c.account.hex().substr(0, 12) + " ends with " +
        (c.type == CheckType::min_balance ? "" : "a change of ") +
        (measured < 0 ? "-" + display_amount(state, -measured, c.asset) : display_amount(state, measured, c.asset)) +
        ", needs at least " + display_amount(state, to_big(c.amount), c.asset);
    return run;
  }
  run.ok = true;
  run.message = "bundle of " + std::to_string(bundle.steps.size()) + " step(s) settled";
  for (const auto& [key, value] : s.balances()) {
    const BigInt change = value - s.starts().at(key);
    if (change != 0) run.changes.emplace_back(key, change);
    if (change != 0) run.delta.balances.emplace(key, to_amount(value));
  }
  for (const auto& [id, p] : s.pools())
    if (state.pool(id.first, id.second) != p) run.delta.pools.emplace(id, p);
  for (const auto& [asset, p] : s.lending())
    if (state.lending_pool(asset) != p) run.delta.lending.emplace(asset, p);
  return run;
}

}  // namespace pactum
