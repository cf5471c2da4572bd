#include "pactum/ledger/room_record.hpp"

#include "pactum/intents/jcs.hpp"

namespace pactum {

namespace {

using nlohmann::json;

json side_json(const RoomSide& s) {
  json j = {{"escrow", s.escrow.str()}};
  if (s.position) {
    j["position"] = {{"eph", point_hex(s.position->eph)},
                     {"iv", to_hex(Bytes(s.position->iv))},
                     {"ct", to_hex(Bytes(s.position->ct))}};
  }
  if (s.outcome_sig) j["outcome_sig"] = s.outcome_sig->hex();
  return j;
}

Result<RoomSide> side_from(const json& j, const Hash32& room) {
  RoomSide s;
  PACTUM_ASSIGN(e, parse_amount_json(j.at("escrow"), "escrow"));
  s.escrow = e;
  if (j.contains("position")) {
    const json& p = j.at("position");
    RoomPosition pos;
    pos.room = room;
    auto eph = point_from_hex(p.at("eph").get<std::string>(), "eph");
    if (!eph) return eph.error();
    pos.eph = *eph;
    auto iv = from_hex(p.at("iv").get<std::string>(), "iv");
    if (!iv || iv->size() != 12) return make_error(Errc::storage, "room leaf: bad iv");
    std::copy(iv->begin(), iv->end(), pos.iv.begin());
    PACTUM_ASSIGN(ct, from_hex(p.at("ct").get<std::string>(), "ct"));
    pos.ct.assign(ct.begin(), ct.end());
    s.position = std::move(pos);
  }
  if (j.contains("outcome_sig")) {
    PACTUM_ASSIGN(sig, Signature::from_hex(j.at("outcome_sig").get<std::string>(), "outcome_sig"));
    s.outcome_sig = sig;
  }
  return s;
}

}  // namespace

const char* consent_name(RoomConsent c) {
  return c == RoomConsent::awaiting  ? "awaiting"
         : c == RoomConsent::given   ? "given"
         : c == RoomConsent::expired ? "expired"
                                     : "none";
}

json RoomRecord::to_json() const {
  json j = {{"id", id.hex()},
            {"terms", terms_to_json(terms)},
            {"opener", opener.hex()},
            {"pubkey", point_hex(pubkey)},
            {"seed_commitment", seed_commitment.hex()},
            {"opened_height", opened_height},
            {"closed", closed},
            {"seller", side_json(seller)},
            {"buyer", side_json(buyer)}};
  if (!terms.is_price()) {
    j.erase("seller");
    j.erase("buyer");
    json m = json::array();
    for (const RoomSide& side : members) m.push_back(side_json(side));
    j["members"] = std::move(m);
  }
  if (closed) {
    j["outcome"] = outcome;
    j["price"] = price.str();
    j["closed_height"] = closed_height;
    j["seed"] = seed.hex();
    if (terms.mechanism == RoomMechanism::threshold) j["yes"] = yes;
    if (consent != RoomConsent::none) {  // written only in a consent room's deal: other leaves stay as they were
      j["consent"] = consent_name(consent);
      if (consent != RoomConsent::awaiting) j["consent_height"] = consent_height;
    }
  }
  return j;
}

Result<RoomRecord> RoomRecord::from_json(const json& j) {
  try {
    RoomRecord r;
    auto id = Hash32::from_hex(j.at("id").get<std::string>(), "id");
    if (!id) return id.error();
    r.id = *id;
    auto opener = PublicKey::from_hex(j.at("opener").get<std::string>(), "opener");
    if (!opener) return opener.error();
    r.opener = *opener;
    // The terms decode exactly as in a room_open intent (same checks, same hash).
    auto terms = decode_room_terms(j.at("terms"), r.opener);
    if (!terms) return terms.error();
    r.terms = *terms;
    PACTUM_ASSIGN(pub, point_from_hex(j.at("pubkey").get<std::string>(), "pubkey"));
    r.pubkey = pub;
    PACTUM_ASSIGN(sc, Hash32::from_hex(j.at("seed_commitment").get<std::string>(), "seed_commitment"));
    r.seed_commitment = sc;
    r.opened_height = j.at("opened_height").get<std::uint64_t>();
    r.closed = j.at("closed").get<bool>();
    if (r.terms.is_price()) {
      auto seller = side_from(j.at("seller"), r.id);
      if (!seller) return seller.error();
      r.seller = *seller;
      auto buyer = side_from(j.at("buyer"), r.id);
      if (!buyer) return buyer.error();
      r.buyer = *buyer;
    } else {
      for (const json& m : j.at("members")) {
        PACTUM_ASSIGN(side, side_from(m, r.id));
        r.members.push_back(std::move(side));
      }
    }
    if (r.closed) {
      r.outcome = j.at("outcome").get<std::uint8_t>();
      auto price = parse_amount_json(j.at("price"), "price");
      if (!price) return price.error();
      r.price = *price;
      r.closed_height = j.at("closed_height").get<std::uint64_t>();
      auto seed = Hash32::from_hex(j.at("seed").get<std::string>(), "seed");
      if (!seed) return seed.error();
      r.seed = *seed;
      if (j.contains("yes")) r.yes = j.at("yes").get<std::uint64_t>();
      if (j.contains("consent")) {
        const std::string c = j.at("consent").get<std::string>();
        for (RoomConsent v : {RoomConsent::awaiting, RoomConsent::given, RoomConsent::expired})
          if (c == consent_name(v)) r.consent = v;
        if (r.consent == RoomConsent::none) return make_error(Errc::storage, "room leaf: bad consent '" + c + "'");
        if (r.consent != RoomConsent::awaiting) r.consent_height = j.at("consent_height").get<std::uint64_t>();
      }
    }
    return r;
  } catch (const json::exception& e) {
    return make_error(Errc::storage, std::string("room leaf does not decode: ") + e.what());
  }
}

std::string room_key(const Hash32& id) {
  std::string k(1, '\x05');
  k.append(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size());
  return k;
}

std::string room_value(const RoomRecord& r) { return canonicalize(r.to_json()).value(); }

std::string room_pair_key(const RoomPairKey& k) {
  std::string out(1, '\x06');
  out.append(reinterpret_cast<const char*>(k.a.bytes.data()), 32);
  out.append(reinterpret_cast<const char*>(k.b.bytes.data()), 32);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((k.period >> (8 * i)) & 0xff));
  return out;
}

std::string room_pair_value(std::uint32_t count) {
  std::string v(4, '\0');
  for (int i = 0; i < 4; ++i) v[i] = static_cast<char>((count >> (8 * (3 - i))) & 0xff);
  return v;
}

}  // namespace pactum
