// WebSocket side of the client. One read is kept outstanding at all times; every wait
// pumps the io_context until what it waits for has arrived or its deadline passes, so
// notifications that arrive during a call are queued, never lost.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "pactum/client/client.hpp"

namespace pactum::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct WsClient::Impl {
  explicit Impl(Endpoint e) : endpoint(std::move(e)) {}
  Endpoint endpoint;
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer read_buffer;
  bool reading = false;
  beast::error_code read_error;
  std::deque<json> inbox;  // every message received and not yet taken

  void start_read() {
    reading = true;
    ws.async_read(read_buffer, [this](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        read_error = ec;
        return;
      }
      std::string text = beast::buffers_to_string(read_buffer.data());
      read_buffer.consume(read_buffer.size());
      inbox.push_back(json::parse(text, nullptr, false));
    });
  }

  // Runs handlers until done() holds; false if the deadline passed first.
  template <class Pred>
  bool pump(Pred done, Clock::time_point deadline) {
    while (!done()) {
      if (read_error) throw TransportError("WebSocket closed: " + read_error.message());
      if (!reading) start_read();
      ioc.restart();
      if (ioc.run_one_until(deadline) == 0 && Clock::now() >= deadline) return done();
    }
    return true;
  }
};

WsClient::WsClient(std::string_view url, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(parse_url(url))), timeout_(timeout) {
  Impl& m = *impl_;
  tcp::resolver resolver(m.ioc);
  beast::error_code ec;
  auto results = resolver.resolve(m.endpoint.host, m.endpoint.port, ec);
  if (ec) throw TransportError("cannot resolve " + m.endpoint.host + ": " + ec.message());
  auto& tcp_layer = beast::get_lowest_layer(m.ws);
  tcp_layer.expires_after(timeout_);
  tcp_layer.async_connect(results, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  m.ioc.run();
  if (ec) throw TransportError("cannot connect to " + m.endpoint.host + ":" + m.endpoint.port + ": " + ec.message());
  m.ws.async_handshake(m.endpoint.host + ":" + m.endpoint.port, m.endpoint.target,
                       [&](beast::error_code e) { ec = e; });
  m.ioc.restart();
  m.ioc.run();
  if (ec) throw TransportError("WebSocket handshake failed: " + ec.message());
  // From here the websocket layer's own timeouts apply (idle pings), not a deadline.
  tcp_layer.expires_never();
  m.ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  m.ws.text(true);
}

WsClient::~WsClient() { close(); }

void WsClient::close() {
  if (!impl_ || !impl_->ws.is_open()) return;
  Impl& m = *impl_;
  m.ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
  m.ioc.restart();
  m.ioc.run_for(std::chrono::milliseconds(500));
  beast::error_code ignored;
  beast::get_lowest_layer(m.ws).socket().close(ignored);
}

json WsClient::call(std::string_view method, json params) {
  Impl& m = *impl_;
  const std::uint64_t id = next_id_++;
  auto text = std::make_shared<std::string>(make_request(method, std::move(params), id).dump());
  bool written = false;
  beast::error_code write_ec;
  m.ws.async_write(asio::buffer(*text), [&, text](beast::error_code e, std::size_t) {
    write_ec = e;
    written = true;
  });
  auto deadline = Clock::now() + timeout_;
  if (!m.pump([&] { return written; }, deadline)) throw TransportError("WebSocket write timed out");
  if (write_ec) throw TransportError("WebSocket write failed: " + write_ec.message());

  std::optional<json> answer;
  auto take_answer = [&] {
    for (auto it = m.inbox.begin(); it != m.inbox.end(); ++it) {
      if (it->is_object() && it->contains("id") && (*it)["id"] == id) {
        answer = std::move(*it);
        m.inbox.erase(it);
        return true;
      }
    }
    return false;
  };
  if (!m.pump(take_answer, deadline)) {
    throw TransportError("no WebSocket answer to " + std::string(method) + " within " +
                         std::to_string(timeout_.count()) + " ms");
  }
  return result_or_throw(*answer);
}

std::optional<json> WsClient::next_notification(std::chrono::milliseconds wait) {
  Impl& m = *impl_;
  std::optional<json> found;
  auto take = [&] {
    for (auto it = m.inbox.begin(); it != m.inbox.end(); ++it) {
      if (it->is_object() && it->contains("method")) {
        found = std::move(*it);
        m.inbox.erase(it);
        return true;
      }
    }
    return false;
  };
  m.pump(take, Clock::now() + wait);
  return found;
}

}  // namespace pactum::client
