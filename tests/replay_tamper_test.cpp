// `pactum replay` on a data directory whose stored block was tampered with: it must exit
// non-zero and name that block's height.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/ledger/store.hpp"

namespace pactum::testing {
namespace {

TEST(ReplayTamper, ReplayNamesTheBlockWhoseReceiptWasAltered) {
  TestNode t;
  std::vector<std::uint64_t> heights;
  for (std::uint32_t i = 0; i < 3; ++i) {  // one settled transfer per block (instant mode)
    json s = wait_final(t.rpc(), submit(t.rpc(), signed_transfer(i, dev_account(i + 1), "USDC", "5")));
    ASSERT_EQ(s["status"], "settled") << s.dump();
    heights.push_back(s["block"].get<std::uint64_t>());
  }
  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  const std::string replay = shell_quote(pactum_binary()) + " replay --data-dir " + shell_quote(t.data_dir);
  ASSERT_EQ(run_shell(replay + " 2>&1").exit_code, 0) << "the untouched chain replays";

  // Flip the settled amount of the middle block's receipt, as an edited disk would.
  const std::uint64_t victim = heights[1];
  {
    auto store = Store::open(t.data_dir);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto text = (*store)->block_json_at(victim);
    ASSERT_TRUE(text.ok() && text->has_value());
    json block = json::parse(**text);
    ASSERT_EQ(block["receipts"][0]["sold"], "5") << block.dump();
    block["receipts"][0]["sold"] = "6";
    ASSERT_TRUE((*store)->overwrite_block_json_for_test(victim, block.dump()).ok());
  }

  // stderr only (stdout to /dev/null): the error line must name the block.
  ShellResult r = run_shell(replay + " 2>&1 >/dev/null");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("block " + std::to_string(victim) + ":"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("block " + std::to_string(heights[2]) + ":"), std::string::npos)
      << "the first block that differs, not a later one: " << r.out;
}

}  // namespace
}  // namespace pactum::testing
