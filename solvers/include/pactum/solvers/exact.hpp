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

}  // namespace pactum::solvers
