// Amount: an unsigned 256-bit integer, the unit of every balance and limit.
// On the wire an amount is a JSON string of decimal digits: "0" or a digit 1-9 followed
// by digits, at most 2^256-1. Everything else is refused by parse_amount with a precise
// error (not a string, empty, sign, fraction, exponent, leading zero, junk, overflow).
#pragma once
#include <boost/multiprecision/cpp_int.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "pactum/intents/result.hpp"

namespace pactum {

using Amount = boost::multiprecision::uint256_t;  // wraps on overflow: callers check
using BigInt = boost::multiprecision::cpp_int;    // exact intermediates (products, ratios)

// Parses the decimal form. `field` names the field in the error.
Result<Amount> parse_amount(std::string_view text, std::string_view field = "amount");
// Same, from a JSON value that must be a string.
Result<Amount> parse_amount_json(const nlohmann::json& value, std::string_view field);
std::string amount_to_string(const Amount& a);

// a + b, or nullopt-like failure when the sum exceeds 2^256-1.
bool add_overflows(const Amount& a, const Amount& b);

// 32-byte big-endian encoding, used in state leaves.
void amount_to_be32(const Amount& a, unsigned char out[32]);
Amount amount_from_be32(const unsigned char in[32]);

}  // namespace pactum
