// Matcher micro benchmarks (signatures are not part of settlement):
//  * BM_SettleBatch: one batch of random swaps and transfers over 4 pooled pairs and
//    1,000 funded accounts.
//  * BM_SettleScale: issue 3's scale target: random batches of 1k / 10k / 100k / 1M swaps
//    over 20 assets and 30 pools (any of the 190 pairs, rings included), one core.
//  * BM_CheckClearingScale: the same batches, checking the built-in matcher's clearing by
//    the rules (settle_clearing, the independent checker included): what replay and the
//    producer's picker spend per clearing instead of searching (issue 19).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <unordered_map>
#include <vector>

#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/store.hpp"
#include "pactum/matcher/matcher.hpp"

namespace {

using namespace pactum;

constexpr std::uint32_t kAccounts = 1000;
const char* const kAssets[] = {"AAA", "BBB", "CCC", "DDD"};
const std::pair<int, int> kPairs[] = {{0, 1}, {2, 3}, {0, 2}, {1, 3}};

PublicKey bench_account(std::uint32_t i) {
  PublicKey k;
  k.bytes = sha256(as_bytes("bench/account/" + std::to_string(i))).bytes;
  return k;
}

struct Fixture {
  State state;
  std::vector<Intent> batch;
  BlockContext ctx{"bench", 1, 0, {}, {}};

  explicit Fixture(std::size_t n) {
    StateDelta genesis;
    for (const char* a : kAssets) genesis.assets[a] = AssetInfo{a, 6};
    for (std::uint32_t i = 0; i < kAccounts; ++i) {
      for (const char* a : kAssets) genesis.balances[BalanceKey{bench_account(i), a}] = 1'000'000'000;
    }
    for (auto [x, y] : kPairs) {
      const PoolId id = make_pool_id(kAssets[x], kAssets[y]);
      genesis.pools[id] = Pool{id.first, id.second, 1'000'000'000'000, 2'000'000'000'000, 30};
    }
    state.apply(genesis);

    std::mt19937_64 rng(42);
    std::vector<std::uint64_t> nonce(kAccounts, 0);
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t who = static_cast<std::uint32_t>(rng() % kAccounts);
      Intent in;
      in.chain = ctx.chain_id;
      in.signer = bench_account(who);
      in.nonce = nonce[who]++;
      in.valid_until = 100;
      in.id = sha256(as_bytes("bench/intent/" + std::to_string(k)));
      if (rng() % 5 == 0) {
        in.body = Transfer{kAssets[rng() % 4], bench_account(static_cast<std::uint32_t>(rng() % kAccounts)),
                           Amount(1 + rng() % 1'000'000)};
      } else {
        auto [x, y] = kPairs[rng() % 4];
        if (rng() % 2) std::swap(x, y);
        const Amount sell = 1 + rng() % 10'000'000;
        // Limits spread around the pool price (2 quote per base) so the books cross.
        const bool sells_base = std::string(kAssets[x]) < kAssets[y];
        const std::uint64_t pct = 50 + rng() % 100;  // 0.5x .. 1.5x of fair
        const Amount buy = std::max<Amount>(1, sells_base ? sell * 2 * pct / 100 : sell * pct / 200);
        in.body = Swap{kAssets[x], kAssets[y], rng() % 2 ? SwapSide::sell : SwapSide::buy, sell, buy, rng() % 2 == 0};
      }
      batch.push_back(std::move(in));
    }
  }
};

void BM_SettleBatch(benchmark::State& bm) {
  Fixture f(static_cast<std::size_t>(bm.range(0)));
  std::size_t traded = 0;
  for (auto _ : bm) {
    Settlement s = settle(f.state, f.batch, f.ctx);
    traded = s.prices.size();
    benchmark::DoNotOptimize(s);
  }
  bm.counters["pairs_traded"] = static_cast<double>(traded);
  bm.SetItemsProcessed(bm.iterations() * bm.range(0));
}
BENCHMARK(BM_SettleBatch)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

// ---- Scale: 20 assets, 30 pools, any pair ----------------------------------------------

// A plain read-only state for large batches (the full State would also build its Merkle
// tree for a million balances, which is not what is measured here). Balances sit in a
// hash table, as in the node's State: a red-black tree of 250,000 keys made its lookups
// (memcmp down the tree) a sixth of the measured time, which the node never pays.
class ScaleState final : public StateView {
 public:
  Amount balance(const PublicKey& account, std::string_view asset) const override {
    auto it = balances.find(BalanceKey{account, std::string(asset)});
    return it == balances.end() ? Amount(0) : it->second;
  }
  bool nonce_used(const PublicKey&, std::uint64_t) const override { return false; }
  std::optional<Pool> pool(std::string_view x, std::string_view y) const override {
    auto it = pools_by_id.find(make_pool_id(x, y));
    return it == pools_by_id.end() ? std::nullopt : std::optional<Pool>(it->second);
  }
  std::optional<AssetInfo> asset(std::string_view symbol) const override {
    auto it = assets.find(std::string(symbol));
    return it == assets.end() ? std::nullopt : std::optional<AssetInfo>(it->second);
  }
  std::vector<Pool> pools() const override {
    std::vector<Pool> out;
    for (const auto& [_, p] : pools_by_id) out.push_back(p);
    return out;
  }
  std::map<std::string, AssetInfo> assets;
  struct KeyHash {
    std::size_t operator()(const BalanceKey& k) const noexcept {
      std::uint64_t w;
      std::memcpy(&w, k.account.bytes.data(), sizeof w);
      return static_cast<std::size_t>(w ^ std::hash<std::string>()(k.asset));
    }
  };
  std::unordered_map<BalanceKey, Amount, KeyHash> balances;
  std::map<PoolId, Pool> pools_by_id;
};

