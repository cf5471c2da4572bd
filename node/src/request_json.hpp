// The JSON-RPC request body, parsed into the nlohmann document the rest of the node
// reads, by Boost.JSON's parser (boost::json::basic_parser, events into a handler).
//
// Why not nlohmann's own parser: on a batch of 200 intents it took about twice as long
// (its lexer copies every character twice), and a batch of submissions is the node's
// hottest path. The document is the same one nlohmann::json::parse gives:
//  - numbers: an integer without a sign is number_unsigned, one with a minus sign
//    number_integer, anything else (fraction, exponent, beyond 64 bits) number_float;
//    a number that is not finite (1e400) is refused, as nlohmann refuses it;
//  - of two members with the same name, the last one wins;
//  - a leading UTF-8 byte order mark is skipped;
//  - invalid UTF-8, lone surrogate escapes, trailing data, comments and trailing commas
//    are refused.
// node/request_json_test.cpp checks both parsers against each other case by case.
// Nesting deeper than kMaxRequestDepth is refused (nlohmann had no limit).
#pragma once
#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pactum/intents/result.hpp"

namespace pactum {

inline constexpr std::size_t kMaxRequestDepth = 10000;

// The document, or a parse_error whose message says what is wrong and at which byte.
[[nodiscard]] Result<nlohmann::json> parse_request_json(std::string_view body);

}  // namespace pactum
