// Boost.Beast HTTP/1.1 + WebSocket server. Each connection lives on its own strand; the
// JSON-RPC work (including signature verification) runs in the I/O thread that read the
// request, so N I/O threads verify on N cores.
#include "pactum/node/server.hpp"

#include <array>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <iostream>
#include <future>
#include <mutex>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "explorer_page.hpp"

namespace pactum {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(120);
constexpr std::size_t kMaxQueuedWsMessages = 100000;  // a reader this far behind is dropped

class WsSession : public SubscriptionSink, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket socket, RpcDispatcher& rpc, std::size_t max_bytes)
      : ws_(std::move(socket)), rpc_(rpc), max_bytes_(max_bytes) {}

  void run(http::request<http::string_body> req) {
    net::dispatch(ws_.get_executor(), [self = shared_from_this(), req = std::move(req)]() mutable {
      self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
      self->ws_.set_option(websocket::stream_base::decorator(
          [](websocket::response_type& res) { res.set(http::field::server, "pactum"); }));
      self->ws_.read_message_max(self->max_bytes_);
      self->req_ = std::move(req);
      self->ws_.async_accept(self->req_, [self](beast::error_code ec) {
        if (!ec) self->do_read();
      });
    });
  }

  void send(std::string text) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      self->enqueue(std::move(text));
    });
  }

 private:
  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      closed_ = true;
      if (ec == websocket::error::message_too_big) {
        beast::error_code ignored;
        ws_.close(websocket::close_code::too_big, ignored);
      }
      return;
    }
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    AfterResponse after;
    std::string response = rpc_.handle(text, shared_from_this(), &after);
    if (!response.empty()) enqueue(std::move(response));
    for (auto& f : after) f();  // their sends are posted, so they follow the response
    do_read();
  }

  void enqueue(std::string text) {
    if (closed_) return;
    if (queue_.size() >= kMaxQueuedWsMessages) {
      closed_ = true;
      beast::get_lowest_layer(ws_).close();
      return;
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->closed_ = true;
        self->queue_.clear();
        return;
      }
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->do_write();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  RpcDispatcher& rpc_;
  std::size_t max_bytes_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  std::deque<std::string> queue_;
  bool closed_ = false;
};

constexpr std::size_t kReadChunk = 64 << 10;  // bytes asked of the socket per read

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, NodeCore& core, RpcDispatcher& rpc, std::size_t max_bytes)
      : stream_(std::move(socket)), core_(core), rpc_(rpc), max_bytes_(max_bytes) {
    // Beast reads at most the buffer's free capacity at a time (at least 512 bytes): an
    // empty buffer would take a 100 KB batch in hundreds of small reads, a system call
    // each.
    buffer_.reserve(kReadChunk);
  }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(max_bytes_);
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      const Error e = make_error(Errc::request_too_large,
                                 "request body exceeds the limit of " + std::to_string(max_bytes_) + " bytes");
      draining_ = true;  // the client may still be sending the body: read it away after replying
      return reply(http::status::payload_too_large, "application/json", error_response(e, nullptr).dump(), false);
    }
    if (ec) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    auto req = parser_->release();
    if (websocket::is_upgrade(req)) {
      if (req.target() != "/") return reply(http::status::not_found, "text/plain", "not found\n", false);
      stream_.expires_never();
      std::make_shared<WsSession>(stream_.release_socket(), rpc_, max_bytes_)->run(std::move(req));
      return;
    }
    handle(req);
  }

  void handle(const http::request<http::string_body>& req) {
    const bool keep = req.keep_alive();
    const auto target = req.target();
    if (req.method() == http::verb::post && (target == "/" || target.empty())) {
      std::string body = rpc_.handle(req.body());
      if (body.empty()) return reply(http::status::no_content, "", "", keep);
      return reply(http::status::ok, "application/json", std::move(body), keep);
    }
    if (req.method() == http::verb::get || req.method() == http::verb::head) {
      if (target == "/health") {
        nlohmann::json j = {{"ok", true}, {"height", core_.height()}};
        return reply(http::status::ok, "application/json", j.dump(), keep);
      }
      if (target == "/" || target == "/index.html") {
        const ExplorerPage& page = explorer_page();
        return reply(http::status::ok, "text/html; charset=utf-8", page.html, keep, page.csp);
      }
      return reply(http::status::not_found, "text/plain", "not found\n", keep);
    }
    if (target == "/") return reply(http::status::method_not_allowed, "text/plain", "use POST for JSON-RPC\n", keep);
    return reply(http::status::not_found, "text/plain", "not found\n", keep);
  }

  void reply(http::status status, std::string_view type, std::string body, bool keep_alive,
             std::string_view csp = {}) {
    auto res = std::make_shared<http::response<http::string_body>>(status, 11);
    res->set(http::field::server, "pactum");
    if (!type.empty()) res->set(http::field::content_type, type);
    if (!csp.empty()) {
      res->set("Content-Security-Policy", csp);
      res->set("X-Content-Type-Options", "nosniff");
    }
    res->keep_alive(keep_alive);
    res->body() = std::move(body);
    res->prepare_payload();
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || !res->keep_alive()) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        if (!ec && self->draining_) self->drain();
        return;
      }
      self->do_read();
    });
  }

  // Discards what the client still sends so that closing does not reset the connection
  // before it has read our answer (a reset can destroy unread response data).
  void drain() {
    stream_.expires_after(std::chrono::seconds(10));
    if (!scratch_) scratch_ = std::make_unique<std::array<char, 65536>>();
    stream_.async_read_some(net::buffer(*scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > 4 * self->max_bytes_ + (1u << 20)) return;  // the stream closes with us
      self->drain();
    });
  }

  bool draining_ = false;
  std::size_t drained_ = 0;
  std::unique_ptr<std::array<char, 65536>> scratch_;
  beast::tcp_stream stream_;
  NodeCore& core_;
  RpcDispatcher& rpc_;
  std::size_t max_bytes_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

