// The quality bench's named instance shapes: a generator and its size parameters. Every
// run measures each selected shape separately, because a matcher can meet its targets on
// one kind of batch and not on another (issue 19, "Quality on batches nobody tuned for").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "instance.hpp"

namespace pactum::quality {

struct Shape {
  std::string name;
  std::string generator;  // "classic" (make_instance) or "rings" (make_ring_instance)
  InstanceShape params;
  // The MILP's idle-pool habit (exact_milp.hpp), off for every shape since the market
  // clearing of pools (MilpRules::pools_clear) pins what it was for: before, rings had it on,
  // because an idle bridge pool left a whole cluster's price level free.
  bool idle_pools_in_band = false;
  Instance make(std::uint64_t seed) const;
  std::string describe() const;
};

// default    classic, 6-20 swaps over 3-5 assets, 25% fill-or-kill (the issue-3 set)
// fok-heavy  classic, 6-30 swaps over 3-6 assets, 50% fill-or-kill
// rings      rings, 6-24 swaps over 4-6 assets, 30% fill-or-kill
std::vector<Shape> all_shapes();

// The shapes named in a comma-separated list ("all" for every one); false on an unknown name.
bool select_shapes(const std::string& names, std::vector<Shape>& out);

}  // namespace pactum::quality
