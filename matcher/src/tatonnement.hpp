// The approximate price search of a multi-asset component: deterministic tatonnement on
// the price vector in fixed-width integer arithmetic (SPEEDEX, NSDI '23, section 5, with
// integer prices and an integer step-size rule instead of floating point).
//
// Prices live in working units (Book::shift) as integers below 2^60. One step:
//   Z[a]   = value demanded of a - value supplied of a at P (orders in the money fill in
//            full, pools trade their whole capacity at P; a binary search per pair)
//   err[a] = Z[a] / (value of everything that could supply a: all orders selling it and
//            its pool reserves), clamped to [-1, 1], fixed point 2^-32
//   P'[a]  = P[a] * (1 + eta * err[a])
// A step is kept only if sum(err^2) falls; then eta grows by 5/4 (up to 4), else it halves. The
// search stops when every |err| < 2^-24, when eta underflows, or after kMaxIterations.
// The result need not clear exactly: the exact steps that follow (refinement, completion)
// only need it close.
#pragma once
#include <cstdint>
#include <vector>

#include "vector_book.hpp"

namespace pactum::matching {

struct PriceSearch {
  std::vector<BigInt> n;  // scale-free exact price vector (see vector_book.hpp)
  int iterations = 0;
  bool converged = false;
};

PriceSearch search_prices(const Book& book);

}  // namespace pactum::matching
