// Chain append (produce) and open/recovery (see chain.hpp). Replay is in replay.cpp.
#include "pactum/ledger/chain.hpp"

#include <algorithm>

#include <malloc.h>

#include "chain_checks.hpp"
#include "pactum/ledger/block_check.hpp"

namespace pactum {

BlockContext block_context(const Genesis& genesis, std::uint64_t height, std::uint64_t timestamp) {
  return BlockContext{genesis.chain_id, height, timestamp, genesis.producer, genesis.rooms};
}

using namespace chain_checks;

namespace {
// Startup builds and drops large transients (the genesis state, chunks of the loaded
// state): hand the freed heap back to the system so the node's resident size is its
// working set, not its startup peak. glibc only; a no-op elsewhere would do.
void release_startup_memory() { malloc_trim(0); }
}  // namespace

Chain::Chain(Genesis g, std::unique_ptr<Store> s) : genesis_(std::move(g)), store_(std::move(s)) {}

Result<std::unique_ptr<Chain>> Chain::open(const std::string& dir, Genesis genesis, rocksdb::Env* env) {
  PACTUM_ASSIGN(store, Store::open(dir, /*read_only=*/false, env));
  std::unique_ptr<Chain> chain(new Chain(without_accounts(genesis), std::move(store)));
  Store& st = *chain->store_;

  const auto head = st.head_height();
  if (!head) {  // empty directory: write block 0, its state in pieces as it is built
    auto gs = build_genesis(std::move(genesis), [&st](const Leaves& piece) { return st.stage_genesis_state(piece); });
    if (!gs) return gs.error();
    PACTUM_TRY(st.commit_genesis(gs->block0, Leaves{}, chain->genesis_.chain_id));
    chain->state_ = std::move(gs->state);
    chain->head_ = gs->block0.header;
    release_startup_memory();
    return chain;
  }

  {
    // Only block 0's hash is needed: the genesis state is dropped before the stored one
    // is loaded, so that two full states never coexist.
    PACTUM_ASSIGN(gs, build_genesis(std::move(genesis)));
    PACTUM_TRY(check_same_genesis(st, chain->genesis_, gs.block0, dir));
  }
  release_startup_memory();
  PACTUM_TRY(chain->store_->load_state(chain->state_));
  PACTUM_ASSIGN(block, chain->store_->block_at(*head));
  if (!block) return make_error(Errc::storage, "head block " + std::to_string(*head) + " is missing from " + dir);
  chain->head_ = (block)->header;
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
  PACTUM_ASSIGN(settled, settle_block(batch, timestamp, settle));
  return commit_block(std::move(settled), producer);
}

Result<void> Chain::check_producer(const PublicKey& producer_key) const {
  if (!(producer_key == genesis_.producer)) {
    return make_error(Errc::invalid_params,
                      "producer key " + producer_key.hex() + " is not the genesis producer " + genesis_.producer.hex());
  }
  return {};
}

Result<Chain::SettledBatch> Chain::settle_block(std::span<const Intent> batch, std::uint64_t timestamp,
                                                const SettleFn& settle) const {
  return settle_block(std::vector<Intent>(batch.begin(), batch.end()), timestamp, settle);
}

Result<Chain::SettledBatch> Chain::settle_block(std::vector<Intent>&& batch, std::uint64_t timestamp,
                                                const SettleFn& settle) const {
  if (halted_) return *halted_;
  SettledBatch out;
  out.ctx = next_context(timestamp);
  out.parent = head_.hash();
  out.settlement = settle(state_, batch, out.ctx);
  PACTUM_TRY(check_settlement(out.settlement, batch));
  out.intents = std::move(batch);
  out.leaves = out.settlement.delta.leaves();  // here, outside the producer's exclusive section
  return out;
}

Block Chain::body_of(SettledBatch& settled) {
  Block block;
  block.intents = std::move(settled.intents);
  block.prices = std::move(settled.settlement.prices);
  block.asset_prices = std::move(settled.settlement.asset_prices);
  block.receipts = std::move(settled.settlement.receipts);
  if (settled.settlement.solver) {  // picked among proposals: the block records its clearing
    block.clearing_pools = settled.settlement.cleared_pools.value_or(std::vector<PoolReserves>{});
    block.solver = std::move(settled.settlement.solver);
  }
  block.header.height = settled.ctx.height;
  block.fill_receipt_texts();  // final from here on; the body and the receipts root both use them
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

Result<void> Chain::check_extends_head(const SettledBatch& settled, const PublicKey& producer_key) const {
  if (halted_) return *halted_;
  if (unwritten_) return make_error(Errc::internal, "block " + std::to_string(head_.height) + " is not written yet");
  PACTUM_TRY(check_producer(producer_key));
  if (settled.ctx.height != head_.height + 1 || !(settled.parent == head_.hash())) {
    return make_error(Errc::internal, "settled batch for block " + std::to_string(settled.ctx.height) +
                                          " does not extend the head block " + std::to_string(head_.height));
  }
  return {};
}

void Chain::apply_and_sign(Block& block, const SettledBatch& settled, const SecretKey& producer) {
  BlockHeader& h = block.header;
  state_.apply(settled.settlement.delta, settled.leaves);
  h.parent = settled.parent;
  h.timestamp = settled.ctx.timestamp;
  h.state_root = state_.root();
  h.intents_root = intents_root(block.intents);
  h.receipts_root = receipts_root(block);
  h.producer = producer.public_key();
  h.sig = producer.sign_deterministic(h.hash());
}

Error Chain::halt_after_failed_write(std::uint64_t height, const Error& cause) {
  // The in-memory state is ahead of the disk: stop producing, and go back to what the
  // disk holds so that reads keep answering from committed state.
  halted_ =
      make_error(Errc::halted, "block production halted: block " + std::to_string(height) + " could not be written (" +
                                   cause.message + "); restart the node once the storage problem is fixed");
  State reloaded;
  if (store_->load_state(reloaded)) {
    state_ = std::move(reloaded);
    state_.root();
  }
  return *halted_;
}

// The one commit pipeline: apply_block, write_block, finish_block. The node runs the
// three steps itself, with its locks between them; here they run back to back.
Result<Block> Chain::commit_block(SettledBatch settled, const SecretKey& producer) {
  PACTUM_ASSIGN(applied, apply_block(std::move(settled), producer));
  const Result<void> written = write_block(applied);
  PACTUM_TRY(finish_block(applied, written));
  return std::move(applied.block);
}

Result<Chain::AppliedBlock> Chain::apply_block(SettledBatch settled, const SecretKey& producer) {
  PACTUM_TRY(check_extends_head(settled, producer.public_key()));
  AppliedBlock out;
  out.staged = settled.staged.has_value();
  out.block = out.staged ? std::move(*settled.staged) : body_of(settled);
  apply_and_sign(out.block, settled, producer);
  out.leaves = std::move(settled.leaves);
  previous_head_ = head_;
  head_ = out.block.header;
  unwritten_ = true;
  return out;
}

Result<Chain::AppliedBlock> Chain::apply_verified_block(Block block, Settlement settlement, Errc code) {
  if (halted_) return *halted_;
  if (unwritten_) return make_error(Errc::internal, "block " + std::to_string(head_.height) + " is not written yet");
  const BlockHeader& h = block.header;
  if (h.height != head_.height + 1)
    return make_error(code, at_block(h.height) + "does not extend the head block " + std::to_string(head_.height),
                      std::string(block_rule::kHeight));
  if (!(h.parent == head_.hash()))
    return make_error(code, at_block(h.height) + "parent hash does not link to block " + std::to_string(head_.height),
                      std::string(block_rule::kParent));
  AppliedBlock out;
  out.leaves = settlement.delta.leaves();
  state_.apply(settlement.delta, out.leaves);
  const Hash32 root = state_.root();
  if (!(root == h.state_root)) {
    // The state is past a block that will not be written: back to what the disk holds.
    State reloaded;
    if (auto loaded = store_->load_state(reloaded); !loaded) {
      halted_ = make_error(Errc::halted, "the state could not be reloaded after refusing block " +
                                             std::to_string(h.height) + ": " + loaded.error().message);
      return *halted_;
    }
    state_ = std::move(reloaded);
    state_.root();
    return make_error(code,
                      at_block(h.height) + "state root differs: the block says " + h.state_root.hex() +
                          ", re-execution gives " + root.hex(),
                      std::string(block_rule::kStateRoot));
  }
  out.block = std::move(block);
  out.block.fill_receipt_texts();
  previous_head_ = head_;
  head_ = out.block.header;
  unwritten_ = true;
  return out;
}

Result<void> Chain::write_block(const AppliedBlock& applied) const {
  if (!unwritten_ || applied.block.header.height != head_.height)
    return make_error(Errc::internal, "write_block: block " + std::to_string(applied.block.header.height) +
                                          " is not the applied, unwritten head");
  if (!applied.staged) PACTUM_TRY(store_->stage_body(applied.block));
  return store_->commit_header(applied.block.header, applied.leaves);
}

Result<void> Chain::finish_block(const AppliedBlock& applied, const Result<void>& written) {
  unwritten_ = false;
  if (written) return {};
  head_ = previous_head_;
  return halt_after_failed_write(applied.block.header.height, written.error());
}

}  // namespace pactum
