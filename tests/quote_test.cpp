// pactum_quote through the real node: a quote predicts the receipt the same swap then
// gets in the next block (alone against a pool, and next to a pending crossing swap); it
// explains a swap that would not fill; it stores nothing; its errors name the field.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::testing {
namespace {

const std::string kEth = "1000000000000000000";

json unsigned_swap(std::uint32_t dev, const std::string& sell, const std::string& buy, const std::string& side,
                   const std::string& sell_amount, const std::string& buy_amount, bool partial) {
  return {{"kind", "swap"}, {"signer", dev_account(dev).hex()}, {"sell_asset", sell},       {"buy_asset", buy},
          {"side", side},   {"sell_amount", sell_amount},       {"buy_amount", buy_amount}, {"partial", partial}};
}

json quote(client::RpcClient& rpc, const json& swap) { return rpc.call("pactum_quote", json::array({swap})); }

// Signs exactly what was quoted (with the nonce and valid_until the quote chose), submits
// it, mines one block, and returns the swap's receipt.
json sign_submit_mine(client::RpcClient& rpc, std::uint32_t dev, json swap, const json& q) {
  swap["nonce"] = q["nonce"];
  swap["valid_until"] = q["height"];
  const std::string id = submit(rpc, sign_with_dev(dev, swap));
  rpc.call("pactum_mine", json::array({1}));
  json status = wait_final(rpc, id, std::chrono::seconds(5));
  return status["receipt"];
}

void expect_quote_matches(const json& q, const json& receipt) {
  EXPECT_EQ(q["status"], receipt["status"]) << q.dump() << "\n" << receipt.dump();
  EXPECT_EQ(q["sold"], receipt["sold"]);
  EXPECT_EQ(q["bought"], receipt["bought"]);
  EXPECT_EQ(q["reason"], receipt["reason"]);
  EXPECT_EQ(q["partial"], receipt.value("partial_fill", false));
  if (receipt.contains("price")) {
    EXPECT_EQ(q["price"], receipt["price"]);
  }
}

TEST(Quote, PredictsTheReceiptOfASwapAgainstThePool) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  const json swap = unsigned_swap(1, "ETH", "USDC", "sell", kEth, "2900000000", false);
  json q = quote(rpc, swap);
  EXPECT_TRUE(q["would_fill"].get<bool>()) << q.dump();
  EXPECT_EQ(q["status"], "settled");
  EXPECT_EQ(q["sold"], kEth);
  EXPECT_GE(BigInt(q["bought"].get<std::string>()), BigInt(2900000000));
  EXPECT_FALSE(q["price"].is_null());
  EXPECT_EQ(q["height"], height(rpc) + 1);
  EXPECT_EQ(q["batch"], 1);
  // Quoting stores nothing.
  EXPECT_TRUE(rpc.call("pactum_pendingIntents").empty());
  EXPECT_FALSE(rpc.call("pactum_nonceUsed", json::array({dev_account(1).hex(), q["nonce"]})).get<bool>());

  expect_quote_matches(q, sign_submit_mine(rpc, 1, swap, q));
}

TEST(Quote, CountsThePendingBatch) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  // A pending buyer of 1 ETH crosses the quoted seller: the quote sees it.
  submit(rpc, signed_swap(2, "USDC", "ETH", "buy", "3100000000", kEth));
  const json swap = unsigned_swap(1, "ETH", "USDC", "sell", kEth, "2900000000", true);
  json q = quote(rpc, swap);
  EXPECT_TRUE(q["would_fill"].get<bool>()) << q.dump();
  EXPECT_EQ(q["batch"], 2);
  expect_quote_matches(q, sign_submit_mine(rpc, 1, swap, q));
}

TEST(Quote, ExplainsASwapThatWouldNotFill) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  // 5000 USDC per ETH is far beyond the pool's 3000.
  json q = quote(rpc, unsigned_swap(1, "ETH", "USDC", "sell", kEth, "5000000000", true));
  EXPECT_FALSE(q["would_fill"].get<bool>());
  EXPECT_EQ(q["status"], "unfilled");
  EXPECT_EQ(q["reason"], "limit_not_reached");
  EXPECT_FALSE(q["message"].get<std::string>().empty());
  EXPECT_EQ(q["sold"], "0");
  // An account without funds: rejected, and the reason says so.
  json unfunded = unsigned_swap(1, "ETH", "USDC", "sell", kEth, "1", false);
  unfunded["signer"] = SecretKey::from_hex(std::string(63, '0') + "7").value().public_key().hex();
  json r = quote(rpc, unfunded);
  EXPECT_EQ(r["status"], "rejected") << r.dump();
  EXPECT_EQ(r["reason"], "insufficient_balance");
}

