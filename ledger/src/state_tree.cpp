// Compressed sparse Merkle tree over SHA256(key) paths. See state_tree.hpp for the rules.
//
// Representation: a child "slot" is a tagged word: 0 = empty subtree, low bit 1 = leaf,
// otherwise an internal node. An internal node whose cached hash is all zero is dirty
// (a real node hash is zero with probability 2^-256), which saves a flag per node.
#include "pactum/ledger/state_tree.hpp"
#include "pactum/ledger/cores.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#include <openssl/sha.h>
#include <boost/endian/conversion.hpp>

#include "pactum/intents/field_reader.hpp"

namespace pactum {

namespace {

// The tree's hashes are all of short fixed-size messages: SHA256(key), SHA256(value)
// (almost always under 56 bytes: one block), and tagged hashes of exactly 64 bytes
// (two blocks after the cached tag prefix: the data and a constant padding block).
// They are computed here on whole blocks with SHA256_Transform, the block function
// that SHA256_Update/Final call (SHA-NI where the CPU has it), which skips the
// buffering, padding and cleansing of Update/Final: the same digests, a third fewer
// instructions per hash. A node's hash is a pure function of its bytes, so the tree
// and every root are unchanged (the state tree tests pin roots and proofs).
inline void store_digest(const SHA256_CTX& c, Hash32& out) {
  for (int i = 0; i < 8; ++i)
    boost::endian::store_big_u32(out.bytes.data() + 4 * i, static_cast<std::uint32_t>(c.h[i]));
}

// SHA-256 of any message, whole blocks through the block function.
Hash32 plain_sha256(std::string_view data) {
  SHA256_CTX c;
  SHA256_Init(&c);
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t left = data.size();
  for (; left >= 64; left -= 64, p += 64) SHA256_Transform(&c, p);
  unsigned char tail[128] = {};
  std::memcpy(tail, p, left);
  tail[left] = 0x80;
  const std::size_t tail_size = left + 9 <= 64 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  SHA256_Transform(&c, tail);
  if (tail_size == 128) SHA256_Transform(&c, tail + 64);
  Hash32 h;
  store_digest(c, h);
  return h;
}

// Tagged hash (BIP-340 style: SHA256(SHA256(tag) || SHA256(tag) || a || b)) of two
// 32-byte values.
class Tagged64 {
 public:
  explicit Tagged64(std::string_view tag) {
    const Hash32 t = plain_sha256(tag);
    unsigned char twice[64];
    std::memcpy(twice, t.bytes.data(), 32);
    std::memcpy(twice + 32, t.bytes.data(), 32);
    SHA256_Init(&prefix_);
    SHA256_Transform(&prefix_, twice);
    // Padding of a 128-byte message: 0x80, zeros, the bit length 1024 big-endian.
    pad_[0] = 0x80;
    pad_[62] = 0x04;
  }
  Hash32 operator()(const Hash32& a, const Hash32& b) const {
    SHA256_CTX c;
    std::memcpy(c.h, prefix_.h, sizeof c.h);
    unsigned char block[64];
    std::memcpy(block, a.bytes.data(), 32);
    std::memcpy(block + 32, b.bytes.data(), 32);
    SHA256_Transform(&c, block);
    SHA256_Transform(&c, pad_);
    Hash32 h;
    store_digest(c, h);
    return h;
  }

 private:
  SHA256_CTX prefix_;  // state after the 64-byte tag prefix
  unsigned char pad_[64] = {};
};

const Tagged64& leaf_hasher() {
  static const Tagged64 h("pactum/state/leaf");
  return h;
}
const Tagged64& node_hasher() {
  static const Tagged64 h("pactum/state/node");
  return h;
}

// Hash32::is_zero() compares byte by byte; this is the hot "is this node dirty?" test.
inline bool all_zero(const Hash32& h) {
  std::uint64_t w[4];
  std::memcpy(w, h.bytes.data(), 32);
  return (w[0] | w[1] | w[2] | w[3]) == 0;
}

inline int path_bit(const Hash32& path, unsigned depth) { return (path.bytes[depth / 8] >> (7 - depth % 8)) & 1; }

// Grows in chunks; never frees single objects (the tree never removes nodes).
template <class T>
class Arena {
 public:
  T* make() {
    if (used_ == cap_) {
      cap_ = std::min<std::size_t>(cap_ == 0 ? 64 : cap_ * 2, 16384);
      chunks_.push_back(std::make_unique<T[]>(cap_));
      used_ = 0;
    }
    return &chunks_.back()[used_++];
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t used_ = 0;
  std::size_t cap_ = 0;
};

}  // namespace

Hash32 state_leaf_hash(const Hash32& path, const Hash32& value_hash) { return leaf_hasher()(path, value_hash); }

Hash32 state_node_hash(const Hash32& left, const Hash32& right) { return node_hasher()(left, right); }

struct StateTree::Impl {
  using Slot = std::uintptr_t;
  struct Internal {
    Hash32 hash;  // zero = dirty
    Slot child[2] = {0, 0};
  };
  struct Leaf {
    Hash32 path;
    Hash32 value_hash;
    // Cached state_leaf_hash(path, value_hash); zero = not computed since the last put.
    // Saves rehashing an unchanged leaf whose sibling changed (about one per update).
    Hash32 hash;
  };

