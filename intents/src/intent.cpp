#include "pactum/intents/intent.hpp"

#include <algorithm>
#include <set>

#include "decoders.hpp"
#include "fields.hpp"
#include "pactum/intents/jcs.hpp"
#include "parsed_key.hpp"

namespace pactum {
namespace {

using nlohmann::json;
using namespace fields;

const std::set<std::string>& common_fields() {
  static const std::set<std::string> f = {"kind", "chain", "signer", "nonce", "valid_until", "valid_from", "sig"};
  return f;
}

const std::set<std::string>& kind_fields(std::string_view kind) {
  static const std::set<std::string> transfer = {"asset", "to", "amount"};
  static const std::set<std::string> swap = {"sell_asset", "buy_asset", "side", "sell_amount", "buy_amount", "partial"};
  static const std::set<std::string> cancel = {"ids"};
  static const std::set<std::string> commit = {"action", "condition"};
  static const std::set<std::string> bundle = {"steps", "checks", "cosigs"};
  static const std::set<std::string> room_open = {"terms"};
  static const std::set<std::string> room_position = {"room", "eph", "iv", "ct"};
  static const std::set<std::string> room_sign = {"room", "outcome_sig"};
  static const std::set<std::string> room_key = {"room", "pubkey", "seed_commitment"};
  static const std::set<std::string> room_outcome = {"room", "outcome", "seed", "yes"};
  static const std::set<std::string> burn = {"asset", "amount", "request"};
  static const std::set<std::string> lock = {"asset", "amount", "until"};
  static const std::set<std::string> unlock = {"asset", "amount"};
  static const std::set<std::string> reveal = {"preimage"};
  if (kind == "transfer") return transfer;
  if (kind == "swap") return swap;
  if (kind == "commit") return commit;
  if (kind == "bundle") return bundle;
  if (kind == "room_open") return room_open;
  if (kind == "room_position") return room_position;
  if (kind == "room_sign") return room_sign;
  if (kind == "room_key") return room_key;
  if (kind == "room_outcome") return room_outcome;
  if (kind == "burn") return burn;
  if (kind == "lock") return lock;
  if (kind == "unlock") return unlock;
  if (kind == "reveal") return reveal;
  return cancel;
}

Result<IntentBody> decode_cancel(const json& j) {
  PACTUM_ASSIGN(v, require(j, "ids"));
  const json& ids = *v;
  if (!ids.is_array()) return field_error("ids", std::string("must be an array, got ") + ids.type_name());
  if (ids.empty()) return field_error("ids", "must name at least one intent id");
  if (ids.size() > kMaxCancelIds) return field_error("ids", "must name at most 64 intent ids");
  Cancel c;
  std::set<Hash32> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string f = "ids[" + std::to_string(i) + "]";
    if (!ids[i].is_string()) return field_error(f, "must be a hex string");
    PACTUM_ASSIGN(h, Hash32::from_hex(ids[i].get<std::string>(), f));
    if (!seen.insert(h).second) return field_error(f, "duplicate id");
    c.ids.push_back(h);
  }
  return IntentBody{c};
}

// The kind-specific part of an intent (`kind` is one of the known kinds).
Result<IntentBody> decode_body(const std::string& kind, const json& j, const PublicKey& signer, bool require_sig) {
  auto wrap = [](auto decoded) -> Result<IntentBody> {
    if (!decoded) return decoded.error();
    return IntentBody{std::move(*decoded)};
  };
  if (kind == "transfer") return wrap(decode_transfer(j));
  if (kind == "swap") return wrap(decode_swap(j));
  if (kind == "commit") return wrap(decode_commit(j, signer));
  if (kind == "bundle") return wrap(decode_bundle(j, signer, require_sig));
  if (kind == "room_open") return wrap(decode_room_open(j, signer));
  if (kind == "room_position") return wrap(decode_room_position(j));
  if (kind == "room_sign") return wrap(decode_room_sign(j));
  if (kind == "room_key") return wrap(decode_room_key(j));
  if (kind == "room_outcome") return wrap(decode_room_outcome(j));
  if (kind == "burn") return wrap(decode_burn(j));
  if (kind == "lock") return wrap(decode_lock(j));
  if (kind == "unlock") return wrap(decode_unlock(j));
  if (kind == "reveal") return wrap(decode_reveal(j));
  return decode_cancel(j);
}

}  // namespace

Hash32 compute_request_hash(const PublicKey& core, std::uint64_t units, std::uint64_t nonce) {
  std::string msg(reinterpret_cast<const char*>(core.bytes.data()), core.bytes.size());
  for (std::uint64_t v : {units, nonce})
    for (int shift = 56; shift >= 0; shift -= 8) msg += static_cast<char>((v >> shift) & 0xff);
  static const TaggedHasher hasher(kComputeRequestTag);
  return hasher(as_bytes(msg));
}

