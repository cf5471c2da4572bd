// Edits a stored block as a damaged or hand-edited disk would, for the tests of replay's
// and the store's checks. Works on a closed data directory (RocksDB allows one opener):
// production code has no such method.
#pragma once
#include <cstdint>
#include <string>

#include "pactum/intents/result.hpp"

namespace pactum::testing {

// Replaces the stored JSON of block `height` in the data directory `dir` with `json` (a
// JSON object: its header members go to the header, the others to the body), synced.
[[nodiscard]] Result<void> overwrite_block_json(const std::string& dir, std::uint64_t height, const std::string& json);

}  // namespace pactum::testing
