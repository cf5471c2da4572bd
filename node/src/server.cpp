// Boost.Beast HTTP/1.1 + WebSocket server. Each connection lives on its own strand; the
// JSON-RPC work (including signature verification) runs in the I/O thread that read the
// request, so N I/O threads verify on N cores.
#include "pactum/node/server.hpp"

#include <array>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "access_policy.hpp"
#include "explorer_page.hpp"

namespace pactum {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Open connections, HTTP and WebSocket (ServerOptions has the limits). A new connection
// over max_connections makes room by closing the oldest connection that is waiting for a
// request (idle keep-alive, or a client that sends nothing); when none is, the new one is
// closed. So idle connections cannot lock clients out, whatever their number.
class Connections {
 public:
  struct Evictable {
    virtual ~Evictable() = default;
    virtual void evict() = 0;  // closes the connection (from any thread)
  };
  Connections(std::size_t max_total, std::size_t max_ws) : max_total_(max_total), max_ws_(max_ws) {}

  std::uint64_t open(std::weak_ptr<Evictable> session) {
    std::lock_guard lock(mu_);
    const std::uint64_t id = ++next_;
    entries_.emplace(id, Entry{std::move(session), true});
    return id;
  }
  void close(std::uint64_t id) {
    std::lock_guard lock(mu_);
    entries_.erase(id);
  }
  void set_waiting(std::uint64_t id, bool waiting) {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(id); it != entries_.end()) it->second.waiting = waiting;
  }
  // Before accepting one more: true when there is room, possibly made by evicting.
  bool make_room() {
    std::shared_ptr<Evictable> victim;
    {
      std::lock_guard lock(mu_);
      if (entries_.size() < max_total_) return true;
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (!it->second.waiting) continue;
        victim = it->second.session.lock();
        entries_.erase(it);  // counted out now: its close completes on its own strand
        break;
      }
    }
    if (!victim) return false;
    victim->evict();
    return true;
  }
  bool ws_allowed() {
    std::lock_guard lock(mu_);
    return ws_ < max_ws_;
  }
  void ws_opened() {
    std::lock_guard lock(mu_);
    ++ws_;
  }
  void ws_closed() {
    std::lock_guard lock(mu_);
    --ws_;
  }
  std::size_t max_ws() const { return max_ws_; }

 private:
  struct Entry {
    std::weak_ptr<Evictable> session;
    bool waiting;  // waiting for a request: may be evicted
  };
  std::mutex mu_;
  std::map<std::uint64_t, Entry> entries_;  // by age
  std::uint64_t next_ = 0;
  std::size_t ws_ = 0;
  std::size_t max_total_, max_ws_;
};

