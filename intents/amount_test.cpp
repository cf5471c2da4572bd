#include "pactum/intents/amount.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pactum {
namespace {

const char* kMax = "115792089237316195423570985008687907853269984665640564039457584007913129639935";

TEST(Amount, ParsesZeroOneAndMax) {
  EXPECT_EQ(*parse_amount("0"), Amount(0));
  EXPECT_EQ(*parse_amount("1"), Amount(1));
  auto max = parse_amount(kMax);
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(amount_to_string(*max), kMax);
  EXPECT_EQ(*max, ~Amount(0));
}

struct BadAmount {
  const char* text;
  const char* message_part;
};

class AmountRefuses : public ::testing::TestWithParam<BadAmount> {};

TEST_P(AmountRefuses, WithAPreciseMessage) {
  auto r = parse_amount(GetParam().text, "sell_amount");
  ASSERT_FALSE(r.ok()) << GetParam().text;
  EXPECT_EQ(r.error().code, Errc::invalid_params);
  EXPECT_EQ(r.error().field, "sell_amount");
  EXPECT_NE(r.error().message.find(GetParam().message_part), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    All, AmountRefuses,
    ::testing::Values(BadAmount{"", "empty"}, BadAmount{"-1", "negative"}, BadAmount{"+1", "sign"},
                      BadAmount{"1.5", "fraction"}, BadAmount{"1e5", "exponent"}, BadAmount{"007", "leading zeros"},
                      BadAmount{"00", "leading zeros"}, BadAmount{"12a", "only decimal digits"},
                      BadAmount{" 1", "only decimal digits"}, BadAmount{"0x10", "only decimal digits"},
                      BadAmount{"115792089237316195423570985008687907853269984665640564039457584007913129639936",
                                "exceeds 2^256-1"},
                      BadAmount{"1000000000000000000000000000000000000000000000000000000000000000000000000000000000",
                                "exceeds 2^256-1"}));

TEST(Amount, JsonMustBeAString) {
  auto r = parse_amount_json(nlohmann::json(5), "amount");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("must be a decimal string"), std::string::npos);
  auto f = parse_amount_json(nlohmann::json(1.5), "amount");
  ASSERT_FALSE(f.ok());
}

TEST(Amount, BigEndianRoundTrip) {
  auto v = *parse_amount("340282366920938463463374607431768211457");  // 2^128 + 1
  unsigned char buf[32];
  amount_to_be32(v, buf);
  EXPECT_EQ(buf[15], 1);
  EXPECT_EQ(buf[31], 1);
  EXPECT_EQ(amount_from_be32(buf), v);
}

TEST(Amount, OverflowDetection) {
  EXPECT_TRUE(add_overflows(~Amount(0), Amount(1)));
  EXPECT_FALSE(add_overflows(~Amount(0) - 1, Amount(1)));
}

}  // namespace
}  // namespace pactum
