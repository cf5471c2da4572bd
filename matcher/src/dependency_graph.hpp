// The dependency graph of condition resolution (conditions.cpp) and what is computed on
// it: strongly connected components (Tarjan's algorithm, iterative) and each component's
// stratum, the most negative edges on a path below it. Internal to the matcher.
#pragma once
#include <cstddef>
#include <vector>

namespace pactum::matching {

// The dependency graph of find_strata: nodes are commitments, then groups, then
// patterns, then the patterns' segment tree nodes; an edge is negative when it reads
// through "unless".
struct Edge {
  std::size_t to;
  bool negative;
};
using DependencyGraph = std::vector<std::vector<Edge>>;

// Strongly connected components, in completion order (dependencies first), and each
// node's component.
struct Components {
  std::vector<std::vector<std::size_t>> members;
  std::vector<std::size_t> of;  // per node
};

// Tarjan's algorithm as an iterative walk (a chain of 10,000 requires must not overflow
// the stack).
Components strongly_connected(const DependencyGraph& out);

// Per component: a cycle through negation (a negative edge inside it), and its stratum,
// the most negative edges on a path below it.
struct ComponentStrata {
  std::vector<int> stratum;
  std::vector<bool> cycle;
};

ComponentStrata component_strata(const DependencyGraph& out, const Components& sccs);

}  // namespace pactum::matching