// A WebSocket connection: requests in, responses and notifications out through a queue
// bounded in bytes. A reader that falls max_queue_bytes behind is disconnected (a slow
// consumer would otherwise hold every block it has not read).
class WsSession : public SubscriptionSink,
                  public Connections::Evictable,
                  public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket socket, RpcDispatcher& rpc, SubscriptionHub& hub, Connections& connections,
            const ServerOptions& opts, CallerRights rights)
      : ws_(std::move(socket)),
        rpc_(rpc),
        hub_(hub),
        connections_(connections),
        max_bytes_(opts.max_request_bytes),
        max_queue_bytes_(opts.max_ws_queue_bytes),
        rights_(rights) {
    connections_.ws_opened();
  }
  ~WsSession() override {
    hub_.drop_all_of(this);
    connections_.ws_closed();
  }

  void evict() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->shut("evicted"); });
  }

  // `req` is the upgrade request, already read; `early` what the client sent after it in
  // the same reads (frames sent before our 101 arrived). Both go to the WebSocket stream
  // as raw bytes, so that the early frames are read as any other.
  void run(const http::request<http::string_body>& req, std::string early) {
    std::ostringstream raw;
    raw << req;
    accept_bytes_ = raw.str() + early;
    net::dispatch(ws_.get_executor(), [self = shared_from_this()]() mutable {
      self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
      self->ws_.set_option(websocket::stream_base::decorator(
          [](websocket::response_type& res) { res.set(http::field::server, "pactum"); }));
      self->ws_.read_message_max(self->max_bytes_);
      self->ws_.async_accept(net::buffer(self->accept_bytes_), [self](beast::error_code ec) {
        std::string().swap(self->accept_bytes_);
        if (!ec) self->do_read();
      });
    });
  }

  void send(std::string text) override {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), text = std::move(text)]() mutable { self->enqueue(std::move(text)); });
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
    std::string response = rpc_.handle(text, shared_from_this(), &after, rights_);
    if (!response.empty()) enqueue(std::move(response));
    for (auto& f : after) f();  // their sends are posted, so they follow the response
    do_read();
  }

  void enqueue(std::string text) {
    if (closed_) return;
    if (queued_bytes_ + text.size() > max_queue_bytes_) return shut("slow consumer");
    queued_bytes_ += text.size();
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) do_write();
  }

  // Resets the TCP connection at once (a close handshake, or even a FIN, would wait
  // behind the data the peer does not read, and the kernel would keep that data for it)
  // and frees what was queued.
  void shut(const char*) {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.set_option(net::socket_base::linger(true, 0), ignored);
    beast::get_lowest_layer(ws_).close();
    hub_.drop_all_of(this);
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->closed_ = true;
        self->queue_.clear();
        self->queued_bytes_ = 0;
        return;
      }
      self->queued_bytes_ -= self->queue_.front().size();
      self->queue_.pop_front();
      if (self->closed_) {
        self->queue_.clear();
        self->queued_bytes_ = 0;
        return;
      }
      if (!self->queue_.empty()) self->do_write();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  RpcDispatcher& rpc_;
  SubscriptionHub& hub_;
  Connections& connections_;
  std::size_t max_bytes_;
  std::size_t max_queue_bytes_;
  CallerRights rights_;
  beast::flat_buffer buffer_;
  std::string accept_bytes_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool closed_ = false;
};

constexpr std::size_t kReadChunk = 64 << 10;         // bytes asked of the socket per read
constexpr std::uint32_t kMaxHeaderBytes = 16 << 10;  // Beast's default is 8 KiB

