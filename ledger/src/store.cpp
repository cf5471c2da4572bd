// The chain in RocksDB: one synced WriteBatch per block (see store.hpp).
#include "pactum/ledger/store.hpp"
#include "pactum/ledger/cores.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include <malloc.h>

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "block_text.hpp"
#include "body_files.hpp"
#include "store_layout.hpp"

namespace pactum {

using namespace store_layout;
using block_text::encode_body;
using block_text::join_objects;

namespace {

// A large block moves several buffers of megabytes through the heap each time: the
// body text, its WriteBatch, RocksDB's memtable arena blocks and flush buffers. With
// glibc's defaults (a dynamic mmap threshold, and the heap trimmed as soon as a few MB
// are free at its top) most of them are fresh pages every block: about 2,000 page
// faults per 10,000-intent block, a visible share of its CPU on this VM. Keeping
// buffers up to 32 MB in the heap and trimming only past 64 MB of free top space
// reuses the same pages block after block (about 700 faults per block remain).
// A heap grows 16 MB at a time rather than by what one allocation lacks: each growth
// of a thread's heap is an mprotect call, costly on this VM (1,400 calls for 20,000
// submitted intents; 360 with the pad). Address space only: pages become resident
// when they are used.
// Process-wide; set once by the first store opened (replay and analyze re-settle the
// same large blocks, so read-only stores set it too). Startup still returns its
// transients explicitly (malloc_trim in chain.cpp), so the steady-state resident size
// is unchanged.
}  // namespace

void keep_block_buffers_in_heap() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
  });
}

struct Store::Impl {
  std::string dir;
  bool read_only = false;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  std::unique_ptr<BodyFiles> bodies;
  std::optional<BodyEnd> staged_body_end;      // set by a staged body that went to a file
  std::optional<std::uint64_t> staged_height;  // phase 1 done for this height
  std::optional<Error> failure;                // set by the first failed write

  ~Impl() {
    if (db) {
      for (auto* h : cfs) db->DestroyColumnFamilyHandle(h);
    }
  }

  Result<std::optional<std::string>> get(Cf cf, const std::string& key) const {
    std::string value;
    auto st = db->Get(rocksdb::ReadOptions(), cfs[cf], key, &value);
    if (st.IsNotFound()) return std::optional<std::string>();
    if (!st.ok()) return storage_error("read failed in " + dir, st);
    return std::optional<std::string>(std::move(value));
  }

  // A body as stored in the blocks column family: inline JSON, or a body file locator.
  Result<std::string> body_text(std::string stored) const {
    const auto at = BodyLocator::decode(stored);
    if (!at) return stored;
    return bodies->read(*at);
  }

  Result<void> writable() const {
    if (read_only) return make_error(Errc::storage, "store at " + dir + " is open read-only");
    if (failure) {
      return make_error(Errc::storage, "store refuses writes after an earlier failure: " + failure->message);
    }
    return {};
  }

  Result<void> next_in_sequence(std::uint64_t h) const {
    auto head = head_height();
    const bool in_sequence = head ? h == *head + 1 : h == 0;
    if (in_sequence) return {};
    return make_error(Errc::internal, "block " + std::to_string(h) + " does not follow the stored head " +
                                          (head ? std::to_string(*head) : std::string("(none)")));
  }

  Result<void> put(rocksdb::WriteBatch& batch, bool sync, const std::string& what) {
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    auto st = db->Write(wo, &batch);
    if (!st.ok()) {
      failure = storage_error(what + " in " + dir + " failed", st);
      return *failure;
    }
    return {};
  }

  // What the blocks column family gets for a body: the body itself, or the locator of
  // its copy in the body files (then also where the files' committed end will be).
  struct StoredBody {
    std::string value;
    std::optional<BodyEnd> file_end;
  };

