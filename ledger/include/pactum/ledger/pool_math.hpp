// Constant-product pool arithmetic (x*y = k, fee on the input): the one copy, used by the
// matcher's clearing (pair and vector), the bundles' swap steps, the node's scenario
// workload and the analysis's counterfactual executions. docs/MECHANISMS.md ("Rounding, the
// pool and dust", 8.2, 8.3) states the same rules for users.
//
// Notation: a pool takes an asset of reserve x and gives one of reserve y; f = fee_bps
// (< 10000, genesis checks it), keep = 10000 - f, gamma = keep / 10000. The fee stays in
// the pool: it is taken off what the pool receives, never off what it gives.
//
// Contract. Exact integers (cpp_int: no overflow, no floating point). Every rounding is in
// the pool's favour, so that a pool never ends below its curve:
//   swap_out(x, y, f, a)     = floor(y * keep*a / (10000*x + keep*a)), 0 for a <= 0.
//                              Rounds DOWN (the pool keeps the fraction): it is the largest
//                              integer o with (10000*x + keep*a) * (y - o) >= 10000*x*y,
//                              i.e. the most invariant_holds allows for an input a; < y.
//   swap_in_for(x, y, f, o)  = the least integer a with swap_out(x, y, f, a) >= o:
//                              ceil(10000*x*o / (keep*(y - o))); 0 for o <= 0; none when
//                              o >= y (the curve never gives its whole reserve). Rounds UP.
//                              Exactly the inverse of swap_out's floor: both reduce to the
//                              same integer inequality keep*a*(y - o) >= 10000*x*o, so
//                              swap_out(a) >= o  <=>  a >= swap_in_for(o).
//   invariant_holds(...)     no rounding: new reserves > 0 and
//                              (10000*x + w(x' - x)) * (10000*y + w(y' - y)) >= 10^8 * x * y,
//                              w(d) = keep*d for d > 0 (received: fee taken off), 10000*d
//                              otherwise. The check after any change of reserves.
//   flash_loan_fee(m, f)     = ceil(m * f / 10000): lending pools (not constant-product, but
//                              the bundles' other pool rule) round UP, the lender never loses
//                              a unit (one base unit at 5 bps costs one unit).
//   scaled_capacity(...)     = keep*n_y*y - 10000*n_x*x, exact: keep times the value, at
//                              prices n_x, n_y, the pool trades taking x's asset before its
//                              margin reaches those prices (> 0 iff n_x/n_y < bid).
//   The price-taking curve of the uniform-price clearing, for base reserve Rb, quote reserve
//   Rq and a price p in quote per base: exact rationals, nothing rounded (the matcher rounds
//   the traders' amounts against them and the pool takes their exact integer net, checked by
//   invariant_holds):
//     bid = gamma*Rq/Rb, ask = Rq/(gamma*Rb);
//     base_bought(p) = Rq/p - Rb/gamma below the bid      (from (Rb + gamma*dB)(Rq - p*dB) = Rb*Rq),
//                      Rq/(gamma*p) - Rb above the ask     (from (Rb - dB)(Rq + gamma*p*dB) = Rb*Rq),
//                      0 within [bid, ask]; negative: the pool sells base.
//     Each side is c + d/p (base_bought_below_bid / _above_ask give c and d).
// Preconditions: reserves > 0 (genesis requires it and every rule above keeps it; callers
// treat a zero reserve as "no pool" before calling).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::pool_math {

using Rational = boost::multiprecision::cpp_rational;

constexpr std::uint32_t kBpsDenominator = 10000;

// Integer rules on reserves: x of the asset the pool takes, y of the asset it gives.
BigInt swap_out(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& in);
std::optional<BigInt> swap_in_for(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& want);
bool invariant_holds(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& x_after,
                     const BigInt& y_after);
BigInt flash_loan_fee(const BigInt& amount, std::uint32_t fee_bps);
BigInt scaled_capacity(const BigInt& x, const BigInt& y, std::uint32_t fee_bps, const BigInt& price_x,
                       const BigInt& price_y);

// The same on a ledger Pool, oriented by the asset sold to it (which must be one of its two).
BigInt reserve_of(const Pool& p, std::string_view asset);
BigInt swap_out(const Pool& p, std::string_view sell, const BigInt& in);
std::optional<BigInt> swap_in_for(const Pool& p, std::string_view sell, const BigInt& want);
// The pool takes `in` of `sell` and gives `out` of the other asset (the caller computed out,
// e.g. with swap_out, and checked that both reserves stay within an Amount).
void apply_swap(Pool& p, std::string_view sell, const BigInt& in, const BigInt& out);

// The price-taking curve (Rb = base reserve, Rq = quote reserve, p in quote per base).
struct InversePriceLine {  // c + d/p
  Rational c;
  Rational d;
};
Rational gamma(std::uint32_t fee_bps);
Rational bid(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps);
Rational ask(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps);
Rational base_bought(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps, const Rational& p);
InversePriceLine base_bought_below_bid(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps);
InversePriceLine base_bought_above_ask(const BigInt& base, const BigInt& quote, std::uint32_t fee_bps);

}  // namespace pactum::pool_math
