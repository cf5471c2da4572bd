// The throttled workload (workload.hpp).
#include "pactum/compute/workload.hpp"

#include <algorithm>
#include <cstring>

namespace pactum::compute {

Workload::Workload(std::uint64_t units_per_tick, std::uint32_t fallback_permille)
    : units_per_tick_(units_per_tick), fallback_permille_(std::min<std::uint32_t>(fallback_permille, 1000)) {
  for (std::size_t i = 0; i < buffer_.size(); ++i) buffer_[i] = static_cast<std::uint8_t>(i * 131 + 7);
}

void Workload::run_units(std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i) {
    const Hash32 h = sha256(Bytes(buffer_));
    std::memcpy(buffer_.data(), h.bytes.data(), h.bytes.size());
  }
}

TickResult Workload::tick() {
  TickResult r;
  r.paid = std::min(credit_, units_per_tick_);
  credit_ -= r.paid;
  if (r.paid == 0) {
    // No credit: the fallback share, its fractions carried so that N ticks run exactly
    // floor(N * units_per_tick * permille / 1000) units.
    fallback_thousandths_ += units_per_tick_ * fallback_permille_;
    r.unpaid = fallback_thousandths_ / 1000;
    fallback_thousandths_ %= 1000;
  }
  run_units(r.paid + r.unpaid);
  paid_done_ += r.paid;
  unpaid_done_ += r.unpaid;
  return r;
}

Hash32 Workload::digest() const {
  Hash32 h;
  std::memcpy(h.bytes.data(), buffer_.data(), h.bytes.size());
  return h;
}

}  // namespace pactum::compute
