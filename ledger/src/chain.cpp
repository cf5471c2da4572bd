// Chain append (produce), open/recovery, and replay from genesis (see chain.hpp).
#include "pactum/ledger/chain.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include <malloc.h>

namespace pactum {

namespace {

std::string at_block(std::uint64_t h) { return "block " + std::to_string(h) + ": "; }

struct GenesisState {
  StateDelta delta;
  State state;
  Block block0;
};

GenesisState build_genesis(const Genesis& g) {
  GenesisState gs;
  gs.delta = genesis_delta(g);
  gs.state.apply(gs.delta);
  gs.block0 = genesis_block(g, gs.state.root());
  return gs;
}

// The directory must hold this genesis: same chain id and same block 0.
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

// Index of the first intent whose signature does not verify, checking on every core.
std::optional<std::size_t> first_bad_signature(const std::vector<Intent>& intents) {
  const std::size_t n = intents.size();
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
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

// Checks a settlement against its batch: the matcher's contract, not user input.
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

}  // namespace

namespace {
// What a running chain needs of its genesis: identity, producer, assets, pools, dev
// account count. The funded accounts and the parsed source file are only needed to
// build block 0 (done in open()); with a million accounts they are most of a gigabyte.
Genesis without_accounts(const Genesis& g) {
  Genesis slim;
  slim.chain_id = g.chain_id;
  slim.timestamp = g.timestamp;
  slim.producer = g.producer;
  slim.assets = g.assets;
  slim.pools = g.pools;
  slim.lending_pools = g.lending_pools;
  slim.rooms = g.rooms;
  slim.dev_account_count = g.dev_account_count;
  return slim;
}

// Startup builds and drops large transients (the genesis state, chunks of the loaded
// state): hand the freed heap back to the system so the node's resident size is its
// working set, not its startup peak. glibc only; a no-op elsewhere would do.
void release_startup_memory() { malloc_trim(0); }
}  // namespace

Chain::Chain(Genesis g, std::unique_ptr<Store> s) : genesis_(std::move(g)), store_(std::move(s)) {}

Result<std::unique_ptr<Chain>> Chain::open(const std::string& dir, const Genesis& genesis) {
  auto store = Store::open(dir);
  if (!store) return store.error();
  std::unique_ptr<Chain> chain(new Chain(without_accounts(genesis), std::move(*store)));
  GenesisState gs = build_genesis(genesis);

  const auto head = chain->store_->head_height();
  if (!head) {  // empty directory: write block 0
    PACTUM_TRY(chain->store_->commit_genesis(gs.block0, gs.delta, genesis.chain_id));
    chain->state_ = std::move(gs.state);
    chain->head_ = gs.block0.header;
    gs = GenesisState();
    release_startup_memory();
    return chain;
  }

  PACTUM_TRY(check_same_genesis(*chain->store_, genesis, gs.block0, dir));
  // Only block 0's hash was needed: drop the genesis state before loading the real one,
  // so that two full states never coexist.
  gs.state = State();
  gs.delta = StateDelta();
  PACTUM_TRY(chain->store_->load_state(chain->state_));
  auto block = chain->store_->block_at(*head);
  if (!block) return block.error();
  if (!*block) return make_error(Errc::storage, "head block " + std::to_string(*head) + " is missing from " + dir);
  chain->head_ = (*block)->header;
  const Hash32 root = chain->state_.root();
  if (!(root == chain->head_.state_root)) {
    return make_error(Errc::storage, "stored state root " + root.hex() + " does not match head block " +
                                         std::to_string(*head) + " state root " + chain->head_.state_root.hex());
  }
  release_startup_memory();
  return chain;
}

Result<Block> Chain::produce(std::span<const Intent> batch, std::uint64_t timestamp, const SecretKey& producer,
                             const SettleFn& settle) {
  if (halted_) return *halted_;
  PACTUM_TRY(check_producer(producer.public_key()));
  auto settled = settle_block(batch, timestamp, settle);
  if (!settled) return settled.error();
  return commit_block(std::move(settled).value(), producer);
}

Result<void> Chain::check_producer(const PublicKey& producer_key) const {
  if (!(producer_key == genesis_.producer)) {
    return make_error(Errc::invalid_params, "producer key " + producer_key.hex() +
                                                " is not the genesis producer " + genesis_.producer.hex());
  }
  return {};
}

Result<Chain::SettledBatch> Chain::settle_block(std::span<const Intent> batch, std::uint64_t timestamp,
                                                const SettleFn& settle) const {
  if (halted_) return *halted_;
  SettledBatch out;
  out.ctx = BlockContext{genesis_.chain_id, head_.height + 1, timestamp, genesis_.producer, genesis_.rooms};
  out.parent = head_.hash();
  out.settlement = settle(state_, batch, out.ctx);
  PACTUM_TRY(check_settlement(out.settlement, batch));
  out.intents.assign(batch.begin(), batch.end());
  out.leaves = out.settlement.delta.leaves();  // here, outside the producer's exclusive section
  return out;
}

Block Chain::body_of(SettledBatch& settled) {
  Block block;
  block.intents = std::move(settled.intents);
  block.prices = std::move(settled.settlement.prices);
  block.asset_prices = std::move(settled.settlement.asset_prices);
  block.receipts = std::move(settled.settlement.receipts);
  block.header.height = settled.ctx.height;
  return block;
}

Result<void> Chain::stage_block(SettledBatch& settled) const {
  if (halted_) return *halted_;
  if (settled.staged) return {};
  Block block = body_of(settled);
  PACTUM_TRY(store_->stage_body(block));
  settled.staged = std::move(block);
  return {};
}

Result<Block> Chain::commit_block(SettledBatch settled, const SecretKey& producer) {
  if (halted_) return *halted_;
  const PublicKey producer_key = producer.public_key();
  PACTUM_TRY(check_producer(producer_key));
  if (settled.ctx.height != head_.height + 1 || !(settled.parent == head_.hash())) {
    return make_error(Errc::internal, "settled batch for block " + std::to_string(settled.ctx.height) +
                                          " does not extend the head block " + std::to_string(head_.height));
  }
  Settlement& s = settled.settlement;
  const bool was_staged = settled.staged.has_value();
  Block block = was_staged ? std::move(*settled.staged) : body_of(settled);
  BlockHeader& h = block.header;

  // Unless stage_block did it already, the body goes to disk (unsynced, invisible) on a
  // second thread while this one updates the state and its root: the store reads only
  // the body and header.height, this thread writes only the other header fields and the
  // state. (A small block is staged inline: a thread costs more than it saves there.)
  Result<void> staged;
  std::thread stager;
  if (!was_staged && block.intents.size() >= 256) {
    stager = std::thread([&] { staged = store_->stage_body(block); });
  } else if (!was_staged) {
    staged = store_->stage_body(block);
  }
  state_.apply(s.delta, settled.leaves);
  h.parent = settled.parent;
  h.timestamp = settled.ctx.timestamp;
  h.state_root = state_.root();
  h.intents_root = intents_root(block.intents);
  h.receipts_root = receipts_root(block.receipts);
  h.producer = producer_key;
  h.sig = producer.sign_deterministic(h.hash());
  if (stager.joinable()) stager.join();

  auto committed = staged.ok() ? store_->commit_header(h, settled.leaves) : Result<void>(staged.error());
  if (!committed) {
    // The in-memory state is ahead of the disk: stop producing, and go back to what the
    // disk holds so that reads keep answering from committed state.
    halted_ = make_error(Errc::halted, "block production halted: block " + std::to_string(h.height) +
                                           " could not be written (" + committed.error().message +
                                           "); restart the node once the storage problem is fixed");
    State reloaded;
    auto loaded = store_->load_state(reloaded);
    if (loaded) {
      state_ = std::move(reloaded);
      state_.root();
    }
    return *halted_;
  }
  head_ = h;
  return block;
}

Result<ReplayStats> replay(const std::string& dir, const Genesis& genesis, const SettleFn& settle,
                           std::optional<std::uint64_t> to, const ReplayProgress& progress) {
  auto opened = Store::open(dir, /*read_only=*/true);
  if (!opened) return opened.error();
  const Store& store = **opened;
  GenesisState gs = build_genesis(genesis);
  PACTUM_TRY(check_same_genesis(store, genesis, gs.block0, dir));

  auto stored0 = store.block_at(0);
  if (!stored0) return make_error(Errc::storage, at_block(0) + stored0.error().message);
  if (!*stored0 || !((*stored0)->header.hash() == gs.block0.header.hash())) {
    return make_error(Errc::storage, at_block(0) + "stored block 0 differs from the genesis block");
  }
  const auto head = store.head_height();
  if (!head) return make_error(Errc::storage, "no head block recorded in " + dir);
  const std::uint64_t last = to ? std::min(*to, *head) : *head;

  State state = std::move(gs.state);
  ReplayStats stats;
  BlockHeader prev = gs.block0.header;
  for (std::uint64_t height = 1; height <= last; ++height) {
    const std::string where = at_block(height);
    auto loaded = store.block_at(height);
    if (!loaded) return make_error(Errc::storage, where + loaded.error().message, loaded.error().field);
    if (!*loaded) return make_error(Errc::storage, where + "missing from the store");
    const Block& b = **loaded;
    const BlockHeader& h = b.header;
    if (h.height != height) return make_error(Errc::storage, where + "header says height " + std::to_string(h.height));
    if (!(h.parent == prev.hash())) return make_error(Errc::storage, where + "parent hash does not link to block " + std::to_string(height - 1));
    if (!(h.producer == genesis.producer)) return make_error(Errc::storage, where + "producer is not the genesis producer");
    if (!verify(h.producer, h.hash(), h.sig)) return make_error(Errc::storage, where + "producer signature does not verify");
    if (auto bad = first_bad_signature(b.intents)) {
      return make_error(Errc::storage, where + "signature of intent " + std::to_string(*bad) + " (" +
                                           b.intents[*bad].id.hex() + ") does not verify");
    }
    if (!(intents_root(b.intents) == h.intents_root)) return make_error(Errc::storage, where + "intents root differs");

    const BlockContext ctx{genesis.chain_id, height, h.timestamp, genesis.producer, genesis.rooms};
    Settlement s = settle(state, std::span<const Intent>(b.intents), ctx);
    if (auto ok = check_settlement(s, b.intents); !ok) return make_error(Errc::storage, where + ok.error().message);
    if (s.prices != b.prices) return make_error(Errc::storage, where + "clearing prices differ from the replayed ones");
    if (s.asset_prices != b.asset_prices)
      return make_error(Errc::storage, where + "the price vector differs from the replayed one");
    for (std::size_t i = 0; i < s.receipts.size(); ++i) {
      if (!(s.receipts[i] == b.receipts[i])) {
        return make_error(Errc::storage, where + "receipt " + std::to_string(i) + " (intent " + b.intents[i].id.hex() +
                                             ") differs: stored " + b.receipts[i].to_json().dump() +
                                             ", replay gives " + s.receipts[i].to_json().dump());
      }
    }
    if (!(receipts_root(s.receipts) == h.receipts_root)) return make_error(Errc::storage, where + "receipts root differs");
    state.apply(s.delta);
    const Hash32 root = state.root();
    if (!(root == h.state_root)) {
      return make_error(Errc::storage, where + "state root differs: stored " + h.state_root.hex() + ", replay gives " + root.hex());
    }
    stats.blocks += 1;
    stats.intents += b.intents.size();
    prev = h;
    if (progress) progress(height, last);
  }
  stats.final_root = state.root();
  return stats;
}

}  // namespace pactum
