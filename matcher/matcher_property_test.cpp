// Property tests over ~2,000 random batches (seeded, deterministic): conservation per
// asset, limits, one price vector (every pair's price and every settled swap at the ratio
// of asset_prices, so a direct pair and a routed path cannot differ), pools never lose
// and trade at the vector, order independence, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>

#include "src/pool_math.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

using matching::Rational;
using test::account;
using test::IntentFactory;
using test::MapState;

const std::vector<std::string> kAssets = {"AAA", "BBB", "CCC", "DDD"};
constexpr std::uint32_t kAccounts = 6;

struct World {
  MapState state;
  std::vector<Intent> batch;
};

World random_world(std::mt19937_64& rng, IntentFactory& f) {
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  auto amount = [&](std::uint64_t lo, std::uint64_t hi) { return Amount(lo + pick(hi - lo + 1)); };
  World w;
  for (const std::string& a : kAssets) w.state.asset(a);
  for (std::uint32_t i = 0; i < kAccounts; ++i) {
    for (const std::string& a : kAssets) {
      if (pick(5) != 0) w.state.balance(account(i), a, amount(0, 100'000));
    }
    if (pick(4) == 0) w.state.nonce(account(i), pick(4));
  }
  // Pools on two pairs (fees vary); the other pairs clear order against order only.
  const std::uint32_t fees[] = {0, 5, 30, 100};
  // Pool prices within a factor of 2 of 1:1, like the orders' limits; one deep, one shallow.
  auto reserves = [&](std::uint64_t lo, std::uint64_t hi) {
    const Amount a = amount(lo, hi);
    return std::pair<Amount, Amount>(a, std::max<Amount>(1, a * amount(50, 200) / 100));
  };
  if (pick(4) != 0) {
    auto [a, b] = reserves(100'000, 1'000'000);
    w.state.pool("AAA", "BBB", a, b, fees[pick(4)]);
  }
  if (pick(4) != 0) {
    auto [a, b] = reserves(10, 10'000);
    w.state.pool("CCC", "DDD", a, b, fees[pick(4)]);
  }
  if (pick(3) == 0) {  // a third pool closes routes AAA -> CCC -> DDD and rings with pools
    auto [a, b] = reserves(1'000, 100'000);
    w.state.pool("AAA", "CCC", a, b, fees[pick(4)]);
  }

  const std::size_t n = 1 + pick(30);
  for (std::size_t k = 0; k < n; ++k) {
    const PublicKey who = account(static_cast<std::uint32_t>(pick(kAccounts)));
    const std::uint64_t nonce = pick(16);
    const int kind = static_cast<int>(pick(10));
    Intent in;
    if (kind == 0) {
      in = f.transfer(who, nonce, kAssets[pick(4)], account(static_cast<std::uint32_t>(pick(kAccounts))),
                      amount(1, 50'000));
    } else if (kind == 1 && !w.batch.empty()) {
      std::vector<Hash32> ids;
      for (int j = 0; j < 2; ++j) ids.push_back(w.batch[pick(w.batch.size())].id);
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      in = f.cancel(who, nonce, ids);
    } else {
      // Mostly the pooled pairs, so that pools and orders interact.
      static const std::pair<int, int> pairs[] = {{0, 1}, {0, 1}, {2, 3}, {2, 3}, {0, 2}, {1, 3}};
      auto [x, y] = pairs[pick(6)];
      if (pick(2)) std::swap(x, y);
      const Amount sell = amount(1, 5'000);
      // Limits from 0.1 to 1.5 units bought per unit sold: most cross the pools (prices 0.5..2).
      const Amount buy = std::max<Amount>(1, sell * amount(10, 150) / 100);
      in =
          f.swap(who, nonce, kAssets[x], kAssets[y], pick(2) ? SwapSide::sell : SwapSide::buy, sell, buy, pick(2) == 0);
    }
    if (pick(20) == 0) in.valid_until = 0;  // expired at height 1
    if (pick(30) == 0) in.chain = "elsewhere";
    w.batch.push_back(in);
    if (pick(25) == 0) w.batch.push_back(in);  // an exact copy
  }
  return w;
}

bool same_delta(const StateDelta& a, const StateDelta& b) {
  return a.assets == b.assets && a.balances == b.balances && a.nonces == b.nonces && a.pools == b.pools;
}

void check_swap_limits(const Intent& in, const Receipt& r, const Price& price) {
  const Swap& s = *in.swap();
  const BigInt S = BigInt(s.sell_amount), B = BigInt(s.buy_amount);
  const BigInt sold = BigInt(r.sold), bought = BigInt(r.bought);
  ASSERT_LE(sold, S);
  if (!r.partial_fill) {
    if (s.side == SwapSide::sell) {
      EXPECT_EQ(sold, S);
      EXPECT_GE(bought, B);
    } else {
      EXPECT_EQ(bought, B);
      EXPECT_LE(sold, S);
    }
  } else {
    // Exact fraction f of the order at p: pays ceil, receives floor of f's amounts, so
    // the limit ratio holds up to one unit of rounding on each side.
    EXPECT_GT((bought + 1) * S, (sold - 1) * B);
    // (A fraction just below 1 can round the paid side up to the full amount.)
    if (s.side == SwapSide::buy) {
      EXPECT_LT(bought, B);
    }
  }
  // One price: the trader gets no better than p, and loses at most rounding.
  const Rational p(price.num, price.den);
  const bool sells_base = s.sell_asset == price.base;
  const Rational value_sold = sells_base ? Rational(sold) * p : Rational(sold);
  const Rational value_bought = sells_base ? Rational(bought) : Rational(bought) * p;  // in quote
  EXPECT_LE(value_bought, value_sold) << "a trader beat the uniform price";
  // Rounding costs less than one unit of each asset, plus at most 3 units of one asset
  // given up so that a route through pools balances (docs/MECHANISMS.md, rounding).
  EXPECT_LT(value_sold - value_bought, 4 * (1 + p)) << "a trader lost more than rounding";
}

// What the generator exercised, summed over the batches.
struct Tally {
  std::size_t settled_swaps = 0, partial = 0, pool_trades = 0, dust_trades = 0;
  std::size_t vector_markets = 0, refined = 0, rationed = 0, fallbacks = 0;
};

// Same input twice: the same output. A permuted batch (shuffled with `rng`): the same
// delta and prices, receipts permuted alike.
void check_determinism(const World& w, const Settlement& st, std::mt19937_64& rng) {
  const Settlement again = test::run(w.state, w.batch);
  ASSERT_TRUE(same_delta(st.delta, again.delta));
  ASSERT_EQ(st.prices, again.prices);
  ASSERT_EQ(st.receipts, again.receipts);

  std::vector<std::size_t> perm(w.batch.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<Intent> shuffled;
  for (std::size_t i : perm) shuffled.push_back(w.batch[i]);
  const Settlement ps = test::run(w.state, shuffled);
  ASSERT_TRUE(same_delta(st.delta, ps.delta));
  ASSERT_EQ(st.prices, ps.prices);
  for (std::size_t k = 0; k < perm.size(); ++k) {
    // Exact copies may swap which one is "the duplicate"; compare by content then.
    ASSERT_EQ(ps.receipts[k].intent, st.receipts[perm[k]].intent);
    if (std::count_if(w.batch.begin(), w.batch.end(), [&](const Intent& x) { return x.id == shuffled[k].id; }) == 1) {
      ASSERT_EQ(ps.receipts[k], st.receipts[perm[k]]);
    }
  }
}

// Prices sorted by (base, quote), reduced, one per pair; one price vector, every pair's
// price its ratio; pools trade at the vector (unless the batch fell back to per-pair
// clearing: per-pair prices are not one vector).
void check_prices(const World& w, const Settlement& st, const SettleStats& stats) {
  for (std::size_t i = 0; i < st.prices.size(); ++i) {
    const Price& p = st.prices[i];
    EXPECT_LT(p.base, p.quote);
    EXPECT_EQ(gcd(p.num, p.den), 1);
    EXPECT_GT(p.den, 0);
    if (i > 0) {
      EXPECT_LT(std::tie(st.prices[i - 1].base, st.prices[i - 1].quote), std::tie(p.base, p.quote));
    }
  }
  std::map<std::string, Rational> vec;
  for (std::size_t i = 0; i < st.asset_prices.size(); ++i) {
    const AssetPrice& a = st.asset_prices[i];
    EXPECT_GT(a.num, 0);
    EXPECT_GT(a.den, 0);
    EXPECT_EQ(gcd(a.num, a.den), 1);
    if (i > 0) {
      EXPECT_LT(st.asset_prices[i - 1].asset, a.asset);
    }
    vec[a.asset] = Rational(a.num, a.den);
  }
  if (stats.fallbacks > 0) return;
  for (const Price& p : st.prices) {
    ASSERT_TRUE(vec.count(p.base) && vec.count(p.quote)) << p.base << "/" << p.quote;
    EXPECT_EQ(Rational(p.num, p.den), vec[p.base] / vec[p.quote]);
  }
  // Pools never give more value than they take (up to one unit of what they take, the
  // route-rounding adjustment of docs/MECHANISMS.md).
  for (const auto& [id, after] : st.delta.pools) {
    const Pool before = *w.state.pool(id.first, id.second);
    ASSERT_TRUE(vec.count(id.first) && vec.count(id.second));
    const BigInt da = BigInt(after.reserve_a) - BigInt(before.reserve_a);
    const BigInt db = BigInt(after.reserve_b) - BigInt(before.reserve_b);
    const Rational value = Rational(da) * vec[id.first] + Rational(db) * vec[id.second];
    const Rational unit = da > 0 ? vec[id.first] : vec[id.second];
    EXPECT_GE(value + unit, 0) << "a pool lost value at the batch prices";
  }
}

// Receipts: limits, the pair price, nonces; nothing uses a nonce without a settled or
// cancelled receipt for it.
void check_receipts(const World& w, const Settlement& st, Tally& tally) {
  for (std::size_t i = 0; i < w.batch.size(); ++i) {
    const Intent& in = w.batch[i];
    const Receipt& r = st.receipts[i];
    ASSERT_EQ(r.intent, in.id);
    const bool uses_nonce = r.status == ReceiptStatus::settled || r.status == ReceiptStatus::cancelled;
    if (uses_nonce) {
      EXPECT_EQ(st.delta.nonces.count({in.signer, in.nonce}), 1u);
    }
    if (in.swap() && r.status == ReceiptStatus::settled) {
      ++tally.settled_swaps;
      tally.partial += r.partial_fill;
      ASSERT_TRUE(r.price.has_value());
      const PoolId pair = make_pool_id(in.swap()->sell_asset, in.swap()->buy_asset);
      auto it = std::find_if(st.prices.begin(), st.prices.end(),
                             [&](const Price& p) { return p.base == pair.first && p.quote == pair.second; });
      ASSERT_NE(it, st.prices.end());
      EXPECT_EQ(*it, *r.price);
      check_swap_limits(in, r, *r.price);
    }
    if (r.status == ReceiptStatus::rejected) {
      EXPECT_FALSE(r.reason.empty());
    }
    if (r.status == ReceiptStatus::unfilled) {
      EXPECT_TRUE(r.reason == "limit_not_reached" || r.reason == "fok_not_fillable" || r.reason == "rationed" ||
                  r.reason == "no_liquidity")
          << r.reason;
    }
  }
  for (const NonceKey& k : st.delta.nonces) {
    bool found = false;
    for (std::size_t i = 0; i < w.batch.size(); ++i) {
      const Receipt& r = st.receipts[i];
      found = found || (w.batch[i].signer == k.account && w.batch[i].nonce == k.nonce &&
                        (r.status == ReceiptStatus::settled || r.status == ReceiptStatus::cancelled));
    }
    EXPECT_TRUE(found);
  }
}

// Pools: the fee-adjusted product never falls, reserves stay positive. Then conservation
// per asset: balances + reserves (+ dust) unchanged once the delta is applied to w.
void check_pools_and_conservation(World& w, const Settlement& st, Tally& tally) {
  for (const auto& [id, after] : st.delta.pools) {
    const Pool before = *w.state.pool(id.first, id.second);
    ++tally.pool_trades;
    EXPECT_GT(after.reserve_a, 0);
    EXPECT_GT(after.reserve_b, 0);
    EXPECT_GE(BigInt(after.reserve_a) * BigInt(after.reserve_b), BigInt(before.reserve_a) * BigInt(before.reserve_b));
    EXPECT_TRUE(matching::pool_invariant_holds({BigInt(before.reserve_a), BigInt(before.reserve_b), before.fee_bps},
                                               BigInt(after.reserve_a), BigInt(after.reserve_b)));
    EXPECT_EQ(after.fee_bps, before.fee_bps);
  }
  for (const auto& [key, v] : st.delta.balances) tally.dust_trades += key.account == dust_account();
  std::vector<BigInt> totals;
  for (const std::string& a : kAssets) totals.push_back(w.state.total(a));
  w.state.apply(st.delta);
  for (std::size_t a = 0; a < kAssets.size(); ++a) EXPECT_EQ(w.state.total(kAssets[a]), totals[a]) << kAssets[a];
}

// The settlement's clearing, checked by the rules (settle_clearing), gives the same
// fills, prices and state: what replay relies on for blocks the built-in matcher made.
// A clearing the rules refuse is counted by the rule it breaks (the producer drops such a
// proposal; the count must stay small).
void check_clearing_round_trip(const World& w, const Settlement& st, std::map<std::string, int>& refused) {
  std::vector<PoolReserves> pools;
  for (const auto& [id, p] : st.delta.pools) pools.push_back({p.asset_a, p.asset_b, p.reserve_a, p.reserve_b});
  const Clearing c = clearing_of(w.batch, st.receipts, st.prices, st.asset_prices, pools);
  // With the market-clearing rule first; only a clearing that breaks just that rule (about
  // 2% of these batches) is checked again without it (a second check of every batch
  // doubled this test's time under the sanitizers).
  Result<Settlement> v = settle_clearing(w.state, w.batch, test::context(), c);
  if (!v && (v.error().field == "in_the_money" || v.error().field == "pool_in_the_money")) {
    ++refused["market clearing: " + v.error().field];
    v = verify_recorded_clearing(w.state, w.batch, test::context(), c);
  }
  if (!v) {
    ASSERT_EQ(v.error().code, Errc::clearing_invalid);
    ++refused[v.error().field];
    return;
  }
  ASSERT_TRUE(same_delta(st.delta, v->delta));
  ASSERT_EQ(st.prices, v->prices);
  ASSERT_EQ(st.asset_prices, v->asset_prices);
  for (std::size_t i = 0; i < w.batch.size(); ++i) {
    ASSERT_EQ(st.receipts[i].status, v->receipts[i].status) << i;
    ASSERT_EQ(st.receipts[i].sold, v->receipts[i].sold) << i;
    ASSERT_EQ(st.receipts[i].bought, v->receipts[i].bought) << i;
  }
  ASSERT_TRUE(v->cleared_pools.has_value());
}

TEST(MatcherProperty, RandomBatches) {
  std::map<std::string, int> refused;
  std::mt19937_64 rng(20240601);
  IntentFactory f;
  Tally t;
  for (int iter = 0; iter < 2000; ++iter) {
    SCOPED_TRACE("batch " + std::to_string(iter));
    World w = random_world(rng, f);
    SettleStats stats;
    const Settlement st = settle_with_stats(w.state, w.batch, test::context(), &stats);
    ASSERT_EQ(st.receipts.size(), w.batch.size());
    t.fallbacks += stats.fallbacks;
    t.vector_markets += stats.vector_markets;
    t.refined += stats.refined;
    for (const Receipt& r : st.receipts) t.rationed += r.reason == "rationed";
    ASSERT_NO_FATAL_FAILURE(check_determinism(w, st, rng));
    ASSERT_NO_FATAL_FAILURE(check_prices(w, st, stats));
    ASSERT_NO_FATAL_FAILURE(check_receipts(w, st, t));
    ASSERT_NO_FATAL_FAILURE(check_clearing_round_trip(w, st, refused));
    ASSERT_NO_FATAL_FAILURE(check_pools_and_conservation(w, st, t));
  }
  int refused_total = 0;
  for (const auto& [rule, n] : refused) {
    std::cout << "clearing refused by " << rule << ": " << n << "\n";
    if (rule.rfind("market clearing", 0) != 0) refused_total += n;
  }
  // The producer drops a clearing that breaks a rule (the block then trades nothing) and
  // ranks one that is not market clearing below those that are. The built-in matcher
  // trades pools outside their band towards their capacity, around cycles of pools too
  // (pool_in_the_money: 270 of these 2,000 batches of deliberately inconsistent tiny pools
  // when it did not, 6 since); the polish and exact solvers clear what is left on the
  // batches they run on.
  // (4 of these 2,000 with GCC's draws, 6 with clang's: the generator's draws differ
  // between compilers. The producer drops such a clearing.)
  EXPECT_LE(refused_total * 200, 2000) << "more than 0.5% of the matcher's own clearings break a rule";
  EXPECT_LE(refused["market clearing: in_the_money"] * 20, 2000) << "more than 5% of the matcher's clearings ration";
  EXPECT_LE(refused["market clearing: pool_in_the_money"] * 100, 2000)
      << "more than 1% of the matcher's clearings leave a pool rationed";
  // The generator must exercise what the properties are about.
  std::cout << "settled swaps " << t.settled_swaps << ", partial " << t.partial << ", pool trades " << t.pool_trades
            << ", dust credits " << t.dust_trades << ", vector markets " << t.vector_markets << " (exact equilibrium "
            << t.refined << ", fallbacks " << t.fallbacks << "), rationed " << t.rationed << "\n";
  EXPECT_GT(t.settled_swaps, 5000u);
  EXPECT_GT(t.partial, 50u);
  EXPECT_GT(t.pool_trades, 500u);
  EXPECT_GT(t.dust_trades, 20u);
  EXPECT_GT(t.vector_markets, 1000u);
  EXPECT_GT(t.refined * 10, t.vector_markets * 9);  // >90% of multi-asset batches: an exact equilibrium
  // The per-pair fallback is a safety net for route rounding that traders' room cannot
  // absorb while every trader and pool stays within one unit of the batch prices; it
  // must stay rare (4 in ~1,700 of these deliberately tiny-pool batches when written).
  EXPECT_LE(t.fallbacks * 200, t.vector_markets);
}

}  // namespace
}  // namespace pactum
