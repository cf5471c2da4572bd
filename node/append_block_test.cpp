// NodeCore::append_block, a follower's commit: blocks produced by one core are verified and
// applied by another to the same head and state; a block altered in any committed way is
// refused with the rule it breaks named, and the follower's chain, state and store stay
// as they were (it then still takes the genuine block).
#include <gtest/gtest.h>

#include <filesystem>

#include "pactum/ledger/block_check.hpp"
#include "pactum/node/dispatcher.hpp"
#include "pactum/node/follower.hpp"
#include "pactum/node/node.hpp"
#include "pactum/node/node_core.hpp"
#include "pactum/node/server.hpp"
#include "pactum/solvers/picker.hpp"

namespace pactum {
namespace {

using nlohmann::json;

std::filesystem::path temp_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("pactum_append_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  return p;
}

std::unique_ptr<NodeCore> open_core(const std::filesystem::path& dir, const SettleFn& settle) {
  auto chain = Chain::open(dir.string(), load_genesis(std::nullopt).value());
  EXPECT_TRUE(chain.ok()) << chain.error().message;
  return std::make_unique<NodeCore>(std::move(chain).value(), dev_producer_key(), settle, CoreOptions{});
}

Intent signed_intent(std::uint32_t who, json body) {
  body["chain"] = "pactum-devnet";
  body["signer"] = dev_secret_key(who).public_key().hex();
  body["valid_until"] = 1000;
  return sign_intent(body, dev_secret_key(who)).value();
}

Intent transfer(std::uint32_t who, std::uint64_t nonce, const std::string& amount) {
  return signed_intent(who, {{"kind", "transfer"},
                             {"nonce", nonce},
                             {"asset", "USDC"},
                             {"to", dev_secret_key(who + 1).public_key().hex()},
                             {"amount", amount}});
}

// Sells 0.01 ETH for at least 1 USDC: fills against the devnet pool.
Intent swap(std::uint32_t who, std::uint64_t nonce) {
  return signed_intent(who, {{"kind", "swap"},
                             {"nonce", nonce},
                             {"sell_asset", "ETH"},
                             {"buy_asset", "USDC"},
                             {"side", "sell"},
                             {"sell_amount", "10000000000000000"},
                             {"buy_amount", "1000000"},
                             {"partial", false}});
}

// The block as the wire carries it (pactum_getBlock full), read back.
Block over_the_wire(const Block& b) { return Block::from_json(json::parse(b.to_json().dump())).value(); }

// Signs the header again with the (public) devnet producer key: a producer that signs a
// block that breaks a rule, which only re-execution can catch.
Block resigned(Block b) {
  b.header.sig = dev_producer_key().sign_deterministic(b.header.hash());
  return b;
}

class AppendBlock : public ::testing::Test {
 protected:
  void SetUp() override {
    leader_dir_ = temp_dir(std::string(name()) + "_leader");
    follower_dir_ = temp_dir(std::string(name()) + "_follower");
    // The picker records each block's clearing, so the follower checks it by the rules.
    leader_ = open_core(leader_dir_, picker_.settle_fn());
    follower_ = open_core(follower_dir_, picker_.settle_fn());
    for (std::uint32_t i = 0; i < 3; ++i) {
      ASSERT_TRUE(leader_->submit(transfer(i, 100 + i, "5")).ok());
      ASSERT_TRUE(leader_->submit(swap(i + 5, 200 + i)).ok());
      auto mined = leader_->produce_block();
      ASSERT_TRUE(mined.ok()) << mined.error().message;
      blocks_.push_back(*mined->block);
    }
    ASSERT_TRUE(blocks_[0].clearing_pools.has_value()) << "the block records its clearing";
  }
  void TearDown() override {
    leader_.reset();
    follower_.reset();
    std::filesystem::remove_all(leader_dir_);
    std::filesystem::remove_all(follower_dir_);
  }
  static const char* name() { return ::testing::UnitTest::GetInstance()->current_test_info()->name(); }
  Hash32 follower_root() const {
    return follower_->inspect([](const Chain& c, const Mempool&) { return c.head().state_root; });
  }
  // Appends blocks_[0..n-1] as received.
  void append_first(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      auto r = follower_->append_block(over_the_wire(blocks_[i]));
      ASSERT_TRUE(r.ok()) << r.error().message;
    }
  }
  // `tampered` (block 2 altered) is refused with `rule`; nothing of the follower moves,
  // and the genuine block 2 is then taken.
  void expect_refused(const Block& tampered, const std::string& rule) {
    append_first(1);
    const Hash32 root = follower_root();
    const PublicKey payer = dev_secret_key(1).public_key();  // block 2's transfer moves its USDC
    const std::string before = follower_->get_balance(payer, "USDC").value();
    auto r = follower_->append_block(tampered);
    ASSERT_FALSE(r.ok()) << "a tampered block was taken (" << rule << ")";
    EXPECT_EQ(r.error().code, Errc::block_invalid) << r.error().message;
    EXPECT_EQ(r.error().field, rule) << r.error().message;
    EXPECT_EQ(r.error().message.rfind("block 2: ", 0), 0u) << r.error().message;
    EXPECT_EQ(follower_->height(), 1u);
    EXPECT_EQ(follower_root(), root);
    EXPECT_EQ(follower_->get_balance(payer, "USDC").value(), before) << "the state went back to block 1's";
    EXPECT_EQ(follower_->get_block(2, std::nullopt, false).value(), "null") << "block 2 was written";
    auto genuine = follower_->append_block(over_the_wire(blocks_[1]));
    EXPECT_TRUE(genuine.ok()) << genuine.error().message;
  }

