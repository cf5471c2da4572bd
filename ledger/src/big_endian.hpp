// Big-endian integers in byte strings: the store's keys and locators and the state
// leaves' fields (docs/PROTOCOL.md gives the layouts). Through Boost.Endian, so that no
// codec shifts bytes by hand.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/endian/conversion.hpp>

namespace pactum::big_endian {

inline void append32(std::string& out, std::uint32_t v) {
  unsigned char b[4];
  boost::endian::store_big_u32(b, v);
  out.append(reinterpret_cast<const char*>(b), 4);
}
inline void append64(std::string& out, std::uint64_t v) {
  unsigned char b[8];
  boost::endian::store_big_u64(b, v);
  out.append(reinterpret_cast<const char*>(b), 8);
}
inline std::string u32(std::uint32_t v) {
  std::string s;
  append32(s, v);
  return s;
}
inline std::string u64(std::uint64_t v) {
  std::string s;
  append64(s, v);
  return s;
}
// The unsigned value of `s` read big-endian: its last 8 bytes, a shorter string as if
// padded with zero bytes on the left (a 4-byte field gives its u32).
inline std::uint64_t read(std::string_view s) {
  unsigned char b[8] = {};
  const std::size_t n = std::min<std::size_t>(s.size(), 8);
  std::copy_n(s.data() + (s.size() - n), n, b + (8 - n));
  return boost::endian::load_big_u64(b);
}

}  // namespace pactum::big_endian
