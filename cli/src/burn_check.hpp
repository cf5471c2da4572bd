// The node-fetching half of the controller's burn check (cli_burn_check.cpp); the offline
// half is compute/burn_proof.hpp.
#pragma once
#include <string>

#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"
#include "pactum/compute/burn_proof.hpp"
#include "pactum/compute/issuer.hpp"

namespace pactum::cli {

// The trusted header and producer from --trust-header HEIGHT:HASH (else block 0 of
// --genesis FILE or the embedded devnet genesis, recomputed here), --producer PUBKEY (else
// the genesis producer), --asset (COMPUTE) and --price (1 per unit).
compute::BurnTrust burn_trust(const Args& args);
// The options burn_trust reads, for Args' list of known options.
inline const std::vector<std::string> kBurnTrustOptions = {"trust-header", "genesis", "producer", "asset", "price"};

// Asks the node for the burn's intent (pactum_getIntent), its receipt proof
// (pactum_getReceiptProof) and the headers from trust.height to the burn's block
// (pactum_getBlocks). Nothing it returns is trusted: verify_burn checks it. not_found
// when the node knows no such intent or it is in no block yet.
Result<compute::BurnEvidence> fetch_burn_evidence(client::RpcClient& rpc, const Hash32& burn_id,
                                                  const compute::BurnTrust& trust);

// fetch_burn_evidence + verify_burn against the node at `rpc_url`.
compute::BurnCheck node_burn_check(std::string rpc_url, compute::BurnTrust trust);

int cmd_compute_fetch_burn(const std::vector<std::string>& args);
int cmd_compute_verify_burn(const std::vector<std::string>& args);

}  // namespace pactum::cli
