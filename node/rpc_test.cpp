// The JSON-RPC dispatcher over a real chain in a temporary directory (no socket). The
// settlement function is a small stand-in (transfers settle, swaps stay unfilled) so
// that these tests pin the node's behaviour, not the matcher's.
#include "pactum/node/dispatcher.hpp"

#include <gtest/gtest.h>
#include <algorithm>

#include "fault_env.hpp"

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "pactum/node/node.hpp"

namespace pactum {
namespace {

using nlohmann::json;

Settlement stand_in_settle(const StateView& state, std::span<const Intent> batch, const BlockContext&) {
  OverlayState overlay(state);
  Settlement s;
  for (const auto& i : batch) {
    Receipt r;
    r.intent = i.id;
    if (const auto* t = i.transfer()) {
      const Amount have = overlay.balance(i.signer, t->asset);
      if (have < t->amount) {
        r.status = ReceiptStatus::rejected;
        r.reason = "insufficient_balance";
      } else {
        overlay.set_balance(i.signer, t->asset, have - t->amount);
        overlay.set_balance(t->to, t->asset, overlay.balance(t->to, t->asset) + t->amount);
        overlay.use_nonce(i.signer, i.nonce);
        r.status = ReceiptStatus::settled;
        r.sold_asset = t->asset;
        r.sold = t->amount;
      }
    } else if (i.swap()) {
      r.status = ReceiptStatus::unfilled;
      r.reason = "limit_not_reached";
      r.message = "stand-in settle never fills swaps";
    } else {
      overlay.use_nonce(i.signer, i.nonce);
      r.status = ReceiptStatus::settled;
    }
    s.receipts.push_back(r);
  }
  s.delta = overlay.take_delta();
  return s;
}

class RpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pactum_rpc_test_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto genesis = load_genesis(std::nullopt);
    ASSERT_TRUE(genesis.ok()) << genesis.error().message;
    auto chain = Chain::open(dir_.string(), *genesis);
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    core_ = std::make_unique<NodeCore>(std::move(chain).value(), dev_producer_key(), stand_in_settle, CoreOptions{});
    rpc_ = std::make_unique<RpcDispatcher>(*core_);
  }
  void TearDown() override {
    rpc_.reset();
    core_.reset();
    std::filesystem::remove_all(dir_);
  }

  json call_raw(const std::string& body) {
    std::string out = rpc_->handle(body);
    return out.empty() ? json(nullptr) : json::parse(out);
  }
  json call(const std::string& method, json params = json::array()) {
    return call_raw(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}}.dump());
  }
  static int code(const json& response) { return response.at("error").at("code").get<int>(); }

  json signed_transfer(std::uint32_t from, std::uint64_t nonce, const std::string& amount) {
    json j = {{"kind", "transfer"},
              {"chain", "pactum-devnet"},
              {"signer", dev_secret_key(from).public_key().hex()},
              {"nonce", nonce},
              {"valid_until", 1000},
              {"asset", "USDC"},
              {"to", dev_secret_key(from + 1).public_key().hex()},
              {"amount", amount}};
    return intent_to_json(sign_intent(j, dev_secret_key(from)).value());
  }

  std::filesystem::path dir_;
  std::unique_ptr<NodeCore> core_;
  std::unique_ptr<RpcDispatcher> rpc_;
};

TEST_F(RpcTest, MalformedJsonIsParseError) {
  auto r = call_raw("{\"jsonrpc\": \"2.0\", ");
  EXPECT_EQ(code(r), -32700);
  EXPECT_TRUE(r.at("id").is_null());
  EXPECT_EQ(r["error"]["data"]["reason"], "parse_error");
}

TEST_F(RpcTest, RequestShapeIsChecked) {
  EXPECT_EQ(code(call_raw("5")), -32600);
  EXPECT_EQ(code(call_raw(R"({"id":1,"method":"pactum_chainId"})")), -32600);   // no jsonrpc
  EXPECT_EQ(code(call_raw(R"({"jsonrpc":"2.0","id":1,"method":7})")), -32600);  // method type
  EXPECT_EQ(code(call_raw(R"({"jsonrpc":"2.0","id":1,"method":"pactum_chainId","params":3})")), -32600);
  EXPECT_EQ(code(call_raw(R"({"jsonrpc":"2.0","id":{},"method":"pactum_chainId"})")), -32600);
}