  // Encodes the body. A small one stays whole (inline); once the text passes
  // kInlineBodyLimit it goes to the body file in pieces of about 1 MiB as it is encoded,
  // and is synced before this returns.
  Result<StoredBody> store_body(const Block& block) {
    constexpr std::size_t kPiece = 1 << 20;
    std::string text;
    text.reserve(std::min<std::size_t>(kPiece + (64 << 10), block.intents.size() * 900 + 4096));
    bool to_file = false;
    std::optional<Error> failed;
    auto drain = [&](std::string& out) {
      if (failed || out.size() < (to_file ? kPiece : kInlineBodyLimit)) return;
      to_file = true;
      if (auto r = bodies->append_piece(out); !r) failed = r.error();
      out.clear();
    };
    encode_body(block, text, drain);
    if (failed) return *failed;
    if (!to_file && text.size() < kInlineBodyLimit) return StoredBody{std::move(text), std::nullopt};
    PACTUM_TRY(bodies->append_piece(text));
    PACTUM_ASSIGN(at, bodies->finish_append());
    return StoredBody{at.encode(), BodyEnd{at.segment, at.end(), 0}};
  }

  // Phase 1: the body and the intent index, not synced and not visible (every read
  // stops at the head, which has not moved).
  Result<void> stage_body(const Block& block) {
    PACTUM_TRY(writable());
    const std::uint64_t h = block.header.height;
    PACTUM_TRY(next_in_sequence(h));
    // The body and the index entries are independent: on a large block, encode the body
    // (and write it to its file) on a second thread meanwhile.
    Result<StoredBody> body = make_error(Errc::internal, "body not written");
    std::thread encoder;
    const bool large = block.intents.size() >= kLargeBlockIntents && core_count() > 1;
    if (large) {
      encoder = std::thread([&] { body = store_body(block); });
    } else {
      body = store_body(block);
    }
    rocksdb::WriteBatch batch;
    const std::string height_key = key_of_height(h);
    // Key order makes the memtable inserts cheap.
    std::vector<std::pair<std::string, std::uint32_t>> ids;
    ids.reserve(block.intents.size());
    for (std::size_t i = 0; i < block.intents.size(); ++i) ids.emplace_back(raw(block.intents[i].id), i);
    std::sort(ids.begin(), ids.end());
    for (const auto& [id, index] : ids) batch.Put(cfs[kIntentIndex], id, height_key + big_endian::u32(index));
    if (encoder.joinable()) encoder.join();
    if (!body) {
      failure = make_error(Errc::storage, "staging block " + std::to_string(h) + " failed: " + body.error().message);
      return *failure;
    }
    batch.Put(cfs[kBlocks], height_key, body->value);
    PACTUM_TRY(put(batch, /*sync=*/false, "staging block " + std::to_string(h)));
    staged_height = h;
    staged_body_end = body->file_end;
    return {};
  }

  // Phase 2, the commit point: header, block index, state leaves and head, synced. The
  // sync also makes the staged body durable (it is earlier in the same write-ahead log).
  Result<void> commit_header(const BlockHeader& header, const std::vector<std::pair<std::string, std::string>>& leaves,
                             const std::string* chain_id) {
    PACTUM_TRY(writable());
    const std::uint64_t h = header.height;
    PACTUM_TRY(next_in_sequence(h));
    if (staged_height != h) {
      return make_error(Errc::internal, "block " + std::to_string(h) + " was not staged before its header");
    }
    rocksdb::WriteBatch batch;
    const Hash32 hash = header.hash();
    const std::string height_key = key_of_height(h);
    batch.Put(cfs[kHeaders], height_key, header.to_json().dump());
    batch.Put(cfs[kBlockIndex], raw(hash), height_key);
    for (const auto& [key, value] : leaves) batch.Put(cfs[kState], key, value);  // key order
    if (chain_id != nullptr) {
      batch.Put(cfs[kMeta], kChainIdKey, *chain_id);
      batch.Put(cfs[kMeta], kGenesisHashKey, raw(hash));
    }
    if (staged_body_end) batch.Put(cfs[kMeta], kBodyEndKey, staged_body_end->encode());
    batch.Put(cfs[kMeta], kHeadKey, height_key);
    PACTUM_TRY(put(batch, /*sync=*/true, "writing block " + std::to_string(h)));
    head.store(static_cast<std::int64_t>(h), std::memory_order_release);
    staged_height.reset();
    staged_body_end.reset();
    return {};
  }

