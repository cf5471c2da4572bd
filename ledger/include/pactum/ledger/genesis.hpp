// Genesis: the chain's block 0, from a JSON file (schema in genesis/README.md and
// docs/PROTOCOL.md). parse_genesis refuses a malformed file naming the field and reason,
// e.g. "pools[1].fee_bps: must be below 10000".
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/crypto.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

struct GenesisAccount {
  PublicKey account;
  std::map<std::string, Amount> balances;
};

struct Genesis {
  std::string chain_id;
  std::uint64_t timestamp = 0;    // ms
  PublicKey producer;             // who signs blocks
  std::vector<AssetInfo> assets;  // "burnable": true sets AssetInfo::burnable
  // Each asset's genesis total: balances, pool reserves and lending reserves. A burnable
  // asset's supply starts here and is a state leaf; any other asset's stays this.
  std::map<std::string, Amount> supply;
  std::vector<Pool> pools;
  std::vector<LendingPool> lending_pools;  // flash-lending pools, at most one per asset
  RoomRules rooms;
  std::vector<GenesisAccount> accounts;  // includes the dev accounts, expanded
  std::uint32_t dev_account_count = 0;   // dev accounts are indices 0..count-1
};

Result<Genesis> parse_genesis(const nlohmann::json& j);
// From the file's text; also reports bad JSON. Same result and errors as parse_genesis,
// but when "assets" precedes "accounts" in the text (as in the files the tools write) the
// accounts are read one at a time, so memory grows with the parsed accounts, not with a
// JSON tree of them.
Result<Genesis> parse_genesis_text(const std::string& text);
// Assets, pools, lending pools, the burnable assets' supply leaves, and the accounts'
// balances.
StateDelta genesis_delta(const Genesis& g);
// Block 0: no intents, state root of the genesis state, zero parent, unsigned.
Block genesis_block(const Genesis& g, const Hash32& state_root);

}  // namespace pactum
