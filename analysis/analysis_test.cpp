// Counterfactual sequencing: fcfs fills, the sandwich search against an independent brute
// force, what a tight limit leaves a searcher, order effects, and byte-identical reports.
#include "pactum/analysis/analysis.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../matcher/test_support.hpp"

namespace pactum::analysis {
namespace {

using test::account;
using BigInt = boost::multiprecision::cpp_int;

constexpr std::uint64_t kEth = 1'000'000, kUsdc = 3'000'000'000;  // pool reserves, fee 30 bps

test::MapState market() {
  test::MapState s;
  s.asset("ETH", 0).asset("USDC", 0).pool("ETH", "USDC", kEth, kUsdc, 30);
  for (std::uint32_t i = 0; i < 4; ++i)
    s.balance(account(i), "ETH", 1'000'000).balance(account(i), "USDC", 1'000'000'000);
  return s;
}

// The pool output, written again here so the test does not trust the code under test.
BigInt cpmm_out(const BigInt& r_in, const BigInt& r_out, const BigInt& in) {
  const BigInt g = in * 9970;
  return r_out * g / (r_in * 10000 + g);
}

// A block as the node would store it: the batch and the matcher's receipts.
Block block_of(const test::MapState& s, const std::vector<Intent>& batch, StateDelta* delta) {
  Settlement st = test::run(s, batch);
  Block b;
  b.header.height = 1;
  b.intents = batch;
  b.prices = st.prices;
  b.receipts = st.receipts;
  *delta = st.delta;
  return b;
}

Study analyze(const test::MapState& s, const std::vector<Intent>& batch) {
  Study study = new_study("test", {{"ETH", 0}, {"USDC", 0}});
  StateDelta delta;
  const Block b = block_of(s, batch, &delta);
  analyze_block(s, b, delta, study);
  return study;
}

TEST(Analysis, FcfsFillIsTheLoneTradeAgainstThePool) {
  test::IntentFactory f;
  const test::MapState s = market();
  const Study st = analyze(s, {f.swap(account(0), 1, "ETH", "USDC", SwapSide::sell, 10'000, 25'000'000, false)});
  ASSERT_EQ(st.swaps.size(), 1u);
  const Fill& fcfs = st.swaps[0].by_rule[1];
  EXPECT_TRUE(fcfs.filled);
  EXPECT_EQ(BigInt(fcfs.bought), cpmm_out(kEth, kUsdc, 10'000));
  EXPECT_EQ(BigInt(fcfs.sold), 10'000);
  // Surplus over the limit, in USDC (the numeraire, value 1 per unit).
  EXPECT_EQ(fcfs.surplus, Rational(cpmm_out(kEth, kUsdc, 10'000) - 25'000'000));
}

TEST(Analysis, SandwichOfALooseLimitIsAsGoodAsABruteForceSearch) {
  test::IntentFactory f;
  const test::MapState s = market();
  const Study st = analyze(s, {f.swap(account(0), 1, "ETH", "USDC", SwapSide::sell, 10'000, 25'000'000, false)});
  ASSERT_EQ(st.sandwiches.size(), 1u);
  const SandwichRow& w = st.sandwiches[0];

  // Brute force over front-run sizes with the test's own pool arithmetic.
  BigInt best = 0;
  for (BigInt a = 0; a <= 4 * BigInt(kEth); a += 500) {
    BigInt re = kEth, ru = kUsdc;
    const BigInt got = cpmm_out(re, ru, a);
    re += a;
    ru -= got;
    const BigInt v = cpmm_out(re, ru, 10'000);
    if (v < 25'000'000) break;  // the victim would not fill: larger fronts are infeasible
    re += 10'000;
    ru -= v;
    const BigInt back = cpmm_out(ru, re, got);
    best = std::max(best, BigInt(back - a));
  }
  ASSERT_GT(best, 0);
  const BigInt found = BigInt(w.back_out) - BigInt(w.front_in);
  EXPECT_GE(found * 1000, best * 999) << "analyser " << found << " vs brute force " << best;
  EXPECT_EQ(w.profit, Rational(found) * Rational(kUsdc, kEth)) << "valued at the pre-block spot";
  // The victim is pushed to its limit (within the pool's rounding) and loses to the searcher.
  const SwapRow& v = st.swaps[0];
  EXPECT_TRUE(v.sandwiched);
  EXPECT_GE(BigInt(v.by_rule[2].bought), 25'000'000);
  EXPECT_LT(BigInt(v.by_rule[2].bought), BigInt(v.by_rule[1].bought));
  EXPECT_GT(v.victim_loss, 0);
  EXPECT_EQ(st.blocks[0].sandwich_value, w.profit);
}

TEST(Analysis, ATightLimitLeavesTheSearcherNothing) {
  test::IntentFactory f;
  const test::MapState s = market();
  const BigInt exact = cpmm_out(kEth, kUsdc, 10'000);  // the limit is what the pool gives
  const Study st = analyze(s, {f.swap(account(0), 1, "ETH", "USDC", SwapSide::sell, 10'000, Amount(exact), false)});
  EXPECT_TRUE(st.sandwiches.empty());
  EXPECT_EQ(st.blocks[0].sandwich_value, 0);
}

TEST(Analysis, UnderFcfsTheSecondOfTwoLikeSwapsGetsLessThanUnderBatch) {
  test::IntentFactory f;
  const test::MapState s = market();
  const Study st = analyze(s, {f.swap(account(0), 1, "ETH", "USDC", SwapSide::sell, 20'000, 1, false),
                               f.swap(account(1), 1, "ETH", "USDC", SwapSide::sell, 20'000, 1, false)});
  ASSERT_EQ(st.swaps.size(), 2u);
  // Batch: one price, same proceeds for the same size. Fcfs: the first moves the pool.
  EXPECT_EQ(st.swaps[0].by_rule[0].bought, st.swaps[1].by_rule[0].bought);
  EXPECT_GT(st.swaps[0].by_rule[1].bought, st.swaps[1].by_rule[1].bought);
  EXPECT_GE(st.blocks[0].worse_off[1], 1u);
  EXPECT_EQ(st.blocks[0].worse_off[0], 0u);
}

std::string read(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(Analysis, ReportsAreByteIdenticalAndSelfContained) {
  test::IntentFactory f;
  const test::MapState s = market();
  Study st = analyze(s, {f.swap(account(0), 1, "ETH", "USDC", SwapSide::sell, 10'000, 25'000'000, false),
                         f.swap(account(1), 1, "USDC", "ETH", SwapSide::buy, 40'000'000, 5'000, true)});
  st.from = st.to = 1;
  const auto dir = std::filesystem::temp_directory_path() / ("pactum-analysis-" + std::to_string(::getpid()));
  auto a = write_reports(st, (dir / "a").string());
  auto b = write_reports(st, (dir / "b").string());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 6u);
  for (const std::string& name : *a) {
    const std::string x = read(dir / "a" / name);
    EXPECT_FALSE(x.empty()) << name;
    EXPECT_EQ(x, read(dir / "b" / name)) << name;
  }
  const std::string html = read(dir / "a" / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos) << "nothing fetched";
  EXPECT_EQ(html.find("<script"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pactum::analysis
