// An intent's lifecycle through NodeCore with the real matcher and a real chain on disk:
// cancels are recorded by the block that carries them (so a cancelled intent can never be
// replayed, not even after a restart), and pactum_getIntent has one consistent shape.
#include <gtest/gtest.h>

#include <filesystem>

#include "pactum/matcher/matcher.hpp"
#include "pactum/node/dispatcher.hpp"
#include "pactum/node/node.hpp"

namespace pactum {
namespace {

using nlohmann::json;

class IntentLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pactum_lifecycle_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    open();
  }
  void TearDown() override {
    close();
    std::filesystem::remove_all(dir_);
  }
  void open() {
    auto chain = Chain::open(dir_.string(), load_genesis(std::nullopt).value());
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    core_ = std::make_unique<NodeCore>(std::move(chain).value(), dev_producer_key(), &settle, CoreOptions{});
    rpc_ = std::make_unique<RpcDispatcher>(*core_);
  }
  void close() {
    rpc_.reset();
    core_.reset();
  }
  // A restart: the mempool is gone, the chain is what RocksDB holds.
  void restart() {
    close();
    open();
  }

  json call(const std::string& method, json params = json::array()) {
    return json::parse(
        rpc_->handle(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}}.dump()));
  }
  json result(const std::string& method, json params = json::array()) {
    json r = call(method, std::move(params));
    EXPECT_TRUE(r.contains("result")) << method << ": " << r.dump();
    return r.value("result", json());
  }
  json status(const std::string& id) { return result("pactum_getIntent", json::array({id})); }
  std::string submit(const json& intent) { return result("pactum_submitIntent", json::array({intent}))["id"]; }
  void mine() { ASSERT_TRUE(call("pactum_mine").contains("result")); }

  static json sign(std::uint32_t who, json body) {
    body["chain"] = "pactum-devnet";
    body["signer"] = dev_secret_key(who).public_key().hex();
    if (!body.contains("valid_until")) body["valid_until"] = 1000;
    return intent_to_json(sign_intent(body, dev_secret_key(who)).value());
  }
  // Sells 1 ETH for at least 1,000,000 USDC: never fills on the devnet pool.
  static json unreachable_swap(std::uint32_t who, std::uint64_t nonce, std::uint64_t valid_until = 1000) {
    return sign(who, {{"kind", "swap"},
                      {"nonce", nonce},
                      {"valid_until", valid_until},
                      {"sell_asset", "ETH"},
                      {"buy_asset", "USDC"},
                      {"side", "sell"},
                      {"sell_amount", "1000000000000000000"},
                      {"buy_amount", "1000000000000"},
                      {"partial", false}});
  }
  static json transfer(std::uint32_t who, std::uint64_t nonce, const std::string& amount) {
    return sign(who, {{"kind", "transfer"},
                      {"nonce", nonce},
                      {"asset", "USDC"},
                      {"to", dev_secret_key(who + 1).public_key().hex()},
                      {"amount", amount}});
  }
  static json cancel(std::uint32_t who, std::uint64_t nonce, const std::vector<std::string>& ids) {
    return sign(who, {{"kind", "cancel"}, {"nonce", nonce}, {"ids", ids}});
  }
  static std::string account(std::uint32_t who) { return dev_secret_key(who).public_key().hex(); }

  std::filesystem::path dir_;
  std::unique_ptr<NodeCore> core_;
  std::unique_ptr<RpcDispatcher> rpc_;
};

TEST_F(IntentLifecycle, CancelledIntentIsRecordedByTheBlockAndCannotBeReplayedAfterARestart) {
  const json swap = unreachable_swap(0, 7);
  const std::string swap_id = submit(swap);
  const std::string cancel_id = submit(cancel(0, 8, {swap_id}));

  // Before the block: the node already reports it cancelled and releases its reservation.
  json before = status(swap_id);
  EXPECT_EQ(before["status"], "cancelled") << before.dump();
  EXPECT_EQ(before["reason"], "cancelled");
  EXPECT_TRUE(before["block"].is_null());
  EXPECT_EQ(result("pactum_getAvailableBalance", json::array({account(0), "ETH"}))["reserved"], "0");

  mine();
  // The block carries both; the swap has a `cancelled` receipt and its nonce is used.
  json block = result("pactum_getBlock", json::array({1}));
  EXPECT_EQ(block["intents"], json::array({swap_id, cancel_id}));
  json after = status(swap_id);
  EXPECT_EQ(after["status"], "cancelled") << after.dump();
  EXPECT_EQ(after["block"], 1);
  EXPECT_EQ(after["receipt"]["status"], "cancelled");
  EXPECT_EQ(after["reason"], "cancelled");
  EXPECT_EQ(status(cancel_id)["status"], "settled");
  EXPECT_EQ(result("pactum_nonceUsed", json::array({account(0), 7})), true);

  restart();
  json replayed = call("pactum_submitIntent", json::array({swap}));
  ASSERT_TRUE(replayed.contains("error")) << "a cancelled intent was accepted again: " << replayed.dump();
  const std::string why = replayed["error"]["data"]["reason"];
  EXPECT_TRUE(why == "duplicate" || why == "nonce_used") << replayed.dump();
  EXPECT_EQ(result("pactum_nonceUsed", json::array({account(0), 7})), true);
  EXPECT_EQ(status(swap_id)["status"], "cancelled");
}

