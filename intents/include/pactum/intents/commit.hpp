// Conditional commitments (kind "commit"): an action that settles only if a condition
// over the batch being settled holds. docs/PROTOCOL.md §2 gives the wire form and
// docs/MECHANISMS.md the resolution (the greatest fixed point over the batch).
//
//   action     {"kind":"transfer", asset, to, amount}
//            | {"kind":"swap", sell_asset, buy_asset, side, sell_amount, buy_amount, partial}
//            | {"kind":"share_surplus", swap, asset, to, bps, cap}   after the clearing, pay
//                 `to` bps/10000 of what the signer's swap `swap` received beyond its
//                 limit, at most `cap` (intent.hpp ShareSurplus; MECHANISMS 7.9)
//   condition  {"type":"requires", "ids":[id...]}          every named intent settles too
//            | {"type":"mirror"}                          a commitment of the same program
//            | {"type":"mirror", "with":account}          from another account (or from `with`,
//                                                         whose own mirror names this signer)
//            | {"type":"threshold", "k":K}                 K distinct accounts (yourself included)
//            | {"type":"threshold", "k":K, "of":[acct]}   commit with this program (only `of` count)
//            | {"type":"exists", "pattern":P, "fallback":"none"|"pools"}
//            | {"type":"program", "hash":H, "signer"?:acct}   another commitment whose program
//                                                         hash is H (signed by `signer`) settles
//            | {"type":"all"|"any", "conditions":[condition...]}   every one / at least one holds
//            | {"type":"reveals", "hash":H}                 a reveal intent of this batch whose
//                                                         preimage has SHA-256 H settles
//            | {"type":"unless", "condition": requires | exists | program | reveals}   the inner one fails
//   pattern P  {"sell_asset", "buy_asset", "max_rate"?: {"num","den"}, "min_rate"?: {...},
//               "signer"?: account, "min_sold"?: amount, "max_sold"?: amount}
//               a swap selling sell_asset for buy_asset whose limit rate
//               buy_amount/sell_amount lies within the rate bounds and that sells, in this
//               block, an amount of sell_asset within the amount bounds
//
// The program hash is taken over a normal form (docs/PROTOCOL.md, "Program hash"):
// tagged_hash("pactum/program/v1", JCS({"action", "condition"})) built from the decoded
// commitment, so equivalent spellings give one hash: defaults left out (an exists
// "fallback":"none"), rates in lowest terms, requires ids, threshold accounts and the
// conditions of all/any sorted. The signer is abstracted: in action.to, mirror `with`,
// pattern and program `signer`, the signer's key is written "self" and a mirror's named
// counterpart "peer". A program condition's hash is written "*": a program's hash does
// not depend on the programs it names, so two different programs can name each other
// (what the named one does is fixed by its hash; whether it settles, by resolution).
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

inline constexpr std::size_t kMaxConditionDepth = 4;     // all/any nested at most this deep
inline constexpr std::size_t kMaxConditionNodes = 16;    // conditions in one tree, all/any included
inline constexpr std::size_t kMaxConditionChildren = 8;  // conditions of one all/any

enum class ConditionType { requires_ids, mirror, threshold, exists, program, all, any, reveals };
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
  // Bounds on what the matched swap sells in this block: its settled receipt's `sold`, in
  // base units of the pattern's sell_asset, in the round whose clearing is the block's.
  std::optional<Amount> min_sold;
  std::optional<Amount> max_sold;
  bool has_amount_bounds() const { return min_sold || max_sold; }
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
  Hash32 program;                      // program: the named program hash
  std::optional<PublicKey> signer;     // program: only this account's commitment counts
  std::vector<Condition> children;     // all, any: in normal-form order (decode sorts them)
  Hash32 hash;                         // reveals: the SHA-256 of the preimage to reveal
  bool is_leaf() const { return type != ConditionType::all && type != ConditionType::any; }
};

// Calls f(leaf) for every leaf of the tree (every condition but all/any), depth first, in
// normal-form order: the leaf numbering the resolution uses, the same for every
// commitment of one program however it was written.
template <class F>
void for_each_leaf(const Condition& c, F&& f) {
  if (c.is_leaf()) {
    f(c);
    return;
  }
  for (const Condition& child : c.children) for_each_leaf(child, f);
}

}  // namespace pactum
