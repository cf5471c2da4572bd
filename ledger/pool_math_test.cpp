// Constant-product pool arithmetic: the rounding contract of pool_math.hpp, and equality
// with the formulas the matcher, the bundles and the analysis each wrote before they shared
// this module (kept here, verbatim in substance, as references).
#include "pactum/ledger/pool_math.hpp"

#include <gtest/gtest.h>

#include <random>

namespace pactum {
namespace {

using pool_math::Rational;

BigInt ceil_div(const BigInt& a, const BigInt& b) { return (a + b - 1) / b; }

// The bundles' swap step (and the analysis's PoolBook::out, the scenario's pool_out).
BigInt old_bundle_out(const BigInt& r_in, const BigInt& r_out, std::uint32_t fee, const BigInt& a) {
  const BigInt in_after_fee = a * (10000 - fee);
  return r_out * in_after_fee / (r_in * 10000 + in_after_fee);
}

// The vector clearing's "most the pool may give for what it takes".
BigInt old_vector_most(const BigInt& x, const BigInt& y, std::uint32_t fee, const BigInt& r) {
  const BigInt keep = BigInt(10000 - fee);
  return y - ceil_div(BigInt(10000 * x * y), BigInt(10000 * x + keep * r));
}

// The vector clearing's least input for an output (extra_input before subtracting r).
std::optional<BigInt> old_vector_need(const BigInt& x, const BigInt& y, std::uint32_t fee, const BigInt& w) {
  const BigInt rest = y - w;
  if (rest <= 0) return std::nullopt;
  const BigInt keep = BigInt(10000 - fee);
  return ceil_div(BigInt(ceil_div(BigInt(10000 * x * y), rest) - 10000 * x), keep);
}

// The analysis's PoolBook::in_for (with its upward correction loop).
std::optional<BigInt> old_analysis_in_for(const BigInt& r_in, const BigInt& r_out, std::uint32_t fee,
                                          const BigInt& want) {
  if (want <= 0) return BigInt(0);
  if (want >= r_out) return std::nullopt;
  const BigInt g = 10000 - fee;
  const BigInt d = g * (r_out - want);
  BigInt a = (want * r_in * 10000 + d - 1) / d;
  while (old_bundle_out(r_in, r_out, fee, a) < want) ++a;
  return a;
}

struct Sampler {
  std::mt19937_64 rng{20240611};
  // A positive integer of up to `bits` bits, biased towards small and round values.
  BigInt big(unsigned bits) {
    const unsigned b = 1 + static_cast<unsigned>(rng() % bits);
    BigInt v = 0;
    for (unsigned i = 0; i < b; i += 64) v = (v << 64) | BigInt(rng());
    v &= (BigInt(1) << b) - 1;
    return v == 0 ? BigInt(1) : v;
  }
  std::uint32_t fee() {
    static const std::uint32_t kFees[] = {0, 1, 5, 30, 100, 9999};
    return kFees[rng() % 6];
  }
};

TEST(PoolMath, SwapOutRoundsDownToTheMostTheInvariantAllows) {
  Sampler s;
  for (int i = 0; i < 20000; ++i) {
    const BigInt x = s.big(i % 2 ? 40 : 200), y = s.big(i % 3 ? 40 : 200), a = s.big(i % 5 ? 30 : 220);
    const std::uint32_t f = s.fee();
    const BigInt o = pool_math::swap_out(x, y, f, a);
    ASSERT_EQ(o, old_bundle_out(x, y, f, a));
    ASSERT_EQ(o, old_vector_most(x, y, f, a));
    ASSERT_GE(o, 0);
    ASSERT_LT(o, y);
    ASSERT_TRUE(pool_math::invariant_holds(x, y, f, x + a, y - o));
    if (o + 1 < y) {
      ASSERT_FALSE(pool_math::invariant_holds(x, y, f, x + a, y - o - 1));
    }
  }
  EXPECT_EQ(pool_math::swap_out(BigInt(1000), BigInt(3000), 30, BigInt(0)), 0);
  EXPECT_EQ(pool_math::swap_out(BigInt(1000), BigInt(3000), 30, BigInt(-5)), 0);
  // 1000 ETH units / 3,000,000 USDC units at 30 bps: 10 in -> floor(3e6*99700 / (1e7+99700)) = 29614.
  EXPECT_EQ(pool_math::swap_out(BigInt(1000), BigInt(3000000), 30, BigInt(10)), 29614);
}

TEST(PoolMath, SwapInForIsTheLeastInputThatBuysTheOutput) {
  Sampler s;
  for (int i = 0; i < 20000; ++i) {
    const BigInt x = s.big(i % 2 ? 40 : 200), y = s.big(i % 3 ? 40 : 200);
    const BigInt w = i % 4 == 0 ? BigInt(y - s.big(8)) : BigInt(s.big(i % 5 ? 30 : 200) % (y + 1));
    const std::uint32_t f = s.fee();
    const std::optional<BigInt> a = pool_math::swap_in_for(x, y, f, w);
    ASSERT_EQ(a, old_analysis_in_for(x, y, f, w));
    if (w > 0) {
      ASSERT_EQ(a, old_vector_need(x, y, f, w));
    }
    if (w >= y) {
      ASSERT_FALSE(a);
      continue;
    }
    ASSERT_TRUE(a);
    if (w <= 0) {
      ASSERT_EQ(*a, 0);
      continue;
    }
    ASSERT_GE(pool_math::swap_out(x, y, f, *a), w);
    ASSERT_LT(pool_math::swap_out(x, y, f, *a - 1), w);
  }
}

TEST(PoolMath, InvariantChargesTheFeeOnWhatThePoolReceives) {
  // x*y = 10^6; taking 1000 more of x at 0 fee allows giving 500 of y (1000*2000 >= 10^6 * 2).
  EXPECT_TRUE(pool_math::invariant_holds(1000, 1000, 0, 2000, 500));
  EXPECT_FALSE(pool_math::invariant_holds(1000, 1000, 0, 2000, 499));
  // With a fee the same trade breaks the curve.
  EXPECT_FALSE(pool_math::invariant_holds(1000, 1000, 30, 2000, 500));
  EXPECT_TRUE(pool_math::invariant_holds(1000, 1000, 30, 1000, 1000));
  EXPECT_FALSE(pool_math::invariant_holds(1000, 1000, 0, 0, 5000000));
  EXPECT_FALSE(pool_math::invariant_holds(1000, 1000, 0, 5000000, 0));
}

TEST(PoolMath, FlashLoanFeeRoundsUp) {
  EXPECT_EQ(pool_math::flash_loan_fee(0, 5), 0);
  EXPECT_EQ(pool_math::flash_loan_fee(1, 5), 1);
  EXPECT_EQ(pool_math::flash_loan_fee(20000, 5), 10);
  EXPECT_EQ(pool_math::flash_loan_fee(20001, 5), 11);
  EXPECT_EQ(pool_math::flash_loan_fee(1000, 0), 0);
}

TEST(PoolMath, PoolOverloadsOrientByTheSoldAsset) {
  Pool p{"ETH", "USDC", 1000, 3000000, 30};
  EXPECT_EQ(pool_math::reserve_of(p, "ETH"), 1000);
  EXPECT_EQ(pool_math::reserve_of(p, "USDC"), 3000000);
  EXPECT_EQ(pool_math::swap_out(p, "ETH", 10), pool_math::swap_out(BigInt(1000), BigInt(3000000), 30, BigInt(10)));
  EXPECT_EQ(pool_math::swap_out(p, "USDC", 30000),
            pool_math::swap_out(BigInt(3000000), BigInt(1000), 30, BigInt(30000)));
  EXPECT_EQ(pool_math::swap_in_for(p, "USDC", 9), pool_math::swap_in_for(BigInt(3000000), BigInt(1000), 30, BigInt(9)));
  const BigInt out = pool_math::swap_out(p, "USDC", 30000);
  pool_math::apply_swap(p, "USDC", 30000, out);
  EXPECT_EQ(p.reserve_b, 3030000);
  EXPECT_EQ(BigInt(p.reserve_a), 1000 - out);
}

TEST(PoolMath, CapacityIsPositiveExactlyBelowTheBid) {
  Sampler s;
  for (int i = 0; i < 5000; ++i) {
    const BigInt x = s.big(60), y = s.big(60), nx = s.big(60), ny = s.big(60);
    const std::uint32_t f = s.fee();
    const BigInt c = pool_math::scaled_capacity(x, y, f, nx, ny);
    // Base x, quote y: the price of x in y is nx/ny; the pool takes x below its bid.
    const Rational p(nx, ny);
    ASSERT_EQ(c > 0, p < pool_math::bid(x, y, f));
    ASSERT_EQ(c, BigInt((10000 - f) * ny * y - 10000 * nx * x));
  }
}

TEST(PoolMath, BaseBoughtFollowsItsTwoLines) {
  Sampler s;
  for (int i = 0; i < 2000; ++i) {
    const BigInt b = s.big(50), q = s.big(50);
    const std::uint32_t f = s.fee();
    const Rational p(s.big(50), s.big(50));
    const Rational bought = pool_math::base_bought(b, q, f, p);
    const auto below = pool_math::base_bought_below_bid(b, q, f);
    const auto above = pool_math::base_bought_above_ask(b, q, f);
    if (p < pool_math::bid(b, q, f)) {
      ASSERT_EQ(bought, below.c + below.d / p);
      ASSERT_GT(bought, 0);
    } else if (p > pool_math::ask(b, q, f)) {
      ASSERT_EQ(bought, above.c + above.d / p);
      ASSERT_LT(bought, 0);
    } else {
      ASSERT_EQ(bought, 0);
    }
    // The lines meet zero at the band's edges (kinks, not jumps).
    ASSERT_EQ(below.c + below.d / pool_math::bid(b, q, f), 0);
    ASSERT_EQ(above.c + above.d / pool_math::ask(b, q, f), 0);
  }
}

}  // namespace
}  // namespace pactum
