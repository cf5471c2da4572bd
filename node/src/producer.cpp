// NodeCore's writes: admission of intents and block production (the producer thread and
// pactum_mine both come through produce_block, one block at a time).
#include <algorithm>
#include <chrono>
#include <iostream>

#include "pactum/matcher/matcher.hpp"
#include "pactum/node/node_core.hpp"
#include "room_keeper.hpp"

namespace pactum {

namespace {
std::uint64_t wall_clock_ms() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}
}  // namespace

NodeCore::NodeCore(std::unique_ptr<Chain> chain, SecretKey producer_key, SettleFn settle, CoreOptions opts)
    : chain_(std::move(chain)),
      producer_key_(std::move(producer_key)),
      settle_(std::move(settle)),
      opts_(opts),
      chain_id_(chain_->genesis().chain_id),
      mempool_(chain_id_, opts.max_mempool, opts.max_pending_per_account) {
  rooms_ = opts_.room_secrets ? std::make_unique<RoomKeeper>(opts_.room_secrets) : std::make_unique<RoomKeeper>();
  head_hash_ = chain_->head().hash();
  genesis_hash_ = head_hash_;
  if (chain_->height() > 0) {
    auto b0 = chain_->store().block_at(0);
    if (b0.ok() && b0->has_value()) genesis_hash_ = (*b0)->header.hash();
  }
  if (chain_->halted()) {
    halted_ = true;
    halt_reason_ = chain_->halt_reason()->message;
  }
  state_changed_at_ = chain_->height();
}

namespace {

// The carried intents (already in an earlier block) that stayed unfilled in `settled` are
// left out of the block when the batch without them settles to exactly the same
// receipts, prices and state: replay re-settles the block's own intents, so the block
// must hold a batch that gives its result. Most often it does (an order that does not
// fill does not move the price), and then an unchanged pending order costs no receipt
// and no bytes. Otherwise the block records the whole batch, as before.
Result<Chain::SettledBatch> without_unchanged(const Chain& chain, Chain::SettledBatch settled,
                                              const std::vector<bool>& carried, std::uint64_t timestamp,
                                              const SettleFn& settle) {
  std::vector<Intent> kept;
  std::vector<std::size_t> kept_index;
  const auto& receipts = settled.settlement.receipts;
  for (std::size_t i = 0; i < settled.intents.size(); ++i) {
    if (i < carried.size() && carried[i] && receipts[i].status == ReceiptStatus::unfilled) continue;
    kept.push_back(settled.intents[i]);
    kept_index.push_back(i);
  }
  if (kept.size() == settled.intents.size()) return settled;
  // A clearing picked among solvers is checked again on the smaller batch, not searched
  // for again (and the solvers are not asked twice).
  const std::optional<SolverRecord>& picked = settled.settlement.solver;
  const SettleFn recheck = [&](const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
    const Clearing clearing = clearing_of(settled.intents, settled.settlement.receipts, settled.settlement.prices,
                                          settled.settlement.asset_prices,
                                          settled.settlement.cleared_pools.value_or(std::vector<PoolReserves>{}));
    Result<Settlement> s = verify_recorded_clearing(state, batch, ctx, clearing);
    if (!s) return Settlement{};  // no receipts: settle_block refuses it, and the whole batch is kept
    s->solver = picked;
    return std::move(*s);
  };
  auto reduced = chain.settle_block(std::move(kept), timestamp, picked ? recheck : settle);
  if (!reduced.ok()) return settled;
  const Settlement& a = settled.settlement;
  const Settlement& b = reduced->settlement;
  bool same = a.prices == b.prices && a.asset_prices == b.asset_prices && settled.leaves == reduced->leaves;
  for (std::size_t k = 0; same && k < kept_index.size(); ++k) same = a.receipts[kept_index[k]] == b.receipts[k];
  return same ? std::move(reduced) : Result<Chain::SettledBatch>(std::move(settled));
}

}  // namespace

NodeCore::~NodeCore() { stop_producer(); }