bool is_base_asset_symbol(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::optional<LockedSymbol> parse_locked_symbol(std::string_view symbol) {
  const std::size_t at = symbol.find('@');
  if (at == std::string_view::npos || !is_base_asset_symbol(symbol.substr(0, at))) return std::nullopt;
  const std::string_view height = symbol.substr(at + 1);
  // 2^53-1 has 16 digits; no sign, no leading zero, no zero height.
  if (height.empty() || height.size() > 16 || height[0] == '0') return std::nullopt;
  std::uint64_t h = 0;
  for (char c : height) {
    if (c < '0' || c > '9') return std::nullopt;
    h = h * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (h > kMaxSafeInteger) return std::nullopt;
  return LockedSymbol{std::string(symbol.substr(0, at)), h};
}

std::string locked_symbol(std::string_view base, std::uint64_t until) {
  return std::string(base) + "@" + std::to_string(until);
}

bool is_valid_asset_symbol(std::string_view s) { return is_base_asset_symbol(s) || parse_locked_symbol(s).has_value(); }

std::optional<Conversion> Intent::conversion() const {
  if (const Lock* l = lock()) return Conversion{l->asset, l->locked(), l->amount};
  if (const Unlock* u = unlock()) return Conversion{u->asset, u->base(), u->amount};
  return std::nullopt;
}

std::string_view Intent::kind() const {
  switch (body.index()) {
    case 0:
      return "transfer";
    case 1:
      return "swap";
    case 2:
      return "cancel";
    case 3:
      return "commit";
    case 4:
      return "bundle";
    case 5:
      return "room_open";
    case 6:
      return "room_position";
    case 7:
      return "room_sign";
    case 8:
      return "room_key";
    case 9:
      return "room_outcome";
    case 10:
      return "burn";
    case 11:
      return "lock";
    case 12:
      return "unlock";
    case 13:
      return "reveal";
    default:
      return "share_surplus";  // a commitment's action only (action_intent)
  }
}

Result<Intent> decode_intent(const json& j, bool require_sig) {
  if (!j.is_object()) {
    return make_error(Errc::invalid_params, std::string("intent must be a JSON object, got ") + j.type_name(),
                      "intent");
  }
  PACTUM_ASSIGN(kind, get_string(j, "kind"));
  static const std::set<std::string> kinds = {"transfer",  "swap",          "cancel",    "commit",   "bundle",
                                              "room_open", "room_position", "room_sign", "room_key", "room_outcome",
                                              "burn",      "lock",          "unlock",    "reveal"};
  if (!kinds.count(kind)) {
    return field_error("kind",
                       "must be \"transfer\", \"swap\", \"cancel\", \"commit\", \"bundle\", \"room_open\", "
                       "\"room_position\", \"room_sign\", \"room_key\", \"room_outcome\", \"burn\", \"lock\", "
                       "\"unlock\" or \"reveal\", got \"" +
                           kind + "\"");
  }
  const auto& specific = kind_fields(kind);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!common_fields().count(it.key()) && !specific.count(it.key())) {
      return field_error(it.key(), "unknown field for a " + kind + " intent");
    }
  }
  Intent in;
  auto chain = get_string(j, "chain");
  if (!chain) return chain.error();
  if (chain->empty() || chain->size() > 64) return field_error("chain", "must be 1-64 characters");
  in.chain = *chain;
  auto signer = get_string(j, "signer");
  if (!signer) return signer.error();
  PACTUM_ASSIGN(pk, detail::public_key_from_hex(*signer, "signer", &in.signer_parsed.key));
  in.signer = pk;
  in.signer_parsed.of = pk.bytes;
  in.signer_parsed.valid = true;
  auto nonce = get_safe_uint(j, "nonce");
  if (!nonce) return nonce.error();
  in.nonce = *nonce;
  PACTUM_ASSIGN(vu, get_safe_uint(j, "valid_until"));
  in.valid_until = vu;
  // Optional: absent means 0 and keeps the canonical bytes (and ids) of intents that do
  // not wait; "valid_from": 0 written out is another (valid) intent with another id.
  if (j.contains("valid_from")) {
    PACTUM_ASSIGN(vf, get_safe_uint(j, "valid_from"));
    if (vf > vu)
      return field_error("valid_from", "must be at most valid_until (" + std::to_string(vu) + "), got " +
                                           std::to_string(vf) + ": no block could include the intent");
    in.valid_from = vf;
  }

  Result<IntentBody> body = decode_body(kind, j, in.signer, require_sig);
  if (!body) return body.error();
  in.body = std::move(*body);

  auto sig_it = j.find("sig");
  if (sig_it != j.end()) {
    if (!sig_it->is_string()) return field_error("sig", "must be a hex string");
    auto sig = Signature::from_hex(sig_it->get<std::string>(), "sig");
    if (!sig) return sig.error();
    in.sig = *sig;
  } else if (require_sig) {
    return field_error("sig", "missing required field");
  }

  // Signed: the object without "sig", and without "cosigs" (a bundle's co-signers sign
  // the same digest).
  static constexpr std::string_view kUnsigned[] = {"sig", "cosigs"};
  PACTUM_ASSIGN(canon, canonicalize_without(j, kUnsigned));
  in.canonical = std::make_shared<const std::string>(std::move(canon));
  static const TaggedHasher intent_hasher(kIntentTag);  // the tag's two blocks hashed once
  in.id = intent_hasher(as_bytes(*in.canonical));
  return in;
}

