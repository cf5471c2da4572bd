// RFC 8785 JSON Canonicalization Scheme for the JSON that pactum signs and hashes.
// Object members sorted by the UTF-16 code units of their names, no whitespace, strings
// escaped as ECMAScript JSON.stringify does (\b \t \n \f \r \" \\, other controls as
// \u00xx lowercase, everything else as UTF-8). Numbers: pactum only signs integers in
// [-(2^53-1), 2^53-1], written in plain decimal; a float or an integer outside that
// range is refused (RFC 8785 would need ECMAScript double formatting).
#pragma once
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "pactum/intents/result.hpp"

namespace pactum {

Result<std::string> canonicalize(const nlohmann::json& value);
// canonicalize() of a JSON object without the named top-level members: an intent's
// signed bytes are its object without "sig" (and a bundle's "cosigs"), with no copy.
Result<std::string> canonicalize_without(const nlohmann::json& object, std::span<const std::string_view> skip);

// Appends `s` as an RFC 8785 string (quotes and escapes as above), for writers that build
// canonical JSON of a known shape directly (block.cpp's receipts).
void append_jcs_string(std::string& out, std::string_view s);

}  // namespace pactum
