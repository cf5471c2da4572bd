// Checks shared by chain open/append (chain.cpp) and replay (replay.cpp). Internal to
// ledger/.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pactum/ledger/block.hpp"
#include "pactum/ledger/block_check.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/store.hpp"

namespace pactum::chain_checks {

// What a running chain (or a replay) needs of its genesis: identity, producer, assets,
// pools, room rules, dev account count. Not the funded accounts, which only block 0's
// state needs (most of a gigabyte with a million of them).
Genesis without_accounts(const Genesis& g);

// Block 0 and the state it commits to, built from a genesis.
struct GenesisState {
  State state;
  Block block0;
};
using Leaves = std::vector<std::pair<std::string, std::string>>;
using LeafSink = std::function<Result<void>(const Leaves&)>;
// Builds the state in pieces of `piece` accounts, each handed to `sink` (if any) for the
// store and then dropped, and frees each account's balances once they are in the state:
// with a million accounts, neither a delta nor the leaves of the whole genesis exist at
// once beside the state (each is over 100 MB). The root does not depend on `piece`.
Result<GenesisState> build_genesis(Genesis g, const LeafSink& sink = nullptr, std::size_t piece = 65536);

// The directory must hold this genesis: same chain id and same block 0.
Result<void> check_same_genesis(const Store& store, const Genesis& g, const Block& block0, const std::string& dir);

// Index of the first intent whose signature does not verify. `threads` > 1 splits the
// intents over that many threads (0: every core).
std::optional<std::size_t> first_bad_signature(const std::vector<Intent>& intents, unsigned threads = 0);

// Checks a settlement against its batch: the matcher's contract, not user input.
Result<void> check_settlement(const Settlement& s, std::span<const Intent> batch);

}  // namespace pactum::chain_checks
