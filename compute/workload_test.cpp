// The throttled workload runs exactly the units granted, then stops (fallback 0) or runs
// at the fallback share. Units are counted, not timed.
#include <gtest/gtest.h>

#include "pactum/compute/workload.hpp"

namespace pactum::compute {
namespace {

TEST(Workload, RunsExactlyTheGrantedUnitsThenStops) {
  Workload w(4, 0);
  w.grant(10);
  std::vector<std::uint64_t> paid;
  for (int i = 0; i < 6; ++i) paid.push_back(w.tick().paid);
  EXPECT_EQ(paid, (std::vector<std::uint64_t>{4, 4, 2, 0, 0, 0}));
  EXPECT_EQ(w.units_done(), 10u);
  EXPECT_EQ(w.unpaid_done(), 0u);
  w.grant(3);  // a new key: it resumes
  EXPECT_EQ(w.tick().paid, 3u);
  EXPECT_EQ(w.units_done(), 13u);
}

TEST(Workload, FallsBackToItsShareWithoutKeys) {
  Workload w(10, 250);  // a quarter of full speed: 2.5 units per tick
  w.grant(10);
  EXPECT_EQ(w.tick().paid, 10u);
  std::uint64_t unpaid = 0;
  for (int i = 0; i < 100; ++i) unpaid += w.tick().unpaid;
  EXPECT_EQ(unpaid, 250u);
  EXPECT_EQ(w.paid_done(), 10u);
  EXPECT_EQ(w.unpaid_done(), 250u);
}

TEST(Workload, TheWorkIsRealAndDeterministic) {
  Workload a(1, 0), b(1, 0);
  a.run_units(5);
  b.run_units(5);
  EXPECT_EQ(a.digest(), b.digest());
  b.run_units(1);
  EXPECT_NE(a.digest(), b.digest());
}

}  // namespace
}  // namespace pactum::compute
