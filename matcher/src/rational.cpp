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

std::string to_decimal(const Rational& r) {
  constexpr int kDigits = 12;
  const bool negative = r < 0;
  const Rational a = negative ? Rational(-r) : r;
  BigInt whole = floor_of(a);
  Rational frac = a - Rational(whole);
  std::string out = (negative ? "-" : "") + whole.str();
  std::string digits;
  for (int i = 0; i < kDigits && frac != 0; ++i) {
    frac *= 10;
    const BigInt d = floor_of(frac);
    digits += static_cast<char>('0' + static_cast<int>(d));
    frac -= Rational(d);
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (!digits.empty()) out += "." + digits;
  if (frac != 0) out += "~";
  return out;
}

}  // namespace pactum::matching
