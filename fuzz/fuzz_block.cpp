// fuzz_block: the decoders replay and startup run on what the store gives back
// (ledger/include/pactum/ledger/block.hpp, state.hpp, state_tree.hpp, ledger/src/body_files.hpp).
//  - the input as a stored block: parsed as Store::block_at parses it (nlohmann, no
//    exceptions), then Block::from_json, and for an accepted block what replay computes
//    (intents root, receipts root, header hash, signatures);
//  - the same document as a header, a receipt, a price, an asset price, a state proof;
//  - the raw bytes as a body locator (BodyLocator::decode) and as a state leaf
//    (add_leaf_to_delta: first byte = key length, then key, then value).
// Round trips: to_json of a decoded block, header or receipt decodes to the same value;
// a receipt's hand-written canonical JSON (Receipt::canonical_json) is RFC 8785 of its
// to_json(). Errors of these decoders reach RPC answers (a stored block that does not
// decode is a storage error of pactum_getBlock), so their text is written as JSON.
#include <string>

#include "body_files.hpp"
#include "common.hpp"
#include "pactum/intents/jcs.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/state_tree.hpp"

using namespace pactum;
using namespace pactum::fuzz;
using nlohmann::json;

namespace {

void check_receipt(const Receipt& r) {
  const json j = r.to_json();
  const std::string text = dump(j);
  auto again = Receipt::from_json(j);
  FUZZ_CHECK(again.ok(), "Receipt::to_json does not decode: %s", again.error().message.c_str());
  FUZZ_CHECK(*again == r, "Receipt round trip changed the receipt: %s", text.c_str());
  auto jcs = canonicalize(j);
  FUZZ_CHECK(jcs.ok(), "a receipt's JSON does not canonicalize");
  FUZZ_CHECK(r.canonical_json() == *jcs, "Receipt::canonical_json differs from JCS(to_json()):\n  %s\n  %s",
             r.canonical_json().c_str(), jcs->c_str());
  (void)r.hash();
}

void check_block(Block& b) {
  // What replay does with a decoded block (ledger/src/replay.cpp, load_and_check).
  (void)b.header.hash();
  (void)verify(b.header.producer, b.header.hash(), b.header.sig);
  (void)intents_root(b.intents);
  for (const Intent& in : b.intents) (void)verify_intent(in);
  (void)receipts_root(b);
  for (const Receipt& r : b.receipts) check_receipt(r);
  const json j = b.to_json();
  (void)dump(j);
  auto again = Block::from_json(j);
  FUZZ_CHECK(again.ok(), "Block::to_json does not decode: %s", again.error().message.c_str());
  FUZZ_CHECK(again->to_json() == j, "Block round trip changed the block");
  FUZZ_CHECK(again->header.hash() == b.header.hash(), "Block round trip changed the hash");
  b.fill_receipt_texts();
  FUZZ_CHECK(receipts_root(b) == receipts_root(b.receipts), "receipts root from texts differs");
}

void leaf(std::string_view raw) {
  if (raw.empty()) return;
  const std::size_t n = static_cast<unsigned char>(raw[0]) % raw.size();
  const std::string_view key = raw.substr(1, n);
  const std::string_view value = raw.substr(1 + n > raw.size() ? raw.size() : 1 + n);
  StateDelta delta;
  auto r = add_leaf_to_delta(key, value, delta);
  use_result(r);
  if (r.ok()) {
    (void)delta.leaves();
    State s;
    s.apply(delta);
    (void)s.root();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_view(data, size);
  (void)BodyLocator::decode(text);
  leaf(text);

  auto j = parse_json(text);
  if (!j) return 0;
  auto block = Block::from_json(*j);
  use_result(block);
  if (block.ok()) check_block(*block);

  auto header = BlockHeader::from_json(*j);
  use_result(header);
  if (header.ok()) {
    const json hj = header->to_json();
    auto again = BlockHeader::from_json(hj);
    FUZZ_CHECK(again.ok(), "BlockHeader::to_json does not decode: %s", again.error().message.c_str());
    FUZZ_CHECK(again->hash() == header->hash(), "BlockHeader round trip changed the hash");
  }
  auto receipt = Receipt::from_json(*j);
  use_result(receipt);
  if (receipt.ok()) check_receipt(*receipt);

  auto price = Price::from_json(*j);
  use_result(price);
  if (price.ok()) (void)dump(price->to_json());
  auto asset_price = AssetPrice::from_json(*j);
  use_result(asset_price);
  if (asset_price.ok()) (void)dump(asset_price->to_json());

  auto proof = StateProof::from_json(*j);
  use_result(proof);
  if (proof.ok()) {
    Hash32 root;
    if (j->is_object()) {
      if (auto it = j->find("root"); it != j->end() && it->is_string()) {
        if (auto h = Hash32::from_hex(it->get_ref<const std::string&>()); h.ok()) root = *h;
      }
    }
    (void)verify_state_proof(root, *proof);
    auto again = StateProof::from_json(proof->to_json());
    FUZZ_CHECK(again.ok(), "StateProof::to_json does not decode: %s", again.error().message.c_str());
  }
  return 0;
}
