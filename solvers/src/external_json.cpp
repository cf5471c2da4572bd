// The Solver API's two JSON documents (docs/PROTOCOL.md, "Solver API"): the instance the
// producer sends and the proposal a solver answers. Parsing is strict (FieldReader:
// unknown members refused, every error names the field) because the proposal comes from
// another process; whether it obeys the rules is the picker's question, not this file's.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "pactum/intents/field_reader.hpp"
#include "pactum/solvers/external.hpp"

namespace pactum::solvers {

using nlohmann::json;
using Rational = boost::multiprecision::cpp_rational;

namespace {

constexpr FieldReader kReader{Errc::invalid_params};

json swap_to_json(const InstanceSwap& s) {
  return json{{"id", s.id.hex()},
              {"sell_asset", s.sell_asset},
              {"buy_asset", s.buy_asset},
              {"side", s.side == SwapSide::sell ? "sell" : "buy"},
              {"sell_amount", amount_to_string(s.sell_amount)},
              {"buy_amount", amount_to_string(s.buy_amount)},
              {"partial", s.partial}};
}

json pool_to_json(const Pool& p) {
  return json{{"asset_a", p.asset_a},
              {"asset_b", p.asset_b},
              {"reserve_a", amount_to_string(p.reserve_a)},
              {"reserve_b", amount_to_string(p.reserve_b)},
              {"fee_bps", p.fee_bps}};
}

Result<PoolReserves> read_pool_reserves(const json& e, const std::string& path) {
  PACTUM_TRY(kReader.object_with(e, path, {"asset_a", "asset_b", "reserve_a", "reserve_b"}));
  PoolReserves r;
  PACTUM_ASSIGN(a, kReader.asset(e, path, "asset_a"));
  PACTUM_ASSIGN(b, kReader.asset(e, path, "asset_b"));
  PACTUM_ASSIGN(ra, kReader.amount(e, path, "reserve_a"));
  PACTUM_ASSIGN(rb, kReader.amount(e, path, "reserve_b"));
  r.asset_a = std::move(a);
  r.asset_b = std::move(b);
  r.reserve_a = ra;
  r.reserve_b = rb;
  return r;
}

Result<const json*> array_member(const json& j, std::string_view name) {
  PACTUM_ASSIGN(v, kReader.member(j, "", name));
  if (!v->is_array()) return kReader.fail(std::string(name), "must be an array");
  return v;
}

// A positive price: num and den are decimal strings (amount form), both > 0.
Result<Rational> positive_ratio(const json& j, const std::string& path) {
  PACTUM_ASSIGN(num, kReader.amount(j, path, "num"));
  PACTUM_ASSIGN(den, kReader.amount(j, path, "den"));
  if (num == 0) return kReader.fail(join_path(path, "num"), "must be positive");
  if (den == 0) return kReader.fail(join_path(path, "den"), "must be positive");
  return Rational(BigInt(num), BigInt(den));
}

using PriceMap = std::map<std::string, Rational>;

Result<PriceMap> read_prices(const json& reply, const Instance& instance) {
  std::set<std::string> known;
  for (const InstanceAsset& a : instance.assets) known.insert(a.symbol);
  PACTUM_ASSIGN(arr, array_member(reply, "prices"));
  PriceMap out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const json& e = (*arr)[i];
    const std::string path = index_path("prices", i);
    PACTUM_TRY(kReader.object_with(e, path, {"asset", "num", "den"}));
    PACTUM_ASSIGN(asset, kReader.asset(e, path, "asset"));
    if (!known.count(asset)) return kReader.fail(join_path(path, "asset"), "is not an asset of the instance");
    PACTUM_ASSIGN(ratio, positive_ratio(e, path));
    if (!out.emplace(asset, ratio).second) return kReader.fail(join_path(path, "asset"), "is priced twice");
  }
  return out;
}

Result<std::vector<Fill>> read_fills(const json& reply, const Instance& instance) {
  std::map<Hash32, const InstanceSwap*> swaps;
  for (const InstanceSwap& s : instance.swaps) swaps.emplace(s.id, &s);
  PACTUM_ASSIGN(arr, array_member(reply, "fills"));
  std::vector<Fill> out;
  std::set<Hash32> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const json& e = (*arr)[i];
    const std::string path = index_path("fills", i);
    PACTUM_TRY(kReader.object_with(e, path, {"id", "sold", "bought"}));
    PACTUM_ASSIGN(id, kReader.hash(e, path, "id"));
    if (!swaps.count(id)) return kReader.fail(join_path(path, "id"), "is not a swap of the instance");
    if (!seen.insert(id).second) return kReader.fail(join_path(path, "id"), "is filled twice");
    PACTUM_ASSIGN(sold, kReader.amount(e, path, "sold"));
    PACTUM_ASSIGN(bought, kReader.amount(e, path, "bought"));
    if (sold == 0 && bought == 0) {
      return kReader.fail(path, "moves nothing: leave a swap that does not fill out of fills");
    }
    out.push_back(Fill{id, sold, bought});
  }
  return out;  // in the reply's order (errors name indices); sorted by the caller
}

