// Mempool: the node's pending intents, in arrival order, with the stateful admission
// checks that signature verification cannot do (nonce, expiry, balance reservation).
//
// Admission (add) refuses, in this order: duplicate id, wrong chain, expired
// (valid_until < head + 1), a valid_from more than kMaxValidFromAhead blocks above the
// head (invalid_params, field valid_from), locked (an unlock or burn of BASE@H while
// max(head + 1, valid_from) < H),
// unknown asset (a burn: an asset that is not burnable),
// nonce used on chain or pending for the same
// signer, a cancel naming an id that is not the signer's pending intent, insufficient
// balance (state balance minus the reservations of the signer's pending intents is
// below this intent's maximum debit), full.
//
// A reservation is an intent's maximum debit: a transfer's, burn's, lock's or unlock's amount, a swap's
// sell_amount, nothing for a cancel or a reveal. A valid cancel marks its targets as being
// cancelled (their reservations are released at once; a second cancel may not name
// them) but they stay in the pool: the next batch carries the cancel together with its
// targets, so the block gives the targets a `cancelled` receipt and uses their nonces.
// Were they dropped before the batch instead, no block would record them and the
// original signed intents could be replayed (after a restart, or once evicted here).
//
// Per signer, at most max_per_account intents are pending (cancels do not count, so that
// a signer at the limit can still cancel): one account cannot fill the pool with orders
// that never fill.
//
// Fresh and carried intents: an intent is fresh until a block has settled it once; after
// that it is carried (it stayed unfilled). batch() takes the fresh ones first, so that
// carried ones can never keep new intents out of a full block, and takes carried ones
// only when something could have changed for them: a fresh intent is in the batch, or
// the state changed after they were last tried (the producer says when). The producer
// leaves a carried intent that stays unfilled out of the block it writes (node/src/
// producer.cpp): a pending order that did not change costs no receipt.
//
// After each block (on_block): settled, rejected and cancelled intents leave; unfilled
// swaps stay (their last receipt is remembered); intents whose valid_until is below the
// next height leave as expired; a target whose cancel left the pool without cancelling
// it (the cancel expired unbatched) is an ordinary pending intent again; reservations
// are recomputed against the new state.
//
// Held intents: an intent whose valid_from is above the next block height is admitted
// like any other (every check above, its debit reserved; the locked and room_closed
// checks look at max(next height, valid_from), the first block that may include it) but
// held: batch() leaves it out until the block height reaches valid_from, and it does not
// count as fresh (it must not make an instant-mode node produce empty blocks for it).
//
// Not thread safe: the node guards it with a mutex.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/endian/conversion.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/intents/result.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

// How far above the head a submitted intent's valid_from may be: a held intent keeps its
// nonce and funds reserved in the pool until then.
inline constexpr std::uint64_t kMaxValidFromAhead = 100000;

struct Hash32Hasher {
  std::size_t operator()(const Hash32& h) const noexcept {
    return static_cast<std::size_t>(boost::endian::load_big_u64(h.bytes.data()));
  }
};

// A pending intent and what the node knows about it.
struct PendingIntent {
  Intent intent;
  std::uint64_t seq = 0;                    // arrival order
  Amount reserved = 0;                      // maximum debit
  std::string reserved_asset;               // "" for cancels
  std::optional<std::uint64_t> last_block;  // newest block that included it (unfilled)
  std::optional<Receipt> last_receipt;      // its receipt there
  std::optional<std::uint64_t> tried_at;    // height of the last block that settled it (unset: fresh)
  std::optional<Hash32> cancelled_by;       // a pending cancel names it: it goes with that cancel
};

// A final status decided by the node itself rather than by a block: "expired".
struct DroppedIntent {
  Intent intent;
  std::string status;   // "expired"
  std::string reason;   // machine code
  std::string message;  // a sentence
  std::optional<std::uint64_t> last_block;
  std::optional<Receipt> last_receipt;
};

// What a block (or an admission) changed, for subscribers.
struct MempoolChanges {
  // ids whose node-reported status changed without a block receipt of their own: they
  // left the mempool as expired, or a cancel now names them.
  std::vector<Hash32> dropped;
};

class Mempool {
 public:
  Mempool(std::string chain_id, std::size_t max_size, std::size_t max_per_account = 2048,
          std::size_t max_dropped = 1'000'000);

