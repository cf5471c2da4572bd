// StateTree: root independent of insertion order, incremental root equal to a naive
// recursive root over the sorted leaves, inclusion and absence proofs.
#include "pactum/ledger/state_tree.hpp"

#include <algorithm>
#include <map>
#include <random>

#include <gtest/gtest.h>

namespace pactum {
namespace {

int bit_at(const Hash32& p, unsigned d) { return (p.bytes[d / 8] >> (7 - d % 8)) & 1; }

// The definition in state_tree.hpp written as plainly as possible, over (path, value hash).
Hash32 naive_root(const std::vector<std::pair<Hash32, Hash32>>& leaves, unsigned depth = 0) {
  if (leaves.empty()) return Hash32{};
  if (leaves.size() == 1) return state_leaf_hash(leaves[0].first, leaves[0].second);
  std::vector<std::pair<Hash32, Hash32>> left, right;
  for (const auto& l : leaves) (bit_at(l.first, depth) == 0 ? left : right).push_back(l);
  return state_node_hash(naive_root(left, depth + 1), naive_root(right, depth + 1));
}

Hash32 naive_root_of(const std::map<std::string, std::string>& kv) {
  std::vector<std::pair<Hash32, Hash32>> leaves;
  for (const auto& [k, v] : kv) leaves.emplace_back(sha256(as_bytes(k)), sha256(as_bytes(v)));
  std::sort(leaves.begin(), leaves.end());
  return naive_root(leaves);
}

TEST(StateTree, EmptyRootIsZero) {
  StateTree t;
  EXPECT_TRUE(t.root().is_zero());
  EXPECT_EQ(t.size(), 0u);
}

TEST(StateTree, SingleLeafRootIsItsLeafHash) {
  StateTree t;
  t.put("k", "v");
  EXPECT_EQ(t.root(), state_leaf_hash(sha256(as_bytes("k")), sha256(as_bytes("v"))));
}

TEST(StateTree, RootIndependentOfInsertionOrder) {
  std::vector<std::pair<std::string, std::string>> kv;
  for (int i = 0; i < 500; ++i) kv.emplace_back("key" + std::to_string(i), "value" + std::to_string(i * 7));
  StateTree a;
  for (const auto& [k, v] : kv) a.put(k, v);
  std::mt19937 rng(42);
  std::shuffle(kv.begin(), kv.end(), rng);
  StateTree b;
  for (std::size_t i = 0; i < kv.size(); ++i) {
    b.put(kv[i].first, kv[i].second);
    if (i % 97 == 0) (void)b.root();  // interleaved root() calls must not matter
  }
  EXPECT_EQ(a.root(), b.root());
  EXPECT_EQ(a.size(), 500u);
  EXPECT_EQ(b.size(), 500u);
}

TEST(StateTree, IncrementalRootMatchesNaiveRootAfterRandomUpdates) {
  std::mt19937 rng(7);
  std::map<std::string, std::string> model;
  StateTree t;
  for (int round = 0; round < 30; ++round) {
    const int updates = 1 + static_cast<int>(rng() % 200);
    for (int u = 0; u < updates; ++u) {
      // A small key space so that updates of existing leaves are frequent.
      std::string k = "acct" + std::to_string(rng() % 3000);
      std::string v = "bal" + std::to_string(rng());
      model[k] = v;
      t.put(k, v);
    }
    ASSERT_EQ(t.root(), naive_root_of(model)) << "round " << round;
    ASSERT_EQ(t.size(), model.size());
  }
}

TEST(StateTree, ParallelRehashOfLargeUpdateMatchesNaive) {
  // Above the threshold where root() hashes subtrees on several threads.
  std::map<std::string, std::string> model;
  StateTree t;
  for (int i = 0; i < 20000; ++i) {
    model["k" + std::to_string(i)] = "v" + std::to_string(i);
    t.put("k" + std::to_string(i), "v" + std::to_string(i));
  }
  EXPECT_EQ(t.root(), naive_root_of(model));
  for (int i = 0; i < 20000; i += 3) {
    model["k" + std::to_string(i)] = "w";
    t.put("k" + std::to_string(i), "w");
  }
  EXPECT_EQ(t.root(), naive_root_of(model));
}

TEST(StateTree, PutManyEqualsSequentialPuts) {
  // Large enough to take the multi-threaded hashing path; a repeated key: last one wins.
  std::vector<std::pair<std::string, std::string>> leaves;
  for (int i = 0; i < 9000; ++i) leaves.emplace_back("k" + std::to_string(i % 8000), "v" + std::to_string(i));
  StateTree one_by_one, batched;
  for (const auto& [k, v] : leaves) one_by_one.put(k, v);
  batched.put_many(leaves);
  EXPECT_EQ(batched.size(), 8000u);
  EXPECT_EQ(batched.root(), one_by_one.root());
  batched.put_many({{"k1", "x"}, {"new", "y"}});
  one_by_one.put("k1", "x");
  one_by_one.put("new", "y");
  EXPECT_EQ(batched.root(), one_by_one.root());
}

class StateTreeProof : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 300; ++i) {
      kv["key" + std::to_string(i)] = "value" + std::to_string(i);
      tree.put("key" + std::to_string(i), "value" + std::to_string(i));
    }
    root = tree.root();
  }
  StateProof prove(const std::string& key) {
    auto it = kv.find(key);
    return tree.prove(key, it == kv.end() ? nullptr : &it->second);
  }
  std::map<std::string, std::string> kv;
  StateTree tree;
  Hash32 root;
};