  // Two arena sets: put_many inserts the two halves of the tree (path bit 0 = 0 / 1)
  // on two threads, each allocating from its own set.
  struct Arenas {
    Arena<Internal> internals;
    Arena<Leaf> leaves;
  };
  Arenas arenas[2];
  Slot root = 0;
  std::size_t puts_since_root = 0;

  static bool is_leaf(Slot s) { return (s & 1) != 0; }
  static Leaf* as_leaf(Slot s) { return reinterpret_cast<Leaf*>(s & ~Slot{1}); }
  static Internal* as_internal(Slot s) { return reinterpret_cast<Internal*>(s); }
  static Slot tag(Leaf* l) { return reinterpret_cast<Slot>(l) | 1; }
  static Slot tag(Internal* n) { return reinterpret_cast<Slot>(n); }

  // Returns true when a new leaf was inserted (false: an existing leaf was updated).
  bool put(const Hash32& path, const Hash32& value_hash) {
    ++puts_since_root;
    return put_below(&root, 0, path, value_hash, arenas[0]);
  }

  // Inserts below `slot`, which sits at `depth` on `path`'s way down. Touches only that
  // subtree and `mem`, so disjoint subtrees can be filled concurrently.
  static bool put_below(Slot* slot, unsigned depth, const Hash32& path, const Hash32& value_hash, Arenas& mem) {
    for (;;) {
      if (*slot == 0) {
        Leaf* l = mem.leaves.make();
        l->path = path;
        l->value_hash = value_hash;
        *slot = tag(l);
        return true;
      }
      if (is_leaf(*slot)) {
        Leaf* old = as_leaf(*slot);
        if (old->path == path) {
          old->value_hash = value_hash;
          old->hash = Hash32{};
          return false;
        }
        return split(slot, depth, path, value_hash, mem);
      }
      Internal* n = as_internal(*slot);
      n->hash = Hash32{};
      slot = &n->child[path_bit(path, depth)];
      ++depth;
    }
  }

  // The slot holds a leaf with another path: push both down to where their paths differ.
  static bool split(Slot* slot, unsigned depth, const Hash32& path, const Hash32& value_hash, Arenas& mem) {
    const Slot existing = *slot;
    const Hash32& old_path = as_leaf(existing)->path;
    Leaf* fresh = mem.leaves.make();
    fresh->path = path;
    fresh->value_hash = value_hash;
    for (;; ++depth) {
      Internal* n = mem.internals.make();
      *slot = tag(n);
      const int b_new = path_bit(path, depth);
      const int b_old = path_bit(old_path, depth);
      if (b_new != b_old) {
        n->child[b_new] = tag(fresh);
        n->child[b_old] = existing;
        return true;
      }
      slot = &n->child[b_new];
    }
  }

  // Hash of a subtree, caching into dirty internal nodes.
  static Hash32 rehash(Slot s) {
    if (s == 0) return Hash32{};
    if (is_leaf(s)) {
      Leaf* l = as_leaf(s);
      if (all_zero(l->hash)) l->hash = state_leaf_hash(l->path, l->value_hash);
      return l->hash;
    }
    Internal* n = as_internal(s);
    if (all_zero(n->hash)) n->hash = state_node_hash(rehash(n->child[0]), rehash(n->child[1]));
    return n->hash;
  }

  // Same without writing caches (prove() is const and may run before root()).
  static Hash32 peek_hash(Slot s) {
    if (s == 0) return Hash32{};
    if (is_leaf(s)) {
      const Leaf* l = as_leaf(s);
      if (!all_zero(l->hash)) return l->hash;
      return state_leaf_hash(l->path, l->value_hash);
    }
    const Internal* n = as_internal(s);
    if (!all_zero(n->hash)) return n->hash;
    return state_node_hash(peek_hash(n->child[0]), peek_hash(n->child[1]));
  }

  // Dirty internal nodes at `depth` below the root (they root disjoint subtrees).
  static void collect_dirty(Slot s, unsigned depth, std::vector<Internal*>& out) {
    if (s == 0 || is_leaf(s)) return;
    Internal* n = as_internal(s);
    if (!all_zero(n->hash)) return;
    if (depth == 0) {
      out.push_back(n);
      return;
    }
    collect_dirty(n->child[0], depth - 1, out);
    collect_dirty(n->child[1], depth - 1, out);
  }

