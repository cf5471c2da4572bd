// Metered compute (issue 20, docs/PERFORMANCE.md "Metered compute"): keys checked per
// second on one core against the raw SHA-256 rate, a durable key acceptance, and a unit
// of the workload, from which the metering overhead at 1,000 keys per second follows.
#include <benchmark/benchmark.h>

#include <filesystem>

#include <unistd.h>

#include "pactum/compute/acceptor.hpp"
#include "pactum/compute/hash_chain.hpp"
#include "pactum/compute/workload.hpp"

namespace pactum::compute {
namespace {

// The limit: SHA-256 of 32 bytes (one compression), as OpenSSL does it here.
void BM_Sha256Of32Bytes(benchmark::State& state) {
  Hash32 h = sha256(as_bytes("x"));
  for (auto _ : state) h = sha256(Bytes(h.bytes));
  benchmark::DoNotOptimize(h);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256Of32Bytes);

// A key check: one chain step (tagged hash, midstate precomputed) and a comparison with
// the last accepted value.
void BM_KeyCheck(benchmark::State& state) {
  const std::vector<Hash32> chain = naive_chain(sha256(as_bytes("seed")), 1);
  std::uint64_t matches = 0;
  for (auto _ : state) {
    matches += chain_step(chain[0]) == chain[1];
    benchmark::DoNotOptimize(matches);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KeyCheck);

// A durable acceptance: the check plus the state file's write, fsync, rename, dir fsync.
void BM_AcceptKeyDurably(benchmark::State& state) {
  const SecretKey controller = dev_secret_key(9);
  const std::uint64_t length = 1 << 20;
  ChainTraverser keys(sha256(as_bytes("seed")), length);
  Permit p;
  p.core = dev_secret_key(1).public_key();
  p.units = length;
  p.expiry_height = 1;
  p.length = length;
  p.anchor = keys.anchor();
  p = sign_permit(p, controller);
  const std::string dir =
      std::filesystem::current_path().string() + "/compute_bench_state." + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  auto acceptor = KeyAcceptor::open(p, controller.public_key(), p.core, 1, dir + "/state.json");
  for (auto _ : state) {
    state.PauseTiming();
    const Hash32 key = *keys.next();
    state.ResumeTiming();
    if (!acceptor->accept(p.digest(), key, 1).ok()) state.SkipWithError("refused");
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AcceptKeyDurably)->Iterations(2000);

// The controller's side: one key released by the pebbling traversal of a 2^20 chain.
void BM_ReleaseKey(benchmark::State& state) {
  ChainTraverser keys(sha256(as_bytes("seed")), 1 << 20);
  for (auto _ : state) benchmark::DoNotOptimize(keys.next());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReleaseKey)->Iterations(1 << 19);

// One unit of the workload (SHA-256 over 4 KiB).
void BM_WorkloadUnit(benchmark::State& state) {
  Workload w(1, 0);
  for (auto _ : state) w.run_units(1);
  benchmark::DoNotOptimize(w.digest());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WorkloadUnit);

}  // namespace
}  // namespace pactum::compute
