// The HTTP/1.1 + WebSocket server (Boost.Beast on one Asio io_context run by N threads).
//   POST /        JSON-RPC (single or batch); body over the limit -> 413 + error -32008
//   GET  /        a small status page (fetches pactum_nodeInfo; no external resources)
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
  void start();                     // starts the I/O threads
  void stop();                      // stops accepting, closes, joins the threads
  // Blocks until SIGINT or SIGTERM (handled on the io_context), then stops.
  void wait_for_signal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pactum
