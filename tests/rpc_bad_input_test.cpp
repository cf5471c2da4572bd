// Bad input over HTTP: every class is refused with its precise code and reason, and
// nothing is written (no block, no balance change, nothing pending).
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/intents/result.hpp"

namespace pactum::testing {
namespace {

class BadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { node_ = new TestNode(); }
  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }
  client::RpcClient& rpc() { return node_->rpc(); }

  // What must not change when a request is refused.
  json snapshot() {
    json s{{"height", height(rpc())}, {"pending", rpc().call("pactum_pendingIntents")}};
    for (std::uint32_t i : {0u, 1u}) {
      for (std::string asset : {"USDC", "ETH"}) {
        s["balances"].push_back(balance(rpc(), dev_account(i), asset));
      }
    }
    return s;
  }

  // A single-request answer must be a JSON-RPC error with this code and reason.
  static void expect_error(const json& answer, Errc code, const std::string& field = {}) {
    ASSERT_TRUE(answer.is_object()) << answer.dump();
    ASSERT_TRUE(answer.contains("error")) << answer.dump();
    EXPECT_EQ(answer["error"]["code"], static_cast<int>(code)) << answer.dump();
    EXPECT_EQ(answer["error"]["data"]["reason"], std::string(errc_name(code))) << answer.dump();
    EXPECT_FALSE(answer["error"]["message"].get<std::string>().empty());
    if (!field.empty()) {
      EXPECT_EQ(answer["error"]["data"]["field"], field) << answer.dump();
    }
  }

  json submit_raw(const json& intent) {
    return rpc().call_raw(client::make_request("pactum_submitIntent", json::array({intent}), 7));
  }

  // Submits `intent`, expects the error, and that nothing changed.
  void expect_refused(const json& intent, Errc code, const std::string& field = {}) {
    json before = snapshot();
    expect_error(submit_raw(intent), code, field);
    EXPECT_EQ(snapshot(), before);
  }

  static TestNode* node_;
};
TestNode* BadInput::node_ = nullptr;

