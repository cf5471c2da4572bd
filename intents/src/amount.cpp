#include "pactum/intents/amount.hpp"

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
  for (char c : text) {
    if (c == '.' ) return make_error(Errc::invalid_params, f + ": amount must be a whole number (no fraction)", f);
    if (c == 'e' || c == 'E') return make_error(Errc::invalid_params, f + ": amount must be plain decimal digits (no exponent)", f);
    if (c < '0' || c > '9') {
      return make_error(Errc::invalid_params,
                        f + ": amount must contain only decimal digits, found '" + std::string(1, c) + "'", f);
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

void amount_to_be32(const Amount& a, unsigned char out[32]) {
  Amount v = a;
  for (int i = 31; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(static_cast<unsigned>(v & 0xff));
    v >>= 8;
  }
}

Amount amount_from_be32(const unsigned char in[32]) {
  Amount v = 0;
  for (int i = 0; i < 32; ++i) {
    v <<= 8;
    v |= in[i];
  }
  return v;
}

}  // namespace pactum
