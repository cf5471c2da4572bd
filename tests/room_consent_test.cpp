// End to end through the real node (issue 21): rooms with consent, where a deal's escrow
// moves only once both parties have signed the outcome within the room's window (one party
// does not sign: everything is refunded, and the producer's receipt names it; both sign:
// the escrow moves in the block of the last signature, and the contract says where); and
// posted rooms whose failed deals look the same on chain whichever side refused.
#include <gtest/gtest.h>

#include <regex>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"
#include "room_support.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};
const std::string kLo = "2000000000", kHi = "4000000000";  // 2000..4000 USDC for 1 ETH
const std::string kEth = "1000000000000000000";

json terms(std::uint32_t seller, std::uint32_t buyer, std::uint64_t close, json extra) {
  json t = {{"mechanism", "midpoint"},
            {"seller", dev_account(seller).hex()},
            {"buyer", dev_account(buyer).hex()},
            {"asset", "ETH"},
            {"amount", kEth},
            {"pay_asset", "USDC"},
            {"range", {kLo, kHi}},
            {"close_height", close}};
  t.update(extra);
  return t;
}

BigInt bal(client::RpcClient& rpc, std::uint32_t dev, const std::string& asset) {
  return BigInt(balance(rpc, dev_account(dev), asset));
}

// Opens a consent room (window 3) between dev 1 and dev 2, seals a deal (band 63) and mines
// to its close. Returns the room id.
std::string consent_deal(client::RpcClient& rpc) {
  const std::uint64_t close = height(rpc) + 3;
  const json open = sign_with_dev(
      1, {{"kind", "room_open"}, {"terms", terms(1, 2, close, {{"consent", true}, {"consent_window", 3}})}});
  submit(rpc, open);
  EXPECT_EQ(mine_receipts(rpc).at(id_of(open))["status"], "settled");
  const std::string room = id_of(open);
  submit(rpc, sealed_position(rpc, 1, room, "2812345678"));
  submit(rpc, sealed_position(rpc, 2, room, "3187654321"));
  while (height(rpc) < close) mine_receipts(rpc);
  return room;
}

TEST(ConsentRoom, BothSignAndTheEscrowMovesOnlyThen) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const BigInt b_eth = bal(rpc, 2, "ETH"), b_usdc = bal(rpc, 2, "USDC"), s_usdc = bal(rpc, 1, "USDC");
  const std::string room = consent_deal(rpc);
  json info = rpc.call("pactum_getRoom", json::array({room}));
  ASSERT_EQ(info["status"], "awaiting_consent") << info.dump();
  EXPECT_EQ(info["outcome"]["band"], 63);
  EXPECT_EQ(info["consent"]["state"], "awaiting");
  EXPECT_EQ(info["consent"]["deadline"], info["closed_height"].get<std::uint64_t>() + 3);
  EXPECT_EQ(info["seller"]["escrow"], kEth);  // the deal is decided, nothing moved
  EXPECT_EQ(info["buyer"]["escrow"], kHi);
  EXPECT_EQ(bal(rpc, 2, "ETH"), b_eth);

  submit(rpc, outcome_signature(rpc, 1, room));
  mine_receipts(rpc);
  EXPECT_EQ(bal(rpc, 2, "ETH"), b_eth);  // one signature: still held
  const json last = outcome_signature(rpc, 2, room);
  submit(rpc, last);
  const auto receipts = mine_receipts(rpc);
  const std::string message = receipts.at(id_of(last))["message"];
  EXPECT_NE(message.find("both parties have consented: deal at band 63"), std::string::npos) << message;
  EXPECT_EQ(bal(rpc, 2, "ETH"), b_eth + BigInt(kEth));
  EXPECT_EQ(bal(rpc, 2, "USDC"), b_usdc - BigInt(2992187500));
  EXPECT_EQ(bal(rpc, 1, "USDC"), s_usdc - 1000000 + BigInt(2992187500));  // minus the room fee
  info = rpc.call("pactum_getRoom", json::array({room}));
  EXPECT_EQ(info["status"], "closed");
  EXPECT_EQ(info["consent"]["state"], "given");
  EXPECT_EQ(info["consent"]["height"], height(rpc));

  // The contract names the block of the exchange, within the window; it verifies offline.
  const json contract = rpc.call("pactum_getContract", json::array({room}));
  EXPECT_EQ(contract["consent"]["exchange"]["height"], height(rpc)) << contract.dump();
  EXPECT_EQ(contract["terms"]["consent"], true);
  EXPECT_TRUE(verify_room_contract(contract).ok()) << verify_room_contract(contract).error().message;
  json tampered = contract;
  tampered["consent"]["exchange"]["height"] = contract["consent"]["deadline"].get<std::uint64_t>() + 1;
  EXPECT_FALSE(verify_room_contract(tampered).ok());
  tampered = contract;
  tampered.erase("consent");
  EXPECT_FALSE(verify_room_contract(tampered).ok());
}

