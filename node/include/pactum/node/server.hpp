// The HTTP/1.1 + WebSocket server (Boost.Beast on one Asio io_context run by N threads).
//   POST /        JSON-RPC (single or batch); body over the limit -> 413 + error -32008
//   GET  /        the block explorer (explorer_page.hpp: self-contained, reads over JSON-RPC)
//   GET  /health  {"ok":true,"height":N}
//   WS   /        the same JSON-RPC plus pactum_subscribe / pactum_unsubscribe
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pactum/intents/result.hpp"
#include "pactum/node/rpc.hpp"

namespace pactum {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8545;  // 0: an ephemeral port (see RpcServer::port())
  std::size_t max_request_bytes = 8u << 20;
  unsigned threads = 0;        // 0: hardware_concurrency
};

class RpcServer {
 public:
  RpcServer(NodeCore& core, RpcDispatcher& rpc, ServerOptions opts);
  ~RpcServer();
  // Binds and listens; a clear error when the address is in use or invalid.
  Result<void> listen();
  std::uint16_t port() const;       // the bound port, valid after listen()
  std::string address() const;      // "127.0.0.1:PORT"
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
