// NodeCore's reads: each takes the chain lock shared (and the mempool lock after it).
#include "pactum/node/node_core.hpp"

namespace pactum {

namespace {

constexpr std::size_t kRecentBlocks = 32;

// pactum_getBlock without `full`: the block with its intents as ids, written as text.
// Followers read every block this way; building the receipts as JSON trees and then
// serializing them cost more than the rest of the request. The text is what dumping the
// tree gave: members in sorted order, receipts in their canonical form (which is
// JCS(Receipt::to_json()), block.hpp).
std::string block_summary_text(const Block& block) {
  nlohmann::json small = block.header.to_json();
  small.update(block.body_members_json());
  std::string out = "{";
  auto key = [&out](std::string_view name) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += name;
    out += "\":";
  };
  // "name":[item(0),...,item(n-1)]
  auto write_array = [&](std::string_view name, std::size_t n, auto&& item) {
    key(name);
    out += '[';
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) out += ',';
      item(i);
    }
    out += ']';
  };
  auto write_intents = [&] {
    write_array("intents", block.intents.size(), [&](std::size_t i) {
      out += '"';
      out += block.intents[i].id.hex();
      out += '"';
    });
  };
  auto write_receipts = [&] {
    write_array("receipts", block.receipts.size(), [&](std::size_t i) { block.append_receipt_json(out, i); });
  };
  bool intents_done = false, receipts_done = false;
  for (auto it = small.begin(); it != small.end(); ++it) {  // sorted by name
    if (!intents_done && it.key() > "intents") write_intents(), intents_done = true;
    if (!receipts_done && it.key() > "receipts") write_receipts(), receipts_done = true;
    key(it.key());
    out += it.value().dump();
  }
  if (!intents_done) write_intents();
  if (!receipts_done) write_receipts();
  out += '}';
  return out;
}

// The one shape of a pactum_getIntent result (docs/PROTOCOL.md, pactum_getIntent):
// `block` is the height of the block that holds `receipt` (both null when no block
// included the intent); `reason` is always a string: the lifecycle reason when the node
// decided the status ("cancelled", "expired"), else the newest receipt's reason ("" when
// settled in full, or while pending before any block); `message` is always a sentence.
nlohmann::json intent_status(const Intent& intent, std::string_view status, std::optional<std::uint64_t> block,
                             const std::optional<Receipt>& receipt, const std::string& reason,
                             const std::string& message) {
  return {{"id", intent.id.hex()},
          {"status", status},
          {"intent", intent_to_json(intent)},
          {"block", block ? nlohmann::json(*block) : nlohmann::json(nullptr)},
          {"receipt", receipt ? receipt->to_json() : nlohmann::json(nullptr)},
          {"reason", reason},
          {"message", message}};
}

// `next_height`: the height of the next block. A held intent (valid_from above it) says
// what it waits for, whatever an earlier block said of it.
nlohmann::json pending_status(const PendingIntent& p, std::uint64_t next_height) {
  if (p.cancelled_by)
    return intent_status(
        p.intent, "cancelled", p.last_block, p.last_receipt, "cancelled",
        "cancelled by intent " + p.cancelled_by->hex() + "; the next block records it as cancelled and uses its nonce");
  if (p.intent.valid_from > next_height)
    return intent_status(p.intent, "pending", p.last_block, p.last_receipt, "not_yet_valid",
                         "waiting for height " + std::to_string(p.intent.valid_from) +
                             " (its valid_from): no block below it may include the intent; the next block is " +
                             std::to_string(next_height));
  if (p.last_receipt)
    return intent_status(p.intent, "pending", p.last_block, p.last_receipt, p.last_receipt->reason,
                         p.last_receipt->message);
  return intent_status(p.intent, "pending", std::nullopt, std::nullopt, "", "waiting for the next block");
}

Result<void> known_asset(const StateView& state, const std::string& asset, const char* field = "asset") {
  if (state.asset(asset)) return {};
  return make_error(Errc::unknown_asset, std::string(field) + ": unknown asset " + asset, field);
}

nlohmann::json pool_json(const Pool& p) {
  return {{"assets", {p.asset_a, p.asset_b}},
          {"reserves", {amount_to_string(p.reserve_a), amount_to_string(p.reserve_b)}},
          {"fee_bps", p.fee_bps}};
}

}  // namespace

void NodeCore::remember_block(std::shared_ptr<const Block> b) const {
  std::lock_guard lock(cache_mu_);
  for (const auto& r : recent_)
    if (r->header.height == b->header.height) return;
  recent_.push_back(std::move(b));
  if (recent_.size() > kRecentBlocks) recent_.pop_front();
}

