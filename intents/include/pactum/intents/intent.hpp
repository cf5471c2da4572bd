// Intents: what an agent signs. docs/PROTOCOL.md is the normative description.
//
// Every intent is a JSON object with these common fields:
//   kind        "transfer" | "swap" | "cancel" | "commit" | "bundle" | "room_open" |
//               "room_position" | "room_sign" | "room_key" | "room_outcome" | "burn" |
//               "lock" | "unlock" | "reveal"
//   chain       the chain id the intent is valid on (genesis "chain_id")
//   signer      64 lowercase hex: the signer's BIP-340 x-only public key (the account)
//   nonce       integer in [0, 2^53-1]; each (signer, nonce) settles at most once
//   valid_until integer block height in [0, 2^53-1]; the intent may be included in
//               blocks with height <= valid_until, and expires after
//   valid_from  optional integer block height in [0, valid_until]; the intent may be
//               included in blocks with height >= valid_from only (absent: 0, no wait;
//               when present it is signed like every other member)
//   sig         128 lowercase hex: BIP-340 signature of the digest (absent when unsigned)
// and the fields of its kind:
//   transfer:   asset, to (account hex), amount (decimal string, > 0)
//   swap:       sell_asset, buy_asset (distinct), side ("sell" | "buy"),
//               sell_amount, buy_amount (decimal strings, > 0), partial (bool)
//               side "sell": sell exactly sell_amount, receive at least buy_amount
//               side "buy":  receive exactly buy_amount, pay at most sell_amount
//               partial true: may fill a fraction, the limit ratio holding for it
//   cancel:     ids: 1..64 distinct intent ids (hex) of the signer's own intents
//   commit:     action, condition (commit.hpp)
//   bundle:     steps, checks, cosigs (bundle.hpp; cosigs is not signed over)
//   room_*:     room.hpp (room_key and room_outcome are the block producer's)
//   burn:       asset, amount (decimal string, > 0), request (64 hex: the compute
//               request hash, compute_request_hash below); destroys amount of an asset
//               genesis marks burnable
//   lock:       asset (a base symbol), amount (> 0), until (block height in [1, 2^53-1]);
//               turns amount of asset into the time-locked asset "asset@until"
//   unlock:     asset (a locked symbol "BASE@H"), amount (> 0); turns it back into BASE,
//               in a block of height >= H only
//   reveal:     preimage (2..256 lowercase hex digits: 1..128 bytes); publishes it, moves
//               nothing; a `reveals` condition naming SHA-256(preimage) holds in its block
// Unknown fields are refused. A base asset symbol is 1..16 characters of [A-Z0-9]; a
// locked one is "BASE@H", H a block height in [1, 2^53-1] without leading zeros.
//
// digest = tagged_hash("pactum/intent/v1", JCS(intent without "sig")); id = hex(digest).
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/bundle.hpp"
#include "pactum/intents/commit.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/result.hpp"
#include "pactum/intents/room.hpp"

