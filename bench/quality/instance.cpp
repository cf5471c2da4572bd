#include "instance.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

namespace pactum::quality {

namespace {

PublicKey account(std::uint64_t seed, std::size_t i) {
  PublicKey k;
  k.bytes = sha256(as_bytes("quality/account/" + std::to_string(seed) + "/" + std::to_string(i))).bytes;
  return k;
}

Amount base_units(double units) { return Amount(static_cast<std::uint64_t>(std::max(1.0, std::llround(units * kUnit) * 1.0))); }

}  // namespace

Instance make_instance(std::uint64_t seed, const InstanceShape& shape) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  Instance inst;
  inst.seed = seed;
  const int k = pick(shape.min_assets, shape.max_assets);
  for (int a = 0; a < k; ++a) {
    inst.assets.push_back("T");  // appended to, not "T" + ...: GCC 12's -Wrestrict misfires there
    inst.assets.back() += std::to_string(a);
    inst.reference.push_back(a == 0 ? 1.0 : uniform(0.5, 4.0));
  }

  StateDelta genesis;
  for (const auto& a : inst.assets) genesis.assets[a] = AssetInfo{a, 6};

  // Pools: a spanning tree (each asset joins a random earlier one), plus extra pairs.
  std::set<std::pair<int, int>> pairs;
  for (int a = 1; a < k; ++a) pairs.insert({pick(0, a - 1), a});
  const int extra = pick(0, shape.max_extra_pools);
  for (int e = 0, tries = 0; e < extra && tries < 50; ++tries) {
    int x = pick(0, k - 1), y = pick(0, k - 1);
    if (x == y) continue;
    if (x > y) std::swap(x, y);
    if (pairs.insert({x, y}).second) ++e;
  }
  const std::uint32_t fees[] = {0, 5, 30, 100};
  for (auto [x, y] : pairs) {
    const double value = uniform(200, 2000);       // numeraire units on each side
    const double skew = uniform(0.97, 1.03);       // spot off the reference ratio
    Pool p{inst.assets[x], inst.assets[y], base_units(value / inst.reference[x]),
           base_units(value * skew / inst.reference[y]), fees[pick(0, 3)]};
    genesis.pools[make_pool_id(p.asset_a, p.asset_b)] = p;
  }

  const int n = pick(shape.min_intents, shape.max_intents);
  for (int i = 0; i < n; ++i) {
    int sell = pick(0, k - 1), buy = pick(0, k - 2);
    if (buy >= sell) ++buy;
    const double value = uniform(1, 40);
    const double sell_units = value / inst.reference[sell];
    const double fair = inst.reference[sell] / inst.reference[buy];  // buy units per sell unit
    const double limit = fair * uniform(0.90, 1.05);
    Intent in;
    in.chain = inst.ctx.chain_id;
    in.signer = account(seed, static_cast<std::size_t>(i));
    in.nonce = 0;
    in.valid_until = 1000;
    in.id = sha256(as_bytes("quality/intent/" + std::to_string(seed) + "/" + std::to_string(i)));
    Swap s;
    s.sell_asset = inst.assets[sell];
    s.buy_asset = inst.assets[buy];
    s.side = pick(0, 1) ? SwapSide::sell : SwapSide::buy;
    s.sell_amount = base_units(sell_units);
    s.buy_amount = base_units(sell_units * limit);
    s.partial = pick(0, 99) >= shape.fill_or_kill_percent;
    genesis.balances[BalanceKey{in.signer, s.sell_asset}] = s.sell_amount;
    in.body = s;
    inst.batch.push_back(std::move(in));
  }
  inst.state = std::make_unique<State>();
  inst.state->apply(genesis);
  inst.pools = inst.state->pools();
  return inst;
}

}  // namespace pactum::quality
