#include "pactum/intents/amount.hpp"

#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

namespace pactum {
namespace {
// 2^256 - 1 has 78 decimal digits.
constexpr std::size_t kMaxDigits = 78;
const Amount kMax = ~Amount(0);
}  // namespace

Result<Amount> parse_amount(std::string_view text, std::string_view field) {
  const std::string f(field);
  if (text.empty()) return make_error(Errc::invalid_params, f + ": amount is empty", f);
  if (text[0] == '-') return make_error(Errc::invalid_params, f + ": amount must not be negative", f);
  if (text[0] == '+') return make_error(Errc::invalid_params, f + ": amount must not carry a sign", f);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') return make_error(Errc::invalid_params, f + ": amount must be a whole number (no fraction)", f);
    if (c == 'e' || c == 'E')
      return make_error(Errc::invalid_params, f + ": amount must be plain decimal digits (no exponent)", f);
    if (c < '0' || c > '9') {
      // Only a printable ASCII character is quoted: one byte of a multi-byte character
      // is not text, and an error message must stay valid UTF-8.
      const auto byte = static_cast<unsigned char>(c);
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      const std::string what =
          byte >= 0x20 && byte < 0x7F ? "'" + std::string(1, c) + "'" : std::string("the byte ") + hex;
      return make_error(
          Errc::invalid_params,
          f + ": amount must contain only decimal digits, found " + what + " at position " + std::to_string(i), f);
    }
  }
  if (text.size() > 1 && text[0] == '0') {
    return make_error(Errc::invalid_params, f + ": amount must not have leading zeros", f);
  }
  const std::string overflow = f + ": amount exceeds 2^256-1";
  if (text.size() > kMaxDigits) return make_error(Errc::invalid_params, overflow, f);
  const BigInt v{std::string(text)};  // digits only: cannot throw
  if (v > BigInt(kMax)) return make_error(Errc::invalid_params, overflow, f);
  return Amount(v);
}

Result<Amount> parse_amount_json(const nlohmann::json& value, std::string_view field) {
  if (!value.is_string()) {
    const std::string f(field);
    return make_error(Errc::invalid_params,
                      f + ": amount must be a decimal string, got " + std::string(value.type_name()), f);
  }
  return parse_amount(value.get_ref<const std::string&>(), field);
}

std::string amount_to_string(const Amount& a) { return a.str(); }

bool add_overflows(const Amount& a, const Amount& b) { return b > kMax - a; }

// Both conversions go through boost's export_bits/import_bits (whole limbs at a time):
// a byte-by-byte shift loop on a 256-bit value was a measurable part of a block commit.
void amount_to_be32(const Amount& a, unsigned char out[32]) {
  std::memset(out, 0, 32);
  unsigned char tmp[32];
  unsigned char* end = boost::multiprecision::export_bits(a, tmp, 8, /*msv_first=*/true);
  const std::size_t n = static_cast<std::size_t>(end - tmp);
  std::memcpy(out + (32 - n), tmp, n);
}

Amount amount_from_be32(const unsigned char in[32]) {
  Amount v;
  boost::multiprecision::import_bits(v, in, in + 32, 8, /*msv_first=*/true);
  return v;
}

}  // namespace pactum
