// The price programs of tiny markets (vector_clearing.hpp step 3, last part; the programs
// themselves are in price_lp.hpp): a fill pattern's best price vector, a local search
// over neighbouring patterns, and the program's settlement completed at its own flows.
#pragma once
#include <optional>
#include <utility>
#include <vector>

#include "price_lp.hpp"
#include "vector_clearing.hpp"

namespace pactum::matching {

// The pattern a result realises: per order full (1), a fraction (2), nothing (0); per
// pool the way it trades at the result's vector.
FillPattern pattern_of(const Book& book, const VectorResult& r);

// Local search over patterns from `start` (programs started near `n`), spending from
// `budget` one per program solved; the best pattern found and its program.
std::optional<std::pair<FillPattern, PriceProgram>> search_patterns(const Book& book, FillPattern start,
                                                                    const std::vector<BigInt>& n, int& budget);

// The settlement of a program (`start`: the vector it started from).
VectorResult complete_program(const Book& book, const FillPattern& pattern, const PriceProgram& prog,
                              const std::vector<BigInt>& start);

}  // namespace pactum::matching