TEST_F(BadInput, MalformedJson) {
  json before = snapshot();
  auto res = rpc().http().post(R"({"jsonrpc":"2.0","id":1,"method":"pactum_submitIntent","params":[{)");
  expect_error(json::parse(res.body), Errc::parse_error);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, WrongTypes) {
  json before = snapshot();
  // A number where an account string belongs.
  expect_error(rpc().call_raw(client::make_request("pactum_getBalance", json::array({123, "USDC"}), 1)),
               Errc::invalid_params);
  // params that are neither array nor object, and a method that is not a string.
  expect_error(rpc().call_raw(json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", 5}}), Errc::invalid_request);
  // An intent whose nonce is a string.
  json intent = signed_transfer(0, dev_account(1), "USDC", "5");
  intent["nonce"] = "5";
  expect_error(submit_raw(intent), Errc::invalid_params, "nonce");
  // An amount written as a number.
  intent = signed_transfer(0, dev_account(1), "USDC", "5");
  intent["amount"] = 5;
  expect_error(submit_raw(intent), Errc::invalid_params, "amount");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, OversizedRequestIs413) {
  json before = snapshot();
  std::string body = R"({"jsonrpc":"2.0","id":1,"method":"pactum_blockNumber","params":[],"pad":")";
  body.append(9u << 20, 'x');
  body += "\"}";
  auto res = rpc().http().post(body);
  EXPECT_EQ(res.status, 413);
  json answer = json::parse(res.body, nullptr, false);
  ASSERT_FALSE(answer.is_discarded()) << res.body.substr(0, 200);
  expect_error(answer, Errc::request_too_large);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, BadSignature) {
  json intent = signed_transfer(0, dev_account(1), "USDC", "5");
  std::string sig = intent["sig"];
  sig.back() = sig.back() == '0' ? '1' : '0';
  intent["sig"] = sig;
  expect_refused(intent, Errc::bad_signature);
}

TEST_F(BadInput, WrongChain) {
  expect_refused(sign_with_dev(0, {{"kind", "transfer"},
                                   {"chain", "other-chain"},
                                   {"asset", "USDC"},
                                   {"to", dev_account(1).hex()},
                                   {"amount", "5"}}),
                 Errc::wrong_chain);
}

TEST_F(BadInput, UnknownAsset) { expect_refused(signed_transfer(0, dev_account(1), "NOPE", "5"), Errc::unknown_asset); }

TEST_F(BadInput, OverflowingAmount) {
  json intent = signed_transfer(0, dev_account(1), "USDC", "5");
  intent["amount"] = "1" + std::string(80, '0');
  expect_refused(intent, Errc::invalid_params, "amount");
}

TEST_F(BadInput, AmountWithLeadingZero) {
  json intent = signed_transfer(0, dev_account(1), "USDC", "5");
  intent["amount"] = "0100";
  expect_refused(intent, Errc::invalid_params, "amount");
}

TEST_F(BadInput, ExpiredIntent) {
  // valid_until 0 is below the next block's height (at least 1).
  expect_refused(signed_transfer(0, dev_account(1), "USDC", "5", 0), Errc::expired);
}

TEST_F(BadInput, InsufficientBalance) {
  expect_refused(signed_transfer(0, dev_account(1), "USDC", "1" + std::string(30, '0')), Errc::insufficient_balance);
}

TEST_F(BadInput, ReplayedIntentAfterSettlement) {
  json intent = signed_transfer(0, dev_account(1), "USDC", "7");
  std::string id = submit(rpc(), intent);
  ASSERT_EQ(wait_final(rpc(), id)["status"], "settled");
  json before = snapshot();
  json answer = submit_raw(intent);
  ASSERT_TRUE(answer.contains("error")) << answer.dump();
  const int code = answer["error"]["code"];
  EXPECT_TRUE(code == static_cast<int>(Errc::duplicate) || code == static_cast<int>(Errc::nonce_used)) << answer.dump();
  // The same nonce in a new intent (different amount) is refused too.
  json again = sign_with_dev(0, {{"kind", "transfer"},
                                 {"asset", "USDC"},
                                 {"to", dev_account(1).hex()},
                                 {"amount", "8"},
                                 {"nonce", intent["nonce"]}});
  expect_error(submit_raw(again), Errc::nonce_used);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, UnknownMethod) {
  json before = snapshot();
  expect_error(rpc().call_raw(client::make_request("pactum_noSuchMethod", json::array(), 3)), Errc::method_not_found);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, CountsOutsideTheirRangeAreRefusedAndMineNothing) {
  json before = snapshot();
  auto call = [&](const char* method, json params) {
    return rpc().call_raw(client::make_request(method, std::move(params), 9));
  };
  for (json bad : {json(0), json(101), json(-1), json("5"), json(1.5)}) {
    json answer = call("pactum_mine", json::array({bad}));
    expect_error(answer, Errc::invalid_params, "count");
    EXPECT_EQ(answer["error"]["message"], "count: must be an integer in [1, 100]") << answer.dump();
  }
  expect_error(call("pactum_getBlocks", json::array({nullptr, 101})), Errc::invalid_params, "count");
  json rooms = call("pactum_getRooms", json::array({nullptr, 1001}));
  expect_error(rooms, Errc::invalid_params, "limit");
  EXPECT_EQ(rooms["error"]["message"], "limit: must be an integer in [1, 1000]") << rooms.dump();
  EXPECT_EQ(snapshot(), before);
  // Absent or null: the default applies.
  json blocks = call("pactum_getBlocks", json::array({nullptr, nullptr}));
  ASSERT_TRUE(blocks.contains("result")) << blocks.dump();
}

TEST_F(BadInput, EmptyBatch) {
  json before = snapshot();
  json answer = rpc().call_raw(json::array());
  expect_error(answer, Errc::invalid_request);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(BadInput, BatchAnswersEachItemOnItsOwn) {
  // One good and one bad item: the good one is accepted, the bad one refused alone.
  json good = signed_transfer(2, dev_account(3), "USDC", "3");
  json bad = signed_transfer(2, dev_account(3), "NOPE", "3");
  auto answers =
      rpc().batch({{"pactum_submitIntent", json::array({good})}, {"pactum_submitIntent", json::array({bad})}});
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_TRUE(answers[0].contains("result")) << answers[0].dump();
  expect_error(answers[1], Errc::unknown_asset);
  EXPECT_EQ(wait_final(rpc(), answers[0]["result"]["id"])["status"], "settled");
}

}  // namespace
}  // namespace pactum::testing
