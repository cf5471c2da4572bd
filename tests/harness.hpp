// Integration-test harness: starts the real `pactum node` binary on a loopback port with
// a temporary data directory, talks to it over JSON-RPC, and stops or kills it.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/client/client.hpp"
#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"

namespace pactum::testing {

using nlohmann::json;

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// One `pactum node` process. Its stdout and stderr go to `log_path`; the constructor
// waits (up to 20 s) for the line `rpc: http://HOST:PORT` and fails the test otherwise.
class NodeProcess {
 public:
  NodeProcess(const std::string& data_dir, const std::string& log_path, std::vector<std::string> extra_args = {});
  ~NodeProcess();  // SIGTERM if still running
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // SIGTERM, then waits up to 15 s (SIGKILL after that). Returns the exit status
  // (128 + signal if killed by one).
  int stop();
  // SIGKILL: a crash at an arbitrary instant.
  void kill_hard();
  bool running() const { return pid_ > 0; }

  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT
  std::string ws_url() const;                      // ws://127.0.0.1:PORT/
  client::RpcClient& rpc() { return *rpc_; }
  std::string log() const;

 private:
  int wait_exit(std::chrono::milliseconds limit);
  pid_t pid_ = -1;
  std::string log_path_;
  std::string url_;
  std::unique_ptr<client::RpcClient> rpc_;
};

// A node with its own temporary directory (data in dir/data, log in dir/node.log).
struct TestNode {
  explicit TestNode(std::vector<std::string> extra_args = {});
  void restart(std::vector<std::string> extra_args = {});
  TempDir dir;
  std::string data_dir;
  std::string log_path;
  std::unique_ptr<NodeProcess> node;
  client::RpcClient& rpc() { return node->rpc(); }
};

// Runs a shell command line (popen); returns the exit status and stdout.
struct ShellResult {
  int exit_code = -1;
  std::string out;
};
ShellResult run_shell(const std::string& command_line);
std::string shell_quote(const std::string& s);
std::string pactum_binary();

// Intents from the dev accounts (secret = dev_secret_key(index)).
PublicKey dev_account(std::uint32_t index);
std::uint64_t fresh_nonce();  // distinct per call within a process
json signed_transfer(std::uint32_t from, const PublicKey& to, const std::string& asset, const std::string& amount,
                     std::uint64_t valid_until = (std::uint64_t{1} << 53) - 1);
json signed_swap(std::uint32_t from, const std::string& sell_asset, const std::string& buy_asset,
                 const std::string& side, const std::string& sell_amount, const std::string& buy_amount,
                 bool partial = false);
// Signs any unsigned intent object with dev key `from` (fills signer).
json sign_with_dev(std::uint32_t from, json unsigned_intent);

// RPC helpers.
std::string submit(client::RpcClient& rpc, const json& intent);  // returns the id
// Submits; the refusal as "CODE reason field" (e.g. "-32025 locked asset"), or "accepted".
std::string refusal(client::RpcClient& rpc, const json& intent);
json wait_final(client::RpcClient& rpc, const std::string& id,
                std::chrono::milliseconds limit = std::chrono::seconds(20));
std::string balance(client::RpcClient& rpc, const PublicKey& account, const std::string& asset);
std::uint64_t height(client::RpcClient& rpc);
// Mines `blocks` blocks (pactum_mine) and returns their receipts by intent id.
std::map<std::string, json> mine_receipts(client::RpcClient& rpc, int blocks = 1);
// Per asset, the sum over the 20 dev accounts, every pool and every lending pool: what a
// block that trades against nobody else (no dust) leaves unchanged.
std::map<std::string, BigInt> asset_totals(client::RpcClient& rpc);
// The id of an intent, signed or not (a bundle without all its cosigs included).
std::string id_of(const json& intent);
// The header fields of a getBlock answer, whether nested under "header" or not.
json header_of(const json& block);

}  // namespace pactum::testing
