// Store: commit then reopen, indexes, read-only open, and failing commits.
#include "pactum/ledger/store.hpp"

#include <gtest/gtest.h>

#include "fault_env.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

struct Fixture : test::GenesisFixture {
  // Block 1 holding one transfer, with the delta that goes with it.
  std::pair<Block, StateDelta> block1() {
    Block b;
    b.intents.push_back(test::signed_transfer(0, 1, "USDC", "10", 1));
    BlockContext ctx{g.chain_id, 1, 5, {}, {}};
    Settlement s = test::naive_transfer_settle(state, b.intents, ctx);
    b.receipts = s.receipts;
    b.header.height = 1;
    b.header.parent = block0.header.hash();
    b.header.producer = g.producer;
    return {b, s.delta};
  }
};

TEST(Store, CommitThenReopenReadsEverythingBack) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block1();
  {
    auto store = Store::open(dir.str());
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_FALSE((*store)->head_height().has_value());
    ASSERT_TRUE((*store)->commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
    ASSERT_TRUE((*store)->commit(b1, d1).ok());
  }
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok()) << store.error().message;
  Store& s = **store;
  EXPECT_EQ(s.head_height(), 1u);
  EXPECT_EQ(**s.chain_id(), "pactum-test");
  EXPECT_EQ(**s.genesis_hash(), f.block0.header.hash());
  auto back = s.block_at(1);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->header.hash(), b1.header.hash());
  EXPECT_EQ((*back)->receipts, b1.receipts);
  // The stored text is the JSON value of Block::to_json() (written without re-parsing).
  EXPECT_EQ(nlohmann::json::parse(**s.block_json_at(1)), b1.to_json());
  EXPECT_EQ(**s.height_of(b1.header.hash()), 1u);
  auto loc = s.locate_intent(b1.intents[0].id);
  ASSERT_TRUE(loc.ok() && loc->has_value());
  EXPECT_EQ((*loc)->height, 1u);
  EXPECT_EQ((*loc)->index, 0u);
  EXPECT_FALSE(s.block_at(2)->has_value());

  State loaded;
  ASSERT_TRUE(s.load_state(loaded).ok());
  f.state.apply(d1);
  EXPECT_EQ(loaded.root(), f.state.root());
  EXPECT_EQ(loaded.balance(dev_secret_key(1).public_key(), "USDC"), 1000010);
}

TEST(Store, RefusesBlocksOutOfSequence) {
  test::TempDir dir;
  Fixture f;
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok());
  auto [b1, d1] = f.block1();
  EXPECT_FALSE((*store)->commit(b1, d1).ok());  // block 1 before block 0
  ASSERT_TRUE((*store)->commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
  EXPECT_FALSE((*store)->commit(f.block0, f.delta).ok());  // block 0 again
}

TEST(Store, FailedCommitRefusesLaterWritesAndWritesNothing) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block1();
  {
    pactum::testing::FaultEnv faults;
    auto store = Store::open(dir.str(), false, faults.env());
    ASSERT_TRUE(store.ok());
    Store& s = **store;
    ASSERT_TRUE(s.commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
    faults.fail_writes();  // block 0 succeeded; block 1's write fails, as on a full disk
    auto r = s.commit(b1, d1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::storage);
    EXPECT_TRUE(s.failed());
    faults.fail_writes(false);  // even with the fault gone, the store stays refused
    auto again = s.commit(b1, d1);
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.error().message.find("earlier failure"), std::string::npos);
  }
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->head_height(), 0u);
  EXPECT_FALSE((*store)->block_at(1)->has_value());
  EXPECT_FALSE((*store)->locate_intent(b1.intents[0].id)->has_value());
  State loaded;
  ASSERT_TRUE((*store)->load_state(loaded).ok());
  EXPECT_EQ(loaded.root(), f.block0.header.state_root);  // no leaf of block 1
}

TEST(Store, ReadOnlyOpenWorksBesideAWriterAndRefusesWrites) {
  test::TempDir dir;
  Fixture f;
  auto writer = Store::open(dir.str());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
  auto reader = Store::open(dir.str(), /*read_only=*/true);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ((*reader)->head_height(), 0u);
  auto [b1, d1] = f.block1();
  EXPECT_FALSE((*reader)->commit(b1, d1).ok());
  EXPECT_FALSE(Store::open(dir.str() + "-missing", true).ok());
}

TEST(Store, CrashBetweenStagingAndCommitLeavesNothingVisibleAndReopenRemovesIt) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block1();
  {
    auto store = Store::open(dir.str());
    ASSERT_TRUE(store.ok());
    Store& s = **store;
    ASSERT_TRUE(s.commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
    ASSERT_TRUE(s.stage_body(b1).ok());
    // Staged but not committed: no read sees block 1 or its intent.
    EXPECT_EQ(s.head_height(), 0u);
    EXPECT_FALSE(s.block_json_at(1)->has_value());
    EXPECT_FALSE(s.locate_intent(b1.intents[0].id)->has_value());
    // The commit point needs the staged height.
    BlockHeader other = b1.header;
    other.height = 2;
    EXPECT_FALSE(s.commit_header(other, d1.leaves()).ok());
  }  // "crash": the store closes with block 1 staged only
  {
    auto store = Store::open(dir.str());
    ASSERT_TRUE(store.ok()) << store.error().message;
    Store& s = **store;
    EXPECT_EQ(s.head_height(), 0u);
    EXPECT_FALSE(s.locate_intent(b1.intents[0].id)->has_value());
    State loaded;
    ASSERT_TRUE(s.load_state(loaded).ok());
    EXPECT_EQ(loaded.root(), f.block0.header.state_root);
    // A different block 1 (no intents) commits in its place; the old intent stays unknown.
    Block empty1 = b1;
    empty1.intents.clear();
    empty1.receipts.clear();
    ASSERT_TRUE(s.commit(empty1, StateDelta()).ok());
    EXPECT_FALSE(s.locate_intent(b1.intents[0].id)->has_value());
    EXPECT_TRUE((*s.block_at(1))->intents.empty());
  }
}

TEST(Store, TwoPhaseCommitEqualsOneShotCommit) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block1();
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  ASSERT_TRUE(s.commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
  ASSERT_TRUE(s.stage_body(b1).ok());
  ASSERT_TRUE(s.commit_header(b1.header, d1.leaves()).ok());
  EXPECT_EQ(s.head_height(), 1u);
  EXPECT_EQ(nlohmann::json::parse(**s.block_json_at(1)), b1.to_json());
  EXPECT_EQ((*s.locate_intent(b1.intents[0].id))->height, 1u);
}

}  // namespace
}  // namespace pactum
