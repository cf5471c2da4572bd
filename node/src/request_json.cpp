#include "request_json.hpp"

#include <cmath>
#include <vector>

// Boost.JSON's compiled part, header-only: Debian's libboost1.81-dev ships the headers
// but no libboost_json. This is its one translation unit in the binary.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/src.hpp>

namespace pactum {

namespace {

using nlohmann::json;
using boost::system::error_code;

// Builds the document from the parser's events: `open_` holds the arrays and objects
// being filled, `key_` the name of the member whose value comes next.
class DomBuilder {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  json take() { return std::move(root_); }
  bool not_finite() const { return not_finite_; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    open_.push_back(place(json::object()));
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    open_.pop_back();
    return true;
  }
  bool on_array_begin(error_code&) {
    open_.push_back(place(json::array()));
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    open_.pop_back();
    return true;
  }
  bool on_key_part(std::string_view s, std::size_t, error_code&) {
    key_.append(s);
    return true;
  }
  bool on_key(std::string_view s, std::size_t, error_code&) {
    key_.append(s);
    return true;
  }
  bool on_string_part(std::string_view s, std::size_t, error_code&) {
    text_.append(s);
    return true;
  }
  bool on_string(std::string_view s, std::size_t, error_code&) {
    text_.append(s);
    place(json(std::move(text_)));
    text_.clear();
    return true;
  }
  bool on_number_part(std::string_view s, error_code&) {
    if (number_start_ == 0 && !s.empty()) number_start_ = s.front();
    return true;
  }
  // Boost reports every integer that fits 64 signed bits here, of either sign;
  // nlohmann types it by its written sign.
  bool on_int64(std::int64_t v, std::string_view s, error_code&) {
    const char first = number_start_ != 0 ? number_start_ : (s.empty() ? '0' : s.front());
    number_start_ = 0;
    if (first == '-') place(json(v));
    else place(json(static_cast<std::uint64_t>(v)));
    return true;
  }
  bool on_uint64(std::uint64_t v, std::string_view, error_code&) {
    number_start_ = 0;
    place(json(v));
    return true;
  }
  bool on_double(double v, std::string_view, error_code& ec) {
    number_start_ = 0;
    if (!std::isfinite(v)) {
      not_finite_ = true;
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    place(json(v));
    return true;
  }
  bool on_bool(bool v, error_code&) {
    place(json(v));
    return true;
  }
  bool on_null(error_code&) {
    place(json(nullptr));
    return true;
  }
  bool on_comment_part(std::string_view, error_code&) { return true; }
  bool on_comment(std::string_view, error_code&) { return true; }

 private:
  // Puts a value where the document is at, and returns where it now lives.
  json* place(json&& v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json* parent = open_.back();
    if (parent->is_array()) {
      auto& items = parent->get_ref<json::array_t&>();
      items.push_back(std::move(v));
      return &items.back();
    }
    json& slot = parent->get_ref<json::object_t&>()[std::move(key_)];  // a repeated name: the last wins
    key_.clear();  // moved from: valid, and now empty
    slot = std::move(v);
    return &slot;
  }

  json root_;
  std::vector<json*> open_;
  std::string key_, text_;
  char number_start_ = 0;
  bool not_finite_ = false;
};

}  // namespace

Result<json> parse_request_json(std::string_view body) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  std::size_t skipped = 0;
  if (body.substr(0, kBom.size()) == kBom) skipped = kBom.size();
  const std::string_view text = body.substr(skipped);

  boost::json::parse_options options;  // strict JSON: no comments, no trailing commas, valid UTF-8
  options.max_depth = kMaxRequestDepth;
  boost::json::basic_parser<DomBuilder> parser(options);
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = boost::json::error::extra_data;
  if (ec) {
    const std::string what = parser.handler().not_finite() ? "number out of range" : ec.message();
    return make_error(Errc::parse_error, "request body is not valid JSON: " + what + " (at byte " +
                                             std::to_string(skipped + used) + ")");
  }
  return parser.handler().take();
}

}  // namespace pactum
