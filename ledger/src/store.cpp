// The chain in RocksDB: one synced WriteBatch per block (see store.hpp).
#include "pactum/ledger/store.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

namespace pactum {

namespace {

enum Cf : std::size_t { kMeta = 0, kBlocks, kBlockIndex, kIntentIndex, kState, kCfCount };
const char* const kCfNames[kCfCount] = {"default", "blocks", "block_index",
                                        "intent_index", "state"};

const char* const kHeadKey = "head";
const char* const kChainIdKey = "chain_id";
const char* const kGenesisHashKey = "genesis_hash";

std::string be64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) s[i] = static_cast<char>(v & 0xff);
  return s;
}
std::string be32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i, v >>= 8) s[i] = static_cast<char>(v & 0xff);
  return s;
}
std::uint64_t from_be(std::string_view s) {
  std::uint64_t v = 0;
  for (unsigned char c : s) v = (v << 8) | c;
  return v;
}
std::string raw(const Hash32& h) { return std::string(reinterpret_cast<const char*>(h.bytes.data()), 32); }

Error storage_error(const std::string& what, const rocksdb::Status& st) {
  return make_error(Errc::storage, what + ": " + st.ToString());
}

// Appends a JSON string. Printable ASCII without quote or backslash is copied as is;
// anything else goes through nlohmann's escaper (control characters, UTF-8 checks).
void append_json_string(std::string& out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
  });
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += nlohmann::json(std::string(s)).dump();
  }
}

// One receipt as Receipt::to_json() would dump it (members in the same sorted order),
// without building a json object per receipt: 10,000 of them per block.
void append_receipt(std::string& out, const Receipt& r) {
  out += "{\"bought\":\"";
  out += amount_to_string(r.bought);
  out += "\",\"bought_asset\":";
  append_json_string(out, r.bought_asset);
  out += ",\"intent\":\"";
  out += r.intent.hex();
  out += "\",\"message\":";
  append_json_string(out, r.message);
  out += ",\"partial_fill\":";
  out += r.partial_fill ? "true" : "false";
  if (r.price) {
    out += ",\"price\":{\"base\":";
    append_json_string(out, r.price->base);
    out += ",\"den\":\"";
    out += r.price->den.str();
    out += "\",\"num\":\"";
    out += r.price->num.str();
    out += "\",\"quote\":";
    append_json_string(out, r.price->quote);
    out += '}';
  }
  out += ",\"reason\":";
  append_json_string(out, r.reason);
  out += ",\"sold\":\"";
  out += amount_to_string(r.sold);
  out += "\",\"sold_asset\":";
  append_json_string(out, r.sold_asset);
  out += ",\"status\":";
  append_json_string(out, receipt_status_name(r.status));
  out += '}';
}

// The stored text of a block: the same JSON value as Block::to_json(), but intents are
// written from their canonical bytes plus "sig" instead of being parsed and re-dumped,
// and receipts are written directly (together the costly part of a 10,000-intent
// block). Member order inside intents differs from dump()'s; readers parse the JSON, so
// only the value matters (store_test checks the value against Block::to_json()).
std::string encode_block(const Block& block) {
  nlohmann::json shell = block.header.to_json();
  shell["prices"] = nlohmann::json::array();
  for (const auto& p : block.prices) shell["prices"].push_back(p.to_json());
  std::string out = shell.dump();
  out.pop_back();  // the closing brace: append "intents" and "receipts" after the other members
  out.reserve(out.size() + block.intents.size() * 900);
  out += ",\"intents\":[";
  for (std::size_t i = 0; i < block.intents.size(); ++i) {
    const Intent& in = block.intents[i];
    if (i > 0) out += ',';
    out.append(in.canonical, 0, in.canonical.size() - 1);  // "{...}" without its "}"
    out += ",\"sig\":\"";
    out += in.sig.hex();
    out += "\"}";
  }
  out += "],\"receipts\":[";
  for (std::size_t i = 0; i < block.receipts.size(); ++i) {
    if (i > 0) out += ',';
    append_receipt(out, block.receipts[i]);
  }
  out += "]}";
  return out;
}

}  // namespace

struct Store::Impl {
  std::string dir;
  bool read_only = false;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  int fail_after = -1;          // commits left before the simulated failure; < 0: never
  std::optional<Error> failure;  // set by the first failed write

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