  Hash32 root_hash() {
    // Large updates: hash disjoint dirty subtrees on all cores first. The result does
    // not depend on the split (each subtree's hash is a pure function of its leaves).
    const unsigned threads = core_count();
    if (threads > 1 && puts_since_root >= 4096) {
      std::vector<Internal*> work;
      collect_dirty(root, 4, work);  // up to 16 subtrees
      std::atomic<std::size_t> next{0};
      auto worker = [&] {
        for (std::size_t i = next++; i < work.size(); i = next++) rehash(tag(work[i]));
      };
      std::vector<std::thread> pool;
      const unsigned extra = std::min<unsigned>(threads, static_cast<unsigned>(work.size())) - 1;
      for (unsigned t = 0; t < extra && work.size() > 1; ++t) pool.emplace_back(worker);
      worker();
      for (auto& t : pool) t.join();
    }
    puts_since_root = 0;
    return rehash(root);
  }
};

StateTree::StateTree() : impl_(std::make_unique<Impl>()) {}
StateTree::~StateTree() = default;
StateTree::StateTree(StateTree&&) noexcept = default;
StateTree& StateTree::operator=(StateTree&&) noexcept = default;

void StateTree::put(const std::string& key, const std::string& value) {
  if (impl_->put(plain_sha256(key), plain_sha256(value))) ++size_;
}

void StateTree::put_many(const std::vector<std::pair<std::string, std::string>>& leaves) {
  std::vector<std::pair<Hash32, Hash32>> hashed(leaves.size());
  auto hash_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      // Equal neighbours share the value hash: leaves come in key order, so e.g. every
      // used-nonce leaf (the same one-byte value) sits in one run.
      const bool same = i > begin && leaves[i].second == leaves[i - 1].second;
      hashed[i] = {plain_sha256(leaves[i].first), same ? hashed[i - 1].second : plain_sha256(leaves[i].second)};
    }
  };
  const std::size_t n = leaves.size();
  const unsigned threads = core_count();
  if (threads > 1 && n >= 4096) {
    std::vector<std::thread> pool;
    const std::size_t per = (n + threads - 1) / threads;
    for (unsigned t = 1; t < threads; ++t) {
      pool.emplace_back(hash_range, std::min(n, t * per), std::min(n, (t + 1) * per));
    }
    hash_range(0, std::min(n, per));
    for (auto& t : pool) t.join();
  } else {
    hash_range(0, n);
  }
  // Path order; for equal paths (the same key twice) the later value must win, as with
  // put(). Sorts 16-byte (path prefix, index) entries rather than the 64-byte pairs
  // themselves (a stable sort of those moved them about 15 times each); ties on the
  // prefix fall back to the whole path, then to the index (the stable order).
  struct Order {
    std::uint64_t prefix;  // the path's first 8 bytes, big-endian: same order as memcmp
    std::uint32_t index;
  };
  std::vector<Order> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    order[i] = {boost::endian::load_big_u64(hashed[i].first.bytes.data()), static_cast<std::uint32_t>(i)};
  }
  std::sort(order.begin(), order.end(), [&](const Order& a, const Order& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    const int c = std::memcmp(hashed[a.index].first.bytes.data(), hashed[b.index].first.bytes.data(), 32);
    return c != 0 ? c < 0 : a.index < b.index;
  });

  // With an internal root, the paths starting with bit 0 and with bit 1 go to disjoint
  // subtrees: insert the two halves on two threads (the layout differs, the tree and
  // every hash do not). Small updates stay on this thread.
  using I = Impl;
  const auto first_right =
      std::partition_point(order.begin(), order.end(), [](const Order& e) { return (e.prefix >> 63) == 0; });
  const bool split = threads > 1 && n >= 4096 && impl_->root != 0 && !I::is_leaf(impl_->root) &&
                     first_right != order.begin() && first_right != order.end();
  if (!split) {
    for (const Order& e : order) {
      if (impl_->put(hashed[e.index].first, hashed[e.index].second)) ++size_;
    }
    return;
  }
  I::Internal* top = I::as_internal(impl_->root);
  top->hash = Hash32{};
  impl_->puts_since_root += n;
  auto insert_half = [&](auto begin, auto end, int side, std::size_t& inserted) {
    for (auto it = begin; it != end; ++it) {
      const auto& [path, value_hash] = hashed[it->index];
      if (I::put_below(&top->child[side], 1, path, value_hash, impl_->arenas[side])) ++inserted;
    }
  };
  std::size_t inserted_right = 0, inserted_left = 0;
  std::thread right([&] { insert_half(first_right, order.end(), 1, inserted_right); });
  insert_half(order.begin(), first_right, 0, inserted_left);
  right.join();
  size_ += inserted_left + inserted_right;
}

