// Exact min-cost circulation on a small graph (the assets of one component, at most a few
// dozen nodes; edges aggregated per directed pair and per pool), by negative-cycle
// cancelling: Bellman-Ford over the residual graph finds a cycle of negative cost, the
// cycle is augmented by its bottleneck, until none is left. Capacities and flows are exact
// rationals; costs are small integers. Deterministic: edges and nodes are scanned in
// index order.
#pragma once
#include <vector>

#include "rational.hpp"

namespace pactum::matching {

struct FlowEdge {
  int from = 0;
  int to = 0;
  Rational cap;
  long cost = 0;
  Rational flow;
};

// Leaves a minimum-cost circulation in edges[i].flow (starting from the flows given,
// which must be feasible). False if kMaxAugmentations was exceeded (the flows are then
// still a feasible circulation, just not proven optimal).
bool min_cost_circulation(int nodes, std::vector<FlowEdge>& edges);

}  // namespace pactum::matching