constexpr int kScaleAssets = 20;
constexpr int kScalePools = 30;

struct ScaleFixture {
  ScaleState state;
  std::vector<Intent> batch;
  BlockContext ctx{"bench", 1, 0, {}, {}};

  explicit ScaleFixture(std::size_t n) {
    keep_block_buffers_in_heap();  // the allocator settings of the node (Store::open sets them)
    std::mt19937_64 rng(7);
    std::vector<std::string> names;
    std::vector<std::uint64_t> price;  // reference price of one unit, in micro-numeraire
    for (int a = 0; a < kScaleAssets; ++a) {
      names.push_back(a < 10 ? "S0" : "S");  // appended to, not "S" + ...: GCC 12's -Wrestrict misfires there
      names.back() += std::to_string(a);
      price.push_back(a == 0 ? 1'000'000 : 100'000 + rng() % 10'000'000);
      state.assets[names.back()] = AssetInfo{names.back(), 6};
    }
    // 19 tree pools (every asset joins an earlier one) and 11 more distinct pairs.
    std::vector<std::pair<int, int>> pairs;
    for (int a = 1; a < kScaleAssets; ++a) pairs.push_back({static_cast<int>(rng() % a), a});
    while (static_cast<int>(pairs.size()) < kScalePools) {
      int x = static_cast<int>(rng() % kScaleAssets), y = static_cast<int>(rng() % kScaleAssets);
      if (x == y) continue;
      if (x > y) std::swap(x, y);
      if (std::find(pairs.begin(), pairs.end(), std::pair{x, y}) == pairs.end()) pairs.push_back({x, y});
    }
    for (auto [x, y] : pairs) {
      // About 10^9 numeraire units of value per side: deep next to any one swap.
      const Amount rx = Amount(1'000'000'000'000'000ULL) / price[x] * 1000;
      const Amount ry = Amount(1'000'000'000'000'000ULL) / price[y] * 1000;
      const PoolId id = make_pool_id(names[x], names[y]);
      const bool x_first = id.first == names[x];
      state.pools_by_id[id] = Pool{id.first, id.second, x_first ? rx : ry, x_first ? ry : rx, 30};
    }
    const std::size_t accounts = std::max<std::size_t>(1, std::min<std::size_t>(n / 4, 250'000));
    std::vector<std::uint64_t> nonce(accounts, 0);
    std::map<BalanceKey, Amount> need;
    batch.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t who = rng() % accounts;
      const int sell = static_cast<int>(rng() % kScaleAssets);
      int buy = static_cast<int>(rng() % (kScaleAssets - 1));
      if (buy >= sell) ++buy;
      Intent in;
      in.chain = ctx.chain_id;
      in.signer = bench_account(static_cast<std::uint32_t>(who));
      in.nonce = nonce[who]++;
      in.valid_until = 100;
      in.id = sha256(as_bytes("bench/scale/" + std::to_string(n) + "/" + std::to_string(k)));
      // 1..1000 numeraire units of value; limit 0.95x..1.05x of the reference rate.
      const std::uint64_t value = 1'000'000ULL * (1 + rng() % 1000);
      const Amount sell_amount = std::max<Amount>(1, Amount(value) * 1'000'000 / price[sell]);
      const std::uint64_t pct = 95 + rng() % 11;
      const Amount buy_amount = std::max<Amount>(1, Amount(value) * 1'000'000 / price[buy] * pct / 100);
      in.body = Swap{names[sell], names[buy], rng() % 2 ? SwapSide::sell : SwapSide::buy,
                     sell_amount, buy_amount, rng() % 10 < 7};
      need[BalanceKey{in.signer, names[sell]}] += sell_amount;
      batch.push_back(std::move(in));
    }
    state.balances.insert(need.begin(), need.end());
  }
};

void BM_SettleScale(benchmark::State& bm) {
  static std::map<std::int64_t, std::unique_ptr<ScaleFixture>> fixtures;  // built once per size
  auto& f = fixtures[bm.range(0)];
  if (!f) f = std::make_unique<ScaleFixture>(static_cast<std::size_t>(bm.range(0)));
  std::size_t settled = 0, priced = 0;
  for (auto _ : bm) {
    Settlement s = settle(f->state, f->batch, f->ctx);
    settled = static_cast<std::size_t>(std::count_if(
        s.receipts.begin(), s.receipts.end(), [](const Receipt& r) { return r.status == ReceiptStatus::settled; }));
    priced = s.asset_prices.size();
    benchmark::DoNotOptimize(s);
  }
  bm.counters["settled"] = static_cast<double>(settled);
  bm.counters["assets_priced"] = static_cast<double>(priced);
  bm.SetItemsProcessed(bm.iterations() * bm.range(0));
}
void BM_CheckClearingScale(benchmark::State& bm) {
  static std::map<std::int64_t, std::unique_ptr<ScaleFixture>> fixtures;
  auto& f = fixtures[bm.range(0)];
  if (!f) f = std::make_unique<ScaleFixture>(static_cast<std::size_t>(bm.range(0)));
  const Settlement searched = settle(f->state, f->batch, f->ctx);
  const Clearing clearing =
      clearing_of(f->batch, searched.receipts, searched.prices, searched.asset_prices, *searched.cleared_pools);
  bool ok = true;
  for (auto _ : bm) {
    Result<Settlement> s = verify_recorded_clearing(f->state, f->batch, f->ctx, clearing);
    ok = ok && s.ok();
    benchmark::DoNotOptimize(s);
  }
  bm.counters["valid"] = ok ? 1 : 0;
  bm.SetItemsProcessed(bm.iterations() * bm.range(0));
}
BENCHMARK(BM_CheckClearingScale)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

BENCHMARK(BM_SettleScale)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
