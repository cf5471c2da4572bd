// End to end through the real node (issue 5): sealed negotiation rooms. A seller and a
// buyer open a room, seal their reservations to the room's key (sealing happens here, in
// the client, as `pactum room seal` does), and at the closing height the node publishes
// only deal or no deal and a price band. Deal and no deal, escrow and refund, both
// mechanisms, forged and replayed positions, the probing bound, the signed contract
// (verified offline, and a tampered one failing), a node restart that voids an open
// room, and a search of the data directory, the log and the RPC answers for the
// plaintext reservations.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "harness.hpp"
#include "pactum/intents/intent.hpp"
#include "room_support.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kNode{"--block-time", "600000"};
const std::string kLo = "2000000000", kHi = "4000000000";  // 2000..4000 USDC for 1 ETH
const std::string kEth = "1000000000000000000";

json room_terms(std::uint32_t seller, std::uint32_t buyer, std::uint64_t close,
                const std::string& mechanism = "midpoint", json posted = nullptr) {
  json t = {{"mechanism", mechanism},
            {"seller", dev_account(seller).hex()},
            {"buyer", dev_account(buyer).hex()},
            {"asset", "ETH"},
            {"amount", kEth},
            {"pay_asset", "USDC"},
            {"range", {kLo, kHi}},
            {"close_height", close}};
  if (!posted.is_null()) t["posted"] = posted;
  return t;
}

struct Room {
  std::string id;
  std::uint64_t close = 0;
};

// Opens a room (one block: the room_open and the producer's room_key).
Room open_room(client::RpcClient& rpc, std::uint32_t seller, std::uint32_t buyer,
               const std::string& mechanism = "midpoint", json posted = nullptr, std::uint64_t close_in = 3) {
  const std::uint64_t close = height(rpc) + close_in;
  const json open =
      sign_with_dev(seller, {{"kind", "room_open"}, {"terms", room_terms(seller, buyer, close, mechanism, posted)}});
  submit(rpc, open);
  auto receipts = mine_receipts(rpc);
  EXPECT_EQ(receipts.at(id_of(open))["status"], "settled") << receipts.at(id_of(open)).dump();
  return {id_of(open), close};
}

// Seals both positions, then mines to the closing height; returns the room as the node shows it.
json run_room(client::RpcClient& rpc, const Room& room, std::uint32_t seller, const std::string& floor,
              std::uint32_t buyer, const std::string& ceiling) {
  const json s = sealed_position(rpc, seller, room.id, floor), b = sealed_position(rpc, buyer, room.id, ceiling);
  submit(rpc, s);
  submit(rpc, b);
  auto receipts = mine_receipts(rpc);
  EXPECT_EQ(receipts.at(id_of(s))["status"], "settled") << receipts.at(id_of(s)).dump();
  EXPECT_EQ(receipts.at(id_of(b))["status"], "settled") << receipts.at(id_of(b)).dump();
  while (height(rpc) < room.close) mine_receipts(rpc);
  return rpc.call("pactum_getRoom", json::array({room.id}));
}

BigInt bal(client::RpcClient& rpc, std::uint32_t dev, const std::string& asset) {
  return BigInt(balance(rpc, dev_account(dev), asset));
}

