#include "circulation.hpp"

#include <limits>

namespace pactum::matching {
namespace {

constexpr int kMaxAugmentations = 20000;

struct Arc {
  int edge;
  bool forward;
};

}  // namespace

bool min_cost_circulation(int nodes, std::vector<FlowEdge>& edges) {
  const std::size_t n = static_cast<std::size_t>(nodes);
  for (int round = 0; round < kMaxAugmentations; ++round) {
    // Residual arcs of this round.
    std::vector<Arc> arcs;
    arcs.reserve(edges.size() * 2);
    for (std::size_t e = 0; e < edges.size(); ++e) {
      if (edges[e].flow < edges[e].cap) arcs.push_back({static_cast<int>(e), true});
      if (edges[e].flow > 0) arcs.push_back({static_cast<int>(e), false});
    }
    // Bellman-Ford from a virtual source joined to every node at cost 0.
    std::vector<long> dist(n, 0);
    std::vector<int> pred(n, -1);  // arc index that last improved the node
    int relaxed = -1;
    for (std::size_t pass = 0; pass < n; ++pass) {
      relaxed = -1;
      for (std::size_t k = 0; k < arcs.size(); ++k) {
        const FlowEdge& e = edges[arcs[k].edge];
        const int u = arcs[k].forward ? e.from : e.to;
        const int v = arcs[k].forward ? e.to : e.from;
        const long c = arcs[k].forward ? e.cost : -e.cost;
        if (dist[u] + c < dist[v]) {
          dist[v] = dist[u] + c;
          pred[v] = static_cast<int>(k);
          relaxed = v;
        }
      }
      if (relaxed < 0) return true;  // no negative cycle: optimal
    }
    // `relaxed` reaches a negative cycle through pred; step n times to land on it.
    int v = relaxed;
    for (std::size_t i = 0; i < n; ++i) {
      if (pred[v] < 0) return true;  // cannot happen after a relaxation in pass n; be safe
      const Arc& a = arcs[pred[v]];
      v = a.forward ? edges[a.edge].from : edges[a.edge].to;
    }
    std::vector<int> cycle;  // arc indices
    int u = v;
    do {
      const int k = pred[u];
      if (k < 0) return true;
      cycle.push_back(k);
      const Arc& a = arcs[k];
      u = a.forward ? edges[a.edge].from : edges[a.edge].to;
    } while (u != v);
    Rational bottleneck;
    bool first = true;
    for (int k : cycle) {
      const Arc& a = arcs[k];
      const FlowEdge& e = edges[a.edge];
      const Rational room = a.forward ? Rational(e.cap - e.flow) : e.flow;
      if (first || room < bottleneck) bottleneck = room;
      first = false;
    }
    for (int k : cycle) {
      const Arc& a = arcs[k];
      if (a.forward)
        edges[a.edge].flow += bottleneck;
      else
        edges[a.edge].flow -= bottleneck;
    }
  }
  return false;
}

}  // namespace pactum::matching