  Result<void> write(const Block& block, const StateDelta& delta, const std::string* chain_id) {
    if (read_only) return make_error(Errc::storage, "store at " + dir + " is open read-only");
    if (failure) {
      return make_error(Errc::storage, "store refuses writes after an earlier failure: " + failure->message);
    }
    const std::uint64_t h = block.header.height;
    auto head = head_height();
    const bool in_sequence = head ? h == *head + 1 : h == 0;
    if (!in_sequence) {
      return make_error(Errc::internal, "block " + std::to_string(h) + " does not follow the stored head " +
                                            (head ? std::to_string(*head) : std::string("(none)")));
    }
    if (fail_after == 0) {
      failure = make_error(Errc::storage, "simulated storage failure (fail_commits_after / PACTUM_FAIL_COMMIT_AFTER)");
      return *failure;
    }

    // The block text (JSON of every receipt) and the index and leaf entries are
    // independent: on a large block, encode the block on a second thread meanwhile.
    std::string block_text;
    std::thread encoder;
    const bool large = block.intents.size() >= 1024 && std::thread::hardware_concurrency() > 1;
    if (large) {
      encoder = std::thread([&] { block_text = encode_block(block); });
    } else {
      block_text = encode_block(block);
    }

    rocksdb::WriteBatch batch;
    const Hash32 hash = block.header.hash();
    const std::string height_key = be64(h);
    batch.Put(cfs[kBlockIndex], raw(hash), height_key);
    // Key order makes the memtable inserts cheap (state leaves() are sorted already).
    std::vector<std::pair<std::string, std::uint32_t>> ids;
    ids.reserve(block.intents.size());
    for (std::size_t i = 0; i < block.intents.size(); ++i) ids.emplace_back(raw(block.intents[i].id), i);
    std::sort(ids.begin(), ids.end());
    for (const auto& [id, index] : ids) batch.Put(cfs[kIntentIndex], id, height_key + be32(index));
    for (const auto& [key, value] : delta.leaves()) batch.Put(cfs[kState], key, value);
    if (chain_id != nullptr) {
      batch.Put(cfs[kMeta], kChainIdKey, *chain_id);
      batch.Put(cfs[kMeta], kGenesisHashKey, raw(hash));
    }
    batch.Put(cfs[kMeta], kHeadKey, height_key);
    if (encoder.joinable()) encoder.join();
    batch.Put(cfs[kBlocks], height_key, block_text);

    rocksdb::WriteOptions wo;
    wo.sync = true;  // durable before commit returns: a crash keeps this block
    auto st = db->Write(wo, &batch);
    if (!st.ok()) {
      failure = storage_error("writing block " + std::to_string(h) + " to " + dir + " failed", st);
      return *failure;
    }
    if (fail_after > 0) --fail_after;
    return {};
  }

  std::optional<std::uint64_t> head_height() const {
    auto v = get(kMeta, kHeadKey);
    if (!v || !*v || (*v)->size() != 8) return std::nullopt;
    return from_be(**v);
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const std::string& dir, bool read_only) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->read_only = read_only;

  rocksdb::Options options;
  options.create_if_missing = !read_only;
  options.create_missing_column_families = !read_only;
  options.max_open_files = 512;
  options.write_buffer_size = 16 << 20;  // a small memtable keeps skiplist inserts cache-friendly
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kCfNames) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions(options));

  rocksdb::DB* db = nullptr;
  rocksdb::Status st;
  if (read_only) {
    // Does not take the lock: works while a node has the directory open.
    st = rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &impl->cfs, &db);
  } else {
    st = rocksdb::DB::Open(options, dir, descriptors, &impl->cfs, &db);
  }
  if (!st.ok()) {
    if (read_only && st.IsPathNotFound()) return make_error(Errc::storage, "no chain data at " + dir + ": " + st.ToString());
    return storage_error("cannot open the chain database at " + dir, st);
  }
  impl->db.reset(db);

  if (const char* env = std::getenv("PACTUM_FAIL_COMMIT_AFTER"); env != nullptr && *env != '\0') {
    impl->fail_after = std::atoi(env);
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Result<void> Store::commit(const Block& block, const StateDelta& delta) {
  return impl_->write(block, delta, nullptr);
}

Result<void> Store::commit_genesis(const Block& block0, const StateDelta& delta, const std::string& chain_id) {
  return impl_->write(block0, delta, &chain_id);
}

Result<std::optional<std::string>> Store::chain_id() const { return impl_->get(kMeta, kChainIdKey); }

Result<std::optional<Hash32>> Store::genesis_hash() const {
  auto v = impl_->get(kMeta, kGenesisHashKey);
  if (!v) return v.error();
  if (!*v) return std::optional<Hash32>();
  if ((*v)->size() != 32) return make_error(Errc::storage, "stored genesis hash is malformed");
  Hash32 h;
  std::copy((*v)->begin(), (*v)->end(), h.bytes.begin());
  return std::optional<Hash32>(h);
}

bool Store::failed() const { return impl_->failure.has_value(); }

std::optional<std::uint64_t> Store::head_height() const { return impl_->head_height(); }

Result<std::optional<std::string>> Store::block_json_at(std::uint64_t height) const {
  return impl_->get(kBlocks, be64(height));
}

Result<std::optional<Block>> Store::block_at(std::uint64_t height) const {
  auto text = block_json_at(height);
  if (!text) return text.error();
  if (!*text) return std::optional<Block>();
  nlohmann::json j = nlohmann::json::parse(**text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(Errc::storage, "stored block " + std::to_string(height) + " is not valid JSON");
  auto b = Block::from_json(j);
  if (!b) {
    return make_error(Errc::storage, "stored block " + std::to_string(height) + " does not decode: " + b.error().message,
                      b.error().field);
  }
  return std::optional<Block>(std::move(*b));
}

Result<std::optional<std::uint64_t>> Store::height_of(const Hash32& block_hash) const {
  auto v = impl_->get(kBlockIndex, raw(block_hash));
  if (!v) return v.error();
  if (!*v) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(from_be(**v));
}

Result<std::optional<IntentLocation>> Store::locate_intent(const Hash32& id) const {
  auto v = impl_->get(kIntentIndex, raw(id));
  if (!v) return v.error();
  if (!*v) return std::optional<IntentLocation>();
  if ((*v)->size() != 12) return make_error(Errc::storage, "intent index entry is malformed");
  const std::string_view s = **v;
  return std::optional<IntentLocation>(
      IntentLocation{from_be(s.substr(0, 8)), static_cast<std::uint32_t>(from_be(s.substr(8, 4)))});
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

void Store::fail_commits_after(int n) { impl_->fail_after = n; }

Result<void> Store::overwrite_block_json_for_test(std::uint64_t height, const std::string& json) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  auto st = impl_->db->Put(wo, impl_->cfs[kBlocks], be64(height), json);
  if (!st.ok()) return storage_error("test overwrite failed", st);
  return {};
}

}  // namespace pactum
