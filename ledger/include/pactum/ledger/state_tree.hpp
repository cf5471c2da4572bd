// StateTree: a sparse binary Merkle tree over 256-bit paths with compressed single-leaf
// subtrees (as in Diem's Jellyfish tree), kept in memory.
//
//   path(key)        = SHA256(key bytes)
//   leaf hash        = tagged_hash("pactum/state/leaf", path || SHA256(value bytes))
//   internal hash    = tagged_hash("pactum/state/node", left || right)
//   empty subtree    = 32 zero bytes
// A subtree holding exactly one leaf is represented by that leaf's hash, wherever it
// sits; so a leaf lives at the shallowest depth where no other path shares its prefix.
// Path bits are read most significant bit of byte 0 first; bit 0 chooses the child at
// the root (0 = left). The root of the empty tree is 32 zero bytes.
//
// Updating k leaves costs O(k * log n) hashes (only dirty nodes are rehashed in root()).
// Leaves are only inserted or updated, never removed.
//
// Memory: an internal node is its cached hash and two child pointers (48 bytes); a leaf
// is its path and its value hash (64 bytes; the value itself lives in State). Both come
// from arenas, so there is no per-node allocation overhead. The leaf keeps the value hash
// rather than its leaf hash because absence proofs must reveal a neighbouring leaf's
// (path, value hash); the leaf hash is one tagged hash away.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/crypto.hpp"

namespace pactum {

struct StateProof {
  std::string key;       // the leaf key bytes asked about
  bool present = false;  // inclusion (true) or absence (false)
  std::string value;     // the value bytes when present
  // Siblings from the root down to the depth of the terminal node: siblings[d] is the
  // sibling at depth d (d = 0 is a child of the root).
  std::vector<Hash32> siblings;
  // For absence: what sits where the path ends: nothing (empty), or another leaf.
  std::optional<Hash32> other_leaf_path;
  std::optional<Hash32> other_leaf_value_hash;

  nlohmann::json to_json() const;  // hex fields; documented in docs/PROTOCOL.md
  static Result<StateProof> from_json(const nlohmann::json& j);
};

// Checks a proof against a root without any node: what a light client does.
bool verify_state_proof(const Hash32& root, const StateProof& proof);

Hash32 state_leaf_hash(const Hash32& path, const Hash32& value_hash);
Hash32 state_node_hash(const Hash32& left, const Hash32& right);

class StateTree {
 public:
  StateTree();
  ~StateTree();
  StateTree(StateTree&&) noexcept;
  StateTree& operator=(StateTree&&) noexcept;

  // Inserts or updates the leaf of this key.
  void put(const std::string& key, const std::string& value);
  // Same for many leaves: hashes them on all cores, then inserts in path order (the
  // descents share their upper nodes, and new nodes are laid out in tree order).
  void put_many(const std::vector<std::pair<std::string, std::string>>& leaves);
  Hash32 root();  // rehashes dirty nodes only
  StateProof prove(const std::string& key, const std::string* value_if_present) const;
  std::size_t size() const { return size_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t size_ = 0;
};

}  // namespace pactum
