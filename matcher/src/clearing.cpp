// clear_batch(): screening (validity, cancels, funding), then transfers, then swaps market by
// market (components of the asset graph: two-asset markets by the exact pair sweep, larger
// ones at one price vector), then the state delta. Everything iterates in id order or
// std::map order, so the batch order only decides where each receipt is written.
#include "clearing.hpp"

#include <algorithm>

#include <boost/unordered/unordered_flat_map.hpp>
#include <map>
#include <numeric>
#include <optional>

#include "batch_ledger.hpp"
#include "components.hpp"
#include "key_hash.hpp"
#include "pair_clearing.hpp"
#include "rational.hpp"
#include "receipts.hpp"
#include "screening.hpp"
#include "vector_clearing.hpp"

namespace pactum::matching {

namespace {

std::optional<matching::PoolCurve> curve_of(const std::optional<Pool>& pool) {
  // A pool without reserves on both sides has no price: treat the pair as pool-less.
  if (!pool || pool->reserve_a == 0 || pool->reserve_b == 0) return std::nullopt;
  return matching::PoolCurve{matching::to_big(pool->reserve_a), matching::to_big(pool->reserve_b), pool->fee_bps};
}

// Why nothing traded, for the unfilled receipts: the pool's band or the best opposite limit.
std::string no_cross_reference(const StateView& state, const std::optional<matching::PoolCurve>& pool,
                               const std::vector<PairOrder>& orders, bool for_ask, const std::string& base,
                               const std::string& quote) {
  if (pool) {
    return "the pool buys below " + matching::display_price(state, pool->bid(), base, quote) + " and sells above " +
           matching::display_price(state, pool->ask(), base, quote);
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

void settle_pair(const StateView& state, matching::PriceTexts& texts, std::span<const Intent> batch, const PoolId& pair,
                 const std::vector<std::size_t>& members, BatchLedger& ledger, std::vector<Receipt>& receipts,
                 std::vector<Price>& prices, std::vector<AssetPrice>& asset_prices) {
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
    // As a vector: base is the numeraire of this market, quote is worth 1/p of it.
    asset_prices.push_back(AssetPrice{base, 1, 1});
    asset_prices.push_back(AssetPrice{quote, price->den, price->num});
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
        out = matching::swap_settled(state, texts, in, r.paid, r.received, r.partial_fill, *price);
        break;
      }
      case OrderOutcome::limit_not_reached:
        out = matching::swap_limit_not_reached(state, texts, in, orders[k].limit(), *price);
        break;
      case OrderOutcome::at_limit_no_volume:
        out = matching::swap_at_limit_no_volume(state, texts, in, *price);
        break;
      case OrderOutcome::fok_not_fillable:
        out = matching::swap_fok_not_fillable(state, texts, in, price);
        break;
      case OrderOutcome::no_trade:
        out =
            result.kind == PairResult::Kind::no_liquidity
                ? matching::swap_no_liquidity(in)
                : matching::swap_no_cross(state, in, orders[k].limit(),
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

// The swap's limit as quote per base of its pair (PairOrder::limit()).
Rational pair_limit(const Swap& s) {
  return s.sell_asset < s.buy_asset ? Rational(matching::to_big(s.buy_amount), matching::to_big(s.sell_amount))
                                    : Rational(matching::to_big(s.sell_amount), matching::to_big(s.buy_amount));
}

Price ratio_price(const std::string& x, const std::string& y, const BigInt& nx, const BigInt& ny) {
  // quote per base = N[base] / N[quote]
  return x < y ? matching::make_price(x, y, Rational(nx, ny)) : matching::make_price(y, x, Rational(ny, nx));
}

// The market's swaps and pools as a book over its assets (indices into market.assets).
matching::Book vector_book(std::span<const Intent> batch, const matching::Component& market) {
  const auto index = [&](const std::string& a) {
    return static_cast<int>(std::lower_bound(market.assets.begin(), market.assets.end(), a) - market.assets.begin());
  };
  std::vector<matching::VectorOrder> orders;
  orders.reserve(market.members.size());
  for (std::size_t k = 0; k < market.members.size(); ++k) {
    const std::size_t i = market.members[k];
    const Swap& s = *batch[i].swap();
    orders.push_back(
        {batch[i].id, market.legs[k].first, market.legs[k].second, s.side, s.sell_amount, s.buy_amount, s.partial});
  }
  std::vector<matching::VectorPool> pools;
  for (const Pool& p : market.pools) pools.push_back({index(p.asset_a), index(p.asset_b), p});
  return matching::build_book(std::move(orders), std::move(pools), static_cast<int>(market.assets.size()));
}

// One Price per unordered pair of the market's assets at the vector n, computed once (a
// gcd of big integers each), and whether the pair traded.
class MarketPrices {
 public:
  MarketPrices(const matching::Component& market, const std::vector<BigInt>& n)
      : market_(market),
        n_(n),
        width_(market.assets.size()),
        price_(width_ * width_),
        traded_(width_ * width_, false) {}
  const Price& of(int x, int y) {
    std::optional<Price>& p = price_[slot(x, y)];
    if (!p) p = ratio_price(market_.assets[x], market_.assets[y], n_[x], n_[y]);
    return *p;
  }
  void mark_traded(int x, int y) { traded_[slot(x, y)] = true; }
  bool traded(int x, int y) const { return traded_[slot(x, y)]; }

 private:
  std::size_t slot(int x, int y) const {
    return static_cast<std::size_t>(std::min(x, y)) * width_ + static_cast<std::size_t>(std::max(x, y));
  }
  const matching::Component& market_;
  const std::vector<BigInt>& n_;
  std::size_t width_;
  std::vector<std::optional<Price>> price_;
  std::vector<bool> traded_;
};

// The receipt of each of the market's swaps; a fill's amounts go to the ledger.
void vector_receipts(const StateView& state, matching::PriceTexts& texts, std::span<const Intent> batch,
                     const matching::Component& market, const matching::Book& book, const matching::VectorResult& r,
                     MarketPrices& prices, BatchLedger& ledger, std::vector<Receipt>& receipts) {
  for (std::size_t k = 0; k < market.members.size(); ++k) {
    const std::size_t i = market.members[k];
    const Intent& in = batch[i];
    const Swap& s = *in.swap();
    const matching::VectorFill& f = r.orders[k];
    Receipt& out = receipts[i];
    if (!r.traded && f.outcome == matching::VectorOutcome::fok_not_fillable) {
      out = matching::swap_fok_not_fillable(state, texts, in, std::nullopt);
      continue;
    }
    if (!r.traded) {
      out = matching::swap_no_cross(state, in, pair_limit(s),
                                    "no price vector over the " + std::to_string(market.assets.size()) +
                                        " assets and the pools connected to this pair let it trade");
      continue;
    }
    const Price& price = prices.of(book.orders[k].sell, book.orders[k].buy);
    switch (f.outcome) {
      case matching::VectorOutcome::filled:
        ledger.change[BalanceKey{in.signer, s.sell_asset}] -= f.paid;
        ledger.change[BalanceKey{in.signer, s.buy_asset}] += f.received;
        ledger.nonces.insert({in.signer, in.nonce});
        out = matching::swap_settled(state, texts, in, f.paid, f.received, f.partial_fill, price);
        prices.mark_traded(book.orders[k].sell, book.orders[k].buy);
        break;
      case matching::VectorOutcome::limit_not_reached:
        out = matching::swap_limit_not_reached(state, texts, in, pair_limit(s), price);
        break;
      case matching::VectorOutcome::at_limit_no_volume:
        out = matching::swap_at_limit_no_volume(state, texts, in, price);
        break;
      case matching::VectorOutcome::rationed:
        out = matching::swap_rationed(state, texts, in, price);
        break;
      case matching::VectorOutcome::fok_not_fillable:
        out = matching::swap_fok_not_fillable(state, texts, in, price);
        break;
      case matching::VectorOutcome::no_trade:
        out = matching::swap_no_liquidity(in);
        break;
    }
  }
}

// What a market that traded leaves besides its receipts: the pools' new reserves, one
// price per pair that traded (by a swap or a pool), the dust, and the market's price
// vector over the assets that traded (its first such asset is the numeraire).
void record_market(const matching::Component& market, const matching::Book& book, const matching::VectorResult& r,
                   MarketPrices& prices, BatchLedger& ledger, std::map<PoolId, Price>& pair_prices,
                   std::vector<AssetPrice>& asset_prices) {
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    if (!r.pools_after[q]) continue;
    const Pool& p = book.pools[q].pool;
    ledger.pools[PoolId{p.asset_a, p.asset_b}] = *r.pools_after[q];
    prices.mark_traded(book.pools[q].a, book.pools[q].b);
  }
  const int width = static_cast<int>(market.assets.size());
  for (int x = 0; x < width; ++x) {
    for (int y = x + 1; y < width; ++y) {
      if (!prices.traded(x, y)) continue;
      const Price& p = prices.of(x, y);
      pair_prices.emplace(PoolId{p.base, p.quote}, p);
    }
  }
  std::optional<std::size_t> numeraire;
  for (std::size_t a = 0; a < market.assets.size(); ++a) {
    if (r.dust[a] > 0) ledger.change[BalanceKey{dust_account(), market.assets[a]}] += r.dust[a];
    if (!r.asset_traded[a]) continue;
    if (!numeraire) numeraire = a;
    const Rational v(r.n[a], r.n[*numeraire]);
    asset_prices.push_back(AssetPrice{market.assets[a], matching::num(v), matching::den(v)});
  }
}

// A market of three or more assets, cleared at one price vector. False when the result
// failed its final check (the caller then clears the market pair by pair); it writes
// nothing then.
bool settle_vector(const StateView& state, matching::PriceTexts& texts, std::span<const Intent> batch,
                   const matching::Component& market, BatchLedger& ledger, std::vector<Receipt>& receipts,
                   std::map<PoolId, Price>& prices, std::vector<AssetPrice>& asset_prices, SettleStats& stats) {
  const matching::Book book = vector_book(batch, market);
  const matching::VectorResult r = matching::clear_vector(book);
  stats.search_iterations += r.stats.search_iterations;
  stats.completion_rounds += r.stats.completion_rounds;
  stats.refined += r.stats.refined ? 1 : 0;
  if (!r.valid) return false;
  MarketPrices market_prices(market, r.n);
  vector_receipts(state, texts, batch, market, book, r, market_prices, ledger, receipts);
  if (r.traded) record_market(market, book, r, market_prices, ledger, prices, asset_prices);
  return true;
}

void settle_pairs_of(const StateView& state, matching::PriceTexts& texts, std::span<const Intent> batch,
                     const std::vector<std::size_t>& members, BatchLedger& ledger, std::vector<Receipt>& receipts,
                     std::vector<Price>& prices, std::vector<AssetPrice>& asset_prices) {
  std::map<PoolId, std::vector<std::size_t>> pairs;
  for (std::size_t i : members)
    pairs[make_pool_id(batch[i].swap()->sell_asset, batch[i].swap()->buy_asset)].push_back(i);
  for (const auto& [pair, in_pair] : pairs) {
    settle_pair(state, texts, batch, pair, in_pair, ledger, receipts, prices, asset_prices);
  }
}

// Batch indices in ascending (id, batch index). Sorted on the ids' first 8 bytes read
// big-endian (the same order as the bytes), falling back to the whole id only on a tie: a
// 100,000-intent batch spent more time in two 32-byte memcmps per comparison than in
// screening.
std::vector<std::size_t> in_id_order(std::span<const Intent> batch) {
  std::vector<std::pair<std::uint64_t, std::size_t>> keyed(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    std::uint64_t k = 0;
    for (int b = 0; b < 8; ++b) k = (k << 8) | batch[i].id.bytes[b];
    keyed[i] = {k, i};
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first < y.first;
    const Hash32& a = batch[x.second].id;
    const Hash32& b = batch[y.second].id;
    return a != b ? a < b : x.second < y.second;
  });
  std::vector<std::size_t> by_id(batch.size());
  for (std::size_t k = 0; k < keyed.size(); ++k) by_id[k] = keyed[k].second;
  return by_id;
}

// Transfers, burns, locks and unlocks execute; the funded swaps (ascending id, as `funded` is) are returned.
std::vector<std::size_t> execute_transfers(const StateView& state, std::span<const Intent> batch,
                                           const std::vector<std::size_t>& funded, BatchLedger& ledger,
                                           std::vector<Receipt>& receipts) {
  std::vector<std::size_t> swaps;
  for (std::size_t i : funded) {
    const Intent& in = batch[i];
    if (const Transfer* t = in.transfer()) {
      ledger.move(in.signer, t->to, t->asset, matching::to_big(t->amount));
      ledger.nonces.insert({in.signer, in.nonce});
      receipts[i] = matching::transfer_settled(state, in);
    } else if (const Burn* b = in.burn()) {
      ledger.burn(in.signer, b->asset, matching::to_big(b->amount));
      ledger.nonces.insert({in.signer, in.nonce});
      receipts[i] = matching::burn_settled(state, in);
    } else if (const auto conversion = in.conversion()) {
      ledger.convert(in.signer, conversion->from, conversion->to, matching::to_big(conversion->amount));
      ledger.nonces.insert({in.signer, in.nonce});
      receipts[i] = matching::conversion_settled(state, in);
    } else {
      swaps.push_back(i);
    }
  }
  return swaps;
}

// The swaps, market by market: two-asset markets by the pair sweep, larger ones at one
// price vector (per pair if its check fails). Prices sorted by (base, quote), the price
// vector by asset.
void clear_markets(const StateView& state, matching::PriceTexts& texts, std::span<const Intent> batch,
                   const std::vector<std::size_t>& swaps, BatchLedger& ledger, Settlement& out, SettleStats& stats) {
  std::map<PoolId, Price> vector_prices;
  for (const matching::Component& market : matching::find_components(state, batch, swaps)) {
    if (market.assets.size() == 2) {
      ++stats.pair_markets;
      settle_pairs_of(state, texts, batch, market.members, ledger, out.receipts, out.prices, out.asset_prices);
      continue;
    }
    ++stats.vector_markets;
    // A failed check leaves the ledger untouched only if settle_vector wrote nothing: it
    // writes after its result passed, so a rejected result changes nothing.
    if (!settle_vector(state, texts, batch, market, ledger, out.receipts, vector_prices, out.asset_prices, stats)) {
      ++stats.fallbacks;
      // Per-pair prices are not one vector: the market gets no entry in asset_prices.
      std::vector<AssetPrice> not_a_vector;
      settle_pairs_of(state, texts, batch, market.members, ledger, out.receipts, out.prices, not_a_vector);
    }
  }
  for (auto& [pair, price] : vector_prices) out.prices.push_back(std::move(price));
  std::sort(out.prices.begin(), out.prices.end(),
            [](const Price& x, const Price& y) { return std::tie(x.base, x.quote) < std::tie(y.base, y.quote); });
  std::sort(out.asset_prices.begin(), out.asset_prices.end(),
            [](const AssetPrice& x, const AssetPrice& y) { return x.asset < y.asset; });
}

// The state delta: absolute new balances, only for what actually changed, inserted in key
// order; nonces sorted and deduplicated; the pools.
void write_delta(const StateView& state, BatchLedger& ledger, StateDelta& delta) {
  std::vector<std::pair<BalanceKey, BigInt>> changed;
  changed.reserve(ledger.change.size());
  for (auto& [key, change] : ledger.change) {
    if (change != 0) changed.emplace_back(key, std::move(change));
  }
  std::sort(changed.begin(), changed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [key, change] : changed) {
    const BigInt now = matching::to_big(state.balance(key.account, key.asset)) + change;
    delta.balances.emplace_hint(delta.balances.end(), key, matching::to_amount(now));
  }
  std::vector<NonceKey>& nonces = ledger.nonces.keys;
  std::sort(nonces.begin(), nonces.end());
  nonces.erase(std::unique(nonces.begin(), nonces.end()), nonces.end());
  delta.nonces.insert(nonces.begin(), nonces.end());
  delta.pools = std::move(ledger.pools);
  // A burnable asset's supply leaf falls by what was burned (screening funded every burn
  // from a balance, so the supply, which counts that balance, covers it).
  for (const auto& [asset, burned] : ledger.burned) {
    const BigInt before = matching::to_big(state.supply(asset).value_or(Amount(0)));
    delta.supplies[asset] = matching::to_amount(before > burned ? BigInt(before - burned) : BigInt(0));
  }
}

}  // namespace

std::vector<std::size_t> funded_swaps(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
  const matching::Screening screened = matching::screen(state, batch, in_id_order(batch), ctx);
  std::vector<std::size_t> out;
  for (std::size_t i : screened.funded)
    if (batch[i].swap()) out.push_back(i);
  return out;
}

Cleared clear_batch(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx, SettleStats& stats,
                    const Clearing* given) {
  matching::Screening screened = matching::screen(state, batch, in_id_order(batch), ctx);
  Cleared cleared;
  cleared.bundles = std::move(screened.bundles);
  cleared.shares = std::move(screened.shares);
  Settlement& out = cleared.settlement;
  out.receipts.resize(batch.size());
  BatchLedger ledger;
  ledger.nonces.insert(screened.nonces_used.begin(), screened.nonces_used.end());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (screened.receipts[i]) out.receipts[i] = std::move(*screened.receipts[i]);
  }
  const std::vector<std::size_t> swaps = execute_transfers(state, batch, screened.funded, ledger, out.receipts);
  // The texts of this settlement's clearing prices: owned here, shared by its receipts
  // only (receipts.hpp says why it is not a thread_local cache).
  matching::PriceTexts texts;
  if (given)
    apply_clearing(state, texts, batch, swaps, *given, ledger, out, cleared.problems);
  else
    clear_markets(state, texts, batch, swaps, ledger, out, stats);
  // The pools after the swaps, before any bundle runs: what a block records as its
  // clearing's pools (settlement.hpp).
  std::vector<PoolReserves> pools_after;
  for (const auto& [id, p] : ledger.pools) pools_after.push_back({p.asset_a, p.asset_b, p.reserve_a, p.reserve_b});
  out.cleared_pools = std::move(pools_after);
  write_delta(state, ledger, out.delta);
  return cleared;
}

}  // namespace pactum::matching
