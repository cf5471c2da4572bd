#include "pactum/node/mempool.hpp"

#include <algorithm>
#include <set>

namespace pactum {

std::pair<std::string, Amount> max_debit(const Intent& intent) {
  const Transfer* t = intent.transfer();
  const Swap* s = intent.swap();
  if (const Commit* c = intent.commit()) {
    t = c->transfer();
    s = c->swap();
  }
  if (t) return {t->asset, t->amount};
  if (s) return {s->sell_asset, s->sell_amount};
  if (const Burn* b = intent.burn()) return {b->asset, b->amount};
  if (const auto c = intent.conversion()) return {c->from, c->amount};
  return {std::string{}, Amount{0}};  // cancels; bundles run after the batch on its result
}

namespace {

Result<void> check_assets(const Intent& intent, const StateView& state) {
  auto known = [&](const std::string& symbol, const char* field) -> Result<void> {
    if (state.asset(symbol)) return {};
    return make_error(Errc::unknown_asset, std::string(field) + ": unknown asset " + symbol, field);
  };
  if (const auto* t = intent.transfer()) return known(t->asset, "asset");
  if (const auto* b = intent.burn()) {
    PACTUM_TRY(known(b->asset, "asset"));
    if (!state.asset(b->asset)->burnable)
      return make_error(Errc::not_burnable, "asset: " + b->asset + " is not burnable (genesis does not mark it)",
                        "asset");
    return {};
  }
  if (const auto c = intent.conversion()) return known(c->from, "asset");  // `to` exists when `from` does
  if (const auto* s = intent.swap()) {
    PACTUM_TRY(known(s->sell_asset, "sell_asset"));
    return known(s->buy_asset, "buy_asset");
  }
  if (const auto* c = intent.commit()) {
    if (const auto* t = c->transfer()) PACTUM_TRY(known(t->asset, "action.asset"));
    if (const auto* sh = c->share()) PACTUM_TRY(known(sh->asset, "action.asset"));
    if (const auto* s = c->swap()) {
      PACTUM_TRY(known(s->sell_asset, "action.sell_asset"));
      PACTUM_TRY(known(s->buy_asset, "action.buy_asset"));
    }
    if (c->condition.type == ConditionType::exists) {
      const std::string at = c->condition.negated ? "condition.condition.pattern." : "condition.pattern.";
      PACTUM_TRY(known(c->condition.pattern.sell_asset, (at + "sell_asset").c_str()));
      PACTUM_TRY(known(c->condition.pattern.buy_asset, (at + "buy_asset").c_str()));
    }
    if (!c->condition.is_leaf()) {  // the patterns inside all/any (in normal-form order)
      Result<void> found = {};
      for_each_leaf(c->condition, [&](const Condition& leaf) {
        if (found.ok() && leaf.type == ConditionType::exists) {
          if (auto r = known(leaf.pattern.sell_asset, "condition"); !r.ok()) found = r;
          if (auto r = known(leaf.pattern.buy_asset, "condition"); found.ok() && !r.ok()) found = r;
        }
      });
      PACTUM_TRY(found);
    }
  }
  if (const auto* r = intent.room_open()) {
    if (r->terms.is_price()) {
      PACTUM_TRY(known(r->terms.asset, "terms.asset"));
      PACTUM_TRY(known(r->terms.pay_asset, "terms.pay_asset"));
    }
    if (r->terms.mechanism == RoomMechanism::threshold) PACTUM_TRY(known(r->terms.action_asset, "terms.action.asset"));
  }
  if (const auto* b = intent.bundle()) {
    for (std::size_t i = 0; i < b->steps.size(); ++i) {
      const std::string f = "steps[" + std::to_string(i) + "].";
      const BundleStep& st = b->steps[i];
      if (st.op == StepOp::swap) {
        PACTUM_TRY(known(st.asset, (f + "sell_asset").c_str()));
        PACTUM_TRY(known(st.buy_asset, (f + "buy_asset").c_str()));
      } else {
        PACTUM_TRY(known(st.asset, (f + "asset").c_str()));
      }
    }
    for (std::size_t i = 0; i < b->checks.size(); ++i)
      PACTUM_TRY(known(b->checks[i].asset, ("checks[" + std::to_string(i) + "].asset").c_str()));
  }
  return {};
}

// An unlock, or a burn, of a locked asset BASE@H waits for height H: the node refuses it
// when the first block that may include it is below H (as Bitcoin's mempool refuses a
// transaction that is not final yet); with valid_from >= H it may wait in the pool.
Result<void> check_unlocked(const Intent& intent, const StateView& state, std::uint64_t first_height) {
  std::string asset;
  if (const auto* b = intent.burn()) asset = b->asset;
  if (const auto* u = intent.unlock()) asset = u->asset;
  const auto info = asset.empty() ? std::nullopt : state.asset(asset);
  if (!info || info->unlocks_at <= first_height) return {};
  return make_error(Errc::locked,
                    "asset: " + asset + " is locked until height " + std::to_string(info->unlocks_at) +
                        "; the first block that may include the intent is " + std::to_string(first_height),
                    "asset");
}

// Room keys and outcomes are written into blocks by the producer, never submitted.
Result<void> check_submitted_kind(const Intent& intent) {
  if (intent.room_key() || intent.room_outcome())
    return make_error(Errc::invalid_params,
                      "kind: " + std::string(intent.kind()) + " is written by the block producer only", "kind");
  return {};
}

Result<void> check_room_sign(const Intent& intent, const StateView& state, std::uint64_t next_height) {
  const auto* g = intent.room_sign();
  if (!g) return {};
  auto room = state.room(g->room);
  if (!room) return make_error(Errc::unknown_room, "room: no room " + g->room.hex(), "room");
  if (!room->closed) return make_error(Errc::room_open, "room: the room has no outcome yet", "room");
  if (!room->terms.is_party(intent.signer))
    return make_error(Errc::invalid_params, "signer: not a party of room " + g->room.hex(), "signer");
  if (room->consent == RoomConsent::expired ||
      (room->consent == RoomConsent::awaiting && next_height > room->consent_deadline()))
    return make_error(Errc::room_closed,
                      "room: the consent window of this room ended at height " +
                          std::to_string(room->consent_deadline()) + "; its escrow is refunded",
                      "room");
  if (!verify(intent.signer, outcome_digest(room->id, room->terms.hash, room->outcome, room->outcome_value()),
              g->outcome_sig))
    return make_error(Errc::bad_signature, "outcome_sig: does not verify over this room's outcome digest",
                      "outcome_sig");
  return {};
}

// The field an insufficient_balance refusal names: the amount the intent would debit.
const char* debit_field(const Intent& intent) {
  if (intent.transfer() || intent.burn() || intent.conversion()) return "amount";
  if (intent.swap()) return "sell_amount";
  if (intent.room_position()) return "room";
  return intent.commit()->transfer() ? "action.amount" : "action.sell_amount";
}

}  // namespace

Mempool::Mempool(std::string chain_id, std::size_t max_size, std::size_t max_per_account, std::size_t max_dropped)
    : chain_id_(std::move(chain_id)),
      max_size_(max_size),
      max_per_account_(max_per_account),
      max_dropped_(max_dropped) {}

std::size_t Mempool::pending_of(const PublicKey& signer) const {
  auto it = per_signer_.find(signer);
  return it == per_signer_.end() ? 0 : it->second;
}

// Admission, in the order of the refusals listed in mempool.hpp: each phase returns the
// first refusal it finds, and nothing changes until admit().
Result<void> Mempool::add(Intent intent, const StateView& state, std::uint64_t head_height, MempoolChanges* changes) {
  const std::uint64_t next_height = head_height + 1;
  // The first block that may include it: a held intent (valid_from above the next height)
  // is checked against the height it waits for.
  const std::uint64_t first_height = std::max(next_height, intent.valid_from);
  PACTUM_TRY(check_new(intent, next_height));
  PACTUM_TRY(check_unlocked(intent, state, first_height));  // before check_assets: a locked asset is not burnable
  PACTUM_TRY(check_assets(intent, state));
  PACTUM_TRY(check_submitted_kind(intent));
  PACTUM_ASSIGN(escrow, room_position_escrow(intent, state, first_height));
  PACTUM_TRY(check_room_sign(intent, state, first_height));
  PACTUM_TRY(check_nonce(intent, state));
  PACTUM_TRY(check_cancel_targets(intent));
  Debit debit = escrow ? std::move(*escrow) : max_debit(intent);
  PACTUM_TRY(check_funds(intent, state, debit));
  PACTUM_TRY(check_capacity(intent));
  admit(std::move(intent), std::move(debit), changes);
  return {};
}

Result<void> Mempool::check_new(const Intent& intent, std::uint64_t next_height) const {
  if (pending_.count(intent.id) || dropped_.count(intent.id))
    return make_error(Errc::duplicate, "intent " + intent.id.hex() + " is already known");
  if (intent.chain != chain_id_)
    return make_error(Errc::wrong_chain, "intent is for chain " + intent.chain + ", this node runs " + chain_id_,
                      "chain");
  if (intent.valid_until < next_height)
    return make_error(Errc::expired,
                      "valid_until " + std::to_string(intent.valid_until) + " is below the next block height " +
                          std::to_string(next_height),
                      "valid_until");
  // A far valid_from would hold the intent, its nonce and its funds in the pool for ages.
  if (intent.valid_from > next_height - 1 + kMaxValidFromAhead)
    return make_error(Errc::invalid_params,
                      "valid_from: " + std::to_string(intent.valid_from) + " is more than " +
                          std::to_string(kMaxValidFromAhead) + " blocks above the head (" +
                          std::to_string(next_height - 1) + "); submit it later",
                      "valid_from");
  return {};
}

// A room_position escrows what its party may owe when the room closes, in place of the
// intent's own maximum debit (it has none): nullopt for every other kind.
Result<std::optional<Mempool::Debit>> Mempool::room_position_escrow(const Intent& intent, const StateView& state,
                                                                    std::uint64_t first_height) const {
  const auto* p = intent.room_position();
  if (!p) return std::optional<Debit>{};
  auto room = state.room(p->room);
  if (!room) return make_error(Errc::unknown_room, "room: no room " + p->room.hex(), "room");
  if (room->closed || first_height >= room->terms.close_height)
    return make_error(Errc::room_closed,
                      "room: this room takes positions only before height " + std::to_string(room->terms.close_height),
                      "room");
  if (!room->terms.is_party(intent.signer))
    return make_error(Errc::invalid_params, "signer: not a party of room " + p->room.hex(), "signer");
  if (room->side(intent.signer).position)
    return make_error(Errc::duplicate, "room: this party has sealed its position in this room already", "room");
  for (const auto& [id, other] : pending_)
    if (other.intent.signer == intent.signer && other.intent.room_position() &&
        other.intent.room_position()->room == p->room)
      return make_error(Errc::duplicate, "room: a position of this party for this room is pending already: " + id.hex(),
                        "room");
  const RoomTerms& t = room->terms;
  const bool seller = intent.signer == t.seller;
  if (t.is_price()) return std::optional<Debit>{Debit{seller ? t.asset : t.pay_asset, seller ? t.amount : t.hi}};
  if (t.mechanism == RoomMechanism::threshold) return std::optional<Debit>{Debit{t.action_asset, t.action_amount}};
  return std::optional<Debit>{Debit{std::string{}, Amount{0}}};
}

Result<void> Mempool::check_nonce(const Intent& intent, const StateView& state) const {
  if (state.nonce_used(intent.signer, intent.nonce))
    return make_error(Errc::nonce_used,
                      "nonce " + std::to_string(intent.nonce) + " of this signer is already used on chain", "nonce");
  if (auto it = nonces_.find(NonceKey{intent.signer, intent.nonce}); it != nonces_.end())
    return make_error(Errc::nonce_used,
                      "nonce " + std::to_string(intent.nonce) + " of this signer is already used by pending intent " +
                          it->second.hex(),
                      "nonce");
  return {};
}

Result<void> Mempool::check_cancel_targets(const Intent& intent) const {
  const auto* c = intent.cancel();
  if (!c) return {};
  for (std::size_t i = 0; i < c->ids.size(); ++i) {
    const std::string field = "ids[" + std::to_string(i) + "]";
    const std::string named = field + ": " + c->ids[i].hex();
    auto it = pending_.find(c->ids[i]);
    // Room intents settle before everything else in a block (docs/MECHANISMS.md §9): a
    // cancel could not reach them, so they are not cancellable.
    if (it != pending_.end() && it->second.intent.is_room())
      return make_error(Errc::not_cancellable,
                        named + " is a room intent: rooms settle before cancels, so room intents cannot be cancelled",
                        field);
    if (it == pending_.end() || it->second.intent.signer != intent.signer || it->second.intent.cancel())
      return make_error(Errc::not_cancellable, named + " is not a pending intent of this signer", field);
    if (it->second.cancelled_by)
      return make_error(Errc::not_cancellable,
                        named + " is already being cancelled by pending intent " + it->second.cancelled_by->hex(),
                        field);
  }
  return {};
}

Result<void> Mempool::check_funds(const Intent& intent, const StateView& state, const Debit& debit) const {
  const auto& [asset, need] = debit;
  if (asset.empty()) return {};
  const Amount balance = state.balance(intent.signer, asset);
  const Amount held = reserved(intent.signer, asset);
  const Amount have = balance > held ? Amount(balance - held) : Amount(0);
  if (have >= need) return {};
  return make_error(Errc::insufficient_balance,
                    "insufficient " + asset + " balance: have " + amount_to_string(have) + " available (balance " +
                        amount_to_string(balance) + ", reserved by pending intents " + amount_to_string(held) +
                        "), need " + amount_to_string(need),
                    debit_field(intent));
}

Result<void> Mempool::check_capacity(const Intent& intent) const {
  if (!intent.cancel() && pending_of(intent.signer) >= max_per_account_)
    return make_error(Errc::limit_exceeded,
                      "this signer has " + std::to_string(pending_of(intent.signer)) +
                          " pending intents, the most one account may have pending; wait until some settle or "
                          "expire, or cancel some (cancels are always accepted)",
                      "signer");
  if (full())
    return make_error(Errc::mempool_full,
                      "the mempool is full (" + std::to_string(max_size_) + " pending intents); retry later");
  return {};
}

void Mempool::admit(Intent intent, Debit debit, MempoolChanges* changes) {
  if (const auto* c = intent.cancel()) {
    // The targets stay until the block that carries this cancel records them as
    // cancelled (and uses their nonces); only their reservations go now.
    for (const auto& target : c->ids) {
      auto& victim = pending_.at(target);
      unreserve(victim);
      victim.cancelled_by = intent.id;
      if (changes) changes->dropped.push_back(target);
    }
  }
  PendingIntent p;
  p.seq = next_seq_++;
  p.reserved = debit.second;
  p.reserved_asset = std::move(debit.first);
  p.intent = std::move(intent);
  const Hash32 id = p.intent.id;
  reserve(p);
  if (!p.intent.cancel()) ++per_signer_[p.intent.signer];
  nonces_.emplace(NonceKey{p.intent.signer, p.intent.nonce}, id);
  arrival_.emplace(p.seq, id);
  pending_.emplace(id, std::move(p));
}

std::vector<Intent> Mempool::batch(std::size_t max, std::uint64_t height, std::uint64_t changed_at,
                                   std::vector<bool>* carried) const {
  std::vector<Intent> out;
  out.reserve(std::min(max, arrival_.size()));
  if (carried) carried->clear();
  auto take = [&](const PendingIntent& p) {
    out.push_back(p.intent);
    if (carried) carried->push_back(p.tried_at.has_value());
  };
  // Pass 1 takes the fresh intents (a cancel is always fresh: it settles in its first
  // block); pass 2 the carried ones.
  std::size_t fresh = 0;
  for (int pass = 1; pass <= 2; ++pass) {
    for (const auto& [seq, id] : arrival_) {
      if (out.size() >= max) break;
      const PendingIntent& p = pending_.at(id);
      if (p.cancelled_by) continue;                // it comes with its cancel
      if (p.intent.valid_from > height) continue;  // held (a held target still comes with its cancel)
      const bool is_fresh = !p.tried_at;
      if (pass == 1 && !is_fresh) continue;
      if (pass == 2 && (is_fresh || (fresh == 0 && *p.tried_at > changed_at))) continue;
      if (!p.intent.cancel()) {
        take(p);
        fresh += is_fresh ? 1 : 0;
        continue;
      }
      const std::vector<Hash32> targets = targets_of(p);
      if (!out.empty() && out.size() + targets.size() + 1 > max) break;  // all or none, in order
      for (const auto& t : targets) take(pending_.at(t));
      take(p);
      ++fresh;
    }
  }
  return out;
}

void Mempool::mark_tried(const std::vector<Hash32>& ids, std::uint64_t height) {
  for (const auto& id : ids)
    if (auto it = pending_.find(id); it != pending_.end()) it->second.tried_at = height;
}

std::size_t Mempool::fresh_count(std::uint64_t height) const {
  std::size_t n = 0;
  for (const auto& [id, p] : pending_) n += !p.tried_at && !p.cancelled_by && p.intent.valid_from <= height ? 1 : 0;
  return n;
}

std::vector<Hash32> Mempool::targets_of(const PendingIntent& cancel) const {
  std::vector<Hash32> out;
  for (const auto& t : cancel.intent.cancel()->ids) {
    auto it = pending_.find(t);
    if (it != pending_.end() && it->second.cancelled_by == cancel.intent.id) out.push_back(t);
  }
  return out;
}

MempoolChanges Mempool::on_block(const Block& block, const StateView& state) {
  (void)state;
  MempoolChanges changes;
  for (std::size_t i = 0; i < block.intents.size() && i < block.receipts.size(); ++i) {
    auto it = pending_.find(block.intents[i].id);
    if (it == pending_.end()) continue;
    if (block.receipts[i].status == ReceiptStatus::unfilled) {
      it->second.last_block = block.header.height;
      it->second.last_receipt = block.receipts[i];
    } else {
      remove(block.intents[i].id);  // final: the chain's index answers from now on
    }
  }
  const std::uint64_t next_height = block.header.height + 1;
  std::vector<Hash32> expired;
  for (const auto& [seq, id] : arrival_) {
    const auto& p = pending_.at(id);
    if (p.intent.valid_until < next_height) expired.push_back(id);
  }
  for (const auto& id : expired) {
    auto& p = pending_.at(id);
    DroppedIntent d{p.intent,     "expired",
                    "expired",    "valid_until " + std::to_string(p.intent.valid_until) + " passed without a fill",
                    p.last_block, p.last_receipt};
    remove(id);
    remember_dropped(std::move(d));
    changes.dropped.push_back(id);
  }
  // A target whose cancel is gone without having cancelled it (the cancel expired before
  // a batch had room for it) is an ordinary pending intent again.
  for (auto& [id, p] : pending_) {
    if (p.cancelled_by && !pending_.count(*p.cancelled_by)) {
      p.cancelled_by.reset();
      changes.dropped.push_back(id);
    }
  }
  recompute_reservations();
  return changes;
}

const PendingIntent* Mempool::find(const Hash32& id) const {
  auto it = pending_.find(id);
  return it == pending_.end() ? nullptr : &it->second;
}

const DroppedIntent* Mempool::find_dropped(const Hash32& id) const {
  auto it = dropped_.find(id);
  return it == dropped_.end() ? nullptr : &it->second;
}

Amount Mempool::reserved(const PublicKey& account, std::string_view asset) const {
  auto it = reservations_.find(BalanceKey{account, std::string(asset)});
  return it == reservations_.end() ? Amount(0) : it->second;
}

std::vector<Hash32> Mempool::pending_ids(std::size_t max) const {
  std::vector<Hash32> out;
  for (const auto& [seq, id] : arrival_) {
    if (out.size() >= max) break;
    if (!pending_.at(id).cancelled_by) out.push_back(id);
  }
  return out;
}

void Mempool::remove(const Hash32& id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  const auto& p = it->second;
  unreserve(p);
  if (!p.intent.cancel()) {
    auto n = per_signer_.find(p.intent.signer);
    if (n != per_signer_.end() && --n->second == 0) per_signer_.erase(n);
  }
  nonces_.erase(NonceKey{p.intent.signer, p.intent.nonce});
  arrival_.erase(p.seq);
  pending_.erase(it);
}

void Mempool::remember_dropped(DroppedIntent d) {
  const Hash32 id = d.intent.id;
  if (!dropped_.emplace(id, std::move(d)).second) return;
  dropped_order_.push_back(id);
  while (dropped_order_.size() > max_dropped_) {
    dropped_.erase(dropped_order_.front());
    dropped_order_.pop_front();
  }
}

// A target of a pending cancel reserves nothing: the block that carries it cancels it.
void Mempool::reserve(const PendingIntent& p) {
  if (p.reserved_asset.empty() || p.cancelled_by) return;
  reservations_[BalanceKey{p.intent.signer, p.reserved_asset}] += p.reserved;
}

void Mempool::unreserve(const PendingIntent& p) {
  if (p.reserved_asset.empty() || p.cancelled_by) return;
  auto r = reservations_.find(BalanceKey{p.intent.signer, p.reserved_asset});
  if (r == reservations_.end()) return;
  if (r->second <= p.reserved)
    reservations_.erase(r);
  else
    r->second -= p.reserved;
}

// Reservations are sums over what is still pending; rebuilding them after a block keeps
// them exact whatever the block did (fills, partial fills, expiries).
void Mempool::recompute_reservations() {
  reservations_.clear();
  for (const auto& [id, p] : pending_) reserve(p);
}

}  // namespace pactum
