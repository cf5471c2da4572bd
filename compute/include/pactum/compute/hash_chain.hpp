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

// Both traversals release w_{L-1}, ..., w_0 from the seed without storing the chain, and
// compute the anchor in one pass of L hashes when constructed. Measured costs:
// hash_chain_test.cpp and docs/MECHANISMS.md section 13.

// Recursive binary pebbling: a stack of pebbles (index, value), indices increasing to the
// top; to release w_t, pebbles are dropped at the midpoint between the top pebble and t
// until the top is w_t, which is released and popped. At most ceil(log2 L) + 1 pebbles,
// about (log2 L)/2 - 1 hashes per key on average, but up to L/2 for one key.
class PebbleTraverser {
 public:
  PebbleTraverser(const Hash32& seed, std::uint64_t length);
  const Hash32& anchor() const { return anchor_; }
  std::uint64_t length() const { return length_; }
  std::uint64_t released() const { return released_; }
  // The next key (w_{L-1} first), or nothing once w_0 is out.
  std::optional<Hash32> next();
  // Measurements: hashes since construction (the anchor pass included), the most pebbles
  // held at once, the most hashes one next() took.
  std::uint64_t hashes() const { return hashes_; }
  std::size_t max_pebbles() const { return max_pebbles_; }
  std::uint64_t max_hashes_per_key() const { return max_hashes_per_key_; }

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
  std::uint64_t max_hashes_per_key_ = 0;
};

// Jakobsson's fractal traversal ("Fractal Hash Sequence Representation and Traversal",
// 2002). Positions 1..n (n = 2^s >= L) count releases, position p holding w_{n-p}. Pebble
// j starts at position 2^j. Each release moves every pebble that is not at its
// destination two positions down (two hashes); a pebble reached by the release is
// output, then jumps to position p + 3*2^j (taking the value of the pebble there) with
// destination p + 2^(j+1); an odd position is one hash from the pebble above it. When
// L < n the first n - L positions (w_{n-1} .. w_L) are run through on positions only,
// and the pebbles' values are then filled in by one pass from the seed.
// At most s pebbles and s hashes per key (worst case), (s/2) - 1 on average.
class FractalTraverser {
 public:
  FractalTraverser(const Hash32& seed, std::uint64_t length);
  const Hash32& anchor() const { return anchor_; }
  std::uint64_t length() const { return length_; }
  std::uint64_t released() const { return released_; }
  std::optional<Hash32> next();
  std::uint64_t hashes() const { return hashes_; }
  std::size_t max_pebbles() const { return max_pebbles_; }
  std::uint64_t max_hashes_per_key() const { return max_hashes_per_key_; }
  // Times a pebble the schedule relies on was missing and the value was hashed from a
  // higher pebble instead (never, if the schedule is right: the tests check it).
  std::uint64_t fallbacks() const { return fallbacks_; }

 private:
  struct Pebble {
    std::uint64_t position;
    std::uint64_t destination;
    unsigned level;
    Hash32 value;
  };
  // One release at position `current`: walks, output, relocation. Without values (the
  // positions skipped when L < n) it moves positions only.
  Hash32 step(std::uint64_t current, bool with_values);
  Hash32 value_at(std::uint64_t position, bool with_values);
  Pebble* pebble_at(std::uint64_t position);
  std::vector<Pebble> pebbles_;
  Hash32 anchor_;
  std::uint64_t length_;
  std::uint64_t span_ = 0;      // n
  std::uint64_t position_ = 0;  // the last position stepped
  std::uint64_t released_ = 0;
  std::uint64_t hashes_ = 0;
  std::size_t max_pebbles_ = 0;
  std::uint64_t max_hashes_per_key_ = 0;
  std::uint64_t fallbacks_ = 0;
};

// What the controller uses.
using ChainTraverser = FractalTraverser;

}  // namespace pactum::compute
