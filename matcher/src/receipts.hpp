// Receipt construction: one place for every status, reason code and message, so that the
// wording a person reads stays consistent (reasons are listed in docs/PROTOCOL.md §4).
//
// Messages are part of the receipts root, so they are built with exact integer
// arithmetic only. Amounts and prices in them are in display units (each asset's
// decimals from the state's registry: 1000000 USDC base units read "1 USDC"); the
// receipt's machine fields (sold, bought, price num/den) stay in base units.
#pragma once
#include <map>
#include <string>
#include <utility>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"
#include "rational.hpp"

namespace pactum::matching {

// "2990.712 USDC": base units shown with the asset's decimals, exactly.
std::string display_amount(const StateView& state, const BigInt& base_units, const std::string& asset);
// "2990.712 USDC per ETH" from a price in base units of quote per base unit of base
// (at most 9 significant digits; a trailing "~" marks a truncated value).
std::string display_price(const StateView& state, const Rational& quote_per_base, const std::string& base,
                          const std::string& quote);

// The text of each pair's clearing price in receipt messages ("2990.712 USDC per ETH"),
// rendered once per pair: every receipt of a pair shows the same price, and receipts of
// a multi-asset market alternate between pairs. An entry holds everything its text
// depends on (the price and both assets' decimals), so a hit is exact.
//
// The caller owns it: clear_batch creates one per settlement and passes it to every swap
// receipt it builds, and it dies with the settlement. (It was a thread_local cache in
// receipts.cpp: what a call found there depended on what the same thread had cleared
// before, in other batches, on other states. Hits were exact, so no text differed, but
// that rested on the cache's own checks rather than on the inputs alone, and its entries
// lived, bounded only by a size cap, as long as the thread. Now a settlement's receipts
// depend on its own inputs only, whichever thread runs it, and the cache holds at most the
// pairs of one batch.)
class PriceTexts {
 public:
  const std::string& text(const StateView& state, const Price& p);

 private:
  struct Entry {
    BigInt num, den;
    std::uint32_t base_decimals = 0, quote_decimals = 0;
    std::string text;
  };
  std::map<std::pair<std::string, std::string>, Entry> by_pair_;  // (base, quote)
};

// Asset fields filled from the intent, amounts zero, status rejected.
Receipt blank_receipt(const Intent& intent);

Receipt rejected(const Intent& intent, std::string reason, std::string message);
// An intent in a block below its valid_from (rule 1): rejected, reason not_yet_valid.
Receipt not_yet_valid(const Intent& intent, std::uint64_t height);
// A commitment whose condition failed (or that sits in a cycle through negation): it
// stays pending, unfilled, naming the intents the condition was about.
Receipt condition_not_met(const Intent& commitment, std::string reason, std::string message,
                          std::vector<Hash32> related);
Receipt cancelled_by(const Intent& intent, const Hash32& cancel_id);
Receipt cancel_settled(const Intent& cancel, std::size_t cancelled_count);
// A reveal: settled, nothing sold or bought; the message names the hash it unlocks.
Receipt reveal_settled(const Intent& reveal);
Receipt insufficient_balance(const StateView& state, const Intent& intent, const std::string& asset, const BigInt& have,
                             const BigInt& need);
Receipt transfer_settled(const StateView& state, const Intent& intent);
Receipt burn_settled(const StateView& state, const Intent& intent);
// A lock or unlock: sold = bought = its amount (sold_asset from, bought_asset to).
Receipt conversion_settled(const StateView& state, const Intent& intent);

// Swaps. `price` is the pair's clearing price as quote per base; `limit` is the swap's
// limit in the same unit (PairOrder::limit()); `texts` renders the price (one per
// settlement).
Price make_price(const std::string& base, const std::string& quote, const Rational& p);
Receipt swap_settled(const StateView& state, PriceTexts& texts, const Intent& intent, const BigInt& sold,
                     const BigInt& bought, bool partial, const Price& price);
Receipt swap_limit_not_reached(const StateView& state, PriceTexts& texts, const Intent& intent, const Rational& limit,
                               const Price& price);
Receipt swap_at_limit_no_volume(const StateView& state, PriceTexts& texts, const Intent& intent, const Price& price);
Receipt swap_fok_not_fillable(const StateView& state, PriceTexts& texts, const Intent& intent,
                              const std::optional<Price>& price);
Receipt swap_no_liquidity(const Intent& intent);
// Strictly inside the clearing price, partially fillable, but the volume the batch could
// net on its pair at that price went to intents with better limits or smaller ids.
Receipt swap_rationed(const StateView& state, PriceTexts& texts, const Intent& intent, const Price& price);
// The pair did not trade at all: `reference` explains what the swap would have needed.
Receipt swap_no_cross(const StateView& state, const Intent& intent, const Rational& limit,
                      const std::string& reference);

}  // namespace pactum::matching
