// A constant-product pool seen as one more participant at the uniform price p (quote per
// base). It trades the most it can at p while (input-after-fee) * output stays on its
// curve: gamma = (10000 - fee_bps) / 10000 applies to the amount it receives.
//
//   p < bid = gamma*Rq/Rb   it buys base:  dB = Rq/p - Rb/gamma
//                           (from (Rb + gamma*dB)(Rq - p*dB) = Rb*Rq)
//   p > ask = Rq/(gamma*Rb) it sells base: dB = Rb - Rq/(gamma*p)
//                           (from (Rb - dB)(Rq + gamma*p*dB) = Rb*Rq)
//   otherwise               it does nothing.
//
// Both are of the form a + b/p, so the pool's share of the excess-supply function is
// piecewise a + b/p with kinks (not jumps) at the two band edges.
#pragma once
#include <cstdint>

#include "rational.hpp"

namespace pactum::matching {

// E(p) = a + b/p on one piece.
struct Piece {
  Rational a;
  Rational b;
  Rational at(const Rational& p) const { return a + b / p; }
  Piece& operator+=(const Piece& o) { a += o.a; b += o.b; return *this; }
  Piece& operator-=(const Piece& o) { a -= o.a; b -= o.b; return *this; }
  bool is_zero() const { return a == 0 && b == 0; }
};

struct PoolCurve {
  BigInt base;   // reserve of the base asset (Rb)
  BigInt quote;  // reserve of the quote asset (Rq)
  std::uint32_t fee_bps = 0;

  Rational gamma() const { return Rational(BigInt(10000 - fee_bps), BigInt(10000)); }
  Rational bid() const { return gamma() * Rational(quote, base); }
  Rational ask() const { return Rational(quote, base) / gamma(); }
  // Base the pool buys at p (negative: it sells).
  Rational base_bought(const Rational& p) const;
  // The pool's contribution -base_bought(p) to the excess supply, below / above the band.
  Piece below_bid() const { return {Rational(base) / gamma(), Rational(-quote)}; }
  Piece above_ask() const { return {Rational(base), Rational(-quote) / gamma()}; }
};

// Exact check that new reserves are acceptable: both stay > 0 and the product with the
// fee taken off whatever the pool received does not fall below the old product.
bool pool_invariant_holds(const PoolCurve& before, const BigInt& base_after,
                          const BigInt& quote_after);

}  // namespace pactum::matching
