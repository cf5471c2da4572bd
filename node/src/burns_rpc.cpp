// pactum_getSupply and pactum_getBurns (docs/PROTOCOL.md, "Burns and supply").
#include "pactum/ledger/receipt_proof.hpp"
#include "pactum/node/node_core.hpp"

namespace pactum {

using nlohmann::json;

Result<json> NodeCore::get_supply(const std::string& asset) const {
  auto lock = read_lock();
  const State& state = chain_->state();
  const auto info = state.asset(asset);
  if (!info) return make_error(Errc::unknown_asset, "asset: unknown asset " + asset, "asset");
  const auto& genesis_supply = chain_->genesis().supply;
  const auto g = genesis_supply.find(asset);
  const Amount at_genesis = g == genesis_supply.end() ? Amount(0) : g->second;
  json out = {{"asset", asset},
              {"burnable", info->burnable},
              {"genesis_supply", amount_to_string(at_genesis)},
              {"height", chain_->height()},
              {"state_root", chain_->head().state_root.hex()}};
  // Any other asset's supply never changes (the conservation rule): its genesis total.
  Amount supply = at_genesis;
  if (info->burnable) {
    supply = state.supply(asset).value_or(Amount(0));
    out["proof"] = state.prove(supply_key(asset)).to_json();
  }
  out["supply"] = amount_to_string(supply);
  out["burned"] = amount_to_string(at_genesis > supply ? Amount(at_genesis - supply) : Amount(0));
  return out;
}

Result<json> NodeCore::get_burns(const BurnFilter& f) const {
  auto lock = read_lock();
  if (f.asset && !chain_->state().asset(*f.asset))
    return make_error(Errc::unknown_asset, "asset: unknown asset " + *f.asset, "asset");
  if (f.to && *f.to < f.from) return make_error(Errc::invalid_params, "to: must not be below from", "to");
  std::lock_guard index(burns_mu_);
  // Blocks are final once committed: read each new one once.
  for (std::uint64_t h = burns_scanned_ + 1; h <= chain_->height(); ++h) {
    auto block = block_at_locked(h);
    if (!block) return make_error(Errc::storage, "block " + std::to_string(h) + " could not be read");
    for (std::size_t i = 0; i < block->intents.size() && i < block->receipts.size(); ++i) {
      const Burn* b = block->intents[i].burn();
      if (!b || block->receipts[i].status != ReceiptStatus::settled) continue;
      burns_.push_back({h, block->intents[i].id, block->intents[i].signer, b->asset, b->amount, b->request});
    }
    burns_scanned_ = h;
  }
  json list = json::array();
  std::size_t matched = 0;
  auto first = std::lower_bound(burns_.begin(), burns_.end(), f.from,
                                [](const BurnRecord& r, std::uint64_t h) { return r.height < h; });
  for (auto it = first; it != burns_.end(); ++it) {
    const BurnRecord& r = *it;
    if (f.to && r.height > *f.to) break;
    if ((f.account && r.account != *f.account) || (f.asset && r.asset != *f.asset)) continue;
    if (matched++ < f.offset || list.size() >= f.limit) continue;
    list.push_back({{"height", r.height},
                    {"intent", r.intent.hex()},
                    {"account", r.account.hex()},
                    {"asset", r.asset},
                    {"amount", amount_to_string(r.amount)},
                    {"request", r.request.hex()}});
  }
  return json{{"burns", std::move(list)}, {"total", matched}, {"head", chain_->height()}};
}

Result<json> NodeCore::get_receipt_proof(std::uint64_t height, const Hash32& id) const {
  auto lock = read_lock();
  if (height == 0 || height > chain_->height())
    return make_error(Errc::not_found, "block: no block " + std::to_string(height) + " with receipts", "block");
  auto block = block_at_locked(height);
  if (!block) return make_error(Errc::storage, "block " + std::to_string(height) + " could not be read");
  std::vector<Hash32> hashes;
  hashes.reserve(block->receipts.size());
  std::optional<std::size_t> at;
  for (std::size_t i = 0; i < block->receipts.size(); ++i) {
    hashes.push_back(block->receipts[i].hash());
    if (!at && block->receipts[i].intent == id) at = i;
  }
  if (!at)
    return make_error(Errc::not_found, "intent: block " + std::to_string(height) + " holds no receipt of " + id.hex(),
                      "intent");
  return json{{"block", height},
              {"header", block->header.to_json()},
              {"receipt", block->receipts[*at].to_json()},
              {"proof", prove_receipt(hashes, *at).to_json()}};
}

}  // namespace pactum
