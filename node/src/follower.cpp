// Follower (follower.hpp): the sync thread, the fetching of checked blocks, the relay of
// submissions. The client's exceptions (transport, JSON-RPC errors) stop at this file's
// edges and become leader_unreachable errors.
#include "pactum/node/follower.hpp"

#include <algorithm>
#include <iostream>

#include "pactum/client/client.hpp"
#include "pactum/ledger/block_check.hpp"

namespace pactum {

using nlohmann::json;

namespace {

const char* state_name(SyncState s) {
  switch (s) {
    case SyncState::connecting:
      return "connecting";
    case SyncState::catching_up:
      return "catching_up";
    case SyncState::following:
      return "following";
    case SyncState::reconnecting:
      return "reconnecting";
    case SyncState::stopped:
      return "stopped";
  }
  return "stopped";
}

}  // namespace

Follower::Follower(NodeCore& core, FollowerOptions options) : core_(core), options_(std::move(options)) {
  if (options_.leader_url.rfind("http://", 0) != 0)
    throw std::invalid_argument("--follow: expected http://HOST:PORT, got '" + options_.leader_url + "'");
  const client::Endpoint e = client::parse_url(options_.leader_url);
  ws_url_ = "ws://" + e.host + ":" + e.port + e.target;
  genesis_ = core_.inspect([](const Chain& chain, const Mempool&) { return chain.genesis(); });
}

Follower::~Follower() { stop(); }

void Follower::start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void Follower::stop() {
  {
    std::lock_guard lock(wait_mu_);
    stop_ = true;
  }
  wait_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Follower::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << std::endl;
  }
}

void Follower::set_state(SyncState state, const std::string& note) {
  std::lock_guard lock(mu_);
  state_ = state;
  note_ = note;
}

void Follower::saw_leader_height(std::uint64_t height) {
  std::lock_guard lock(mu_);
  leader_height_ = std::max(leader_height_.value_or(0), height);
}

json Follower::info() const {
  std::lock_guard lock(mu_);
  json j = {{"leader", options_.leader_url},
            {"leader_height", leader_height_ ? json(*leader_height_) : json(nullptr)},
            {"sync", state_name(state_)},
            {"leader_error", note_.empty() ? json(nullptr) : json(note_)},
            {"sync_error", nullptr}};
  if (sync_error_)
    j["sync_error"] = {{"height", refused_height_}, {"rule", sync_error_->field}, {"message", sync_error_->message}};
  return j;
}

Follower::Progress Follower::progress() const {
  std::lock_guard lock(mu_);
  return progress_;
}

std::optional<Error> Follower::sync_error() const {
  std::lock_guard lock(mu_);
  return sync_error_;
}

void Follower::refuse(const Error& e) {
  const std::uint64_t height = e.field == "genesis" ? 0 : core_.height() + 1;
  {
    std::lock_guard lock(mu_);
    sync_error_ = e;
    if (sync_error_->field.empty()) sync_error_->field = std::string(errc_name(e.code));
    refused_height_ = height;
    state_ = SyncState::stopped;
  }
  const std::string head = std::to_string(core_.height());
  if (e.code == Errc::block_invalid) {
    log("\n!!! pactum follower: block " + std::to_string(height) + " REFUSED, rule " + e.field + ": " + e.message +
        "\n!!! pactum follower: the block is not written; the sync is STOPPED at block " + head +
        " and the node keeps serving reads. Check the leader " + options_.leader_url + ".");
  } else {
    log("\n!!! pactum follower: the sync is STOPPED at block " + head + ": " + e.message + " (" +
        std::string(errc_name(e.code)) + "); the node keeps serving reads.");
  }
}

void Follower::run() {
  bool lost = false;
  while (!stopping()) {
    Result<void> r = follow_once();
    if (stopping()) break;
    // Only a lost leader is worth another try; a refused block, another chain or a storage
    // failure here would be refused again.
    if (!r.ok() && r.error().code != Errc::leader_unreachable) {
      refuse(r.error());
      return;
    }
    const std::string why = r.ok() ? "the leader closed the subscription" : r.error().message;
    set_state(SyncState::reconnecting, why);
    if (!lost)
      log("pactum follower: " + why + "; re-syncing from block " + std::to_string(core_.height() + 1) +
          " as soon as it answers");
    lost = true;
    std::unique_lock lock(wait_mu_);
    wait_cv_.wait_for(lock, options_.retry, [this] { return stopping(); });
  }
}

Result<std::uint64_t> Follower::catch_up() {
  try {
    client::RpcClient rpc(options_.leader_url, options_.timeout);
    PACTUM_TRY(check_same_chain(rpc));
    PACTUM_ASSIGN(target, leader_height(rpc));
    return catch_up_to(rpc, target);
  } catch (const std::exception& e) {
    return unreachable(e.what());
  }
}

Result<void> Follower::check_same_chain(client::RpcClient& rpc) {
  const json leader = rpc.call("pactum_nodeInfo");
  const json own = core_.node_info();
  if (leader.value("chain_id", "") != own["chain_id"] || leader.value("genesis", "") != own["genesis"]) {
    return make_error(Errc::block_invalid,
                      "the leader " + options_.leader_url + " serves chain " + leader.value("chain_id", "?") +
                          " with genesis block " + leader.value("genesis", "?") + ", this node chain " +
                          own["chain_id"].get<std::string>() + " with genesis block " +
                          own["genesis"].get<std::string>(),
                      "genesis");
  }
  return {};
}

Result<std::uint64_t> Follower::leader_height(client::RpcClient& rpc) {
  const json h = rpc.call("pactum_blockNumber");
  if (!h.is_number_unsigned()) return unreachable("pactum_blockNumber is not a height");
  saw_leader_height(h.get<std::uint64_t>());
  return h.get<std::uint64_t>();
}

}  // namespace pactum
