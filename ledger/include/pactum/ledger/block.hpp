// Blocks and their JSON encodings (docs/PROTOCOL.md); receipts and settlements are in
// settlement.hpp.
//
// block hash    = tagged_hash("pactum/block/v1", JCS(header without "hash" and "sig"))
// header sig    = BIP-340 signature by the producer over the block hash
// intents_root  = list_root(intent ids, in block order)
// receipts_root = list_root(tagged_hash("pactum/receipt/v1", JCS(receipt)), block order)
// list_root: empty list -> 32 zero bytes; otherwise pair up neighbours level by level
// with tagged_hash("pactum/list/v1", left || right); an odd last element moves up as is.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

struct BlockHeader {
  std::uint64_t height = 0;
  Hash32 parent;                // zero for block 0
  std::uint64_t timestamp = 0;  // milliseconds since the Unix epoch (informational)
  Hash32 state_root;
  Hash32 intents_root;
  Hash32 receipts_root;
  PublicKey producer;
  Signature sig;                   // zero for block 0 (derived from genesis, not signed)
  Hash32 hash() const;             // computed from the fields above except sig
  nlohmann::json to_json() const;  // includes "hash" and "sig"
  static Result<BlockHeader> from_json(const nlohmann::json& j);
};

struct Block {
  BlockHeader header;
  std::vector<Intent> intents;  // the batch, in the order the producer listed it
  std::vector<Price> prices;
  std::vector<AssetPrice> asset_prices;  // the batch's price vector (Settlement::asset_prices)
  std::vector<Receipt> receipts;         // receipts[i] is for intents[i]
  // Blocks whose clearing was picked among solvers' proposals (settlement.hpp): the pools
  // after the swaps ("clearing": {"pools": [...]}) and how the clearing was chosen
  // ("solver"). Replay checks such a block's clearing by the rules instead of searching.
  // Both absent in blocks replayed by re-running the search.
  std::optional<std::vector<PoolReserves>> clearing_pools;
  std::optional<SolverRecord> solver;
  // The clearing this block records (its prices, its receipts' fills, clearing_pools).
  Clearing clearing() const;
  nlohmann::json to_json() const;
  // The members of to_json() outside the header, except "intents" and "receipts" (the
  // store writes those two itself, fast). A new body member goes here.
  nlohmann::json body_members_json() const;
  static Result<Block> from_json(const nlohmann::json& j);  // checks intents decode

  // receipts[i].canonical_json() for every i, written once for a block built here: the
  // stored body, the receipts root and pactum_getBlock each need all of them. Empty for
  // a block read back from the store. Not part of the block's value: a cache that
  // fill_receipt_texts() fills once the receipts are final.
  std::vector<std::string> receipt_texts;
  void fill_receipt_texts();
  // Appends receipts[i]'s canonical JSON (from receipt_texts when filled).
  void append_receipt_json(std::string& out, std::size_t i) const;
};

Hash32 list_root(const std::vector<Hash32>& items);
Hash32 intents_root(const std::vector<Intent>& intents);
Hash32 receipts_root(const std::vector<Receipt>& receipts);
Hash32 receipts_root(const Block& block);  // of block.receipts, from its receipt_texts when filled

}  // namespace pactum
