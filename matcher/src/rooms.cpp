#include "rooms.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "pactum/matcher/rooms.hpp"
#include "rational.hpp"
#include "receipts.hpp"

namespace pactum {

std::uint8_t decide_room(const RoomTerms& terms, const std::optional<SealedPosition>& seller,
                         const std::optional<SealedPosition>& buyer, const Hash32& seed) {
  if (!seller || !buyer || !seller->accept || !buyer->accept) return 0;
  const BigInt floor(seller->reservation), ceiling(buyer->reservation);
  if (floor > ceiling) return 0;
  if (terms.mechanism == RoomMechanism::posted) {
    const std::uint32_t band = terms.posted_band ? *terms.posted_band : band_from_seed(seed);
    const BigInt p(band_price(terms, band));
    return floor <= p && p <= ceiling ? static_cast<std::uint8_t>(0x80 | band) : 0;
  }
  const BigInt twice_mid = floor + ceiling;  // compare 2p with floor + ceiling: no rounding
  std::optional<std::uint32_t> best;
  BigInt best_gap;
  for (std::uint32_t k = 0; k < static_cast<std::uint32_t>(kRoomBands); ++k) {
    const BigInt p(band_price(terms, k));
    if (p < floor || p > ceiling) continue;
    BigInt gap = 2 * p - twice_mid;
    if (gap < 0) gap = -gap;
    if (!best || gap < best_gap) {
      best = k;
      best_gap = gap;
    }
  }
  return best ? static_cast<std::uint8_t>(0x80 | *best) : 0;
}

GroupDecision decide_group_room(const RoomTerms& terms, const std::vector<std::optional<SealedPosition>>& positions) {
  GroupDecision d;
  if (terms.mechanism == RoomMechanism::threshold) {
    std::uint32_t count = 0;
    std::uint64_t yes = 0;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (positions[i] && positions[i]->accept) {
        yes |= std::uint64_t{1} << i;
        ++count;
      }
    }
    if (count >= terms.k) d = {0x80, yes};
    return d;
  }
  const std::size_t n = terms.option_count();
  std::uint64_t common = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  for (const auto& p : positions) {
    if (!p || !p->accept || !p->options) return d;
    common &= *p->options;
  }
  std::optional<std::size_t> best;
  int best_score = -1;
  for (std::size_t o = 0; o < n; ++o) {
    if (!(common >> o & 1)) continue;
    int score = 0;
    for (const auto& p : positions) score += o < p->scores.size() ? p->scores[o] - '0' : 0;
    if (score > best_score) {
      best = o;
      best_score = score;
    }
  }
  if (best) d.outcome = static_cast<std::uint8_t>(0x80 | *best);
  return d;
}

namespace matching {
namespace {

std::string short_hex(const Hash32& h) { return h.hex().substr(0, 12); }

Receipt room_settled(const Intent& in, std::string message) {
  Receipt r = blank_receipt(in);
  r.status = ReceiptStatus::settled;
  r.message = std::move(message);
  return r;
}

class RoomSettler {
 public:
  RoomSettler(OverlayState& s, std::span<const Intent> batch, const BlockContext& ctx, std::vector<Receipt>& receipts)
      : s_(s), batch_(batch), ctx_(ctx), receipts_(receipts) {}

  void run(const std::vector<std::size_t>& rooms) {
    std::vector<std::size_t> by_id = rooms;
    std::sort(by_id.begin(), by_id.end(), [&](std::size_t x, std::size_t y) {
      return batch_[x].id != batch_[y].id ? batch_[x].id < batch_[y].id : x < y;
    });
    for (std::size_t i : by_id) {
      if (auto bad = invalid(batch_[i]))
        receipts_[i] = *bad;
      else if (const RoomKey* k = batch_[i].room_key())
        keys_.emplace(k->room, i);
    }
    for (int pass = 0; pass < 4; ++pass) {
      for (std::size_t i : by_id) {
        if (receipts_[i].intent == batch_[i].id) continue;  // decided already
        const Intent& in = batch_[i];
        const bool mine = (pass == 0 && in.room_open()) || (pass == 1 && in.room_position()) ||
                          (pass == 2 && in.room_outcome()) || (pass == 3 && in.room_sign());
        if (mine && !by_producer(in) && s_.nonce_used(in.signer, in.nonce)) {  // a second (signer, nonce) of this block
          receipts_[i] =
              rejected(in, "nonce_used", "nonce " + std::to_string(in.nonce) + " of this signer is already used");
          continue;
        }
        if (pass == 0 && in.room_open()) receipts_[i] = open(in);
        if (pass == 1 && in.room_position()) receipts_[i] = position(in);
        if (pass == 2 && in.room_outcome()) receipts_[i] = outcome(in);
        if (pass == 3 && in.room_sign()) receipts_[i] = sign(in);
      }
    }
    for (std::size_t i : by_id) {  // keys: settled with their room, else rejected
      if (!batch_[i].room_key() || receipts_[i].intent == batch_[i].id) continue;
      const bool opened = opened_.count(batch_[i].room_key()->room) != 0;
      receipts_[i] =
          opened ? room_settled(batch_[i], "room key published for room " + short_hex(batch_[i].room_key()->room))
                 : rejected(batch_[i], "room_not_opened", "no room_open of this block settled for this key");
    }
  }

