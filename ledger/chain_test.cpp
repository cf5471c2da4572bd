// Chain: produce, reopen, replay, halting on storage failure, tamper detection.
#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/replay.hpp"
#include "tamper.hpp"

#include <gtest/gtest.h>

#include "fault_env.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

const SettleFn kSettle = test::naive_transfer_settle;

PublicKey dev(std::uint32_t i) { return dev_secret_key(i).public_key(); }

// Three blocks: two transfers, an empty block, one settled and one rejected transfer.
void produce_three(Chain& chain) {
  const SecretKey producer = dev_producer_key();
  std::vector<Intent> b1 = {test::signed_transfer(0, 1, "USDC", "100", 1), test::signed_transfer(1, 2, "ETH", "5", 1)};
  ASSERT_TRUE(chain.produce(b1, 1000, producer, kSettle).ok());
  ASSERT_TRUE(chain.produce({}, 2000, producer, kSettle).ok());
  std::vector<Intent> b3 = {test::signed_transfer(2, 3, "USDC", "7", 9),
                            test::signed_transfer(3, 0, "ETH", "999999", 2)};
  auto r = chain.produce(b3, 3000, producer, kSettle);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->receipts[1].status, ReceiptStatus::rejected);
}

TEST(Chain, OpenEmptyDirWritesBlockZero) {
  test::TempDir dir;
  const Genesis g = test::small_genesis();
  auto chain = Chain::open(dir.str(), g);
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  EXPECT_EQ((*chain)->height(), 0u);
  EXPECT_EQ((*chain)->head().state_root, (*chain)->state().root());
  EXPECT_EQ((*chain)->state().balance(dev(2), "USDC"), 1000000);
}

TEST(Chain, ProduceLinksSignsAndAppliesBlocks) {
  test::TempDir dir;
  const Genesis g = test::small_genesis();
  auto chain = Chain::open(dir.str(), g);
  ASSERT_TRUE(chain.ok());
  Chain& c = **chain;
  const Hash32 parent = c.head().hash();
  std::vector<Intent> batch = {test::signed_transfer(0, 1, "USDC", "100", 1)};
  auto b = c.produce(batch, 1234, dev_producer_key(), kSettle);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->header.height, 1u);
  EXPECT_EQ(b->header.parent, parent);
  EXPECT_EQ(b->header.timestamp, 1234u);
  EXPECT_TRUE(verify(g.producer, b->header.hash(), b->header.sig));
  EXPECT_EQ(b->header.state_root, c.state().root());
  EXPECT_EQ(c.head().hash(), b->header.hash());
  EXPECT_EQ(c.state().balance(dev(0), "USDC"), 999900);
  EXPECT_EQ(c.state().balance(dev(1), "USDC"), 1000100);
  EXPECT_EQ(c.store().head_height(), 1u);

  // Only the genesis producer may sign.
  auto wrong = c.produce({}, 1, dev_secret_key(0), kSettle);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(c.height(), 1u);
}

// settle_block only reads; commit_block writes what produce() would, and refuses a
// settled batch whose parent is no longer the head.
TEST(Chain, SettleThenCommitEqualsProduceAndRefusesAStaleBatch) {
  test::TempDir dir_a, dir_b;
  const Genesis g = test::small_genesis();
  auto a = Chain::open(dir_a.str(), g);
  auto b = Chain::open(dir_b.str(), g);
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<Intent> batch = {test::signed_transfer(0, 1, "USDC", "100", 1)};
  auto produced = (*a)->produce(batch, 1234, dev_producer_key(), kSettle);
  ASSERT_TRUE(produced.ok());

  auto settled = (*b)->settle_block(batch, 1234, kSettle);
  ASSERT_TRUE(settled.ok()) << settled.error().message;
  EXPECT_EQ((*b)->height(), 0u);  // nothing applied yet
  EXPECT_EQ((*b)->state().balance(dev(0), "USDC"), 1000000);
  auto stale = (*b)->settle_block(std::span<const Intent>{}, 1234, kSettle);
  ASSERT_TRUE(stale.ok());
  auto committed = (*b)->commit_block(std::move(settled).value(), dev_producer_key());
  ASSERT_TRUE(committed.ok()) << committed.error().message;
  EXPECT_EQ(committed->header.hash(), produced->header.hash());
  EXPECT_EQ((*b)->state().root(), (*a)->state().root());

  auto refused = (*b)->commit_block(std::move(stale).value(), dev_producer_key());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::internal);
  EXPECT_EQ((*b)->height(), 1u);
}

