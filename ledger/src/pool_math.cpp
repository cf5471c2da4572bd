// Constant-product pool arithmetic (pool_math.hpp: the rounding contract).
#include "pactum/ledger/pool_math.hpp"

#include <cassert>
#include <limits>

namespace pactum::pool_math {
namespace {

BigInt keep_of(std::uint32_t fee_bps) { return BigInt(kBpsDenominator - fee_bps); }

}  // namespace

BigInt swap_out(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& in) {
  if (in <= 0) return 0;
  const BigInt in_after_fee = in * keep_of(fee_bps);
  return y * in_after_fee / (x * kBpsDenominator + in_after_fee);  // floor: operands >= 0
}

std::optional<BigInt> swap_in_for(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& want) {
  if (want <= 0) return BigInt(0);
  if (want >= y) return std::nullopt;
  // The least a with keep*a*(y - want) >= 10000*x*want.
  const BigInt d = keep_of(fee_bps) * (y - want);
  return BigInt((want * x * kBpsDenominator + d - 1) / d);  // ceil: numerator >= 0, d > 0
}

bool invariant_holds(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& x_after,
                     const BigInt& y_after) {
  if (x_after <= 0 || y_after <= 0) return false;
  // Scaled by 10000 so that gamma stays an integer factor.
  const BigInt keep = keep_of(fee_bps);
  auto effective = [&](const BigInt& old, const BigInt& now) -> BigInt {
    const BigInt change = now - old;
    const BigInt weighted = change > 0 ? BigInt(keep * change) : BigInt(kBpsDenominator * change);
    return kBpsDenominator * old + weighted;
  };
  const BigInt after = effective(x, x_after) * effective(y, y_after);
  const BigInt was = BigInt(kBpsDenominator) * kBpsDenominator * x * y;
  return after >= was;
}

BigInt flash_loan_fee(const BigInt& amount, std::uint32_t fee_bps) {
  return (amount * fee_bps + (kBpsDenominator - 1)) / kBpsDenominator;  // ceil for amount >= 0
}

BigInt scaled_capacity(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& price_x,
                       const BigInt& price_y) {
  return keep_of(fee_bps) * (price_y * y) - kBpsDenominator * (price_x * x);
}

BigInt reserve_of(const Pool& p, std::string_view asset) {
  assert(asset == p.asset_a || asset == p.asset_b);
  return BigInt(asset == p.asset_a ? p.reserve_a : p.reserve_b);
}

BigInt swap_out(const Pool& p, std::string_view sell, const BigInt& in) {
  const bool sells_a = sell == p.asset_a;
  return swap_out(BigInt(sells_a ? p.reserve_a : p.reserve_b), BigInt(sells_a ? p.reserve_b : p.reserve_a), p.fee_bps,
                  in);
}

std::optional<BigInt> swap_in_for(const Pool& p, std::string_view sell, const BigInt& want) {
  const bool sells_a = sell == p.asset_a;
  return swap_in_for(BigInt(sells_a ? p.reserve_a : p.reserve_b), BigInt(sells_a ? p.reserve_b : p.reserve_a),
                     p.fee_bps, want);
}

void apply_swap(Pool& p, std::string_view sell, const BigInt& in, const BigInt& out) {
  const bool sells_a = sell == p.asset_a;
  Amount& r_in = sells_a ? p.reserve_a : p.reserve_b;
  Amount& r_out = sells_a ? p.reserve_b : p.reserve_a;
  const BigInt new_in = BigInt(r_in) + in, new_out = BigInt(r_out) - out;
  assert(new_in >= 0 && new_in <= BigInt(std::numeric_limits<Amount>::max()));
  assert(new_out >= 0 && new_out <= BigInt(std::numeric_limits<Amount>::max()));
  r_in = Amount(new_in);
  r_out = Amount(new_out);
}

Rational gamma(std::uint32_t fee_bps) { return Rational(keep_of(fee_bps), BigInt(kBpsDenominator)); }

Rational bid(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps) {
  return gamma(fee_bps) * Rational(quote, base);
}

Rational ask(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps) {
  return Rational(quote, base) / gamma(fee_bps);
}

Rational base_bought(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps, const Rational& p) {
  if (p < bid(base, quote, fee_bps)) return Rational(quote) / p - Rational(base) / gamma(fee_bps);
  if (p > ask(base, quote, fee_bps)) return Rational(quote) / (gamma(fee_bps) * p) - Rational(base);
  return 0;
}

InversePriceLine base_bought_below_bid(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps) {
  return {-Rational(base) / gamma(fee_bps), Rational(quote)};
}

InversePriceLine base_bought_above_ask(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps) {
  return {Rational(-base), Rational(quote) / gamma(fee_bps)};
}

}  // namespace pactum::pool_math
