#include "pactum/node/request_json.hpp"

#include <cmath>
#include <optional>
#include <vector>

// Boost.JSON's compiled part, header-only: Debian's libboost1.81-dev ships the headers
// but no libboost_json. This is its one translation unit in the binary.
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/src.hpp>

namespace pactum {

namespace {

using boost::system::error_code;
using nlohmann::json;

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
  // Set when an object repeated a member name: that name, and where the object is.
  const std::optional<std::string>& duplicate() const { return duplicate_; }
  const std::string& duplicate_path() const { return duplicate_path_; }
  void keep_raw_ids(RawIds* raw) { raw_ids_ = raw; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code& ec) {
    json* placed = place(json::object());
    if (!placed) return refuse_duplicate(ec);
    open_.push_back(placed);
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    open_.pop_back();
    return true;
  }
  bool on_array_begin(error_code& ec) {
    json* placed = place(json::array());
    if (!placed) return refuse_duplicate(ec);
    open_.push_back(placed);
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
  bool on_string(std::string_view s, std::size_t, error_code& ec) {
    text_.append(s);
    json* placed = place(json(std::move(text_)));
    text_.clear();
    return placed ? true : refuse_duplicate(ec);
  }
  bool on_number_part(std::string_view s, error_code&) {
    if (number_start_ == 0 && !s.empty()) number_start_ = s.front();
    if (raw_ids_ && key_ == "id") number_text_.append(s);
    return true;
  }
  // Boost reports every integer that fits 64 signed bits here, of either sign;
  // nlohmann types it by its written sign.
  bool on_int64(std::int64_t v, std::string_view s, error_code& ec) {
    const char first = number_start_ != 0 ? number_start_ : (s.empty() ? '0' : s.front());
    number_start_ = 0;
    number_text_.clear();
    json* placed = first == '-' ? place(json(v)) : place(json(static_cast<std::uint64_t>(v)));
    return placed ? true : refuse_duplicate(ec);
  }
  bool on_uint64(std::uint64_t v, std::string_view, error_code& ec) {
    number_start_ = 0;
    number_text_.clear();
    return place(json(v)) ? true : refuse_duplicate(ec);
  }
  // A number that is not a 64-bit integer becomes a double, which would not give back
  // what the client wrote: a request's "id" keeps its text too (RawIds), to be echoed.
  bool on_double(double v, std::string_view s, error_code& ec) {
    number_start_ = 0;
    if (!std::isfinite(v)) {
      not_finite_ = true;
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    const bool is_id = raw_ids_ && key_ == "id" && open_.size() <= 2;
    if (is_id) number_text_.append(s);
    json* placed = place(json(v));
    if (!placed) return refuse_duplicate(ec);
    if (is_id) raw_ids_->emplace_back(placed, std::move(number_text_));
    number_text_.clear();
    return true;
  }
  bool on_bool(bool v, error_code& ec) { return place(json(v)) ? true : refuse_duplicate(ec); }
  bool on_null(error_code& ec) { return place(json(nullptr)) ? true : refuse_duplicate(ec); }
  bool on_comment_part(std::string_view, error_code&) { return true; }
  bool on_comment(std::string_view, error_code&) { return true; }

 private:
  // Puts a value where the document is at, and returns where it now lives; null when
  // the value's name is already a member of its object (a client that keeps the first
  // of two members would read a different request from the one the node executes).
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
    auto& members = parent->get_ref<json::object_t&>();
    auto [it, inserted] = members.try_emplace(std::move(key_), std::move(v));
    key_.clear();  // moved from: valid, and now empty
    if (!inserted) {
      duplicate_ = it->first;
      duplicate_path_ = path_of_open();
      return nullptr;
    }
    return &it->second;
  }

  bool refuse_duplicate(error_code& ec) {
    ec = boost::json::error::syntax;  // stops the parser; the message comes from duplicate()
    return false;
  }

  // The JSON path of the innermost open container ("", "[0]", "params[0].steps[2]"),
  // found by looking each container up in its parent: only on an error, so the hot path
  // keeps no path.
  std::string path_of_open() const {
    std::string path;
    for (std::size_t k = 1; k < open_.size(); ++k) {
      const json& parent = *open_[k - 1];
      if (parent.is_array()) {
        const auto& items = parent.get_ref<const json::array_t&>();
        for (std::size_t i = 0; i < items.size(); ++i)
          if (&items[i] == open_[k]) path += "[" + std::to_string(i) + "]";
      } else {
        for (const auto& [name, value] : parent.get_ref<const json::object_t&>())
          if (&value == open_[k]) path += (path.empty() ? "" : ".") + name;
      }
    }
    return path;
  }

  json root_;
  std::vector<json*> open_;
  std::string key_, text_, number_text_;
  char number_start_ = 0;
  bool not_finite_ = false;
  std::optional<std::string> duplicate_;
  std::string duplicate_path_;
  RawIds* raw_ids_ = nullptr;
};

}  // namespace

Result<json> parse_request_json(std::string_view body, RawIds* raw_ids) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  std::size_t skipped = 0;
  if (body.substr(0, kBom.size()) == kBom) skipped = kBom.size();
  const std::string_view text = body.substr(skipped);

  boost::json::parse_options options;  // strict JSON: no comments, no trailing commas, valid UTF-8
  options.max_depth = kMaxRequestDepth;
  boost::json::basic_parser<DomBuilder> parser(options);
  parser.handler().keep_raw_ids(raw_ids);
  error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = boost::json::error::extra_data;
  if (ec && parser.handler().duplicate()) {
    const std::string& name = *parser.handler().duplicate();
    const std::string& path = parser.handler().duplicate_path();
    const std::string field = path.empty() ? name : path + "." + name;
    return make_error(Errc::duplicate_member,
                      "member \"" + name + "\" appears twice in " +
                          (path.empty() ? std::string("the request object") : "the object at " + path) + " (at byte " +
                          std::to_string(skipped + used) + "): a JSON object must not repeat a name",
                      field);
  }
  if (ec) {
    const std::string what = parser.handler().not_finite() ? "number out of range" : ec.message();
    return make_error(Errc::parse_error,
                      "request body is not valid JSON: " + what + " (at byte " + std::to_string(skipped + used) + ")");
  }
  return parser.handler().take();
}

}  // namespace pactum