class HttpSession : public Connections::Evictable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, NodeCore& core, RpcDispatcher& rpc, Connections& connections,
              const ServerOptions& opts, const AccessPolicy& access)
      : stream_(std::move(socket)),
        core_(core),
        rpc_(rpc),
        connections_(connections),
        opts_(opts),
        access_(access),
        max_bytes_(opts.max_request_bytes) {
    // Beast reads at most the buffer's free capacity at a time (at least 512 bytes): an
    // empty buffer would take a 100 KB batch in hundreds of small reads, a system call
    // each.
    buffer_.reserve(kReadChunk);
  }

  ~HttpSession() override { connections_.close(id_); }

  void run() {
    id_ = connections_.open(weak_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

  void evict() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(max_bytes_);
    parser_->header_limit(kMaxHeaderBytes);
    stream_.expires_after(opts_.idle_timeout);
    connections_.set_waiting(id_, true);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    connections_.set_waiting(id_, false);
    if (ec == http::error::body_limit) {
      const Error e = make_error(Errc::request_too_large,
                                 "request body exceeds the limit of " + std::to_string(max_bytes_) + " bytes");
      draining_ = true;  // the client may still be sending the body: read it away after replying
      return reply(http::status::payload_too_large, "application/json", error_response_text(e, "null"), false);
    }
    if (ec) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    auto req = parser_->release();
    const std::string_view host = req[http::field::host];
    const std::string_view origin = req[http::field::origin];
    std::optional<Error> refused = access_.check_host(host);
    if (!refused) refused = access_.check_origin(origin, host);
    if (refused) {
      origin_ = {};
      return reply(http::status::forbidden, "application/json", error_response_text(*refused, "null"), false);
    }
    origin_ = std::string(origin);
    const CallerRights rights{access_.admin(req[http::field::authorization])};
    if (websocket::is_upgrade(req)) {
      if (req.target() != "/") return reply(http::status::not_found, "text/plain", "not found\n", false);
      if (!connections_.ws_allowed()) {
        const Error e =
            make_error(Errc::limit_exceeded, "the node serves at most " + std::to_string(connections_.max_ws()) +
                                                 " WebSocket connections; retry later");
        return reply(http::status::service_unavailable, "application/json", error_response_text(e, "null"), false);
      }
      stream_.expires_never();
      std::string early = beast::buffers_to_string(buffer_.data());
      std::make_shared<WsSession>(stream_.release_socket(), rpc_, core_.subscriptions(), connections_, opts_, rights)
          ->run(req, std::move(early));
      return;
    }
    handle(req, rights);
  }

  void handle(const http::request<http::string_body>& req, CallerRights rights) {
    const bool keep = req.keep_alive();
    const auto target = req.target();
    if (req.method() == http::verb::options && (target == "/" || target.empty())) {
      return reply(http::status::no_content, "", "", keep);  // a CORS preflight: reply() adds the headers
    }
    if (req.method() == http::verb::post && (target == "/" || target.empty())) {
      std::string body = rpc_.handle(req.body(), nullptr, nullptr, rights);
      if (body.empty()) return reply(http::status::no_content, "", "", keep);
      return reply(http::status::ok, "application/json", std::move(body), keep);
    }
    if (req.method() == http::verb::get || req.method() == http::verb::head) {
      if (target == "/health") {
        nlohmann::json j = {{"ok", true}, {"height", core_.height()}};
        return reply(http::status::ok, "application/json", dump_safe(j), keep);
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

  void reply(http::status status, std::string_view type, std::string body, bool keep_alive, std::string_view csp = {}) {
    auto res = std::make_shared<http::response<http::string_body>>(status, 11);
    res->set(http::field::server, "pactum");
    if (!type.empty()) res->set(http::field::content_type, type);
    if (!csp.empty()) {
      res->set("Content-Security-Policy", csp);
      res->set("X-Content-Type-Options", "nosniff");
    }
    if (!origin_.empty()) {  // an allowed browser origin (refused ones never get here)
      res->set(http::field::access_control_allow_origin, origin_);
      res->set(http::field::vary, "Origin");
      res->set(http::field::access_control_allow_methods, "POST, GET, OPTIONS");
      res->set(http::field::access_control_allow_headers, "Content-Type, Authorization");
      res->set(http::field::access_control_max_age, "600");
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
  Connections& connections_;
  const ServerOptions& opts_;
  const AccessPolicy& access_;
  std::uint64_t id_ = 0;
  std::string origin_;  // the current request's allowed Origin, echoed for CORS
  std::size_t max_bytes_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

struct RpcServer::Impl {
  Impl(NodeCore& c, RpcDispatcher& r, ServerOptions o)
      : core(c), rpc(r), opts(std::move(o)), connections(opts.max_connections, opts.max_ws_connections) {
    access.allowed_origins = opts.allowed_origins;
    access.allowed_hosts = opts.allowed_hosts;
    access.admin_token = opts.admin_token;
  }
  NodeCore& core;
  RpcDispatcher& rpc;
  ServerOptions opts;
  AccessPolicy access;
  // Before the io_context: sessions it still owns unregister when it is destroyed.
  Connections connections;
  net::io_context ioc;
  // The acceptor is not thread safe: its completions and its close run on one strand.
  tcp::acceptor acceptor{net::make_strand(ioc)};
  // Installed before the I/O threads start, so that a SIGTERM at any moment after the
  // node printed its address is a clean stop, never the default kill.
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer accept_backoff{acceptor.get_executor()};
  std::vector<std::thread> threads;
  std::mutex mu;
  std::condition_variable cv;
  bool signalled = false;
  bool stopped = false;

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (ec) {
        // Out of file descriptors (or kernel memory): make room and try again shortly.
        // Accepting again at once would spin a core on the same error and answer nobody.
        connections.make_room();
        accept_backoff.expires_after(std::chrono::milliseconds(50));
        accept_backoff.async_wait([this](beast::error_code) { do_accept(); });
        return;
      }
      beast::error_code ignored;
      if (connections.make_room()) {
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(std::move(socket), core, rpc, connections, opts, access)->run();
      } else {
        socket.close(ignored);  // every connection is busy with a request: this one waits its turn elsewhere
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
  if (!ec) im.access.loopback_bind = endpoint.address().is_loopback();
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

bool RpcServer::loopback_only() const { return impl_->access.loopback_bind; }

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
      im.accept_backoff.cancel();
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