  solvers::Picker picker_{{}, solvers::PickerOptions{}};
  std::filesystem::path leader_dir_, follower_dir_;
  std::unique_ptr<NodeCore> leader_, follower_;
  std::vector<Block> blocks_;
};

TEST_F(AppendBlock, ReachesTheLeadersHeadStateAndStoredBlocks) {
  append_first(blocks_.size());
  EXPECT_EQ(follower_->height(), leader_->height());
  EXPECT_EQ(follower_->node_info()["head"], leader_->node_info()["head"]);
  EXPECT_EQ(follower_root(), leader_->inspect([](const Chain& c, const Mempool&) { return c.head().state_root; }));
  for (std::uint64_t h = 0; h <= leader_->height(); ++h)
    EXPECT_EQ(follower_->get_block(h, std::nullopt, true).value(), leader_->get_block(h, std::nullopt, true).value())
        << "block " << h << " is stored as the leader stores it";
}

TEST_F(AppendBlock, RefusesAnAlteredTransferReceipt) {
  Block b = over_the_wire(blocks_[1]);
  ASSERT_EQ(b.receipts[0].status, ReceiptStatus::settled);
  b.receipts[0].sold = 6;  // the transfer moved 5
  b.header.receipts_root = receipts_root(b.receipts);
  expect_refused(resigned(b), "receipt");
}

TEST_F(AppendBlock, RefusesARecordedClearingThatBreaksTheRules) {
  Block b = over_the_wire(blocks_[1]);
  ASSERT_EQ(b.receipts[1].status, ReceiptStatus::settled) << b.to_json().dump();
  b.receipts[1].bought += 1000;  // the swap got more than the price gives
  b.header.receipts_root = receipts_root(b.receipts);
  Block signed_block = resigned(b);
  append_first(1);
  auto r = follower_->append_block(signed_block);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field.rfind("clearing.", 0), 0u) << r.error().field << ": " << r.error().message;
  EXPECT_EQ(follower_->height(), 1u);
}

TEST_F(AppendBlock, RefusesAWrongStateRootSignedByTheProducer) {
  Block b = over_the_wire(blocks_[1]);
  b.header.state_root = blocks_[0].header.state_root;
  expect_refused(resigned(b), "state_root");
}

TEST_F(AppendBlock, RefusesABadIntentSignature) {
  Block b = over_the_wire(blocks_[1]);
  b.intents[0].sig = b.intents[1].sig;
  expect_refused(b, "intent_sig");
}

TEST_F(AppendBlock, RefusesAnUnsignedOrForeignHeader) {
  Block edited = over_the_wire(blocks_[1]);
  edited.header.timestamp += 1;  // the signature no longer covers the header
  expect_refused(edited, "producer_sig");
}

TEST_F(AppendBlock, RefusesABlockThatDoesNotLink) {
  Block b = over_the_wire(blocks_[1]);
  b.header.parent = blocks_[1].header.hash();
  expect_refused(resigned(b), "parent");
}

TEST_F(AppendBlock, RefusesAlteredPrices) {
  Block b = over_the_wire(blocks_[1]);
  ASSERT_FALSE(b.prices.empty());
  // Not covered by the header's signature (prices are committed through the receipts): the
  // recorded clearing's pair price no longer matches its price vector.
  b.prices[0].num += 1;
  expect_refused(b, "clearing.pair_price");
}

// The Follower as a library (what a cluster member would reuse): catch_up() on the
// calling thread, against the leader core served over HTTP in process.
TEST_F(AppendBlock, FollowerCatchesUpOnTheCallingThread) {
  RpcDispatcher rpc(*leader_);
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  RpcServer server(*leader_, rpc, options);
  ASSERT_TRUE(server.listen().ok());
  server.start();
  FollowerOptions follow;
  follow.leader_url = "http://" + server.address();
  follow.log = [](const std::string&) {};
  Follower follower(*follower_, follow);
  auto appended = follower.catch_up();
  ASSERT_TRUE(appended.ok()) << appended.error().message;
  EXPECT_EQ(*appended, blocks_.size());
  EXPECT_EQ(follower_->node_info()["head"], leader_->node_info()["head"]);
  EXPECT_EQ(follower.progress().blocks, blocks_.size());
  EXPECT_EQ(follower.catch_up().value(), 0u) << "nothing new: nothing appended";
  server.stop();
  // The leader gone: an error that says so, nothing else changes.
  auto lost = follower.catch_up();
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, Errc::leader_unreachable) << lost.error().message;
  EXPECT_FALSE(follower.sync_error().has_value());
}

}  // namespace
}  // namespace pactum
