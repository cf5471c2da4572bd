// Exact arithmetic for clearing: rationals over cpp_int, floor/ceil to integers, and
// decimal rendering for messages. Nothing here ever touches floating point.
#pragma once
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "pactum/intents/amount.hpp"

namespace pactum::matching {

using Rational = boost::multiprecision::cpp_rational;

inline BigInt to_big(const Amount& a) { return BigInt(a); }

// Converts an integer known to lie in [0, 2^256-1] (balances and reserves are bounded
// by the total supply, which is an Amount). Out of range is a programmer error.
Amount to_amount(const BigInt& v);

inline BigInt num(const Rational& r) { return boost::multiprecision::numerator(r); }
inline BigInt den(const Rational& r) { return boost::multiprecision::denominator(r); }

// floor and ceil of a non-negative rational.
BigInt floor_of(const Rational& r);
BigInt ceil_of(const Rational& r);

}  // namespace pactum::matching
