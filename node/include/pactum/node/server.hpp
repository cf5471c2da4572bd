// The HTTP/1.1 + WebSocket server (Boost.Beast on one Asio io_context run by N threads).
//   POST /        JSON-RPC (single or batch); body over the limit -> 413 + error -32008
//   GET  /        the block explorer (explorer_page.hpp: self-contained, reads over JSON-RPC)
//   GET  /health  {"ok":true,"height":N}
//   WS   /        the same JSON-RPC plus pactum_subscribe / pactum_unsubscribe
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pactum/intents/result.hpp"
#include "pactum/node/dispatcher.hpp"

namespace pactum {

// Every limit here is listed in docs/OPERATIONS.md with its option.
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8545;  // 0: an ephemeral port (see RpcServer::port())
  std::size_t max_request_bytes = 8u << 20;
  unsigned threads = 0;  // 0: hardware_concurrency
  // Open connections, HTTP and WebSocket together. At the limit a new connection closes
  // the oldest one that is waiting for a request, or is itself closed when none is.
  std::size_t max_connections = 1024;
  std::size_t max_ws_connections = 256;  // of those, WebSocket (an upgrade over it gets 503)
  // Unsent WebSocket messages per connection, in bytes; a reader this far behind is
  // disconnected.
  std::size_t max_ws_queue_bytes = 4u << 20;
  std::chrono::seconds idle_timeout{120};  // an HTTP connection that sends no request
  // access_policy.hpp: extra allowed browser origins and Host names, and the token of
  // admin methods on a bind beyond loopback.
  std::vector<std::string> allowed_origins;
  std::vector<std::string> allowed_hosts;
  std::optional<std::string> admin_token;
};

class RpcServer {
 public:
  RpcServer(NodeCore& core, RpcDispatcher& rpc, ServerOptions opts);
  ~RpcServer();
  // Binds and listens; a clear error when the address is in use or invalid.
  Result<void> listen();
  std::uint16_t port() const;   // the bound port, valid after listen()
  std::string address() const;  // "127.0.0.1:PORT"
  bool loopback_only() const;   // bound to a loopback address (valid after listen())
  // Starts the I/O threads. From here on SIGINT and SIGTERM are handled (not the default
  // kill): they end wait_for_signal().
  void start();
  // Stops accepting, stops the I/O threads and joins them. Idempotent. Sessions are
  // released when the server is destroyed, so destroy it before the NodeCore and the
  // dispatcher (and stop the NodeCore's producer first: it notifies WebSocket sessions).
  void stop();
  // Blocks until SIGINT or SIGTERM arrives (or stop() was called). Does not stop.
  void wait_for_signal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pactum
