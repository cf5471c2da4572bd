// Conditional commitments: condition resolution plus clearing by settle(), one core.
//  * BM_ResolveCommitments/N: N signed commitments (N = 1,000 and 10,000; target for
//    10,000: under 1 s) and N/10 plain intents, over 3 assets, an AAA/BBB pool and N/4
//    accounts (5% of them unfunded, so some commitments cannot execute and the rounds of
//    the greatest fixed point are exercised):
//      20% chains of `requires`, 50 long (a1 <- a2 <- ... <- a50)
//      25% mirror pairs ("give the other X iff the other commits the same"), 10% broken
//      15% threshold groups of 10 (k 5..12, half over named accounts)
//      25% swaps AAA<->BBB conditional on a swap the other way existing (one large cycle
//          of exists patterns), some restricted by rate or signer
//      15% "unless": unless requires (a chain element, or a mirror), unless exists (a
//          pattern over the swaps above or over plain swaps only), and 1% in cycles through
//          negation (pairs of swaps on CCC/BBB, each "unless the other way exists")
//  * BM_ResolvePrograms/N: N commitments in rings of 2 to 4 different programs, each
//    paying the next iff `all` the others' program conditions hold (issue 21).
//  * BM_ResolveDistinctPatterns/N: N swaps each conditional on a swap the other way with
//    its own rate bound (no two patterns alike): the worst case for indexing patterns.
//    The raw BIP-340 verify rate to compare with is BM_Bip340Verify (micro_intents.cpp,
//    the same binary):
//      pactum_bench --benchmark_filter='BM_ResolveCommitments|BM_Bip340Verify'
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/matcher/matcher.hpp"

namespace {

using namespace pactum;
using nlohmann::json;

struct CommitFixture {
  State state;
  std::vector<Intent> batch;
  BlockContext ctx{"bench", 1, 0, {}, {}};
  std::vector<SecretKey> keys;
  std::vector<std::string> hex;
  std::vector<std::uint64_t> nonce;
  std::mt19937_64 rng{2024};
  std::size_t commitments = 0;

  std::uint64_t pick(std::uint64_t n) { return rng() % n; }
  std::uint32_t someone() { return static_cast<std::uint32_t>(pick(keys.size())); }

  const Intent& sign(std::uint32_t who, json body) {
    body["chain"] = ctx.chain_id;
    body["signer"] = hex[who];
    body["nonce"] = nonce[who]++;
    body["valid_until"] = 100;
    batch.push_back(sign_intent(body, keys[who], /*deterministic=*/true).value());
    return batch.back();
  }
  const Intent& commit(std::uint32_t who, json action, json condition) {
    ++commitments;
    return sign(who, {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}});
  }
  json transfer(const std::string& asset, std::uint32_t to, std::uint64_t amount) {
    return {{"kind", "transfer"}, {"asset", asset}, {"to", hex[to]}, {"amount", std::to_string(amount)}};
  }
  // Limit rate r/10 buy per sell (r 4..8): inside the pool's price of 1.
  json swap(bool aaa_to_bbb, std::uint64_t r) {
    const std::uint64_t sell = 10 * (100 + pick(1000));
    return {{"kind", "swap"},
            {"sell_asset", aaa_to_bbb ? "AAA" : "BBB"},
            {"buy_asset", aaa_to_bbb ? "BBB" : "AAA"},
            {"side", pick(2) ? "sell" : "buy"},
            {"sell_amount", std::to_string(sell)},
            {"buy_amount", std::to_string(sell * r / 10)},
            {"partial", false}};
  }
  json rate(std::uint64_t r) { return {{"num", std::to_string(r)}, {"den", "10"}}; }
  json pattern(bool aaa_to_bbb) {
    return {{"sell_asset", aaa_to_bbb ? "AAA" : "BBB"}, {"buy_asset", aaa_to_bbb ? "BBB" : "AAA"}};
  }

  enum class Kind { mixed, distinct_patterns, programs };
  explicit CommitFixture(std::size_t n, Kind kind = Kind::mixed) {
    setup(n);
    if (kind == Kind::mixed)
      build(n);
    else if (kind == Kind::distinct_patterns)
      build_distinct_patterns(n);
    else
      build_programs(n);
    std::shuffle(batch.begin(), batch.end(), rng);
  }

