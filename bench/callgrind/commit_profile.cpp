// Callgrind driver for target (a): BM_BlockCommit's loop body (leaves, staged body, apply,
// root, sign, synced commit point) on the same fixture, instrumented only around N
// commits after one warm-up. Not built by CMake; see docs/PERFORMANCE.md, session 3.
#include <valgrind/callgrind.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include "../ledger_fixture.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/store.hpp"
using namespace pactum;
using namespace pactum::bench;
int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  BlockFixture f = make_block(10000);
  auto state = make_state(100000);
  std::string dir = (std::filesystem::temp_directory_path() / "pactum-commit-profile").string();
  std::filesystem::remove_all(dir);
  auto opened = Store::open(dir);
  auto store = std::move(opened.value());
  Block b0;
  (void)store->commit_genesis(b0, StateDelta(), "pactum-bench");
  std::uint64_t height = 1;
  Hash32 lastroot;
  for (int r = -1; r < rounds; ++r) {
    if (r == 0) CALLGRIND_START_INSTRUMENTATION;
    auto t0 = std::chrono::steady_clock::now();
    const auto leaves = f.delta.leaves();
    f.block.header.height = height++;
    Result<void> staged = make_error(Errc::internal, "not staged");
    std::thread stager([&] { staged = store->stage_body(f.block); });
    state->apply(f.delta, leaves);
    f.block.header.state_root = state->root();
    f.block.header.sig = dev_producer_key().sign_deterministic(f.block.header.hash());
    stager.join();
    auto res = staged.ok() ? store->commit_header(f.block.header, leaves) : staged;
    if (!res) {
      std::fprintf(stderr, "%s\n", res.error().message.c_str());
      return 1;
    }
    auto t1 = std::chrono::steady_clock::now();
    lastroot = f.block.header.state_root;
    std::printf("round %d %.1f ms\n", r, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  CALLGRIND_STOP_INSTRUMENTATION;
  std::printf("root %s\n", lastroot.hex().c_str());
}
