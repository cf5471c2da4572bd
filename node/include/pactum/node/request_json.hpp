// The JSON-RPC request body, parsed into the nlohmann document the rest of the node
// reads, by Boost.JSON's parser (boost::json::basic_parser, events into a handler).
//
// Why not nlohmann's own parser: on a batch of 200 intents it took about twice as long
// (its lexer copies every character twice), and a batch of submissions is the node's
// hottest path. The document is the same one nlohmann::json::parse gives:
//  - numbers: an integer without a sign is number_unsigned, one with a minus sign
//    number_integer, anything else (fraction, exponent, beyond 64 bits) number_float;
//    a number that is not finite (1e400) is refused, as nlohmann refuses it;
//  - an object that repeats a member name is refused (duplicate_member), at any depth;
//  - a leading UTF-8 byte order mark is skipped;
//  - invalid UTF-8, lone surrogate escapes, trailing data, comments and trailing commas
//    are refused.
// node/request_json_test.cpp checks both parsers against each other case by case.
// Nesting deeper than kMaxRequestDepth is refused (nlohmann had no limit).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/result.hpp"

namespace pactum {

inline constexpr std::size_t kMaxRequestDepth = 10000;

// Request ids (an "id" member at depth 1 or 2: a request, or a request of a batch) that
// are numbers but not 64-bit integers, with the text the client wrote: JSON-RPC echoes
// the id exactly, and a double would not (2^64 + 1 would come back as 1.8446744073709552e19).
using RawIds = std::vector<std::pair<const nlohmann::json*, std::string>>;

// The document, or a parse_error whose message says what is wrong and at which byte
// (duplicate_member, with the member's JSON path as the field, when a name repeats).
// With `raw_ids`, collects the ids described above; its pointers live as long as the
// returned document (members of an object do not move when it is moved).
[[nodiscard]] Result<nlohmann::json> parse_request_json(std::string_view body, RawIds* raw_ids = nullptr);

}  // namespace pactum