TEST_F(RpcTest, UnknownMethod) {
  auto r = call("eth_blockNumber");
  EXPECT_EQ(code(r), -32601);
  EXPECT_EQ(r["id"], 1);
}

TEST_F(RpcTest, WrongParamTypesNameTheField) {
  auto r = call("pactum_getBalance", json::array({123, "USDC"}));
  EXPECT_EQ(code(r), -32602);
  EXPECT_EQ(r["error"]["data"]["field"], "account");
  r = call("pactum_getBalance", json::array({dev_secret_key(0).public_key().hex(), "usdc"}));
  EXPECT_EQ(r["error"]["data"]["field"], "asset");
  r = call("pactum_nonceUsed", json::array({dev_secret_key(0).public_key().hex(), -1}));
  EXPECT_EQ(r["error"]["data"]["field"], "nonce");
  EXPECT_EQ(code(call("pactum_getBlock", json::array({1.5}))), -32602);
  EXPECT_EQ(code(call("pactum_mine", json::array({0}))), -32602);
}

TEST_F(RpcTest, NamedAndPositionalParams) {
  const auto alice = dev_secret_key(0).public_key().hex();
  EXPECT_EQ(call("pactum_getBalance", json::array({alice, "USDC"}))["result"], "1000000000000");
  EXPECT_EQ(call("pactum_getBalance", json{{"account", alice}, {"asset", "USDC"}})["result"], "1000000000000");
}

TEST_F(RpcTest, BatchAnswersEachRequestAndSkipsNotifications) {
  auto r = call_raw(R"([{"jsonrpc":"2.0","id":1,"method":"pactum_chainId"},
                        {"jsonrpc":"2.0","method":"pactum_blockNumber"},
                        {"jsonrpc":"2.0","id":"b","method":"nope"},
                        17])");
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0]["result"], "pactum-devnet");
  EXPECT_EQ(r[1]["id"], "b");
  EXPECT_EQ(code(r[1]), -32601);
  EXPECT_EQ(code(r[2]), -32600);
}

// A batch's submissions are admitted together, before its answers are written: only
// well-formed requests are admitted, a notification is admitted without an answer, and
// each answer still says what became of its own intent.
TEST_F(RpcTest, BatchAdmitsOnlyWellFormedSubmissionsEachWithItsAnswer) {
  auto submit = [](json id, const json& intent) {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", "pactum_submitIntent"}, {"params", json::array({intent})}};
  };
  const json a = signed_transfer(0, 1, "5"), b = signed_transfer(0, 2, "5"), c = signed_transfer(0, 3, "5"),
             d = signed_transfer(0, 4, "5");
  json bad_version = submit(2, b);
  bad_version["jsonrpc"] = "1.0";
  json extra_member = submit(3, c);
  extra_member["extra"] = true;
  json notification = submit(nullptr, d);
  notification.erase("id");
  json forged = a;
  forged["amount"] = "6";  // the signature no longer matches
  const json batch =
      json::array({submit(1, a), bad_version, extra_member, notification, submit(5, a), submit(6, forged),
                   json{{"jsonrpc", "2.0"}, {"id", 7}, {"method", "pactum_blockNumber"}}});
  const json r = call_raw(batch.dump());
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 6u);  // the notification gets none
  EXPECT_EQ(r[0]["id"], 1);
  EXPECT_EQ(r[0]["result"]["status"], "pending");
  EXPECT_EQ(r[1]["error"]["data"]["reason"], "invalid_request");
  EXPECT_EQ(r[1]["id"], 2);
  EXPECT_EQ(r[2]["error"]["data"]["reason"], "invalid_request");
  EXPECT_EQ(r[3]["id"], 5);
  EXPECT_EQ(r[3]["error"]["data"]["reason"], "duplicate");
  EXPECT_EQ(r[4]["id"], 6);
  EXPECT_EQ(r[4]["error"]["data"]["reason"], "bad_signature");
  EXPECT_EQ(r[5]["result"], 0);
  EXPECT_EQ(core_->mempool_size(), 2u);  // a and the notification's d; b and c were never admitted
  EXPECT_EQ(call("pactum_getIntent", json::array({decode_intent(d).value().id.hex()}))["result"]["status"], "pending");
  EXPECT_TRUE(call("pactum_getIntent", json::array({decode_intent(b).value().id.hex()})).contains("error"));
}