Result<void> NodeCore::submit(Intent intent, bool wake) {
  std::vector<Intent> one;
  one.push_back(std::move(intent));
  return std::move(submit_all(one, wake).front());
}

std::vector<Result<void>> NodeCore::submit_all(std::vector<Intent>& intents, bool wake) {
  const Error halted =
      make_error(Errc::halted, "block production is halted after a storage failure; the node only serves reads");
  std::vector<Result<void>> out(intents.size(), Result<void>{});
  if (halted_) return std::vector<Result<void>>(intents.size(), Result<void>(halted));
  MempoolChanges changes;
  std::vector<Hash32> admitted;
  {
    // A cancel is admitted between blocks, never while one is being settled: it could
    // otherwise name an intent of the batch in flight, which that block may fill.
    std::unique_lock<std::mutex> between_blocks;
    if (std::any_of(intents.begin(), intents.end(), [](const Intent& i) { return i.cancel() != nullptr; })) {
      between_blocks = std::unique_lock(produce_mu_);
      if (halted_) return std::vector<Result<void>>(intents.size(), Result<void>(halted));
    }
    auto lock = admission_lock();  // it may run while the previous block is being written
    // Already in a block? (RocksDB lookups: before the mempool lock, which the producer
    // also takes.) An unfilled swap the node forgot (it restarted) may come back: its
    // nonce is free.
    for (std::size_t i = 0; i < intents.size(); ++i) {
      auto located = chain_->store().locate_intent(intents[i].id);
      if (!located.ok()) {
        out[i] = located.error();
      } else if (located->has_value() && !unfilled_at(**located)) {
        out[i] = make_error(Errc::duplicate, "intent " + intents[i].id.hex() + " is already in block " +
                                                 std::to_string((*located)->height));
      }
    }
    std::lock_guard pool(mempool_mu_);
    for (std::size_t i = 0; i < intents.size(); ++i) {
      if (!out[i].ok()) continue;
      const Hash32 id = intents[i].id;
      out[i] = mempool_.add(std::move(intents[i]), chain_->state(), chain_->height(), &changes);
      if (out[i].ok()) admitted.push_back(id);
    }
  }
  if (admitted.empty()) return out;
  if (wake) wake_producer();
  if (subs_.has_intent_subscriptions()) {
    changes.dropped.insert(changes.dropped.end(), admitted.begin(), admitted.end());
    subs_.notify_intents(changes.dropped, [this](const Hash32& h) {
      auto r = get_intent(h);
      return r.ok() ? r.value() : nlohmann::json(nullptr);
    });
  }
  return out;
}

bool NodeCore::unfilled_at(const IntentLocation& loc) const {
  auto block = block_at_locked(loc.height);
  return block && loc.index < block->receipts.size() && block->receipts[loc.index].status == ReceiptStatus::unfilled;
}

void NodeCore::wake_producer() {
  if (opts_.block_time_ms) return;  // interval mode keeps its own schedule
  {
    std::lock_guard lock(wake_mu_);
    new_intent_ = true;
  }
  wake_cv_.notify_one();
}

// An exception here (a producer intent that does not sign, an allocation failure) would
// end the producer thread and with it the process: production halts instead, cleanly,
// and the node keeps serving reads, as after a storage failure.
Result<MinedBlock> NodeCore::produce_block() {
  try {
    return produce_block_unguarded();
  } catch (const std::exception& e) {
    return halt_on_exception(e.what());
  } catch (...) {
    return halt_on_exception("unknown exception");
  }
}

Error NodeCore::halt_on_exception(const std::string& what) {
  const Error e = make_error(Errc::internal, "block production failed: " + what);
  auto lock = write_lock();
  halted_ = true;
  halt_reason_ = e.message;
  std::cerr << "\n!!! pactum: block production FAILED at height " << chain_->height() + 1 << ": " << e.message
            << "\n!!! pactum: block production is HALTED; the node keeps serving reads, submissions are refused. "
               "Restart the node to produce again.\n";
  std::cerr.flush();
  return e;
}

