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

PebbleTraverser::PebbleTraverser(const Hash32& seed, std::uint64_t length) : length_(length) {
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

void PebbleTraverser::drop_pebbles_down_to(std::uint64_t target) {
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

std::optional<Hash32> PebbleTraverser::next() {
  if (released_ == length_) return std::nullopt;
  const std::uint64_t target = length_ - 1 - released_;
  const std::uint64_t before = hashes_;
  // Invariant: the top pebble's index is at most `target` (the one above it was released).
  drop_pebbles_down_to(target);
  const Hash32 key = pebbles_.back().value;
  pebbles_.pop_back();
  ++released_;
  max_hashes_per_key_ = std::max(max_hashes_per_key_, hashes_ - before);
  return key;
}

FractalTraverser::FractalTraverser(const Hash32& seed, std::uint64_t length) : length_(length) {
  unsigned levels = 1;
  while ((std::uint64_t{1} << levels) < length) ++levels;
  span_ = std::uint64_t{1} << levels;
  for (unsigned j = 1; j <= levels; ++j) {
    const std::uint64_t at = std::uint64_t{1} << j;
    pebbles_.push_back({at, at, j, Hash32{}});
  }
  // Positions 1..n-L are not keys (they are w_{n-1}..w_L): run them on positions only.
  if (length > 0)
    while (position_ < span_ - length) step(++position_, false);
  // Then one pass from the seed gives every pebble's value and the anchor.
  std::vector<Pebble*> by_index;  // chain index n - position, ascending
  for (Pebble& p : pebbles_) by_index.push_back(&p);
  std::sort(by_index.begin(), by_index.end(),
            [](const Pebble* a, const Pebble* b) { return a->position > b->position; });
  Hash32 value = seed;
  auto fill = by_index.begin();
  for (std::uint64_t index = 0;; ++index) {
    while (fill != by_index.end() && span_ - (*fill)->position == index) (*fill++)->value = value;
    if (index == length) anchor_ = value;
    if (index >= length && fill == by_index.end()) break;
    value = chain_step(value);
    ++hashes_;
  }
  max_pebbles_ = pebbles_.size();
}

FractalTraverser::Pebble* FractalTraverser::pebble_at(std::uint64_t position) {
  for (Pebble& p : pebbles_)
    if (p.position == position) return &p;
  return nullptr;
}

// The value at `position` from the nearest pebble at or above it: the pebble itself, or
// one hash for an odd position; anything more is a fallback the schedule should not need.
Hash32 FractalTraverser::value_at(std::uint64_t position, bool with_values) {
  const Pebble* above = nullptr;
  for (const Pebble& p : pebbles_)
    if (p.position >= position && (above == nullptr || p.position < above->position)) above = &p;
  if (above == nullptr) return Hash32{};  // only past the end of a skipped stretch
  const std::uint64_t distance = above->position - position;
  if (distance > 1) ++fallbacks_;
  if (!with_values) return Hash32{};
  hashes_ += distance;
  return chain_steps(above->value, distance);
}

Hash32 FractalTraverser::step(std::uint64_t current, bool with_values) {
  for (Pebble& p : pebbles_) {
    const std::uint64_t moves = std::min<std::uint64_t>(2, p.position - p.destination);
    p.position -= moves;
    if (with_values) {
      p.value = chain_steps(p.value, moves);
      hashes_ += moves;
    }
  }
  Pebble* reached = pebble_at(current);
  if (reached == nullptr) return value_at(current, with_values);
  const Hash32 out = reached->value;
  const std::uint64_t jump = current + 3 * (std::uint64_t{1} << reached->level);
  const std::uint64_t destination = current + (std::uint64_t{2} << reached->level);
  if (destination > span_) {
    pebbles_.erase(pebbles_.begin() + (reached - pebbles_.data()));
    return out;
  }
  reached->position = jump;  // out of the way before looking up the value there
  reached->destination = destination;
  const Pebble* source = nullptr;
  for (const Pebble& p : pebbles_)
    if (&p != reached && p.position == jump) source = &p;
  if (source != nullptr) {
    reached->value = source->value;
  } else {
    reached->value = value_at(jump, with_values);
    ++fallbacks_;
  }
  return out;
}

std::optional<Hash32> FractalTraverser::next() {
  if (released_ == length_) return std::nullopt;
  const std::uint64_t before = hashes_;
  const Hash32 key = step(++position_, true);
  ++released_;
  max_hashes_per_key_ = std::max(max_hashes_per_key_, hashes_ - before);
  max_pebbles_ = std::max(max_pebbles_, pebbles_.size());
  return key;
}

}  // namespace pactum::compute
