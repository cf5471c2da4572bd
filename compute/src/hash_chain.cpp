// PayWord chains and their traversal by recursive binary pebbling (hash_chain.hpp).
#include "pactum/compute/hash_chain.hpp"

#include <algorithm>

namespace pactum::compute {

namespace {

const TaggedHasher& key_hasher() {
  static const TaggedHasher hasher("pactum/compute-key");
  return hasher;
}

// The midpoint the traversal drops a pebble at between `from` and `to` (from < to): the
// upper middle, so that a gap of one lands on `to` itself.
std::uint64_t midpoint(std::uint64_t from, std::uint64_t to) { return from + (to - from + 1) / 2; }

}  // namespace

Hash32 chain_step(const Hash32& value) { return key_hasher()(Bytes(value.bytes)); }

Hash32 chain_steps(Hash32 value, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i) value = chain_step(value);
  return value;
}

std::vector<Hash32> naive_chain(const Hash32& seed, std::uint64_t length) {
  std::vector<Hash32> out;
  out.reserve(length + 1);
  out.push_back(seed);
  for (std::uint64_t i = 0; i < length; ++i) out.push_back(chain_step(out.back()));
  return out;
}

ChainTraverser::ChainTraverser(const Hash32& seed, std::uint64_t length) : length_(length) {
  // The pebbles the first key needs: 0, then midpoints toward L-1 (an empty chain has none).
  std::vector<std::uint64_t> plan;
  if (length > 0) {
    plan.push_back(0);
    while (plan.back() < length - 1) plan.push_back(midpoint(plan.back(), length - 1));
  }
  Hash32 value = seed;
  auto next_planned = plan.begin();
  for (std::uint64_t index = 0;; ++index) {
    if (next_planned != plan.end() && *next_planned == index) {
      pebbles_.push_back({index, value});
      ++next_planned;
    }
    if (index == length) break;
    value = chain_step(value);
    ++hashes_;
  }
  anchor_ = value;
  max_pebbles_ = pebbles_.size();
}

void ChainTraverser::drop_pebbles_down_to(std::uint64_t target) {
  while (pebbles_.back().index < target) {
    const Pebble& top = pebbles_.back();
    const std::uint64_t mid = midpoint(top.index, target);
    Pebble dropped{mid, top.value};
    for (std::uint64_t i = top.index; i < mid; ++i) dropped.value = chain_step(dropped.value);
    hashes_ += mid - top.index;
    pebbles_.push_back(dropped);
    max_pebbles_ = std::max(max_pebbles_, pebbles_.size());
  }
}

std::optional<Hash32> ChainTraverser::next() {
  if (released_ == length_) return std::nullopt;
  const std::uint64_t target = length_ - 1 - released_;
  // Invariant: the top pebble's index is at most `target` (the one above it was released).
  drop_pebbles_down_to(target);
  const Hash32 key = pebbles_.back().value;
  pebbles_.pop_back();
  ++released_;
  return key;
}

}  // namespace pactum::compute
