// Surplus shares: a commitment's post-clearing action "share_surplus" (intent.hpp
// ShareSurplus; docs/MECHANISMS.md 7.9). Paid in every round right after the clearing and
// before the bundles, in ascending id, out of what the named swap received in that
// clearing.
#pragma once
#include <span>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::matching {

// What a settled swap received beyond its limit for what it paid, in its buy asset:
// floor((bought * sell_amount - sold * buy_amount) / sell_amount), and 0 if that is negative
// (a partial fill may round one unit below its limit).
BigInt swap_surplus(const Swap& swap, const Amount& sold, const Amount& bought);

// Writes the receipts of the shares (batch indices of `round`, ascending id) and adds what
// they pay, and their nonces, to settlement.delta. A share whose swap did not settle in
// this clearing pays nothing and is unfilled (swap_not_settled: it waits for a block in
// which the swap settles); one naming a swap of another signer, or whose asset is not the
// swap's buy asset, is rejected (share_not_own_swap, share_asset_mismatch).
void pay_shares(const StateView& state, std::span<const Intent> round, const std::vector<std::size_t>& shares,
                Settlement& settlement);

}  // namespace pactum::matching
