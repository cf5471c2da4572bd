// Exact refinement of an approximate price vector: the market-clearing vector for a fixed
// active set, found by solving a small linear system exactly.
//
// With the active set fixed (per directed pair, the orders in the money; per pool, which
// way it trades, or not at all), every participant's value flow is LINEAR in the price
// vector N: a side-sell order moves S*N[sell], a side-buy order B*N[buy], a pool trading
// a for b its whole capacity N[b]*y - N[a]*x/gamma (docs/MECHANISMS.md section 5). So the
// excess supply of every asset is Z(N) = M N, and the vector that clears every asset is
// the solution of M N = 0 with N[0] = 1 (one equation is redundant: Z sums to zero). It is
// solved exactly (fraction-free Bareiss elimination on integer rows, then rational back
// substitution; at most ~20 unknowns). If the solution is positive and leaves every
// order and pool on the side of its limit or band that was assumed, it is an exact
// equilibrium: every in-the-money order fills fully, the market clears to the unit.
// Otherwise the basis pivots, like a simplex step on the piecewise-linear Z: a pair whose
// ratio ran past the next limit pins that tie group (the ratio equals its limit, its
// filled value becomes an unknown); a pinned group whose value leaves [0, its size]
// moves its pin; pools take their new direction. Singular systems pin the nearest limits
// first. Bounded rounds and solves (docs/MECHANISMS.md 5.5).
#pragma once
#include <optional>
#include <vector>

#include "vector_book.hpp"

namespace pactum::matching {

struct Refinement {
  std::optional<std::vector<BigInt>> n;  // set when an exact, consistent equilibrium was found
  int rounds = 0;
};

Refinement refine_prices(const Book& book, const std::vector<BigInt>& start);

// The same by path following: from `start`, one boundary (a limit, a pool's band edge)
// per step, where the segment to the next solution first crosses it. More solves, but it
// does not jump past the equilibrium; the fallback of small markets (5.5).
Refinement refine_by_path(const Book& book, const std::vector<BigInt>& start);

// The same from the fills a completion produced: per pair, the orders [0, full) (in book
// order) that filled in full, and whether the next one is marginal (filled in part, or
// rationed): its tie group is pinned. Used when refine_prices found nothing: where the
// completion had to ration, the equilibrium price sits at that limit.
struct PairFill {
  std::size_t full = 0;
  bool marginal = false;
};
Refinement refine_from_fills(const Book& book, const std::vector<BigInt>& start, const std::vector<PairFill>& fills);

// Which way a pool trades at N: +1 takes a and gives b, -1 takes b and gives a, 0 neither
// (inside its no-trade band). Exact.
int pool_direction(const VectorPool& p, const std::vector<BigInt>& n);

// The pool's whole capacity at N as a value (units of N), for the direction it trades in.
Rational pool_capacity(const VectorPool& p, const std::vector<BigInt>& n);

}  // namespace pactum::matching
