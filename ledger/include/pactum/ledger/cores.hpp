// The number of cores work may be spread over: std::thread::hardware_concurrency(),
// at least 1, read once. glibc answers hardware_concurrency() by opening and reading
// /sys/devices/system/cpu/online, three system calls, and the block producer asks on
// every block.
#pragma once

namespace pactum {

unsigned core_count();

}  // namespace pactum
