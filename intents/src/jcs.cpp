#include "pactum/intents/jcs.hpp"

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "pactum/intents/intent.hpp"

namespace pactum {
namespace {

// UTF-8 -> UTF-16 code units, for RFC 8785 member ordering. Input is valid UTF-8
// (nlohmann refuses anything else when parsing).
std::u16string utf16(const std::string& s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp;
    std::size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void write_string(const std::string& s, std::string& out) { append_jcs_string(out, s); }

Result<void> write(const nlohmann::json& v, std::string& out);

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

Result<void> write_object(const nlohmann::json& v, std::string& out, std::span<const std::string_view> skip) {
  auto skipped = [&](const std::string& key) { return std::find(skip.begin(), skip.end(), key) != skip.end(); };
  bool first = true;
  auto member = [&](const std::string& key, const nlohmann::json& value) -> Result<void> {
    if (skipped(key)) return {};
    if (!first) out.push_back(',');
    first = false;
    write_string(key, out);
    out.push_back(':');
    return write(value, out);
  };
  out.push_back('{');
  bool ascii = true;
  for (auto it = v.begin(); it != v.end() && ascii; ++it) ascii = is_ascii(it.key());
  if (ascii) {
    // nlohmann keeps members in the byte order of their names, which for ASCII names is
    // RFC 8785's UTF-16 order: no conversion and no sort (every intent takes this path).
    for (auto it = v.begin(); it != v.end(); ++it) PACTUM_TRY(member(it.key(), it.value()));
  } else {
    std::vector<std::pair<std::u16string, const std::string*>> keys;
    keys.reserve(v.size());
    for (auto it = v.begin(); it != v.end(); ++it) keys.emplace_back(utf16(it.key()), &it.key());
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [k16, k] : keys) PACTUM_TRY(member(*k, v.at(*k)));
  }
  out.push_back('}');
  return {};
}

Result<void> write(const nlohmann::json& v, std::string& out) {
  using T = nlohmann::json::value_t;
  switch (v.type()) {
    case T::null:
      out += "null";
      return {};
    case T::boolean:
      out += v.get<bool>() ? "true" : "false";
      return {};
    case T::number_unsigned: {
      const auto n = v.get<std::uint64_t>();
      if (n > kMaxSafeInteger) {
        return make_error(Errc::invalid_params, "integer " + std::to_string(n) + " exceeds 2^53-1");
      }
      out += std::to_string(n);
      return {};
    }
    case T::number_integer: {
      const auto n = v.get<std::int64_t>();
      if (n > static_cast<std::int64_t>(kMaxSafeInteger) || n < -static_cast<std::int64_t>(kMaxSafeInteger)) {
        return make_error(Errc::invalid_params, "integer " + std::to_string(n) + " is outside +-(2^53-1)");
      }
      out += std::to_string(n);
      return {};
    }
    case T::number_float:
      return make_error(Errc::invalid_params, "fractional numbers are not allowed (use decimal strings)");
    case T::string:
      write_string(v.get_ref<const std::string&>(), out);
      return {};
    case T::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out.push_back(',');
        first = false;
        PACTUM_TRY(write(e, out));
      }
      out.push_back(']');
      return {};
    }
    case T::object:
      return write_object(v, out, {});
    case T::binary:
    case T::discarded:
      break;
  }
  return make_error(Errc::invalid_params, "value cannot be canonicalized");
}

}  // namespace

Result<std::string> canonicalize(const nlohmann::json& value) {
  std::string out;
  PACTUM_TRY(write(value, out));
  return out;
}

Result<std::string> canonicalize_without(const nlohmann::json& object, std::span<const std::string_view> skip) {
  if (!object.is_object()) return make_error(Errc::invalid_params, "only an object has members to leave out");
  std::string out;
  out.reserve(512);
  PACTUM_TRY(write_object(object, out, skip));
  return out;
}

void append_jcs_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  // Runs of characters written as they are go in with one append (a receipt's message
  // is mostly such a run; char by char it was a measurable part of a block commit).
  auto plain = [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; };
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    if (run == s.size()) break;
    const auto c = static_cast<unsigned char>(s[run]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
    i = run + 1;
  }
  out.push_back('"');
}

}  // namespace pactum
