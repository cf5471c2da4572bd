// pactum_simulateBundle, in the way of Flashbots' eth_callBundle: runs a bundle with the
// same run_bundle the matcher uses, against the head state ("latest") or against the
// state after the pending batch would settle ("pending": bundles run after the batch,
// docs/MECHANISMS.md), under the shared chain lock, and commits nothing. Signatures are
// optional so that an agent can simulate before collecting its co-signers; those given
// must verify, and the answer lists the accounts whose signature is still missing.
#include <set>

#include "pactum/matcher/bundles.hpp"
#include "pactum/node/node_core.hpp"
#include "unsigned_defaults.hpp"

namespace pactum {

namespace {

using nlohmann::json;

std::string signed_decimal(const BigInt& v) { return v < 0 ? "-" + BigInt(-v).str() : v.str(); }

json run_json(const Intent& bundle, const BundleRun& run, const std::vector<PublicKey>& missing) {
  json steps = json::array();
  for (const BundleStepResult& s : run.steps) {
    steps.push_back({{"index", s.index},
                     {"op", step_op_name(s.op)},
                     {"ok", s.ok},
                     {"error", s.error},
                     {"message", s.message},
                     {"amount_out", amount_to_string(s.amount_out)}});
  }
  json changes = json::array();
  for (const auto& [key, change] : run.changes)
    changes.push_back({{"account", key.account.hex()}, {"asset", key.asset}, {"change", signed_decimal(change)}});
  json missing_json = json::array();
  for (const PublicKey& k : missing) missing_json.push_back(k.hex());
  return json{
      {"id", bundle.id.hex()},         {"ok", run.ok},
      {"reason", run.reason},          {"failed_step", run.failed_step ? json(*run.failed_step) : json(nullptr)},
      {"message", run.message},        {"steps", std::move(steps)},
      {"changes", std::move(changes)}, {"missing_signatures", std::move(missing_json)}};
}

}  // namespace

Result<json> NodeCore::simulate_bundle(const json& bundle_json, const std::string& at) const {
  if (!bundle_json.is_object())
    return make_error(Errc::invalid_params, "bundle: must be a JSON object (a bundle, signed or not)", "bundle");
  if (at != "latest" && at != "pending")
    return make_error(Errc::invalid_params, "state: must be \"latest\" or \"pending\"", "state");
  json j = bundle_json;
  if (auto kind = j.find("kind"); kind != j.end() && *kind != "bundle")
    return make_error(Errc::invalid_params, "kind: pactum_simulateBundle runs bundles only", "kind");

  std::lock_guard one_block(produce_mu_);  // next_block_locked; before the chain lock
  auto lock = read_lock();
  const State& head = chain_->state();
  const std::uint64_t next_height = chain_->height() + 1;
  PACTUM_TRY(fill_unsigned_defaults(j, chain_id_, next_height, head, {}));  // pending intents not looked at
  PACTUM_ASSIGN(decoded, decode_intent(j, /*require_sig=*/false));
  const Intent intent = std::move(decoded);
  const Bundle* bundle = intent.bundle();
  if (!bundle) return make_error(Errc::invalid_params, "kind: pactum_simulateBundle runs bundles only", "kind");
  if (intent.chain != chain_id_)
    return make_error(Errc::wrong_chain, "chain: this node's chain is " + chain_id_ + ", not " + intent.chain, "chain");

  // Signatures: the ones given must verify; the ones still missing are listed.
  std::set<PublicKey> signed_by;
  if (j.contains("sig")) {
    if (!verify(intent.signer, intent.id, intent.sig))
      return make_error(
          Errc::bad_signature,
          "sig: signature does not verify for signer " + intent.signer.hex() + " and digest " + intent.id.hex(), "sig");
    signed_by.insert(intent.signer);
  }
  for (std::size_t i = 0; i < bundle->cosigs.size(); ++i) {
    const CoSignature& c = bundle->cosigs[i];
    if (!verify(c.account, intent.id, c.sig)) {
      const std::string f = "cosigs[" + std::to_string(i) + "].sig";
      return make_error(
          Errc::bad_signature,
          f + ": signature does not verify for account " + c.account.hex() + " and digest " + intent.id.hex(), f);
    }
    signed_by.insert(c.account);
  }
  std::vector<PublicKey> missing;
  if (!signed_by.count(intent.signer)) missing.push_back(intent.signer);
  for (const PublicKey& m : bundle->movers)
    if (m != intent.signer && !signed_by.count(m)) missing.push_back(m);

  json out;
  if (at == "latest") {
    out = run_json(intent, run_bundle(head, intent), missing);
  } else {
    NextBlock next = next_block_locked(chain_->head().timestamp);
    std::vector<Intent>& batch = next.batch;
    // The simulated bundle itself may be pending already: it runs once, below.
    std::erase_if(batch, [&](const Intent& in) { return in.id == intent.id; });
    // The pending batch settles first, with all its bundles; this bundle runs after them
    // (an approximation: in a block it would run among them in ascending id).
    const Settlement settlement = (opts_.estimate ? opts_.estimate : settle_)(head, batch, next.ctx);
    OverlayState after(head);
    after.apply(settlement.delta);
    out = run_json(intent, run_bundle(after, intent), missing);
    out["batch"] = batch.size();
  }
  out["state"] = at;
  out["height"] = next_height;
  out["nonce"] = intent.nonce;
  if (head.nonce_used(intent.signer, intent.nonce)) {
    out["warning"] = "nonce " + std::to_string(intent.nonce) +
                     " of the signer is already used: submitting this "
                     "bundle would be refused (nonce_used)";
  }
  return out;
}

}  // namespace pactum
