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

Amount base_units(double units) {
  return Amount(static_cast<std::uint64_t>(std::max(1.0, std::llround(units * kUnit) * 1.0)));
}

}  // namespace

InstanceBuilder::InstanceBuilder(std::uint64_t seed, std::vector<double> reference) {
  inst_.seed = seed;
  inst_.reference = std::move(reference);
  for (std::size_t a = 0; a < inst_.reference.size(); ++a) {
    inst_.assets.push_back("T");  // appended to, not "T" + ...: GCC 12's -Wrestrict misfires there
    inst_.assets.back() += std::to_string(a);
  }
  for (const auto& a : inst_.assets) genesis_.assets[a] = AssetInfo{a, 6};
}

void InstanceBuilder::add_pool(std::size_t x, std::size_t y, double value, double skew, std::uint32_t fee_bps) {
  if (x > y) std::swap(x, y);
  Pool p{inst_.assets[x], inst_.assets[y], base_units(value / inst_.reference[x]),
         base_units(value * skew / inst_.reference[y]), fee_bps};
  genesis_.pools[make_pool_id(p.asset_a, p.asset_b)] = p;
}

void InstanceBuilder::add_swap(std::size_t sell, std::size_t buy, double value, double limit_factor, SwapSide side,
                               bool partial) {
  const std::size_t i = inst_.batch.size();
  const double sell_units = value / inst_.reference[sell];
  const double fair = inst_.reference[sell] / inst_.reference[buy];  // buy units per sell unit
  const double limit = fair * limit_factor;
  Intent in;
  in.chain = inst_.ctx.chain_id;
  in.signer = account(inst_.seed, i);
  in.nonce = 0;
  in.valid_until = 1000;
  in.id = sha256(as_bytes("quality/intent/" + std::to_string(inst_.seed) + "/" + std::to_string(i)));
  Swap s;
  s.sell_asset = inst_.assets[sell];
  s.buy_asset = inst_.assets[buy];
  s.side = side;
  s.sell_amount = base_units(sell_units);
  s.buy_amount = base_units(sell_units * limit);
  s.partial = partial;
  genesis_.balances[BalanceKey{in.signer, s.sell_asset}] = s.sell_amount;
  in.body = s;
  inst_.batch.push_back(std::move(in));
}

Instance InstanceBuilder::finish() {
  inst_.state = std::make_unique<State>();
  inst_.state->apply(genesis_);
  inst_.pools = inst_.state->pools();
  return std::move(inst_);
}

// The classic generator. The order of the draws is part of the fixed seed set (the
// regression instances 1000003.. must stay the same batches): change it only with a note.
Instance make_instance(std::uint64_t seed, const InstanceShape& shape) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  const int k = pick(shape.min_assets, shape.max_assets);
  std::vector<double> reference;
  for (int a = 0; a < k; ++a) reference.push_back(a == 0 ? 1.0 : uniform(0.5, 4.0));
  InstanceBuilder b(seed, reference);

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
    const double value = uniform(200, 2000);  // numeraire units on each side
    const double skew = uniform(0.97, 1.03);  // spot off the reference ratio
    b.add_pool(static_cast<std::size_t>(x), static_cast<std::size_t>(y), value, skew, fees[pick(0, 3)]);
  }

  const int n = pick(shape.min_intents, shape.max_intents);
  for (int i = 0; i < n; ++i) {
    int sell = pick(0, k - 1), buy = pick(0, k - 2);
    if (buy >= sell) ++buy;
    const double value = uniform(1, 40);
    const double limit_factor = uniform(0.90, 1.05);
    const SwapSide side = pick(0, 1) ? SwapSide::sell : SwapSide::buy;
    const bool partial = pick(0, 99) >= shape.fill_or_kill_percent;
    b.add_swap(static_cast<std::size_t>(sell), static_cast<std::size_t>(buy), value, limit_factor, side, partial);
  }
  return b.finish();
}

}  // namespace pactum::quality