namespace pactum {

inline constexpr std::string_view kIntentTag = "pactum/intent/v1";
inline constexpr std::uint64_t kMaxSafeInteger = (std::uint64_t{1} << 53) - 1;
inline constexpr std::size_t kMaxCancelIds = 64;

struct Transfer {
  std::string asset;
  PublicKey to;
  Amount amount;
};

enum class SwapSide { sell, buy };

struct Swap {
  std::string sell_asset;
  std::string buy_asset;
  SwapSide side = SwapSide::sell;
  Amount sell_amount;  // side sell: exact amount sold; side buy: most it pays
  Amount buy_amount;   // side sell: least it receives; side buy: exact amount bought
  bool partial = false;
};

// Destroys `amount` of the signer's `asset` (genesis marks it burnable); the asset's
// total supply falls by the same amount. `request` is opaque to the chain: the hash a
// compute core made of what it asks for (compute_request_hash), so a controller can tie
// the burn to that core and request.
struct Burn {
  std::string asset;
  Amount amount;
  Hash32 request;
};

inline constexpr std::string_view kComputeRequestTag = "pactum/compute-request";
// The recommended request hash: tagged_hash("pactum/compute-request",
// core(32) || units (u64 big-endian) || nonce (u64 big-endian)).
Hash32 compute_request_hash(const PublicKey& core, std::uint64_t units, std::uint64_t nonce);

// Time-locked assets (compute futures, docs/MECHANISMS.md section 14). "BASE@H" is an
// amount of BASE that cannot be unlocked or burned before block height H; until then it
// trades like any asset, so its batch price against BASE is the market's forward price.
struct LockedSymbol {
  std::string base;
  std::uint64_t until = 0;
};
// "BASE@H" parsed, or nullopt for a base symbol or a malformed one.
std::optional<LockedSymbol> parse_locked_symbol(std::string_view symbol);
std::string locked_symbol(std::string_view base, std::uint64_t until);

// Moves `amount` of the signer's base `asset` into the locked asset asset@until.
struct Lock {
  std::string asset;
  Amount amount;
  std::uint64_t until = 0;
  std::string locked() const { return locked_symbol(asset, until); }
};

// Moves `amount` of the signer's locked `asset` ("BASE@H") back into BASE, at height >= H.
struct Unlock {
  std::string asset;
  Amount amount;
  std::string base() const { return parse_locked_symbol(asset)->base; }  // decode checked the form
  std::uint64_t until() const { return parse_locked_symbol(asset)->until; }
};

// What a lock or unlock converts: `amount` of the signer's `from` becomes `to`.
struct Conversion {
  std::string from;
  std::string to;
  Amount amount;
};

struct Cancel {
  std::vector<Hash32> ids;
};

// Hash locks (docs/MECHANISMS.md 7.8). A reveal publishes `preimage` in a block; every
// commitment of that block whose condition is {"type":"reveals","hash":SHA-256(preimage)}
// may then settle. Plain SHA-256, not a tagged hash, so that a secret locked elsewhere (an
// HTLC on another chain) unlocks here too. Up to 128 bytes: a tagged hash's message over
// a 32-byte value (SHA256(tag) || SHA256(tag) || x, 96 bytes) fits, so a PayWord key
// (MECHANISMS 13) can be revealed against the next key of its chain.
inline constexpr std::size_t kMaxPreimageBytes = 128;
struct Reveal {
  std::string preimage;  // the bytes (not hex)
  Hash32 hash;           // SHA-256(preimage), computed by decode_intent (not on the wire)
};

// A commitment's post-clearing action (action kind "share_surplus", docs/MECHANISMS.md
// 7.9): once the block's clearing is known, the signer pays `to` bps/10000 of what its
// own swap `swap` received beyond its limit in this block, at most `cap`, in `asset` (the
// swap's buy asset). It is paid out of what the swap received, never from other funds.
inline constexpr std::uint32_t kMaxShareBps = 10000;
struct ShareSurplus {
  Hash32 swap;        // the id of the swap (or of a commitment whose action is a swap)
  std::string asset;  // what is paid: the swap's buy_asset
  PublicKey to;
  std::uint32_t bps = 0;  // 1..10000
  Amount cap = 0;         // > 0: the most paid, in base units of `asset`
};

// A conditional commitment: `action` settles only if `condition` holds (commit.hpp).
struct Commit {
  std::variant<Transfer, Swap, ShareSurplus> action;
  Condition condition;
  Hash32 program;  // the program hash (computed by decode_intent, not on the wire)
  const Transfer* transfer() const { return std::get_if<Transfer>(&action); }
  const Swap* swap() const { return std::get_if<Swap>(&action); }
  const ShareSurplus* share() const { return std::get_if<ShareSurplus>(&action); }
};

using IntentBody = std::variant<Transfer, Swap, Cancel, Commit, Bundle, RoomOpen, RoomPosition, RoomSign, RoomKey,
                                RoomOutcome, Burn, Lock, Unlock, Reveal, ShareSurplus>;

// The signer's key as libsecp256k1 parsed it (decode_intent fills it so that
// verify_intent need not parse the key again). Used only while `of` equals the signer.
struct ParsedSignerKey {
  std::array<std::uint8_t, 32> of{};
  std::array<unsigned char, 64> key{};
  bool valid = false;
};

struct Intent {
  std::string chain;
  PublicKey signer;
  std::uint64_t nonce = 0;
  std::uint64_t valid_until = 0;
  std::uint64_t valid_from = 0;  // 0 when the member is absent: no wait
  IntentBody body;
  Signature sig;
  Hash32 id;  // the digest: what is signed
  // JCS of the intent without "sig" (the signed bytes). Shared: the node copies an
  // intent from its mempool into every block that carries it, and this is its one large
  // member.
  std::shared_ptr<const std::string> canonical;
  const std::string& canonical_json() const {
    static const std::string none;
    return canonical ? *canonical : none;
  }
  ParsedSignerKey signer_parsed;  // a cache, not part of the intent

