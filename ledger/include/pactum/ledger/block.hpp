// Blocks, receipts and settlements, and their JSON encodings (docs/PROTOCOL.md).
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
#include "pactum/ledger/state.hpp"

namespace pactum {

// A clearing price: 1 unit of base is worth num/den units of quote (exact rational,
// reduced, den > 0). base < quote in byte order.
struct Price {
  std::string base;
  std::string quote;
  BigInt num;
  BigInt den;
  bool operator==(const Price&) const = default;
  nlohmann::json to_json() const;
  static Result<Price> from_json(const nlohmann::json& j);
};

enum class ReceiptStatus {
  settled,    // executed (fully, or partly when the swap allowed it: see `fill`)
  unfilled,   // a swap that did not fill in this block; stays pending until valid_until
  rejected,   // final: will never execute (reason says why); the nonce stays free
  cancelled,  // final: a cancel of the same signer in this block named it; nonce used
};
std::string_view receipt_status_name(ReceiptStatus s);

struct Receipt {
  Hash32 intent;
  ReceiptStatus status = ReceiptStatus::rejected;
  std::string reason;   // machine code ("" when settled in full): limit_not_reached, ...
  std::string message;  // a sentence a person can act on
  std::string sold_asset;   // transfer: the asset sent; swap: sell_asset
  Amount sold = 0;
  std::string bought_asset; // swap: buy_asset; transfer: ""
  Amount bought = 0;
  std::optional<Price> price;  // swaps: the pair's clearing price in this block
  bool partial_fill = false;   // settled swap that filled less than its full size
  // Commitments: the intents the condition was about (for a failed one, those that did
  // not settle or that matched a negated pattern). Absent from the JSON when empty.
  std::vector<Hash32> related;
  // Bundles: the 0-based index of the step that failed. Absent from the JSON when unset.
  std::optional<std::uint32_t> step;
  bool operator==(const Receipt&) const = default;
  nlohmann::json to_json() const;
  static Result<Receipt> from_json(const nlohmann::json& j);
  Hash32 hash() const;
  // JCS(to_json()), written directly (the block store keeps receipts in this form too).
  std::string canonical_json() const;
};

// One entry of a batch's price vector: 1 unit of `asset` is worth num/den units of the
// batch's numeraire (exact rational, reduced, den > 0). Every trade between assets A and
// B in the batch happens at price(A)/price(B), in both directions.
struct AssetPrice {
  std::string asset;
  BigInt num;
  BigInt den;
  bool operator==(const AssetPrice&) const = default;
  nlohmann::json to_json() const;  // {"asset","num","den"}, num and den decimal strings
  static Result<AssetPrice> from_json(const nlohmann::json& j);
};

// What the matcher returns for a batch.
struct Settlement {
  std::vector<Price> prices;      // one per traded pair, sorted by (base, quote)
  // The batch's price vector over the assets that traded, sorted by asset (see
  // docs/MECHANISMS.md for the numeraire). Empty when nothing traded.
  std::vector<AssetPrice> asset_prices;
  std::vector<Receipt> receipts;  // one per intent, in batch order
  StateDelta delta;
};

struct BlockHeader {
  std::uint64_t height = 0;
  Hash32 parent;             // zero for block 0
  std::uint64_t timestamp = 0;  // milliseconds since the Unix epoch (informational)
  Hash32 state_root;
  Hash32 intents_root;
  Hash32 receipts_root;
  PublicKey producer;
  Signature sig;             // zero for block 0 (derived from genesis, not signed)
  Hash32 hash() const;       // computed from the fields above except sig
  nlohmann::json to_json() const;  // includes "hash" and "sig"
  static Result<BlockHeader> from_json(const nlohmann::json& j);
};

struct Block {
  BlockHeader header;
  std::vector<Intent> intents;    // the batch, in the order the producer listed it
  std::vector<Price> prices;
  std::vector<AssetPrice> asset_prices;  // the batch's price vector (Settlement::asset_prices)
  std::vector<Receipt> receipts;  // receipts[i] is for intents[i]
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