struct RpcServer::Impl {
  Impl(NodeCore& c, RpcDispatcher& r, ServerOptions o) : core(c), rpc(r), opts(std::move(o)) {}
  NodeCore& core;
  RpcDispatcher& rpc;
  ServerOptions opts;
  net::io_context ioc;
  // The acceptor is not thread safe: its completions and its close run on one strand.
  tcp::acceptor acceptor{net::make_strand(ioc)};
  // Installed before the I/O threads start, so that a SIGTERM at any moment after the
  // node printed its address is a clean stop, never the default kill.
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  std::vector<std::thread> threads;
  std::mutex mu;
  std::condition_variable cv;
  bool signalled = false;
  bool stopped = false;

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (!ec) {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(std::move(socket), core, rpc, opts.max_request_bytes)->run();
      }
      do_accept();
    });
  }

  void on_signal() {
    signals.async_wait([this](beast::error_code ec, int) {
      if (ec) return;  // cancelled by stop()
      std::lock_guard lock(mu);
      signalled = true;
      cv.notify_all();
    });
  }
};

RpcServer::RpcServer(NodeCore& core, RpcDispatcher& rpc, ServerOptions opts)
    : impl_(std::make_unique<Impl>(core, rpc, std::move(opts))) {}

RpcServer::~RpcServer() { stop(); }

Result<void> RpcServer::listen() {
  auto& im = *impl_;
  const std::string where = im.opts.host + ":" + std::to_string(im.opts.port);
  beast::error_code ec;
  tcp::resolver resolver(im.ioc);
  auto endpoints = resolver.resolve(im.opts.host, std::to_string(im.opts.port), tcp::resolver::passive, ec);
  if (ec || endpoints.empty())
    return make_error(Errc::invalid_params, "cannot resolve RPC host " + im.opts.host + ": " + ec.message(), "rpc");
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  im.acceptor.open(endpoint.protocol(), ec);
  if (!ec) im.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) im.acceptor.bind(endpoint, ec);
  if (!ec) im.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    std::string hint = ec == net::error::address_in_use ? " (another process, maybe another pactum node, uses "
                                                          "this port; pick another with --rpc HOST:PORT)"
                                                        : "";
    return make_error(Errc::invalid_params, "cannot listen on " + where + ": " + ec.message() + hint, "rpc");
  }
  return {};
}

std::uint16_t RpcServer::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::string RpcServer::address() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  if (ec) return {};
  std::string host = ep.address().to_string();
  if (ep.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

void RpcServer::start() {
  auto& im = *impl_;
  im.on_signal();
  im.do_accept();
  unsigned n = im.opts.threads ? im.opts.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) im.threads.emplace_back([&im] { im.ioc.run(); });
}

void RpcServer::stop() {
  auto& im = *impl_;
  {
    std::lock_guard lock(im.mu);
    if (im.stopped) return;
    im.stopped = true;
  }
  beast::error_code ignored;
  if (im.threads.empty()) {
    im.acceptor.close(ignored);
    im.signals.cancel(ignored);
  } else {
    // Close on the acceptor's strand and wait for it: closing from this thread could race
    // an accept completing on an I/O thread.
    std::promise<void> closed;
    net::post(im.acceptor.get_executor(), [&im, &closed] {
      beast::error_code e;
      im.acceptor.close(e);
      im.signals.cancel(e);
      closed.set_value();
    });
    closed.get_future().wait();
  }
  im.ioc.stop();
  for (auto& t : im.threads)
    if (t.joinable()) t.join();
  im.cv.notify_all();  // a wait_for_signal() in another thread returns
  // Sessions still owned by pending handlers end when the io_context is destroyed
  // (~RpcServer), which must come before the NodeCore and dispatcher they point to.
}

void RpcServer::wait_for_signal() {
  auto& im = *impl_;
  std::unique_lock lock(im.mu);
  im.cv.wait(lock, [&] { return im.signalled || im.stopped; });
}

}  // namespace pactum
