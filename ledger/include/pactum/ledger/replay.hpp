// Replay: re-executes a data directory from genesis on a fresh state and checks it.
//
// For every block: the parent link, the height, the producer and its signature, every
// intent signature (from `from` on), the intents root; then the batch is re-settled (a
// block that records its clearing by `options.verify`, the rules given that clearing, with
// no search; an older block by `settle`) and the prices, price vector, every receipt, the receipts root and the state
// root must equal the stored ones. The first block that differs stops the replay and is
// named in the error ("block H: ...").
//
// Blocks are loaded, decoded and signature-checked ahead of the settling thread on
// `threads` worker threads (a bounded window of blocks), so verification runs on every
// core while settlement, which must be sequential, runs on one. The result does not
// depend on the thread count: blocks are settled strictly in height order, and a bad
// signature is reported at the lowest failing height whatever thread found it.
//
// Blocks below `from` are still re-executed (the state has to be rebuilt from genesis:
// the store keeps only the head state) and their roots compared, but their intent
// signatures are not checked and they are not visited.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "pactum/intents/result.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum {

struct ReplayStats {
  std::uint64_t blocks = 0;    // blocks re-executed
  std::uint64_t intents = 0;   // intents re-settled
  std::uint64_t verified = 0;  // intent signatures checked (blocks >= from)
  Hash32 final_root;
};

// One replayed block, as a visitor sees it: `pre` is the state before the block (the
// state the producer settled it on), `settlement` what replay computed (equal to the
// stored block's, already checked).
struct ReplayedBlock {
  const StateView& pre;
  const Block& block;
  const Settlement& settlement;
  const BlockContext& ctx;
};

using ReplayProgress = std::function<void(std::uint64_t height, std::uint64_t last)>;
// A visitor may stop the replay by returning an error (it is passed through).
using ReplayVisitor = std::function<Result<void>(const ReplayedBlock&)>;

struct ReplayOptions {
  std::optional<std::uint64_t> from;  // first block checked in full and visited (default 1)
  std::optional<std::uint64_t> to;    // last block (default: the head)
  unsigned threads = 0;               // loading/verification threads (0: every core)
  ReplayProgress progress;            // after each block, on the settling thread
  ReplayVisitor visit;                // blocks from..to, before their delta is applied
  // The rules given a clearing (the matcher's settle_clearing): blocks that record their
  // clearing are checked with it, never searched; `settle` serves only blocks without one.
  VerifyFn verify;
};

// The genesis is taken by value: pass it with std::move when it is not needed after, and
// its accounts are freed while block 0's state is built.
Result<ReplayStats> replay(const std::string& dir, Genesis genesis, const SettleFn& settle,
                           const ReplayOptions& options);

// The earlier form: every block from 1 to `to`.
inline Result<ReplayStats> replay(const std::string& dir, Genesis genesis, const SettleFn& settle,
                                  std::optional<std::uint64_t> to = std::nullopt, const ReplayProgress& progress = {}) {
  ReplayOptions o;
  o.to = to;
  o.progress = progress;
  return replay(dir, std::move(genesis), settle, o);
}

}  // namespace pactum
