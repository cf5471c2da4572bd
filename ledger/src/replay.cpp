// Replay from genesis (replay.hpp): a prefetcher loads and checks blocks on worker
// threads; the calling thread settles them in height order.
#include "pactum/ledger/replay.hpp"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "chain_checks.hpp"
#include "pactum/ledger/block_check.hpp"
#include "pactum/ledger/store.hpp"

namespace pactum {

using namespace chain_checks;

namespace {

// What a worker learns of one block without the state (block_check.hpp): it decodes,
// names the right height and producer, its signatures verify and its intents root matches.
Result<Block> load_and_check(const Store& store, const Genesis& genesis, std::uint64_t height, bool check_intents) {
  const std::string where = at_block(height);
  auto loaded = store.block_at(height);
  if (!loaded) return make_error(Errc::storage, where + loaded.error().message, loaded.error().field);
  if (!*loaded) return make_error(Errc::storage, where + "missing from the store");
  Block b = std::move(**loaded);
  PACTUM_TRY(check_block_alone(genesis, b, height, check_intents, 1));
  return b;
}

// Loads blocks first..last on `threads` workers, at most `window` blocks ahead of the
// consumer, and hands them out in height order.
class Prefetcher {
 public:
  Prefetcher(const Store& store, const Genesis& genesis, std::uint64_t first, std::uint64_t last,
             std::uint64_t verify_from, unsigned threads, std::uint64_t window)
      : store_(store),
        genesis_(genesis),
        last_(last),
        verify_from_(verify_from),
        window_(window),
        next_claim_(first),
        next_take_(first) {
    for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
  }
  ~Prefetcher() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
  }
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next block in height order (or the error that loading or checking it gave).
  Result<Block> next() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return ready_.count(next_take_) > 0; });
    auto node = ready_.extract(next_take_);
    ++next_take_;
    lock.unlock();
    cv_.notify_all();  // a window slot is free
    return std::move(node.mapped());
  }

 private:
  void work() {
    for (;;) {
      std::uint64_t height = 0;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || next_claim_ > last_ || next_claim_ < next_take_ + window_; });
        if (stop_ || next_claim_ > last_) return;
        height = next_claim_++;
      }
      Result<Block> b = load_and_check(store_, genesis_, height, height >= verify_from_);
      {
        std::lock_guard lock(mu_);
        ready_.emplace(height, std::move(b));
      }
      cv_.notify_all();
    }
  }

  const Store& store_;
  const Genesis& genesis_;
  const std::uint64_t last_;
  const std::uint64_t verify_from_;
  const std::uint64_t window_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t next_claim_;
  std::uint64_t next_take_;
  std::map<std::uint64_t, Result<Block>> ready_;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

// The state root of block h is hashed on its own thread while block h+1 settles: the
// root touches only the state's tree, settlement (and a visitor) only its maps. It is
// checked before the next delta is applied and before any error of block h+1 is
// reported, so the first block that differs is still the one named.
class PendingRoot {
 public:
  void start(State& state, const BlockHeader& header) {
    header_ = header;
    root_ = std::async(std::launch::async, [&state] { return state.root(); });
  }
  Result<void> check() {
    if (!root_.valid()) return {};
    const Hash32 root = root_.get();
    if (!(root == header_.state_root)) {
      return make_error(Errc::storage,
                        at_block(header_.height) + "state root differs: stored " + header_.state_root.hex() +
                            ", replay gives " + root.hex(),
                        std::string(block_rule::kStateRoot));
    }
    return {};
  }

 private:
  std::future<Hash32> root_;
  BlockHeader header_;
};

// Block 0 as stored must be the genesis block built from the genesis file.
Result<void> check_block0(const Store& store, const GenesisState& gs) {
  auto stored0 = store.block_at(0);
  if (!stored0) return make_error(Errc::storage, at_block(0) + stored0.error().message);
  if (!*stored0 || !((*stored0)->header.hash() == gs.block0.header.hash())) {
    return make_error(Errc::storage, at_block(0) + "stored block 0 differs from the genesis block");
  }
  return {};
}

