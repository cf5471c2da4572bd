// Batches for the exact solver's tests (exact_*_test.cpp): random small batches in the
// manner of bench/quality's classic generator, hand-made ones, their Instance (built
// directly: every swap of these batches is funded and valid), and the Settlement of a
// clearing of a batch of swaps only, for the independent checker.
#pragma once
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "pactum/checker/checker.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/solvers/solver.hpp"

namespace pactum::solvers::testing {

struct Batch {
  std::unique_ptr<State> state;
  std::vector<Intent> batch;
  Instance instance;
  BlockContext ctx{"exact-test", 1, 0, {}, {}};
};

class BatchBuilder {
 public:
  explicit BatchBuilder(std::uint64_t seed, int assets) : seed_(seed) {
    for (int a = 0; a < assets; ++a) {
      symbols_.push_back("T" + std::to_string(a));
      genesis_.assets[symbols_.back()] = AssetInfo{symbols_.back(), 6};
    }
  }
  const std::string& symbol(std::size_t a) const { return symbols_[a]; }
  void pool(std::size_t x, std::size_t y, Amount rx, Amount ry, std::uint32_t fee_bps) {
    if (x > y) std::swap(x, y), std::swap(rx, ry);
    genesis_.pools[make_pool_id(symbols_[x], symbols_[y])] = Pool{symbols_[x], symbols_[y], rx, ry, fee_bps};
  }
  void swap(std::size_t sell, std::size_t buy, Amount s, Amount b, SwapSide side, bool partial) {
    const std::size_t i = batch_.size();
    Intent in;
    in.chain = "exact-test";
    in.signer.bytes = sha256(as_bytes("exact/account/" + std::to_string(seed_) + "/" + std::to_string(i))).bytes;
    in.valid_until = 1000;
    in.id = sha256(as_bytes("exact/intent/" + std::to_string(seed_) + "/" + std::to_string(i)));
    in.body = Swap{symbols_[sell], symbols_[buy], side, s, b, partial};
    genesis_.balances[BalanceKey{in.signer, symbols_[sell]}] = s;
    batch_.push_back(std::move(in));
  }
  Batch finish() {
    Batch out;
    out.state = std::make_unique<State>();
    out.state->apply(genesis_);
    out.batch = std::move(batch_);
    Instance& inst = out.instance;
    inst.chain_id = out.ctx.chain_id;
    inst.height = out.ctx.height;
    for (const auto& s : symbols_) inst.assets.push_back({s, 6});
    for (const auto& in : out.batch) {
      const Swap& s = *in.swap();
      inst.swaps.push_back({in.id, s.sell_asset, s.buy_asset, s.side, s.sell_amount, s.buy_amount, s.partial});
    }
    std::sort(inst.swaps.begin(), inst.swaps.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
    inst.pools = out.state->pools();
    return out;
  }

 private:
  std::uint64_t seed_;
  std::vector<std::string> symbols_;
  StateDelta genesis_;
  std::vector<Intent> batch_;
};

inline Amount units(double u) { return Amount(static_cast<std::uint64_t>(std::max(1.0, std::round(u * 1e6)))); }

struct Shape {
  int min_assets = 3, max_assets = 5, min_swaps = 6, max_swaps = 20;
  int min_fok_percent = 25, max_fok_percent = 60;
  bool pools = true;
};

// The classic generator's design: reference prices in [0.5, 4], pools on a spanning tree
// plus up to two pairs (200..2000 units a side, spot within 3%, fee 0/5/30/100 bps),
// swaps worth 1..40 units with limits 0.90..1.05 of the reference rate.
inline Batch random_batch(std::uint64_t seed, const Shape& shape) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int k = pick(shape.min_assets, shape.max_assets);
  std::vector<double> ref;
  for (int a = 0; a < k; ++a) ref.push_back(a == 0 ? 1.0 : uniform(0.5, 4.0));
  BatchBuilder b(seed, k);
  if (shape.pools) {
    std::set<std::pair<int, int>> pairs;
    for (int a = 1; a < k; ++a) pairs.insert({pick(0, a - 1), a});
    for (int e = pick(0, 2), tries = 0; e > 0 && tries < 50; ++tries) {
      const int x = pick(0, k - 1), y = pick(0, k - 1);
      if (x != y && pairs.insert({std::min(x, y), std::max(x, y)}).second) --e;
    }
    const std::uint32_t fees[] = {0, 5, 30, 100};
    for (auto [x, y] : pairs) {
      const double value = uniform(200, 2000), skew = uniform(0.97, 1.03);
      b.pool(x, y, units(value / ref[x]), units(value * skew / ref[y]), fees[pick(0, 3)]);
    }
  }
  const int n = pick(shape.min_swaps, shape.max_swaps), fok = pick(shape.min_fok_percent, shape.max_fok_percent);
  for (int i = 0; i < n; ++i) {
    int sell = pick(0, k - 1), buy = pick(0, k - 2);
    if (buy >= sell) ++buy;
    const double sell_units = uniform(1, 40) / ref[sell], limit = ref[sell] / ref[buy] * uniform(0.90, 1.05);
    // Drawn in separate statements: the order in which a call's arguments are evaluated
    // differs between compilers. This is the order GCC used when the figures in
    // docs/PERFORMANCE.md were measured (right to left), now for every compiler.
    const bool partial = pick(0, 99) >= fok;
    const SwapSide side = pick(0, 1) ? SwapSide::sell : SwapSide::buy;
    b.swap(sell, buy, units(sell_units), units(sell_units * limit), side, partial);
  }
  return b.finish();
}

// The settlement a clearing makes of a batch of swaps only: filled swaps settle with the
// clearing's amounts, the others stay unfilled; balances, nonces, pools and dust follow.
inline Settlement settlement_of(const Batch& b, const Clearing& c) {
  Settlement s;
  s.prices = c.prices;
  s.asset_prices = c.asset_prices;
  std::map<Hash32, Fill> fills;
  for (const auto& f : c.fills) fills[f.intent] = f;
  std::map<BalanceKey, BigInt> balance;
  std::map<std::string, BigInt> dust;
  auto move = [&](const PublicKey& who, const std::string& asset, const BigInt& d) {
    auto it = balance.find(BalanceKey{who, asset});
    if (it == balance.end()) it = balance.emplace(BalanceKey{who, asset}, BigInt(b.state->balance(who, asset))).first;
    it->second += d;
  };
  for (const auto& in : b.batch) {
    const Swap& sw = *in.swap();
    Receipt r;
    r.intent = in.id;
    r.sold_asset = sw.sell_asset;
    r.bought_asset = sw.buy_asset;
    auto f = fills.find(in.id);
    if (f == fills.end()) {
      r.status = ReceiptStatus::unfilled;
      r.reason = "limit_not_reached";
    } else {
      r.status = ReceiptStatus::settled;
      r.sold = f->second.sold;
      r.bought = f->second.bought;
      r.partial_fill = sw.side == SwapSide::sell ? r.sold != sw.sell_amount : r.bought != sw.buy_amount;
      s.delta.nonces.insert(NonceKey{in.signer, in.nonce});
      move(in.signer, sw.sell_asset, -BigInt(r.sold));
      move(in.signer, sw.buy_asset, BigInt(r.bought));
      dust[sw.sell_asset] += BigInt(r.sold);
      dust[sw.buy_asset] -= BigInt(r.bought);
    }
    s.receipts.push_back(std::move(r));
  }
  for (const auto& p : c.pools) {
    const Pool before = *b.state->pool(p.asset_a, p.asset_b);
    s.delta.pools[make_pool_id(p.asset_a, p.asset_b)] =
        Pool{p.asset_a, p.asset_b, p.reserve_a, p.reserve_b, before.fee_bps};
    dust[p.asset_a] -= BigInt(p.reserve_a) - BigInt(before.reserve_a);
    dust[p.asset_b] -= BigInt(p.reserve_b) - BigInt(before.reserve_b);
  }
  for (const auto& [asset, d] : dust)
    if (d != 0) move(check::dust_account_for_check(), asset, d);
  for (const auto& [key, v] : balance) s.delta.balances[key] = v < 0 ? Amount(0) : static_cast<Amount>(v);
  return s;
}

inline std::vector<check::Violation> violations_of(const Batch& b, const Clearing& c) {
  check::CheckOptions o;
  o.ctx = &b.ctx;
  o.require_asset_prices = true;
  return check::check_settlement(*b.state, b.batch, settlement_of(b, c), o);
}

}  // namespace pactum::solvers::testing