Result<Hash32> intent_digest(const json& unsigned_intent) {
  PACTUM_ASSIGN(in, decode_intent(unsigned_intent, false));
  return in.id;
}

bool verify_intent(const Intent& intent) {
  // decode_intent parsed the signer already; the cache counts only for the key it was
  // parsed from (a caller may have changed signer since).
  const ParsedSignerKey& c = intent.signer_parsed;
  const bool signer_ok = c.valid && c.of == intent.signer.bytes ? detail::verify_parsed(c.key, intent.id, intent.sig)
                                                                : verify(intent.signer, intent.id, intent.sig);
  if (!signer_ok) return false;
  if (const Bundle* b = intent.bundle()) {
    for (const CoSignature& co : b->cosigs)
      if (!verify(co.account, intent.id, co.sig)) return false;
  }
  return true;
}

Result<Intent> decode_verified_intent(const json& j) {
  auto in = decode_intent(j, true);
  if (!in) return in;
  if (const Bundle* b = in->bundle()) {
    for (std::size_t i = 0; i < b->cosigs.size(); ++i) {
      if (verify(b->cosigs[i].account, in->id, b->cosigs[i].sig)) continue;
      const std::string f = "cosigs[" + std::to_string(i) + "].sig";
      return make_error(
          Errc::bad_signature,
          f + ": signature does not verify for account " + b->cosigs[i].account.hex() + " and digest " + in->id.hex(),
          f);
    }
  }
  if (!verify_intent(*in)) {
    return make_error(Errc::bad_signature,
                      "sig: signature does not verify for signer " + in->signer.hex() + " and digest " + in->id.hex(),
                      "sig");
  }
  return in;
}

json intent_to_json(const Intent& intent) {
  json j = json::parse(intent.canonical_json());
  j["sig"] = intent.sig.hex();
  if (const Bundle* b = intent.bundle(); b && !b->cosigs.empty()) {
    json cosigs = json::array();
    for (const CoSignature& c : b->cosigs) cosigs.push_back({{"account", c.account.hex()}, {"sig", c.sig.hex()}});
    j["cosigs"] = std::move(cosigs);
  }
  return j;
}

Intent action_intent(const Intent& commitment) {
  Intent out;
  out.chain = commitment.chain;
  out.signer = commitment.signer;
  out.nonce = commitment.nonce;
  out.valid_until = commitment.valid_until;
  out.valid_from = commitment.valid_from;
  out.sig = commitment.sig;
  out.id = commitment.id;
  out.signer_parsed = commitment.signer_parsed;
  const Commit& c = *commitment.commit();
  if (const Transfer* t = c.transfer())
    out.body = *t;
  else if (const Swap* s = c.swap())
    out.body = *s;
  else
    out.body = *c.share();
  return out;  // canonical stays empty: this intent is never stored or signed
}

Result<json> add_signature(const json& intent, const SecretKey& key, bool deterministic) {
  if (!intent.is_object()) return field_error("intent", "must be a JSON object");
  json unsigned_j = intent;
  unsigned_j.erase("sig");
  json cosigs = unsigned_j.contains("cosigs") ? unsigned_j["cosigs"] : json::array();
  PACTUM_ASSIGN(in, decode_intent(unsigned_j, false));
  const PublicKey me = key.public_key();
  const Signature sig = deterministic ? key.sign_deterministic(in.id) : key.sign(in.id);
  json out = intent;
  if (me == in.signer) {
    out["sig"] = sig.hex();
    return out;
  }
  const Bundle* b = in.bundle();
  if (!b || !std::binary_search(b->movers.begin(), b->movers.end(), me)) {
    return make_error(
        Errc::invalid_params,
        "signer: the key's public key " + me.hex() + " is neither the signer nor an account this bundle moves funds of",
        "signer");
  }
  json kept = json::array();
  for (const json& c : cosigs)
    if (!(c.is_object() && c.value("account", "") == me.hex())) kept.push_back(c);
  kept.push_back({{"account", me.hex()}, {"sig", sig.hex()}});
  out["cosigs"] = std::move(kept);
  return out;
}

Result<Intent> sign_intent(const json& unsigned_intent, const SecretKey& key, bool deterministic) {
  if (unsigned_intent.is_object() && unsigned_intent.contains("sig")) {
    json copy = unsigned_intent;
    copy.erase("sig");
    return sign_intent(copy, key, deterministic);
  }
  auto in = decode_intent(unsigned_intent, false);
  if (!in) return in;
  if (in->signer != key.public_key()) {
    return make_error(Errc::invalid_params,
                      "signer: does not match the signing key's public key " + key.public_key().hex(), "signer");
  }
  in->sig = deterministic ? key.sign_deterministic(in->id) : key.sign(in->id);
  return in;
}

}  // namespace pactum