  // Worst case for indexing patterns: n swaps AAA<->BBB, each "iff a swap the other way
  // asking at most R exists" with a distinct R (every pattern is its own).
  void build_distinct_patterns(std::size_t n) {
    for (std::size_t s = 0; s < n; ++s) {
      const bool dir = pick(2) == 0;
      json p = pattern(!dir);
      p["max_rate"] = {{"num", std::to_string(6000 + s)}, {"den", "10000"}};
      commit(someone(), swap(dir, 4 + pick(5)), {{"type", "exists"}, {"pattern", p}});
    }
  }

  // Issue 21's forms: n commitments in rings of 2 to 4 parties, each its own program
  // (its own amount) paying the next iff `all` the others' programs, each signed by its
  // party, settle (program conditions under all); one ring in ten misses a party, so
  // its members peel.
  void build_programs(std::size_t n) {
    auto program_of = [&](std::uint32_t who, const json& action, const json& condition) {
      json body = {{"kind", "commit"},   {"chain", ctx.chain_id}, {"signer", hex[who]},    {"nonce", 0},
                   {"valid_until", 100}, {"action", action},      {"condition", condition}};
      return decode_intent(body, false).value().commit()->program;
    };
    for (std::size_t made = 0; made < n;) {
      const std::size_t m = std::min<std::size_t>(2 + pick(3), n - made);
      std::vector<std::uint32_t> who;
      std::vector<json> actions;
      for (std::size_t j = 0; j < m; ++j) who.push_back(someone());
      for (std::size_t j = 0; j < m; ++j) actions.push_back(transfer("CCC", who[(j + 1) % m], 1 + pick(1000)));
      std::vector<Hash32> hashes(m);
      auto condition = [&](std::size_t j) {
        json list = json::array();
        for (std::size_t o = 0; o < m; ++o)
          if (o != j) list.push_back({{"type", "program"}, {"hash", hashes[o].hex()}, {"signer", hex[who[o]]}});
        return json{{"type", "all"}, {"conditions", list}};
      };
      for (std::size_t j = 0; j < m; ++j) hashes[j] = program_of(who[j], actions[j], condition(j));
      const bool broken = pick(10) == 0;
      for (std::size_t j = broken ? 1 : 0; j < m; ++j) commit(who[j], actions[j], condition(j));
      made += m;
    }
  }

  // Accounts (5% unfunded), the genesis state, n/10 plain intents.
  void setup(std::size_t n) {
    const std::size_t accounts = std::max<std::size_t>(40, n / 4);
    for (std::size_t i = 0; i < accounts; ++i) {
      keys.push_back(SecretKey::from_bytes(Bytes(sha256(as_bytes("bench/commit/" + std::to_string(i))).bytes)).value());
      hex.push_back(keys.back().public_key().hex());
    }
    nonce.assign(accounts, 0);
    StateDelta genesis;
    for (const char* a : {"AAA", "BBB", "CCC"}) genesis.assets[a] = AssetInfo{a, 6};
    for (std::size_t i = 0; i < accounts; ++i) {
      if (i % 20 == 7) continue;  // 5% unfunded
      for (const char* a : {"AAA", "BBB", "CCC"})
        genesis.balances[BalanceKey{keys[i].public_key(), a}] = Amount(1'000'000'000'000ULL);
    }
    const PoolId id = make_pool_id("AAA", "BBB");
    genesis.pools[id] =
        Pool{id.first, id.second, Amount(1'000'000'000'000'000ULL), Amount(1'000'000'000'000'000ULL), 30};
    state.apply(genesis);

    const std::size_t plain = n / 10;
    for (std::size_t k = 0; k < plain; ++k) {
      std::uint32_t who = someone();
      while (who % 20 == 7) who = someone();
      if (k % 3 == 0)
        sign(who, transfer("CCC", someone(), 1 + pick(1000)));
      else
        sign(who, swap(pick(2) == 0, 4 + pick(5)));
    }
  }

  // The mixed workload of BM_ResolveCommitments (the shares in the comment at the top).
  void build(std::size_t n) {
    const std::vector<Hash32> chain_ids = build_requires_chains(n);
    const std::vector<Hash32> mirror_ids = build_mirror_pairs(n);
    build_thresholds(n);
    build_conditional_swaps(n);
    build_unless(n, chain_ids, mirror_ids);
    build_negation_cycles(n);
  }

