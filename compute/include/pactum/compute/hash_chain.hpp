// PayWord hash chains for metered compute (docs/MECHANISMS.md section 13).
// w_0 = seed, w_{i+1} = H(w_i) with H(x) = tagged_hash("pactum/compute-key", x) (BIP-340
// style: SHA256(SHA256(tag) || SHA256(tag) || x)). The anchor w_L goes into the permit;
// keys are released w_{L-1}, ..., w_0, each one hash "below" the one before: whoever holds
// w_i can compute every key released before it, but not one after it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "pactum/intents/crypto.hpp"

namespace pactum::compute {

// The most keys a permit may carry: a refused key costs the acceptor up to L hashes.
constexpr std::uint64_t kMaxChainLength = std::uint64_t{1} << 32;

// H: one step up the chain.
Hash32 chain_step(const Hash32& value);
// H^n(value).
Hash32 chain_steps(Hash32 value, std::uint64_t n);

// Every key w_0..w_L (L+1 values): the reference the traversal is tested against.
std::vector<Hash32> naive_chain(const Hash32& seed, std::uint64_t length);

// Releases w_{L-1}, ..., w_0 from the seed without storing the chain: recursive binary
// pebbling. A stack of pebbles (index, value), indices increasing to the top; to release
// w_next, pebbles are dropped at the midpoint between the top pebble and `next` until the
// top is w_next, which is released and popped. The constructor computes the anchor in one
// pass of L hashes and drops the first key's pebbles on the way.
// Cost (measured in hash_chain_test.cpp, docs/MECHANISMS.md): at most ceil(log2 L) + 1
// pebbles; about (log2 L)/2 hashes per key on average; one key at a segment boundary
// costs up to L/2 hashes (Jakobsson's fractal schedule would spread that work; not built).
class ChainTraverser {
 public:
  ChainTraverser(const Hash32& seed, std::uint64_t length);
  const Hash32& anchor() const { return anchor_; }
  std::uint64_t length() const { return length_; }
  std::uint64_t released() const { return released_; }
  // The next key (w_{L-1} first), or nothing once w_0 is out.
  std::optional<Hash32> next();
  // Measurements: hashes since construction (the anchor pass included), the most pebbles
  // held at once.
  std::uint64_t hashes() const { return hashes_; }
  std::size_t max_pebbles() const { return max_pebbles_; }

 private:
  struct Pebble {
    std::uint64_t index;
    Hash32 value;
  };
  void drop_pebbles_down_to(std::uint64_t target);
  std::vector<Pebble> pebbles_;
  Hash32 anchor_;
  std::uint64_t length_;
  std::uint64_t released_ = 0;
  std::uint64_t hashes_ = 0;
  std::size_t max_pebbles_ = 0;
};

}  // namespace pactum::compute
