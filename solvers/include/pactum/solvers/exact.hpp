// The exact solver for small batches: a mixed-integer program over the fill-or-kill
// choices and the price vector (GLPK), solved within the deadline. Its floating-point
// answer is turned into exact integer amounts (rounding against the traders, in favour of
// the pools) before it is proposed; the picker then checks it like every other proposal.
#pragma once
#include <cstddef>
#include <memory>

#include "pactum/solvers/solver.hpp"

namespace pactum::solvers {

struct ExactOptions {
  std::size_t max_swaps = 40;  // larger instances are not attempted ("failed": too large)
  std::size_t max_assets = 8;
};

std::unique_ptr<Solver> exact_solver(ExactOptions options = {});

// The polish solver: the same MILP near the built-in matcher's answer, for batches too
// large for the exact solver. It runs the built-in matcher, keeps the partial swaps and the
// fill-or-kill swaps the matcher filled (its fill-or-kill choice: few binaries), and solves
// with every price within 5% of the matcher's (in the exact solver's wide box when the
// matcher priced nothing: a batch whose rings it could not clear). It finds what the price search misses near
// its own answer: a rationed in-the-money partial swap (the market clears a little further
// on), a better split of the flows among the pools. Statuses as the exact solver's.
std::unique_ptr<Solver> polish_solver(ExactOptions options = {});

}  // namespace pactum::solvers
