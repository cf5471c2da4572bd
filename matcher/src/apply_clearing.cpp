// apply_clearing(): a round's swaps settled from a given clearing (apply_clearing.hpp).
#include "apply_clearing.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "pactum/matcher/matcher.hpp"

namespace pactum::matching {

namespace {

const Fill* find_fill(const Clearing& c, const Hash32& id) {
  auto it =
      std::lower_bound(c.fills.begin(), c.fills.end(), id, [](const Fill& f, const Hash32& x) { return f.intent < x; });
  return it != c.fills.end() && it->intent == id ? &*it : nullptr;
}

const Price* find_price(const Clearing& c, const PoolId& pair) {
  auto it = std::lower_bound(c.prices.begin(), c.prices.end(), pair, [](const Price& p, const PoolId& x) {
    return std::tie(p.base, p.quote) < std::tie(x.first, x.second);
  });
  return it != c.prices.end() && it->base == pair.first && it->quote == pair.second ? &*it : nullptr;
}

// The swap's limit as quote per base of its pair, and whether it sells the base.
Rational pair_limit(const Swap& s) {
  return s.sell_asset < s.buy_asset ? Rational(to_big(s.buy_amount), to_big(s.sell_amount))
                                    : Rational(to_big(s.sell_amount), to_big(s.buy_amount));
}

// The receipt of a funded swap the clearing does not fill, by where its limit lies
// against its pair's price.
Receipt unfilled_receipt(const StateView& state, PriceTexts& texts, const Intent& in, const Swap& s,
                         const Price* price) {
  const Rational limit = pair_limit(s);
  if (!price) return swap_no_cross(state, in, limit, "the block's clearing has no price for this pair");
  const Rational p(price->num, price->den);
  const bool sells_base = s.sell_asset < s.buy_asset;
  const bool reached = sells_base ? p >= limit : p <= limit;
  if (!reached) return swap_limit_not_reached(state, texts, in, limit, *price);
  if (p == limit) return swap_at_limit_no_volume(state, texts, in, *price);
  if (!s.partial) return swap_fok_not_fillable(state, texts, in, *price);
  return swap_rationed(state, texts, in, *price);  // the checker's in_the_money rule refuses it
}

bool sorted_prices(const Clearing& c) {
  for (std::size_t k = 0; k < c.prices.size(); ++k) {
    if (!(c.prices[k].base < c.prices[k].quote) || c.prices[k].num <= 0 || c.prices[k].den <= 0) return false;
    if (k > 0 &&
        !(std::tie(c.prices[k - 1].base, c.prices[k - 1].quote) < std::tie(c.prices[k].base, c.prices[k].quote)))
      return false;
  }
  return true;
}

// Pools: each named pool must exist with reserves; it ends at the clearing's reserves.
// Returns each asset's net inflow into the pools.
std::map<std::string, BigInt> apply_pools(const StateView& state, const Clearing& clearing, BatchLedger& ledger,
                                          std::vector<ClearingProblem>& problems) {
  std::map<std::string, BigInt> into_pools;
  for (std::size_t k = 0; k < clearing.pools.size(); ++k) {
    const PoolReserves& r = clearing.pools[k];
    const std::string name = "pool " + r.asset_a + "/" + r.asset_b;
    if (k > 0 &&
        !(std::tie(clearing.pools[k - 1].asset_a, clearing.pools[k - 1].asset_b) < std::tie(r.asset_a, r.asset_b))) {
      problems.push_back({"pool", "the clearing's pools are not sorted or name " + name + " twice"});
      continue;
    }
    const std::optional<Pool> pool = state.pool(r.asset_a, r.asset_b);
    if (!pool || pool->asset_a != r.asset_a || pool->reserve_a == 0 || pool->reserve_b == 0) {
      problems.push_back({"pool", name + " does not exist or has no reserves"});
      continue;
    }
    Pool after = *pool;
    after.reserve_a = r.reserve_a;
    after.reserve_b = r.reserve_b;
    if (after == *pool) continue;
    ledger.pools[PoolId{r.asset_a, r.asset_b}] = after;
    into_pools[r.asset_a] += to_big(r.reserve_a) - to_big(pool->reserve_a);
    into_pools[r.asset_b] += to_big(r.reserve_b) - to_big(pool->reserve_b);
  }
  return into_pools;
}

}  // namespace

void apply_clearing(const StateView& state, PriceTexts& texts, std::span<const Intent> batch,
                    const std::vector<std::size_t>& swaps, const Clearing& clearing, BatchLedger& ledger,
                    Settlement& out, std::vector<ClearingProblem>& problems) {
  if (!sorted_prices(clearing))
    problems.push_back({"price_vector", "the clearing's pair prices are not positive, sorted and distinct"});
  std::map<std::string, BigInt> traders_net;  // per asset: paid in by traders minus paid out to them
  std::size_t filled = 0;
  for (std::size_t i : swaps) {
    const Intent& in = batch[i];
    const Swap& s = *in.swap();
    const Price* price = find_price(clearing, make_pool_id(s.sell_asset, s.buy_asset));
    const Fill* fill = find_fill(clearing, in.id);
    if (!fill) {
      out.receipts[i] = unfilled_receipt(state, texts, in, s, price);
      continue;
    }
    ++filled;
    if (!price) {
      problems.push_back({"fill", "intent " + in.id.hex() + " is filled but its pair has no clearing price"});
      out.receipts[i] = unfilled_receipt(state, texts, in, s, price);
      continue;
    }
    if (fill->sold == 0 || fill->bought == 0 || fill->sold > s.sell_amount) {
      // sold <= sell_amount keeps the signer within what funding reserved for the swap.
      problems.push_back({"fill", "intent " + in.id.hex() + " is filled with nothing, or sells more than it signed"});
      out.receipts[i] = unfilled_receipt(state, texts, in, s, price);
      continue;
    }
    const BigInt sold = to_big(fill->sold), bought = to_big(fill->bought);
    ledger.change[BalanceKey{in.signer, s.sell_asset}] -= sold;
    ledger.change[BalanceKey{in.signer, s.buy_asset}] += bought;
    ledger.nonces.insert({in.signer, in.nonce});
    traders_net[s.sell_asset] += sold;
    traders_net[s.buy_asset] -= bought;
    const bool full = s.side == SwapSide::sell ? fill->sold == s.sell_amount : fill->bought == s.buy_amount;
    out.receipts[i] = swap_settled(state, texts, in, sold, bought, !full, *price);
  }
  if (filled != clearing.fills.size())
    problems.push_back({"fill", std::to_string(clearing.fills.size() - filled) +
                                    " of the clearing's fills name an intent that is not a funded swap of the batch"});
  const std::map<std::string, BigInt> into_pools = apply_pools(state, clearing, ledger, problems);
  for (const auto& [asset, v] : into_pools) traders_net[asset] -= v;
  for (const auto& [asset, dust] : traders_net) {
    if (dust < 0) {
      problems.push_back({"dust", "the clearing pays out " + BigInt(-dust).str() + " base units of " + asset +
                                      " more than traders and pools put in"});
    } else if (dust > 0) {
      ledger.change[BalanceKey{dust_account(), asset}] += dust;
    }
  }
  out.prices = clearing.prices;
  out.asset_prices = clearing.asset_prices;
}

}  // namespace pactum::matching
