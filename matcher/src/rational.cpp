#include "rational.hpp"

#include <cassert>

namespace pactum::matching {

Amount to_amount(const BigInt& v) {
  assert(v >= 0 && v <= BigInt(std::numeric_limits<Amount>::max()));
  return Amount(v);
}

BigInt floor_of(const Rational& r) {
  assert(r >= 0);
  return num(r) / den(r);
}

BigInt ceil_of(const Rational& r) {
  assert(r >= 0);
  const BigInt n = num(r), d = den(r);
  return (n + d - 1) / d;
}

}  // namespace pactum::matching
