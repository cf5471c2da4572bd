// Receipt construction: one place for every status, reason code and message, so that the
// wording a person reads stays consistent (reasons are listed in docs/PROTOCOL.md §4).
#pragma once
#include <string>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/block.hpp"
#include "rational.hpp"

namespace pactum::matching {

// Asset fields filled from the intent, amounts zero, status rejected.
Receipt blank_receipt(const Intent& intent);

Receipt rejected(const Intent& intent, std::string reason, std::string message);
Receipt cancelled_by(const Intent& intent, const Hash32& cancel_id);
Receipt cancel_settled(const Intent& cancel, std::size_t cancelled_count);
Receipt insufficient_balance(const Intent& intent, const std::string& asset, const BigInt& have,
                             const BigInt& need);
Receipt transfer_settled(const Intent& intent);

// Swaps. `price` is the pair's clearing price as quote per base.
Price make_price(const std::string& base, const std::string& quote, const Rational& p);
Receipt swap_settled(const Intent& intent, const BigInt& sold, const BigInt& bought, bool partial,
                     const Price& price);
Receipt swap_limit_not_reached(const Intent& intent, const Rational& limit, const Price& price);
Receipt swap_at_limit_no_volume(const Intent& intent, const Price& price);
Receipt swap_fok_not_fillable(const Intent& intent, const std::optional<Price>& price);
Receipt swap_no_liquidity(const Intent& intent);
// The pair did not trade at all: `reference` explains what the swap would have needed.
Receipt swap_no_cross(const Intent& intent, const Rational& limit, const std::string& reference);

}  // namespace pactum::matching
