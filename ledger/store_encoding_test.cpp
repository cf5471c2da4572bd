// The stored block text is written by hand (store.cpp encode_block) for speed: it must
// parse to exactly Block::to_json() and read back to the same block, whatever the
// receipt strings hold.
#include <gtest/gtest.h>

#include "pactum/ledger/store.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

TEST(StoreEncoding, HandWrittenBlockTextIsTheValueOfToJson) {
  test::TempDir dir;
  const Genesis g = test::small_genesis();
  const StateDelta delta = genesis_delta(g);
  State state;
  state.apply(delta);
  const Block block0 = genesis_block(g, state.root());

  Block b;
  b.header.height = 1;
  b.header.parent = block0.header.hash();
  b.header.producer = g.producer;
  b.prices.push_back(Price{"ETH", "USDC", BigInt(2900), BigInt(3)});
  const char* messages[] = {"plain ascii", "quote \" and backslash \\ inside", "line\nbreak\tand\x01control",
                            "utf-8: caf\xc3\xa9 \xe2\x82\xac", ""};
  for (int i = 0; i < 5; ++i) {
    b.intents.push_back(test::signed_transfer(0, 1, "USDC", "1", 100 + i));
    Receipt r;
    r.intent = b.intents.back().id;
    r.status = i % 2 ? ReceiptStatus::unfilled : ReceiptStatus::settled;
    r.reason = i % 2 ? "limit_not_reached" : "";
    r.message = messages[i];
    r.sold_asset = "USDC";
    r.sold = Amount(12345) << (i * 40);
    r.bought_asset = i == 2 ? "" : "ETH";
    r.bought = i;
    r.partial_fill = i == 3;
    if (i != 4) r.price = b.prices[0];
    b.receipts.push_back(r);
  }

  auto store = Store::open(dir.str());
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)->commit_genesis(block0, delta, g.chain_id).ok());
  ASSERT_TRUE((*store)->commit(b, StateDelta()).ok());
  EXPECT_EQ(nlohmann::json::parse(**(*store)->block_json_at(1)), b.to_json());
  auto back = (*store)->block_at(1);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->receipts, b.receipts);
  EXPECT_EQ((*back)->prices, b.prices);
  EXPECT_EQ((*back)->header.hash(), b.header.hash());
}

}  // namespace
}  // namespace pactum