  Result<void> write(const Block& block, const std::vector<std::pair<std::string, std::string>>& leaves,
                     const std::string* chain_id) {
    PACTUM_TRY(stage_body(block));
    return commit_header(block.header, leaves, chain_id);
  }

  // Genesis state pieces (stage_genesis_state) that a crash left before block 0's commit:
  // a store without a head holds no state, so that block 0 is written on a clean slate,
  // even from another genesis file.
  Result<void> drop_headless_state() {
    if (head_height()) return {};
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cfs[kState]));
    it->SeekToFirst();
    if (!it->Valid()) return {};
    it->SeekToLast();
    const std::string end = it->key().ToString() + '\0';  // just past the last key
    it.reset();
    rocksdb::WriteBatch batch;
    batch.DeleteRange(cfs[kState], rocksdb::Slice(), end);
    return put(batch, /*sync=*/true, "removing an unfinished genesis state");
  }

  Result<void> stage_genesis_state(const std::vector<std::pair<std::string, std::string>>& leaves) {
    PACTUM_TRY(writable());
    if (head_height()) return make_error(Errc::internal, "genesis state staged into a store that has blocks");
    rocksdb::WriteBatch batch;
    for (const auto& [key, value] : leaves) batch.Put(cfs[kState], key, value);
    return put(batch, /*sync=*/false, "writing the genesis state");
  }

  // A body staged past the head is what a crash between the two phases leaves: remove it
  // and the index entries that point at it (a later block at that height may hold other
  // intents).
  Result<void> drop_unfinished() {
    const auto head = head_height();
    const std::uint64_t first = head ? *head + 1 : 0;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cfs[kBlocks]));
    rocksdb::WriteBatch batch;
    for (it->Seek(key_of_height(first)); it->Valid(); it->Next()) {
      const std::string height_key = it->key().ToString();
      auto text = body_text(it->value().ToString());
      nlohmann::json body = text ? nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false) : nlohmann::json();
      if (body.is_object() && body.contains("intents") && body["intents"].is_array()) {
        for (const auto& in : body["intents"]) {
          auto decoded = decode_intent(in);
          if (!decoded) continue;
          std::string loc;
          auto st = db->Get(rocksdb::ReadOptions(), cfs[kIntentIndex], raw(decoded->id), &loc);
          if (st.ok() && loc.size() == 12 && loc.compare(0, 8, height_key) == 0) {
            batch.Delete(cfs[kIntentIndex], raw(decoded->id));
          }
        }
      }
      batch.Delete(cfs[kBlocks], height_key);
    }
    if (!it->status().ok()) return storage_error("scanning for an unfinished block in " + dir, it->status());
    if (batch.Count() == 0) return {};
    return put(batch, /*sync=*/true, "removing an unfinished block");
  }

  // Cuts the body files back to the end of the last committed body: what is past it
  // belongs to a block that never reached its commit point.
  Result<void> trim_body_files() {
    PACTUM_ASSIGN(stored, get(kMeta, kBodyEndKey));
    std::optional<BodyEnd> end;
    if (stored) {
      end = BodyLocator::decode(*stored);
      if (!end) return make_error(Errc::storage, "stored end of the block body files is malformed in " + dir);
    }
    return bodies->truncate_to(end);
  }

  // Every read checks the head (nothing past it is visible) and admission reads it once
  // per intent: it is kept in memory, read from disk once at open and set by each commit
  // point. (A read-only store sees the disk as of its open anyway.) -1: no block yet.
  std::atomic<std::int64_t> head{-1};

  std::optional<std::uint64_t> head_height() const {
    const std::int64_t h = head.load(std::memory_order_acquire);
    if (h < 0) return std::nullopt;
    return static_cast<std::uint64_t>(h);
  }

  void load_head() {
    auto v = get(kMeta, kHeadKey);
    if (v && *v && (*v)->size() == 8)
      head.store(static_cast<std::int64_t>(big_endian::read(**v)), std::memory_order_release);
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::string& dir, bool read_only, rocksdb::Env* env) {
  keep_block_buffers_in_heap();
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->read_only = read_only;

  rocksdb::Options options;
  if (env != nullptr) options.env = env;
  options.create_if_missing = !read_only;
  options.create_missing_column_families = !read_only;
  options.max_open_files = 512;
  options.write_buffer_size = 16 << 20;  // a small memtable keeps skiplist inserts cache-friendly
  // Sync the WAL in the background as it grows, so that the commit's fsync finds little
  // left to write (a 10,000-intent block is ~8 MB of WAL).
  options.wal_bytes_per_sync = 1 << 20;
  // The state leaves are only ever read by a full scan at startup (load_state), never by
  // point lookups: a vector memtable appends them instead of inserting 30,000 keys per
  // block into a skiplist (it sorts once, at flush). It needs single-threaded memtable
  // writes, which is what the one block producer does anyway.
  options.allow_concurrent_memtable_write = false;
  // Table checksums in XXH3: this Debian build of RocksDB has no hardware CRC32C, and
  // flushing ~10 MB per large block is otherwise a visible share of a core.
  rocksdb::BlockBasedTableOptions tables;
  tables.checksum = rocksdb::kXXH3;
  rocksdb::BlockBasedTableOptions lookups = tables;  // every submitted intent is looked up (and missed)
  lookups.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (std::size_t cf = 0; cf < kCfCount; ++cf) {
    rocksdb::ColumnFamilyOptions cf_options(options);
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(cf == kIntentIndex ? lookups : tables));
    // Ids, hashes and amounts do not compress; block JSON does, and LZ4 is the cheapest.
    cf_options.compression = (cf == kBlocks || cf == kHeaders) ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
    if (cf == kState) cf_options.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
    // Ids are random: an insert into a large skiplist is a cache miss per level. With a
    // small memtable a 10,000-intent block indexes in a third of the time (the flushes
    // are sequential writes in the background, and the bloom filters keep lookups cheap).
    if (cf == kIntentIndex) {
      cf_options.write_buffer_size = 2 << 20;
      // Admission looks up every new id and misses: a bloom filter on the memtable too
      // answers most misses without a skiplist search.
      cf_options.memtable_whole_key_filtering = true;
      cf_options.memtable_prefix_bloom_size_ratio = 0.1;
      // A block's ids go in sorted (stage_body sorts them). A plain skiplist insert only
      // reuses its last position when the new key is the very next one, and otherwise
      // searches from the top (about 125 key comparisons per id here); with an insert
      // hint (one, for the empty prefix of every key) it walks up from the last position
      // only as far as needed: a few comparisons per id. Memtable only: nothing on disk
      // changes.
      cf_options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(0));
    }
    descriptors.emplace_back(kCfNames[cf], cf_options);
  }

  rocksdb::DB* db = nullptr;
  rocksdb::Status st;
  if (read_only) {
    // Does not take the lock: works while a node has the directory open.
    st = rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &impl->cfs, &db);
  } else {
    st = rocksdb::DB::Open(options, dir, descriptors, &impl->cfs, &db);
  }
  if (!st.ok()) {
    if (read_only && st.IsPathNotFound())
      return make_error(Errc::storage, "no chain data at " + dir + ": " + st.ToString());
    return storage_error("cannot open the chain database at " + dir, st);
  }
  impl->db.reset(db);
  impl->load_head();
  auto bodies = BodyFiles::open(dir, read_only);
  if (!bodies) return bodies.error();
  impl->bodies = std::move(*bodies);
  if (!read_only) {
    PACTUM_TRY(impl->drop_unfinished());
    PACTUM_TRY(impl->trim_body_files());
    PACTUM_TRY(impl->drop_headless_state());
  }

  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Result<void> Store::commit(const Block& block, const StateDelta& delta) {
  return impl_->write(block, delta.leaves(), nullptr);
}

