// put_many on a tree that already has an internal root inserts the two halves (path
// bit 0 = 0 / 1) on two threads: the tree, its size, root and proofs must be exactly
// those of one-by-one puts.
#include <gtest/gtest.h>

#include "pactum/ledger/state_tree.hpp"

namespace pactum {
namespace {

TEST(StateTreeParallel, SplitPutManyOnExistingTreeEqualsSequentialPuts) {
  StateTree one_by_one, batched;
  std::vector<std::pair<std::string, std::string>> first;
  for (int i = 0; i < 5000; ++i) first.emplace_back("k" + std::to_string(i), "v" + std::to_string(i));
  for (const auto& [k, v] : first) one_by_one.put(k, v);
  batched.put_many(first);
  ASSERT_EQ(batched.root(), one_by_one.root());

  // Updates, new keys on both halves, and a key given twice (the later value wins).
  std::vector<std::pair<std::string, std::string>> second;
  for (int i = 0; i < 9000; ++i) second.emplace_back("k" + std::to_string(i * 3 % 12000), "w" + std::to_string(i));
  second.emplace_back("k3", "last");
  for (const auto& [k, v] : second) one_by_one.put(k, v);
  batched.put_many(second);

  EXPECT_EQ(batched.size(), one_by_one.size());
  const Hash32 root = batched.root();
  EXPECT_EQ(root, one_by_one.root());
  for (const std::string key : {"k0", "k3", "k4999", "k11997", "absent"}) {
    const std::string value = key == "k3" ? "last" : "";
    const StateProof p = batched.prove(key, key == "k3" ? &value : nullptr);
    EXPECT_TRUE(key != "k3" || p.present);
    if (key == "k3" || key == "absent") {
      EXPECT_TRUE(verify_state_proof(root, p)) << key;
    }
  }
}

}  // namespace
}  // namespace pactum
