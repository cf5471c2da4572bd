// A follower's sync with its leader (docs/OPERATIONS.md, "One producer, N followers";
// docs/PROTOCOL.md section 9, "Followers").
//
// The follower catches up from its own head (genesis on a fresh data directory) by
// reading the leader's blocks over JSON-RPC (pactum_getBlock with full = true, in
// batches), then subscribes to the leader's WebSocket pactum_subscribe "newBlocks",
// catches up once more (what came meanwhile), and fetches each announced block the same
// way. It re-syncs from its own head whenever the connection drops, and asks the
// leader's head after 5 s without a notification, so that a lost one delays nothing long.
//
// Every block is verified before it is written, as `pactum replay` verifies a stored one
// (ledger/block_check.hpp): the header hash, the producer and its signature, every
// intent signature and the intents root on a fetching thread (the next batch's, while
// the current one is applied); then the parent link, the re-settlement of the batch on
// the follower's own head state (a recorded clearing checked by the rules, never
// searched), the receipts, the receipts root and the state root, and the block goes
// through the producer's commit pipeline (NodeCore::append_block). A block that breaks a
// rule stops the sync for good, with a log line and pactum_nodeInfo's "sync_error"
// naming the height and the rule; that block is never written, and the node keeps
// serving reads of what it has.
//
// Reusable by anything that keeps a NodeCore in step with a leader URL: catch_up() runs
// one catch-up on the calling thread.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/result.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/node/node_core.hpp"

namespace pactum {

namespace client {
class RpcClient;
class HttpClient;
}  // namespace client

struct FollowerOptions {
  std::string leader_url;                       // http://HOST:PORT of the leader's JSON-RPC
  std::chrono::milliseconds retry{500};         // wait before reconnecting to a lost leader
  std::chrono::milliseconds timeout{30000};     // per request to the leader
  std::chrono::milliseconds quiet_check{5000};  // no notification for this long: ask the head
  // Intents fetched per request, about (from the last block's size; the first request asks
  // one block): small enough that fetching and checking the next batch overlaps applying
  // this one, large enough that small blocks come 64 to a request.
  std::size_t max_batch_intents = 2000;
  std::function<void(const std::string& line)> log;  // operator lines (default: stderr)
};

// Where the sync stands (pactum_nodeInfo "sync").
enum class SyncState { connecting, catching_up, following, reconnecting, stopped };

class Follower final : public LeaderLink {
 public:
  // Throws std::invalid_argument when the URL is not http://HOST:PORT[/path].
  Follower(NodeCore& core, FollowerOptions options);
  ~Follower() override;
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // The sync thread: catch up, follow, re-sync after a drop, until stop() or a refused block.
  void start();
  void stop();
  // One catch-up to the leader's head as it is when asked, on the calling thread: the
  // number of blocks appended, or the error that stopped it (a refused block is
  // `block_invalid` with the rule in Error::field; an unreachable leader
  // `leader_unreachable`). Not while the sync thread runs.
  Result<std::uint64_t> catch_up();

  const std::string& url() const override { return options_.leader_url; }
  nlohmann::json info() const override;
  Result<std::string> forward(std::string_view method, const nlohmann::json& params) override;

  // Blocks and intents appended since the follower was made.
  struct Progress {
    std::uint64_t blocks = 0;
    std::uint64_t intents = 0;
  };
  Progress progress() const;
  // The error that stopped the sync (a refused block, another chain), if it stopped.
  std::optional<Error> sync_error() const;

 private:
  void run();
  // One connection's life: subscribe, catch up, follow until it drops or stop().
  Result<void> follow_once();
  Result<void> check_same_chain(client::RpcClient& rpc);
  Result<std::uint64_t> leader_height(client::RpcClient& rpc);
  // Appends the leader's blocks from the own head + 1 up to `target`.
  Result<std::uint64_t> catch_up_to(client::RpcClient& rpc, std::uint64_t target);
  // Blocks from..from+count-1, decoded and checked alone (block_check.hpp), in order:
  // the good ones before the first that fails, and that failure.
  struct Fetched {
    std::vector<Block> blocks;
    std::optional<Error> error;
  };
  Fetched fetch_checked(client::RpcClient& rpc, std::uint64_t from, std::uint64_t count) const;
  // How many blocks to ask from `from` on, given the size of the last block fetched.
  std::uint64_t batch_size(std::uint64_t from, std::uint64_t target, std::optional<std::size_t> last_intents) const;
  void set_state(SyncState state, const std::string& note = {});
  void saw_leader_height(std::uint64_t height);
  void refuse(const Error& e);
  void log(const std::string& line) const;
  // A `leader_unreachable` error: "the leader URL: what".
  Error unreachable(const std::string& what) const;
  void log_catch_up(const Progress& before, const Progress& after, std::chrono::steady_clock::duration took) const;
  bool stopping() const { return stop_.load(); }

  NodeCore& core_;
  FollowerOptions options_;
  std::string ws_url_;
  Genesis genesis_;  // the chain's, without accounts (Chain::genesis)

  mutable std::mutex mu_;  // guards the members below it (never held while calling the core)
  SyncState state_ = SyncState::connecting;
  std::string note_;  // why it is reconnecting
  std::optional<std::uint64_t> leader_height_;
  std::optional<Error> sync_error_;
  std::uint64_t refused_height_ = 0;
  Progress progress_;

  // Relayed submissions: idle connections to the leader, one per concurrent caller.
  std::mutex relay_mu_;
  std::vector<std::unique_ptr<client::HttpClient>> idle_;

  std::atomic<bool> stop_{false};
  std::mutex wait_mu_;
  std::condition_variable wait_cv_;
  std::thread thread_;
};

}  // namespace pactum
