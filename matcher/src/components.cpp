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

}  // namespace

std::vector<Component> find_components(const StateView& state, std::span<const Intent> batch,
                                       const std::vector<std::size_t>& swaps) {
  // Asset symbols -> ids once per swap (a hash lookup); names only for the few distinct.
  boost::unordered_flat_map<std::string, int> id_of;
  std::vector<std::pair<int, int>> swap_legs;
  swap_legs.reserve(swaps.size());
  const auto intern = [&](const std::string& a) {
    auto [it, fresh] = id_of.try_emplace(a, static_cast<int>(id_of.size()));
    return it->second;
  };
  for (std::size_t i : swaps) {
    const Swap& s = *batch[i].swap();
    swap_legs.emplace_back(intern(s.sell_asset), intern(s.buy_asset));
  }
  std::set<std::string> traded;
  for (const auto& [name, id] : id_of) traded.insert(name);
  // Pools reachable from the traded assets.
  std::vector<Pool> candidates;
  for (const Pool& p : state.pools()) {
    if (p.reserve_a != 0 && p.reserve_b != 0) candidates.push_back(p);
  }
  std::set<std::string> reach = traded;
  std::vector<bool> used(candidates.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      if (used[k] || (!reach.count(candidates[k].asset_a) && !reach.count(candidates[k].asset_b))) continue;
      used[k] = true;
      reach.insert(candidates[k].asset_a);
      reach.insert(candidates[k].asset_b);
      changed = true;
    }
  }
  // Prune assets without swaps that touch at most one used pool, repeatedly.
  for (bool changed = true; changed;) {
    changed = false;
    std::map<std::string, int> degree;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      if (!used[k]) continue;
      ++degree[candidates[k].asset_a];
      ++degree[candidates[k].asset_b];
    }
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      if (!used[k]) continue;
      for (const std::string& a : {candidates[k].asset_a, candidates[k].asset_b}) {
        if (!traded.count(a) && degree[a] <= 1) {
          used[k] = false;
          changed = true;
          break;
        }
      }
    }
  }
  std::vector<std::string> assets(traded.begin(), traded.end());
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    if (!used[k]) continue;
    assets.push_back(candidates[k].asset_a);
    assets.push_back(candidates[k].asset_b);
  }
  std::sort(assets.begin(), assets.end());
  assets.erase(std::unique(assets.begin(), assets.end()), assets.end());
  auto index = [&](const std::string& a) {
    return static_cast<std::size_t>(std::lower_bound(assets.begin(), assets.end(), a) - assets.begin());
  };
  // Interned id -> index into the sorted asset list.
  std::vector<std::size_t> sorted_index(id_of.size());
  for (const auto& [name, id] : id_of) sorted_index[static_cast<std::size_t>(id)] = index(name);
  UnionFind uf(assets.size());
  for (const auto& [x, y] : swap_legs) uf.join(sorted_index[x], sorted_index[y]);
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    if (used[k]) uf.join(index(candidates[k].asset_a), index(candidates[k].asset_b));
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
    const std::size_t x = sorted_index[swap_legs[k].first], y = sorted_index[swap_legs[k].second];
    Component& c = by_root[uf.find(x)];
    c.members.push_back(swaps[k]);
    c.legs.emplace_back(static_cast<int>(first_of[x]), static_cast<int>(first_of[y]));
  }
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    if (used[k]) by_root[uf.find(index(candidates[k].asset_a))].pools.push_back(candidates[k]);
  }
  std::vector<Component> out;
  for (auto& [root, c] : by_root) {
    if (!c.members.empty()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pactum::matching
