#include "pactum/ledger/cores.hpp"

#include <algorithm>
#include <thread>

namespace pactum {

unsigned core_count() {
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return cores;
}

}  // namespace pactum