  std::string_view kind() const;
  const Transfer* transfer() const { return std::get_if<Transfer>(&body); }
  const Swap* swap() const { return std::get_if<Swap>(&body); }
  const Cancel* cancel() const { return std::get_if<Cancel>(&body); }
  const Commit* commit() const { return std::get_if<Commit>(&body); }
  const Bundle* bundle() const { return std::get_if<Bundle>(&body); }
  const RoomOpen* room_open() const { return std::get_if<RoomOpen>(&body); }
  const RoomPosition* room_position() const { return std::get_if<RoomPosition>(&body); }
  const RoomSign* room_sign() const { return std::get_if<RoomSign>(&body); }
  const RoomKey* room_key() const { return std::get_if<RoomKey>(&body); }
  const RoomOutcome* room_outcome() const { return std::get_if<RoomOutcome>(&body); }
  const Burn* burn() const { return std::get_if<Burn>(&body); }
  const Lock* lock() const { return std::get_if<Lock>(&body); }
  const Unlock* unlock() const { return std::get_if<Unlock>(&body); }
  const Reveal* reveal() const { return std::get_if<Reveal>(&body); }
  // Only ever the body of a commitment's action_intent(): no intent of this kind is signed.
  const ShareSurplus* share_surplus() const { return std::get_if<ShareSurplus>(&body); }
  // A lock's or an unlock's conversion; nullopt for every other kind.
  std::optional<Conversion> conversion() const;
  // Named by type, so that reordering the variant's alternatives cannot change it.
  bool is_room() const { return room_open() || room_position() || room_sign() || room_key() || room_outcome(); }
};

// A symbol an intent may name: a base symbol or a locked one.
bool is_valid_asset_symbol(std::string_view s);
// A symbol genesis may register: 1..16 characters of [A-Z0-9].
bool is_base_asset_symbol(std::string_view s);

// Checks structure and every field, computes canonical bytes and id. Does not verify the
// signature (stateless but costly: see verify_intent). `require_sig` false accepts an
// unsigned intent (for `pactum sign`); then sig is all zero.
Result<Intent> decode_intent(const nlohmann::json& j, bool require_sig = true);
// Canonical bytes and digest of an unsigned intent object (no "sig").
Result<Hash32> intent_digest(const nlohmann::json& unsigned_intent);
// BIP-340 verification of sig over id by signer (and, for a bundle, of every cosig).
bool verify_intent(const Intent& intent);
// decode_intent + verify_intent; bad_signature on failure.
Result<Intent> decode_verified_intent(const nlohmann::json& j);

// The intent as JSON, with "sig" (and a bundle's "cosigs"): the form that is submitted
// and stored in blocks.
nlohmann::json intent_to_json(const Intent& intent);
// Signs an unsigned intent object; checks it first. deterministic: aux = zero bytes.
Result<Intent> sign_intent(const nlohmann::json& unsigned_intent, const SecretKey& key, bool deterministic = false);

// The swap an intent trades: its own, or a commitment's action when that is a swap; null
// otherwise. A clearing fills it under the intent's id (settlement.hpp, Fill).
inline const Swap* traded_swap(const Intent& in) {
  if (const Swap* s = in.swap()) return s;
  if (const Commit* c = in.commit()) return c->swap();
  return nullptr;
}

// A commitment's action as an intent of its own: same signer, nonce, id and validity, body
// the action. The matcher clears it exactly like that plain intent.
Intent action_intent(const Intent& commitment);

// Adds `key`'s signature to an intent: as "sig" when key is the signer, otherwise (a
// bundle) as the cosig of that account, replacing an earlier one. Refuses a key that is
// neither the signer nor an account the bundle moves funds of.
// Checks a room contract (pactum_getContract) offline: the opener's signed room_open gives
// the room id and terms, the producer's signed room_outcome the outcome, and both parties'
// BIP-340 signatures verify over the outcome digest (room.hpp). No node needed.
Result<void> verify_room_contract(const nlohmann::json& contract);

Result<nlohmann::json> add_signature(const nlohmann::json& intent, const SecretKey& key, bool deterministic = false);

}  // namespace pactum
