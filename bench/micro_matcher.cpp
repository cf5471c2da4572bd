// Matcher micro benchmark: settle one batch of 10,000 random swaps and transfers over 4
// pooled pairs and 1,000 funded accounts (signatures are not part of settlement).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/state.hpp"
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
  BlockContext ctx{"bench", 1, 0};

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
        in.body = Swap{kAssets[x], kAssets[y], rng() % 2 ? SwapSide::sell : SwapSide::buy, sell, buy,
                       rng() % 2 == 0};
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

}  // namespace