 private:
  bool by_producer(const Intent& in) const { return in.room_key() || in.room_outcome(); }

  std::optional<Receipt> invalid(const Intent& in) {
    if (in.chain != ctx_.chain_id)
      return rejected(in, "wrong_chain",
                      "the intent is for chain '" + in.chain + "', this chain is '" + ctx_.chain_id + "'");
    if (in.valid_until < ctx_.height)
      return rejected(
          in, "expired",
          "valid_until " + std::to_string(in.valid_until) + " is below block height " + std::to_string(ctx_.height));
    if (in.valid_from > ctx_.height) return not_yet_valid(in, ctx_.height);
    if (by_producer(in)) {
      if (in.signer != ctx_.producer)
        return rejected(in, "not_producer", "room_key and room_outcome are signed by the block producer only");
      return std::nullopt;
    }
    if (s_.nonce_used(in.signer, in.nonce))
      return rejected(in, "nonce_used", "nonce " + std::to_string(in.nonce) + " of this signer is already used");
    return std::nullopt;
  }

  // Moves `amount` of `asset` out of `who`'s balance, or says why it cannot.
  bool debit(const PublicKey& who, const std::string& asset, const BigInt& amount) {
    const BigInt have = to_big(s_.balance(who, asset));
    if (have < amount) return false;
    s_.set_balance(who, asset, to_amount(have - amount));
    return true;
  }
  void credit(const PublicKey& who, const std::string& asset, const BigInt& amount) {
    if (amount == 0) return;
    s_.set_balance(who, asset, to_amount(to_big(s_.balance(who, asset)) + amount));
  }
  void settled_nonce(const Intent& in) { s_.use_nonce(in.signer, in.nonce); }

