// The exact solver's view of an instance (exact_solver.cpp): assets by index, each with a
// scale (base units per "scaled unit", a power of ten chosen so that the MILP's numbers
// are of moderate size) and its market's numeraire, the swaps and pools by asset index,
// and the MILP's input (price box, scaled amounts).
//
// The price box. A production instance has no reference prices, so they are derived from
// the instance itself, per market (connected component of the swaps' pairs and the pools;
// its numeraire is its first asset in byte order, at 1): along a spanning tree that takes
// pools first (deepest first: a pool's mid price y/x is where the market trades unless the
// batch moves it) and then swaps (a swap's limit B/S, in instance order), each asset's
// reference is the product of the ratios on its path from the numeraire. Every free price
// then lies in [reference / kPriceBox, reference * kPriceBox]. The MILP is exact for the
// rules inside that box; a limit or pool further away than that from the references is
// treated as unreachable (its swap never, or always, in the money within the box).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "pactum/solvers/exact_milp.hpp"
#include "pactum/solvers/solver.hpp"

namespace pactum::solvers::exact {

using Rational = boost::multiprecision::cpp_rational;

inline constexpr double kPriceBox = 1.25;
// The MILP sees every pool with its gamma (1 - fee) smaller by this fraction: its band a
// little wider, so that at any price where the MILP uses it, the real pool has room on its
// curve of about this fraction of its reserves' value (much more than the exact prices
// move from the MILP's and than integer rounding needs). Like a fee 0.1 bps higher.
inline const Rational kBandWiden{1, 100000};

// The gamma of a pool as the MILP sees it: (10000 - fee) / 10000 * (1 - kBandWiden).
Rational milp_gamma(const Pool& p);

struct ProblemSwap {
  const InstanceSwap* s = nullptr;
  std::size_t sell = 0, buy = 0;
};

struct ProblemPool {
  const Pool* p = nullptr;
  std::size_t a = 0, b = 0;  // a < b (the pool's asset_a, asset_b)
};

struct Problem {
  std::vector<std::string> assets;  // the instance's, sorted
  std::vector<BigInt> scale;        // base units per scaled unit
  std::vector<std::size_t> root;    // per asset: its market's numeraire (its smallest index)
  std::vector<double> reference;    // per asset: reference price per scaled unit (root: 1)
  std::vector<ProblemSwap> swaps;   // the instance's, in order
  std::vector<ProblemPool> pools;   // the instance's pools with both reserves > 0
};

// nullopt when the instance names an asset it does not list (malformed).
std::optional<Problem> make_problem(const Instance& instance);

MilpInput milp_input(const Problem& problem, double time_limit_seconds);

double to_double(const BigInt& v);
double to_double(const Rational& v);
// Scaled amount: v / scale as a double.
double scaled(const BigInt& v, const BigInt& scale);

}  // namespace pactum::solvers::exact
