// display_price renders receipt prices with integer long division (receipts.cpp). These
// tests pin it to the straightforward rational-arithmetic rendering it replaced, digit for
// digit, since receipt messages are hashed into the receipts root.
#include <gtest/gtest.h>

#include <random>

#include "pactum/ledger/state.hpp"
#include "src/receipts.hpp"

namespace pactum::matching {
namespace {

// The reference: the rendering before the integer rewrite.
std::string reference_display_price(std::uint32_t base_decimals, std::uint32_t quote_decimals, const Rational& q,
                                    const std::string& base, const std::string& quote) {
  auto pow10 = [](std::uint32_t n) {
    BigInt v = 1;
    for (std::uint32_t i = 0; i < n; ++i) v *= 10;
    return v;
  };
  const Rational r = q * Rational(pow10(base_decimals)) / Rational(pow10(quote_decimals));
  const BigInt whole = floor_of(r);
  Rational frac = r - Rational(whole);
  std::string out = whole.str();
  int significant = whole == 0 ? 0 : static_cast<int>(out.size());
  std::string digits;
  while (frac != 0 && significant < 9 && static_cast<int>(digits.size()) < 80) {
    frac *= 10;
    const BigInt d = floor_of(frac);
    digits += static_cast<char>('0' + static_cast<int>(d));
    frac -= Rational(d);
    if (significant > 0 || d != 0) ++significant;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (!digits.empty()) out += "." + digits;
  if (frac != 0) out += "~";
  return out + " " + quote + " per " + base;
}

TEST(DisplayPrice, MatchesRationalRenderingOnRandomPrices) {
  State state;
  StateDelta d;
  d.assets["ETH"] = AssetInfo{"ETH", 18};
  d.assets["USDC"] = AssetInfo{"USDC", 6};
  d.assets["ZED"] = AssetInfo{"ZED", 0};
  state.apply(d);
  const std::pair<const char*, const char*> pairs[] = {
      {"ETH", "USDC"}, {"USDC", "ZED"}, {"ETH", "ZED"}, {"ZED", "ETH"}};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 3000; ++i) {
    const auto [base, quote] = pairs[i % 4];
    // Numerators and denominators from 1 to 2^128, often sharing factors.
    BigInt n = BigInt(rng()) * (i % 3 == 0 ? BigInt(rng()) : BigInt(1)) + 1;
    BigInt m = BigInt(rng() % 1000000) * (i % 5 == 0 ? BigInt(rng()) : BigInt(1)) + 1;
    if (i % 7 == 0) n *= m;
    const Rational q(n, m);
    const std::uint32_t bd = state.asset(base)->decimals, qd = state.asset(quote)->decimals;
    ASSERT_EQ(display_price(state, q, base, quote), reference_display_price(bd, qd, q, base, quote)) << n << "/" << m;
  }
}

TEST(DisplayPrice, ExactAndTruncatedValues) {
  State state;
  StateDelta d;
  d.assets["A"] = AssetInfo{"A", 0};
  d.assets["B"] = AssetInfo{"B", 0};
  state.apply(d);
  EXPECT_EQ(display_price(state, Rational(3, 2), "A", "B"), "1.5 B per A");
  EXPECT_EQ(display_price(state, Rational(1, 3), "A", "B"), "0.333333333~ B per A");
  EXPECT_EQ(display_price(state, Rational(0), "A", "B"), "0 B per A");
  EXPECT_EQ(display_price(state, Rational(2900), "A", "B"), "2900 B per A");
}

}  // namespace
}  // namespace pactum::matching
