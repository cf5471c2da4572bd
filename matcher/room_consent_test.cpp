// Rooms with consent (docs/MECHANISMS.md 9.6, issue 21): a deal's escrow moves only once
// both parties have signed the outcome within the room's window; otherwise the producer's
// expiry outcome refunds everything and its receipt names who did not sign. Run through
// the matcher's settle(), block by block, on a ledger State.
#include <gtest/gtest.h>

#include "pactum/intents/room.hpp"
#include "pactum/ledger/room_record.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum {
namespace {

using nlohmann::json;

const std::string kChain = "pactum-test";
const std::string kEth = "1000000000000000000", kLo = "2000000000", kHi = "4000000000";

SecretKey key_of(const std::string& name) { return SecretKey::from_bytes(Bytes(sha256(as_bytes(name)).bytes)).value(); }

class ConsentRoom : public ::testing::Test {
 protected:
  ConsentRoom() {
    StateDelta d;
    d.assets["ETH"] = AssetInfo{"ETH", 18};
    d.assets["USDC"] = AssetInfo{"USDC", 6};
    d.balances[BalanceKey{seller_.public_key(), "ETH"}] = Amount("5000000000000000000");
    d.balances[BalanceKey{buyer_.public_key(), "USDC"}] = Amount("10000000000");
    state_.apply(d);
  }

  json terms(std::uint64_t close, std::optional<std::uint32_t> window) const {
    json t = {{"mechanism", "midpoint"},
              {"seller", seller_.public_key().hex()},
              {"buyer", buyer_.public_key().hex()},
              {"asset", "ETH"},
              {"amount", kEth},
              {"pay_asset", "USDC"},
              {"range", {kLo, kHi}},
              {"close_height", close}};
    if (window) {
      t["consent"] = true;
      t["consent_window"] = *window;
    }
    return t;
  }

  Intent sign(json j, const SecretKey& k) {
    j["chain"] = kChain;
    j["signer"] = k.public_key().hex();
    j["nonce"] = k.public_key() == producer_.public_key() ? 0 : ++nonce_;
    j["valid_until"] = 1000;
    return sign_intent(j, k, true).value();
  }

  std::vector<Receipt> block(const std::vector<Intent>& batch) {
    ++height_;
    const BlockContext ctx{kChain, height_, 0, producer_.public_key(), RoomRules{}};
    Settlement s = settle(state_, batch, ctx);
    state_.apply(s.delta);
    return s.receipts;
  }

  // Opens a midpoint room closing at height 3 (with consent if `window`), seals a floor of
  // 2812.345678 and a ceiling of 3187.654321 (a deal at band 63), and settles the outcome
  // the producer decides. Returns the room id.
  Hash32 deal(std::optional<std::uint32_t> window, bool deal = true) {
    const Intent open = sign({{"kind", "room_open"}, {"terms", terms(3, window)}}, seller_);
    const Intent key = sign({{"kind", "room_key"},
                             {"room", open.id.hex()},
                             {"pubkey", point_hex(compressed_public_key(room_secret_))},
                             {"seed_commitment", sha256(Bytes(seed_.bytes)).hex()}},
                            producer_);
    EXPECT_EQ(block({open, key})[0].status, ReceiptStatus::settled);
    std::vector<Intent> positions;
    for (const auto& [party, reservation] :
         {std::pair{&seller_, "2812345678"}, std::pair{&buyer_, deal ? "3187654321" : "2000000000"}}) {
      const RoomPosition p = seal_position(compressed_public_key(room_secret_), open.id, party->public_key(),
                                           SealedPosition{true, Amount(reservation), std::nullopt, {}})
                                 .value();
      positions.push_back(sign({{"kind", "room_position"},
                                {"room", open.id.hex()},
                                {"eph", point_hex(p.eph)},
                                {"iv", to_hex(Bytes(p.iv))},
                                {"ct", to_hex(Bytes(p.ct))}},
                               *party));
    }
    for (const Receipt& r : block(positions)) EXPECT_EQ(r.status, ReceiptStatus::settled) << r.message;
    const auto outcome = block({outcome_intent(open.id, deal ? 0x80 | 63 : 0, seed_)});
    EXPECT_EQ(outcome[0].status, ReceiptStatus::settled) << outcome[0].message;
    last_message_ = outcome[0].message;
    return open.id;
  }

