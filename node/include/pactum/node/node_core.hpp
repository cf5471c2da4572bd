// The node's core: chain + mempool + producer + subscriptions, with their locks (docs/
// PROTOCOL.md sections 4 and 8 say what it does; the JSON-RPC dispatcher over it is
// dispatcher.hpp). Transport-free: tests call it directly.
//
// Locking: the chain (state, head, store) is guarded by a shared_mutex. RPC reads and
// admissions take it shared; the producer settles a batch under it shared too, and takes
// it unique only to apply the block and update the mempool for it. The synced write that
// follows holds no chain lock, so admissions go on; RPC reads wait for it on a second
// lock (NodeCore::read_lock). The mempool has its own mutex, always taken after the
// chain lock. produce_mu_ (one block at a time) is taken before any chain lock.
// Signatures are verified before any lock is taken.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/crypto.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/intents/result.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/node/mempool.hpp"
#include "pactum/node/subscriptions.hpp"

namespace pactum {

inline constexpr std::string_view kNodeVersion = "0.1.0";

class RoomKeeper;

// Where a room's secret key and seed come from (room_keeper.hpp).
using RoomSecretSource = std::function<std::pair<SecretKey, Hash32>(const Hash32& room)>;

struct CoreOptions {
  std::size_t max_mempool = 200000;
  std::size_t max_block_intents = 20000;
  std::size_t max_pending_per_account = 2048;
  std::optional<std::uint64_t> block_time_ms;  // nullopt: instant mode
  bool quiet = false;
  // For reproducible runs (`pactum scenario` drives a NodeCore in process): the timestamp
  // of block `height`, and the room secrets. Unset, as in a running node: the wall clock
  // (never below the parent's timestamp) and OpenSSL's RNG. Both are called on the
  // producing thread with the chain lock held: they must not call back into the NodeCore.
  std::function<std::uint64_t(std::uint64_t height)> block_timestamp;
  RoomSecretSource room_secrets;
  // What pactum_quote and pactum_simulateBundle settle with; unset: the block's SettleFn.
  // The node sets its picker without the external solvers here, so that a read-only RPC
  // call never makes the node call out (docs/PROTOCOL.md, quotes).
  SettleFn estimate;
};

// A follower's link to its leader (node/follower.hpp implements it): what the core needs
// of it to answer pactum_nodeInfo and pactum_submitIntent. Thread safe.
class LeaderLink {
 public:
  virtual ~LeaderLink() = default;
  virtual const std::string& url() const = 0;
  // pactum_nodeInfo's follower members ("leader", "leader_height", "lag", "sync", "sync_error").
  virtual nlohmann::json info() const = 0;
  // A request relayed to the leader (pactum_submitIntent; pactum_getIntent of an intent
  // the follower has not seen in a block): the leader's result as JSON text, or its error
  // as it gave it (leader_unreachable when it did not answer).
  virtual Result<std::string> forward(std::string_view method, const nlohmann::json& params) = 0;
};

struct MinedBlock {
  std::uint64_t height = 0;
  Hash32 hash;
  std::size_t intents = 0;
  std::size_t fresh_left = 0;  // fresh intents still pending after it (mempool.hpp)
  std::size_t expired = 0;     // intents that left the mempool unsettled with this block
  std::shared_ptr<const Block> block;
};

class NodeCore {
 public:
  NodeCore(std::unique_ptr<Chain> chain, SecretKey producer_key, SettleFn settle, CoreOptions opts);
  ~NodeCore();
  NodeCore(const NodeCore&) = delete;
  NodeCore& operator=(const NodeCore&) = delete;

  // Admission of an already verified intent. `wake` false leaves the producer asleep
  // (a JSON-RPC batch wakes it once at its end, so a burst becomes one block).
  Result<void> submit(Intent intent, bool wake = true);
  // The same for many, in order, under one acquisition of the locks (a JSON-RPC batch):
  // one result per intent. The intents are moved from.
  std::vector<Result<void>> submit_all(std::vector<Intent>& intents, bool wake = true);
  void wake_producer();
  // Produces one block now from what is pending (possibly empty).
  Result<MinedBlock> produce_block();
  // Production stopped for good in this process (a storage failure, or an exception on
  // the producing thread); reads go on.
  bool halted() const { return halted_; }

  // Follower mode (node/follower.hpp): set before serving, and kept as long as the core.
  // A follower never produces (produce_block is not_producer), relays submissions to the
  // leader, and takes blocks only through append_block.
  // (Atomic, so that a later failover can switch a member's role while it serves; the
  // link must then outlive every request that may still use it.)
  void set_leader(LeaderLink* link) { leader_.store(link); }
  LeaderLink* leader() const { return leader_.load(); }
  // A follower's commit of a block received from its leader, through the producer's commit
  // pipeline (Chain::apply_verified_block, write_block, finish_block; the same locks, the
  // same subscriptions). The block is checked first (ledger/block_check.hpp:
  // check_block_alone unless `checked_alone`, i.e. the caller ran it already; then the
  // re-settlement on the head state and the state root); a block that breaks a rule is a
  // `block_invalid` error naming it in Error::field, and nothing is written.
  Result<MinedBlock> append_block(Block block, bool checked_alone = false);

