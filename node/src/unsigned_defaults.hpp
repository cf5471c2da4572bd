// Internal to node/: what an unsigned intent that is quoted (pactum_quote) or simulated
// (pactum_simulateBundle) may leave out, filled as docs/PROTOCOL.md says: chain = this
// node's, valid_until = the next height, nonce = the signer's smallest nonce neither used on
// chain nor taken by an intent of `batch`.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

Result<void> fill_unsigned_defaults(nlohmann::json& j, const std::string& chain_id, std::uint64_t next_height,
                                    const StateView& state, const std::vector<Intent>& batch);

}  // namespace pactum
