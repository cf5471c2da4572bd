// make_instance(): what a solver sees of a batch (solver.hpp).
#include <algorithm>
#include <set>

#include "pactum/matcher/matcher.hpp"
#include "pactum/solvers/solver.hpp"

namespace pactum::solvers {

Instance make_instance(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
  Instance out;
  out.chain_id = ctx.chain_id;
  out.height = ctx.height;
  std::set<std::string> assets;
  for (std::size_t i : solvable_swaps(state, batch, ctx)) {
    const Swap& s = *traded_swap(batch[i]);
    out.swaps.push_back({batch[i].id, s.sell_asset, s.buy_asset, s.side, s.sell_amount, s.buy_amount, s.partial});
    assets.insert(s.sell_asset);
    assets.insert(s.buy_asset);
  }
  std::sort(out.swaps.begin(), out.swaps.end(),
            [](const InstanceSwap& x, const InstanceSwap& y) { return x.id < y.id; });
  // Pools reachable from the swaps' assets, also through assets no swap names (a route
  // may pass through them): grow the set until no pool adds an asset.
  const std::vector<Pool> all = state.pools();
  std::vector<bool> taken(all.size(), false);
  for (bool grew = !assets.empty(); grew;) {
    grew = false;
    for (std::size_t k = 0; k < all.size(); ++k) {
      const Pool& p = all[k];
      if (taken[k] || p.reserve_a == 0 || p.reserve_b == 0) continue;
      if (!assets.count(p.asset_a) && !assets.count(p.asset_b)) continue;
      taken[k] = true;
      grew = assets.insert(p.asset_a).second | assets.insert(p.asset_b).second | grew;
    }
  }
  for (std::size_t k = 0; k < all.size(); ++k)
    if (taken[k]) out.pools.push_back(all[k]);
  for (const std::string& a : assets) {
    const auto info = state.asset(a);
    out.assets.push_back({a, info ? info->decimals : 0});
  }
  return out;
}

}  // namespace pactum::solvers
