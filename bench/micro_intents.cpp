// Micro-benchmarks of the intents primitives: the raw BIP-340 verify rate is the floor
// every end-to-end figure is compared with.
#include <benchmark/benchmark.h>

#include "pactum/intents/intent.hpp"
#include "pactum/intents/jcs.hpp"

namespace {

using nlohmann::json;

json sample_swap(const pactum::SecretKey& k) {
  return json{{"kind", "swap"},
              {"chain", "pactum-devnet"},
              {"signer", k.public_key().hex()},
              {"nonce", 42},
              {"valid_until", 1000},
              {"sell_asset", "ETH"},
              {"buy_asset", "USDC"},
              {"side", "sell"},
              {"sell_amount", "1000000000000000000"},
              {"buy_amount", "2900000000"},
              {"partial", false}};
}

void BM_Bip340Sign(benchmark::State& state) {
  auto k = pactum::dev_secret_key(0);
  auto d = pactum::sha256(pactum::as_bytes("digest"));
  for (auto _ : state) benchmark::DoNotOptimize(k.sign_deterministic(d));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Bip340Sign);

void BM_Bip340Verify(benchmark::State& state) {
  auto k = pactum::dev_secret_key(0);
  auto pk = k.public_key();
  auto d = pactum::sha256(pactum::as_bytes("digest"));
  auto sig = k.sign(d);
  for (auto _ : state) benchmark::DoNotOptimize(pactum::verify(pk, d, sig));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Bip340Verify);

void BM_Sha256_256B(benchmark::State& state) {
  std::string buf(256, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(pactum::sha256(pactum::as_bytes(buf)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256_256B);

void BM_CanonicalEncode(benchmark::State& state) {
  const json j = sample_swap(pactum::dev_secret_key(0));
  for (auto _ : state) benchmark::DoNotOptimize(pactum::canonicalize(j));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalEncode);

// What a submission costs before the mempool: parse, decode, canonicalise, hash, verify.
void BM_DecodeVerifyIntent(benchmark::State& state) {
  auto k = pactum::dev_secret_key(0);
  const std::string wire = pactum::intent_to_json(*pactum::sign_intent(sample_swap(k), k)).dump();
  for (auto _ : state) benchmark::DoNotOptimize(pactum::decode_verified_intent(json::parse(wire)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeVerifyIntent);

}  // namespace
