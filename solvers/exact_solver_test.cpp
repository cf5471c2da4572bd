// The exact solver: on random small batches (3-5 assets, 6-20 swaps, 25-60% fill-or-kill,
// with and without pools) every clearing it proposes passes the independent checker with
// no violation; on hand-made batches it finds the known optimum; it respects its limits
// and its deadline.
#include <gtest/gtest.h>

#include <iostream>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "exact_test_batches.hpp"
#include "pactum/solvers/exact.hpp"

namespace pactum::solvers {
namespace {

using testing::Batch;
using testing::BatchBuilder;
using testing::units;

Answer solve(const Batch& b, double seconds = 10, ExactOptions options = {}) {
  auto solver = exact_solver(options);
  return solver->solve(b.instance, *b.state, b.batch, b.ctx,
                       Clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000)));
}

const Fill* fill_of(const Clearing& c, const Intent& in) {
  for (const auto& f : c.fills)
    if (f.intent == in.id) return &f;
  return nullptr;
}

// Every clearing proposed passes the checker; the rounding never fails ("failed"); a batch
// without an answer is "late" (GLPK found no solution by the deadline).
void expect_clean_on_random_batches(const testing::Shape& shape, std::uint64_t first, int count) {
  int answered = 0, late = 0;
  for (std::uint64_t seed = first; seed < first + static_cast<std::uint64_t>(count); ++seed) {
    const Batch b = testing::random_batch(seed, shape);
    const Answer a = solve(b, 2);
    if (!a.clearing) {
      EXPECT_EQ(a.failure.status, "late") << "seed " << seed << ": " << a.failure.detail;
      ++late;
      continue;
    }
    ++answered;
    const auto v = testing::violations_of(b, *a.clearing);
    EXPECT_TRUE(v.empty()) << "seed " << seed << ":\n" << check::describe(v);
  }
  // How many answer in time depends on the machine and its load (GLPK runs to the
  // deadline when it cannot prove optimality): counted, not judged (docs/PERFORMANCE.md
  // has the figures). That some do keeps the test from passing on nothing.
  std::cout << answered << " of " << count << " answered, " << late << " late\n";
  EXPECT_GT(answered, 0);
}

TEST(ExactSolver, RandomBatchesWithPoolsPassTheChecker) { expect_clean_on_random_batches(testing::Shape{}, 7000, 30); }

TEST(ExactSolver, RandomBatchesWithoutPoolsPassTheChecker) {
  testing::Shape shape;
  shape.pools = false;
  expect_clean_on_random_batches(shape, 8000, 20);
}

// Alice sells 100 T0 for at least 90 T1, Bob 95 T1 for at least 100 T0, both
// fill-or-kill: neither can fill alone (no pool), together they fill at Bob's limit.
TEST(ExactSolver, TwoFillOrKillSwapsThatOnlyClearTogether) {
  BatchBuilder bb(1, 2);
  bb.swap(0, 1, units(100), units(90), SwapSide::sell, false);
  bb.swap(1, 0, units(95), units(100), SwapSide::sell, false);
  const Batch b = bb.finish();
  const Answer a = solve(b);
  ASSERT_TRUE(a.clearing) << a.failure.detail;
  EXPECT_TRUE(testing::violations_of(b, *a.clearing).empty());
  const Fill* alice = fill_of(*a.clearing, b.batch[0]);
  const Fill* bob = fill_of(*a.clearing, b.batch[1]);
  ASSERT_TRUE(alice && bob);
  EXPECT_EQ(alice->sold, units(100));
  EXPECT_EQ(alice->bought, units(95));
  EXPECT_EQ(bob->sold, units(95));
  EXPECT_EQ(bob->bought, units(100));
}

// A ring T0 -> T1 -> T2 -> T0 of 100 units each, every limit 5% below: no pools, the ring
// clears in full at equal prices (each swap receives 100, surplus 5 each).
TEST(ExactSolver, ARingOfThreeSwapsWithoutPoolsClears) {
  BatchBuilder bb(2, 3);
  bb.swap(0, 1, units(100), units(95), SwapSide::sell, false);
  bb.swap(1, 2, units(100), units(95), SwapSide::sell, true);
  bb.swap(2, 0, units(100), units(95), SwapSide::sell, false);
  const Batch b = bb.finish();
  const Answer a = solve(b);
  ASSERT_TRUE(a.clearing) << a.failure.detail;
  EXPECT_TRUE(testing::violations_of(b, *a.clearing).empty());
  ASSERT_EQ(a.clearing->fills.size(), 3u);
  for (const auto& f : a.clearing->fills) {
    EXPECT_EQ(f.sold, units(100));
    EXPECT_EQ(f.bought, units(100));
  }
  ASSERT_EQ(a.clearing->asset_prices.size(), 3u);
  for (const auto& p : a.clearing->asset_prices) EXPECT_EQ(p.num, p.den) << p.asset;
}

// The fill-or-kill choice matters: Carol's swap can take either of Alice's or Bob's
// (each alone fills it exactly), and the optimum takes the one with more surplus.
TEST(ExactSolver, ChoosesTheBetterFillOrKillPartner) {
  BatchBuilder bb(3, 2);
  bb.swap(0, 1, units(100), units(99), SwapSide::sell, false);   // Alice: little surplus
  bb.swap(0, 1, units(100), units(80), SwapSide::sell, false);   // Bob: much surplus
  bb.swap(1, 0, units(100), units(100), SwapSide::sell, false);  // Carol: at price 1 exactly
  const Batch b = bb.finish();
  const Answer a = solve(b);
  ASSERT_TRUE(a.clearing) << a.failure.detail;
  EXPECT_TRUE(testing::violations_of(b, *a.clearing).empty());
  EXPECT_EQ(fill_of(*a.clearing, b.batch[0]), nullptr);
  EXPECT_NE(fill_of(*a.clearing, b.batch[1]), nullptr);
  EXPECT_NE(fill_of(*a.clearing, b.batch[2]), nullptr);
}

TEST(ExactSolver, TooLargeInstancesFail) {
  const Batch b = testing::random_batch(11, testing::Shape{3, 3, 12, 12, 25, 25, true});
  ExactOptions small;
  small.max_swaps = 5;
  const Answer a = solve(b, 10, small);
  EXPECT_FALSE(a.clearing);
  EXPECT_EQ(a.failure.status, "failed");
}

TEST(ExactSolver, APassedDeadlineIsLate) {
  const Batch b = testing::random_batch(12, testing::Shape{});
  const Answer a = solve(b, -1);
  EXPECT_FALSE(a.clearing);
  EXPECT_EQ(a.failure.status, "late");
}

// A hard instance with a short deadline returns by the deadline (with GLPK's incumbent,
// or late), never long after it.
TEST(ExactSolver, ReturnsByTheDeadline) {
  const Batch b = testing::random_batch(13, testing::Shape{5, 5, 40, 40, 60, 60, true});
  const auto start = Clock::now();
  const Answer a = solve(b, 0.2);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  // GLPK checks its time limit between steps, so it may overrun a little (docs/PERFORMANCE.md
  // has the figures); the bound only says the deadline stops it, with slack for a loaded
  // machine or a sanitized build.
  EXPECT_LT(elapsed, 3.0);
  if (a.clearing)
    EXPECT_TRUE(testing::violations_of(b, *a.clearing).empty());
  else
    EXPECT_TRUE(a.failure.status == "late" || a.failure.status == "failed") << a.failure.status;
}

}  // namespace
}  // namespace pactum::solvers
