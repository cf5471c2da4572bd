// The exact solver's time by batch size (docs/PERFORMANCE.md), on the random batches of
// exact_test_batches.hpp (3-5 assets, with pools, 25-60% fill-or-kill). Not run by
// default: PACTUM_EXACT_BENCH=N runs N batches per size (PACTUM_EXACT_DEADLINE_MS sets the
// deadline, 4000 by default) and prints one line per size. Every clearing it proposes is
// checked, so the run also asserts that none breaks a rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "exact_test_batches.hpp"
#include "pactum/solvers/exact.hpp"

namespace pactum::solvers {
namespace {

TEST(ExactSolverBench, TimeByBatchSize) {
  const char* env = std::getenv("PACTUM_EXACT_BENCH");
  if (!env) GTEST_SKIP() << "set PACTUM_EXACT_BENCH=N to run N batches per size";
  const int n = std::max(1, std::atoi(env));
  const char* ms_env = std::getenv("PACTUM_EXACT_DEADLINE_MS");
  const long deadline_ms = ms_env ? std::atol(ms_env) : 4000;
  const char* sizes_env = std::getenv("PACTUM_EXACT_SIZES");
  std::vector<int> sizes{6, 10, 20, 30, 40};
  if (sizes_env) sizes = {std::atoi(sizes_env)};
  auto solver = exact_solver();
  std::printf("deadline %ld ms, %d batches per size\n", deadline_ms, n);
  for (int size : sizes) {
    std::vector<double> times;
    std::map<std::string, int> statuses;
    int clean = 0;
    for (int i = 0; i < n; ++i) {
      testing::Shape shape;
      shape.min_swaps = shape.max_swaps = size;
      const auto seed = static_cast<std::uint64_t>(size * 100000 + i);
      const testing::Batch b = testing::random_batch(seed, shape);
      const auto start = Clock::now();
      const Answer a =
          solver->solve(b.instance, *b.state, b.batch, b.ctx, start + std::chrono::milliseconds(deadline_ms));
      times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
      ++statuses[a.clearing ? "answered" : a.failure.status];
      if (!a.clearing) {
        if (std::getenv("PACTUM_EXACT_VERBOSE"))
          std::printf("  seed %llu: %s: %s\n", (unsigned long long)seed, a.failure.status.c_str(),
                      a.failure.detail.c_str());
        continue;
      }
      const auto v = testing::violations_of(b, *a.clearing);
      EXPECT_TRUE(v.empty()) << "seed " << seed << ":\n" << check::describe(v);
      clean += v.empty();
    }
    std::sort(times.begin(), times.end());
    double sum = 0;
    for (double t : times) sum += t;
    std::printf("%2d swaps: mean %.3f s, median %.3f s, max %.3f s; answered %d (clean %d), late %d, failed %d\n", size,
                sum / n, times[times.size() / 2], times.back(), statuses["answered"], clean, statuses["late"],
                statuses["failed"]);
  }
}

}  // namespace
}  // namespace pactum::solvers
