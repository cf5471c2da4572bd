// A constant-product pool seen as one more participant at the uniform price p (quote per
// base). It trades the most it can at p while (input-after-fee) * output stays on its
// curve: gamma = (10000 - fee_bps) / 10000 applies to the amount it receives.
//
//   p < bid = gamma*Rq/Rb   it buys base:  dB = Rq/p - Rb/gamma
//   p > ask = Rq/(gamma*Rb) it sells base: dB = Rb - Rq/(gamma*p)
//   otherwise               it does nothing.
//
// The formulas and the exact check of new reserves are the ledger's
// (pactum/ledger/pool_math.hpp, with their derivation and rounding contract); this adds
// the matcher's excess-supply form. Both sides are of the form a + b/p, so the pool's share
// of the excess-supply function is piecewise a + b/p with kinks (not jumps) at the two
// band edges.
#pragma once
#include <cstdint>

#include "pactum/ledger/pool_math.hpp"
#include "rational.hpp"

namespace pactum::matching {

// E(p) = a + b/p on one piece.
struct Piece {
  Rational a;
  Rational b;
  Rational at(const Rational& p) const { return a + b / p; }
  Piece& operator+=(const Piece& o) {
    a += o.a;
    b += o.b;
    return *this;
  }
  Piece& operator-=(const Piece& o) {
    a -= o.a;
    b -= o.b;
    return *this;
  }
  bool is_zero() const { return a == 0 && b == 0; }
};

struct PoolCurve {
  BigInt base;   // reserve of the base asset (Rb)
  BigInt quote;  // reserve of the quote asset (Rq)
  std::uint32_t fee_bps = 0;

  Rational gamma() const { return pool_math::gamma(fee_bps); }
  Rational bid() const { return pool_math::bid(base, quote, fee_bps); }
  Rational ask() const { return pool_math::ask(base, quote, fee_bps); }
  // Base the pool buys at p (negative: it sells).
  Rational base_bought(const Rational& p) const { return pool_math::base_bought(base, quote, fee_bps, p); }
  // The pool's contribution -base_bought(p) to the excess supply, below / above the band.
  Piece below_bid() const { return negated(pool_math::base_bought_below_bid(base, quote, fee_bps)); }
  Piece above_ask() const { return negated(pool_math::base_bought_above_ask(base, quote, fee_bps)); }

 private:
  static Piece negated(const pool_math::InversePriceLine& l) { return {-l.c, -l.d}; }
};

// Exact check that new reserves are acceptable: both stay > 0 and the product with the
// fee taken off whatever the pool received does not fall below the old product.
inline bool pool_invariant_holds(const PoolCurve& before, const BigInt& base_after, const BigInt& quote_after) {
  return pool_math::invariant_holds(before.base, before.quote, before.fee_bps, base_after, quote_after);
}

}  // namespace pactum::matching