TEST_F(RpcTest, EmptyBatchAndNotificationOnlyBatch) {
  auto r = call_raw("[]");
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(code(r), -32600);
  EXPECT_TRUE(call_raw(R"([{"jsonrpc":"2.0","method":"pactum_chainId"}])").is_null());
}

TEST_F(RpcTest, OversizedBatchIsRefused) {
  json batch = json::array();
  for (int i = 0; i < 1001; ++i) batch.push_back({{"jsonrpc", "2.0"}, {"id", i}, {"method", "pactum_chainId"}});
  EXPECT_EQ(code(call_raw(batch.dump())), -32600);
}

TEST_F(RpcTest, SubmitWithBadSignatureIsRefused) {
  json intent = signed_transfer(0, 1, "5");
  std::string sig = intent["sig"];
  sig[10] = sig[10] == '0' ? '1' : '0';
  intent["sig"] = sig;
  auto r = call("pactum_submitIntent", json::array({intent}));
  EXPECT_EQ(code(r), -32001);
  EXPECT_EQ(core_->mempool_size(), 0u);
}

TEST_F(RpcTest, SubmitWithWrongFieldNamesIt) {
  json intent = signed_transfer(0, 1, "5");
  intent["amount"] = 5;  // a number, not a decimal string
  auto r = call("pactum_submitIntent", json::array({intent}));
  EXPECT_EQ(code(r), -32602);
  EXPECT_EQ(r["error"]["data"]["field"], "amount");
  EXPECT_EQ(code(call("pactum_submitIntent", json::array({"not an object"}))), -32602);
}

TEST_F(RpcTest, SubmitMineAndQuery) {
  json intent = signed_transfer(0, 1, "250");
  auto submitted = call("pactum_submitIntent", json{{"intent", intent}});
  ASSERT_TRUE(submitted.contains("result")) << submitted.dump();
  const std::string id = submitted["result"]["id"];
  EXPECT_EQ(submitted["result"]["status"], "pending");
  EXPECT_EQ(call("pactum_getIntent", json::array({id}))["result"]["status"], "pending");
  EXPECT_EQ(call("pactum_pendingIntents")["result"], json::array({id}));
  const auto alice = dev_secret_key(0).public_key().hex();
  auto avail = call("pactum_getAvailableBalance", json::array({alice, "USDC"}))["result"];
  EXPECT_EQ(avail["reserved"], "250");
  EXPECT_EQ(avail["available"], "999999999750");

  auto duplicate = call("pactum_submitIntent", json::array({intent}));
  EXPECT_EQ(code(duplicate), -32002);

  auto mined = call("pactum_mine");
  ASSERT_TRUE(mined.contains("result")) << mined.dump();
  EXPECT_EQ(mined["result"][0]["height"], 1);
  EXPECT_EQ(mined["result"][0]["intents"], 1);
  EXPECT_EQ(call("pactum_blockNumber")["result"], 1);

  auto status = call("pactum_getIntent", json::array({id}))["result"];
  EXPECT_EQ(status["status"], "settled");
  EXPECT_EQ(status["block"], 1);
  EXPECT_EQ(status["receipt"]["status"], "settled");
  EXPECT_EQ(call("pactum_getBalance", json::array({alice, "USDC"}))["result"], "999999999750");
  EXPECT_EQ(call("pactum_nonceUsed", json::array({alice, 1}))["result"], true);
  EXPECT_EQ(code(call("pactum_submitIntent", json::array({intent}))), -32002);  // now on chain

  auto block = call("pactum_getBlock", json::array({1}))["result"];
  EXPECT_EQ(block["intents"], json::array({id}));
  auto full = call("pactum_getBlock", json::array({1, true}))["result"];
  EXPECT_EQ(full["intents"][0]["sig"], intent["sig"]);
  auto by_hash = call("pactum_getBlock", json::array({mined["result"][0]["hash"]}))["result"];
  EXPECT_EQ(by_hash["intents"], json::array({id}));
  EXPECT_TRUE(call("pactum_getBlock", json::array({99}))["result"].is_null());
}