  Receipt open(const Intent& in) {
    const RoomTerms& t = in.room_open()->terms;
    if (t.is_price())
      for (const std::string* a : {&t.asset, &t.pay_asset})
        if (!s_.asset(*a)) return rejected(in, "unknown_asset", "asset '" + *a + "' is not in the registry");
    if (t.close_height <= ctx_.height)
      return rejected(in, "invalid_intent",
                      "close_height " + std::to_string(t.close_height) + " must be above this block's height " +
                          std::to_string(ctx_.height));
    if (s_.room(in.id)) return rejected(in, "duplicate", "room " + short_hex(in.id) + " exists already");
    auto key = keys_.find(in.id);
    if (key == keys_.end()) {
      Receipt r = blank_receipt(in);
      r.status = ReceiptStatus::unfilled;
      r.reason = "no_room_key";
      r.message = "waiting for the room's key: the block producer publishes it in the block that opens the room";
      return r;
    }
    if (!t.is_price() && t.mechanism == RoomMechanism::threshold && !s_.asset(t.action_asset))
      return rejected(in, "unknown_asset", "asset '" + t.action_asset + "' is not in the registry");
    // The probing bound: rooms per unordered pair (opener, other party) per period.
    std::vector<PublicKey> others;
    if (t.is_price()) others.push_back(in.signer == t.seller ? t.buyer : t.seller);
    for (const PublicKey& p : t.parties)
      if (p != in.signer) others.push_back(p);
    std::vector<RoomPairKey> pairs;
    for (const PublicKey& other : others) {
      const RoomPairKey pair{std::min(in.signer, other), std::max(in.signer, other), ctx_.height / ctx_.rooms.period};
      const std::uint32_t count = s_.room_pair_count(pair);
      if (count >= ctx_.rooms.max_per_pair)
        return rejected(in, "room_limit",
                        "the opener and " + other.hex().substr(0, 12) + " share " + std::to_string(count) +
                            " rooms opened in blocks " + std::to_string(pair.period * ctx_.rooms.period) + ".." +
                            std::to_string((pair.period + 1) * ctx_.rooms.period - 1) +
                            ", the limit per period (the bound on probing)");
      pairs.push_back(pair);
    }
    if (ctx_.rooms.fee > 0) {
      const BigInt fee = to_big(ctx_.rooms.fee);
      if (!debit(in.signer, ctx_.rooms.fee_asset, fee))
        return insufficient_balance(s_, in, ctx_.rooms.fee_asset, to_big(s_.balance(in.signer, ctx_.rooms.fee_asset)),
                                    fee);
      credit(ctx_.producer, ctx_.rooms.fee_asset, fee);
    }
    for (const RoomPairKey& pair : pairs) s_.set_room_pair_count(pair, s_.room_pair_count(pair) + 1);
    const RoomKey& k = *batch_[key->second].room_key();
    RoomRecord r;
    r.id = in.id;
    r.terms = t;
    r.opener = in.signer;
    r.pubkey = k.pubkey;
    r.seed_commitment = k.seed_commitment;
    r.opened_height = ctx_.height;
    if (!t.is_price()) r.members.resize(t.parties.size());
    s_.set_room(r);
    opened_.insert(in.id);
    settled_nonce(in);
    return room_settled(
        in,
        "opened room " + short_hex(in.id) + " (" +
            std::string(t.mechanism == RoomMechanism::midpoint      ? "midpoint"
                        : t.mechanism == RoomMechanism::posted      ? "posted"
                        : t.mechanism == RoomMechanism::multi_issue ? "multi_issue"
                                                                    : "threshold") +
            "); seal positions to its key before height " + std::to_string(t.close_height) +
            (ctx_.rooms.fee > 0 ? "; fee " + display_amount(s_, to_big(ctx_.rooms.fee), ctx_.rooms.fee_asset) : ""));
  }

  Receipt position(const Intent& in) {
    const RoomPosition& p = *in.room_position();
    auto room = s_.room(p.room);
    if (!room) return rejected(in, "unknown_room", "no room " + p.room.hex());
    if (room->closed || ctx_.height >= room->terms.close_height)
      return rejected(in, "room_closed",
                      "room " + short_hex(p.room) + " takes positions only before height " +
                          std::to_string(room->terms.close_height));
    if (!room->terms.is_party(in.signer)) return rejected(in, "not_a_party", "the signer is not a party of this room");
    RoomSide& side = room->side(in.signer);
    if (side.position) return rejected(in, "already_sealed", "this party has sealed its position in this room already");
    const bool seller = in.signer == room->terms.seller;
    const RoomTerms& t = room->terms;
    const std::string asset = t.is_price() ? (seller ? t.asset : t.pay_asset) : t.action_asset;
    const BigInt escrow = t.is_price()                              ? to_big(seller ? t.amount : t.hi)
                          : t.mechanism == RoomMechanism::threshold ? to_big(t.action_amount)
                                                                    : BigInt(0);
    if (escrow > 0 && !debit(in.signer, asset, escrow))
      return insufficient_balance(s_, in, asset, to_big(s_.balance(in.signer, asset)), escrow);
    side.position = p;
    side.escrow = to_amount(escrow);
    s_.set_room(*room);
    settled_nonce(in);
    return room_settled(in, "position sealed in room " + short_hex(p.room) +
                                (escrow > 0 ? "; escrowed " + display_amount(s_, escrow, asset) : std::string()) +
                                " until height " + std::to_string(room->terms.close_height));
  }

