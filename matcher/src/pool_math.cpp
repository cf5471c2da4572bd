#include "pool_math.hpp"

namespace pactum::matching {

Rational PoolCurve::base_bought(const Rational& p) const {
  if (p < bid()) return Rational(quote) / p - Rational(base) / gamma();
  if (p > ask()) return Rational(quote) / (gamma() * p) - Rational(base);
  return 0;
}

bool pool_invariant_holds(const PoolCurve& before, const BigInt& base_after,
                          const BigInt& quote_after) {
  if (base_after <= 0 || quote_after <= 0) return false;
  // Scaled by 10000 so that gamma stays an integer factor.
  const BigInt keep = 10000 - before.fee_bps;
  auto effective = [&](const BigInt& old, const BigInt& now) -> BigInt {
    const BigInt change = now - old;
    const BigInt weighted = change > 0 ? BigInt(keep * change) : BigInt(10000 * change);
    return 10000 * old + weighted;
  };
  const BigInt after = effective(before.base, base_after) * effective(before.quote, quote_after);
  const BigInt was = BigInt(100000000) * before.base * before.quote;
  return after >= was;
}

}  // namespace pactum::matching