// pactum_getBlock without `full` is written as text, without a JSON tree (rpc_reads.cpp):
// byte for byte what serializing the full block, with each intent as its id, gives.
TEST_F(RpcTest, BlockWithoutFullIsTheFullBlockWithIntentIdsByteForByte) {
  std::vector<std::string> ids;
  for (std::uint32_t n = 0; n < 3; ++n) {
    auto r = call("pactum_submitIntent", json::array({signed_transfer(n, 7, std::to_string(5 + n))}));
    ASSERT_TRUE(r.contains("result")) << r.dump();
    ids.push_back(r["result"]["id"]);
  }
  ASSERT_TRUE(call("pactum_mine").contains("result"));
  const std::string text = rpc_->handle(R"({"jsonrpc":"2.0","id":1,"method":"pactum_getBlock","params":[1]})");
  json full = call("pactum_getBlock", json::array({1, true}))["result"];
  ASSERT_EQ(full["intents"].size(), 3u);
  ASSERT_EQ(full["receipts"].size(), 3u);
  json listed = json::array();
  for (const auto& r : full["receipts"]) listed.push_back(r["intent"]);  // receipts[i] is for intents[i]
  full["intents"] = listed;
  EXPECT_EQ(text, R"({"id":1,"jsonrpc":"2.0","result":)" + full.dump() + "}");
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> got(listed.begin(), listed.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, ids);
}

// pactum_getBlocks: newest first, the header of each block as pactum_getBlock has it, and
// its receipts counted by status (what the explorer's block list shows).
TEST_F(RpcTest, GetBlocksSummarisesBlocksNewestFirst) {
  json swap = {{"kind", "swap"},
               {"chain", "pactum-devnet"},
               {"signer", dev_secret_key(2).public_key().hex()},
               {"nonce", 7},
               {"valid_until", 1000},
               {"sell_asset", "ETH"},
               {"buy_asset", "USDC"},
               {"side", "sell"},
               {"sell_amount", "1000"},
               {"buy_amount", "999999999"},
               {"partial", false}};
  swap = intent_to_json(sign_intent(swap, dev_secret_key(2)).value());
  ASSERT_TRUE(call("pactum_submitIntent", json::array({signed_transfer(0, 1, "250")})).contains("result"));
  ASSERT_TRUE(call("pactum_submitIntent", json::array({swap})).contains("result"));
  ASSERT_TRUE(call("pactum_mine", json::array({2})).contains("result"));  // block 1: both; block 2: nothing new

  const json all = call("pactum_getBlocks")["result"];
  ASSERT_EQ(all.size(), 3u) << all.dump();
  for (std::uint64_t i = 0; i < 3; ++i) {
    const json& b = all[i];
    const json full = call("pactum_getBlock", json::array({2 - i}))["result"];
    EXPECT_EQ(b["height"], 2 - i);
    for (const char* k : {"hash", "parent", "timestamp", "state_root", "receipts_root", "sig"})
      EXPECT_EQ(b[k], full[k]) << k;
    EXPECT_EQ(b["intents"], full["intents"].size());
  }
  EXPECT_EQ(all[1]["settled"], 1);  // block 1: the transfer settled, the swap unfilled
  EXPECT_EQ(all[1]["unfilled"], 1);
  EXPECT_EQ(all[1]["rejected"], 0);
  EXPECT_EQ(all[1]["cancelled"], 0);
  EXPECT_EQ(all[0]["settled"], 0);  // block 2: the waiting swap stays unfilled, so it is not written again
  EXPECT_EQ(all[0]["unfilled"], 0);
  EXPECT_EQ(all[0]["intents"], 0);
  EXPECT_EQ(all[2]["intents"], 0);  // block 0

  // A window: `to` and `count`, named or positional; `to` above the head starts at the head.
  EXPECT_EQ(call("pactum_getBlocks", json{{"to", 1}, {"count", 1}})["result"], json::array({all[1]}));
  EXPECT_EQ(call("pactum_getBlocks", json::array({99, 2}))["result"], json::array({all[0], all[1]}));
  EXPECT_EQ(call("pactum_getBlocks", json::array({"latest", 100}))["result"], all);
  EXPECT_EQ(call("pactum_getBlocks", json::array({0, 5}))["result"], json::array({all[2]}));
  const std::vector<std::pair<json, std::string>> bad = {{json::array({nullptr, 0}), "count"},
                                                         {json::array({nullptr, 101}), "count"},
                                                         {json::array({"1"}), "to"},
                                                         {json::array({-1}), "to"}};
  for (const auto& [params, field] : bad) {
    const json r = call("pactum_getBlocks", params);
    ASSERT_TRUE(r.contains("error")) << params.dump();
    EXPECT_EQ(code(r), -32602);
    EXPECT_EQ(r["error"]["data"]["field"], field);
  }
}

