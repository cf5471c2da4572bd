// The node: options, genesis loading and the long-running `pactum node` process
// (RocksDB chain + mempool + block producer + JSON-RPC/WebSocket server).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pactum/intents/result.hpp"
#include "pactum/ledger/genesis.hpp"

namespace pactum {

struct NodeOptions {
  std::string data_dir = "pactum-data";
  std::optional<std::string> genesis_file;
  std::string rpc_host = "127.0.0.1";
  std::uint16_t rpc_port = 8545;
  std::optional<std::uint64_t> block_time_ms;
  std::size_t max_mempool = 200000;
  std::size_t max_request_bytes = 8u << 20;
  std::size_t max_batch = 1000;
  std::size_t max_block_intents = 20000;
  std::size_t max_pending_per_account = 2048;
  unsigned threads = 0 /*0 = hardware_concurrency*/;
  // Connections, WebSocket queues and browser access (server.hpp, access_policy.hpp).
  std::size_t max_connections = 1024;
  std::size_t max_ws_connections = 256;
  std::size_t max_ws_queue_bytes = 4u << 20;
  std::size_t max_subscriptions = 64;  // per WebSocket connection
  std::uint64_t idle_timeout_s = 120;
  std::vector<std::string> allowed_origins;
  std::vector<std::string> allowed_hosts;
  std::optional<std::string> admin_token;
  bool quiet = false;
  // Follower mode (node/follower.hpp): the leader's http://HOST:PORT. The node then
  // never produces, verifies and stores the leader's blocks, and relays submissions.
  std::optional<std::string> follow;
  // Hex secret key of the block producer. Required unless the genesis producer is the
  // devnet producer ("dev"); must match the genesis producer's public key.
  std::optional<std::string> producer_key;
  // Solvers (solvers/picker.hpp): external solver URLs asked besides the built-in matcher,
  // and how long they have per block (default: 200 ms in instant mode; with --block-time,
  // half the interval, at most 1000 ms).
  std::vector<std::string> solver_urls;
  std::optional<std::uint64_t> solver_deadline_ms;
  std::size_t exact_max_swaps = 20;   // the exact MILP solver runs on batches of 2 to N swaps (0: never)
  std::size_t polish_max_swaps = 80;  // the polish solver (near the matcher's answer): up to N swaps (0: never)
};

// The solvers' deadline per block for these options (see NodeOptions::solver_deadline_ms).
std::uint64_t solver_deadline_ms(const NodeOptions& opts);

// The embedded devnet genesis when `file` is nullopt; errors reading or parsing a file
// name the file.
Result<Genesis> load_genesis(const std::optional<std::string>& file);

// Runs the node; blocks until SIGINT/SIGTERM. Returns the process exit code.
int run_node(const NodeOptions& opts);

}  // namespace pactum
