// The "rings" generator (instance.hpp has its design). It shares nothing with the classic
// generator but InstanceBuilder, so a matcher tuned on one is measured on the other.
#include <algorithm>
#include <random>
#include <set>

#include "instance.hpp"

namespace pactum::quality {

namespace {

class RingGenerator {
 public:
  RingGenerator(std::uint64_t seed, const InstanceShape& shape) : rng_(seed ^ 0x72696e6773ULL), shape_(shape) {}
  Instance make(std::uint64_t seed);

 private:
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::size_t any(const std::vector<std::size_t>& v) { return v[static_cast<std::size_t>(pick(0, int(v.size()) - 1))]; }
  void split_clusters(int k);
  void add_pools(InstanceBuilder& b);
  void add_ring(InstanceBuilder& b, const std::vector<std::size_t>& cluster, double premium);

  std::mt19937_64 rng_;
  InstanceShape shape_;
  std::vector<std::size_t> clusters_[2];
};

// Two clusters of at least two assets each (so each holds a ring), in random membership.
void RingGenerator::split_clusters(int k) {
  std::vector<std::size_t> order(static_cast<std::size_t>(k));
  for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
  std::shuffle(order.begin(), order.end(), rng_);
  const auto first = static_cast<std::size_t>(pick(2, k - 2));
  clusters_[0].assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(first));
  clusters_[1].assign(order.begin() + static_cast<std::ptrdiff_t>(first), order.end());
}

// One deep pool joins the clusters; thin pools (a few dozen units, easily pushed off
// their price) join the assets of each cluster (a random spanning tree), and perhaps form
// a second bridge. The clusters have no swap between them, so the bridge pools alone set
// their relative price; every asset is reachable from T0 through pools.
void RingGenerator::add_pools(InstanceBuilder& b) {
  const std::uint32_t fees[] = {0, 5, 30, 100};
  std::set<std::pair<std::size_t, std::size_t>> used;
  auto pool = [&](std::size_t x, std::size_t y, double value, std::uint32_t fee) {
    if (x > y) std::swap(x, y);
    if (!used.insert({x, y}).second) return;
    b.add_pool(x, y, value, uniform(0.97, 1.03), fee);
  };
  pool(any(clusters_[0]), any(clusters_[1]), uniform(5000, 20000), pick(0, 1) ? 5 : 30);
  for (const auto& cluster : clusters_)
    for (std::size_t i = 1; i < cluster.size(); ++i)
      pool(cluster[static_cast<std::size_t>(pick(0, int(i) - 1))], cluster[i], uniform(5, 60), fees[pick(0, 3)]);
  if (pick(0, 1)) pool(any(clusters_[0]), any(clusters_[1]), uniform(5, 60), fees[pick(0, 3)]);
}

// A ring of 2 to 4 distinct assets of one cluster, each swap selling to the next. Its
// swaps carry about the same value (0.8..1.25 of the ring's), so a ring of partial swaps
// clears with some rationing, and ask the ring's premium: exactly, or within 0.05%.
void RingGenerator::add_ring(InstanceBuilder& b, const std::vector<std::size_t>& cluster, double premium) {
  std::vector<std::size_t> members = cluster;
  std::shuffle(members.begin(), members.end(), rng_);
  const int longest = std::min(4, int(members.size()));
  members.resize(static_cast<std::size_t>(pick(std::min(3, longest), longest)));
  const double value = uniform(2, 30);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::size_t sell = members[i], buy = members[(i + 1) % members.size()];
    const double jitter = pick(0, 1) ? 0.0 : uniform(-5e-4, 5e-4);
    const SwapSide side = pick(0, 1) ? SwapSide::sell : SwapSide::buy;
    const bool partial = pick(0, 99) >= shape_.fill_or_kill_percent;
    b.add_swap(sell, buy, value * uniform(0.8, 1.25), 1.0 + premium + jitter, side, partial);
  }
}

Instance RingGenerator::make(std::uint64_t seed) {
  const int k = pick(std::max(4, shape_.min_assets), std::max(4, shape_.max_assets));
  std::vector<double> reference;
  for (int a = 0; a < k; ++a) reference.push_back(a == 0 ? 1.0 : uniform(0.5, 4.0));
  InstanceBuilder b(seed, reference);
  split_clusters(k);
  add_pools(b);
  std::vector<double> premiums(static_cast<std::size_t>(pick(2, 3)));
  for (auto& p : premiums) p = uniform(-0.015, 0.008);
  const auto target = static_cast<std::size_t>(pick(shape_.min_intents, shape_.max_intents));
  while (b.swaps() < target) {
    const auto& cluster = clusters_[pick(0, 1)];
    const std::size_t longest = std::min<std::size_t>(4, cluster.size());
    if (b.swaps() > 0 && b.swaps() + longest > static_cast<std::size_t>(shape_.max_intents)) break;
    add_ring(b, cluster, premiums[static_cast<std::size_t>(pick(0, int(premiums.size()) - 1))]);
  }
  return b.finish();
}

}  // namespace

Instance make_ring_instance(std::uint64_t seed, const InstanceShape& shape) {
  return RingGenerator(seed, shape).make(seed);
}

}  // namespace pactum::quality
