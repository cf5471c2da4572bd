// The scenario generator's randomness: xoshiro256** seeded through splitmix64, with
// integer-only draws written here (std::uniform_int_distribution and friends are
// implementation-defined, so they could give another chain on another standard library).
// No floating point anywhere: the same seed gives the same draws on every platform.
#pragma once
#include <cstdint>
#include <stdexcept>

namespace pactum::scenario {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& word : s_) word = splitmix64(x);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0, without modulo bias (rejection of the short last range).
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) throw std::logic_error("Rng::below(0)");
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }
  // Uniform in [lo, hi], lo <= hi.
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) {
    if (hi < lo) throw std::logic_error("Rng::between: hi < lo");
    if (hi - lo == UINT64_MAX) return next();
    return lo + below(hi - lo + 1);
  }
  // Signed uniform in [-m, m].
  std::int64_t symmetric(std::int64_t m) {
    return static_cast<std::int64_t>(between(0, static_cast<std::uint64_t>(2 * m))) - m;
  }
  // True with probability per_mille / 1000.
  bool chance(std::uint64_t per_mille) { return below(1000) < per_mille; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t s_[4];
};

}  // namespace pactum::scenario