  // Chains of requires, 50 long.
  std::vector<Hash32> build_requires_chains(std::size_t n) {
    std::vector<Hash32> chain_ids;
    for (std::size_t c = 0; c < n / 5 / 50; ++c) {
      Hash32 prev = commit(someone(), transfer("CCC", someone(), 1 + pick(100)),
                           {{"type", "exists"}, {"pattern", pattern(pick(2) == 0)}})
                        .id;
      chain_ids.push_back(prev);
      for (int j = 1; j < 50; ++j) {
        prev =
            commit(someone(), transfer("CCC", someone(), 1 + pick(100)), {{"type", "requires"}, {"ids", {prev.hex()}}})
                .id;
        chain_ids.push_back(prev);
      }
    }
    return chain_ids;
  }

  // Mirror pairs.
  std::vector<Hash32> build_mirror_pairs(std::size_t n) {
    std::vector<Hash32> mirror_ids;
    for (std::size_t p = 0; p < n / 4 / 2; ++p) {
      const std::uint32_t a = someone();
      std::uint32_t b = someone();
      while (b == a) b = someone();
      const std::uint64_t amount = 1 + pick(1000);
      mirror_ids.push_back(commit(a, transfer("AAA", b, amount), {{"type", "mirror"}, {"with", hex[b]}}).id);
      if (p % 10 == 9) {  // broken: b names a third account
        std::uint32_t c = someone();
        while (c == b) c = someone();
        commit(b, transfer("AAA", c, amount), {{"type", "mirror"}, {"with", hex[c]}});
      } else {
        commit(b, transfer("AAA", a, amount), {{"type", "mirror"}, {"with", hex[a]}});
      }
    }
    return mirror_ids;
  }

  // Threshold groups of 10.
  void build_thresholds(std::size_t n) {
    for (std::size_t g = 0; g < n * 15 / 100 / 10; ++g) {
      const std::uint32_t pot = someone();
      const std::uint64_t k = 5 + pick(8);
      json cond = {{"type", "threshold"}, {"k", k}};
      std::vector<std::uint32_t> members;
      for (int j = 0; j < 10; ++j) members.push_back(someone());
      if (g % 2) {
        std::vector<std::string> of;
        for (std::uint32_t m : members) of.push_back(hex[m]);
        for (int j = 0; j < 4; ++j) of.push_back(hex[someone()]);
        std::sort(of.begin(), of.end());
        of.erase(std::unique(of.begin(), of.end()), of.end());
        cond["of"] = of;
        cond["k"] = std::min<std::uint64_t>(k, of.size());
      }
      for (std::uint32_t m : members) commit(m, transfer("CCC", pot, 1000 + g), cond);
    }
  }

  // Swaps conditional on the other way: one large cycle of exists patterns.
  void build_conditional_swaps(std::size_t n) {
    for (std::size_t s = 0; s < n / 4; ++s) {
      const bool dir = pick(2) == 0;
      json p = pattern(!dir);
      if (pick(3) == 0) p["max_rate"] = rate(6 + pick(3));
      if (pick(4) == 0) p["min_rate"] = rate(4 + pick(2));
      if (pick(10) == 0) p["signer"] = hex[someone()];
      json cond = {{"type", "exists"}, {"pattern", p}};
      if (pick(8) == 0) cond["fallback"] = "pools";
      commit(someone(), swap(dir, 4 + pick(5)), cond);
    }
  }

  // Unless, stratified.
  void build_unless(std::size_t n, const std::vector<Hash32>& chain_ids, const std::vector<Hash32>& mirror_ids) {
    for (std::size_t u = 0; u < n * 14 / 100; ++u) {
      json inner;
      switch (u % 4) {
        case 0:
          inner = {{"type", "requires"}, {"ids", {chain_ids[pick(chain_ids.size())].hex()}}};
          break;
        case 1:
          inner = {{"type", "requires"}, {"ids", {mirror_ids[pick(mirror_ids.size())].hex()}}};
          break;
        case 2: {  // over the conditional swaps above (and the plain ones)
          json p = pattern(pick(2) == 0);
          p["max_rate"] = rate(4 + pick(2));
          inner = {{"type", "exists"}, {"pattern", p}};
          break;
        }
        default:  // over plain swaps only: the commitments above never sell CCC
          inner = {{"type", "exists"}, {"pattern", {{"sell_asset", "CCC"}, {"buy_asset", "AAA"}}}};
          break;
      }
      commit(someone(), transfer("CCC", someone(), 1 + pick(100)), {{"type", "unless"}, {"condition", inner}});
    }
  }