TEST(Chain, ReopenRestoresHeadAndStateAndReplayAgrees) {
  test::TempDir dir;
  const Genesis g = test::small_genesis();
  Hash32 head_hash, root;
  {
    auto chain = Chain::open(dir.str(), g);
    ASSERT_TRUE(chain.ok());
    produce_three(**chain);
    head_hash = (*chain)->head().hash();
    root = (*chain)->state().root();
  }
  auto chain = Chain::open(dir.str(), g);
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  EXPECT_EQ((*chain)->height(), 3u);
  EXPECT_EQ((*chain)->head().hash(), head_hash);
  EXPECT_EQ((*chain)->state().root(), root);
  EXPECT_TRUE((*chain)->state().nonce_used(dev(2), 9));

  // Replay runs read-only beside the open chain.
  std::vector<std::uint64_t> seen;
  auto stats = replay(dir.str(), g, kSettle, std::nullopt, [&](std::uint64_t h, std::uint64_t) { seen.push_back(h); });
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->blocks, 3u);
  EXPECT_EQ(stats->intents, 4u);
  EXPECT_EQ(stats->final_root, root);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3}));

  auto partial = replay(dir.str(), g, kSettle, 1);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->blocks, 1u);
}

TEST(Chain, OpenRefusesAnotherGenesis) {
  test::TempDir dir;
  ASSERT_TRUE(Chain::open(dir.str(), test::small_genesis(4)).ok());
  auto other = Chain::open(dir.str(), test::small_genesis(5));  // different block 0
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, Errc::genesis_invalid);
  Genesis renamed = test::small_genesis(4);
  renamed.chain_id = "other-chain";
  auto wrong_id = Chain::open(dir.str(), renamed);
  ASSERT_FALSE(wrong_id.ok());
  EXPECT_NE(wrong_id.error().message.find("pactum-test"), std::string::npos);
}

TEST(Chain, StorageFailureHaltsAndKeepsCommittedState) {
  test::TempDir dir;
  const Genesis g = test::small_genesis();
  pactum::testing::FaultEnv faults;
  auto chain = Chain::open(dir.str(), g, faults.env());
  ASSERT_TRUE(chain.ok());
  Chain& c = **chain;
  ASSERT_TRUE(
      c.produce(std::vector<Intent>{test::signed_transfer(0, 1, "USDC", "1", 1)}, 1, dev_producer_key(), kSettle).ok());
  const Hash32 committed_root = c.state().root();
  faults.fail_writes();  // as a full disk would

  auto failed =
      c.produce(std::vector<Intent>{test::signed_transfer(0, 1, "USDC", "50", 2)}, 2, dev_producer_key(), kSettle);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, Errc::halted);
  EXPECT_NE(failed.error().message.find("block 2"), std::string::npos) << failed.error().message;
  EXPECT_TRUE(c.halted());
  EXPECT_EQ(c.height(), 1u);
  EXPECT_EQ(c.state().root(), committed_root);  // back to what the disk holds
  EXPECT_EQ(c.state().balance(dev(1), "USDC"), 1000001);

  faults.fail_writes(false);
  auto later = c.produce({}, 3, dev_producer_key(), kSettle);
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().code, Errc::halted);
  chain->reset();

  auto reopened = Chain::open(dir.str(), g);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ((*reopened)->height(), 1u);
  EXPECT_EQ((*reopened)->state().root(), committed_root);
}

// apply_block, write_block, finish_block: the block is in memory (head and state) before
// it is written; a failed write halts the chain and takes both back to the disk's.
TEST(Chain, AppliedBlockIsAheadUntilWrittenAndAFailedWriteGoesBack) {
  test::TempDir dir;
  const Genesis g = test::small_genesis();
  pactum::testing::FaultEnv faults;
  auto chain = Chain::open(dir.str(), g, faults.env());
  ASSERT_TRUE(chain.ok());
  Chain& c = **chain;
  auto settle = [&](const char* amount, std::uint64_t nonce) {
    auto s = c.settle_block(std::vector<Intent>{test::signed_transfer(0, 1, "USDC", amount, nonce)}, nonce, kSettle);
    EXPECT_TRUE(s.ok());
    return std::move(s).value();
  };
  auto applied = c.apply_block(settle("1", 1), dev_producer_key());
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(c.height(), 1u);
  EXPECT_EQ(c.state().balance(dev(1), "USDC"), 1000001);
  EXPECT_FALSE(c.store().head_height() == std::optional<std::uint64_t>(1));  // not on disk yet
  auto early = c.settle_block(std::vector<Intent>{}, 2, kSettle);
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(c.apply_block(std::move(early).value(), dev_producer_key()).ok());  // block 1 is not written
  const Result<void> written = c.write_block(*applied);
  ASSERT_TRUE(written.ok()) << written.error().message;
  ASSERT_TRUE(c.finish_block(*applied, written).ok());
  EXPECT_EQ(c.store().head_height(), std::optional<std::uint64_t>(1));
  const Hash32 committed_root = c.state().root();
  const Hash32 committed_head = c.head().hash();

  faults.fail_writes();  // as a full disk would
  auto second = c.apply_block(settle("50", 2), dev_producer_key());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(c.height(), 2u);
  const Result<void> failed_write = c.write_block(*second);
  ASSERT_FALSE(failed_write.ok());
  auto finished = c.finish_block(*second, failed_write);
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().code, Errc::halted);
  EXPECT_TRUE(c.halted());
  EXPECT_EQ(c.height(), 1u);
  EXPECT_EQ(c.head().hash(), committed_head);
  EXPECT_EQ(c.state().root(), committed_root);
  EXPECT_EQ(c.state().balance(dev(1), "USDC"), 1000001);
  faults.fail_writes(false);
  chain->reset();
  auto reopened = Chain::open(dir.str(), g);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ((*reopened)->height(), 1u);
  EXPECT_EQ((*reopened)->state().root(), committed_root);
}

class ChainTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    auto chain = Chain::open(dir.str(), g);
    ASSERT_TRUE(chain.ok());
    produce_three(**chain);
    chain_ = std::move(*chain);
  }
  // Reads the stored block, closes the chain (one opener at a time), then edits it.
  void edit_block(std::uint64_t height, const std::function<void(nlohmann::json&)>& edit) {
    ASSERT_TRUE(chain_) << "one edit per test";
    auto text = chain_->store().block_json_at(height);
    ASSERT_TRUE(text.ok() && text->has_value());
    auto j = nlohmann::json::parse(**text);
    edit(j);
    chain_.reset();
    ASSERT_TRUE(pactum::testing::overwrite_block_json(dir.str(), height, j.dump()).ok());
  }
  std::string replay_error() {
    auto r = replay(dir.str(), g, kSettle);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message;
  }
  test::TempDir dir;
  Genesis g = test::small_genesis();
  std::unique_ptr<Chain> chain_;
};

TEST_F(ChainTamper, EditedReceiptIsFoundAtItsHeight) {
  edit_block(3, [](nlohmann::json& j) { j["receipts"][0]["sold"] = "8"; });
  const std::string e = replay_error();
  EXPECT_EQ(e.rfind("block 3: receipt 0", 0), 0u) << e;
}

TEST_F(ChainTamper, EditedHeaderFieldIsFoundAtItsHeight) {
  edit_block(2, [](nlohmann::json& j) { j["timestamp"] = 2001; });
  const std::string e = replay_error();
  EXPECT_EQ(e.rfind("block 2: ", 0), 0u) << e;
  EXPECT_NE(e.find("hash"), std::string::npos) << e;
}

TEST_F(ChainTamper, ResignedBlockWithAnotherStateRootIsFound) {
  // A producer-signed block whose state root is wrong: only re-execution can tell.
  edit_block(3, [](nlohmann::json& j) {
    auto h = BlockHeader::from_json(nlohmann::json{{"height", j["height"]},
                                                   {"parent", j["parent"]},
                                                   {"timestamp", j["timestamp"]},
                                                   {"state_root", j["state_root"]},
                                                   {"intents_root", j["intents_root"]},
                                                   {"receipts_root", j["receipts_root"]},
                                                   {"producer", j["producer"]},
                                                   {"sig", j["sig"]}});
    ASSERT_TRUE(h.ok());
    h->state_root.bytes[0] ^= 1;
    h->sig = dev_producer_key().sign_deterministic(h->hash());
    const nlohmann::json resigned = h->to_json();
    for (auto it = resigned.begin(); it != resigned.end(); ++it) j[it.key()] = it.value();
  });
  const std::string e = replay_error();
  EXPECT_EQ(e.rfind("block 3: state root differs", 0), 0u) << e;
}

TEST_F(ChainTamper, ForgedProducerSignatureIsFound) {
  edit_block(1, [](nlohmann::json& j) {
    std::string sig = j["sig"];
    sig[0] = sig[0] == '0' ? '1' : '0';
    j["sig"] = sig;
  });
  const std::string e = replay_error();
  EXPECT_EQ(e, "block 1: producer signature does not verify");
}

TEST_F(ChainTamper, ForgedIntentSignatureIsFound) {
  edit_block(1, [](nlohmann::json& j) {
    std::string sig = j["intents"][1]["sig"];
    sig[5] = sig[5] == 'a' ? 'b' : 'a';
    j["intents"][1]["sig"] = sig;
  });
  const std::string e = replay_error();
  EXPECT_EQ(e.rfind("block 1: signature of intent 1", 0), 0u) << e;
}

TEST_F(ChainTamper, DifferentSettlementIsFound) {
  // Same blocks, but a settlement rule that rejects everything: block 1 already differs.
  SettleFn reject_all = [](const StateView& v, std::span<const Intent> batch, const BlockContext& ctx) {
    Settlement s = test::naive_transfer_settle(v, batch, ctx);
    for (auto& r : s.receipts) r.status = ReceiptStatus::rejected;
    s.delta = StateDelta();
    return s;
  };
  auto r = replay(dir.str(), g, reject_all);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("block 1: receipt 0", 0), 0u) << r.error().message;
}

}  // namespace
}  // namespace pactum
