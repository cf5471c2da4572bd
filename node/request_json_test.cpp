// parse_request_json (Boost.JSON's parser building an nlohmann document) against
// nlohmann::json::parse, the parser it replaced on the request path: the same document,
// with the same number types, or a refusal where nlohmann refused.
#include "pactum/node/request_json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pactum/intents/crypto.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum {
namespace {

using nlohmann::json;

// The type tree of a document: the equality of two documents ignores whether a number
// is unsigned, signed or float, and the node's checks do not.
std::string types(const json& j) {
  std::string out = j.type_name();
  if (j.is_number_unsigned())
    out += "/u";
  else if (j.is_number_integer())
    out += "/i";
  else if (j.is_number_float())
    out += "/f";
  if (j.is_structured()) {
    out += '(';
    for (auto it = j.begin(); it != j.end(); ++it) out += types(*it) + ',';
    out += ')';
  }
  return out;
}

void expect_same_as_nlohmann(const std::string& text) {
  SCOPED_TRACE(json(text).dump(-1, ' ', true, json::error_handler_t::replace));
  std::optional<json> expected;
  try {
    expected = json::parse(text);
  } catch (const json::exception&) {}
  auto got = parse_request_json(text);
  ASSERT_EQ(got.ok(), expected.has_value()) << (got.ok() ? got.value().dump() : got.error().message);
  if (!expected) {
    EXPECT_EQ(got.error().code, Errc::parse_error);
    EXPECT_NE(got.error().message.find("request body is not valid JSON: "), std::string::npos);
    return;
  }
  EXPECT_EQ(got.value(), *expected);
  EXPECT_EQ(types(got.value()), types(*expected));
  EXPECT_EQ(got.value().dump(), expected->dump());
}

TEST(RequestJson, SameDocumentsAndRefusalsAsNlohmann) {
  const std::vector<std::string> cases = {
      // numbers and their types
      "0",
      "-0",
      "7",
      "-7",
      "9223372036854775807",
      "9223372036854775808",
      "18446744073709551615",
      "18446744073709551616",
      "-9223372036854775808",
      "-9223372036854775809",
      "1.5",
      "-0.0",
      "1e3",
      "2E-2",
      "1e400",
      "-1e400",
      "01",
      "-",
      "1.",
      ".5",
      "+1",
      "0x10",
      "NaN",
      "Infinity",
      // strings
      R"("")",
      R"("plain")",
      R"("\u0041\n\t\"\\\/")",
      R"("\u0000")",
      R"("\ud83d\ude00")",
      "\"\xc3\xa9\"",
      R"("\ud800")",
      R"("\udc00")",
      R"("\ud800x")",
      R"("\ud800\u0041")",
      "\"\xff\"",
      "\"\xc0\x80\"",
      "\"\xed\xa0\x80\"",
      "\"a\x01\"",
      R"("\x")",
      R"("unterminated)",
      // structure
      "{}",
      "[]",
      " {\n\"a\" : [1, {\"b\": null}] }\t",
      R"({"a":1,"b":2})",
      R"({"a":{"a":1},"b":[{"a":2}]})",
      "[1,]",
      "{\"a\":1,}",
      "{} x",
      "{}{}",
      "[1] // c",
      "/* c */ []",
      "",
      "   ",
      "\xef\xbb\xbf{}",
      "\xef\xbb\xbf",
      "[true,false,null]",
      "tru",
      "[[[[[]]]]]",
      R"({"":0})",
      // a JSON-RPC batch
      R"([{"jsonrpc":"2.0","id":1,"method":"pactum_blockNumber"},{"jsonrpc":"2.0","method":"x","params":{"a":[1,-2,3.5]}}])",
  };
  for (const auto& text : cases) expect_same_as_nlohmann(text);
}

// Where nlohmann keeps the last of two members with the same name, the node refuses the
// body: a client that keeps the first would read another request (issue 17).
TEST(RequestJson, RepeatedMembersAreRefusedWithTheirPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"a":1,"a":2})", "a"},
      {R"({"a":{"x":1},"a":[2]})", "a"},
      {R"({"a":{"x":1,"y":2,"x":3}})", "a.x"},
      {R"([{"p":[0,{"q":true,"q":true}]}])", "[0].p[1].q"},
      {R"({"a":{"b":[]},"c":{"d":1,"d":null}})", "c.d"},
  };
  for (const auto& [text, path] : cases) {
    auto got = parse_request_json(text);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.error().code, Errc::duplicate_member) << text;
    EXPECT_EQ(got.error().field, path) << text;
  }
}

// Ids that are not 64-bit integers keep the text the client wrote.
TEST(RequestJson, RawIdsKeepTheirText) {
  RawIds raw;
  auto got = parse_request_json(R"([{"id":1e999999999999999999,"x":1},{"id":12.50},{"y":{"id":3.5}}])", &raw);
  ASSERT_FALSE(got.ok());  // 1e999... is not finite
  raw.clear();
  got = parse_request_json(R"([{"id":123456789012345678901234567890},{"id":12.50},{"y":{"id":3.5}}])", &raw);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(raw.size(), 2u) << "only the ids of requests, not ids nested in params";
  EXPECT_EQ(raw[0].first, &got.value()[0]["id"]);
  EXPECT_EQ(raw[0].second, "123456789012345678901234567890");
  EXPECT_EQ(raw[1].second, "12.50");
}

TEST(RequestJson, SignedIntentsParseAsTheyDidAndKeepTheirIds) {
  json batch = json::array();
  for (std::uint64_t n = 0; n < 20; ++n) {
    json j = {{"kind", "transfer"},
              {"chain", "pactum-devnet"},
              {"signer", dev_secret_key(0).public_key().hex()},
              {"nonce", n},
              {"valid_until", 1000},
              {"asset", "USDC"},
              {"to", dev_secret_key(1).public_key().hex()},
              {"amount", std::to_string(n + 1)}};
    batch.push_back({{"jsonrpc", "2.0"},
                     {"id", n},
                     {"method", "pactum_submitIntent"},
                     {"params", json::array({intent_to_json(sign_intent(j, dev_secret_key(0)).value())})}});
  }
  const std::string text = batch.dump();
  expect_same_as_nlohmann(text);
  auto got = parse_request_json(text);
  ASSERT_TRUE(got.ok());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto ours = decode_intent(got.value()[i]["params"][0]);
    auto theirs = decode_intent(batch[i]["params"][0]);
    ASSERT_TRUE(ours.ok() && theirs.ok());
    EXPECT_EQ(ours->id, theirs->id);
  }
}

TEST(RequestJson, DepthIsBoundedAndErrorsSayWhere) {
  const std::string deep_ok = std::string(kMaxRequestDepth - 1, '[') + std::string(kMaxRequestDepth - 1, ']');
  EXPECT_TRUE(parse_request_json(deep_ok).ok());
  const std::string too_deep = std::string(kMaxRequestDepth + 1, '[') + std::string(kMaxRequestDepth + 1, ']');
  auto refused = parse_request_json(too_deep);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::parse_error);

  auto trailing = parse_request_json("{} x");
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().message.find("(at byte 3)"), std::string::npos) << trailing.error().message;
  auto overflow = parse_request_json(R"({"n":1e400})");
  ASSERT_FALSE(overflow.ok());
  EXPECT_NE(overflow.error().message.find("number out of range"), std::string::npos) << overflow.error().message;
}

}  // namespace
}  // namespace pactum