  Intent outcome_intent(const Hash32& room, int outcome, const Hash32& seed) {
    json j = {{"kind", "room_outcome"}, {"room", room.hex()}, {"outcome", outcome}, {"seed", seed.hex()}};
    j["valid_until"] = height_ + 1;  // as the producer writes it: unique per block
    j["chain"] = kChain;
    j["signer"] = producer_.public_key().hex();
    j["nonce"] = 0;
    return sign_intent(j, producer_, true).value();
  }

  Intent room_sign(const Hash32& id, const SecretKey& party) {
    const RoomRecord room = *state_.room(id);
    const Hash32 digest = outcome_digest(id, room.terms.hash, room.outcome, room.outcome_value());
    return sign({{"kind", "room_sign"}, {"room", id.hex()}, {"outcome_sig", party.sign(digest).hex()}}, party);
  }

  BigInt bal(const SecretKey& who, const std::string& asset) const {
    return BigInt(state_.balance(who.public_key(), asset));
  }

  State state_;
  SecretKey producer_ = key_of("producer"), seller_ = key_of("seller"), buyer_ = key_of("buyer");
  SecretKey room_secret_ = key_of("room");
  Hash32 seed_ = sha256(as_bytes("seed"));
  std::uint64_t height_ = 0, nonce_ = 0;
  std::string last_message_;
};

TEST_F(ConsentRoom, BothSignWithinTheWindowAndTheEscrowMovesInTheBlockOfTheLastSignature) {
  const Hash32 id = deal(2);
  // Closed at height 3 with a deal, but nothing moved: both escrows are held.
  RoomRecord room = *state_.room(id);
  EXPECT_TRUE(room.closed);
  EXPECT_EQ(room.consent, RoomConsent::awaiting);
  EXPECT_EQ(room.consent_deadline(), 5u);
  EXPECT_EQ(room.seller.escrow, Amount(kEth));
  EXPECT_EQ(room.buyer.escrow, Amount(kHi));
  EXPECT_NE(last_message_.find("awaiting both parties' signatures until height 5; escrow held"), std::string::npos)
      << last_message_;
  EXPECT_EQ(bal(buyer_, "ETH"), 0);

  const auto first = block({room_sign(id, seller_)});  // height 4: one signature, still held
  EXPECT_EQ(first[0].status, ReceiptStatus::settled);
  EXPECT_EQ(first[0].message, "outcome of room " + id.hex().substr(0, 12) + " signed");
  EXPECT_EQ(state_.room(id)->consent, RoomConsent::awaiting);
  EXPECT_EQ(bal(buyer_, "ETH"), 0);

  const auto last = block({room_sign(id, buyer_)});  // height 5, the deadline: the exchange
  ASSERT_EQ(last[0].status, ReceiptStatus::settled) << last[0].message;
  EXPECT_NE(last[0].message.find("both parties have consented: deal at band 63, 1 ETH for 2992.1875 USDC exchanged"),
            std::string::npos)
      << last[0].message;
  room = *state_.room(id);
  EXPECT_EQ(room.consent, RoomConsent::given);
  EXPECT_EQ(room.consent_height, 5u);
  EXPECT_EQ(room.seller.escrow, Amount(0));
  EXPECT_EQ(room.buyer.escrow, Amount(0));
  EXPECT_EQ(bal(buyer_, "ETH"), BigInt(kEth));
  EXPECT_EQ(bal(seller_, "USDC"), BigInt(2992187500));
  EXPECT_EQ(bal(buyer_, "USDC"), BigInt(10000000000) - BigInt(2992187500));
  // An expiry outcome after the window finds nothing to refund.
  const auto late = block({outcome_intent(id, 0, Hash32{})});
  EXPECT_EQ(late[0].reason, "room_closed");
  EXPECT_EQ(RoomRecord::from_json(room.to_json()).value(), room);
}

TEST_F(ConsentRoom, OnePartyDoesNotSignAndEverythingIsRefundedNamingIt) {
  const Hash32 id = deal(2);
  EXPECT_EQ(block({room_sign(id, seller_)})[0].status, ReceiptStatus::settled);  // height 4
  // Height 5 is still in the window: the producer cannot end it yet.
  const auto early = block({outcome_intent(id, 0, Hash32{})});
  EXPECT_EQ(early[0].reason, "consent_pending") << early[0].message;
  // Height 6: the window is over; only outcome 0 with a zero seed ends it.
  EXPECT_EQ(block({outcome_intent(id, 0x80 | 63, seed_)})[0].reason, "bad_outcome");
  // Height 7: the expiry, and the buyer's signature comes too late.
  const auto r = block({outcome_intent(id, 0, Hash32{}), room_sign(id, buyer_)});
  ASSERT_EQ(r[0].status, ReceiptStatus::settled) << r[0].message;
  EXPECT_EQ(r[0].message, "room " + id.hex().substr(0, 12) + ": no consent by height 5, not signed by the buyer " +
                              buyer_.public_key().hex() + "; escrow refunded");
  EXPECT_EQ(r[1].reason, "consent_expired") << r[1].message;
  const RoomRecord room = *state_.room(id);
  EXPECT_EQ(room.consent, RoomConsent::expired);
  EXPECT_EQ(room.consent_height, 7u);
  EXPECT_EQ(room.seller.escrow, Amount(0));
  EXPECT_EQ(room.buyer.escrow, Amount(0));
  EXPECT_EQ(bal(seller_, "ETH"), BigInt("5000000000000000000"));  // nothing moved
  EXPECT_EQ(bal(buyer_, "USDC"), BigInt(10000000000));
  EXPECT_EQ(bal(buyer_, "ETH"), 0);
  EXPECT_EQ(RoomRecord::from_json(room.to_json()).value(), room);
}

TEST_F(ConsentRoom, ANoDealRefundsAtOnce) {
  const Hash32 id = deal(2, false);
  const RoomRecord room = *state_.room(id);
  EXPECT_EQ(room.consent, RoomConsent::none);
  EXPECT_EQ(room.seller.escrow, Amount(0));
  EXPECT_EQ(bal(buyer_, "USDC"), BigInt(10000000000));
  EXPECT_FALSE(room.to_json().contains("consent"));
}

TEST_F(ConsentRoom, WithoutConsentTheDealMovesAtTheCloseAndTheLeafIsUnchanged) {
  const Hash32 id = deal(std::nullopt);
  const RoomRecord room = *state_.room(id);
  EXPECT_EQ(room.consent, RoomConsent::none);
  EXPECT_EQ(bal(buyer_, "ETH"), BigInt(kEth));
  EXPECT_FALSE(room.to_json().contains("consent"));
  EXPECT_FALSE(room.to_json()["terms"].contains("consent"));
}

TEST(ConsentTerms, DecodeOnlyOneSpellingAndABoundedWindow) {
  const PublicKey s = key_of("seller").public_key(), b = key_of("buyer").public_key();
  json t = {{"mechanism", "posted"},   {"seller", s.hex()}, {"buyer", b.hex()},
            {"asset", "ETH"},          {"amount", "1"},     {"pay_asset", "USDC"},
            {"range", {"100", "200"}}, {"close_height", 9}, {"posted", {{"band", 64}}}};
  const Hash32 plain = decode_room_terms(t, s).value().hash;
  EXPECT_EQ(terms_to_json(decode_room_terms(t, s).value()), t);
  json c = t;
  c["consent"] = true;
  c["consent_window"] = 10;
  const RoomTerms with = decode_room_terms(c, s).value();
  EXPECT_TRUE(with.consent);
  EXPECT_EQ(with.consent_window, 10u);
  EXPECT_NE(with.hash, plain);
  EXPECT_EQ(terms_to_json(with), c);
  for (const json& bad :
       {json{{"consent", false}, {"consent_window", 10}}, json{{"consent", true}}, json{{"consent_window", 10}},
        json{{"consent", true}, {"consent_window", 0}}, json{{"consent", true}, {"consent_window", 1001}}}) {
    json x = t;
    x.update(bad);
    EXPECT_FALSE(decode_room_terms(x, s).ok()) << x.dump();
  }
  json group = {{"mechanism", "threshold"},
                {"parties", {s.hex(), b.hex()}},
                {"k", 1},
                {"action", {{"asset", "USDC"}, {"amount", "1"}, {"to", b.hex()}}},
                {"close_height", 9}};
  ASSERT_TRUE(decode_room_terms(group, s).ok());
  group["consent"] = true;
  group["consent_window"] = 10;
  auto refused = decode_room_terms(group, s);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("price rooms"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace pactum
