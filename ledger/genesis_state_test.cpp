// Block 0's state built in pieces (ledger/src/chain_checks.hpp): the same root and leaves
// whatever the piece size, and pieces that a crash left before block 0's commit do not
// survive into the state of the block 0 written later.
#include <algorithm>

#include <gtest/gtest.h>

#include "../ledger/src/chain_checks.hpp"
#include "pactum/ledger/chain.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

using chain_checks::build_genesis;
using chain_checks::Leaves;

// small_genesis() plus `n` funded accounts of their own, with two balances each.
Genesis funded_genesis(std::uint32_t n) {
  Genesis g = test::small_genesis();
  for (std::uint32_t i = 0; i < n; ++i) {
    g.accounts.push_back(
        GenesisAccount{dev_secret_key(1000 + i).public_key(), {{"ETH", Amount(i + 1)}, {"USDC", Amount(7)}}});
  }
  return g;
}

Leaves sorted(Leaves leaves) {
  std::sort(leaves.begin(), leaves.end());
  return leaves;
}

TEST(GenesisState, PiecesGiveTheSameRootAndLeavesAsOneDelta) {
  const Genesis g = funded_genesis(300);
  const StateDelta whole = genesis_delta(g);
  State reference;
  reference.apply(whole);
  const Hash32 root = reference.root();

  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{65536}}) {
    Leaves written;
    auto gs = build_genesis(
        g,
        [&](const Leaves& part) {
          written.insert(written.end(), part.begin(), part.end());
          return Result<void>();
        },
        piece);
    ASSERT_TRUE(gs.ok()) << gs.error().message;
    EXPECT_EQ(gs->state.root(), root) << "piece " << piece;
    EXPECT_EQ(gs->block0.header.state_root, root) << "piece " << piece;
    EXPECT_EQ(gs->state.account_count(), reference.account_count()) << "piece " << piece;
    EXPECT_EQ(sorted(written), sorted(whole.leaves())) << "piece " << piece;
  }
}

TEST(GenesisState, AFailingSinkStopsTheBuild) {
  int calls = 0;
  auto gs = build_genesis(
      funded_genesis(20),
      [&](const Leaves&) -> Result<void> {
        if (++calls == 3) return make_error(Errc::storage, "disk full");
        return {};
      },
      5);
  ASSERT_FALSE(gs.ok());
  EXPECT_EQ(gs.error().message, "disk full");
  EXPECT_EQ(calls, 3);
}

TEST(GenesisState, PiecesLeftWithoutBlockZeroAreDroppedWhenTheStoreReopens) {
  test::TempDir dir;
  {
    // A start that crashed after writing most of another genesis's state, before block 0.
    auto store = Store::open(dir.str());
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto gs = build_genesis(
        funded_genesis(200), [&](const Leaves& part) { return (*store)->stage_genesis_state(part); }, 64);
    ASSERT_TRUE(gs.ok()) << gs.error().message;
  }
  const Genesis g = test::small_genesis();
  State expected;
  expected.apply(genesis_delta(g));
  for (int start = 0; start < 2; ++start) {  // writes block 0, then reloads its state from disk
    auto chain = Chain::open(dir.str(), g);
    ASSERT_TRUE(chain.ok()) << "start " << start << ": " << chain.error().message;
    EXPECT_EQ((*chain)->head().state_root, expected.root()) << "start " << start;
    EXPECT_EQ((*chain)->state().account_count(), expected.account_count()) << "start " << start;
  }
}

TEST(GenesisState, StagingIsRefusedOnceBlockZeroIsWritten) {
  test::TempDir dir;
  ASSERT_TRUE(Chain::open(dir.str(), test::small_genesis()).ok());
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto staged = (*store)->stage_genesis_state(Leaves{{"k", "v"}});
  ASSERT_FALSE(staged.ok());
  EXPECT_EQ(staged.error().code, Errc::internal);
}

}  // namespace
}  // namespace pactum