std::shared_ptr<const Block> NodeCore::block_at_locked(std::uint64_t height) const {
  {
    std::lock_guard lock(cache_mu_);
    for (const auto& r : recent_)
      if (r->header.height == height) return r;
  }
  if (height > chain_->height()) return nullptr;
  auto loaded = chain_->store().block_at(height);
  if (!loaded.ok() || !loaded->has_value()) return nullptr;
  auto block = std::make_shared<const Block>(std::move(**loaded));
  remember_block(block);
  return block;
}

nlohmann::json NodeCore::node_info() const {
  auto lock = read_lock();
  nlohmann::json j = {
      {"chain_id", chain_id_},
      {"height", chain_->height()},
      {"head", head_hash_.hex()},
      {"genesis", genesis_hash_.hex()},
      {"producer", chain_->genesis().producer.hex()},
      {"block_time_ms", opts_.block_time_ms ? nlohmann::json(*opts_.block_time_ms) : nlohmann::json(nullptr)},
      {"mempool", mempool_size()},
      {"halted", halted_.load()},
      {"halt_reason", halted_ ? nlohmann::json(halt_reason_) : nlohmann::json(nullptr)},
      {"version", kNodeVersion}};
  // Follower mode (node/follower.hpp): the leader, its head as last seen, how far behind
  // this node is, and why its sync stopped, if it did.
  LeaderLink* leader = leader_.load();
  j["role"] = leader ? "follower" : "producer";
  j["leader"] = nullptr;
  j["leader_height"] = nullptr;
  j["lag"] = 0;
  j["sync"] = nullptr;
  j["sync_error"] = nullptr;
  if (leader) {
    j.update(leader->info());
    const auto& seen = j["leader_height"];
    const std::uint64_t leader_height = seen.is_number_unsigned() ? seen.get<std::uint64_t>() : 0;
    j["lag"] = leader_height > chain_->height() ? leader_height - chain_->height() : 0;
  }
  return j;
}

std::uint64_t NodeCore::height() const {
  auto lock = read_lock();
  return chain_->height();
}

std::size_t NodeCore::mempool_size() const {
  std::lock_guard pool(mempool_mu_);
  return mempool_.size();
}

Result<std::string> NodeCore::get_block(std::optional<std::uint64_t> height, std::optional<Hash32> hash,
                                        bool full) const {
  auto lock = read_lock();
  if (hash) {
    PACTUM_ASSIGN(h, chain_->store().height_of(*hash));
    if (!h.has_value()) return std::string("null");
    height = *h;
  }
  if (!height || *height > chain_->height()) return std::string("null");
  if (full) {
    // The stored text as it is (the value of Block::to_json(), ledger/store_encoding_test):
    // followers read every block this way, and decoding it only to encode it again cost
    // the leader about as much per intent as a signature check.
    auto text = chain_->store().block_json_at(*height);
    if (!text.ok() || !text->has_value())
      return make_error(Errc::storage, "block " + std::to_string(*height) + " could not be read");
    return std::move(**text);
  }
  auto block = block_at_locked(*height);
  if (!block) return make_error(Errc::storage, "block " + std::to_string(*height) + " could not be read");
  return block_summary_text(*block);
}

nlohmann::json NodeCore::get_blocks(std::optional<std::uint64_t> to, std::size_t count) const {
  auto lock = read_lock();
  // Clamped to the head, so a client can page down from any height it last saw.
  const std::uint64_t top = to ? std::min(*to, chain_->height()) : chain_->height();
  nlohmann::json out = nlohmann::json::array();
  for (std::uint64_t h = top, n = 0; n < count; --h, ++n) {
    auto block = block_at_locked(h);
    if (!block) break;  // unreadable: the list ends there rather than failing as a whole
    // The newBlocks notification's shape plus the receipt counts the explorer lists.
    nlohmann::json j = block->header.to_json();
    j["intents"] = block->intents.size();
    std::size_t by_status[4] = {0, 0, 0, 0};
    for (const auto& r : block->receipts) {
      const auto i = static_cast<std::size_t>(r.status);
      if (i < 4) ++by_status[i];
    }
    for (auto st : {ReceiptStatus::settled, ReceiptStatus::unfilled, ReceiptStatus::rejected, ReceiptStatus::cancelled})
      j[std::string(receipt_status_name(st))] = by_status[static_cast<std::size_t>(st)];
    out.push_back(std::move(j));
    if (h == 0) break;
  }
  return out;
}