TEST(Room, MidpointDealExchangesTheEscrowAtTheBandPrice) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const BigInt s_usdc = bal(rpc, 1, "USDC"), s_eth = bal(rpc, 1, "ETH"), b_usdc = bal(rpc, 2, "USDC"),
               b_eth = bal(rpc, 2, "ETH");
  const Room room = open_room(rpc, 1, 2);
  // Escrow is taken when the positions are sealed.
  const json s = sealed_position(rpc, 1, room.id, "2812345678"), b = sealed_position(rpc, 2, room.id, "3187654321");
  submit(rpc, s);
  submit(rpc, b);
  mine_receipts(rpc);
  EXPECT_EQ(bal(rpc, 1, "ETH"), s_eth - BigInt(kEth));
  EXPECT_EQ(bal(rpc, 2, "USDC"), b_usdc - BigInt(kHi));  // the top of the range: says nothing of the ceiling
  while (height(rpc) < room.close) mine_receipts(rpc);
  const json info = rpc.call("pactum_getRoom", json::array({room.id}));
  ASSERT_EQ(info["status"], "closed") << info.dump();
  // The midpoint (2999999999.5) is nearest band 63 (2992.1875; band 64 is 3007.8125).
  EXPECT_EQ(info["outcome"]["deal"], true) << info.dump();
  EXPECT_EQ(info["outcome"]["band"], 63);
  EXPECT_EQ(info["outcome"]["price"], "2992187500");
  const BigInt price(2992187500);
  EXPECT_EQ(bal(rpc, 1, "USDC"), s_usdc - 1000000 + price);  // minus the 1 USDC room fee
  EXPECT_EQ(bal(rpc, 1, "ETH"), s_eth - BigInt(kEth));
  EXPECT_EQ(bal(rpc, 2, "USDC"), b_usdc - price);
  EXPECT_EQ(bal(rpc, 2, "ETH"), b_eth + BigInt(kEth));
  EXPECT_EQ(info["seller"]["escrow"], "0");
  EXPECT_EQ(info["buyer"]["escrow"], "0");

  // The contract: both sign the outcome; it verifies offline, and a tampered one does not.
  const json incomplete = rpc.call_raw(client::make_request("pactum_getContract", json::array({room.id}), 1));
  EXPECT_EQ(incomplete["error"]["data"]["reason"], "contract_incomplete") << incomplete.dump();
  submit(rpc, outcome_signature(rpc, 1, room.id));
  submit(rpc, outcome_signature(rpc, 2, room.id));
  mine_receipts(rpc);
  const json contract = rpc.call("pactum_getContract", json::array({room.id}));
  EXPECT_TRUE(verify_room_contract(contract).ok()) << verify_room_contract(contract).error().message;
  json tampered = contract;
  tampered["price"] = "3100000000";
  EXPECT_FALSE(verify_room_contract(tampered).ok());
  tampered = contract;
  tampered["outcome"] = 0x80 | 70;
  EXPECT_FALSE(verify_room_contract(tampered).ok());
  tampered = contract;
  std::string sig = tampered["parties"][1]["sig"];
  sig[10] = sig[10] == 'a' ? 'b' : 'a';
  tampered["parties"][1]["sig"] = sig;
  EXPECT_FALSE(verify_room_contract(tampered).ok());

  // The same through the CLI, with no node: `pactum contract verify`.
  const std::string good = t.dir.sub("contract.json"), bad = t.dir.sub("tampered.json");
  std::ofstream(good) << contract.dump();
  std::ofstream(bad) << tampered.dump();
  const std::string bin = shell_quote(pactum_binary());
  ShellResult r = run_shell(bin + " contract verify " + shell_quote(good));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("contract verifies"), std::string::npos) << r.out;
  r = run_shell(bin + " contract verify " + shell_quote(bad));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("does NOT verify"), std::string::npos) << r.out;

  // Nothing leaks: the reservations appear in no RPC answer, no file of the data
  // directory and not in the node's log.
  std::string answers = info.dump() + contract.dump();
  for (std::uint64_t h = 0; h <= height(rpc); ++h)
    answers += rpc.call("pactum_getBlock", json::array({h, true})).dump();
  t.node->stop();
  std::string everything = answers + t.node->log();
  for (const auto& entry : std::filesystem::recursive_directory_iterator(t.data_dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    everything.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  for (const std::string secret : {"2812345678", "3187654321"})
    EXPECT_EQ(everything.find(secret), std::string::npos) << "plaintext reservation " << secret << " leaked";
  // Replay of the chain (rooms included) reproduces every root.
  r = run_shell(bin + " replay --data-dir " + shell_quote(t.data_dir) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST(Room, NoDealRefundsTheEscrowAndPublishesNothingElse) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const BigInt s_usdc = bal(rpc, 3, "USDC"), s_eth = bal(rpc, 3, "ETH"), b_usdc = bal(rpc, 4, "USDC");
  const Room room = open_room(rpc, 3, 4);
  const json info = run_room(rpc, room, 3, "3300000000", 4, "3200000000");  // floor above ceiling
  ASSERT_EQ(info["status"], "closed") << info.dump();
  EXPECT_EQ(info["outcome"]["deal"], false);
  EXPECT_EQ(info["outcome"]["byte"], 0);
  EXPECT_TRUE(info["outcome"]["band"].is_null());
  EXPECT_TRUE(info["outcome"]["price"].is_null());
  EXPECT_EQ(bal(rpc, 3, "ETH"), s_eth);
  EXPECT_EQ(bal(rpc, 3, "USDC"), s_usdc - 1000000);  // only the fee
  EXPECT_EQ(bal(rpc, 4, "USDC"), b_usdc);
}

TEST(Room, PostedPriceDealsOnlyInsideBothReservations) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  // Band 64 = 3007.8125 USDC, fixed in the terms.
  Room room = open_room(rpc, 5, 6, "posted", {{"band", 64}});
  json info = run_room(rpc, room, 5, "2800000000", 6, "3100000000");
  EXPECT_EQ(info["outcome"]["deal"], true) << info.dump();
  EXPECT_EQ(info["outcome"]["price"], "3007812500");
  room = open_room(rpc, 5, 6, "posted", {{"band", 64}});
  info = run_room(rpc, room, 5, "2800000000", 6, "3000000000");  // ceiling below the posted price
  EXPECT_EQ(info["outcome"]["deal"], false) << info.dump();
  // A random posted band: drawn from the seed committed at open and revealed at close.
  room = open_room(rpc, 5, 6, "posted", {{"random", true}});
  const std::string commitment = rpc.call("pactum_getRoom", json::array({room.id}))["seed_commitment"];
  info = run_room(rpc, room, 5, "0", 6, "4000000000");  // any band in the range is acceptable to both
  const Hash32 seed = Hash32::from_hex(info["seed"].get<std::string>()).value();
  EXPECT_EQ(sha256(Bytes(seed.bytes)).hex(), commitment);
  EXPECT_EQ(info["outcome"]["deal"], true) << info.dump();
  EXPECT_EQ(info["outcome"]["band"], band_from_seed(seed));
}

TEST(Room, ForgedAndReplayedPositionsAreRefused) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const Room room = open_room(rpc, 7, 8, "midpoint", nullptr, 8);
  const auto error_of = [&](const json& intent) {
    const json a = rpc.call_raw(client::make_request("pactum_submitIntent", json::array({intent}), 1));
    return a.contains("error") ? a["error"]["data"]["reason"].get<std::string>() : std::string("accepted");
  };
  // A third account cannot take part.
  EXPECT_EQ(error_of(sealed_position(rpc, 9, room.id, "1")), "invalid_params");
  // A forged signature.
  json forged = sealed_position(rpc, 7, room.id, "2900000000");
  forged["sig"] = dev_secret_key(9).sign(decode_intent(forged, false).value().id).hex();
  EXPECT_EQ(error_of(forged), "bad_signature");
  // A replay of an accepted position, and a second position of the same party.
  const json first = sealed_position(rpc, 7, room.id, "2900000000");
  EXPECT_EQ(error_of(first), "accepted");
  EXPECT_EQ(error_of(first), "duplicate");
  EXPECT_EQ(error_of(sealed_position(rpc, 7, room.id, "2000000000")), "duplicate");
  mine_receipts(rpc);
  EXPECT_EQ(error_of(sealed_position(rpc, 7, room.id, "2000000000")), "duplicate");
  // An unknown room.
  json unknown = first;
  unknown.erase("sig");
  unknown["room"] = std::string(64, 'a');
  unknown["nonce"] = fresh_nonce();
  EXPECT_EQ(error_of(sign_with_dev(7, unknown)), "unknown_room");
  // A position sealed for another room, copied here by its own party (re-signed): it does
  // not open under this room's binding, so it counts as walking away: no deal.
  const Room other = open_room(rpc, 7, 8);
  json copied = sealed_position(rpc, 8, other.id, "3500000000");
  copied.erase("sig");
  copied["room"] = room.id;
  copied["nonce"] = fresh_nonce();
  EXPECT_EQ(error_of(sign_with_dev(8, copied)), "accepted");
  while (height(rpc) < room.close) mine_receipts(rpc);
  const json info = rpc.call("pactum_getRoom", json::array({room.id}));
  EXPECT_EQ(info["status"], "closed");
  EXPECT_EQ(info["outcome"]["deal"], false) << "a copied ciphertext must not make a deal: " << info.dump();
  // Positions after the close are refused.
  EXPECT_EQ(error_of(sealed_position(rpc, 8, room.id, "1")), "room_closed");
}

