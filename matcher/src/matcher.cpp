// settle(): screening (validity, cancels, funding), then transfers, then swaps pair by
// pair, then the state delta. Everything iterates in id order or std::map order, so the
// batch order only decides where each receipt is written.
#include "pactum/matcher/matcher.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "pair_clearing.hpp"
#include "rational.hpp"
#include "receipts.hpp"
#include "screening.hpp"

namespace pactum {

PublicKey dust_account() { return PublicKey{}; }

namespace {

using matching::PairOrder;
using matching::PairResult;
using matching::OrderOutcome;
using matching::Rational;

// Everything the block changes, accumulated as signed changes.
struct Ledger {
  std::map<BalanceKey, BigInt> change;
  std::set<NonceKey> nonces;
  std::map<PoolId, Pool> pools;
  void move(const PublicKey& from, const PublicKey& to, const std::string& asset, const BigInt& v) {
    change[BalanceKey{from, asset}] -= v;
    change[BalanceKey{to, asset}] += v;
  }
};

std::optional<matching::PoolCurve> curve_of(const std::optional<Pool>& pool) {
  // A pool without reserves on both sides has no price: treat the pair as pool-less.
  if (!pool || pool->reserve_a == 0 || pool->reserve_b == 0) return std::nullopt;
  return matching::PoolCurve{matching::to_big(pool->reserve_a), matching::to_big(pool->reserve_b),
                             pool->fee_bps};
}

// Why nothing traded, for the unfilled receipts: the pool's band or the best opposite limit.
std::string no_cross_reference(const StateView& state, const std::optional<matching::PoolCurve>& pool,
                               const std::vector<PairOrder>& orders, bool for_ask,
                               const std::string& base, const std::string& quote) {
  if (pool) {
    return "the pool buys below " + matching::display_price(state, pool->bid(), base, quote) +
           " and sells above " + matching::display_price(state, pool->ask(), base, quote);
  }
  std::optional<Rational> best;
  for (const PairOrder& o : orders) {
    if (o.sells_base == for_ask) continue;
    const Rational l = o.limit();
    if (!best || (for_ask ? l > *best : l < *best)) best = l;
  }
  if (!best) return "no opposite swap";
  return std::string(for_ask ? "the best bid was " : "the best ask was ") +
         matching::display_price(state, *best, base, quote);
}

void settle_pair(const StateView& state, std::span<const Intent> batch, const PoolId& pair,
                 const std::vector<std::size_t>& members, Ledger& ledger,
                 std::vector<Receipt>& receipts, std::vector<Price>& prices) {
  const std::string& base = pair.first;
  const std::string& quote = pair.second;
  std::vector<PairOrder> orders;
  orders.reserve(members.size());
  for (std::size_t i : members) {
    const Swap& s = *batch[i].swap();
    orders.push_back({batch[i].id, s.sell_asset == base, s.side, matching::to_big(s.sell_amount),
                      matching::to_big(s.buy_amount), s.partial});
  }
  const std::optional<Pool> pool = state.pool(base, quote);
  const std::optional<matching::PoolCurve> curve = curve_of(pool);
  const PairResult result = matching::clear_pair(orders, curve);

  std::optional<Price> price;
  if (result.kind == PairResult::Kind::traded) {
    price = matching::make_price(base, quote, result.price);
    prices.push_back(*price);
  }
  for (std::size_t k = 0; k < members.size(); ++k) {
    const Intent& in = batch[members[k]];
    const matching::OrderResult& r = result.orders[k];
    Receipt& out = receipts[members[k]];
    switch (r.outcome) {
      case OrderOutcome::filled: {
        const Swap& s = *in.swap();
        ledger.change[BalanceKey{in.signer, s.sell_asset}] -= r.paid;
        ledger.change[BalanceKey{in.signer, s.buy_asset}] += r.received;
        ledger.nonces.insert({in.signer, in.nonce});
        out = matching::swap_settled(state, in, r.paid, r.received, r.partial_fill, *price);
        break;
      }
      case OrderOutcome::limit_not_reached:
        out = matching::swap_limit_not_reached(state, in, orders[k].limit(), *price);
        break;
      case OrderOutcome::at_limit_no_volume:
        out = matching::swap_at_limit_no_volume(state, in, *price);
        break;
      case OrderOutcome::fok_not_fillable:
        out = matching::swap_fok_not_fillable(state, in, price);
        break;
      case OrderOutcome::no_trade:
        out = result.kind == PairResult::Kind::no_liquidity
                  ? matching::swap_no_liquidity(in)
                  : matching::swap_no_cross(
                        state, in, orders[k].limit(),
                        no_cross_reference(state, curve, orders, orders[k].sells_base, base, quote));
        break;
    }
  }
  if (result.kind != PairResult::Kind::traded) return;
  if (curve) {
    Pool updated = *pool;
    updated.reserve_a = matching::to_amount(result.pool_base);
    updated.reserve_b = matching::to_amount(result.pool_quote);
    if (updated != *pool) ledger.pools[pair] = updated;
  } else {
    if (result.dust_base > 0) ledger.change[BalanceKey{dust_account(), base}] += result.dust_base;
    if (result.dust_quote > 0) ledger.change[BalanceKey{dust_account(), quote}] += result.dust_quote;
  }
}

}  // namespace

Settlement settle(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
  std::vector<std::size_t> by_id(batch.size());
  std::iota(by_id.begin(), by_id.end(), std::size_t{0});
  std::sort(by_id.begin(), by_id.end(), [&](std::size_t x, std::size_t y) {
    return batch[x].id != batch[y].id ? batch[x].id < batch[y].id : x < y;
  });

  matching::Screening screened = matching::screen(state, batch, by_id, ctx);
  Settlement out;
  out.receipts.resize(batch.size());
  Ledger ledger;
  ledger.nonces.insert(screened.nonces_used.begin(), screened.nonces_used.end());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (screened.receipts[i]) out.receipts[i] = std::move(*screened.receipts[i]);
  }

  // Transfers execute; swaps are grouped by pair (funded is in ascending id order).
  std::map<PoolId, std::vector<std::size_t>> pairs;
  for (std::size_t i : screened.funded) {
    const Intent& in = batch[i];
    if (const Transfer* t = in.transfer()) {
      ledger.move(in.signer, t->to, t->asset, matching::to_big(t->amount));
      ledger.nonces.insert({in.signer, in.nonce});
      out.receipts[i] = matching::transfer_settled(state, in);
    } else {
      pairs[make_pool_id(in.swap()->sell_asset, in.swap()->buy_asset)].push_back(i);
    }
  }
  for (const auto& [pair, members] : pairs) {
    settle_pair(state, batch, pair, members, ledger, out.receipts, out.prices);
  }

  // Absolute new values, only for what actually changed.
  for (const auto& [key, change] : ledger.change) {
    if (change == 0) continue;
    const BigInt now = matching::to_big(state.balance(key.account, key.asset)) + change;
    out.delta.balances[key] = matching::to_amount(now);
  }
  out.delta.nonces = std::move(ledger.nonces);
  out.delta.pools = std::move(ledger.pools);
  return out;
}

}  // namespace pactum