TEST(ConsentRoom, OnePartyDoesNotSignAndEverythingIsRefunded) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const BigInt s_eth = bal(rpc, 1, "ETH"), b_usdc = bal(rpc, 2, "USDC"), b_eth = bal(rpc, 2, "ETH");
  const std::string room = consent_deal(rpc);
  const std::uint64_t deadline = rpc.call("pactum_getRoom", json::array({room}))["consent"]["deadline"];
  submit(rpc, outcome_signature(rpc, 1, room));  // the seller signs, the buyer does not
  std::string refund;
  while (height(rpc) < deadline) {  // blocks up to the deadline: still held
    for (const auto& [id, r] : mine_receipts(rpc)) {
      const std::string m = r.value("message", "");
      if (m.find("no consent") != std::string::npos) refund = m;
    }
  }
  EXPECT_TRUE(refund.empty()) << "refunded inside the window: " << refund;
  for (const auto& [id, r] : mine_receipts(rpc)) {  // deadline + 1: the producer's expiry outcome
    const std::string m = r.value("message", "");
    if (m.find("no consent") != std::string::npos) refund = m;
  }
  EXPECT_EQ(height(rpc), deadline + 1);
  EXPECT_NE(refund.find("not signed by the buyer " + dev_account(2).hex() + "; escrow refunded"), std::string::npos)
      << refund;
  EXPECT_EQ(refund.find(dev_account(1).hex()), std::string::npos) << refund;  // the seller signed
  const json info = rpc.call("pactum_getRoom", json::array({room}));
  EXPECT_EQ(info["status"], "closed");
  EXPECT_EQ(info["consent"]["state"], "expired");
  EXPECT_EQ(info["seller"]["escrow"], "0");
  EXPECT_EQ(info["buyer"]["escrow"], "0");
  EXPECT_EQ(bal(rpc, 1, "ETH"), s_eth);
  EXPECT_EQ(bal(rpc, 2, "USDC"), b_usdc);
  EXPECT_EQ(bal(rpc, 2, "ETH"), b_eth);
  // Too late to sign: the node refuses it.
  const json late =
      rpc.call_raw(client::make_request("pactum_submitIntent", json::array({outcome_signature(rpc, 2, room)}), 1));
  EXPECT_EQ(late["error"]["data"]["reason"], "room_closed") << late.dump();
  const json contract = rpc.call_raw(client::make_request("pactum_getContract", json::array({room}), 1));
  EXPECT_EQ(contract["error"]["data"]["reason"], "contract_incomplete") << contract.dump();
}

// Replaces what differs by construction between two rooms (ids, keys, seeds, digests).
std::string masked(json j, const std::string& room) {
  std::string s = j.dump();
  s = std::regex_replace(s, std::regex(room), "ROOM");
  s = std::regex_replace(s, std::regex(room.substr(0, 12)), "ROOM");
  for (const char* field : {"intent", "pubkey", "seed_commitment", "seed", "digest"})
    s = std::regex_replace(s, std::regex(std::string("\"") + field + "\":\"[0-9a-f]+\""),
                           "\"" + std::string(field) + "\":\"X\"");
  return s;
}

TEST(PostedRoom, AFailedDealLooksTheSameWhicheverSideRefused) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const std::uint64_t close = height(rpc) + 3;
  // Three posted rooms at band 64 (3007.8125 USDC), opened, sealed and closed in the same blocks.
  std::vector<std::string> rooms;
  for (int i = 0; i < 3; ++i) {
    const json open = sign_with_dev(
        5,
        {{"kind", "room_open"}, {"terms", terms(5, 6, close, {{"mechanism", "posted"}, {"posted", {{"band", 64}}}})}});
    submit(rpc, open);
    rooms.push_back(id_of(open));
  }
  mine_receipts(rpc);
  const std::vector<json> positions = {sealed_position(rpc, 5, rooms[0], "2800000000", false),
                                       sealed_position(rpc, 6, rooms[0], "3200000000"),  // the seller walks away
                                       sealed_position(rpc, 5, rooms[1], "2800000000"),
                                       sealed_position(rpc, 6, rooms[1], "3200000000", false),  // the buyer walks away
                                       sealed_position(rpc, 5, rooms[2], "2800000000"),
                                       sealed_position(rpc, 6, rooms[2], "3000000000")};  // ceiling below the price
  for (const json& p : positions) submit(rpc, p);
  auto receipts = mine_receipts(rpc);
  while (height(rpc) < close) {
    for (auto& [id, r] : mine_receipts(rpc)) receipts[id] = r;
  }
  const json block = rpc.call("pactum_getBlock", json::array({close, true}));
  std::vector<std::string> outcome_receipts(3), views(3), position_receipts(3), ciphertexts(3);
  for (std::size_t i = 0; i < 3; ++i) {
    for (const json& in : block["intents"])
      if (in["kind"] == "room_outcome" && in["room"] == rooms[i]) {
        EXPECT_EQ(in["outcome"], 0);
        outcome_receipts[i] = masked(receipts.at(id_of(in)), rooms[i]);
      }
    views[i] = masked(rpc.call("pactum_getRoom", json::array({rooms[i]})), rooms[i]);
    position_receipts[i] = masked(receipts.at(id_of(positions[2 * i])), rooms[i]) +
                           masked(receipts.at(id_of(positions[2 * i + 1])), rooms[i]);
    ciphertexts[i] = std::to_string(positions[2 * i]["ct"].get<std::string>().size()) + "/" +
                     std::to_string(positions[2 * i + 1]["ct"].get<std::string>().size());
  }
  EXPECT_NE(outcome_receipts[0].find("no deal; escrow refunded"), std::string::npos) << outcome_receipts[0];
  EXPECT_NE(views[0].find("\"deal\":false"), std::string::npos) << views[0];
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(outcome_receipts[i], outcome_receipts[0]);
    EXPECT_EQ(views[i], views[0]);
    EXPECT_EQ(ciphertexts[i], ciphertexts[0]);
    // The position receipts differ only by the intent ids (each position is its own intent).
    EXPECT_EQ(std::regex_replace(position_receipts[i], std::regex("\"intent\":\"[0-9a-f]+\""), ""),
              std::regex_replace(position_receipts[0], std::regex("\"intent\":\"[0-9a-f]+\""), ""));
  }
}

}  // namespace
}  // namespace pactum::testing
