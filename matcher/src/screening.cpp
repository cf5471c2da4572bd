#include "screening.hpp"

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "key_hash.hpp"

#include <map>
#include <set>

#include "rational.hpp"
#include "receipts.hpp"

namespace pactum::matching {
namespace {

// A locked asset (BASE@H) is unlocked or burned in blocks of height >= H only.
std::optional<Receipt> still_locked(const StateView& state, const Intent& in, const std::string& asset,
                                    const BlockContext& ctx) {
  const auto info = state.asset(asset);
  if (!info || info->unlocks_at <= ctx.height) return std::nullopt;
  return rejected(in, "locked",
                  asset + " is locked until height " + std::to_string(info->unlocks_at) + "; this block is " +
                      std::to_string(ctx.height));
}

// Why an intent can never execute, or nullopt. Checks that need only the intent and the
// state (rule 1, except duplicates within the batch).
std::optional<Receipt> invalid(const StateView& state, const Intent& in, const BlockContext& ctx) {
  if (in.chain != ctx.chain_id) {
    return rejected(in, "wrong_chain",
                    "the intent is for chain '" + in.chain + "', this chain is '" + ctx.chain_id + "'");
  }
  if (in.valid_until < ctx.height) {
    return rejected(
        in, "expired",
        "valid_until " + std::to_string(in.valid_until) + " is below block height " + std::to_string(ctx.height));
  }
  if (state.nonce_used(in.signer, in.nonce)) {
    return rejected(in, "nonce_used", "nonce " + std::to_string(in.nonce) + " of this signer is already used");
  }
  auto unknown = [&](const std::string& symbol) -> std::optional<Receipt> {
    if (state.asset(symbol)) return std::nullopt;
    return rejected(in, "unknown_asset", "asset '" + symbol + "' is not in the registry");
  };
  if (const Transfer* t = in.transfer()) {
    if (auto r = unknown(t->asset)) return r;
    if (t->amount == 0) return rejected(in, "invalid_intent", "a transfer amount must be > 0");
  }
  if (const Burn* b = in.burn()) {
    if (auto r = unknown(b->asset)) return r;
    if (auto r = still_locked(state, in, b->asset, ctx)) return r;
    if (!state.asset(b->asset)->burnable)
      return rejected(in, "not_burnable", "asset '" + b->asset + "' is not burnable (genesis does not mark it)");
    if (b->amount == 0) return rejected(in, "invalid_intent", "a burn amount must be > 0");
  }
  if (const auto conversion = in.conversion()) {
    if (auto r = unknown(conversion->from)) return r;
    if (auto r = unknown(conversion->to)) return r;
    if (auto r = still_locked(state, in, conversion->from, ctx)) return r;
    if (conversion->amount == 0) return rejected(in, "invalid_intent", "a lock or unlock amount must be > 0");
  }
  if (const ShareSurplus* sh = in.share_surplus()) {
    if (auto r = unknown(sh->asset)) return r;
  }
  if (const Swap* s = in.swap()) {
    if (auto r = unknown(s->sell_asset)) return r;
    if (auto r = unknown(s->buy_asset)) return r;
    // decode_intent refuses these; the matcher must not divide by zero if one slips by.
    if (s->sell_asset == s->buy_asset || s->sell_amount == 0 || s->buy_amount == 0) {
      return rejected(in, "invalid_intent", "a swap needs two distinct assets and amounts > 0");
    }
  }
  return std::nullopt;
}

// The asset and most a funded intent (a transfer, burn, lock, unlock or swap) debits.
std::pair<const std::string&, const Amount&> debit_of(const Intent& in) {
  if (const Transfer* t = in.transfer()) return {t->asset, t->amount};
  if (const Burn* b = in.burn()) return {b->asset, b->amount};
  if (const Lock* l = in.lock()) return {l->asset, l->amount};
  if (const Unlock* u = in.unlock()) return {u->asset, u->amount};
  return {in.swap()->sell_asset, in.swap()->sell_amount};
}

// Rule 1's outcome: the intents that passed, and the nonces they claimed.
struct Validity {
  boost::unordered_flat_set<NonceKey, NonceKeyHash> claimed;
  std::vector<std::size_t> valid;    // ascending id
  std::vector<std::size_t> waiting;  // valid but for valid_from: rejected unless a cancel names them
};

// 1. Validity. Ascending id, so the smallest id of a (signer, nonce) wins.
// Copies of an id are neighbours in `by_id` (sorted by id, then batch index), so the
// first copy is the one with the smallest batch index. Hash tables here and below are
// lookups only: nothing iterates them.
Validity check_validity(const StateView& state, std::span<const Intent> batch, const std::vector<std::size_t>& by_id,
                        const BlockContext& ctx, Screening& out) {
  Validity v;
  v.claimed.reserve(by_id.size());
  for (std::size_t k = 0; k < by_id.size(); ++k) {
    const std::size_t i = by_id[k];
    const Intent& in = batch[i];
    if (k > 0 && batch[by_id[k - 1]].id == in.id) {
      out.receipts[i] = rejected(in, "duplicate", "the same intent appears earlier in this block");
      continue;
    }
    if (auto r = invalid(state, in, ctx)) {
      out.receipts[i] = std::move(r);
      continue;
    }
    if (in.valid_from > ctx.height) {
      // Decided after the other checks and without claiming the nonce: a cancel of this
      // block may still cancel it (rule 2), which then uses its nonce.
      out.receipts[i] = not_yet_valid(in, ctx.height);
      v.waiting.push_back(i);
      continue;
    }
    if (!v.claimed.insert(NonceKey{in.signer, in.nonce}).second) {
      out.receipts[i] = rejected(in, "duplicate_nonce",
                                 "another intent of this signer with nonce " + std::to_string(in.nonce) +
                                     " is in this block with a smaller id and takes the nonce");
      continue;
    }
    v.valid.push_back(i);
  }
  return v;
}

// 2. Cancels. They may name transfers and swaps of their own signer in this batch.
void settle_cancels(std::span<const Intent> batch, const BlockContext& ctx, Validity& v, Screening& out) {
  boost::unordered_flat_map<Hash32, std::size_t, Hash32Hash> cancellable;  // id -> batch index
  for (const auto* list : {&v.valid, &v.waiting})
    for (std::size_t i : *list)
      if (!batch[i].cancel()) cancellable.emplace(batch[i].id, i);
  for (std::size_t i : v.valid) {
    const Intent& cancel = batch[i];
    if (!cancel.cancel()) continue;
    std::size_t count = 0;
    for (const Hash32& target : cancel.cancel()->ids) {
      auto it = cancellable.find(target);
      if (it == cancellable.end() || batch[it->second].signer != cancel.signer) continue;
      const Intent& victim = batch[it->second];
      // A waiting target claims its nonce only now; another intent of the block may hold it.
      if (victim.valid_from > ctx.height && !v.claimed.insert(NonceKey{victim.signer, victim.nonce}).second) continue;
      out.receipts[it->second] = cancelled_by(victim, cancel.id);
      out.nonces_used.push_back({victim.signer, victim.nonce});
      cancellable.erase(it);
      ++count;
    }
    out.receipts[i] = cancel_settled(cancel, count);
    out.nonces_used.push_back({cancel.signer, cancel.nonce});
  }
}

// Reveals move nothing: a valid one that no cancel named settles once the cancels are done.
void settle_reveals(std::span<const Intent> batch, const std::vector<std::size_t>& valid, Screening& out) {
  for (std::size_t i : valid) {
    if (!batch[i].reveal() || out.receipts[i]) continue;
    out.receipts[i] = reveal_settled(batch[i]);
    out.nonces_used.push_back({batch[i].signer, batch[i].nonce});
  }
}

}  // namespace

Screening screen(const StateView& state, std::span<const Intent> batch, const std::vector<std::size_t>& by_id,
                 const BlockContext& ctx) {
  Screening out;
  out.receipts.resize(batch.size());
  Validity v = check_validity(state, batch, by_id, ctx, out);
  settle_cancels(batch, ctx, v, out);

  settle_reveals(batch, v.valid, out);

  // 3. Funding: each reserves its maximum debit from the pre-block balance.
  boost::unordered_flat_map<BalanceKey, BigInt, BalanceKeyHash> reserved;
  for (std::size_t i : v.valid) {
    const Intent& in = batch[i];
    if (in.cancel() || out.receipts[i]) continue;
    if (in.bundle()) {
      out.bundles.push_back(i);
      continue;
    }
    if (in.share_surplus()) {  // paid after the clearing from what its swap received
      out.shares.push_back(i);
      continue;
    }
    const auto [asset, amount] = debit_of(in);
    const BigInt need = to_big(amount);
    BigInt& taken = reserved[BalanceKey{in.signer, asset}];
    const BigInt have = to_big(state.balance(in.signer, asset)) - taken;
    if (need > have) {
      out.receipts[i] = insufficient_balance(state, in, asset, have, need);
      continue;
    }
    taken += need;
    out.funded.push_back(i);
  }
  return out;
}

}  // namespace pactum::matching
