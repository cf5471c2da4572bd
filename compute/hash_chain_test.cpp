// The chain traversal releases exactly the naive chain's keys, in order, within its
// documented storage and hash costs.
#include <gtest/gtest.h>

#include <algorithm>
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

template <class Traverser>
void expect_naive_order(std::uint64_t length) {
  const std::vector<Hash32> naive = naive_chain(seed_of(length), length);
  Traverser chain(seed_of(length), length);
  ASSERT_EQ(chain.anchor(), naive[length]) << "L=" << length;
  for (std::uint64_t i = length; i-- > 0;) {
    const auto key = chain.next();
    ASSERT_TRUE(key.has_value()) << "L=" << length << " i=" << i;
    ASSERT_EQ(*key, naive[i]) << "L=" << length << " i=" << i;
  }
  EXPECT_FALSE(chain.next().has_value()) << "L=" << length;
}

TEST(HashChain, BothTraversalsMatchTheNaiveChain) {
  for (std::uint64_t length : {1, 2, 3, 7, 64, 1000, 4096}) {
    expect_naive_order<PebbleTraverser>(length);
    expect_naive_order<FractalTraverser>(length);
  }
  for (std::uint64_t length = 0; length <= 300; ++length) {
    expect_naive_order<PebbleTraverser>(length);
    expect_naive_order<FractalTraverser>(length);
  }
  for (std::uint64_t length : {511, 513, 1023, 1025, 3000, 5000}) expect_naive_order<FractalTraverser>(length);
}

// Binary pebbling: at most ceil(log2 L) + 1 pebbles; the anchor pass (L hashes) plus
// about (L/2) log2 L for the traversal; one key may cost up to about L/2.
TEST(HashChain, PebblingStorageAndMeanHashesAreLogarithmic) {
  for (std::uint64_t length : {2, 7, 64, 1000, 4096, 65536}) {
    PebbleTraverser chain(seed_of(length), length);
    while (chain.next()) {}
    const std::size_t log2 = ceil_log2(length);
    EXPECT_LE(chain.max_pebbles(), log2 + 1) << "L=" << length;
    const std::uint64_t traversal = chain.hashes() - length;
    EXPECT_LE(traversal, length * log2 / 2 + length) << "L=" << length;
    std::cout << "pebbling L=" << length << " pebbles " << chain.max_pebbles() << " hashes/key "
              << static_cast<double>(traversal) / static_cast<double>(length) << " worst key "
              << chain.max_hashes_per_key() << "\n";
  }
}

// Fractal: at most s = ceil(log2 L) pebbles and s hashes for any one key, (s/2) - 1 on
// average after the anchor pass; the schedule never misses a pebble.
TEST(HashChain, FractalStorageAndWorstCaseHashesAreLogarithmic) {
  for (std::uint64_t length : {2, 7, 64, 1000, 1025, 4096, 65536}) {
    FractalTraverser chain(seed_of(length), length);
    const std::uint64_t setup = chain.hashes();
    while (chain.next()) {}
    const std::size_t log2 = std::max<std::size_t>(1, ceil_log2(length));
    EXPECT_EQ(chain.fallbacks(), 0u) << "L=" << length;
    EXPECT_LE(chain.max_pebbles(), log2) << "L=" << length;
    EXPECT_LE(chain.max_hashes_per_key(), log2) << "L=" << length;
    EXPECT_LE(setup, length + 1) << "L=" << length;
    std::cout << "fractal L=" << length << " pebbles " << chain.max_pebbles() << " hashes/key "
              << static_cast<double>(chain.hashes() - setup) / static_cast<double>(length) << " worst key "
              << chain.max_hashes_per_key() << " setup " << setup << "\n";
  }
}

TEST(HashChain, EmptyChainReleasesNothing) {
  ChainTraverser chain(seed_of(0), 0);
  EXPECT_EQ(chain.anchor(), seed_of(0));
  EXPECT_FALSE(chain.next().has_value());
}

}  // namespace
}  // namespace pactum::compute
