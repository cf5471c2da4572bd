// Decoding of the room kinds (room.hpp).
#include <algorithm>
#include <set>

#include "decoders.hpp"
#include "fields.hpp"
#include "pactum/intents/jcs.hpp"

namespace pactum::fields {
namespace {

using nlohmann::json;

Result<Hash32> get_hash(const json& j, const std::string& field) {
  PACTUM_ASSIGN(s, get_string(j, field));
  return Hash32::from_hex(s, field);
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> get_fixed_hex(const json& j, const std::string& field) {
  PACTUM_ASSIGN(s, get_string(j, field));
  PACTUM_ASSIGN(raw, from_hex(s, field));
  if (raw.size() != N) return field_error(field, "must be " + std::to_string(2 * N) + " hex digits");
  std::array<std::uint8_t, N> out;
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

Result<Point33> get_point(const json& j, const std::string& field) {
  PACTUM_ASSIGN(s, get_string(j, field));
  return point_from_hex(s, field);
}

}  // namespace

}  // namespace pactum::fields

namespace pactum {

using nlohmann::json;
using namespace fields;

namespace {

// Terms of a multi_issue or threshold room.
Result<RoomTerms> decode_group_terms(const json& t, const PublicKey& signer, RoomMechanism mechanism) {
  const std::string w = "terms";
  RoomTerms r;
  r.mechanism = mechanism;
  PACTUM_TRY(only_fields(t,
                         mechanism == RoomMechanism::multi_issue
                             ? std::set<std::string>{"mechanism", "parties", "issues", "close_height"}
                             : std::set<std::string>{"mechanism", "parties", "k", "action", "close_height"},
                         w));
  auto parties = require(t, "parties");
  if (!parties) return prefixed(parties.error(), w);
  if (!(*parties)->is_array() || (*parties)->size() < 2 || (*parties)->size() > kMaxRoomParties)
    return field_error(w + ".parties", "must list 2 to 16 accounts");
  for (std::size_t i = 0; i < (*parties)->size(); ++i) {
    const std::string f = w + ".parties[" + std::to_string(i) + "]";
    if (!(**parties)[i].is_string()) return field_error(f, "must be a hex string");
    PACTUM_ASSIGN(k, PublicKey::from_hex((**parties)[i].get<std::string>(), f));
    if (std::find(r.parties.begin(), r.parties.end(), k) != r.parties.end()) return field_error(f, "duplicate party");
    r.parties.push_back(k);
  }
  if (!r.is_party(signer)) return field_error("signer", "must be one of the room's parties");
  auto close = get_safe_uint(t, "close_height");
  if (!close) return prefixed(close.error(), w);
  r.close_height = *close;
  if (mechanism == RoomMechanism::multi_issue) {
    auto issues = require(t, "issues");
    if (!issues) return prefixed(issues.error(), w);
    if (!(*issues)->is_array() || (*issues)->empty() || (*issues)->size() > 6)
      return field_error(w + ".issues", "must list 1 to 6 issues");
    for (std::size_t i = 0; i < (*issues)->size(); ++i) {
      const std::string f = w + ".issues[" + std::to_string(i) + "]";
      const json& ij = (**issues)[i];
      PACTUM_TRY(only_fields(ij, {"name", "values"}, f));
      auto name = get_string(ij, "name");
      if (!name) return prefixed(name.error(), f);
      RoomIssue issue{*name, {}};
      auto values = require(ij, "values");
      if (!values) return prefixed(values.error(), f);
      if (!(*values)->is_array() || (*values)->empty())
        return field_error(f + ".values", "must list at least one value");
      for (const json& v : **values) {
        if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 64)
          return field_error(f + ".values", "values must be strings of 1 to 64 characters");
        issue.values.push_back(v.get<std::string>());
      }
      r.issues.push_back(std::move(issue));
    }
    if (r.option_count() > kMaxRoomOptions)
      return field_error(w + ".issues", "the issues make " + std::to_string(r.option_count()) + " options; at most 64");
  } else {
    auto k = get_safe_uint(t, "k");
    if (!k) return prefixed(k.error(), w);
    if (*k < 1 || *k > r.parties.size()) return field_error(w + ".k", "must be between 1 and the number of parties");
    r.k = static_cast<std::uint32_t>(*k);
    auto a = require(t, "action");
    if (!a) return prefixed(a.error(), w);
    const std::string f = w + ".action";
    PACTUM_TRY(only_fields(**a, {"asset", "amount", "to"}, f));
    auto asset = get_asset(**a, "asset");
    if (!asset) return prefixed(asset.error(), f);
    r.action_asset = *asset;
    auto amount = get_positive_amount(**a, "amount");
    if (!amount) return prefixed(amount.error(), f);
    r.action_amount = *amount;
    auto to = get_account(**a, "to");
    if (!to) return prefixed(to.error(), f);
    r.action_to = *to;
  }
  return r;
}

const std::set<std::string> kPriceTermsFields = {"mechanism", "seller",    "buyer",         "asset",
                                                 "amount",    "pay_asset", "range",         "close_height",
                                                 "posted",    "consent",   "consent_window"};

// "consent": true and "consent_window": 1..1000, both or neither (one spelling: no
// "consent": false, so that a room without consent has one terms hash).
Result<void> decode_consent(const json& t, RoomTerms& r) {
  const std::string w = "terms";
  if (!t.contains("consent") && !t.contains("consent_window")) return {};
  if (!t.contains("consent") || !t.at("consent").is_boolean() || !t.at("consent").get<bool>())
    return field_error(w + ".consent", "must be true when present, with consent_window");
  auto window = get_safe_uint(t, "consent_window");
  if (!window) return prefixed(window.error(), w);
  if (*window < 1 || *window > kMaxConsentWindow)
    return field_error(w + ".consent_window", "must be 1 to " + std::to_string(kMaxConsentWindow) + " blocks");
  r.consent = true;
  r.consent_window = static_cast<std::uint32_t>(*window);
  return {};
}

}  // namespace

Result<RoomTerms> decode_room_terms(const json& t, const PublicKey& signer) {
  const std::string w = "terms";
  if (t.is_object() && t.contains("mechanism") && t.at("mechanism").is_string() &&
      (t.at("mechanism") == "multi_issue" || t.at("mechanism") == "threshold")) {
    if (t.contains("consent") || t.contains("consent_window"))
      return field_error(w + ".consent", "applies to price rooms (\"midpoint\", \"posted\") only");
    auto r = decode_group_terms(
        t, signer, t.at("mechanism") == "multi_issue" ? RoomMechanism::multi_issue : RoomMechanism::threshold);
    if (!r) return r.error();
    PACTUM_ASSIGN(canon, canonicalize(t));
    r->hash = tagged_hash(kRoomTermsTag, as_bytes(canon));
    return r;
  }
  PACTUM_TRY(only_fields(t, kPriceTermsFields, w));
  RoomTerms r;
  auto mech = get_string(t, "mechanism");
  if (!mech) return prefixed(mech.error(), w);
  if (*mech == "midpoint")
    r.mechanism = RoomMechanism::midpoint;
  else if (*mech == "posted")
    r.mechanism = RoomMechanism::posted;
  else
    return field_error(w + ".mechanism",
                       "must be \"midpoint\", \"posted\", \"multi_issue\" or \"threshold\", got \"" + *mech + "\"");
  auto seller = get_account(t, "seller");
  if (!seller) return prefixed(seller.error(), w);
  auto buyer = get_account(t, "buyer");
  if (!buyer) return prefixed(buyer.error(), w);
  if (*seller == *buyer) return field_error(w + ".buyer", "must differ from the seller");
  r.seller = *seller;
  r.buyer = *buyer;
  if (!r.is_party(signer)) return field_error("signer", "must be the room's seller or buyer");
  auto asset = get_asset(t, "asset");
  if (!asset) return prefixed(asset.error(), w);
  auto pay = get_asset(t, "pay_asset");
  if (!pay) return prefixed(pay.error(), w);
  if (*asset == *pay) return field_error(w + ".pay_asset", "must differ from asset");
  r.asset = *asset;
  r.pay_asset = *pay;
  auto amount = get_positive_amount(t, "amount");
  if (!amount) return prefixed(amount.error(), w);
  r.amount = *amount;
  auto range = require(t, "range");
  if (!range) return prefixed(range.error(), w);
  if (!(*range)->is_array() || (*range)->size() != 2) return field_error(w + ".range", "must be [lo, hi]: two amounts");
  auto lo = parse_amount_json((**range)[0], w + ".range[0]");
  if (!lo) return lo.error();
  auto hi = parse_amount_json((**range)[1], w + ".range[1]");
  if (!hi) return hi.error();
  if (*hi <= *lo) return field_error(w + ".range", "hi must be greater than lo");
  r.lo = *lo;
  r.hi = *hi;
  auto close = get_safe_uint(t, "close_height");
  if (!close) return prefixed(close.error(), w);
  r.close_height = *close;
  if (r.mechanism == RoomMechanism::posted) {
    auto p = require(t, "posted");
    if (!p) return prefixed(p.error(), w);
    const json& pj = **p;
    if (pj.contains("band")) {
      PACTUM_TRY(only_fields(pj, {"band"}, w + ".posted"));
      auto band = get_safe_uint(pj, "band");
      if (!band) return prefixed(band.error(), w + ".posted");
      if (*band >= static_cast<std::uint64_t>(kRoomBands)) return field_error(w + ".posted.band", "must be 0..127");
      r.posted_band = static_cast<std::uint32_t>(*band);
    } else {
      PACTUM_TRY(only_fields(pj, {"random"}, w + ".posted"));
      auto rnd = require(pj, "random");
      if (!rnd || !(*rnd)->is_boolean() || !(*rnd)->get<bool>())
        return field_error(w + ".posted", "must be {\"band\": 0..127} or {\"random\": true}");
      r.posted_random = true;
    }
  } else if (t.contains("posted")) {
    return field_error(w + ".posted", "applies to mechanism \"posted\" only");
  }
  PACTUM_TRY(decode_consent(t, r));
  PACTUM_ASSIGN(canon, canonicalize(t));
  r.hash = tagged_hash(kRoomTermsTag, as_bytes(canon));
  return r;
}

}  // namespace pactum

namespace pactum::fields {

Result<RoomOpen> decode_room_open(const json& j, const PublicKey& signer) {
  PACTUM_ASSIGN(tj, require(j, "terms"));
  PACTUM_ASSIGN(terms, decode_room_terms(*tj, signer));
  return RoomOpen{std::move(terms)};
}

Result<RoomPosition> decode_room_position(const json& j) {
  RoomPosition p;
  auto room = get_hash(j, "room");
  if (!room) return room.error();
  p.room = *room;
  auto eph = get_point(j, "eph");
  if (!eph) return eph.error();
  p.eph = *eph;
  auto iv = get_fixed_hex<12>(j, "iv");
  if (!iv) return iv.error();
  p.iv = *iv;
  PACTUM_ASSIGN(ct, get_fixed_hex<kSealedCiphertextSize>(j, "ct"));
  p.ct.assign(ct.begin(), ct.end());
  return p;
}

Result<RoomSign> decode_room_sign(const json& j) {
  RoomSign s;
  auto room = get_hash(j, "room");
  if (!room) return room.error();
  s.room = *room;
  PACTUM_ASSIGN(sig, get_string(j, "outcome_sig"));
  PACTUM_ASSIGN(parsed, Signature::from_hex(sig, "outcome_sig"));
  s.outcome_sig = parsed;
  return s;
}

Result<RoomKey> decode_room_key(const json& j) {
  RoomKey k;
  auto room = get_hash(j, "room");
  if (!room) return room.error();
  k.room = *room;
  PACTUM_ASSIGN(pub, get_point(j, "pubkey"));
  k.pubkey = pub;
  PACTUM_ASSIGN(c, get_hash(j, "seed_commitment"));
  k.seed_commitment = c;
  return k;
}

Result<RoomOutcome> decode_room_outcome(const json& j) {
  RoomOutcome o;
  auto room = get_hash(j, "room");
  if (!room) return room.error();
  o.room = *room;
  PACTUM_ASSIGN(v, get_safe_uint(j, "outcome"));
  if (v > 255) return field_error("outcome", "must be 0..255");
  o.outcome = static_cast<std::uint8_t>(v);
  auto seed = get_hash(j, "seed");
  if (!seed) return seed.error();
  o.seed = *seed;
  if (j.contains("yes")) {
    auto yes = get_safe_uint(j, "yes");
    if (!yes) return yes.error();
    if (*yes >= (std::uint64_t{1} << kMaxRoomParties))
      return field_error("yes", "must be a mask of at most 16 parties");
    o.yes = *yes;
  }
  return o;
}

}  // namespace pactum::fields