TEST(Room, OpeningIsBoundedPerPairAndCostsAFee) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const BigInt before = bal(rpc, 10, "USDC");
  std::vector<json> opens;
  for (int i = 0; i < 9; ++i)
    opens.push_back(sign_with_dev(10, {{"kind", "room_open"}, {"terms", room_terms(10, 11, 50 + i)}}));
  for (const auto& o : opens) submit(rpc, o);
  auto receipts = mine_receipts(rpc);
  int settled = 0, limited = 0;
  for (const auto& o : opens) {
    const json& r = receipts.at(id_of(o));
    if (r["status"] == "settled") ++settled;
    if (r["reason"] == "room_limit") ++limited;
  }
  EXPECT_EQ(settled, 8);
  EXPECT_EQ(limited, 1);
  EXPECT_EQ(bal(rpc, 10, "USDC"), before - 8 * 1000000);
}

TEST(Room, ARestartVoidsOpenRoomsAndRefunds) {
  TestNode t(kNode);
  auto& rpc0 = t.rpc();
  const BigInt b_usdc = bal(rpc0, 13, "USDC");
  const Room room = open_room(rpc0, 12, 13);
  submit(rpc0, sealed_position(rpc0, 12, room.id, "2000000000"));
  submit(rpc0, sealed_position(rpc0, 13, room.id, "4000000000"));
  mine_receipts(rpc0);
  // The room secret lived only in the old process.
  t.restart(kNode);
  auto& rpc = t.rpc();
  while (height(rpc) < room.close) mine_receipts(rpc);
  const json info = rpc.call("pactum_getRoom", json::array({room.id}));
  EXPECT_EQ(info["status"], "closed") << info.dump();
  EXPECT_EQ(info["outcome"]["deal"], false);
  EXPECT_EQ(info["seed"], std::string(64, '0'));
  EXPECT_EQ(bal(rpc, 13, "USDC"), b_usdc);
}