  // The producer thread: instant or interval mode per the options.
  void start_producer();
  void stop_producer();

  // Reads (each takes the locks it needs).
  nlohmann::json node_info() const;
  std::uint64_t height() const;
  // pactum_getBlock's result as JSON text ("null" when there is no such block).
  Result<std::string> get_block(std::optional<std::uint64_t> height, std::optional<Hash32> hash, bool full) const;
  // pactum_getBlocks: summaries of `count` blocks from `to` (default the head) downwards.
  nlohmann::json get_blocks(std::optional<std::uint64_t> to, std::size_t count) const;
  Result<nlohmann::json> get_intent(const Hash32& id) const;
  Result<std::string> get_balance(const PublicKey& account, const std::string& asset) const;
  Result<nlohmann::json> get_available_balance(const PublicKey& account, const std::string& asset) const;
  Result<nlohmann::json> get_balance_proof(const PublicKey& account, const std::string& asset) const;
  Result<nlohmann::json> get_pool(const std::string& x, const std::string& y) const;
  nlohmann::json get_pools() const;
  nlohmann::json get_assets() const;
  nlohmann::json get_lending_pools() const;
  // pactum_getSupply (burns_rpc.cpp): an asset's total supply; a burnable asset's with its
  // state leaf's proof against the head's state root.
  Result<nlohmann::json> get_supply(const std::string& asset) const;
  // pactum_getBurns: the settled burns matching the filter, oldest first.
  struct BurnFilter {
    std::optional<PublicKey> account;
    std::optional<std::string> asset;
    std::uint64_t from = 0;
    std::optional<std::uint64_t> to;
    std::size_t offset = 0;
    std::size_t limit = 100;
  };
  Result<nlohmann::json> get_burns(const BurnFilter& filter) const;
  // pactum_getReceiptProof: the receipt of intent `id` in block `height` with its inclusion
  // proof against the block's receipts_root (ledger/receipt_proof.hpp).
  Result<nlohmann::json> get_receipt_proof(std::uint64_t height, const Hash32& id) const;
  // Rooms (rooms_rpc.cpp): the public face of a room (never a position), and its signed
  // contract once both parties have signed the outcome.
  Result<nlohmann::json> get_room(const Hash32& id) const;
  Result<nlohmann::json> get_contract(const Hash32& id) const;
  // pactum_getRooms: rooms newest first (all, or only open / only closed), at most `limit`.
  nlohmann::json get_rooms(std::optional<bool> closed, std::size_t limit) const;
  bool nonce_used(const PublicKey& account, std::uint64_t nonce) const;
  std::vector<Hash32> pending_ids(std::size_t max) const;
  // pactum_quote (quote.cpp): settles the pending batch plus one unsigned swap on the head state; commits nothing.
  Result<nlohmann::json> quote_swap(const nlohmann::json& unsigned_swap) const;
  // pactum_simulateBundle (simulate_bundle.cpp): runs a bundle against the head state
  // ("latest") or after the pending batch ("pending"); commits nothing.
  Result<nlohmann::json> simulate_bundle(const nlohmann::json& bundle, const std::string& state) const;
  std::size_t mempool_size() const;
  const std::string& chain_id() const { return chain_id_; }
  std::optional<std::uint64_t> block_time_ms() const { return opts_.block_time_ms; }
  // Calls f(const Chain&, const Mempool&) under the read locks and returns its result:
  // for in-process drivers (studies) that read the head state and the pending intents
  // between blocks.
  template <typename F>
  decltype(auto) inspect(F&& f) const {
    auto lock = read_lock();
    std::lock_guard pool(mempool_mu_);
    return f(static_cast<const Chain&>(*chain_), static_cast<const Mempool&>(mempool_));
  }

  SubscriptionHub& subscriptions() { return subs_; }

  // For tests: `settling` runs on the producing thread just before a batch is settled
  // (the shared chain lock is held). Set before producing.
  // `writing` runs on it between applying a block and its synced write (no chain lock
  // held; RPC reads wait, admissions do not).
  struct TestHooks {
    std::function<void()> settling;
    std::function<void()> writing;
  };
  void set_test_hooks(TestHooks hooks) { test_hooks_ = std::move(hooks); }

