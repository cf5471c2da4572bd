// pactum_quote: what a swap would receive if it joined the pending batch now. The node
// settles (with the same settle function the producer uses) the batch the producer would
// take next plus the quoted swap, on the head state, under the shared chain lock, and
// commits nothing. The swap needs no signature; chain, valid_until and nonce may be
// left out (this chain, the next height, the signer's smallest nonce that is neither
// used nor pending in the batch).
#include <set>

#include "pactum/node/node_core.hpp"
#include "unsigned_defaults.hpp"

namespace pactum {

namespace {

using nlohmann::json;

json asset_prices_json(const std::vector<AssetPrice>& prices) {
  json out = json::array();
  for (const auto& p : prices) out.push_back({{"asset", p.asset}, {"num", p.num.str()}, {"den", p.den.str()}});
  return out;
}

// The smallest nonce of `signer` not used on chain and not taken by an intent of the batch.
std::uint64_t free_nonce(const StateView& state, const std::vector<Intent>& batch, const PublicKey& signer) {
  std::set<std::uint64_t> taken;
  for (const auto& in : batch)
    if (in.signer == signer) taken.insert(in.nonce);
  std::uint64_t n = 0;
  while (n < kMaxSafeInteger && (taken.count(n) || state.nonce_used(signer, n))) ++n;
  return n;
}

}  // namespace

Result<void> fill_unsigned_defaults(json& j, const std::string& chain_id, std::uint64_t next_height,
                                    const StateView& state, const std::vector<Intent>& batch) {
  if (!j.contains("chain")) j["chain"] = chain_id;
  if (!j.contains("valid_until")) j["valid_until"] = next_height;
  if (j.contains("nonce")) return {};
  auto signer_it = j.find("signer");
  if (signer_it == j.end() || !signer_it->is_string())
    return make_error(Errc::invalid_params, "signer: missing required field", "signer");
  PACTUM_ASSIGN(signer, PublicKey::from_hex(signer_it->get<std::string>(), "signer"));
  j["nonce"] = free_nonce(state, batch, signer);
  return {};
}

Result<json> NodeCore::quote_swap(const json& unsigned_swap) const {
  if (!unsigned_swap.is_object())
    return make_error(Errc::invalid_params, "intent: must be a JSON object (an unsigned swap)", "intent");
  json j = unsigned_swap;
  j.erase("sig");  // a signed swap is quoted the same way
  if (auto kind = j.find("kind"); kind != j.end() && *kind != "swap")
    return make_error(Errc::invalid_params, "kind: pactum_quote quotes swaps only", "kind");

  std::lock_guard one_block(produce_mu_);
  auto lock = read_lock();
  const State& state = chain_->state();
  const std::uint64_t next_height = chain_->height() + 1;
  NextBlock next = next_block_locked(chain_->head().timestamp);
  std::vector<Intent>& batch = next.batch;
  PACTUM_TRY(fill_unsigned_defaults(j, chain_id_, next_height, state, batch));
  PACTUM_ASSIGN(decoded, decode_intent(j, /*require_sig=*/false));
  Intent intent = std::move(decoded);
  if (!intent.swap()) return make_error(Errc::invalid_params, "kind: pactum_quote quotes swaps only", "kind");
  if (intent.chain != chain_id_)
    return make_error(Errc::wrong_chain, "chain: this node's chain is " + chain_id_ + ", not " + intent.chain, "chain");
  const Swap swap = *intent.swap();
  for (const char* field : {"sell_asset", "buy_asset"}) {
    const std::string& asset = std::string_view(field) == "sell_asset" ? swap.sell_asset : swap.buy_asset;
    if (!state.asset(asset))
      return make_error(Errc::unknown_asset, std::string(field) + ": unknown asset " + asset, field);
  }

  // The same swap may already be pending: then its own place in the batch is quoted.
  std::size_t index = batch.size();
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].id == intent.id) index = i;
  const std::uint64_t nonce = intent.nonce;
  if (index == batch.size()) batch.push_back(std::move(intent));
  const Settlement settlement = (opts_.estimate ? opts_.estimate : settle_)(state, batch, next.ctx);
  const Receipt& r = settlement.receipts.at(index);
  return json{{"would_fill", r.status == ReceiptStatus::settled},
              {"status", receipt_status_name(r.status)},
              {"sell_asset", swap.sell_asset},
              {"buy_asset", swap.buy_asset},
              {"sold", amount_to_string(r.sold)},
              {"bought", amount_to_string(r.bought)},
              {"price", r.price ? r.price->to_json() : json(nullptr)},
              {"partial", r.partial_fill},
              {"reason", r.reason},
              {"message", r.message},
              {"asset_prices", asset_prices_json(settlement.asset_prices)},
              {"height", next_height},
              {"nonce", nonce},
              {"batch", batch.size()}};
}

}  // namespace pactum