Result<void> Store::commit(const Block& block, const std::vector<std::pair<std::string, std::string>>& leaves) {
  return impl_->write(block, leaves, nullptr);
}

Result<void> Store::stage_body(const Block& block) { return impl_->stage_body(block); }

Result<void> Store::commit_header(const BlockHeader& header,
                                  const std::vector<std::pair<std::string, std::string>>& leaves) {
  return impl_->commit_header(header, leaves, nullptr);
}

Result<void> Store::commit_genesis(const Block& block0, const StateDelta& delta, const std::string& chain_id) {
  return commit_genesis(block0, delta.leaves(), chain_id);
}

Result<void> Store::stage_genesis_state(const std::vector<std::pair<std::string, std::string>>& leaves) {
  return impl_->stage_genesis_state(leaves);
}

Result<void> Store::commit_genesis(const Block& block0, const std::vector<std::pair<std::string, std::string>>& leaves,
                                   const std::string& chain_id) {
  return impl_->write(block0, leaves, &chain_id);
}

Result<std::optional<std::string>> Store::chain_id() const { return impl_->get(kMeta, kChainIdKey); }

Result<std::optional<Hash32>> Store::genesis_hash() const {
  PACTUM_ASSIGN(v, impl_->get(kMeta, kGenesisHashKey));
  if (!v) return std::optional<Hash32>();
  if ((v)->size() != 32) return make_error(Errc::storage, "stored genesis hash is malformed");
  Hash32 h;
  std::copy((v)->begin(), (v)->end(), h.bytes.begin());
  return std::optional<Hash32>(h);
}

