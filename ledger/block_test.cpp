// Blocks and receipts: JSON round trips, hash stability, list roots, strict decoding.
#include "pactum/ledger/block.hpp"

#include <gtest/gtest.h>

#include "pactum/intents/jcs.hpp"
#include "test_support.hpp"

namespace pactum {
namespace {

Receipt sample_receipt(const Hash32& id) {
  Receipt r;
  r.intent = id;
  r.status = ReceiptStatus::settled;
  r.sold_asset = "ETH";
  r.sold = Amount("1000000000000000000");
  r.bought_asset = "USDC";
  r.bought = 2999;
  r.price = Price{"ETH", "USDC", BigInt(2999), BigInt("1000000000000000000")};
  r.partial_fill = true;
  r.message = "settled at the clearing price";
  return r;
}

Block sample_block() {
  Block b;
  b.intents.push_back(test::signed_transfer(0, 1, "USDC", "25", 1));
  b.intents.push_back(test::signed_transfer(1, 2, "ETH", "3", 7));
  b.receipts.push_back(sample_receipt(b.intents[0].id));
  Receipt rejected;
  rejected.intent = b.intents[1].id;
  rejected.status = ReceiptStatus::rejected;
  rejected.reason = "insufficient_balance";
  rejected.message = "balance 0 ETH is below 3";
  rejected.sold_asset = "ETH";
  b.receipts.push_back(rejected);
  b.prices.push_back(*b.receipts[0].price);
  BlockHeader& h = b.header;
  h.height = 5;
  h.parent.bytes.fill(0xab);
  h.timestamp = 1700000000123;
  h.state_root.bytes.fill(0x11);
  h.intents_root = intents_root(b.intents);
  h.receipts_root = receipts_root(b.receipts);
  h.producer = dev_producer_key().public_key();
  h.sig = dev_producer_key().sign_deterministic(h.hash());
  return b;
}

TEST(Receipt, JsonHasTheDocumentedFields) {
  Receipt r = sample_receipt(Hash32{});
  auto j = r.to_json();
  EXPECT_EQ(j["status"], "settled");
  EXPECT_EQ(j["sold"], "1000000000000000000");
  EXPECT_EQ(j["price"]["den"], "1000000000000000000");
  EXPECT_EQ(j["partial_fill"], true);
  r.price.reset();
  EXPECT_FALSE(r.to_json().contains("price"));
}

TEST(Receipt, RoundTripAndHashFollowsContent) {
  Receipt r = sample_receipt(Hash32{});
  auto back = Receipt::from_json(r.to_json());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, r);
  EXPECT_EQ(back->hash(), r.hash());
  Receipt other = r;
  other.bought += 1;
  EXPECT_NE(other.hash(), r.hash());
  auto j = r.to_json();
  j["sold"] = 5;
  auto bad = Receipt::from_json(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "receipt.sold");
  j = r.to_json();
  j["status"] = "done";
  EXPECT_EQ(Receipt::from_json(j).error().field, "receipt.status");
}

// Receipt::hash writes the canonical JSON directly; it must be exactly the tagged hash
// of canonical(to_json()), the documented definition, for every shape of receipt.
TEST(Receipt, HashIsTaggedHashOfCanonicalJson) {
  const TaggedHasher hasher("pactum/receipt/v1");
  auto expected = [&](const Receipt& r) { return hasher(as_bytes(canonicalize(r.to_json()).value())); };
  Receipt r = sample_receipt(test::signed_transfer(0, 1, "USDC", "25", 1).id);
  EXPECT_EQ(r.hash(), expected(r));
  r.price.reset();
  r.partial_fill = false;
  r.status = ReceiptStatus::unfilled;
  r.reason = "limit_not_reached";
  r.message =
      std::string("quote \" backslash \\ controls \b\f\n\r\t \x01\x1f del \x7f utf-8 \xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(r.hash(), expected(r));
  r.related = {r.intent, Hash32{}};
  r.step = 3;
  r.price = Price{"A\"B", "C", BigInt(0), BigInt("340282366920938463463374607431768211457")};
  r.sold = Amount("115792089237316195423570985008687907853269984665640564039457584007913129639935");
  EXPECT_EQ(r.hash(), expected(r));
  r.sold_asset.clear();
  r.bought_asset = "\t";
  EXPECT_EQ(r.hash(), expected(r));
}

TEST(Price, RejectsNonCanonicalNumbers) {
  auto j = Price{"ETH", "USDC", 3, 2}.to_json();
  EXPECT_TRUE(Price::from_json(j).ok());
  j["den"] = "0";
  EXPECT_EQ(Price::from_json(j).error().field, "price.den");
  j["den"] = "02";
  EXPECT_EQ(Price::from_json(j).error().field, "price.den");
  j = Price{"USDC", "ETH", 3, 2}.to_json();
  EXPECT_EQ(Price::from_json(j).error().field, "price.quote");
}

TEST(Block, JsonRoundTripKeepsHashAndContent) {
  const Block b = sample_block();
  const std::string text = b.to_json().dump();
  auto back = Block::from_json(nlohmann::json::parse(text));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->header.hash(), b.header.hash());
  EXPECT_EQ(back->header.sig, b.header.sig);
  ASSERT_EQ(back->intents.size(), 2u);
  EXPECT_EQ(back->intents[1].id, b.intents[1].id);
  EXPECT_EQ(back->receipts, b.receipts);
  EXPECT_EQ(back->prices, b.prices);
  EXPECT_EQ(back->to_json().dump(), text);
  EXPECT_EQ(b.to_json()["hash"], b.header.hash().hex());
}

// The receipt texts a block built here carries are a cache: the root and the JSON come
// out the same with and without them.
TEST(Block, ReceiptTextsGiveTheSameRootAndJson) {
  Block b = sample_block();
  const Hash32 root = receipts_root(b.receipts);
  EXPECT_EQ(receipts_root(b), root);  // not filled: computed
  std::string before;
  for (std::size_t i = 0; i < b.receipts.size(); ++i) b.append_receipt_json(before, i);
  b.fill_receipt_texts();
  ASSERT_EQ(b.receipt_texts.size(), b.receipts.size());
  EXPECT_EQ(receipts_root(b), root);
  std::string after;
  for (std::size_t i = 0; i < b.receipts.size(); ++i) {
    EXPECT_EQ(b.receipt_texts[i], canonicalize(b.receipts[i].to_json()).value());
    b.append_receipt_json(after, i);
  }
  EXPECT_EQ(after, before);
}

TEST(Block, HashCoversEveryHeaderFieldButNotTheSignature) {
  const BlockHeader h = sample_block().header;
  const Hash32 base = h.hash();
  auto changed = [&](auto mutate) {
    BlockHeader c = h;
    mutate(c);
    return c.hash() != base;
  };
  EXPECT_TRUE(changed([](BlockHeader& c) { c.height += 1; }));
  EXPECT_TRUE(changed([](BlockHeader& c) { c.timestamp += 1; }));
  EXPECT_TRUE(changed([](BlockHeader& c) { c.parent.bytes[0] ^= 1; }));
  EXPECT_TRUE(changed([](BlockHeader& c) { c.state_root.bytes[0] ^= 1; }));
  EXPECT_TRUE(changed([](BlockHeader& c) { c.intents_root.bytes[0] ^= 1; }));
  EXPECT_TRUE(changed([](BlockHeader& c) { c.receipts_root.bytes[0] ^= 1; }));
  EXPECT_TRUE(changed([](BlockHeader& c) { c.producer = dev_secret_key(0).public_key(); }));
  EXPECT_FALSE(changed([](BlockHeader& c) { c.sig.bytes[0] ^= 1; }));
}

TEST(Block, HashIsTaggedHashOfCanonicalHeader) {
  // Pins the documented construction so that a change of encoding cannot go unnoticed.
  const BlockHeader h = sample_block().header;
  nlohmann::json j = h.to_json();
  j.erase("hash");
  j.erase("sig");
  auto jcs = canonicalize(j);
  ASSERT_TRUE(jcs.ok());
  EXPECT_EQ(h.hash(), tagged_hash("pactum/block/v1", as_bytes(*jcs)));
  EXPECT_EQ(jcs->substr(0, 19), "{\"height\":5,\"intent");
}

TEST(Block, DecodingRefusesEditsAndMismatches) {
  auto j = sample_block().to_json();
  j["timestamp"] = 1;  // hash no longer matches the fields
  auto bad = Block::from_json(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "hash");

  j = sample_block().to_json();
  std::swap(j["receipts"][0], j["receipts"][1]);
  EXPECT_EQ(Block::from_json(j).error().field, "receipts[0].intent");

  j = sample_block().to_json();
  j["receipts"].erase(1);
  EXPECT_EQ(Block::from_json(j).error().field, "receipts");

  j = sample_block().to_json();
  j["intents"][1]["amount"] = "x";
  bad = Block::from_json(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field.rfind("intents[1]", 0), 0u) << bad.error().field;

  j = sample_block().to_json();
  j["surprise"] = true;
  EXPECT_EQ(Block::from_json(j).error().field, "surprise");
}

TEST(ListRoot, PairsNeighboursAndLiftsTheOddOne) {
  EXPECT_TRUE(list_root({}).is_zero());
  Hash32 a, b, c;
  a.bytes.fill(1);
  b.bytes.fill(2);
  c.bytes.fill(3);
  EXPECT_EQ(list_root({a}), a);
  auto node = [](const Hash32& l, const Hash32& r) {
    std::string m(reinterpret_cast<const char*>(l.bytes.data()), 32);
    m.append(reinterpret_cast<const char*>(r.bytes.data()), 32);
    return tagged_hash("pactum/list/v1", as_bytes(m));
  };
  EXPECT_EQ(list_root({a, b}), node(a, b));
  EXPECT_EQ(list_root({a, b, c}), node(node(a, b), c));
  EXPECT_NE(list_root({b, a}), list_root({a, b}));
}

}  // namespace
}  // namespace pactum
