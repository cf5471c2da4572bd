// The controller's offline check of a burn (burn_proof.hpp).
#include "pactum/compute/burn_proof.hpp"

#include "pactum/intents/field_reader.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::compute {

namespace {

constexpr FieldReader kReader(Errc::invalid_params);

Error refuse(const std::string& field, const std::string& what) {
  return make_error(Errc::burn_invalid, field + ": " + what, field);
}

// headers[0] is the trusted header; each next one links to the one before and carries the
// producer's signature.
Result<void> check_headers(const std::vector<BlockHeader>& headers, const BurnTrust& trust) {
  if (headers.empty())
    return refuse("headers", "empty: the trusted header and those up to the burn's block are needed");
  if (headers[0].height != trust.height || headers[0].hash() != trust.hash)
    return refuse("headers[0]", "height " + std::to_string(headers[0].height) + ", hash " + headers[0].hash().hex() +
                                    " is not the trusted header " + std::to_string(trust.height) + ":" +
                                    trust.hash.hex());
  for (std::size_t i = 1; i < headers.size(); ++i) {
    const BlockHeader& h = headers[i];
    const std::string at = "headers[" + std::to_string(i) + "]";
    if (h.producer != trust.producer || !verify(trust.producer, h.hash(), h.sig))
      return make_error(
          Errc::bad_signature,
          at + ": block " + std::to_string(h.height) + " is not signed by the producer " + trust.producer.hex(), at);
    auto linked = verify_header_chain(headers[i - 1], std::span(&h, 1), trust.producer);
    if (!linked) {
      std::string why = linked.error().message;
      if (why.rfind("headers[0]: ", 0) == 0) why.erase(0, 12);
      return refuse(at, "block " + std::to_string(h.height) + ": " + why);
    }
  }
  return {};
}

// The burn pays for exactly this claim: its request names the core, units and nonce, and
// it destroyed at least units * price of the asset.
Result<void> check_terms(const Burn& burn, const Amount& destroyed, const BurnClaim& claim, const BurnTrust& trust) {
  if (burn.asset != trust.asset) return refuse("asset", "the burn destroyed " + burn.asset + ", not " + trust.asset);
  if (burn.request != compute_request_hash(claim.core, claim.units, claim.request_nonce)) {
    const bool whole = trust.price_per_unit != 0 && destroyed % trust.price_per_unit == 0;
    const Amount paid_units = whole ? Amount(destroyed / trust.price_per_unit) : Amount(0);
    if (whole && paid_units <= Amount(UINT64_MAX) &&
        burn.request == compute_request_hash(claim.core, static_cast<std::uint64_t>(paid_units), claim.request_nonce))
      return refuse("units", "units mismatch: the burn's request is for " + amount_to_string(paid_units) +
                                 " units, the permit asks for " + std::to_string(claim.units));
    return make_error(Errc::wrong_core,
                      "request: the burn's request " + burn.request.hex() + " is not compute_request_hash(core " +
                          claim.core.hex() + ", units " + std::to_string(claim.units) + ", nonce " +
                          std::to_string(claim.request_nonce) +
                          "): the burn was made for another core (or another request nonce)",
                      "request");
  }
  const Amount cost = Amount(claim.units) * trust.price_per_unit;
  if (destroyed < cost)
    return refuse("amount", "the burn destroyed " + amount_to_string(destroyed) + " " + trust.asset + "; " +
                                std::to_string(claim.units) + " units cost " + amount_to_string(cost));
  return {};
}

}  // namespace

nlohmann::json BurnEvidence::to_json() const {
  nlohmann::json hs = nlohmann::json::array();
  for (const BlockHeader& h : headers) hs.push_back(h.to_json());
  return {{"intent", intent},
          {"block", block},
          {"receipt", receipt.to_json()},
          {"proof", proof.to_json()},
          {"headers", std::move(hs)}};
}

Result<BurnEvidence> BurnEvidence::from_json(const nlohmann::json& j) {
  PACTUM_TRY(kReader.object_with(j, "", {"intent", "block", "receipt", "proof", "headers"}));
  BurnEvidence e;
  PACTUM_ASSIGN(intent, kReader.member(j, "", "intent"));
  e.intent = *intent;
  PACTUM_ASSIGN(block, kReader.uint(j, "", "block", kMaxSafeInteger));
  e.block = block;
  PACTUM_ASSIGN(receipt_json, kReader.member(j, "", "receipt"));
  PACTUM_ASSIGN(receipt, Receipt::from_json(*receipt_json));
  e.receipt = std::move(receipt);
  PACTUM_ASSIGN(proof_json, kReader.member(j, "", "proof"));
  PACTUM_ASSIGN(proof, ReceiptProof::from_json(*proof_json));
  e.proof = std::move(proof);
  PACTUM_ASSIGN(headers, kReader.member(j, "", "headers"));
  if (!headers->is_array()) return kReader.fail("headers", "must be an array of block headers");
  for (std::size_t i = 0; i < headers->size(); ++i) {
    auto h = BlockHeader::from_json((*headers)[i]);
    if (!h) return kReader.fail("headers[" + std::to_string(i) + "]", h.error().message);
    e.headers.push_back(std::move(*h));
  }
  return e;
}

Result<VerifiedBurn> verify_burn(const BurnEvidence& e, const BurnClaim& claim, const BurnTrust& trust) {
  PACTUM_TRY(check_headers(e.headers, trust));
  const BlockHeader& at = e.headers.back();
  if (at.height != e.block)
    return refuse("block", "the headers end at height " + std::to_string(at.height) + ", the burn is in block " +
                               std::to_string(e.block));
  auto included = verify_receipt_proof(at, e.receipt, e.proof);
  if (!included) return refuse("proof", "forged proof: " + included.error().message);
  if (e.receipt.intent != claim.burn_id)
    return refuse("receipt.intent",
                  "the proof is of intent " + e.receipt.intent.hex() + ", not of the burn " + claim.burn_id.hex());
  auto intent = decode_verified_intent(e.intent);
  if (!intent) return refuse("intent", intent.error().message);
  if (intent->id != e.receipt.intent)
    return refuse("intent", "hashes to " + intent->id.hex() + ", the receipt names " + e.receipt.intent.hex());
  const Burn* burn = intent->burn();
  if (burn == nullptr) return refuse("intent", "kind " + std::string(intent->kind()) + ", not burn");
  if (e.receipt.status != ReceiptStatus::settled)
    return refuse("receipt.status", "the burn was not settled: " + std::string(receipt_status_name(e.receipt.status)) +
                                        " (" + e.receipt.reason + ")");
  if (e.receipt.sold_asset != burn->asset || e.receipt.sold != burn->amount)
    return refuse("receipt.sold", "the settled receipt destroyed " + amount_to_string(e.receipt.sold) + " " +
                                      e.receipt.sold_asset + ", the intent " + amount_to_string(burn->amount) + " " +
                                      burn->asset);
  PACTUM_TRY(check_terms(*burn, e.receipt.sold, claim, trust));
  return VerifiedBurn{intent->signer, e.receipt.sold, e.block};
}

}  // namespace pactum::compute
