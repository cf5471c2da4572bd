// The checks of one block (block_check.hpp), for replay and followers alike. The messages
// are the ones replay has always printed; the rule goes in Error::field.
#include "pactum/ledger/block_check.hpp"

#include "chain_checks.hpp"

namespace pactum {

using namespace chain_checks;

std::string at_block(std::uint64_t height) { return "block " + std::to_string(height) + ": "; }

namespace {
Error broken(Errc code, std::uint64_t height, const std::string& what, std::string_view rule) {
  return make_error(code, at_block(height) + what, std::string(rule));
}
}  // namespace

Result<void> check_block_alone(const Genesis& genesis, const Block& b, std::uint64_t height, bool check_intents,
                               unsigned threads, Errc code) {
  const BlockHeader& h = b.header;
  if (h.height != height)
    return broken(code, height, "header says height " + std::to_string(h.height), block_rule::kHeight);
  if (!(h.producer == genesis.producer))
    return broken(code, height, "producer is not the genesis producer", block_rule::kProducer);
  if (!verify(h.producer, h.hash(), h.sig))
    return broken(code, height, "producer signature does not verify", block_rule::kProducerSig);
  if (check_intents) {
    if (auto bad = first_bad_signature(b.intents, threads)) {
      return broken(
          code, height,
          "signature of intent " + std::to_string(*bad) + " (" + b.intents[*bad].id.hex() + ") does not verify",
          block_rule::kIntentSig);
    }
  }
  if (!(intents_root(b.intents) == h.intents_root))
    return broken(code, height, "intents root differs", block_rule::kIntentsRoot);
  return {};
}

namespace {

// The recorded clearing checked by the rules, or the search re-run for a block without one.
Result<Settlement> settle_again(const StateView& state, const Block& b, const SettleFn& settle, const VerifyFn& verify,
                                const BlockContext& ctx, Errc code) {
  const std::uint64_t height = b.header.height;
  if (!b.clearing_pools) return settle(state, std::span<const Intent>(b.intents), ctx);
  if (!verify)
    return broken(code, height, "records a clearing, but replay was given no rules to check it", block_rule::kClearing);
  auto checked = verify(state, std::span<const Intent>(b.intents), ctx, b.clearing());
  if (checked) return checked;
  const Error& e = checked.error();
  const std::string rule = std::string(block_rule::kClearing) + (e.field.empty() ? "" : "." + e.field);
  // A replay keeps the rules' own code (clearing_invalid), as it always printed.
  return make_error(code == Errc::storage ? e.code : code, at_block(height) + e.message, rule);
}

}  // namespace

Result<Settlement> resettle_block(const StateView& state, const Block& b, const Genesis& genesis,
                                  const SettleFn& settle, const VerifyFn& verify, BlockContext& ctx, Errc code) {
  const BlockHeader& h = b.header;
  ctx = block_context(genesis, h.height, h.timestamp);
  PACTUM_ASSIGN(s, settle_again(state, b, settle, verify, ctx, code));
  if (auto ok = check_settlement(s, b.intents); !ok)
    return broken(code, h.height, ok.error().message, block_rule::kSettlement);
  if (s.prices != b.prices)
    return broken(code, h.height, "clearing prices differ from the replayed ones", block_rule::kPrices);
  if (s.asset_prices != b.asset_prices)
    return broken(code, h.height, "the price vector differs from the replayed one", block_rule::kAssetPrices);
  for (std::size_t i = 0; i < s.receipts.size(); ++i) {
    if (!(s.receipts[i] == b.receipts[i])) {
      return broken(code, h.height,
                    "receipt " + std::to_string(i) + " (intent " + b.intents[i].id.hex() + ") differs: stored " +
                        b.receipts[i].to_json().dump() + ", replay gives " + s.receipts[i].to_json().dump(),
                    block_rule::kReceipt);
    }
  }
  if (!(receipts_root(s.receipts) == h.receipts_root))
    return broken(code, h.height, "receipts root differs", block_rule::kReceiptsRoot);
  return s;
}

}  // namespace pactum