Result<nlohmann::json> NodeCore::get_intent(const Hash32& id) const {
  auto lock = read_lock();
  {
    std::lock_guard pool(mempool_mu_);
    if (const auto* p = mempool_.find(id)) return pending_status(*p, chain_->height() + 1);
    if (const auto* d = mempool_.find_dropped(id))
      return intent_status(d->intent, d->status, d->last_block, d->last_receipt, d->reason, d->message);
  }
  PACTUM_ASSIGN(located, chain_->store().locate_intent(id));
  if (!located.has_value()) return make_error(Errc::not_found, "no intent " + id.hex() + " is known to this node");
  const auto loc = *located;
  auto block = block_at_locked(loc.height);
  if (!block || loc.index >= block->intents.size() || loc.index >= block->receipts.size())
    return make_error(Errc::storage, "block " + std::to_string(loc.height) + " could not be read");
  const Receipt& r = block->receipts[loc.index];
  if (r.status == ReceiptStatus::unfilled)  // not pending any more (the node restarted)
    return intent_status(block->intents[loc.index], "expired", loc.height, r, "expired",
                         "no longer pending on this node (it restarted since block " + std::to_string(loc.height) +
                             "); submit it again if it is still valid");
  return intent_status(block->intents[loc.index], receipt_status_name(r.status), loc.height, r, r.reason, r.message);
}

Result<std::string> NodeCore::get_balance(const PublicKey& account, const std::string& asset) const {
  auto lock = read_lock();
  PACTUM_TRY(known_asset(chain_->state(), asset));
  return amount_to_string(chain_->state().balance(account, asset));
}

Result<nlohmann::json> NodeCore::get_available_balance(const PublicKey& account, const std::string& asset) const {
  auto lock = read_lock();
  PACTUM_TRY(known_asset(chain_->state(), asset));
  const Amount balance = chain_->state().balance(account, asset);
  Amount reserved;
  {
    std::lock_guard pool(mempool_mu_);
    reserved = mempool_.reserved(account, asset);
  }
  const Amount available = balance > reserved ? Amount(balance - reserved) : Amount(0);
  return nlohmann::json{{"balance", amount_to_string(balance)},
                        {"reserved", amount_to_string(reserved)},
                        {"available", amount_to_string(available)}};
}

Result<nlohmann::json> NodeCore::get_balance_proof(const PublicKey& account, const std::string& asset) const {
  auto lock = read_lock();
  PACTUM_TRY(known_asset(chain_->state(), asset));
  // The head header's state root is the root of the state as it is now (the producer
  // computed it before committing), so no rehash is needed under the shared lock.
  const auto proof = chain_->state().prove_balance(account, asset);
  return nlohmann::json{{"account", account.hex()},
                        {"asset", asset},
                        {"balance", amount_to_string(chain_->state().balance(account, asset))},
                        {"height", chain_->height()},
                        {"state_root", chain_->head().state_root.hex()},
                        {"block_hash", head_hash_.hex()},
                        {"proof", proof.to_json()}};
}

Result<nlohmann::json> NodeCore::get_pool(const std::string& x, const std::string& y) const {
  auto lock = read_lock();
  PACTUM_TRY(known_asset(chain_->state(), x, "asset_x"));
  PACTUM_TRY(known_asset(chain_->state(), y, "asset_y"));
  auto pool = chain_->state().pool(x, y);
  if (!pool) return make_error(Errc::unknown_pool, "there is no pool for " + x + "/" + y);
  return pool_json(*pool);
}

nlohmann::json NodeCore::get_pools() const {
  auto lock = read_lock();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : chain_->state().pools()) out.push_back(pool_json(p));
  return out;
}

nlohmann::json NodeCore::get_lending_pools() const {
  auto lock = read_lock();
  nlohmann::json out = nlohmann::json::array();
  const State& state = chain_->state();
  for (const auto& a : chain_->genesis().assets) {
    auto p = state.lending_pool(a.symbol);
    if (!p) continue;
    out.push_back({{"asset", p->asset}, {"reserve", amount_to_string(p->reserve)}, {"fee_bps", p->fee_bps}});
  }
  return out;
}

nlohmann::json NodeCore::get_assets() const {
  // Assets come only from the genesis in this version of the protocol.
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : chain_->genesis().assets) {
    out.push_back({{"symbol", a.symbol}, {"decimals", a.decimals}});
    if (a.burnable) out.back()["burnable"] = true;
  }
  return out;
}

bool NodeCore::nonce_used(const PublicKey& account, std::uint64_t nonce) const {
  auto lock = read_lock();
  return chain_->state().nonce_used(account, nonce);
}

std::vector<Hash32> NodeCore::pending_ids(std::size_t max) const {
  std::lock_guard pool(mempool_mu_);
  return mempool_.pending_ids(max);
}

}  // namespace pactum
