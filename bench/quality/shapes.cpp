#include "shapes.hpp"

#include <sstream>

namespace pactum::quality {

Instance Shape::make(std::uint64_t seed) const {
  return generator == "rings" ? make_ring_instance(seed, params) : make_instance(seed, params);
}

std::string Shape::describe() const {
  std::ostringstream o;
  o << name << ": " << generator << " generator, " << params.min_intents << "-" << params.max_intents << " swaps over "
    << params.min_assets << "-" << params.max_assets << " assets, " << params.fill_or_kill_percent << "% fill-or-kill"
    << (idle_pools_in_band ? ", MILP with idle pools in band" : "");
  return o.str();
}

std::vector<Shape> all_shapes() {
  Shape plain{"default", "classic", InstanceShape{}};
  Shape fok{"fok-heavy", "classic", InstanceShape{}};
  fok.params.max_assets = 6;
  fok.params.max_intents = 30;
  fok.params.fill_or_kill_percent = 50;
  Shape rings{"rings", "rings", InstanceShape{}};
  rings.params.min_assets = 4;
  rings.params.max_assets = 6;
  rings.params.max_intents = 24;
  rings.params.fill_or_kill_percent = 30;
  return {plain, fok, rings};
}

bool select_shapes(const std::string& names, std::vector<Shape>& out) {
  const std::vector<Shape> all = all_shapes();
  std::istringstream in(names);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name == "all") {
      out.insert(out.end(), all.begin(), all.end());
      continue;
    }
    bool found = false;
    for (const auto& s : all)
      if (s.name == name) out.push_back(s), found = true;
    if (!found) return false;
  }
  return !out.empty();
}

}  // namespace pactum::quality
