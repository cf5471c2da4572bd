// Checks shared by chain open/append and replay (chain_checks.hpp).
#include "chain_checks.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace pactum::chain_checks {
std::string at_block(std::uint64_t h) { return "block " + std::to_string(h) + ": "; }

GenesisState build_genesis(const Genesis& g) {
  GenesisState gs;
  {
    const StateDelta delta = genesis_delta(g);
    gs.leaves = delta.leaves();
    gs.state.apply(delta, gs.leaves);
  }
  gs.block0 = genesis_block(g, gs.state.root());
  return gs;
}

Result<void> check_same_genesis(const Store& store, const Genesis& g, const Block& block0, const std::string& dir) {
  auto chain_id = store.chain_id();
  if (!chain_id) return chain_id.error();
  if (!*chain_id) return make_error(Errc::storage, "data directory " + dir + " has blocks but no chain id");
  if (**chain_id != g.chain_id) {
    return make_error(Errc::genesis_invalid, "data directory " + dir + " holds chain \"" + **chain_id +
                                                 "\", not \"" + g.chain_id + "\" of the given genesis");
  }
  auto stored = store.genesis_hash();
  if (!stored) return stored.error();
  const Hash32 expected = block0.header.hash();
  if (!*stored || !(**stored == expected)) {
    return make_error(Errc::genesis_invalid,
                      "data directory " + dir + " was created from a different genesis (block 0 hash " +
                          (*stored ? (*stored)->hex() : std::string("missing")) + ", this genesis gives " +
                          expected.hex() + ")");
  }
  return {};
}

std::optional<std::size_t> first_bad_signature(const std::vector<Intent>& intents, unsigned threads) {
  const std::size_t n = intents.size();
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<std::size_t> first_bad{n};
  auto check_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end && i < first_bad.load(std::memory_order_relaxed); ++i) {
      if (!verify_intent(intents[i])) {
        std::size_t cur = first_bad.load();
        while (i < cur && !first_bad.compare_exchange_weak(cur, i)) {
        }
        return;
      }
    }
  };
  if (threads == 1 || n < 64) {
    check_range(0, n);
  } else {
    std::vector<std::thread> pool;
    const std::size_t per = (n + threads - 1) / threads;
    for (unsigned t = 1; t < threads; ++t) {
      const std::size_t begin = std::min(n, t * per);
      pool.emplace_back(check_range, begin, std::min(n, begin + per));
    }
    check_range(0, std::min(n, per));
    for (auto& t : pool) t.join();
  }
  if (first_bad.load() < n) return first_bad.load();
  return std::nullopt;
}

Result<void> check_settlement(const Settlement& s, std::span<const Intent> batch) {
  if (s.receipts.size() != batch.size()) {
    return make_error(Errc::internal, "settlement returned " + std::to_string(s.receipts.size()) +
                                          " receipts for " + std::to_string(batch.size()) + " intents");
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!(s.receipts[i].intent == batch[i].id)) {
      return make_error(Errc::internal, "settlement receipt " + std::to_string(i) + " names another intent");
    }
  }
  return {};
}

}  // namespace pactum::chain_checks