TEST_F(RpcTest, InsufficientBalanceCountsReservations) {
  ASSERT_TRUE(call("pactum_submitIntent", json::array({signed_transfer(0, 1, "600000000000")})).contains("result"));
  auto r = call("pactum_submitIntent", json::array({signed_transfer(0, 2, "600000000000")}));
  EXPECT_EQ(code(r), -32006);
  EXPECT_EQ(r["error"]["data"]["reason"], "insufficient_balance");
}

TEST_F(RpcTest, SupplyAndBurnsRefuseBadParameters) {
  auto supply = call("pactum_getSupply", json::array({"COMPUTE"}))["result"];
  EXPECT_EQ(supply["supply"], supply["genesis_supply"]);
  EXPECT_EQ(supply["burned"], "0");
  EXPECT_EQ(code(call("pactum_getSupply", json::array({"NOPE"}))), -32005);
  EXPECT_EQ(code(call("pactum_getSupply", json::array({"no pe"}))), -32602);
  EXPECT_EQ(code(call("pactum_getBurns", json{{"from", 5}, {"to", 4}})), -32602);
  EXPECT_EQ(code(call("pactum_getBurns", json{{"limit", 0}})), -32602);
  EXPECT_EQ(code(call("pactum_getBurns", json{{"asset", "NOPE"}})), -32005);
  EXPECT_EQ(code(call("pactum_getBurns", json{{"account", "xyz"}})), -32602);
  EXPECT_EQ(call("pactum_getBurns", json::object())["result"]["total"], 0);
  EXPECT_EQ(code(call("pactum_getReceiptProof", json{{"block", 0}, {"intent", std::string(64, 'a')}})), -32009);
}

TEST_F(RpcTest, UnknownIntentIsNotFound) {
  EXPECT_EQ(code(call("pactum_getIntent", json::array({std::string(64, 'a')}))), -32009);
}

TEST_F(RpcTest, PoolsAssetsAndProof) {
  auto pool = call("pactum_getPool", json::array({"USDC", "ETH"}))["result"];
  EXPECT_EQ(pool["assets"], json::array({"ETH", "USDC"}));
  EXPECT_EQ(pool["fee_bps"], 30);
  EXPECT_EQ(code(call("pactum_getPool", json::array({"DAI", "ETH"}))), -32012);
  EXPECT_EQ(call("pactum_getAssets")["result"].size(), 5u);
  EXPECT_EQ(call("pactum_getAssets")["result"][4], (json{{"symbol", "COMPUTE"}, {"decimals", 0}, {"burnable", true}}));
  EXPECT_EQ(call("pactum_getPools")["result"].size(), 4u);
  const auto alice = dev_secret_key(0).public_key().hex();
  auto proof = call("pactum_getBalanceProof", json::array({alice, "ETH"}))["result"];
  EXPECT_EQ(proof["balance"], "1000000000000000000000");
  EXPECT_EQ(proof["height"], 0);
  auto parsed = StateProof::from_json(proof["proof"]);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(verify_state_proof(Hash32::from_hex(proof["state_root"].get<std::string>()).value(), *parsed));
}