TEST_F(IntentLifecycle, CancelOfAnUnfilledSwapFromAnEarlierBlock) {
  const std::string swap_id = submit(unreachable_swap(0, 1));
  mine();
  EXPECT_EQ(status(swap_id)["reason"], "limit_not_reached");
  submit(cancel(0, 2, {swap_id}));
  json before = status(swap_id);
  EXPECT_EQ(before["status"], "cancelled");
  EXPECT_EQ(before["block"], 1);  // the block of the receipt it carries (unfilled)
  EXPECT_EQ(before["receipt"]["status"], "unfilled");
  mine();
  json after = status(swap_id);
  EXPECT_EQ(after["block"], 2);
  EXPECT_EQ(after["receipt"]["status"], "cancelled");
  EXPECT_EQ(result("pactum_nonceUsed", json::array({account(0), 1})), true);
  EXPECT_TRUE(call("pactum_submitIntent", json::array({cancel(0, 3, {swap_id})})).contains("error"));
}

// The result shape: block is an integer or null, receipt an object or null, reason and
// message always strings; reason is the newest receipt's, or the lifecycle reason.
TEST_F(IntentLifecycle, GetIntentShapeIsConsistentInEveryStatus) {
  auto check_shape = [](const json& s) {
    EXPECT_TRUE(s["id"].is_string());
    EXPECT_TRUE(s["intent"].is_object());
    EXPECT_TRUE(s["block"].is_null() || s["block"].is_number_unsigned()) << s.dump();
    EXPECT_TRUE(s["receipt"].is_null() || s["receipt"].is_object()) << s.dump();
    EXPECT_EQ(s["block"].is_null(), s["receipt"].is_null()) << s.dump();
    EXPECT_TRUE(s["reason"].is_string()) << s.dump();
    EXPECT_TRUE(s["message"].is_string()) << s.dump();
    EXPECT_FALSE(s["message"].get<std::string>().empty()) << s.dump();
    if (s["receipt"].is_object() && s["status"] != "cancelled" && s["status"] != "expired") {
      EXPECT_EQ(s["reason"], s["receipt"]["reason"]) << s.dump();
    }
  };
  const std::string paid = submit(transfer(0, 1, "5"));
  const std::string waiting = submit(unreachable_swap(1, 1, /*valid_until=*/2));
  json pending = status(paid);
  check_shape(pending);
  EXPECT_EQ(pending["status"], "pending");
  EXPECT_EQ(pending["reason"], "");

  mine();
  json settled = status(paid);
  check_shape(settled);
  EXPECT_EQ(settled["status"], "settled");
  EXPECT_EQ(settled["reason"], "");  // settled in full: "", not null
  EXPECT_EQ(settled["block"], 1);
  json unfilled = status(waiting);
  check_shape(unfilled);
  EXPECT_EQ(unfilled["status"], "pending");
  EXPECT_EQ(unfilled["reason"], "limit_not_reached");

  // Block 2 settles it again (block 1 changed the state) but leaves it out of what it
  // writes, since it stays unfilled; valid_until 2 < next height 3: expired. Its last
  // receipt is still block 1's.
  mine();
  json expired = status(waiting);
  check_shape(expired);
  EXPECT_EQ(expired["status"], "expired");
  EXPECT_EQ(expired["reason"], "expired");
  EXPECT_EQ(expired["block"], 1);
  EXPECT_EQ(expired["receipt"]["reason"], "limit_not_reached");
}

// After a restart an unfilled swap is no longer pending; it reads expired and, while its
// valid_until has not passed, the same signed intent may be submitted again.
TEST_F(IntentLifecycle, UnfilledSwapForgottenByARestartCanBeSubmittedAgain) {
  const json swap = unreachable_swap(0, 1);
  const std::string id = submit(swap);
  mine();
  restart();
  json s = status(id);
  EXPECT_EQ(s["status"], "expired") << s.dump();
  EXPECT_EQ(s["reason"], "expired");
  EXPECT_EQ(s["block"], 1);
  EXPECT_TRUE(call("pactum_submitIntent", json::array({swap})).contains("result"));
  EXPECT_EQ(status(id)["status"], "pending");
}

}  // namespace
}  // namespace pactum
