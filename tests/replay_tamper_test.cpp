// `pactum replay` on a data directory whose stored block was tampered with: it must exit
// non-zero and name that block's height.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "pactum/ledger/store.hpp"
#include "tamper.hpp"

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
  std::string edited;
  {
    auto store = Store::open(t.data_dir);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto text = (*store)->block_json_at(victim);
    ASSERT_TRUE(text.ok() && text->has_value());
    json block = json::parse(**text);
    ASSERT_EQ(block["receipts"][0]["sold"], "5") << block.dump();
    block["receipts"][0]["sold"] = "6";
    edited = block.dump();
  }  // the store is closed: one opener at a time
  ASSERT_TRUE(pactum::testing::overwrite_block_json(t.data_dir, victim, edited).ok());

  // stderr only (stdout to /dev/null): the error line must name the block.
  ShellResult r = run_shell(replay + " 2>&1 >/dev/null");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("block " + std::to_string(victim) + ":"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("block " + std::to_string(heights[2]) + ":"), std::string::npos)
      << "the first block that differs, not a later one: " << r.out;
}

// --from/--to: signatures are checked from --from on (earlier blocks are re-executed, not
// re-verified), --to stops early, and a range past the head is refused with a reason.
TEST(ReplayTamper, FromAndToBoundWhatIsVerified) {
  TestNode t;
  std::vector<std::uint64_t> heights;
  for (std::uint32_t i = 0; i < 3; ++i) {
    json s = wait_final(t.rpc(), submit(t.rpc(), signed_transfer(i, dev_account(i + 1), "USDC", "5")));
    ASSERT_EQ(s["status"], "settled") << s.dump();
    heights.push_back(s["block"].get<std::uint64_t>());
  }
  ASSERT_EQ(t.node->stop(), 0) << t.node->log();
  const std::string replay = shell_quote(pactum_binary()) + " replay --quiet --data-dir " + shell_quote(t.data_dir);

  ShellResult upto = run_shell(replay + " --to " + std::to_string(heights[0]) + " 2>&1");
  ASSERT_EQ(upto.exit_code, 0) << upto.out;
  EXPECT_NE(upto.out.find("blocks: " + std::to_string(heights[0]) + "\n"), std::string::npos) << upto.out;

  // Forge the first transfer's signature (another valid-looking signature).
  std::string edited;
  {
    auto store = Store::open(t.data_dir);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto text = (*store)->block_json_at(heights[0]);
    ASSERT_TRUE(text.ok() && text->has_value());
    json block = json::parse(**text);
    std::string sig = block["intents"][0]["sig"];
    sig[10] = sig[10] == '0' ? '1' : '0';
    block["intents"][0]["sig"] = sig;
    edited = block.dump();
  }  // the store is closed: one opener at a time
  ASSERT_TRUE(pactum::testing::overwrite_block_json(t.data_dir, heights[0], edited).ok());
  ShellResult full = run_shell(replay + " 2>&1");
  EXPECT_NE(full.exit_code, 0) << full.out;
  EXPECT_NE(full.out.find("block " + std::to_string(heights[0]) + ": signature of intent 0"), std::string::npos)
      << full.out;

  ShellResult later = run_shell(replay + " --from " + std::to_string(heights[1]) + " 2>&1");
  EXPECT_EQ(later.exit_code, 0) << "blocks below --from are re-executed, not re-verified: " << later.out;
  EXPECT_NE(later.out.find("verified: 2\n"), std::string::npos) << later.out;

  ShellResult past = run_shell(replay + " --from 99 2>&1");
  EXPECT_NE(past.exit_code, 0);
  EXPECT_NE(past.out.find("above the head block"), std::string::npos) << past.out;
}

}  // namespace
}  // namespace pactum::testing
