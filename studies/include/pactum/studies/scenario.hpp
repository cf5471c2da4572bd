// `pactum scenario`: a reproducible workload, generated from a seed and settled through
// the real chain code (Mempool admission, matcher::settle, Chain::produce into RocksDB,
// RoomKeeper for the producer's room intents), in process. docs/MECHANISMS.md
// ("Reproducible studies") describes the model; the same seed and options give the same
// chain byte for byte (every block's JSON).
#pragma once
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include "pactum/intents/crypto.hpp"
#include "pactum/intents/result.hpp"

namespace pactum {
class Store;
}

namespace pactum::scenario {

struct Options {
  std::uint64_t seed = 0;
  std::string out;                          // the data directory to create (absent or empty)
  std::uint64_t blocks = 100;               // blocks after genesis (block 1 funds the agents)
  std::uint32_t agents = 48;                // 8 .. 4000
  std::optional<std::string> genesis_file;  // default: the embedded devnet genesis
  std::uint64_t block_interval_ms = 2000;   // timestamp of block h = genesis + h * interval
  bool quiet = false;                       // no progress lines
};

// Per intent kind: how many the agents submitted, how many the mempool refused, and the
// block receipts by status (an unfilled swap has one `unfilled` receipt per block that records it: as on a node,
// a block leaves out a carried order that stays unfilled when the result does not
// depend on it, so a pending order is counted once, not once per block it waits).
struct KindCounts {
  std::uint64_t submitted = 0, refused = 0, settled = 0, unfilled = 0, rejected = 0, cancelled = 0;
};

struct Summary {
  std::uint64_t blocks = 0;
  std::uint64_t intents = 0;  // in blocks, producer intents included
  std::map<std::string, KindCounts> kinds;
  std::map<std::string, std::uint64_t> refused_reasons;  // admission error codes
  std::uint64_t partial_fills = 0;                       // settled swaps that filled part of their size
  std::uint64_t two_sided_markets = 0;                   // (block, pair) with settled swaps in both directions
  std::uint64_t room_deals = 0, room_no_deals = 0;
  std::uint64_t expired = 0;  // left the mempool unsettled at valid_until
  Hash32 final_state_root;
  Hash32 head_hash;
  Hash32 block_hash_digest;  // SHA256 of every block hash (32 bytes each), block 0 first
  Hash32 export_sha256;      // SHA256 of what `pactum export` writes for this directory
};

// Creates `opts.out` and fills it; refuses an existing non-empty directory.
Result<Summary> run(const Options& opts, std::ostream& progress);
void print_summary(const Options& opts, const Summary& s, std::ostream& out);

// `pactum export`: every stored block's JSON (block 0 first), one per line, as the store
// holds it. Returns the number of blocks and the SHA256 of everything written.
struct ExportStats {
  std::uint64_t blocks = 0;
  Hash32 sha256;
};
class BlockSink {
 public:
  virtual ~BlockSink() = default;
  virtual void line(const std::string& block_json) = 0;
};
Result<ExportStats> export_blocks(const std::string& data_dir, BlockSink* sink);
Result<ExportStats> export_store(const Store& store, const std::string& data_dir, BlockSink* sink);

}  // namespace pactum::scenario
