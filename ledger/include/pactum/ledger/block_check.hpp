// The checks of one block against the rules, shared by replay (a stored chain, replay.hpp)
// and a follower (blocks received from its leader, node/follower.hpp). A block passes when:
//  - alone (check_block_alone, no state needed, so it runs ahead on other threads): it
//    names the expected height, the genesis producer signed its header, every intent
//    signature verifies and its intents root matches;
//  - on the state at its parent (resettle_block): its batch re-settles (its recorded
//    clearing checked by the rules, never searched; a block without one by re-running the
//    search) to exactly its prices, price vector, receipts and receipts root;
//  - and, once that settlement is applied, the state root equals its header's (replay,
//    and Chain::apply_verified_block for a follower).
// Every error names the block ("block H: ...") and, in Error::field, the rule broken (the
// kRule* names below; a recorded clearing that breaks a rule of the checker gives
// "clearing." + the checker's code, e.g. "clearing.limit").
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/intents/result.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

namespace block_rule {
inline constexpr std::string_view kHeight = "height";               // not the height that extends the chain
inline constexpr std::string_view kProducer = "producer";           // not the genesis producer
inline constexpr std::string_view kProducerSig = "producer_sig";    // the header signature does not verify
inline constexpr std::string_view kIntentSig = "intent_sig";        // an intent signature does not verify
inline constexpr std::string_view kIntentsRoot = "intents_root";    // differs from the intents' ids
inline constexpr std::string_view kParent = "parent";               // does not link to the previous block
inline constexpr std::string_view kClearing = "clearing";           // the recorded clearing breaks a rule
inline constexpr std::string_view kSettlement = "settlement";       // the settlement does not fit the batch
inline constexpr std::string_view kPrices = "prices";               // differ from the re-settled ones
inline constexpr std::string_view kAssetPrices = "asset_prices";    // the price vector differs
inline constexpr std::string_view kReceipt = "receipt";             // a receipt differs
inline constexpr std::string_view kReceiptsRoot = "receipts_root";  // differs from the receipts
inline constexpr std::string_view kStateRoot = "state_root";        // the state after the block differs
inline constexpr std::string_view kHeaderHash = "header_hash";      // a stated "hash" is not the header's
inline constexpr std::string_view kDecode = "decode";               // the block JSON does not decode
}  // namespace block_rule

// "block H: ", the prefix of every error that names a block.
std::string at_block(std::uint64_t height);

// The checks that need no state. `threads`: the intent signatures are split over that
// many threads (0: every core; replay's workers pass 1, they run side by side already).
// Errors have code `code` (replay: storage).
Result<void> check_block_alone(const Genesis& genesis, const Block& block, std::uint64_t height, bool check_intents,
                               unsigned threads, Errc code = Errc::storage);

// Re-settles `block` on `state` (the state after its parent) and compares everything the
// block commits to but the state root. Returns the settlement (equal to the block's) and
// sets `ctx` to the block's context. Blocks that record a clearing need `verify`; blocks
// without one are re-settled by `settle`.
Result<Settlement> resettle_block(const StateView& state, const Block& block, const Genesis& genesis,
                                  const SettleFn& settle, const VerifyFn& verify, BlockContext& ctx,
                                  Errc code = Errc::storage);

}  // namespace pactum