// pactum_getRooms (the explorer's room list): newest first, each exactly pactum_getRoom's
// answer, filtered by status; outcomes only, never a position.
TEST(Room, GetRoomsListsRoomsNewestFirstWithTheirOutcomes) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  EXPECT_EQ(rpc.call("pactum_getRooms"), json::array());
  const Room closed = open_room(rpc, 14, 15);
  const json closed_info = run_room(rpc, closed, 14, "2812345678", 15, "3187654321");
  ASSERT_EQ(closed_info["status"], "closed") << closed_info.dump();
  const Room open = open_room(rpc, 16, 17, "midpoint", nullptr, 5);
  const json open_info = rpc.call("pactum_getRoom", json::array({open.id}));

  const json all = rpc.call("pactum_getRooms");
  EXPECT_EQ(all, json::array({open_info, closed_info}));
  EXPECT_EQ(all[1]["outcome"]["deal"], true);
  EXPECT_EQ(all[1]["outcome"]["band"], 63);
  EXPECT_EQ(rpc.call("pactum_getRooms", json::array({"closed"})), json::array({closed_info}));
  EXPECT_EQ(rpc.call("pactum_getRooms", json{{"status", "open"}}), json::array({open_info}));
  EXPECT_EQ(rpc.call("pactum_getRooms", json::array({nullptr, 1})), json::array({open_info}));
  for (const std::string secret : {"2812345678", "3187654321"})
    EXPECT_EQ(all.dump().find(secret), std::string::npos) << "plaintext reservation " << secret << " in the list";
  for (const json& bad : {json::array({"sealed"}), json::array({nullptr, 0}), json::array({nullptr, 1001})}) {
    const json r = rpc.call_raw(client::make_request("pactum_getRooms", bad, 1));
    EXPECT_EQ(r["error"]["code"], -32602) << r.dump();
  }
}

// Multi-issue and threshold rooms: N parties, seal with options or a yes/no.
json group_position(client::RpcClient& rpc, std::uint32_t party, const std::string& room, SealedPosition position) {
  const json info = rpc.call("pactum_getRoom", json::array({room}));
  const Point33 pub = point_from_hex(info["pubkey"].get<std::string>(), "pubkey").value();
  const RoomPosition p = seal_position(pub, Hash32::from_hex(room).value(), dev_account(party), position).value();
  return sign_with_dev(party, {{"kind", "room_position"},
                               {"room", room},
                               {"eph", point_hex(p.eph)},
                               {"iv", to_hex(Bytes(p.iv))},
                               {"ct", to_hex(Bytes(p.ct))}});
}

json group_room(client::RpcClient& rpc, json terms, std::uint32_t opener,
                const std::vector<std::pair<std::uint32_t, SealedPosition>>& seals) {
  const std::uint64_t close = height(rpc) + 3;
  terms["close_height"] = close;
  const json open = sign_with_dev(opener, {{"kind", "room_open"}, {"terms", terms}});
  submit(rpc, open);
  auto receipts = mine_receipts(rpc);
  EXPECT_EQ(receipts.at(id_of(open))["status"], "settled") << receipts.at(id_of(open)).dump();
  const std::string room = id_of(open);
  for (const auto& [party, position] : seals) submit(rpc, group_position(rpc, party, room, position));
  receipts = mine_receipts(rpc);
  while (height(rpc) < close) mine_receipts(rpc);
  json info = rpc.call("pactum_getRoom", json::array({room}));
  info["id"] = room;
  return info;
}

