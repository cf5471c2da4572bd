// Store: the chain on disk in RocksDB.
//
// commit() writes a block, its state changes, its indexes and the new head atomically:
// the body first (invisible), then one synced WriteBatch with the header, the state
// leaves and the head, the commit point. After a crash at any instant the store holds
// exactly the blocks whose commit returned (the last one possibly too, if the crash came
// after the sync). After a failed write the store refuses every later write (like LevelDB after
// a failed WAL sync); the node then stops producing blocks.
//
// Column families: default (meta: head, chain id, genesis hash, end of the body files),
// headers (height -> header JSON), blocks (height -> body JSON: the block's other members;
// a body of 64 KiB or more is kept in DIR/bodies/NNNNNN.dat instead, appended and synced
// before the locator that points at it is written, and cut back on open if its block
// never reached the commit point), block_index (hash -> height), intent_index (id ->
// height, index: the newest block that included the intent), state (leaf key -> value
// bytes).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pactum/intents/result.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"

namespace rocksdb {
class Env;
}

namespace pactum {

struct IntentLocation {
  std::uint64_t height = 0;
  std::uint32_t index = 0;
};

// A block of at least this many intents is large: the store encodes its body on a second
// thread while it writes the intent index, and the node stages it after its exclusive
// section rather than inside it (producer.cpp). One threshold for both.
inline constexpr std::size_t kLargeBlockIntents = 1024;

class Store {
 public:
  // `env`: the environment RocksDB reads and writes through (null: the process default).
  // Tests pass one whose writes fail as a full disk's would (ledger/testing/fault_env.hpp).
  static Result<std::unique_ptr<Store>> open(const std::string& dir, bool read_only = false,
                                             rocksdb::Env* env = nullptr);
  ~Store();

  // One atomic synced write: block, state leaves of delta, indexes, head = block height.
  Result<void> commit(const Block& block, const StateDelta& delta);
  // The same, with the delta's leaves (StateDelta::leaves(), key order) computed already.
  Result<void> commit(const Block& block, const std::vector<std::pair<std::string, std::string>>& leaves);

  // commit() in two phases, so that a producer can write the bulk of a block while it
  // computes the state root:
  //  - stage_body(block): the body (intents, prices, receipts: needs header.height only)
  //    and the intent index, not synced, invisible to every read (reads stop at the head);
  //  - commit_header(header, leaves): header, block index, state leaves and head in one
  //    synced write: the commit point (its sync also covers the staged body, which is
  //    earlier in the same write-ahead log).
  // A crash between the two leaves a staged body past the head; open() removes it.
  Result<void> stage_body(const Block& block);
  Result<void> commit_header(const BlockHeader& header, const std::vector<std::pair<std::string, std::string>>& leaves);

  // Block 0: as commit(), and also records the chain id and the genesis block hash,
  // which Chain::open checks on every later start.
  Result<void> commit_genesis(const Block& block0, const StateDelta& delta, const std::string& chain_id);
  Result<void> commit_genesis(const Block& block0, const std::vector<std::pair<std::string, std::string>>& leaves,
                              const std::string& chain_id);
  // Part of block 0's state, written before commit_genesis (which may then carry no
  // leaves), so that a million-account genesis is not one write batch. Only while the
  // store has no head; not synced by itself: commit_genesis's synced write covers it.
  // Pieces that a crash leaves without a head are removed by open().
  Result<void> stage_genesis_state(const std::vector<std::pair<std::string, std::string>>& leaves);
  Result<std::optional<std::string>> chain_id() const;
  Result<std::optional<Hash32>> genesis_hash() const;
  // True once a write failed: every later write is refused.
  bool failed() const;

  std::optional<std::uint64_t> head_height() const;
  Result<std::optional<Block>> block_at(std::uint64_t height) const;
  Result<std::optional<std::string>> block_json_at(std::uint64_t height) const;
  Result<std::optional<std::uint64_t>> height_of(const Hash32& block_hash) const;
  Result<std::optional<IntentLocation>> locate_intent(const Hash32& id) const;
  // Loads every state leaf into a fresh State (startup).
  Result<void> load_state(State& state) const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Keeps buffers up to 32 MB in the heap and trims it only past 64 MB free (glibc
// mallopt), so that a block's large buffers reuse their pages instead of faulting in fresh
// ones each block. Process-wide and idempotent; Store::open calls it. Benchmarks that
// measure the node's work without a store call it to run under the node's allocator
// settings.
void keep_block_buffers_in_heap();

}  // namespace pactum
