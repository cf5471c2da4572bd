// Streaming JSON reading for the load generator, on Boost.JSON's basic_parser (several
// times faster than nlohmann's SAX lexer). The load generator shares the node's cores:
// every microsecond it spends reading answers is one the node does not get.
//
// A reader derives from JsonEvents and overrides what it needs; keys and strings arrive
// whole (their parts are joined here). Boost.JSON's compiled part is in the pactum_node
// library (node/src/request_json.cpp), which the load generator links.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/basic_parser_impl.hpp>

namespace pactum::bench {

struct JsonEvents {
  virtual ~JsonEvents() = default;
  virtual void start_object() {}
  virtual void end_object() {}
  virtual void start_array() {}
  virtual void end_array() {}
  virtual void key(std::string_view) {}
  virtual void string(std::string_view) {}
  virtual void number(std::uint64_t) {}  // non-negative integers; other scalars are skipped
};

namespace detail {

class JsonEventsHandler {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  using error_code = boost::system::error_code;

  explicit JsonEventsHandler(JsonEvents* events) : events_(events) {}

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    events_->start_object();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    events_->end_object();
    return true;
  }
  bool on_array_begin(error_code&) {
    events_->start_array();
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    events_->end_array();
    return true;
  }
  bool on_key_part(std::string_view s, std::size_t, error_code&) {
    part_.append(s);
    return true;
  }
  bool on_key(std::string_view s, std::size_t, error_code&) {
    events_->key(whole(s));
    return true;
  }
  bool on_string_part(std::string_view s, std::size_t, error_code&) {
    part_.append(s);
    return true;
  }
  bool on_string(std::string_view s, std::size_t, error_code&) {
    events_->string(whole(s));
    return true;
  }
  bool on_number_part(std::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t v, std::string_view, error_code&) {
    if (v >= 0) events_->number(static_cast<std::uint64_t>(v));
    return true;
  }
  bool on_uint64(std::uint64_t v, std::string_view, error_code&) {
    events_->number(v);
    return true;
  }
  bool on_double(double, std::string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(std::string_view, error_code&) { return true; }
  bool on_comment(std::string_view, error_code&) { return true; }

 private:
  // The last piece of a key or string: the whole of it when it came in one piece.
  std::string_view whole(std::string_view last) {
    if (part_.empty()) return last;
    part_.append(last);
    joined_ = std::move(part_);
    part_.clear();
    return joined_;
  }
  JsonEvents* events_;
  std::string part_, joined_;
};

}  // namespace detail

// Feeds `text` to `events`; false if it is not one well-formed JSON document.
inline bool read_json_events(std::string_view text, JsonEvents& events) {
  boost::json::basic_parser<detail::JsonEventsHandler> parser(boost::json::parse_options{}, &events);
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  return !ec && used == text.size();
}

}  // namespace pactum::bench
