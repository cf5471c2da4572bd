// Store: large block bodies in the body files (ledger/src/body_files.hpp): written and
// read back, cut back after a crash before the commit point or a torn write, failures
// stop the store, and the locator encoding.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "../ledger/src/body_files.hpp"
#include "pactum/ledger/store.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

namespace fs = std::filesystem;

struct Fixture : test::GenesisFixture {
  // Block `height` with n transfers (nonces from `first_nonce`): past the 64 KiB at which
  // a body leaves RocksDB once n is about 150.
  std::pair<Block, StateDelta> block(std::uint64_t height, std::size_t n, std::uint64_t first_nonce) {
    Block b;
    for (std::size_t i = 0; i < n; ++i) b.intents.push_back(test::signed_transfer(0, 1, "USDC", "1", first_nonce + i));
    BlockContext ctx{g.chain_id, height, 5, {}, {}};
    Settlement s = test::naive_transfer_settle(state, b.intents, ctx);
    b.receipts = s.receipts;
    b.header.height = height;
    b.header.producer = g.producer;
    return {b, s.delta};
  }
};

// A store in `dir` holding block 0 and `b1`; closed again when the test wants to reopen.
std::unique_ptr<Store> store_with(const test::TempDir& dir, const Fixture& f, const Block& b1, const StateDelta& d1) {
  auto store = Store::open(dir.str());
  EXPECT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE((*store)->commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
  EXPECT_TRUE((*store)->commit(b1, d1).ok());
  return std::move(*store);
}

std::uint64_t segment_size(const test::TempDir& dir) {
  const fs::path p = fs::path(dir.str()) / "bodies" / "000000.dat";
  return fs::exists(p) ? fs::file_size(p) : 0;
}

TEST(BodyLocator, EncodesToTwentyOneBytesThatNoJsonBodyCanBe) {
  const BodyLocator at{7, 1234567890123ull, 6000000};
  const std::string s = at.encode();
  EXPECT_EQ(s.size(), 21u);
  auto back = BodyLocator::decode(s);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->segment, 7u);
  EXPECT_EQ(back->offset, 1234567890123ull);
  EXPECT_EQ(back->length, 6000000u);
  EXPECT_FALSE(BodyLocator::decode("{\"prices\":{}}").has_value());
  EXPECT_FALSE(BodyLocator::decode(s.substr(0, 20)).has_value());
}

TEST(StoreBodyFiles, SmallBodyStaysInRocksDbLargeBodyGoesToTheFileAndReadsBack) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block(1, 2, 1);
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok()) << store.error().message;
  Store& s = **store;
  ASSERT_TRUE(s.commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
  ASSERT_TRUE(s.commit(b1, d1).ok());
  EXPECT_EQ(segment_size(dir), 0u);  // small bodies: no file bytes
  f.state.apply(d1);
  auto [b2, d2] = f.block(2, 300, 10);
  ASSERT_TRUE(s.commit(b2, d2).ok());
  const std::uint64_t size = segment_size(dir);
  EXPECT_GT(size, 64u << 10);
  EXPECT_EQ(nlohmann::json::parse(**s.block_json_at(2)), b2.to_json());
  EXPECT_EQ(nlohmann::json::parse(**s.block_json_at(1)), b1.to_json());
  EXPECT_EQ((*s.locate_intent(b2.intents[299].id))->height, 2u);
  // A read-only store beside the writer reads the same bytes.
  auto reader = Store::open(dir.str(), /*read_only=*/true);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(**(*reader)->block_json_at(2), **s.block_json_at(2));
  EXPECT_EQ((*(*reader)->block_at(2))->intents.size(), 300u);
}

TEST(StoreBodyFiles, CrashAfterStagingALargeBodyCutsItFromTheFileOnReopen) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block(1, 200, 1);
  std::uint64_t committed_end = 0;
  {
    auto store = Store::open(dir.str());
    ASSERT_TRUE(store.ok());
    Store& s = **store;
    ASSERT_TRUE(s.commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
    ASSERT_TRUE(s.commit(b1, d1).ok());
    committed_end = segment_size(dir);
    f.state.apply(d1);
    auto [b2, d2] = f.block(2, 200, 1000);
    ASSERT_TRUE(s.stage_body(b2).ok());
    EXPECT_GT(segment_size(dir), committed_end);  // durable in the file, but not committed
    EXPECT_FALSE(s.block_json_at(2)->has_value());
  }  // "crash" before block 2's commit point
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok()) << store.error().message;
  Store& s = **store;
  EXPECT_EQ(s.head_height(), 1u);
  EXPECT_EQ(segment_size(dir), committed_end);
  // Another block 2 goes where the unfinished one was, and both blocks read back.
  auto [other2, od2] = f.block(2, 180, 5000);
  ASSERT_TRUE(s.commit(other2, od2).ok());
  EXPECT_EQ(nlohmann::json::parse(**s.block_json_at(2)), other2.to_json());
  EXPECT_EQ(nlohmann::json::parse(**s.block_json_at(1)), b1.to_json());
}

TEST(StoreBodyFiles, TornTailPastTheLastCommittedBodyIsCutOff) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block(1, 200, 1);
  store_with(dir, f, b1, d1);  // and closed
  const std::uint64_t committed_end = segment_size(dir);
  {
    std::ofstream junk(fs::path(dir.str()) / "bodies" / "000000.dat", std::ios::app | std::ios::binary);
    junk << "{\"half a body";
  }
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(segment_size(dir), committed_end);
  EXPECT_EQ(nlohmann::json::parse(**(*store)->block_json_at(1)), b1.to_json());
}

TEST(StoreBodyFiles, BodyFileThatCannotBeWrittenStopsTheStoreAndWritesNothing) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block(1, 200, 1);
  {
    auto store = Store::open(dir.str());
    ASSERT_TRUE(store.ok());
    Store& s = **store;
    ASSERT_TRUE(s.commit_genesis(f.block0, f.delta, f.g.chain_id).ok());
    // A directory where the segment file should be: open() fails, even for root.
    fs::create_directories(fs::path(dir.str()) / "bodies" / "000000.dat");
    auto r = s.commit(b1, d1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::storage);
    EXPECT_NE(r.error().message.find("block body"), std::string::npos) << r.error().message;
    EXPECT_TRUE(s.failed());
    EXPECT_EQ(s.head_height(), 0u);
  }
  fs::remove(fs::path(dir.str()) / "bodies" / "000000.dat");
  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->head_height(), 0u);
  EXPECT_FALSE((*store)->locate_intent(b1.intents[0].id)->has_value());
  ASSERT_TRUE((*store)->commit(b1, d1).ok());  // the fault gone, block 1 commits
  EXPECT_EQ(nlohmann::json::parse(**(*store)->block_json_at(1)), b1.to_json());
}

TEST(StoreBodyFiles, MissingBodyFileIsReportedNotInvented) {
  test::TempDir dir;
  Fixture f;
  auto [b1, d1] = f.block(1, 200, 1);
  store_with(dir, f, b1, d1);  // and closed
  fs::remove(fs::path(dir.str()) / "bodies" / "000000.dat");
  auto reader = Store::open(dir.str(), /*read_only=*/true);
  ASSERT_TRUE(reader.ok());
  auto text = (*reader)->block_json_at(1);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, Errc::storage);
  auto writer = Store::open(dir.str());
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.error().message.find("missing"), std::string::npos) << writer.error().message;
}

}  // namespace
}  // namespace pactum
