// Shared by the libFuzzer targets (docs/FUZZING.md). Every target is a small
// LLVMFuzzerTestOneInput over the project's real decoders; a finding is whatever makes the
// process die: a sanitizer report, an uncaught exception (std::terminate keeps the stack
// of the throw when nothing would catch it), or a FUZZ_CHECK below.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/result.hpp"

namespace pactum::fuzz {

// An invariant of the code under test does not hold: print it and abort (libFuzzer saves
// the input as a crash).
#define FUZZ_CHECK(cond, ...)                                                              \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, "  " __VA_ARGS__);                                              \
      std::fprintf(stderr, "\n");                                                          \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The harness's own parse of the input (not code under test): nullopt when it is not
// JSON. nlohmann's parser without exceptions, as the store reads its blocks.
inline std::optional<nlohmann::json> parse_json(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// Whether the text, as JSON, repeats a member name in some object (nlohmann keeps the
// last one; a streaming reader may see both). False when it is not JSON.
inline bool has_duplicate_members(std::string_view text) {
  struct Sax : nlohmann::json_sax<nlohmann::json> {
    std::vector<std::set<std::string>> open;  // member names per open object; arrays push nothing
    std::vector<bool> is_object;
    bool duplicate = false;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
      open.emplace_back();
      return true;
    }
    bool key(string_t& k) override {
      if (!open.back().insert(k).second) duplicate = true;
      return !duplicate;
    }
    bool end_object() override {
      open.pop_back();
      return true;
    }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
  } sax;
  nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json, /*strict=*/true);
  return sax.duplicate;
}

// What the node does with every error it answers (node/src/rpc.cpp, error_json): it puts
// the message and the field into a JSON response and dump()s it, outside any try block.
// An error text that cannot be written as JSON (invalid UTF-8: nlohmann's type_error.316)
// takes the process down, so it is a finding here too: the exception is not caught.
inline void use_error(const Error& e) {
  const nlohmann::json j = {{"code", static_cast<int>(e.code)}, {"message", e.message}, {"field", e.field}};
  const std::string text = j.dump();
  FUZZ_CHECK(!text.empty(), "empty dump");
}

template <class T>
inline void use_result(const Result<T>& r) {
  if (!r.ok()) use_error(r.error());
}

// Serializing a decoded value: dump() must not throw either (a decoder must not accept a
// string it cannot write back).
inline std::string dump(const nlohmann::json& j) { return j.dump(); }

}  // namespace pactum::fuzz