Result<std::vector<PoolReserves>> read_pools(const json& reply, const Instance& instance) {
  std::map<PoolId, const Pool*> pools;
  for (const Pool& p : instance.pools) pools.emplace(PoolId{p.asset_a, p.asset_b}, &p);
  PACTUM_ASSIGN(arr, array_member(reply, "pools"));
  std::vector<PoolReserves> out;
  std::set<PoolId> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string path = index_path("pools", i);
    PACTUM_ASSIGN(r, read_pool_reserves((*arr)[i], path));
    const PoolId id{r.asset_a, r.asset_b};
    const auto it = pools.find(id);
    if (it == pools.end())
      return kReader.fail(path, "is not a pool of the instance (asset_a < asset_b, as listed there)");
    if (!seen.insert(id).second) return kReader.fail(path, "names the same pool twice");
    if (r.reserve_a == it->second->reserve_a && r.reserve_b == it->second->reserve_b) {
      return kReader.fail(path, "did not trade (reserves unchanged): list only pools that traded");
    }
    out.push_back(std::move(r));
  }
  return out;  // in the reply's order (errors name indices); sorted by the caller
}

// p_base/p_quote for an unordered pair whose assets are both priced.
Result<Price> pair_price(const PoolId& pair, const PriceMap& prices, const std::string& field) {
  const auto base = prices.find(pair.first);
  const auto quote = prices.find(pair.second);
  if (base == prices.end() || quote == prices.end()) {
    const std::string& missing = base == prices.end() ? pair.first : pair.second;
    return kReader.fail(field, "trades " + missing + ", which has no entry in prices");
  }
  const Rational r = base->second / quote->second;  // cpp_rational is always reduced
  return Price{pair.first, pair.second, boost::multiprecision::numerator(r), boost::multiprecision::denominator(r)};
}

}  // namespace

json instance_to_json(const Instance& instance, std::uint64_t deadline_ms) {
  json assets = json::array();
  for (const InstanceAsset& a : instance.assets) assets.push_back({{"symbol", a.symbol}, {"decimals", a.decimals}});
  json swaps = json::array();
  for (const InstanceSwap& s : instance.swaps) swaps.push_back(swap_to_json(s));
  json pools = json::array();
  for (const Pool& p : instance.pools) pools.push_back(pool_to_json(p));
  return json{{"chain_id", instance.chain_id}, {"height", instance.height}, {"deadline_ms", deadline_ms},
              {"assets", std::move(assets)},   {"swaps", std::move(swaps)}, {"pools", std::move(pools)}};
}

Result<Clearing> proposal_from_json(const json& reply, const Instance& instance) {
  PACTUM_TRY(kReader.object_with(reply, "", {"prices", "fills", "pools"}));
  PACTUM_ASSIGN(prices, read_prices(reply, instance));
  PACTUM_ASSIGN(fills, read_fills(reply, instance));
  PACTUM_ASSIGN(pools, read_pools(reply, instance));

  Clearing out;
  // Every pair a fill or a pool trade touched gets its pair price, derived from the vector.
  std::map<PoolId, std::string> touched;  // pair -> the field that first touched it (for errors)
  std::map<Hash32, const InstanceSwap*> swaps;
  for (const InstanceSwap& s : instance.swaps) swaps.emplace(s.id, &s);
  for (std::size_t i = 0; i < fills.size(); ++i) {
    const InstanceSwap& s = *swaps.at(fills[i].intent);
    touched.emplace(make_pool_id(s.sell_asset, s.buy_asset), index_path("fills", i) + ".id");
  }
  for (std::size_t i = 0; i < pools.size(); ++i) {
    touched.emplace(PoolId{pools[i].asset_a, pools[i].asset_b}, index_path("pools", i));
  }
  for (const auto& [pair, field] : touched) {
    PACTUM_ASSIGN(price, pair_price(pair, prices, field));
    out.prices.push_back(std::move(price));
  }
  for (const auto& [asset, ratio] : prices) {
    out.asset_prices.push_back(
        AssetPrice{asset, boost::multiprecision::numerator(ratio), boost::multiprecision::denominator(ratio)});
  }
  std::sort(fills.begin(), fills.end(), [](const Fill& x, const Fill& y) { return x.intent < y.intent; });
  std::sort(pools.begin(), pools.end(), [](const PoolReserves& x, const PoolReserves& y) {
    return std::tie(x.asset_a, x.asset_b) < std::tie(y.asset_a, y.asset_b);
  });
  out.fills = std::move(fills);
  out.pools = std::move(pools);
  return out;
}

}  // namespace pactum::solvers
