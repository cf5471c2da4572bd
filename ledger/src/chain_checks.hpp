// Checks shared by chain open/append (chain.cpp) and replay (replay.cpp). Internal to
// ledger/.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pactum/ledger/block.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/store.hpp"

namespace pactum::chain_checks {

// "block H: ", the prefix of every error that names a block.
std::string at_block(std::uint64_t h);

// Block 0 and the state it commits to, built from a genesis. The state's leaves are
// computed once, for the tree and for the store; the delta they came from is not kept
// (with a million accounts each of the three is over 100 MB).
struct GenesisState {
  std::vector<std::pair<std::string, std::string>> leaves;
  State state;
  Block block0;
};
GenesisState build_genesis(const Genesis& g);

// The directory must hold this genesis: same chain id and same block 0.
Result<void> check_same_genesis(const Store& store, const Genesis& g, const Block& block0, const std::string& dir);

// Index of the first intent whose signature does not verify. `threads` > 1 splits the
// intents over that many threads (0: every core).
std::optional<std::size_t> first_bad_signature(const std::vector<Intent>& intents, unsigned threads = 0);

// Checks a settlement against its batch: the matcher's contract, not user input.
Result<void> check_settlement(const Settlement& s, std::span<const Intent> batch);

}  // namespace pactum::chain_checks