TEST(Quote, ErrorsNameTheField) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  auto error_of = [&](const json& params) {
    try {
      rpc.call("pactum_quote", params);
    } catch (const client::RpcError& e) {
      return std::pair<std::string, std::string>{e.reason, e.field};
    }
    return std::pair<std::string, std::string>{"no error", ""};
  };
  const json good = unsigned_swap(1, "ETH", "USDC", "sell", kEth, "1", false);
  EXPECT_EQ(error_of(json::array()), (std::pair<std::string, std::string>{"invalid_params", "intent"}));
  EXPECT_EQ(error_of(json::array({"swap"})), (std::pair<std::string, std::string>{"invalid_params", "intent"}));
  json transfer = good;
  transfer["kind"] = "transfer";
  EXPECT_EQ(error_of(json::array({transfer})), (std::pair<std::string, std::string>{"invalid_params", "kind"}));
  json bad_amount = good;
  bad_amount["sell_amount"] = "1.5";
  EXPECT_EQ(error_of(json::array({bad_amount})),
            (std::pair<std::string, std::string>{"invalid_params", "sell_amount"}));
  json unknown = good;
  unknown["buy_asset"] = "XYZ";
  EXPECT_EQ(error_of(json::array({unknown})), (std::pair<std::string, std::string>{"unknown_asset", "buy_asset"}));
  json other_chain = good;
  other_chain["chain"] = "another-chain";
  EXPECT_EQ(error_of(json::array({other_chain})), (std::pair<std::string, std::string>{"wrong_chain", "chain"}));
  json no_signer = good;
  no_signer.erase("signer");
  EXPECT_EQ(error_of(json::array({no_signer})), (std::pair<std::string, std::string>{"invalid_params", "signer"}));
  // Named parameters work too.
  EXPECT_TRUE(rpc.call("pactum_quote", json{{"intent", good}}).contains("would_fill"));
}

}  // namespace
}  // namespace pactum::testing

namespace pactum::testing {
namespace {

// Issue 18: a quote and a simulation see the block the producer would make, room fee and
// producer room keys included (one construction of the next batch and its context). A
// pending room_open makes its opener pay the genesis room fee (1 USDC on the devnet) in the
// next block, so a swap of the opener's whole USDC balance would no longer be funded.
TEST(Quote, SeesThePendingRoomFeeLikeTheProducer) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  const std::uint32_t opener = 15;
  const std::string all_usdc = balance(rpc, dev_account(opener), "USDC");
  const json swap = unsigned_swap(opener, "USDC", "ETH", "sell", all_usdc, "1", false);
  EXPECT_EQ(quote(rpc, swap)["status"], "settled") << "without the room, the whole balance trades";

  const std::uint64_t close = height(rpc) + 5;
  const json terms = {{"mechanism", "midpoint"},
                      {"seller", dev_account(opener).hex()},
                      {"buyer", dev_account(16).hex()},
                      {"asset", "ETH"},
                      {"amount", kEth},
                      {"pay_asset", "USDC"},
                      {"range", {"2000000000", "4000000000"}},
                      {"close_height", close}};
  const std::string room = submit(rpc, sign_with_dev(opener, {{"kind", "room_open"}, {"terms", terms}}));
  const json q = quote(rpc, swap);
  EXPECT_EQ(q["status"], "rejected") << q.dump();
  EXPECT_EQ(q["reason"], "insufficient_balance") << q.dump();

  // The same in a simulation of the pending state: the bundle that moves the whole balance fails.
  const json bundle = {{"kind", "bundle"},
                       {"signer", dev_account(opener).hex()},
                       {"steps", json::array({{{"op", "transfer"},
                                               {"from", dev_account(opener).hex()},
                                               {"to", dev_account(17).hex()},
                                               {"asset", "USDC"},
                                               {"amount", all_usdc}}})}};
  EXPECT_TRUE(rpc.call("pactum_simulateBundle", json::array({bundle, "latest"}))["ok"].get<bool>());
  EXPECT_FALSE(rpc.call("pactum_simulateBundle", json::array({bundle, "pending"}))["ok"].get<bool>());

  // And the block agrees: the room opens and the fee is paid.
  rpc.call("pactum_mine");
  EXPECT_EQ(rpc.call("pactum_getIntent", json::array({room}))["status"], "settled");
  EXPECT_EQ(BigInt(balance(rpc, dev_account(opener), "USDC")) + BigInt(1000000), BigInt(all_usdc));
}

}  // namespace
}  // namespace pactum::testing
