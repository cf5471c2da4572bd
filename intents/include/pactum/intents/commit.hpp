// Conditional commitments (kind "commit"): an action that settles only if a condition
// over the batch being settled holds. docs/PROTOCOL.md §2 gives the wire form and
// docs/MECHANISMS.md the resolution (the greatest fixed point over the batch).
//
//   action     {"kind":"transfer", asset, to, amount}
//            | {"kind":"swap", sell_asset, buy_asset, side, sell_amount, buy_amount, partial}
//   condition  {"type":"requires", "ids":[id...]}          every named intent settles too
//            | {"type":"mirror"}                          a commitment of the same program
//            | {"type":"mirror", "with":account}          from another account (or from `with`,
//                                                         whose own mirror names this signer)
//            | {"type":"threshold", "k":K}                 K distinct accounts (yourself included)
//            | {"type":"threshold", "k":K, "of":[acct]}   commit with this program (only `of` count)
//            | {"type":"exists", "pattern":P, "fallback":"none"|"pools"}
//            | {"type":"reveals", "hash":H}                 a reveal intent of this batch whose
//                                                         preimage has SHA-256 H settles
//            | {"type":"unless", "condition": requires | exists | reveals}   the inner one fails
//   pattern P  {"sell_asset", "buy_asset", "max_rate"?: {"num","den"}, "min_rate"?: {...},
//               "signer"?: account}   a swap selling sell_asset for buy_asset whose limit
//               rate buy_amount/sell_amount lies within the bounds
//
// The program hash abstracts the signer: tagged_hash("pactum/program/v1", JCS({"action",
// "condition"})) where, in action.to, condition.with and pattern.signer, the signer's key
// is written "self" and a mirror's named counterpart "peer". Two agents who each commit
// "transfer 10 to peer iff peer commits the same" have equal program hashes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"

namespace pactum {

inline constexpr std::string_view kProgramTag = "pactum/program/v1";
inline constexpr std::size_t kMaxConditionIds = 64;
inline constexpr std::size_t kMaxThresholdAccounts = 64;

enum class ConditionType { requires_ids, mirror, threshold, exists, reveals };
enum class Fallback { none, pools };

// A limit rate bound, buy units per sell unit, as an exact fraction (den > 0).
struct Rate {
  Amount num;
  Amount den;
  bool operator==(const Rate&) const = default;
};

struct SwapPattern {
  std::string sell_asset;
  std::string buy_asset;
  std::optional<Rate> max_rate;  // the swap asks at most this many buy units per sell unit
  std::optional<Rate> min_rate;
  std::optional<PublicKey> signer;  // only this counterparty's swaps match
  bool operator==(const SwapPattern&) const = default;
};

struct Condition {
  ConditionType type = ConditionType::requires_ids;
  bool negated = false;                // "unless": holds iff the condition below fails
  std::vector<Hash32> ids;             // requires
  std::optional<PublicKey> with;       // mirror: the named counterpart (none: any account)
  std::uint32_t k = 0;                 // threshold
  std::vector<PublicKey> of;           // threshold: sorted, distinct (empty: any account)
  SwapPattern pattern;                 // exists
  Fallback fallback = Fallback::none;  // exists: what happens when the condition fails
  Hash32 hash;                         // reveals: the SHA-256 of the preimage to reveal
};

}  // namespace pactum
