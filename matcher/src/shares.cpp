// Surplus shares (shares.hpp).
#include "shares.hpp"

#include <algorithm>
#include <map>

#include "receipts.hpp"

namespace pactum::matching {

BigInt swap_surplus(const Swap& swap, const Amount& sold, const Amount& bought) {
  const BigInt beyond = to_big(bought) * to_big(swap.sell_amount) - to_big(sold) * to_big(swap.buy_amount);
  return beyond <= 0 ? BigInt(0) : beyond / to_big(swap.sell_amount);  // both positive: division floors
}

namespace {

std::string short_id(const Hash32& h) { return h.hex().substr(0, 12); }

// Why the share cannot be paid from this swap, or nullopt.
std::optional<Receipt> refused(const Intent& share, const Intent* swap, const Receipt* swap_receipt) {
  const ShareSurplus& sh = *share.share_surplus();
  if (!swap || swap_receipt->status != ReceiptStatus::settled) {
    Receipt r = blank_receipt(share);
    r.status = ReceiptStatus::unfilled;
    r.reason = "swap_not_settled";
    r.message = "swap " + short_id(sh.swap) +
                " does not settle in this block: nothing to share; the commitment waits for a block in which it does";
    r.related = {sh.swap};
    return r;
  }
  if (swap->signer != share.signer)
    return rejected(share, "share_not_own_swap",
                    "swap " + short_id(sh.swap) + " is signed by " + swap->signer.hex().substr(0, 12) +
                        ": a share is paid only out of its own signer's swap");
  if (traded_swap(*swap)->buy_asset != sh.asset)
    return rejected(
        share, "share_asset_mismatch",
        "swap " + short_id(sh.swap) + " receives " + traded_swap(*swap)->buy_asset + ", this share pays " + sh.asset);
  return std::nullopt;
}

}  // namespace

void pay_shares(const StateView& state, std::span<const Intent> round, const std::vector<std::size_t>& shares,
                Settlement& settlement) {
  if (shares.empty()) return;
  std::map<Hash32, std::size_t> swap_at;  // id -> round index
  for (std::size_t i = 0; i < round.size(); ++i)
    if (traded_swap(round[i])) swap_at.emplace(round[i].id, i);
  OverlayState after(state);
  after.apply(settlement.delta);
  std::map<Hash32, BigInt> shared;  // per swap: what earlier shares paid out of its surplus
  for (std::size_t i : shares) {
    const Intent& in = round[i];
    const ShareSurplus& sh = *in.share_surplus();
    auto it = swap_at.find(sh.swap);
    const Intent* swap = it == swap_at.end() ? nullptr : &round[it->second];
    const Receipt* swap_receipt = swap ? &settlement.receipts[it->second] : nullptr;
    if (auto r = refused(in, swap, swap_receipt)) {
      settlement.receipts[i] = std::move(*r);
      continue;
    }
    const BigInt surplus = swap_surplus(*traded_swap(*swap), swap_receipt->sold, swap_receipt->bought);
    BigInt& before = shared[sh.swap];
    const BigInt pay = std::min({to_big(sh.cap), BigInt(surplus * sh.bps / kMaxShareBps), BigInt(surplus - before)});
    before += pay;
    const Amount amount = to_amount(pay);
    after.set_balance(in.signer, sh.asset, after.balance(in.signer, sh.asset) - amount);
    after.set_balance(sh.to, sh.asset, after.balance(sh.to, sh.asset) + amount);
    after.use_nonce(in.signer, in.nonce);
    Receipt r = blank_receipt(in);
    r.status = ReceiptStatus::settled;
    r.sold = amount;
    r.related = {sh.swap};
    r.message = "shared " + display_amount(state, pay, sh.asset) + " with " + sh.to.hex().substr(0, 12) + ": " +
                std::to_string(sh.bps) + " bps of the " + display_amount(state, surplus, sh.asset) + " swap " +
                short_id(sh.swap) + " received beyond its limit" + (pay == to_big(sh.cap) ? ", at the cap" : "");
    settlement.receipts[i] = std::move(r);
  }
  settlement.delta = after.take_delta();
}

}  // namespace pactum::matching
