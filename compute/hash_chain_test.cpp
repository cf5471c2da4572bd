// The chain traversal releases exactly the naive chain's keys, in order, within its
// documented storage and hash costs.
#include <gtest/gtest.h>

#include <bit>

#include "pactum/compute/hash_chain.hpp"

namespace pactum::compute {
namespace {

Hash32 seed_of(std::uint64_t n) { return sha256(as_bytes("seed " + std::to_string(n))); }

std::size_t ceil_log2(std::uint64_t n) { return n <= 1 ? 0 : std::bit_width(n - 1); }

TEST(HashChain, StepIsTheTaggedHash) {
  const Hash32 seed = seed_of(1);
  EXPECT_EQ(chain_step(seed), tagged_hash("pactum/compute-key", Bytes(seed.bytes)));
  EXPECT_EQ(chain_steps(seed, 3), chain_step(chain_step(chain_step(seed))));
  EXPECT_EQ(chain_steps(seed, 0), seed);
}

TEST(HashChain, TraversalMatchesTheNaiveChain) {
  for (std::uint64_t length : {1, 2, 3, 7, 64, 1000, 4096}) {
    const std::vector<Hash32> naive = naive_chain(seed_of(length), length);
    ChainTraverser chain(seed_of(length), length);
    EXPECT_EQ(chain.anchor(), naive[length]) << "L=" << length;
    for (std::uint64_t i = length; i-- > 0;) {
      const auto key = chain.next();
      ASSERT_TRUE(key.has_value()) << "L=" << length << " i=" << i;
      ASSERT_EQ(*key, naive[i]) << "L=" << length << " i=" << i;
    }
    EXPECT_FALSE(chain.next().has_value()) << "L=" << length;
    EXPECT_EQ(chain.released(), length);
  }
}

TEST(HashChain, EveryLengthUpTo300) {
  for (std::uint64_t length = 1; length <= 300; ++length) {
    const std::vector<Hash32> naive = naive_chain(seed_of(length), length);
    ChainTraverser chain(seed_of(length), length);
    for (std::uint64_t i = length; i-- > 0;) ASSERT_EQ(*chain.next(), naive[i]) << "L=" << length << " i=" << i;
  }
}

// Storage: at most ceil(log2 L) + 1 pebbles. Hashes: the anchor pass (L) plus about
// (L/2) log2 L for the traversal, i.e. about (log2 L)/2 per key on average.
TEST(HashChain, StorageAndHashesAreLogarithmic) {
  for (std::uint64_t length : {2, 7, 64, 1000, 4096, 65536}) {
    ChainTraverser chain(seed_of(length), length);
    while (chain.next()) {}
    const std::size_t log2 = ceil_log2(length);
    EXPECT_LE(chain.max_pebbles(), log2 + 1) << "L=" << length;
    const std::uint64_t traversal = chain.hashes() - length;
    EXPECT_LE(traversal, length * log2 / 2 + length) << "L=" << length;
    std::cout << "L=" << length << " pebbles " << chain.max_pebbles() << " hashes/key (after the anchor) "
              << static_cast<double>(traversal) / static_cast<double>(length) << "\n";
  }
}

TEST(HashChain, EmptyChainReleasesNothing) {
  ChainTraverser chain(seed_of(0), 0);
  EXPECT_EQ(chain.anchor(), seed_of(0));
  EXPECT_FALSE(chain.next().has_value());
}

}  // namespace
}  // namespace pactum::compute