  // Admits a verified intent against the committed state at `head_height`. On success
  // `changes` lists the intents a cancel removed.
  Result<void> add(Intent intent, const StateView& state, std::uint64_t head_height, MempoolChanges* changes = nullptr);

  // Up to `max` pending intents (copies: the producer settles them without holding the
  // mempool): the fresh ones in arrival order, then the carried ones in arrival order,
  // those only when the batch has a fresh intent or they were last tried in a block at
  // or below height `changed_at`, the newest block that changed the state (so the state
  // they were tried on is not the head state). The default takes them all. A cancel comes with its targets right
  // before it, all or none; a target never comes without its cancel. A cancel group
  // larger than `max` is still taken when it is first, so that it cannot block the pool.
  // `carried`, when given, gets one flag per returned intent.
  // Intents whose valid_from is above `height` (the height of the block the batch is
  // for) are held: left out, and a cancel group is taken only when its cancel is not held.
  std::vector<Intent> batch(std::size_t max, std::uint64_t height, std::uint64_t changed_at = UINT64_MAX,
                            std::vector<bool>* carried = nullptr) const;
  // Records that block `height` settled these intents (whether or not it recorded them).
  void mark_tried(const std::vector<Hash32>& ids, std::uint64_t height);
  // Fresh intents still pending (not targets of a pending cancel) that a block of height
  // `height` may include (held ones, valid_from > height, do not count).
  std::size_t fresh_count(std::uint64_t height) const;
  std::size_t pending_of(const PublicKey& signer) const;

  // Updates the pool after block `block` was committed; `state` is the new head state.
  MempoolChanges on_block(const Block& block, const StateView& state);

  std::size_t size() const { return pending_.size(); }
  bool full() const { return pending_.size() >= max_size_; }
  const PendingIntent* find(const Hash32& id) const;
  const DroppedIntent* find_dropped(const Hash32& id) const;
  Amount reserved(const PublicKey& account, std::string_view asset) const;
  // Arrival order, without targets of a pending cancel (their status reads cancelled).
  std::vector<Hash32> pending_ids(std::size_t max) const;

 private:
  using Debit = std::pair<std::string, Amount>;  // (asset, amount) reserved: max_debit()
  // The phases of add(), in order.
  Result<void> check_new(const Intent& intent, std::uint64_t next_height) const;  // duplicate, chain, expiry
  Result<std::optional<Debit>> room_position_escrow(const Intent& intent, const StateView& state,
                                                    std::uint64_t first_height) const;
  Result<void> check_nonce(const Intent& intent, const StateView& state) const;
  Result<void> check_cancel_targets(const Intent& intent) const;
  Result<void> check_funds(const Intent& intent, const StateView& state, const Debit& debit) const;
  Result<void> check_capacity(const Intent& intent) const;  // per signer, then the whole pool
  void admit(Intent intent, Debit debit, MempoolChanges* changes);

  void remove(const Hash32& id);
  void remember_dropped(DroppedIntent d);
  void reserve(const PendingIntent& p);
  void unreserve(const PendingIntent& p);
  std::vector<Hash32> targets_of(const PendingIntent& cancel) const;  // still pending, marked by it
  void recompute_reservations();

  std::string chain_id_;
  std::size_t max_size_;
  std::size_t max_per_account_;
  std::size_t max_dropped_;
  std::map<PublicKey, std::size_t> per_signer_;  // pending intents per signer, cancels excepted
  std::uint64_t next_seq_ = 0;
  std::unordered_map<Hash32, PendingIntent, Hash32Hasher> pending_;
  std::map<std::uint64_t, Hash32> arrival_;    // seq -> id
  std::map<NonceKey, Hash32> nonces_;          // pending (signer, nonce) -> id
  std::map<BalanceKey, Amount> reservations_;  // sum of reservations per (signer, asset)
  std::unordered_map<Hash32, DroppedIntent, Hash32Hasher> dropped_;
  std::deque<Hash32> dropped_order_;  // eviction order of dropped_
};

// The maximum debit of an intent: (asset, amount), or ("", 0) for a cancel.
std::pair<std::string, Amount> max_debit(const Intent& intent);

}  // namespace pactum