 private:
  std::shared_ptr<const Block> block_at_locked(std::uint64_t height) const;  // chain lock held
  bool unfilled_at(const IntentLocation& loc) const;                         // chain lock held
  void remember_block(std::shared_ptr<const Block> b) const;
  void producer_loop();
  Result<MinedBlock> produce_block_unguarded();
  // What the next block would settle, and in which context: the mempool's batch
  // (mempool.hpp: fresh intents, then carried ones), then the room keys and outcomes only
  // the producer signs. The one construction that producing, quoting and simulating share,
  // so that a quote sees the block the producer would make (room fees included).
  // produce_mu_ and a chain lock held, in that order.
  struct NextBlock {
    std::vector<Intent> batch;
    std::vector<bool> carried;  // one flag per mempool intent (the first carried.size() of batch)
    BlockContext ctx;
  };
  NextBlock next_block_locked(std::uint64_t timestamp) const;
  Error halt_on_exception(const std::string& what);
  // The end of the commit pipeline, for a produced and a followed block alike: the synced
  // write with the hidden lock held (released here), then the subscriptions.
  Result<MinedBlock> write_applied(Chain::AppliedBlock applied, std::unique_lock<std::shared_mutex>& hidden,
                                   const MempoolChanges& changes, std::size_t fresh_left);
  void after_commit(const Block& block, const MempoolChanges& changes);
  // Prints why block production failed and halts the node if the chain halted (chain
  // lock held exclusively). Returns the error.
  Error report_failed_block(const Error& e);

  std::unique_ptr<Chain> chain_;
  SecretKey producer_key_;
  SettleFn settle_;
  CoreOptions opts_;
  std::string chain_id_;
  Hash32 genesis_hash_;

  // glibc's rwlock prefers readers: a steady stream of RPC reads could starve the
  // producer. Readers pass through write_gate_, which the producer holds while it
  // waits for a unique lock, so new readers queue behind it.
  //
  // Two locks, because a block is applied in memory before it is on disk (Chain::
  // apply_block, write_block): RPC reads take hidden_mu_ too, which the producer holds
  // from the apply until the synced write is done, so that no read reports a block a
  // crash could still lose; admissions take only chain_mu_ and go on during the write.
  struct ReadLock {
    std::shared_lock<std::shared_mutex> hidden, chain;
  };
  ReadLock read_lock() const {
    { std::lock_guard gate(write_gate_); }
    std::shared_lock hidden(hidden_mu_);
    return ReadLock{std::move(hidden), std::shared_lock(chain_mu_)};
  }
  std::shared_lock<std::shared_mutex> admission_lock() const {
    { std::lock_guard gate(write_gate_); }
    return std::shared_lock(chain_mu_);
  }
  std::unique_lock<std::shared_mutex> hide_lock() {
    std::lock_guard gate(write_gate_);
    return std::unique_lock(hidden_mu_);
  }
  std::unique_lock<std::shared_mutex> write_lock() {
    std::lock_guard gate(write_gate_);
    return std::unique_lock(chain_mu_);
  }
  mutable std::shared_mutex hidden_mu_;
  mutable std::mutex write_gate_;
  mutable std::shared_mutex chain_mu_;
  Hash32 head_hash_;  // guarded by chain_mu_
  // Height of the newest block that changed the state (its state root differs from its
  // parent's): carried intents tried before it are worth trying again. chain_mu_.
  std::uint64_t state_changed_at_ = 0;
  mutable std::mutex mempool_mu_;
  Mempool mempool_;
  // The settled burns of blocks 1..burns_scanned_, oldest first: read from the store
  // when pactum_getBurns first needs them, then extended block by block (burns_rpc.cpp).
  struct BurnRecord {
    std::uint64_t height = 0;
    Hash32 intent;
    PublicKey account;
    std::string asset;
    Amount amount = 0;
    Hash32 request;
  };
  mutable std::mutex burns_mu_;
  mutable std::vector<BurnRecord> burns_;
  mutable std::uint64_t burns_scanned_ = 0;
  // One block at a time (producer thread and pactum_mine); cancels wait on it, and quotes
  // and simulations (they build the next block's batch too). Taken before any chain lock.
  mutable std::mutex produce_mu_;
  std::unique_ptr<RoomKeeper> rooms_;  // room secrets (room_keeper.hpp); guarded by produce_mu_
  TestHooks test_hooks_;
  std::atomic<LeaderLink*> leader_{nullptr};  // set: a follower
  std::atomic<bool> halted_{false};
  std::string halt_reason_;  // guarded by chain_mu_

  // Recently produced blocks, so status queries need not reread RocksDB.
  mutable std::mutex cache_mu_;
  mutable std::deque<std::shared_ptr<const Block>> recent_;

  SubscriptionHub subs_;

  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  bool new_intent_ = false;
  bool stopping_ = false;
  std::thread producer_;
};

}  // namespace pactum