bool Store::failed() const { return impl_->failure.has_value(); }

std::optional<std::uint64_t> Store::head_height() const { return impl_->head_height(); }

Result<std::optional<std::string>> Store::block_json_at(std::uint64_t height) const {
  const auto head = head_height();
  if (!head || height > *head) return std::optional<std::string>();  // nothing past the commit point
  PACTUM_ASSIGN(header, impl_->get(kHeaders, key_of_height(height)));
  PACTUM_ASSIGN(body, impl_->get(kBlocks, key_of_height(height)));
  if (!header || !body) {
    return make_error(Errc::storage, "block " + std::to_string(height) + " is incomplete in " + impl_->dir);
  }
  PACTUM_ASSIGN(text, impl_->body_text(std::move(*body)));
  return std::optional<std::string>(join_objects(*header, text));
}

Result<std::optional<Block>> Store::block_at(std::uint64_t height) const {
  PACTUM_ASSIGN(text, block_json_at(height));
  if (!text) return std::optional<Block>();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return make_error(Errc::storage, "stored block " + std::to_string(height) + " is not valid JSON");
  auto b = Block::from_json(j);
  if (!b) {
    return make_error(Errc::storage,
                      "stored block " + std::to_string(height) + " does not decode: " + b.error().message,
                      b.error().field);
  }
  return std::optional<Block>(std::move(*b));
}

Result<std::optional<std::uint64_t>> Store::height_of(const Hash32& block_hash) const {
  PACTUM_ASSIGN(v, impl_->get(kBlockIndex, raw(block_hash)));
  if (!v) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(big_endian::read(*v));
}

Result<std::optional<IntentLocation>> Store::locate_intent(const Hash32& id) const {
  PACTUM_ASSIGN(v, impl_->get(kIntentIndex, raw(id)));
  if (!v) return std::optional<IntentLocation>();
  if ((v)->size() != 12) return make_error(Errc::storage, "intent index entry is malformed");
  const std::string_view s = *v;
  const IntentLocation loc{big_endian::read(s.substr(0, 8)),
                           static_cast<std::uint32_t>(big_endian::read(s.substr(8, 4)))};
  const auto head = head_height();
  if (!head || loc.height > *head) return std::optional<IntentLocation>();  // staged, not committed
  return std::optional<IntentLocation>(loc);
}

Result<void> Store::load_state(State& state) const {
  // Applied in chunks so that loading a large state does not hold a second full copy.
  constexpr std::size_t kChunk = 65536;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cfs[kState]));
  StateDelta chunk;
  std::size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    PACTUM_TRY(add_leaf_to_delta(std::string_view(it->key().data(), it->key().size()),
                                 std::string_view(it->value().data(), it->value().size()), chunk));
    if (++n == kChunk) {
      state.apply(chunk);
      chunk = StateDelta();
      n = 0;
    }
  }
  if (!it->status().ok()) return storage_error("reading the state from " + impl_->dir + " failed", it->status());
  state.apply(chunk);
  return {};
}

}  // namespace pactum
