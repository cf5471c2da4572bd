// The compute core's throttled workload (docs/MECHANISMS.md section 13). A unit is real
// work: SHA-256 over a 4 KiB buffer whose first 32 bytes are the previous digest, so no
// unit can be skipped or done in parallel. The workload runs in ticks; a tick at full
// speed does `units_per_tick` units. Units granted by accepted keys (grant()) run first;
// with none left, a tick runs the fallback share: fallback_permille/1000 of full speed
// (0 = off: the off-switch; the fractions carry over between ticks, exactly).
// The library reads no clock: the caller paces the ticks.
#pragma once
#include <array>
#include <cstdint>

#include "pactum/intents/crypto.hpp"

namespace pactum::compute {

constexpr std::size_t kBytesPerUnit = 4096;

struct TickResult {
  std::uint64_t paid = 0;    // units run on granted credit
  std::uint64_t unpaid = 0;  // units run at the fallback share
};

class Workload {
 public:
  Workload(std::uint64_t units_per_tick, std::uint32_t fallback_permille);
  void grant(std::uint64_t units) { credit_ += units; }
  TickResult tick();
  // Runs `n` units now, unmetered (benchmarks; tick() uses it).
  void run_units(std::uint64_t n);

  std::uint64_t credit() const { return credit_; }
  std::uint64_t paid_done() const { return paid_done_; }
  std::uint64_t unpaid_done() const { return unpaid_done_; }
  std::uint64_t units_done() const { return paid_done_ + unpaid_done_; }
  // The digest after the last unit: the work's result (and proof it was not elided).
  Hash32 digest() const;

 private:
  std::uint64_t units_per_tick_;
  std::uint32_t fallback_permille_;
  std::uint64_t credit_ = 0;
  std::uint64_t paid_done_ = 0;
  std::uint64_t unpaid_done_ = 0;
  std::uint64_t fallback_thousandths_ = 0;  // fallback units owed, in thousandths
  std::array<std::uint8_t, kBytesPerUnit> buffer_{};
};

}  // namespace pactum::compute