Hash32 StateTree::root() { return impl_->root_hash(); }

StateProof StateTree::prove(const std::string& key, const std::string* value_if_present) const {
  using I = Impl;
  StateProof proof;
  proof.key = key;
  const Hash32 path = plain_sha256(key);
  I::Slot s = impl_->root;
  unsigned depth = 0;
  while (s != 0 && !I::is_leaf(s)) {
    const I::Internal* n = I::as_internal(s);
    const int b = path_bit(path, depth);
    proof.siblings.push_back(I::peek_hash(n->child[1 - b]));
    s = n->child[b];
    ++depth;
  }
  if (s == 0) return proof;  // absence: the path ends in an empty subtree
  const I::Leaf* leaf = I::as_leaf(s);
  if (leaf->path == path && value_if_present != nullptr) {
    proof.present = true;
    proof.value = *value_if_present;
    return proof;
  }
  proof.other_leaf_path = leaf->path;
  proof.other_leaf_value_hash = leaf->value_hash;
  return proof;
}

bool verify_state_proof(const Hash32& root, const StateProof& proof) {
  if (proof.siblings.size() > 256) return false;
  const Hash32 path = sha256(as_bytes(proof.key));
  const unsigned depth = static_cast<unsigned>(proof.siblings.size());
  Hash32 h;
  if (proof.present) {
    if (proof.other_leaf_path || proof.other_leaf_value_hash) return false;
    h = state_leaf_hash(path, sha256(as_bytes(proof.value)));
  } else if (proof.other_leaf_path || proof.other_leaf_value_hash) {
    if (!proof.other_leaf_path || !proof.other_leaf_value_hash) return false;
    const Hash32& other = *proof.other_leaf_path;
    // The other leaf must sit where our path ends: same prefix, different path.
    if (other == path) return false;
    for (unsigned d = 0; d < depth; ++d) {
      if (path_bit(other, d) != path_bit(path, d)) return false;
    }
    h = state_leaf_hash(other, *proof.other_leaf_value_hash);
  }  // else: empty subtree, h stays zero
  for (unsigned d = depth; d-- > 0;) {
    h = path_bit(path, d) == 0 ? state_node_hash(h, proof.siblings[d]) : state_node_hash(proof.siblings[d], h);
  }
  return h == root;
}

nlohmann::json StateProof::to_json() const {
  nlohmann::json j;
  j["key"] = to_hex(as_bytes(key));
  j["present"] = present;
  if (present) j["value"] = to_hex(as_bytes(value));
  auto sibs = nlohmann::json::array();
  for (const auto& s : siblings) sibs.push_back(s.hex());
  j["siblings"] = std::move(sibs);
  if (other_leaf_path) j["other_leaf_path"] = other_leaf_path->hex();
  if (other_leaf_value_hash) j["other_leaf_value_hash"] = other_leaf_value_hash->hex();
  return j;
}

Result<StateProof> StateProof::from_json(const nlohmann::json& j) {
  const FieldReader r(Errc::invalid_params);
  PACTUM_TRY(r.object_with(j, "", {"key", "present", "value", "siblings", "other_leaf_path", "other_leaf_value_hash"}));
  StateProof p;
  PACTUM_ASSIGN(key_hex, r.string(j, "", "key"));
  auto key = from_hex(key_hex, "key");
  if (!key) return r.recode(key.error(), "key");
  p.key = std::move(*key);
  auto present = r.boolean(j, "", "present");
  if (!present) return present.error();
  p.present = *present;
  if (p.present) {
    PACTUM_ASSIGN(v, r.string(j, "", "value"));
    auto bytes = from_hex(v, "value");
    if (!bytes) return r.recode(bytes.error(), "value");
    p.value = std::move(*bytes);
  } else if (j.contains("value")) {
    return r.fail("value", "only allowed when present is true");
  }
  PACTUM_ASSIGN(sibs, r.member(j, "", "siblings"));
  if (!(sibs)->is_array() || (sibs)->size() > 256) return r.fail("siblings", "must be an array of at most 256 hashes");
  for (std::size_t i = 0; i < (sibs)->size(); ++i) {
    PACTUM_ASSIGN(h, r.hash_value((*sibs)[i], index_path("siblings", i)));
    p.siblings.push_back(h);
  }
  if (j.contains("other_leaf_path")) {
    PACTUM_ASSIGN(h, r.hash(j, "", "other_leaf_path"));
    p.other_leaf_path = h;
  }
  if (j.contains("other_leaf_value_hash")) {
    PACTUM_ASSIGN(h, r.hash(j, "", "other_leaf_value_hash"));
    p.other_leaf_value_hash = h;
  }
  return p;
}

}  // namespace pactum
