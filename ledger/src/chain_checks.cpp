// Checks shared by chain open/append and replay (chain_checks.hpp).
#include "chain_checks.hpp"
#include "pactum/ledger/cores.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace pactum::chain_checks {

Genesis without_accounts(const Genesis& g) {
  Genesis slim;
  slim.chain_id = g.chain_id;
  slim.timestamp = g.timestamp;
  slim.producer = g.producer;
  slim.assets = g.assets;
  slim.pools = g.pools;
  slim.lending_pools = g.lending_pools;
  slim.supply = g.supply;
  slim.rooms = g.rooms;
  slim.dev_account_count = g.dev_account_count;
  return slim;
}

namespace {
// The balances of some genesis accounts, moved out of them (their maps are freed).
StateDelta take_balances(std::span<GenesisAccount> accounts) {
  StateDelta d;
  for (GenesisAccount& acct : accounts) {
    for (auto& [asset, amount] : acct.balances) d.balances.emplace(BalanceKey{acct.account, asset}, amount);
    acct.balances.clear();
  }
  return d;
}
}  // namespace

Result<GenesisState> build_genesis(Genesis g, const LeafSink& sink, std::size_t piece) {
  GenesisState gs;
  auto apply = [&](const StateDelta& delta) -> Result<void> {
    const Leaves leaves = delta.leaves();
    gs.state.apply(delta, leaves);
    return sink ? sink(leaves) : Result<void>();
  };
  std::vector<GenesisAccount> accounts = std::move(g.accounts);
  g.accounts.clear();
  PACTUM_TRY(apply(genesis_delta(g)));  // assets, pools and lending pools
  // From the back, shrinking the list as it goes: its slots (80 MB for a million
  // accounts) are given back while the state grows, not after.
  while (!accounts.empty()) {
    const std::size_t n = std::min(piece, accounts.size());
    PACTUM_TRY(apply(take_balances(std::span(accounts).last(n))));
    accounts.resize(accounts.size() - n);
    accounts.shrink_to_fit();
  }
  gs.block0 = genesis_block(g, gs.state.root());
  return gs;
}

Result<void> check_same_genesis(const Store& store, const Genesis& g, const Block& block0, const std::string& dir) {
  PACTUM_ASSIGN(chain_id, store.chain_id());
  if (!chain_id) return make_error(Errc::storage, "data directory " + dir + " has blocks but no chain id");
  if (*chain_id != g.chain_id) {
    return make_error(Errc::genesis_invalid, "data directory " + dir + " holds chain \"" + *chain_id + "\", not \"" +
                                                 g.chain_id + "\" of the given genesis");
  }
  PACTUM_ASSIGN(stored, store.genesis_hash());
  const Hash32 expected = block0.header.hash();
  if (!stored || !(*stored == expected)) {
    return make_error(Errc::genesis_invalid, "data directory " + dir +
                                                 " was created from a different genesis (block 0 hash " +
                                                 (stored ? (stored)->hex() : std::string("missing")) +
                                                 ", this genesis gives " + expected.hex() + ")");
  }
  return {};
}

std::optional<std::size_t> first_bad_signature(const std::vector<Intent>& intents, unsigned threads) {
  const std::size_t n = intents.size();
  if (threads == 0) threads = core_count();
  std::atomic<std::size_t> first_bad{n};
  auto check_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end && i < first_bad.load(std::memory_order_relaxed); ++i) {
      if (!verify_intent(intents[i])) {
        std::size_t cur = first_bad.load();
        while (i < cur && !first_bad.compare_exchange_weak(cur, i)) {}
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
    return make_error(Errc::internal, "settlement returned " + std::to_string(s.receipts.size()) + " receipts for " +
                                          std::to_string(batch.size()) + " intents");
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!(s.receipts[i].intent == batch[i].id)) {
      return make_error(Errc::internal, "settlement receipt " + std::to_string(i) + " names another intent");
    }
  }
  return {};
}

}  // namespace pactum::chain_checks