TEST_F(StateTreeProof, InclusionProofsVerify) {
  for (const auto& [k, v] : kv) {
    StateProof p = prove(k);
    ASSERT_TRUE(p.present);
    ASSERT_EQ(p.value, v);
    ASSERT_TRUE(verify_state_proof(root, p)) << k;
  }
}

TEST_F(StateTreeProof, AbsenceProofsVerifyBothKinds) {
  int empty_ends = 0, leaf_ends = 0;
  for (int i = 0; i < 400; ++i) {
    StateProof p = prove("missing" + std::to_string(i));
    ASSERT_FALSE(p.present);
    ASSERT_TRUE(verify_state_proof(root, p));
    (p.other_leaf_path ? leaf_ends : empty_ends)++;
  }
  // Both ways a path can end without our leaf occur, so both branches are tested.
  EXPECT_GT(empty_ends, 0);
  EXPECT_GT(leaf_ends, 0);
}

TEST_F(StateTreeProof, TamperedProofsFail) {
  StateProof p = prove("key5");
  StateProof wrong_value = p;
  wrong_value.value = "value6";
  EXPECT_FALSE(verify_state_proof(root, wrong_value));
  StateProof wrong_sibling = p;
  wrong_sibling.siblings[0].bytes[0] ^= 1;
  EXPECT_FALSE(verify_state_proof(root, wrong_sibling));
  StateProof claims_absent = p;
  claims_absent.present = false;
  EXPECT_FALSE(verify_state_proof(root, claims_absent));
  StateProof other_key = p;
  other_key.key = "key6";
  EXPECT_FALSE(verify_state_proof(root, other_key));
  Hash32 other_root = root;
  other_root.bytes[31] ^= 1;
  EXPECT_FALSE(verify_state_proof(other_root, p));

  // An absence proof cannot be used for a key that is present.
  StateProof absent = prove("missing1");
  StateProof moved = absent;
  moved.key = "key1";
  EXPECT_FALSE(verify_state_proof(root, moved));
  if (absent.other_leaf_value_hash) {
    StateProof bad = absent;
    bad.other_leaf_value_hash->bytes[0] ^= 1;
    EXPECT_FALSE(verify_state_proof(root, bad));
  }
}

TEST_F(StateTreeProof, AbsenceByNeighbourLeafCannotClaimItsOwnPath) {
  // Find an absence proof ending at another leaf; pretending that leaf is "other" for the
  // key that owns it must fail (other path must differ from ours).
  for (int i = 0; i < 400; ++i) {
    StateProof p = prove("missing" + std::to_string(i));
    if (!p.other_leaf_path) continue;
    for (const auto& [k, v] : kv) {
      if (sha256(as_bytes(k)) == *p.other_leaf_path) {
        StateProof forged = p;
        forged.key = k;
        EXPECT_FALSE(verify_state_proof(root, forged));
        return;
      }
    }
  }
  FAIL() << "no absence proof ended at another leaf";
}

TEST_F(StateTreeProof, JsonRoundTrip) {
  for (const std::string key : {"key17", "missing3", "missing8"}) {
    StateProof p = prove(key);
    auto back = StateProof::from_json(p.to_json());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->to_json(), p.to_json());
    EXPECT_TRUE(verify_state_proof(root, *back));
  }
  auto j = prove("key17").to_json();
  j["extra"] = 1;
  auto bad = StateProof::from_json(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "extra");
  j = prove("key17").to_json();
  j["siblings"][0] = "ABC";
  bad = StateProof::from_json(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "siblings[0]");
}

TEST(StateTree, ProveBeforeRootSeesCurrentLeaves) {
  StateTree t;
  for (int i = 0; i < 50; ++i) t.put("k" + std::to_string(i), "v");
  (void)t.root();
  const std::string nv = "new";
  t.put("k3", nv);
  StateProof p = t.prove("k3", &nv);  // dirty nodes, no root() call yet
  EXPECT_TRUE(verify_state_proof(t.root(), p));
}

}  // namespace
}  // namespace pactum
