#include "pactum/intents/jcs.hpp"

#include <gtest/gtest.h>

namespace pactum {
namespace {

using nlohmann::json;

TEST(Jcs, SortsMembersAndDropsWhitespace) {
  auto j = json::parse(R"({ "b": 1, "a": [true, null, "x"], "c": {"z": 0, "y": -3} })");
  EXPECT_EQ(*canonicalize(j), R"({"a":[true,null,"x"],"b":1,"c":{"y":-3,"z":0}})");
}

TEST(Jcs, EscapesLikeEcmascript) {
  json j = std::string("a\"b\\c\n\t\x01\x7f\xc3\xa9");
  EXPECT_EQ(*canonicalize(j), "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\xc3\xa9\"");
}

// Every ASCII byte, alone and inside runs: RFC 8785 escapes exactly what ECMAScript's
// JSON.stringify does, which for ASCII is also what nlohmann's dump writes.
TEST(Jcs, EveryAsciiCharacterAloneAndInRuns) {
  for (int c = 0; c < 0x80; ++c) {
    for (const std::string& s :
         {std::string(1, static_cast<char>(c)),
          "run " + std::string(1, static_cast<char>(c)) + " run" + std::string(1, static_cast<char>(c))}) {
      std::string out = "x";
      append_jcs_string(out, s);
      EXPECT_EQ(out, "x" + json(s).dump()) << "character " << c;
    }
  }
}

TEST(Jcs, OrdersByUtf16CodeUnits) {
  // RFC 8785 section 3.2.3: U+E000 sorts after U+1F600 (surrogates D83D...) in UTF-16,
  // the opposite of their UTF-8 byte order.
  json j;
  j["\xee\x80\x80"] = 1;      // U+E000
  j["\xf0\x9f\x98\x80"] = 2;  // U+1F600
  EXPECT_EQ(*canonicalize(j), "{\"\xf0\x9f\x98\x80\":2,\"\xee\x80\x80\":1}");
}

TEST(Jcs, WithoutSkipsOnlyTheNamedTopLevelMembers) {
  auto j = json::parse(R"({"sig": "x", "b": {"sig": 1}, "cosigs": [], "a": 2})");
  static constexpr std::string_view kSkip[] = {"sig", "cosigs"};
  json copy = j;
  copy.erase("sig");
  copy.erase("cosigs");
  EXPECT_EQ(*canonicalize_without(j, kSkip), *canonicalize(copy));
  EXPECT_EQ(*canonicalize_without(j, kSkip), R"({"a":2,"b":{"sig":1}})");
  EXPECT_FALSE(canonicalize_without(json::parse(R"({"a": 0.5, "sig": 1})"), kSkip).ok());
  EXPECT_FALSE(canonicalize_without(json::parse("[1]"), kSkip).ok());
}

TEST(Jcs, RefusesFloatsAndUnsafeIntegers) {
  EXPECT_FALSE(canonicalize(json::parse("1.5")).ok());
  EXPECT_FALSE(canonicalize(json::parse("9007199254740992")).ok());
  EXPECT_TRUE(canonicalize(json::parse("9007199254740991")).ok());
}

}  // namespace
}  // namespace pactum
