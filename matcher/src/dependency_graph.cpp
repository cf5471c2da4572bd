#include "dependency_graph.hpp"

#include <algorithm>
#include <utility>

namespace pactum::matching {

Components strongly_connected(const DependencyGraph& out) {
  const std::size_t nodes = out.size();
  constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);
  std::vector<std::size_t> index(nodes, kUnvisited), low(nodes, 0);
  Components sccs;
  sccs.of.assign(nodes, kUnvisited);
  std::vector<bool> on_stack(nodes, false);
  std::vector<std::size_t> stack;
  std::size_t next_index = 0;
  for (std::size_t root = 0; root < nodes; ++root) {
    if (index[root] != kUnvisited) continue;
    std::vector<std::pair<std::size_t, std::size_t>> walk{{root, 0}};  // (node, next edge)
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!walk.empty()) {
      auto& [v, e] = walk.back();
      if (e < out[v].size()) {
        const std::size_t w = out[v][e++].to;
        if (index[w] == kUnvisited) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          walk.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const std::size_t done = v;
      walk.pop_back();
      if (!walk.empty()) low[walk.back().first] = std::min(low[walk.back().first], low[done]);
      if (low[done] != index[done]) continue;
      std::vector<std::size_t> comp;
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        sccs.of[w] = sccs.members.size();
        comp.push_back(w);
      } while (w != done);
      sccs.members.push_back(std::move(comp));
    }
  }
  return sccs;
}

ComponentStrata component_strata(const DependencyGraph& out, const Components& sccs) {
  ComponentStrata s{std::vector<int>(sccs.members.size(), 0), std::vector<bool>(sccs.members.size(), false)};
  for (std::size_t k = 0; k < sccs.members.size(); ++k) {
    bool cycle = false;
    for (std::size_t v : sccs.members[k]) {
      for (const Edge& e : out[v]) {
        if (sccs.of[e.to] == k) {
          cycle = cycle || e.negative;
        } else {
          s.stratum[k] = std::max(s.stratum[k], s.stratum[sccs.of[e.to]] + (e.negative ? 1 : 0));
        }
      }
    }
    s.cycle[k] = cycle;
  }
  return s;
}

}  // namespace pactum::matching
