// NodeCore::append_block: a follower's commit of a block received from its leader. The
// block is verified as `pactum replay` verifies a stored one (ledger/block_check.hpp),
// then goes through the producer's own commit pipeline: applied under the exclusive lock,
// written (synced) with reads held back, announced to subscribers.
#include "pactum/ledger/block_check.hpp"
#include "pactum/matcher/matcher.hpp"
#include "pactum/node/node_core.hpp"

namespace pactum {

namespace {
// Blocks without a recorded clearing (older than issue 19) are re-settled by the built-in
// matcher's search, as replay does; the others are checked by the rules, never searched.
Settlement settle_by_search(const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
  return settle(state, batch, ctx);
}
}  // namespace

Result<MinedBlock> NodeCore::append_block(Block block, bool checked_alone) {
  const std::uint64_t height = block.header.height;
  if (!checked_alone) PACTUM_TRY(check_block_alone(chain_->genesis(), block, height, true, 0, Errc::block_invalid));
  std::lock_guard one_at_a_time(produce_mu_);
  if (halted_) return make_error(Errc::halted, "this node is halted: " + halt_reason_);
  // Re-settling only reads the head state: reads and the leader's relayed work go on.
  Result<Settlement> settled = make_error(Errc::internal, "not settled");
  {
    auto lock = admission_lock();
    if (height != chain_->height() + 1)
      return make_error(Errc::block_invalid,
                        at_block(height) + "does not extend the head block " + std::to_string(chain_->height()),
                        std::string(block_rule::kHeight));
    if (!(block.header.parent == head_hash_))
      return make_error(Errc::block_invalid,
                        at_block(height) + "parent hash does not link to block " + std::to_string(chain_->height()),
                        std::string(block_rule::kParent));
    BlockContext ctx;
    settled = resettle_block(chain_->state(), block, chain_->genesis(), settle_by_search, &verify_recorded_clearing,
                             ctx, Errc::block_invalid);
  }
  if (!settled.ok()) return settled.error();
  auto hidden = hide_lock();
  Result<Chain::AppliedBlock> applied = make_error(Errc::internal, "not applied");
  MempoolChanges changes;
  {
    auto lock = write_lock();
    const Hash32 state_before = chain_->head().state_root;
    applied = chain_->apply_verified_block(std::move(block), std::move(settled).value(), Errc::block_invalid);
    if (!applied.ok()) return applied.error();
    head_hash_ = applied->block.header.hash();
    if (!(applied->block.header.state_root == state_before)) state_changed_at_ = height;
    // A follower's mempool stays empty (submissions go to the leader); this keeps the
    // bookkeeping the same as a producer's all the same.
    std::lock_guard pool(mempool_mu_);
    changes = mempool_.on_block(applied->block, chain_->state());
  }
  return write_applied(std::move(applied).value(), hidden, changes, 0);
}

}  // namespace pactum
