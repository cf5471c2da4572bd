// The linear system of the exact refinement (refinement.hpp): for a fixed active set (a
// basis), the price vector that clears every asset. Shared by refinement.cpp (the
// pivots between bases) and refinement_system.cpp (the system and its exact solution).
#pragma once
#include <optional>
#include <vector>

#include "vector_book.hpp"

namespace pactum::matching {

inline BigInt lcm_big(const BigInt& x, const BigInt& y) { return x / boost::multiprecision::gcd(x, y) * y; }

// The active set of one directed pair: orders [0, full) fill in full; when pinned, the
// tie group [full, end) of equal limits is marginal: the price ratio equals its limit and
// its filled value t is an unknown in [0, value of the group].
struct PairBasis {
  std::size_t full = 0;
  bool pinned = false;
  std::size_t end = 0;
  bool operator==(const PairBasis&) const = default;
};

struct Basis {
  std::vector<PairBasis> pairs;
  std::vector<int> pools;  // pool_direction assumed
  bool operator==(const Basis&) const = default;
};

struct Solution {
  std::vector<BigInt> n;
  std::vector<Rational> t;  // per pair (0 unless pinned)
};

// Solves Z(N, t) = 0 and the pins for `basis` (refinement_system.cpp); assets nothing
// active touches keep their price in `reference`. nullopt when a system is singular or
// too large, or a price comes out non-positive.
std::optional<Solution> solve_basis(const Book& book, const Basis& basis, const std::vector<BigInt>& reference);

}  // namespace pactum::matching