  Receipt outcome(const Intent& in) {
    const RoomOutcome& o = *in.room_outcome();
    auto room = s_.room(o.room);
    if (!room) return rejected(in, "unknown_room", "no room " + o.room.hex());
    if (room->consent == RoomConsent::awaiting) return consent_expiry(in, o, *room);
    if (room->closed) return rejected(in, "room_closed", "room " + short_hex(o.room) + " is closed already");
    if (ctx_.height < room->terms.close_height)
      return rejected(in, "room_open",
                      "room " + short_hex(o.room) + " closes at height " + std::to_string(room->terms.close_height));
    // A deal reveals the seed; a no-deal may leave it zero (a node that lost the room's
    // secret in a restart can still close the room and refund the escrow).
    const bool deal = outcome_is_deal(o.outcome);
    if ((deal || !o.seed.is_zero()) && sha256(Bytes(o.seed.bytes)) != room->seed_commitment)
      return rejected(in, "bad_seed", "the revealed seed does not match the room's seed commitment");
    if (!deal && o.outcome != 0) return rejected(in, "bad_outcome", "a no-deal outcome is 0");
    if (!room->terms.is_price()) return group_outcome(in, o, *room, deal);
    if (o.yes != 0) return rejected(in, "bad_outcome", "yes applies to threshold rooms only");
    if (deal && (!room->seller.position || !room->buyer.position))
      return rejected(in, "bad_outcome", "a deal needs both positions");
    if (deal && room->terms.mechanism == RoomMechanism::posted) {
      const std::uint32_t band = room->terms.posted_band ? *room->terms.posted_band : band_from_seed(o.seed);
      if (outcome_band(o.outcome) != band) return rejected(in, "bad_outcome", "a posted room deals at its posted band");
    }
    const RoomTerms& t = room->terms;
    room->closed = true;
    room->outcome = o.outcome;
    room->closed_height = ctx_.height;
    room->seed = o.seed;
    std::string message = "room " + short_hex(o.room) + " closed: ";
    if (deal) {
      room->price = band_price(t, outcome_band(o.outcome));
      if (t.consent) {  // the escrow waits for both signatures (MECHANISMS 9.6)
        room->consent = RoomConsent::awaiting;
        message += "deal at band " + std::to_string(outcome_band(o.outcome)) + ", " + deal_terms(*room) +
                   ", awaiting both parties' signatures until height " + std::to_string(room->consent_deadline()) +
                   "; escrow held";
      } else {
        message += exchange(*room);
      }
    } else {
      refund(*room);
      message += "no deal; escrow refunded";
    }
    s_.set_room(*room);
    return room_settled(in, message);
  }

  std::string deal_terms(const RoomRecord& room) const {
    const RoomTerms& t = room.terms;
    return display_amount(s_, to_big(t.amount), t.asset) + " for " +
           display_amount(s_, to_big(room.price), t.pay_asset);
  }

  // A price room's deal: the buyer gets the amount, the seller the price, the buyer the rest of its escrow.
  std::string exchange(RoomRecord& room) {
    const RoomTerms& t = room.terms;
    const BigInt price = to_big(room.price);
    credit(t.buyer, t.asset, to_big(room.seller.escrow));
    credit(t.seller, t.pay_asset, price);
    credit(t.buyer, t.pay_asset, to_big(room.buyer.escrow) - price);
    room.seller.escrow = 0;
    room.buyer.escrow = 0;
    return "deal at band " + std::to_string(outcome_band(room.outcome)) + ", " + deal_terms(room);
  }

  void refund(RoomRecord& room) {
    credit(room.terms.seller, room.terms.asset, to_big(room.seller.escrow));
    credit(room.terms.buyer, room.terms.pay_asset, to_big(room.buyer.escrow));
    room.seller.escrow = 0;
    room.buyer.escrow = 0;
  }

  // The producer's room_outcome after a consent room's window: refunds a deal that not every
  // party signed in time, and names who did not.
  Receipt consent_expiry(const Intent& in, const RoomOutcome& o, RoomRecord& room) {
    const std::string id = short_hex(o.room);
    if (ctx_.height <= room.consent_deadline())
      return rejected(
          in, "consent_pending",
          "room " + id + " awaits its parties' signatures until height " + std::to_string(room.consent_deadline()));
    if (o.outcome != 0 || !o.seed.is_zero() || o.yes != 0)
      return rejected(in, "bad_outcome", "the end of a consent window is outcome 0 with a zero seed");
    std::string missing;
    for (const auto& [role, account] : {std::pair{"seller", room.terms.seller}, std::pair{"buyer", room.terms.buyer}})
      if (!room.side(account).outcome_sig)
        missing += (missing.empty() ? "" : " and ") + std::string(role) + " " + account.hex();
    refund(room);
    room.consent = RoomConsent::expired;
    room.consent_height = ctx_.height;
    s_.set_room(room);
    return room_settled(in, "room " + id + ": no consent by height " + std::to_string(room.consent_deadline()) +
                                ", not signed by the " + missing + "; escrow refunded");
  }

