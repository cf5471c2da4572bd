// Instant mode (no --block-time): a swap that cannot fill waits without making the node
// produce empty blocks, and it expires in the first block produced after its valid_until.
#include <gtest/gtest.h>

#include <thread>

#include "harness.hpp"

namespace pactum::testing {
namespace {

TEST(InstantMode, WaitingSwapMakesNoEmptyBlocksAndExpiresWhenBlocksResume) {
  TestNode t;
  const std::uint64_t start = height(t.rpc());
  // Valid in the next two blocks only; never reachable on the devnet pool.
  json swap = sign_with_dev(2, {{"kind", "swap"},
                                {"sell_asset", "ETH"},
                                {"buy_asset", "USDC"},
                                {"side", "sell"},
                                {"sell_amount", "1000000000000000000"},
                                {"buy_amount", "1000000000000"},
                                {"partial", false},
                                {"valid_until", start + 2}});
  const std::string id = submit(t.rpc(), swap);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (height(t.rpc()) == start && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(height(t.rpc()), start + 1) << "the submission produced one block";
  json s = t.rpc().call("pactum_getIntent", json::array({id}));
  EXPECT_EQ(s["status"], "pending") << s.dump();
  EXPECT_EQ(s["reason"], "limit_not_reached");

  // The waiting swap does not keep the producer busy.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(height(t.rpc()), start + 1) << "empty blocks for a waiting swap";

  // Another intent brings block start+2, the swap's last chance: after it, it has expired.
  json paid = wait_final(t.rpc(), submit(t.rpc(), signed_transfer(5, dev_account(6), "USDC", "1")));
  ASSERT_EQ(paid["status"], "settled");
  EXPECT_EQ(paid["block"], start + 2);
  EXPECT_EQ(t.rpc().call("pactum_getIntent", json::array({id}))["status"], "expired")
      << "valid_until " << start + 2 << " is below the next height " << start + 3;
  json expired = t.rpc().call("pactum_getIntent", json::array({id}));
  EXPECT_EQ(expired["reason"], "expired");
  // Block start+2 settled it again but did not record it (it stayed unfilled): its last
  // receipt is still block start+1's.
  EXPECT_EQ(expired["block"], start + 1);
  EXPECT_EQ(t.rpc().call("pactum_pendingIntents"), json::array());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(height(t.rpc()), start + 2);
}

}  // namespace
}  // namespace pactum::testing
