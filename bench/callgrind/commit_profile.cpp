// Callgrind driver for target (a): BM_BlockCommit's loop body (leaves, staged body, apply,
// root, sign, synced commit point) on the same fixture, instrumented only around N
// commits after one warm-up. Not built by CMake; see docs/PERFORMANCE.md, session 3.
#include <valgrind/callgrind.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/store.hpp"
using namespace pactum;
PublicKey synthetic_account(std::uint64_t i) {
  const std::string seed = "bench-account-" + std::to_string(i);
  PublicKey k; k.bytes = sha256(as_bytes(seed)).bytes; return k;
}
std::unique_ptr<State> make_state(std::uint64_t accounts) {
  auto s = std::make_unique<State>(); StateDelta d; d.assets["USDC"] = AssetInfo{"USDC", 6};
  for (std::uint64_t i = 0; i < accounts; ++i) {
    d.balances[BalanceKey{synthetic_account(i), "USDC"}] = Amount(1000000 + i);
    if (d.balances.size() == 100000) { s->apply(d); d = StateDelta(); }
  }
  s->apply(d); (void)s->root(); return s;
}
struct BlockFixture { Block block; StateDelta delta; };
BlockFixture make_block(std::size_t n) {
  BlockFixture f; const SecretKey key = dev_secret_key(0); const PublicKey signer = key.public_key();
  std::vector<PublicKey> recipients;
  for (std::uint32_t r = 1; r <= 256; ++r) recipients.push_back(dev_secret_key(r).public_key());
  for (std::size_t i = 0; i < n; ++i) {
    nlohmann::json j = {{"kind", "transfer"}, {"chain", "pactum-bench"}, {"signer", signer.hex()},
                        {"nonce", i}, {"valid_until", 1000000}, {"asset", "USDC"},
                        {"to", recipients[i % recipients.size()].hex()}, {"amount", "1"}};
    auto in = sign_intent(j, key, true);
    Receipt r; r.intent = in->id; r.status = ReceiptStatus::settled; r.sold_asset = "USDC"; r.sold = 1;
    f.block.receipts.push_back(std::move(r));
    f.delta.balances[BalanceKey{synthetic_account(i), "USDC"}] = 1000001;
    f.delta.balances[BalanceKey{synthetic_account(n + i), "USDC"}] = 999999;
    f.delta.nonces.insert(NonceKey{signer, i});
    f.block.intents.push_back(std::move(*in));
  }
  f.block.header.intents_root = intents_root(f.block.intents);
  f.block.header.receipts_root = receipts_root(f.block.receipts);
  f.block.header.producer = dev_producer_key().public_key();
  return f;
}
int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  BlockFixture f = make_block(10000);
  auto state = make_state(100000);
  std::string dir = (std::filesystem::temp_directory_path() / "pactum-commit-profile").string(); std::filesystem::remove_all(dir);
  auto opened = Store::open(dir); auto store = std::move(opened.value());
  Block b0; (void)store->commit_genesis(b0, StateDelta(), "pactum-bench");
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
    if (!res) { std::fprintf(stderr, "%s\n", res.error().message.c_str()); return 1; }
    auto t1 = std::chrono::steady_clock::now();
    lastroot = f.block.header.state_root;
    std::printf("round %d %.1f ms\n", r, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  CALLGRIND_STOP_INSTRUMENTATION;
  std::printf("root %s\n", lastroot.hex().c_str());
}