  Receipt group_outcome(const Intent& in, const RoomOutcome& o, RoomRecord& room, bool deal) {
    const RoomTerms& t = room.terms;
    const std::size_t n = t.parties.size();
    std::string message;
    if (t.mechanism == RoomMechanism::multi_issue) {
      if (o.yes != 0) return rejected(in, "bad_outcome", "yes applies to threshold rooms only");
      if (deal && outcome_band(o.outcome) >= t.option_count()) return rejected(in, "bad_outcome", "no such option");
      for (const RoomSide& m : room.members)
        if (deal && !m.position) return rejected(in, "bad_outcome", "a deal needs every party's position");
      message = deal
                    ? "room " + short_hex(o.room) + " closed: deal on option " + std::to_string(outcome_band(o.outcome))
                    : "room " + short_hex(o.room) + " closed: no deal";
    } else {
      if (!deal && o.yes != 0) return rejected(in, "bad_outcome", "a threshold not met publishes no votes");
      std::uint32_t count = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (!(o.yes >> i & 1)) continue;
        if (!room.members[i].position) return rejected(in, "bad_outcome", "a yes from a party that sealed nothing");
        ++count;
      }
      if (o.yes >> n) return rejected(in, "bad_outcome", "yes names a party the room does not have");
      if (deal && (count < t.k || o.outcome != 0x80))
        return rejected(in, "bad_outcome", "the threshold is not met by yes");
      for (std::size_t i = 0; i < n; ++i) {
        const BigInt escrow = to_big(room.members[i].escrow);
        credit(deal && (o.yes >> i & 1) ? t.action_to : t.parties[i], t.action_asset, escrow);
        room.members[i].escrow = 0;
      }
      message = deal ? "room " + short_hex(o.room) + " closed: threshold met by " + std::to_string(count) +
                           " of the parties, who each paid " +
                           display_amount(s_, to_big(t.action_amount), t.action_asset)
                     : "room " + short_hex(o.room) + " closed: threshold not met; escrow refunded";
    }
    room.closed = true;
    room.outcome = o.outcome;
    room.yes = o.yes;
    room.closed_height = ctx_.height;
    room.seed = o.seed;
    s_.set_room(room);
    return room_settled(in, message);
  }

  Receipt sign(const Intent& in) {
    const RoomSign& g = *in.room_sign();
    auto room = s_.room(g.room);
    if (!room) return rejected(in, "unknown_room", "no room " + g.room.hex());
    if (!room->closed) return rejected(in, "room_open", "room " + short_hex(g.room) + " has no outcome yet");
    if (!room->terms.is_party(in.signer)) return rejected(in, "not_a_party", "the signer is not a party of this room");
    RoomSide& side = room->side(in.signer);
    if (side.outcome_sig) return rejected(in, "already_signed", "this party has signed this room's outcome already");
    if (room->consent == RoomConsent::expired ||
        (room->consent == RoomConsent::awaiting && ctx_.height > room->consent_deadline()))
      return rejected(in, "consent_expired",
                      "the consent window of room " + short_hex(g.room) + " ended at height " +
                          std::to_string(room->consent_deadline()) + "; the escrow is refunded");
    const Hash32 digest = outcome_digest(room->id, room->terms.hash, room->outcome, room->outcome_value());
    if (!verify(in.signer, digest, g.outcome_sig))
      return rejected(in, "bad_outcome_signature",
                      "outcome_sig does not verify over the outcome digest " + digest.hex());
    side.outcome_sig = g.outcome_sig;
    std::string message = "outcome of room " + short_hex(g.room) + " signed";
    if (room->consent == RoomConsent::awaiting && room->seller.outcome_sig && room->buyer.outcome_sig) {
      message += "; both parties have consented: " + exchange(*room) + " exchanged";
      room->consent = RoomConsent::given;
      room->consent_height = ctx_.height;
    }
    s_.set_room(*room);
    settled_nonce(in);
    return room_settled(in, message);
  }

  OverlayState& s_;
  std::span<const Intent> batch_;
  const BlockContext& ctx_;
  std::vector<Receipt>& receipts_;
  std::map<Hash32, std::size_t> keys_;  // room id -> its room_key's batch index (smallest id wins)
  std::set<Hash32> opened_;
};

}  // namespace

void settle_rooms(OverlayState& overlay, std::span<const Intent> batch, const std::vector<std::size_t>& rooms,
                  const BlockContext& ctx, std::vector<Receipt>& receipts) {
  RoomSettler(overlay, batch, ctx, receipts).run(rooms);
}

}  // namespace matching
}  // namespace pactum
