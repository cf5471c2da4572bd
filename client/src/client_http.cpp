// HTTP side of the client: one keep-alive connection per HttpClient, driven by Beast's
// async operations on a private io_context so that every step has a deadline (the sync
// Beast calls have none).
#include <cstdlib>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "pactum/client/client.hpp"

namespace pactum::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string resolve_rpc_url(const std::optional<std::string>& explicit_url) {
  if (explicit_url && !explicit_url->empty()) return *explicit_url;
  if (const char* env = std::getenv("PACTUM_RPC"); env && *env) return env;
  return std::string(kDefaultRpcUrl);
}

Endpoint parse_url(std::string_view url) {
  std::string_view rest = url;
  for (std::string_view scheme : {"http://", "ws://"}) {
    if (rest.starts_with(scheme)) rest.remove_prefix(scheme.size());
  }
  if (rest.starts_with("https://") || rest.starts_with("wss://")) {
    throw std::invalid_argument("TLS is not supported: " + std::string(url));
  }
  Endpoint ep;
  auto slash = rest.find('/');
  if (slash != std::string_view::npos) {
    ep.target = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    throw std::invalid_argument("expected a URL like http://127.0.0.1:8545, got '" + std::string(url) + "'");
  }
  ep.host = std::string(rest.substr(0, colon));
  ep.port = std::string(rest.substr(colon + 1));
  if (ep.host.size() > 2 && ep.host.front() == '[' && ep.host.back() == ']') {
    ep.host = ep.host.substr(1, ep.host.size() - 2);  // [::1]
  }
  for (char c : ep.port) {
    if (c < '0' || c > '9') throw std::invalid_argument("bad port in URL '" + std::string(url) + "'");
  }
  return ep;
}

struct HttpClient::Impl {
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(Endpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout), impl_(std::make_unique<Impl>()) {
  // Beast reads at most the buffer's free capacity at a time: reserved, a large answer
  // comes in a few reads rather than hundreds.
  impl_->buffer.reserve(64 << 10);
}
HttpClient::HttpClient(std::string_view url, std::chrono::milliseconds timeout) : HttpClient(parse_url(url), timeout) {}
HttpClient::~HttpClient() = default;

namespace {

std::string where(const Endpoint& ep) { return ep.host + ":" + ep.port; }

bool is_stale_connection_error(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted;
}

}  // namespace

HttpResponse HttpClient::request(bool is_post, std::string_view target, std::string_view body,
                                 std::string_view content_type) {
  Impl& m = *impl_;
  for (int attempt = 0;; ++attempt) {
    bool fresh = false;
    if (!m.stream) {
      tcp::resolver resolver(m.ioc);
      beast::error_code ec;
      auto results = resolver.resolve(endpoint_.host, endpoint_.port, ec);
      if (ec) throw TransportError("cannot resolve " + where(endpoint_) + ": " + ec.message());
      m.stream.emplace(m.ioc);
      m.stream->expires_after(timeout_);
      m.stream->async_connect(results, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
      m.ioc.restart();
      m.ioc.run();
      if (ec) {
        m.stream.reset();
        throw TransportError("cannot connect to " + where(endpoint_) + ": " + ec.message());
      }
      m.buffer.clear();
      fresh = true;
    }

    http::request<http::string_body> req{is_post ? http::verb::post : http::verb::get, std::string(target), 11};
    req.set(http::field::host, endpoint_.host);
    req.set(http::field::user_agent, "pactum-client");
    req.keep_alive(true);
    if (is_post) {
      req.set(http::field::content_type, content_type);
      req.body() = std::string(body);
    }
    req.prepare_payload();

    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 30);
    beast::error_code write_ec, read_ec;
    bool write_done = false;
    m.stream->expires_after(timeout_);
    http::async_write(*m.stream, req, [&](beast::error_code e, std::size_t) {
      write_ec = e;
      write_done = true;
    });
    http::async_read(*m.stream, m.buffer, parser, [&](beast::error_code e, std::size_t) {
      read_ec = e;
      // The server answered before taking the whole body (413): stop writing.
      if (!write_done) m.stream->cancel();
    });
    m.ioc.restart();
    m.ioc.run();

    if (!read_ec) {
      auto& res = parser.get();
      HttpResponse out;
      out.status = static_cast<int>(res.result_int());
      out.content_type = std::string(res[http::field::content_type]);
      out.body = std::move(res.body());
      if (!res.keep_alive() || write_ec || !write_done) m.stream.reset();
      return out;
    }
    m.stream.reset();
    // A kept-alive connection the server has closed meanwhile: try once more, fresh.
    if (!fresh && attempt == 0 && (is_stale_connection_error(read_ec) || is_stale_connection_error(write_ec))) {
      continue;
    }
    if (read_ec == beast::error::timeout) {
      throw TransportError("no answer from " + where(endpoint_) + " within " + std::to_string(timeout_.count()) +
                           " ms");
    }
    throw TransportError("HTTP request to " + where(endpoint_) +
                         " failed: " + (write_ec ? write_ec.message() : read_ec.message()));
  }
}

HttpResponse HttpClient::post(std::string_view body, std::string_view content_type) {
  return request(true, endpoint_.target, body, content_type);
}

HttpResponse HttpClient::get(std::string_view target) { return request(false, target, {}, {}); }

}  // namespace pactum::client