  // Cycles through negation, in pairs on CCC/BBB (which nothing else trades): a sells
  // CCC unless b's swap the other way exists, and b sells BBB unless a's exists.
  void build_negation_cycles(std::size_t n) {
    while (commitments + 2 <= n) {
      const std::uint32_t a = someone(), b = someone();
      json to_bbb = swap(true, 4 + pick(5)), to_ccc = swap(false, 4 + pick(5));
      to_bbb["sell_asset"] = "CCC";
      to_ccc["buy_asset"] = "CCC";
      json p_of_b = {{"sell_asset", "BBB"}, {"buy_asset", "CCC"}, {"signer", hex[b]}};
      json p_of_a = {{"sell_asset", "CCC"}, {"buy_asset", "BBB"}, {"signer", hex[a]}};
      commit(a, to_bbb, {{"type", "unless"}, {"condition", {{"type", "exists"}, {"pattern", p_of_b}}}});
      commit(b, to_ccc, {{"type", "unless"}, {"condition", {{"type", "exists"}, {"pattern", p_of_a}}}});
    }
  }
};

void BM_ResolveCommitments(benchmark::State& bm) {
  static std::map<std::int64_t, std::unique_ptr<CommitFixture>> fixtures;  // built once per size
  auto& f = fixtures[bm.range(0)];
  if (!f) f = std::make_unique<CommitFixture>(static_cast<std::size_t>(bm.range(0)));
  std::map<std::string, std::size_t> outcome;
  for (auto _ : bm) {
    Settlement s = settle(f->state, f->batch, f->ctx);
    outcome.clear();
    for (std::size_t i = 0; i < s.receipts.size(); ++i) {
      if (!f->batch[i].commit()) continue;
      const Receipt& r = s.receipts[i];
      ++outcome[r.status == ReceiptStatus::settled ? "settled" : r.reason];
    }
    benchmark::DoNotOptimize(s);
  }
  bm.counters["commitments"] = static_cast<double>(f->commitments);
  bm.counters["batch"] = static_cast<double>(f->batch.size());
  for (const auto& [k, v] : outcome) bm.counters[k] = static_cast<double>(v);
  bm.SetItemsProcessed(bm.iterations() * static_cast<std::int64_t>(f->commitments));
}
BENCHMARK(BM_ResolveCommitments)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Settles the fixture of `kind` and `bm.range(0)` commitments; counts what settled.
void run_settle(benchmark::State& bm, CommitFixture::Kind kind) {
  static std::map<std::pair<int, std::int64_t>, std::unique_ptr<CommitFixture>> fixtures;
  auto& f = fixtures[{static_cast<int>(kind), bm.range(0)}];
  if (!f) f = std::make_unique<CommitFixture>(static_cast<std::size_t>(bm.range(0)), kind);
  std::size_t settled = 0;
  for (auto _ : bm) {
    Settlement s = settle(f->state, f->batch, f->ctx);
    settled = static_cast<std::size_t>(std::count_if(
        s.receipts.begin(), s.receipts.end(), [](const Receipt& r) { return r.status == ReceiptStatus::settled; }));
    benchmark::DoNotOptimize(s);
  }
  bm.counters["commitments"] = static_cast<double>(f->commitments);
  bm.counters["settled"] = static_cast<double>(settled);
  bm.SetItemsProcessed(bm.iterations() * static_cast<std::int64_t>(f->commitments));
}

// Program conditions in all/any trees (issue 21): rings of different programs that name
// each other.
void BM_ResolvePrograms(benchmark::State& bm) { run_settle(bm, CommitFixture::Kind::programs); }
BENCHMARK(BM_ResolvePrograms)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Every commitment an exists over the other direction with its own rate bound: the
// patterns cannot share an index entry (the cost of indexing them grows as patterns x
// swaps of the pair).
void BM_ResolveDistinctPatterns(benchmark::State& bm) { run_settle(bm, CommitFixture::Kind::distinct_patterns); }
BENCHMARK(BM_ResolveDistinctPatterns)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