struct BlockRange {
  std::uint64_t from = 1;  // first block checked in full and visited
  std::uint64_t last = 0;  // last block replayed
};

// The blocks to replay, from the options and the store's head.
Result<BlockRange> block_range(const Store& store, const ReplayOptions& options, const std::string& dir) {
  const auto head = store.head_height();
  if (!head) return make_error(Errc::storage, "no head block recorded in " + dir);
  BlockRange r;
  r.last = options.to ? std::min(*options.to, *head) : *head;
  r.from = std::max<std::uint64_t>(1, options.from.value_or(1));
  if (options.from && options.to && *options.from > *options.to) {
    return make_error(Errc::invalid_params,
                      "--from " + std::to_string(*options.from) + " is above --to " + std::to_string(*options.to));
  }
  if (options.from && *options.from > *head) {
    return make_error(Errc::invalid_params,
                      "--from " + std::to_string(*options.from) + " is above the head block " + std::to_string(*head));
  }
  return r;
}

// Settles blocks 1..range.last on `state` in height order, checking each against the
// store (and its state root, one block behind), and counts them in `stats`.
Result<void> replay_blocks(const Store& store, const Genesis& genesis, const SettleFn& settle,
                           const ReplayOptions& options, const BlockRange& range, Hash32 prev_hash, State& state,
                           ReplayStats& stats) {
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  PendingRoot pending_root;
  Prefetcher blocks(store, genesis, 1, range.last, range.from, threads, std::max<std::uint64_t>(4, 2 * threads));
  for (std::uint64_t height = 1; height <= range.last; ++height) {
    Result<Block> loaded = blocks.next();
    if (!loaded) {
      PACTUM_TRY(pending_root.check());
      return loaded.error();
    }
    const Block& b = *loaded;
    if (!(b.header.parent == prev_hash)) {
      PACTUM_TRY(pending_root.check());
      return make_error(Errc::storage,
                        at_block(height) + "parent hash does not link to block " + std::to_string(height - 1),
                        std::string(block_rule::kParent));
    }
    BlockContext ctx;
    auto s = resettle_block(state, b, genesis, settle, options.verify, ctx);
    Result<void> visited;
    if (s && options.visit && height >= range.from) visited = options.visit(ReplayedBlock{state, b, *s, ctx});
    PACTUM_TRY(pending_root.check());
    if (!s) return s.error();
    PACTUM_TRY(visited);
    state.apply(s->delta);
    pending_root.start(state, b.header);
    stats.blocks += 1;
    stats.intents += b.intents.size();
    if (height >= range.from) stats.verified += b.intents.size();
    prev_hash = b.header.hash();
    if (options.progress) options.progress(height, range.last);
  }
  return pending_root.check();
}

}  // namespace

Result<ReplayStats> replay(const std::string& dir, Genesis full_genesis, const SettleFn& settle,
                           const ReplayOptions& options) {
  auto opened = Store::open(dir, /*read_only=*/true);
  if (!opened) return opened.error();
  const Store& store = **opened;
  const Genesis genesis = without_accounts(full_genesis);
  auto built = build_genesis(std::move(full_genesis));
  if (!built) return built.error();
  GenesisState& gs = *built;
  PACTUM_TRY(check_same_genesis(store, genesis, gs.block0, dir));
  PACTUM_TRY(check_block0(store, gs));
  auto range = block_range(store, options, dir);
  if (!range) return range.error();

  State state = std::move(gs.state);
  ReplayStats stats;
  if (range->last >= 1) {
    PACTUM_TRY(replay_blocks(store, genesis, settle, options, *range, gs.block0.header.hash(), state, stats));
  }
  stats.final_root = state.root();
  return stats;
}

}  // namespace pactum