TEST_F(RpcTest, SubscriptionsNeedWebSocket) {
  EXPECT_EQ(code(call("pactum_subscribe", json::array({"newBlocks"}))), -32601);
}

TEST_F(RpcTest, BatchOfSubmitsBecomesOneBlockInInstantMode) {
  core_->start_producer();
  json batch = json::array();
  for (int n = 0; n < 40; ++n)
    batch.push_back({{"jsonrpc", "2.0"},
                     {"id", n},
                     {"method", "pactum_submitIntent"},
                     {"params", json::array({signed_transfer(static_cast<std::uint32_t>(n % 4), 100 + n, "3")})}});
  auto r = call_raw(batch.dump());
  ASSERT_EQ(r.size(), 40u);
  for (const auto& item : r) ASSERT_TRUE(item.contains("result")) << item.dump();
  for (int i = 0; i < 500 && core_->mempool_size() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(core_->mempool_size(), 0u);
  EXPECT_EQ(core_->height(), 1u);  // the producer was woken once, after the whole batch
  core_->stop_producer();
}

TEST(RpcHaltTest, StorageFailureHaltsProductionButServesReads) {
  auto dir = std::filesystem::temp_directory_path() / ("pactum_rpc_halt_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  pactum::testing::FaultEnv faults;  // outlives the chain (declared first)
  auto chain = Chain::open(dir.string(), load_genesis(std::nullopt).value(), faults.env());
  ASSERT_TRUE(chain.ok());
  faults.fail_writes();  // block 1's write fails, as on a full disk
  NodeCore core(std::move(chain).value(), dev_producer_key(), stand_in_settle, CoreOptions{});
  RpcDispatcher rpc(core);
  auto call = [&](const std::string& method) {
    return json::parse(rpc.handle(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}}.dump()));
  };
  EXPECT_TRUE(call("pactum_mine").contains("error"));
  auto info = call("pactum_nodeInfo")["result"];
  EXPECT_EQ(info["halted"], true);
  EXPECT_TRUE(info["halt_reason"].is_string());
  EXPECT_EQ(info["height"], 0);
  auto mined_again = call("pactum_mine");
  EXPECT_EQ(mined_again["error"]["code"], -32010);
  EXPECT_EQ(call("pactum_blockNumber")["result"], 0);  // reads still work
  std::error_code ignored;                             // RocksDB is still open here (and may be writing its LOG)
  std::filesystem::remove_all(dir, ignored);
}

struct RecordingSink : SubscriptionSink {
  std::vector<json> messages;
  std::mutex mu;
  void send(std::string text) override {
    std::lock_guard lock(mu);
    messages.push_back(json::parse(text));
  }
};

TEST_F(RpcTest, SubscriptionsReceiveBlocksAndIntentStatus) {
  auto sink = std::make_shared<RecordingSink>();
  auto sub = [&](json params) {
    AfterResponse after;
    auto out = json::parse(rpc_->handle(
        json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "pactum_subscribe"}, {"params", params}}.dump(), sink, &after));
    for (auto& f : after) f();
    return out["result"].get<std::string>();
  };
  const std::string blocks = sub(json::array({"newBlocks"}));
  json intent = signed_transfer(0, 1, "1");
  const std::string id = call("pactum_submitIntent", json::array({intent}))["result"]["id"];
  const std::string watch = sub(json::array({"intent", id}));
  ASSERT_EQ(sink->messages.size(), 1u);  // current status at subscribe time
  EXPECT_EQ(sink->messages[0]["params"]["result"]["status"], "pending");
  ASSERT_TRUE(call("pactum_mine").contains("result"));
  ASSERT_EQ(sink->messages.size(), 3u);
  EXPECT_EQ(sink->messages[1]["params"]["subscription"], blocks);
  EXPECT_EQ(sink->messages[1]["params"]["result"]["height"], 1);
  EXPECT_EQ(sink->messages[1]["params"]["result"]["intents"], 1);
  EXPECT_EQ(sink->messages[2]["params"]["subscription"], watch);
  EXPECT_EQ(sink->messages[2]["params"]["result"]["status"], "settled");
}

