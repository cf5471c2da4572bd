// Chain: the store plus the in-memory state at its head. Opening an empty directory
// writes block 0 from the genesis; opening an existing one checks that its block 0 is
// this genesis, loads the state, and checks the loaded state root against the head
// block's (recovery after a crash lands on the last complete block).
//
// Not thread safe: the node serialises access (settle_block is const and only reads, so
// it may share the chain with other readers).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pactum/intents/result.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/store.hpp"

namespace pactum {

class Chain {
 public:
  // Takes the genesis by value: pass it with std::move when it is not needed after, and
  // its accounts are freed while block 0's state is built.
  // `env` as in Store::open (tests inject write failures through it).
  static Result<std::unique_ptr<Chain>> open(const std::string& dir, Genesis genesis, rocksdb::Env* env = nullptr);

  const Genesis& genesis() const { return genesis_; }
  // The context of the block that would extend the head now.
  BlockContext next_context(std::uint64_t timestamp) const {
    return block_context(genesis_, head_.height + 1, timestamp);
  }
  State& state() { return state_; }
  const State& state() const { return state_; }
  const BlockHeader& head() const { return head_; }
  std::uint64_t height() const { return head_.height; }
  Store& store() { return *store_; }
  const Store& store() const { return *store_; }
  bool halted() const { return halted_.has_value(); }
  const std::optional<Error>& halt_reason() const { return halted_; }

  // Settles the batch on the head state, builds and signs block height+1 and commits it
  // (one synced write). On a storage failure the chain halts: the in-memory state goes
  // back to what the disk holds and every later call fails.
  // Same as settle_block followed by commit_block.
  Result<Block> produce(std::span<const Intent> batch, std::uint64_t timestamp, const SecretKey& producer,
                        const SettleFn& settle);

  // produce() in two steps, so that a node can settle a batch while it keeps serving
  // reads (the settle step only reads the head state: it may run concurrently with other
  // readers) and hold exclusive access only for the commit step (apply, state root,
  // signature, synced write). The head must not move between the two: commit_block
  // refuses a settled batch whose parent is no longer the head.
  struct SettledBatch {
    BlockContext ctx;
    Hash32 parent;
    std::vector<Intent> intents;
    Settlement settlement;
    std::vector<std::pair<std::string, std::string>> leaves;  // settlement.delta.leaves()
    std::optional<Block> staged;                              // set by stage_block: the body, already in the store
  };
  Result<SettledBatch> settle_block(std::span<const Intent> batch, std::uint64_t timestamp,
                                    const SettleFn& settle) const;
  // The same, keeping the batch's intents for the block instead of copying them.
  Result<SettledBatch> settle_block(std::vector<Intent>&& batch, std::uint64_t timestamp, const SettleFn& settle) const;
  // Optional middle step, read-only for the in-memory state as well (so it too may run
  // beside other readers): writes the block's body to the store, unsynced and invisible
  // until the commit (Store::stage_body). commit_block then only applies, hashes, signs
  // and writes the commit point. Without it, commit_block stages the body itself.
  Result<void> stage_block(SettledBatch& settled) const;
  // apply_block, write_block and finish_block back to back: the one commit pipeline,
  // which the node runs step by step with its locks between the steps. On a storage
  // failure the chain halts as described for produce().
  Result<Block> commit_block(SettledBatch settled, const SecretKey& producer);

  // commit_block in three steps, so that a node can let admissions go on during the
  // synced write, the slowest part of a commit:
  //  - apply_block applies the block in memory (state and head) and signs it: exclusive
  //    access, as for commit_block;
  //  - write_block makes it durable (stages its body if stage_block did not, then the
  //    synced commit point). It only reads the in-memory chain, so readers may run beside
  //    it; but the chain is now ahead of the disk, and a reader that reports what it sees
  //    (a balance, the height) would report a block that a crash could still lose. A node
  //    lets only its admission checks read meanwhile;
  //  - finish_block, with exclusive access again, ends it; if the write failed, the chain
  //    halts and goes back to what the disk holds (state and head), as commit_block does.
  struct AppliedBlock {
    Block block;
    std::vector<std::pair<std::string, std::string>> leaves;
    bool staged = false;  // the body is already in the store
  };
  Result<AppliedBlock> apply_block(SettledBatch settled, const SecretKey& producer);
  // A follower's apply_block (node/follower.hpp): a block received from elsewhere, which
  // passed check_block_alone and whose batch resettle_block re-settled on the head state
  // to `settlement`, is applied in memory as a produced one is, without signing it (it
  // carries its producer's signature). It must extend the head (rule "parent") and its
  // header's state root must be the state's after it (rule "state_root"); otherwise the
  // in-memory state goes back to what the disk holds, the chain stays at its head and
  // nothing is written. Then write_block and finish_block, as for a produced block.
  // Errors have code `code` and name the rule in Error::field (block_check.hpp).
  Result<AppliedBlock> apply_verified_block(Block block, Settlement settlement, Errc code);
  [[nodiscard]] Result<void> write_block(const AppliedBlock& applied) const;
  Result<void> finish_block(const AppliedBlock& applied, const Result<void>& written);

 private:
  Chain(Genesis g, std::unique_ptr<Store> s);
  Result<void> check_producer(const PublicKey& producer_key) const;
  static Block body_of(SettledBatch& settled);  // moves the batch and settlement into a body
  Result<void> check_extends_head(const SettledBatch& settled, const PublicKey& producer_key) const;
  // Applies the settlement to the state and fills and signs the header.
  void apply_and_sign(Block& block, const SettledBatch& settled, const SecretKey& producer);
  // Halts the chain after block `height` failed to reach the disk: the state is
  // reloaded from the store. Returns the halt error.
  Error halt_after_failed_write(std::uint64_t height, const Error& cause);
  Genesis genesis_;
  std::unique_ptr<Store> store_;
  State state_;
  BlockHeader head_;
  std::optional<Error> halted_;
  bool unwritten_ = false;     // apply_block ran, finish_block not yet
  BlockHeader previous_head_;  // the head before apply_block
};

// Replay from genesis: pactum/ledger/replay.hpp.

}  // namespace pactum
