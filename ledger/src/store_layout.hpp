// How the store lays the chain out in RocksDB: its column families, the keys of its
// metadata and the encodings of its keys. Shared by the store (store.cpp) and by the
// test seam that edits a stored block as a damaged disk would (ledger/testing/tamper.*).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>

#include <rocksdb/status.h>

#include "big_endian.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/result.hpp"

namespace pactum::store_layout {

enum Cf : std::size_t { kMeta = 0, kBlocks, kBlockIndex, kIntentIndex, kState, kHeaders, kCfCount };
inline const char* const kCfNames[kCfCount] = {"default", "blocks", "block_index", "intent_index", "state", "headers"};

inline const char* const kHeadKey = "head";
inline const char* const kChainIdKey = "chain_id";
inline const char* const kGenesisHashKey = "genesis_hash";
inline const char* const kBodyEndKey = "body_end";  // end of the last committed body in the body files

// Bodies from this size on go to the body files (body_files.hpp); smaller ones stay in
// RocksDB, where the commit point's one WAL sync covers them (a file would add a second
// sync per block, which costs more than it saves on a small block).
constexpr std::size_t kInlineBodyLimit = 64 << 10;

// Heights are 8-byte big-endian keys, so that key order is height order; an intent's
// location is its block's height key followed by its 4-byte big-endian index.
inline std::string key_of_height(std::uint64_t h) { return big_endian::u64(h); }
inline std::string raw(const Hash32& h) { return std::string(reinterpret_cast<const char*>(h.bytes.data()), 32); }

// A stored block is two values: the header's members (headers family) and the rest, the
// body (blocks family).
inline bool is_header_member(const std::string& name) {
  static const char* const kNames[] = {"height",        "parent",   "timestamp", "state_root", "intents_root",
                                       "receipts_root", "producer", "hash",      "sig"};
  return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* n) { return name == n; });
}

inline Error storage_error(const std::string& what, const rocksdb::Status& st) {
  return make_error(Errc::storage, what + ": " + st.ToString());
}

}  // namespace pactum::store_layout