json parties_of(const std::vector<std::uint32_t>& devs) {
  json out = json::array();
  for (auto d : devs) out.push_back(dev_account(d).hex());
  return out;
}

SealedPosition options(std::uint64_t mask, std::string scores) {
  return SealedPosition{true, 0, mask, std::move(scores)};
}

TEST(Room, MultiIssueRevealsOnlyTheBestMutuallyAcceptableOption) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  // price {low, mid, high} x start {q1, q2}: options 0..5, option = 2 * price + start.
  const json terms = {
      {"mechanism", "multi_issue"},
      {"parties", parties_of({14, 15, 16})},
      {"issues",
       {{{"name", "price"}, {"values", {"low", "mid", "high"}}}, {{"name", "start"}, {"values", {"q1", "q2"}}}}}};
  // Acceptable to all: options 3 and 5. Scores: option 3 = 1 + 9 + 5 = 15, option 5 = 9 + 0 + 5 = 14.
  json info = group_room(
      rpc, terms, 14,
      {{14, options(0b101100, "000109")}, {15, options(0b101010, "000900")}, {16, options(0b111000, "000505")}});
  ASSERT_EQ(info["status"], "closed") << info.dump();
  EXPECT_EQ(info["outcome"]["deal"], true);
  EXPECT_EQ(info["outcome"]["option"], 3);
  for (std::uint32_t d : {14u, 15u, 16u}) submit(rpc, outcome_signature(rpc, d, info["id"]));
  mine_receipts(rpc);
  const json contract = rpc.call("pactum_getContract", json::array({info["id"]}));
  EXPECT_TRUE(verify_room_contract(contract).ok()) << verify_room_contract(contract).error().message;
  json tampered = contract;
  tampered["option"] = 5;
  EXPECT_FALSE(verify_room_contract(tampered).ok());
  // No option acceptable to all: no deal, nothing else published.
  info = group_room(rpc, terms, 14,
                    {{14, options(0b000011, "")}, {15, options(0b001100, "")}, {16, options(0b110000, "")}});
  EXPECT_EQ(info["outcome"]["deal"], false) << info.dump();
  EXPECT_TRUE(info["outcome"]["option"].is_null());
}

TEST(Room, SealedThresholdBindsOnlyTheYesVotersWhenMet) {
  TestNode t(kNode);
  auto& rpc = t.rpc();
  const json terms = {{"mechanism", "threshold"},
                      {"parties", parties_of({14, 15, 16, 17})},
                      {"k", 3},
                      {"action", {{"asset", "USDC"}, {"amount", "100000000"}, {"to", dev_account(19).hex()}}}};
  const SealedPosition yes{true, 0, {}, {}}, no{false, 0, {}, {}};
  const BigInt before14 = bal(rpc, 14, "USDC"), before17 = bal(rpc, 17, "USDC"), pot = bal(rpc, 19, "USDC");
  json info = group_room(rpc, terms, 14, {{14, yes}, {15, yes}, {16, yes}, {17, no}});
  EXPECT_EQ(info["outcome"]["deal"], true) << info.dump();
  EXPECT_EQ(info["outcome"]["yes"], parties_of({14, 15, 16}));
  EXPECT_EQ(bal(rpc, 19, "USDC"), pot + 300000000);
  EXPECT_EQ(bal(rpc, 14, "USDC"), before14 - 100000000 - 1000000);  // pays, and the room fee
  EXPECT_EQ(bal(rpc, 17, "USDC"), before17);                        // said no: refunded
  for (std::uint32_t d : {14u, 15u, 16u, 17u}) submit(rpc, outcome_signature(rpc, d, info["id"]));
  mine_receipts(rpc);
  const json contract = rpc.call("pactum_getContract", json::array({info["id"]}));
  EXPECT_TRUE(verify_room_contract(contract).ok()) << verify_room_contract(contract).error().message;
  // Two yes of the needed three: not met, everyone refunded, no votes published.
  const BigInt b15 = bal(rpc, 15, "USDC");
  info = group_room(rpc, terms, 14, {{14, yes}, {15, yes}, {16, no}, {17, no}});
  EXPECT_EQ(info["outcome"]["deal"], false) << info.dump();
  EXPECT_EQ(info["outcome"]["yes"], json::array());
  EXPECT_EQ(bal(rpc, 15, "USDC"), b15);
  EXPECT_EQ(bal(rpc, 19, "USDC"), pot + 300000000);
}

}  // namespace
}  // namespace pactum::testing