NodeCore::NextBlock NodeCore::next_block_locked(std::uint64_t timestamp) const {
  NextBlock next;
  {
    std::lock_guard pool(mempool_mu_);
    next.batch = mempool_.batch(opts_.max_block_intents, chain_->height() + 1, state_changed_at_, &next.carried);
  }
  // The room keys and outcomes only the producer signs (room_keeper.hpp).
  for (Intent& in :
       rooms_->producer_intents(chain_->state(), next.batch, chain_->height() + 1, producer_key_, chain_id_))
    next.batch.push_back(std::move(in));
  next.ctx = chain_->next_context(timestamp);
  return next;
}

Result<MinedBlock> NodeCore::produce_block_unguarded() {
  std::lock_guard one_at_a_time(produce_mu_);
  if (LeaderLink* leader = leader_.load())
    return make_error(Errc::not_producer,
                      "this node is a follower of " + leader->url() + ": it never produces blocks; its leader does");
  if (halted_) return make_error(Errc::halted, "block production is halted: " + halt_reason_);
  MempoolChanges changes;
  // Settling only reads the head state, so it runs under the shared lock: submissions
  // (whose admission reads balances) and RPC reads go on meanwhile. This thread is the
  // only writer of the chain (produce_mu_), so the head cannot move before the commit.
  // Intents admitted meanwhile are simply not in this batch; cancels wait for the block
  // (see submit) so that none can name an intent that is being settled.
  Result<Chain::SettledBatch> settled = make_error(Errc::internal, "not settled");
  std::vector<Hash32> tried;  // the mempool's intents this block settles, recorded or not
  {
    auto lock = admission_lock();
    const std::uint64_t timestamp = opts_.block_timestamp ? opts_.block_timestamp(chain_->height() + 1)
                                                          : std::max(wall_clock_ms(), chain_->head().timestamp);
    NextBlock next = next_block_locked(timestamp);
    for (std::size_t i = 0; i < next.carried.size(); ++i) tried.push_back(next.batch[i].id);
    if (test_hooks_.settling) test_hooks_.settling();
    const std::size_t batch_size = next.batch.size();
    settled = chain_->settle_block(std::move(next.batch), timestamp, settle_);
    if (settled.ok())
      settled = without_unchanged(*chain_, std::move(settled).value(), next.carried, timestamp, settle_);
    // A small block's body goes to disk here too, before the exclusive section: it stays
    // invisible until the commit point, so readers and admissions carry on meanwhile. A
    // large block's body is written by write_block, after the exclusive section, so that
    // encoding it does not hold this section up either.
    if (settled.ok() && batch_size < kLargeBlockIntents) {
      auto staged = chain_->stage_block(settled.value());
      if (!staged.ok()) settled = staged.error();
    }
  }
  // Apply the block in memory and take its intents out of the mempool (exclusive), then
  // write it (synced) while admissions go on against the applied state; RPC reads wait
  // for the write (hide_lock), so none reports a block that is not on disk.
  auto hidden = hide_lock();
  Result<Chain::AppliedBlock> applied = make_error(Errc::internal, "not applied");
  std::size_t fresh_left = 0;
  {
    auto lock = write_lock();
    const Hash32 state_before = chain_->head().state_root;
    applied = settled.ok() ? chain_->apply_block(std::move(settled).value(), producer_key_)
                           : Result<Chain::AppliedBlock>(settled.error());
    if (!applied.ok()) return report_failed_block(applied.error());
    head_hash_ = applied->block.header.hash();
    if (!(applied->block.header.state_root == state_before)) state_changed_at_ = applied->block.header.height;
    std::lock_guard pool(mempool_mu_);
    mempool_.mark_tried(tried, applied->block.header.height);
    changes = mempool_.on_block(applied->block, chain_->state());
    // Held intents (valid_from above the next height) do not count: in instant mode they
    // must not make the producer write empty blocks until their height comes.
    fresh_left = mempool_.fresh_count(applied->block.header.height + 1);
    rooms_->forget(chain_->state(), [this](const Hash32& id) { return mempool_.find(id) != nullptr; });
  }
  return write_applied(std::move(applied).value(), hidden, changes, fresh_left);
}

