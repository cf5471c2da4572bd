// http_solver(): an external solver over HTTP (docs/PROTOCOL.md, "Solver API"). One POST
// per batch on a fresh connection, driven by Beast's async operations on a private
// io_context so that connect, write and read all end at the solver's deadline (the sync
// Beast calls have none). Every failure is a value (Failure), never an exception: the
// producer must go on with the other solvers whatever this one does.
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "pactum/solvers/external.hpp"

namespace pactum::solvers {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A solver's reply is one JSON document of fills and prices: 16 MiB is far above any
// batch's (about 200 bytes per fill) and bounds what a broken solver can make us buffer.
constexpr std::uint64_t kMaxReplyBytes = std::uint64_t{16} << 20;

struct Target {
  std::string host;
  std::string port;
  std::string path = "/";
};

// "http://HOST:PORT[/PATH]" (HOST may be [v6]); nullopt for anything else.
std::optional<Target> parse_target(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  std::string_view rest = url.substr(kScheme.size());
  Target t;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    t.path = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) return std::nullopt;
  t.host = std::string(rest.substr(0, colon));
  t.port = std::string(rest.substr(colon + 1));
  if (t.host.size() > 2 && t.host.front() == '[' && t.host.back() == ']') t.host = t.host.substr(1, t.host.size() - 2);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(t.port.data(), t.port.data() + t.port.size(), port);
  if (ec != std::errc() || end != t.port.data() + t.port.size() || port == 0 || port > 65535) return std::nullopt;
  return t;
}

Answer fail(std::string status, std::string detail) {
  return Answer{std::nullopt, Failure{std::move(status), std::move(detail)}};
}

struct Endpoints {
  std::vector<tcp::endpoint> list;
  std::optional<Answer> failure;
};

// The target's addresses by the deadline. A numeric address needs no lookup; a name is
// looked up on a detached thread, because getaddrinfo cannot be cancelled and asio's
// resolver would make the io_context's destructor wait for it past the deadline.
Endpoints resolve(const Target& t, Clock::time_point deadline) {
  const auto port = static_cast<std::uint16_t>(std::stoul(t.port));
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(t.host, ec);
  if (!ec) return {{tcp::endpoint(address, port)}, std::nullopt};
  struct Lookup {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::vector<tcp::endpoint> list;
    boost::system::error_code ec;
  };
  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, host = t.host, port = t.port] {
    asio::io_context io;
    tcp::resolver resolver(io);
    boost::system::error_code e;
    const auto results = resolver.resolve(host, port, e);
    std::lock_guard lock(lookup->m);
    for (const auto& r : results) lookup->list.push_back(r.endpoint());
    lookup->ec = e;
    lookup->done = true;
    lookup->cv.notify_all();
  }).detach();
  std::unique_lock lock(lookup->m);
  if (!lookup->cv.wait_until(lock, deadline, [&] { return lookup->done; })) {
    return {{}, fail("late", "the deadline passed while looking up " + t.host)};
  }
  if (lookup->ec || lookup->list.empty()) {
    return {{}, fail("unreachable", "cannot resolve " + t.host + ": " + lookup->ec.message())};
  }
  return {std::move(lookup->list), std::nullopt};
}

struct Exchange {
  enum class Stage { connect, write, read, done } stage = Stage::connect;
  beast::error_code ec;
  http::response_parser<http::string_body> parser;
};

// POST `body`, read the reply; every step ends at `deadline` (tcp_stream's timer).
void exchange(const Target& t, const std::vector<tcp::endpoint>& endpoints, std::string body,
              Clock::time_point deadline, Exchange& x) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::string_body> req{http::verb::post, t.path, 11};
  req.set(http::field::host, t.host + ":" + t.port);
  req.set(http::field::user_agent, "pactum");
  req.set(http::field::content_type, "application/json");
  req.keep_alive(false);
  req.body() = std::move(body);
  req.prepare_payload();
  x.parser.body_limit(kMaxReplyBytes);

  stream.expires_at(deadline);
  stream.async_connect(endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
    if ((x.ec = ec)) return;
    x.stage = Exchange::Stage::write;
    http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
      if ((x.ec = ec)) return;
      x.stage = Exchange::Stage::read;
      http::async_read(stream, buffer, x.parser, [&](beast::error_code ec, std::size_t) {
        if ((x.ec = ec)) return;
        x.stage = Exchange::Stage::done;
      });
    });
  });
  ioc.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

Answer transport_failure(const Exchange& x, const std::string& url) {
  if (x.ec == beast::error::timeout) {
    const char* step = x.stage == Exchange::Stage::connect ? "connecting"
                       : x.stage == Exchange::Stage::write ? "sending the instance"
                                                           : "waiting for the reply";
    return fail("late", std::string("the deadline passed while ") + step + " (" + url + ")");
  }
  if (x.stage == Exchange::Stage::connect)
    return fail("unreachable", "cannot connect to " + url + ": " + x.ec.message());
  if (x.stage == Exchange::Stage::write) {
    return fail("unreachable", "the connection to " + url + " failed while sending: " + x.ec.message());
  }
  if (x.ec == http::error::body_limit) return fail("malformed", "the reply is larger than 16 MiB");
  return fail("malformed", "no valid HTTP reply: " + x.ec.message());
}

Answer read_reply(const Exchange& x, const Instance& instance) {
  const auto& res = x.parser.get();
  if (res.result() != http::status::ok) {
    return fail("malformed", "HTTP status " + std::to_string(res.result_int()) + " (a proposal needs 200)");
  }
  const nlohmann::json reply = nlohmann::json::parse(res.body(), nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded()) return fail("malformed", "the reply body is not JSON");
  auto clearing = proposal_from_json(reply, instance);
  if (!clearing) {
    const Error& e = clearing.error();
    return fail("malformed", "field " + (e.field.empty() ? std::string("(document)") : e.field) + ": " + e.message);
  }
  return Answer{std::move(*clearing), {}};
}

class HttpSolver final : public Solver {
 public:
  explicit HttpSolver(std::string url) : url_(std::move(url)), target_(parse_target(url_)) {}

  std::string name() const override { return url_; }

  Answer solve(const Instance& instance, const StateView&, std::span<const Intent>, const BlockContext&,
               Clock::time_point deadline) override {
    try {
      return solve_by(instance, deadline);
    } catch (const std::exception& e) {  // allocation failure and the like: never past this edge
      return fail("failed", std::string("internal error: ") + e.what());
    }
  }

 private:
  Answer solve_by(const Instance& instance, Clock::time_point deadline) {
    if (!target_) return fail("unreachable", "not a URL of the form http://HOST:PORT/PATH: " + url_);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return fail("late", "the deadline had passed before the request");
    Endpoints endpoints = resolve(*target_, deadline);
    if (endpoints.failure) return std::move(*endpoints.failure);
    Exchange x;
    exchange(*target_, endpoints.list, instance_to_json(instance, left.count()).dump(), deadline, x);
    if (x.stage != Exchange::Stage::done) return transport_failure(x, url_);
    return read_reply(x, instance);
  }

  std::string url_;
  std::optional<Target> target_;
};

}  // namespace

std::unique_ptr<Solver> http_solver(std::string url) { return std::make_unique<HttpSolver>(std::move(url)); }

}  // namespace pactum::solvers
