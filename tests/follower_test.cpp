// Followers (issue 22) with the real binary: `pactum node --follow URL` catches up a
// leader's chain, follows its new blocks, resumes from its own head after a restart,
// relays submissions to the leader, and refuses a tampered block with the rule named,
// never writing it (served by a fake leader: tests/fixtures/fake_leader.py).
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "harness.hpp"
#include "reference_solver.hpp"

namespace pactum::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Polls `done` every 50 ms for up to 30 s; false if it never held.
template <class F>
bool eventually(F done) {
  const auto until = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

json block_of(client::RpcClient& rpc, std::uint64_t h) { return rpc.call("pactum_getBlock", json::array({h, true})); }

// Settled transfers and swaps on the leader, one block each (instant mode).
void trade(client::RpcClient& rpc, std::uint32_t first, std::uint32_t count) {
  for (std::uint32_t i = first; i < first + count; ++i) {
    json t = wait_final(rpc, submit(rpc, signed_transfer(i % 20, dev_account((i + 1) % 20), "USDC", "5")));
    ASSERT_EQ(t["status"], "settled") << t.dump();
    json s = wait_final(rpc, submit(rpc, signed_swap(i % 20, "ETH", "USDC", "sell", "10000000000000000", "1000000")));
    ASSERT_EQ(s["status"], "settled") << s.dump();
  }
}

// The follower has the leader's head (same hash and state root) and stores every block
// as the leader does.
void expect_same_chain(client::RpcClient& leader, client::RpcClient& follower) {
  const std::uint64_t h = height(leader);
  ASSERT_TRUE(eventually([&] { return height(follower) == h; }))
      << "follower at " << height(follower) << ", leader at " << h;
  EXPECT_EQ(follower.call("pactum_nodeInfo")["head"], leader.call("pactum_nodeInfo")["head"]);
  // Byte for byte: the same request gives the same response body.
  for (std::uint64_t i = 0; i <= h; ++i) {
    const std::string request = client::make_request("pactum_getBlock", json::array({i, true}), 1).dump();
    EXPECT_EQ(follower.http().post(request).body, leader.http().post(request).body) << "block " << i;
  }
}

TEST(Follower, CatchesUpThenFollowsNewBlocks) {
  TestNode leader;
  trade(leader.rpc(), 0, 3);
  TestNode follower({"--follow", leader.node->url()});
  expect_same_chain(leader.rpc(), follower.rpc());
  client::WsClient ws(follower.node->ws_url());  // the follower's own subscriptions
  ws.call("pactum_subscribe", json::array({"newBlocks"}));
  trade(leader.rpc(), 3, 2);  // new blocks reach it over the subscription
  expect_same_chain(leader.rpc(), follower.rpc());
  auto announced = ws.next_notification(std::chrono::seconds(10));
  ASSERT_TRUE(announced.has_value()) << "the follower announces the blocks it applies";
  EXPECT_GT((*announced)["params"]["result"]["height"].get<std::uint64_t>(), 6u) << announced->dump();

  const json info = follower.rpc().call("pactum_nodeInfo");
  EXPECT_EQ(info["role"], "follower");
  EXPECT_EQ(info["leader"], leader.node->url());
  EXPECT_EQ(info["lag"], 0);
  EXPECT_EQ(info["sync"], "following") << info.dump();
  EXPECT_TRUE(info["sync_error"].is_null());
  const json leader_info = leader.rpc().call("pactum_nodeInfo");
  EXPECT_EQ(leader_info["role"], "producer");
  EXPECT_TRUE(leader_info["leader"].is_null());
  // Reads are its own: a balance the leader's blocks moved.
  EXPECT_EQ(balance(follower.rpc(), dev_account(1), "USDC"), balance(leader.rpc(), dev_account(1), "USDC"));
  // It never produces.
  json mine = follower.rpc().call_raw(client::make_request("pactum_mine", json::array(), 1));
  EXPECT_EQ(mine["error"]["data"]["reason"], "not_producer") << mine.dump();
}

TEST(Follower, ResumesFromItsOwnHeadAfterARestart) {
  TestNode leader;
  trade(leader.rpc(), 0, 2);
  TestNode follower({"--follow", leader.node->url()});
  expect_same_chain(leader.rpc(), follower.rpc());
  const std::uint64_t stopped_at = height(follower.rpc());
  ASSERT_EQ(follower.node->stop(), 0) << follower.node->log();
  trade(leader.rpc(), 2, 2);  // made while the follower was down
  follower.restart({"--follow", leader.node->url()});
  EXPECT_NE(follower.node->log().find("head height: " + std::to_string(stopped_at)), std::string::npos)
      << "it reopened its own chain at its head: " << follower.node->log();
  expect_same_chain(leader.rpc(), follower.rpc());
  trade(leader.rpc(), 4, 1);
  expect_same_chain(leader.rpc(), follower.rpc());
}

TEST(Follower, RelaysSubmissionsToTheLeader) {
  TestNode leader;
  TestNode follower({"--follow", leader.node->url()});
  const std::string id = submit(follower.rpc(), signed_transfer(3, dev_account(4), "USDC", "7"));
  // Known at once through the follower: what it has not seen in a block, the leader answers.
  json first = follower.rpc().call("pactum_getIntent", json::array({id}));
  EXPECT_TRUE(first["status"] == "pending" || first["status"] == "settled") << first.dump();
  json on_leader = wait_final(leader.rpc(), id);
  EXPECT_EQ(on_leader["status"], "settled") << on_leader.dump();
  json on_follower;
  ASSERT_TRUE(eventually([&] {
    on_follower = follower.rpc().call("pactum_getIntent", json::array({id}));
    return on_follower["status"] == "settled";
  })) << on_follower.dump();
  EXPECT_EQ(on_follower["block"], on_leader["block"]);
  // The leader's refusal comes back as the leader gave it.
  json bad = signed_transfer(3, dev_account(4), "USDC", "7");
  bad["amount"] = "8";  // the signature no longer verifies
  EXPECT_EQ(refusal(follower.rpc(), bad), refusal(leader.rpc(), bad));
  EXPECT_NE(refusal(follower.rpc(), bad).find("bad_signature"), std::string::npos);
}

TEST(Follower, ResyncsWhenTheLeaderComesBack) {
  TestNode leader;
  trade(leader.rpc(), 0, 1);
  const std::string url = leader.node->url();
  TestNode follower({"--follow", url});
  expect_same_chain(leader.rpc(), follower.rpc());
  ASSERT_EQ(leader.node->stop(), 0);
  json info;
  ASSERT_TRUE(eventually([&] {
    info = follower.rpc().call("pactum_nodeInfo");
    return info["sync"] == "reconnecting";
  })) << info.dump();
  EXPECT_TRUE(info["leader_error"].is_string()) << info.dump();
  EXPECT_NE(refusal(follower.rpc(), signed_transfer(2, dev_account(3), "USDC", "1")).find("leader_unreachable"),
            std::string::npos);
  // The leader back on the same address, with blocks the follower has not seen.
  leader.restart({"--rpc", url.substr(std::string("http://").size())});
  trade(leader.rpc(), 1, 2);
  expect_same_chain(leader.rpc(), follower.rpc());
  EXPECT_EQ(follower.rpc().call("pactum_nodeInfo")["sync"], "following");
}

// The leader's chain, with block `victim` passed through `edit`, served by the fake leader.
struct FakeLeader {
  FakeLeader(client::RpcClient& real, std::uint64_t victim, const std::function<void(json&)>& edit)
      : file(dir.sub("chain.json")) {
    json chain = {{"node_info", real.call("pactum_nodeInfo")}, {"blocks", json::array()}};
    for (std::uint64_t h = 0; h <= height(real); ++h) chain["blocks"].push_back(block_of(real, h));
    edit(chain["blocks"][victim]);
    std::ofstream(file) << chain.dump();
    server = std::make_unique<testing_support::ReferenceSolver>(
        "python3", std::vector<std::string>{"--chain", file},
        std::string(PACTUM_SOURCE_DIR) + "/tests/fixtures/fake_leader.py");
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
  TempDir dir;
  std::string file;
  std::unique_ptr<testing_support::ReferenceSolver> server;
};

// A follower served a tampered block `victim` stops before it, names the height and the
// rule (log and pactum_nodeInfo), and never writes it.
void expect_refused(client::RpcClient& real, std::uint64_t victim, const std::function<void(json&)>& edit,
                    const std::string& rule) {
  FakeLeader fake(real, victim, edit);
  ASSERT_GT(fake.server->port(), 0) << "the fake leader did not start";
  TestNode follower({"--follow", fake.url()});
  json info;
  ASSERT_TRUE(eventually([&] {
    info = follower.rpc().call("pactum_nodeInfo");
    return !info["sync_error"].is_null();
  })) << info.dump()
      << follower.node->log();
  EXPECT_EQ(info["sync_error"]["height"], victim) << info.dump();
  EXPECT_EQ(info["sync_error"]["rule"], rule) << info.dump();
  EXPECT_EQ(info["sync"], "stopped");
  EXPECT_EQ(info["height"], victim - 1) << "the blocks before it are taken";
  EXPECT_TRUE(block_of(follower.rpc(), victim).is_null()) << "the tampered block was written";
  EXPECT_NE(follower.node->log().find("block " + std::to_string(victim) + " REFUSED, rule " + rule), std::string::npos)
      << follower.node->log();
  ASSERT_EQ(follower.node->stop(), 0);
}

TEST(Follower, RefusesATamperedBlockAndNamesTheRule) {
  TestNode leader;
  trade(leader.rpc(), 0, 3);
  const std::uint64_t victim = 3;
  // A receipt altered, the header left as signed: the receipts no longer re-settle.
  expect_refused(
      leader.rpc(), victim, [](json& b) { b["receipts"][0]["sold"] = "6"; }, "receipt");
  // An intent's signature altered.
  expect_refused(
      leader.rpc(), victim,
      [](json& b) {
        std::string sig = b["intents"][0]["sig"];
        sig[0] = sig[0] == '0' ? '1' : '0';
        b["intents"][0]["sig"] = sig;
      },
      "intent_sig");
  // A header field altered without its hash: the stated hash is not the header's.
  expect_refused(
      leader.rpc(), victim, [](json& b) { b["timestamp"] = b["timestamp"].get<std::uint64_t>() + 1; }, "header_hash");
}

}  // namespace
}  // namespace pactum::testing