Result<MinedBlock> NodeCore::write_applied(Chain::AppliedBlock applied, std::unique_lock<std::shared_mutex>& hidden,
                                           const MempoolChanges& changes, std::size_t fresh_left) {
  const Hash32 hash = applied.block.header.hash();
  if (test_hooks_.writing) test_hooks_.writing();
  const Result<void> written = chain_->write_block(applied);
  if (!written.ok()) {
    // The chain goes back to what the disk holds and halts. The block's intents already
    // left the mempool: with production halted they could never be included anyway.
    auto lock = write_lock();
    auto finished = chain_->finish_block(applied, written);
    head_hash_ = chain_->head().hash();
    return report_failed_block(finished.ok() ? written.error() : finished.error());
  }
  // Success only clears the chain's own mark, which nothing but this thread reads.
  (void)chain_->finish_block(applied, written);
  auto block = std::make_shared<const Block>(std::move(applied.block));
  remember_block(block);
  hidden.unlock();
  after_commit(*block, changes);
  return MinedBlock{block->header.height, hash, block->intents.size(), fresh_left, changes.dropped.size(), block};
}

Error NodeCore::report_failed_block(const Error& e) {
  std::cerr << "\n!!! pactum: block production FAILED at height " << chain_->height() + 1 << ": " << e.message << " ("
            << errc_name(e.code) << ")\n";
  if (chain_->halted() || e.code == Errc::storage) {
    halted_ = true;
    halt_reason_ = e.message;
    std::cerr << "!!! pactum: block production is HALTED; the node keeps serving reads, "
                 "submissions are refused. Fix the storage problem and restart.\n";
  }
  std::cerr.flush();
  return e;
}

void NodeCore::after_commit(const Block& block, const MempoolChanges& changes) {
  nlohmann::json header = block.header.to_json();
  header["intents"] = block.intents.size();
  subs_.notify_block(header);
  if (!subs_.has_intent_subscriptions()) return;
  std::vector<Hash32> ids;
  ids.reserve(block.intents.size() + changes.dropped.size());
  for (const auto& i : block.intents) ids.push_back(i.id);
  ids.insert(ids.end(), changes.dropped.begin(), changes.dropped.end());
  subs_.notify_intents(ids, [this](const Hash32& h) {
    auto r = get_intent(h);
    return r.ok() ? r.value() : nlohmann::json(nullptr);
  });
}

void NodeCore::start_producer() {
  if (producer_.joinable()) return;
  producer_ = std::thread([this] { producer_loop(); });
}

void NodeCore::stop_producer() {
  {
    std::lock_guard wake(wake_mu_);
    stopping_ = true;
  }
  wake_cv_.notify_all();
  if (producer_.joinable()) producer_.join();
}

void NodeCore::producer_loop() {
  using clock = std::chrono::steady_clock;
  auto next = clock::now();
  std::unique_lock lock(wake_mu_);
  while (!stopping_) {
    if (opts_.block_time_ms) {
      next += std::chrono::milliseconds(*opts_.block_time_ms);
      if (next < clock::now()) next = clock::now();  // fell behind: do not burst
      wake_cv_.wait_until(lock, next, [&] { return stopping_; });
    } else {
      wake_cv_.wait(lock, [&] { return stopping_ || new_intent_; });
      new_intent_ = false;  // everything pending now goes into the coming block
    }
    if (stopping_) break;
    lock.unlock();
    auto mined = produce_block();
    lock.lock();
    // A full block may have left fresh intents behind: go again without waiting for a new
    // one. Carried intents alone never make it go again: they were tried on this state.
    if (!opts_.block_time_ms && mined.ok() && mined->fresh_left > 0) new_intent_ = true;
  }
}

}  // namespace pactum
