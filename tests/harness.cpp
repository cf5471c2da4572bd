#include "harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "pactum/intents/intent.hpp"

namespace pactum::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "pactum-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string pactum_binary() { return PACTUM_BINARY; }

NodeProcess::NodeProcess(const std::string& data_dir, const std::string& log_path, std::vector<std::string> extra_args)
    : log_path_(log_path) {
  std::vector<std::string> argv{pactum_binary(), "node", "--data-dir", data_dir, "--rpc", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_path);
  // What the log held before this start (restarts append), so we find OUR rpc line.
  const auto log_start = static_cast<std::size_t>(::lseek(log_fd, 0, SEEK_END));

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::close(log_fd);
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(log_fd);

  const std::string marker = "rpc: http://";
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    std::string text = log();
    text.erase(0, std::min(log_start, text.size()));
    if (auto at = text.find(marker); at != std::string::npos) {
      auto end = text.find_first_of("\r\n", at);
      if (end != std::string::npos) {
        url_ = "http://" + text.substr(at + marker.size(), end - at - marker.size());
        rpc_ = std::make_unique<client::RpcClient>(url_, std::chrono::seconds(30));
        return;
      }
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("pactum node exited during startup; log:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_hard();
  throw std::runtime_error("pactum node printed no rpc line within 20 s; log:\n" + log());
}

NodeProcess::~NodeProcess() {
  if (pid_ > 0) stop();
}

std::string NodeProcess::ws_url() const { return "ws://" + url_.substr(std::string("http://").size()) + "/"; }

std::string NodeProcess::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int NodeProcess::wait_exit(std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (r < 0) {
      pid_ = -1;
      return -1;
    }
    if (Clock::now() >= deadline) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int NodeProcess::stop() {
  if (pid_ <= 0) return -1;
  rpc_.reset();
  ::kill(pid_, SIGTERM);
  int status = wait_exit(std::chrono::seconds(15));
  if (status == -2) {
    ADD_FAILURE() << "pactum node ignored SIGTERM for 15 s; killing it";
    ::kill(pid_, SIGKILL);
    status = wait_exit(std::chrono::seconds(5));
  }
  return status;
}

void NodeProcess::kill_hard() {
  if (pid_ <= 0) return;
  rpc_.reset();
  ::kill(pid_, SIGKILL);
  wait_exit(std::chrono::seconds(10));
}

TestNode::TestNode(std::vector<std::string> extra_args) : data_dir(dir.sub("data")), log_path(dir.sub("node.log")) {
  node = std::make_unique<NodeProcess>(data_dir, log_path, std::move(extra_args));
}

void TestNode::restart(std::vector<std::string> extra_args) {
  if (node && node->running()) node->stop();
  node.reset();
  node = std::make_unique<NodeProcess>(data_dir, log_path, std::move(extra_args));
}

ShellResult run_shell(const std::string& command_line) {
  ShellResult r;
  FILE* p = ::popen(command_line.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

PublicKey dev_account(std::uint32_t index) { return dev_secret_key(index).public_key(); }

std::uint64_t fresh_nonce() {
  static std::atomic<std::uint64_t> next{1000};
  return next++;
}

json sign_with_dev(std::uint32_t from, json unsigned_intent) {
  SecretKey key = dev_secret_key(from);
  unsigned_intent["signer"] = key.public_key().hex();
  if (!unsigned_intent.contains("chain")) unsigned_intent["chain"] = "pactum-devnet";
  if (!unsigned_intent.contains("nonce")) unsigned_intent["nonce"] = fresh_nonce();
  if (!unsigned_intent.contains("valid_until")) unsigned_intent["valid_until"] = kMaxSafeInteger;
  auto signed_intent = sign_intent(unsigned_intent, key);
  if (!signed_intent) throw std::runtime_error("sign_intent: " + signed_intent.error().message);
  return intent_to_json(*signed_intent);
}

json signed_transfer(std::uint32_t from, const PublicKey& to, const std::string& asset, const std::string& amount,
                     std::uint64_t valid_until) {
  return sign_with_dev(
      from,
      {{"kind", "transfer"}, {"asset", asset}, {"to", to.hex()}, {"amount", amount}, {"valid_until", valid_until}});
}

json signed_swap(std::uint32_t from, const std::string& sell_asset, const std::string& buy_asset,
                 const std::string& side, const std::string& sell_amount, const std::string& buy_amount, bool partial) {
  return sign_with_dev(from, {{"kind", "swap"},
                              {"sell_asset", sell_asset},
                              {"buy_asset", buy_asset},
                              {"side", side},
                              {"sell_amount", sell_amount},
                              {"buy_amount", buy_amount},
                              {"partial", partial}});
}

std::string submit(client::RpcClient& rpc, const json& intent) {
  json r = rpc.call("pactum_submitIntent", json::array({intent}));
  return r.at("id").get<std::string>();
}

std::string refusal(client::RpcClient& rpc, const json& intent) {
  try {
    submit(rpc, intent);
  } catch (const client::RpcError& e) {
    return std::to_string(e.code) + " " + e.reason + " " + e.field;
  }
  return "accepted";
}

json wait_final(client::RpcClient& rpc, const std::string& id, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (true) {
    json status = rpc.call("pactum_getIntent", json::array({id}));
    if (status.value("status", "") != "pending") return status;
    if (Clock::now() > deadline) throw std::runtime_error("intent " + id + " still pending");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string balance(client::RpcClient& rpc, const PublicKey& account, const std::string& asset) {
  return rpc.call("pactum_getBalance", json::array({account.hex(), asset})).get<std::string>();
}

std::uint64_t height(client::RpcClient& rpc) { return rpc.call("pactum_blockNumber").get<std::uint64_t>(); }

std::map<std::string, json> mine_receipts(client::RpcClient& rpc, int blocks) {
  std::map<std::string, json> out;
  for (int b = 0; b < blocks; ++b) {
    const json mined = rpc.call("pactum_mine", json::array({1}));
    const json block = rpc.call("pactum_getBlock", json::array({mined[0]["height"], true}));
    for (const auto& r : block["receipts"]) out[r["intent"].get<std::string>()] = r;
  }
  return out;
}

std::map<std::string, BigInt> asset_totals(client::RpcClient& rpc) {
  std::map<std::string, BigInt> t;
  for (const auto& a : rpc.call("pactum_getAssets")) {
    const std::string asset = a["symbol"];
    for (std::uint32_t i = 0; i < 20; ++i) t[asset] += BigInt(balance(rpc, dev_account(i), asset));
  }
  for (const auto& p : rpc.call("pactum_getPools")) {
    t[p["assets"][0].get<std::string>()] += BigInt(p["reserves"][0].get<std::string>());
    t[p["assets"][1].get<std::string>()] += BigInt(p["reserves"][1].get<std::string>());
  }
  for (const auto& p : rpc.call("pactum_getLendingPools"))
    t[p["asset"].get<std::string>()] += BigInt(p["reserve"].get<std::string>());
  return t;
}

std::string id_of(const json& intent) { return decode_intent(intent, false).value().id.hex(); }

json header_of(const json& block) {
  if (block.is_object() && block.contains("header")) return block["header"];
  return block;
}

}  // namespace pactum::testing
