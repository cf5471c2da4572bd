// Mempool: the node's pending intents, in arrival order, with the stateful admission
// checks that signature verification cannot do (nonce, expiry, balance reservation).
//
// Admission (add) refuses, in this order: duplicate id, wrong chain, expired
// (valid_until < head + 1), unknown asset, nonce used on chain or pending for the same
// signer, a cancel naming an id that is not the signer's pending intent, insufficient
// balance (state balance minus the reservations of the signer's pending intents is
// below this intent's maximum debit), full.
//
// A reservation is an intent's maximum debit: a transfer's amount, a swap's
// sell_amount, nothing for a cancel. A valid cancel removes its targets at once (final
// status cancelled, kept in memory) and itself stays pending until a block includes it.
//
// After each block (on_block): settled, rejected and cancelled intents leave; unfilled
// swaps stay (their last receipt is remembered); intents whose valid_until is below the
// next height leave as expired; reservations are recomputed against the new state.
//
// Not thread safe: the node guards it with a mutex.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/intents/result.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

struct Hash32Hasher {
  std::size_t operator()(const Hash32& h) const noexcept {
    std::size_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | h.bytes[i];
    return v;
  }
};

// A pending intent and what the node knows about it.
struct PendingIntent {
  Intent intent;
  std::uint64_t seq = 0;                   // arrival order
  Amount reserved = 0;                     // maximum debit
  std::string reserved_asset;              // "" for cancels
  std::optional<std::uint64_t> last_block; // newest block that included it (unfilled)
  std::optional<Receipt> last_receipt;     // its receipt there
};

// A final status decided by the node itself rather than by a block: "expired", or
// "cancelled" by a cancel at submission time.
struct DroppedIntent {
  Intent intent;
  std::string status;   // "expired" | "cancelled"
  std::string reason;   // machine code
  std::string message;  // a sentence
  std::optional<std::uint64_t> last_block;
  std::optional<Receipt> last_receipt;
};

// What a block (or an admission) changed, for subscribers.
struct MempoolChanges {
  std::vector<Hash32> dropped;  // ids that left the mempool with a node-decided status
};

class Mempool {
 public:
  Mempool(std::string chain_id, std::size_t max_size, std::size_t max_dropped = 1'000'000);

  // Admits a verified intent against the committed state at `head_height`. On success
  // `changes` lists the intents a cancel removed.
  Result<void> add(Intent intent, const StateView& state, std::uint64_t head_height,
                   MempoolChanges* changes = nullptr);

  // Up to `max` pending intents in arrival order (copies: the producer settles them
  // without holding the mempool).
  std::vector<Intent> batch(std::size_t max) const;

  // Updates the pool after block `block` was committed; `state` is the new head state.
  MempoolChanges on_block(const Block& block, const StateView& state);

  std::size_t size() const { return pending_.size(); }
  bool full() const { return pending_.size() >= max_size_; }
  const PendingIntent* find(const Hash32& id) const;
  const DroppedIntent* find_dropped(const Hash32& id) const;
  Amount reserved(const PublicKey& account, std::string_view asset) const;
  std::vector<Hash32> pending_ids(std::size_t max) const;  // arrival order

 private:
  void remove(const Hash32& id);
  void remember_dropped(DroppedIntent d);
  void reserve(const PendingIntent& p);
  void recompute_reservations();

  std::string chain_id_;
  std::size_t max_size_;
  std::size_t max_dropped_;
  std::uint64_t next_seq_ = 0;
  std::unordered_map<Hash32, PendingIntent, Hash32Hasher> pending_;
  std::map<std::uint64_t, Hash32> arrival_;   // seq -> id
  std::map<NonceKey, Hash32> nonces_;          // pending (signer, nonce) -> id
  std::map<BalanceKey, Amount> reservations_;  // sum of reservations per (signer, asset)
  std::unordered_map<Hash32, DroppedIntent, Hash32Hasher> dropped_;
  std::deque<Hash32> dropped_order_;           // eviction order of dropped_
};

// The maximum debit of an intent: (asset, amount), or ("", 0) for a cancel.
std::pair<std::string, Amount> max_debit(const Intent& intent);

}  // namespace pactum