// The producer settles a batch under the shared chain lock: reads and submissions are
// answered while a block is being settled (they used to wait for the whole block), and
// what is admitted meanwhile goes into the next block. The hook runs on the producing
// thread while it settles; the read and the submission run on other threads, so with
// the unique lock held through settlement they could not finish before the hook returns.
TEST_F(RpcTest, ReadsAndSubmissionsAreServedWhileABlockSettles) {
  ASSERT_TRUE(call("pactum_submitIntent", json::array({signed_transfer(0, 1, "5")})).contains("result"));
  const json late = signed_transfer(2, 1, "7");
  bool first = true;
  bool read_answered = false;
  bool submit_answered = false;
  // Collected after the block: with a lock held through settlement they would only
  // finish once the hook returned.
  std::future<json> read;
  std::future<json> submit;
  core_->set_test_hooks({[&] {
                           if (!first) return;
                           first = false;
                           read = std::async(std::launch::async, [&] { return call("pactum_blockNumber"); });
                           submit = std::async(std::launch::async,
                                               [&] { return call("pactum_submitIntent", json::array({late})); });
                           read_answered = read.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
                           submit_answered = submit.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
                         },
                         /*writing=*/{}});
  auto block1 = core_->produce_block();
  ASSERT_TRUE(block1.ok()) << block1.error().message;
  const json read_result = read.get();
  const json submit_result = submit.get();
  EXPECT_TRUE(read_answered);
  EXPECT_TRUE(submit_answered);
  EXPECT_EQ(read_result["result"], 0);  // the block being settled is not the head yet
  EXPECT_TRUE(submit_result.contains("result")) << submit_result.dump();
  EXPECT_EQ(block1->intents, 1u);  // admitted during settlement: not in this batch
  auto block2 = core_->produce_block();
  ASSERT_TRUE(block2.ok()) << block2.error().message;
  EXPECT_EQ(block2->intents, 1u);
  EXPECT_EQ(core_->mempool_size(), 0u);
}

// The synced write of a block holds no lock that admissions take: a submission is
// answered while the block is being written. RPC reads wait for the write, so that none
// reports a block that is not on disk yet; then they see it.
TEST_F(RpcTest, SubmissionsGoOnWhileABlockIsWrittenAndReadsWaitForIt) {
  const std::string account = dev_secret_key(0).public_key().hex();
  const std::string before = call("pactum_getBalance", json::array({account, "USDC"}))["result"];
  ASSERT_TRUE(call("pactum_submitIntent", json::array({signed_transfer(0, 1, "5")})).contains("result"));
  const json late = signed_transfer(2, 1, "7");
  bool first = true, submit_answered = false, read_waited = false;
  std::future<json> balance, height, submit;
  core_->set_test_hooks(
      {nullptr, [&] {
         if (!first) return;
         first = false;
         submit = std::async(std::launch::async, [&] { return call("pactum_submitIntent", json::array({late})); });
         submit_answered = submit.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
         balance = std::async(std::launch::async, [&] {
           return call("pactum_getBalance", json::array({account, "USDC"}));
         });
         height = std::async(std::launch::async, [&] { return call("pactum_blockNumber"); });
         read_waited = balance.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout &&
                       height.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout;
       }});
  auto block1 = core_->produce_block();
  ASSERT_TRUE(block1.ok()) << block1.error().message;
  EXPECT_TRUE(submit_answered);
  EXPECT_TRUE(read_waited);
  const json submit_result = submit.get();
  EXPECT_TRUE(submit_result.contains("result")) << submit_result.dump();
  EXPECT_EQ(height.get()["result"], 1);  // answered once block 1 was on disk
  EXPECT_EQ(Amount(balance.get()["result"].get<std::string>()), Amount(before) - 5);
  EXPECT_EQ(block1->intents, 1u);
  auto block2 = core_->produce_block();
  ASSERT_TRUE(block2.ok()) << block2.error().message;
  EXPECT_EQ(block2->intents, 1u);  // the one admitted during the write
  EXPECT_EQ(core_->mempool_size(), 0u);
}

}  // namespace
}  // namespace pactum
