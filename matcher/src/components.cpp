#include "components.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <boost/unordered/unordered_flat_map.hpp>

namespace pactum::matching {
namespace {

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::size_t x, std::size_t y) {
    x = find(x);
    y = find(y);
    if (x != y) parent[std::max(x, y)] = std::min(x, y);
  }
};

// Asset symbols -> ids once per swap (a hash lookup); names only for the few distinct.
struct SwapAssets {
  boost::unordered_flat_map<std::string, int> id_of;
  std::vector<std::pair<int, int>> legs;  // per swap: (sell, buy) ids
};

SwapAssets intern_swaps(std::span<const Intent> batch, const std::vector<std::size_t>& swaps) {
  SwapAssets out;
  out.legs.reserve(swaps.size());
  const auto intern = [&](const std::string& a) {
    auto [it, fresh] = out.id_of.try_emplace(a, static_cast<int>(out.id_of.size()));
    return it->second;
  };
  for (std::size_t i : swaps) {
    const Swap& s = *batch[i].swap();
    out.legs.emplace_back(intern(s.sell_asset), intern(s.buy_asset));
  }
  return out;
}

// The pools with both reserves > 0 (`candidates`), and which of them join the batch
// (`used`).
struct PoolSet {
  std::vector<Pool> candidates;
  std::vector<bool> used;
};

// Pools reachable from the traded assets, through pools.
PoolSet reachable_pools(const StateView& state, const std::set<std::string>& traded) {
  PoolSet out;
  for (const Pool& p : state.pools()) {
    if (p.reserve_a != 0 && p.reserve_b != 0) out.candidates.push_back(p);
  }
  std::set<std::string> reach = traded;
  out.used.assign(out.candidates.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t k = 0; k < out.candidates.size(); ++k) {
      const Pool& c = out.candidates[k];
      if (out.used[k] || (!reach.count(c.asset_a) && !reach.count(c.asset_b))) continue;
      out.used[k] = true;
      reach.insert(c.asset_a);
      reach.insert(c.asset_b);
      changed = true;
    }
  }
  return out;
}

// Prune assets without swaps that touch at most one used pool, repeatedly.
void prune_dangling(const std::set<std::string>& traded, PoolSet& pools) {
  for (bool changed = true; changed;) {
    changed = false;
    std::map<std::string, int> degree;
    for (std::size_t k = 0; k < pools.candidates.size(); ++k) {
      if (!pools.used[k]) continue;
      ++degree[pools.candidates[k].asset_a];
      ++degree[pools.candidates[k].asset_b];
    }
    for (std::size_t k = 0; k < pools.candidates.size(); ++k) {
      if (!pools.used[k]) continue;
      for (const std::string& a : {pools.candidates[k].asset_a, pools.candidates[k].asset_b}) {
        if (!traded.count(a) && degree[a] <= 1) {
          pools.used[k] = false;
          changed = true;
          break;
        }
      }
    }
  }
}

// The traded assets and those of the used pools, sorted.
std::vector<std::string> market_assets(const std::set<std::string>& traded, const PoolSet& pools) {
  std::vector<std::string> assets(traded.begin(), traded.end());
  for (std::size_t k = 0; k < pools.candidates.size(); ++k) {
    if (!pools.used[k]) continue;
    assets.push_back(pools.candidates[k].asset_a);
    assets.push_back(pools.candidates[k].asset_b);
  }
  std::sort(assets.begin(), assets.end());
  assets.erase(std::unique(assets.begin(), assets.end()), assets.end());
  return assets;
}

// Assets joined by a swap or a used pool form a component; each gets its assets, swaps
// (in the order of `swaps`) and pools (in the order of the candidates). Components with
// no swap are dropped.
std::vector<Component> group_components(const std::vector<std::string>& assets, const SwapAssets& interned,
                                        const std::vector<std::size_t>& swaps, const PoolSet& pools) {
  auto index = [&](const std::string& a) {
    return static_cast<std::size_t>(std::lower_bound(assets.begin(), assets.end(), a) - assets.begin());
  };
  // Interned id -> index into the sorted asset list.
  std::vector<std::size_t> sorted_index(interned.id_of.size());
  for (const auto& [name, id] : interned.id_of) sorted_index[static_cast<std::size_t>(id)] = index(name);
  UnionFind uf(assets.size());
  for (const auto& [x, y] : interned.legs) uf.join(sorted_index[x], sorted_index[y]);
  for (std::size_t k = 0; k < pools.candidates.size(); ++k) {
    if (pools.used[k]) uf.join(index(pools.candidates[k].asset_a), index(pools.candidates[k].asset_b));
  }
  // Roots are the smallest asset of each component, so ordering by root orders by it.
  std::map<std::size_t, Component> by_root;
  std::vector<std::size_t> first_of(assets.size());  // component-local index of each asset
  for (std::size_t a = 0; a < assets.size(); ++a) {
    Component& c = by_root[uf.find(a)];
    first_of[a] = c.assets.size();
    c.assets.push_back(assets[a]);
  }
  for (std::size_t k = 0; k < swaps.size(); ++k) {
    const std::size_t x = sorted_index[interned.legs[k].first], y = sorted_index[interned.legs[k].second];
    Component& c = by_root[uf.find(x)];
    c.members.push_back(swaps[k]);
    c.legs.emplace_back(static_cast<int>(first_of[x]), static_cast<int>(first_of[y]));
  }
  for (std::size_t k = 0; k < pools.candidates.size(); ++k) {
    if (pools.used[k]) by_root[uf.find(index(pools.candidates[k].asset_a))].pools.push_back(pools.candidates[k]);
  }
  std::vector<Component> out;
  for (auto& [root, c] : by_root) {
    if (!c.members.empty()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<Component> find_components(const StateView& state, std::span<const Intent> batch,
                                       const std::vector<std::size_t>& swaps) {
  const SwapAssets interned = intern_swaps(batch, swaps);
  std::set<std::string> traded;
  for (const auto& [name, id] : interned.id_of) traded.insert(name);
  PoolSet pools = reachable_pools(state, traded);
  prune_dangling(traded, pools);
  return group_components(market_assets(traded, pools), interned, swaps, pools);
}

}  // namespace pactum::matching
