// Follower (follower.hpp): one connection's life (subscribe, catch up, follow), the
// batched fetch of checked blocks, and the relay of submissions to the leader.
#include <algorithm>
#include <cstdio>
#include <future>

#include "pactum/client/client.hpp"
#include "pactum/ledger/block_check.hpp"
#include "pactum/node/follower.hpp"

namespace pactum {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr std::uint64_t kMaxBatchBlocks = 64;
constexpr std::size_t kMaxIdleRelays = 16;
}  // namespace

Error Follower::unreachable(const std::string& what) const {
  return make_error(Errc::leader_unreachable, "the leader " + options_.leader_url + ": " + what);
}

Result<void> Follower::follow_once() {
  set_state(SyncState::connecting);
  try {
    client::RpcClient rpc(options_.leader_url, options_.timeout);
    PACTUM_TRY(check_same_chain(rpc));
    set_state(SyncState::catching_up);
    PACTUM_ASSIGN(target, leader_height(rpc));
    const auto started = Clock::now();
    const Progress before = progress();
    PACTUM_TRY(catch_up_to(rpc, target));
    log_catch_up(before, progress(), Clock::now() - started);
    // Subscribed, then caught up once more: no block made before or during the
    // subscription is missed, and the long catch-up does not fill the leader's queue.
    client::WsClient ws(ws_url_, options_.timeout);
    ws.call("pactum_subscribe", json::array({"newBlocks"}));
    PACTUM_ASSIGN(now, leader_height(rpc));
    PACTUM_TRY(catch_up_to(rpc, now));
    set_state(SyncState::following);
    log("pactum follower: at block " + std::to_string(core_.height()) + ", following " + options_.leader_url);
    auto last_heard = Clock::now();
    while (!stopping()) {
      std::uint64_t wanted = 0;
      // Every queued announcement first: the newest height is all that matters.
      while (auto n = ws.next_notification(std::chrono::milliseconds(wanted ? 0 : 200))) {
        last_heard = Clock::now();
        const json& header = (*n)["params"]["result"];
        if (!header.is_object() || !header.contains("height") || !header["height"].is_number_unsigned()) continue;
        wanted = std::max(wanted, header["height"].get<std::uint64_t>());
        saw_leader_height(wanted);
      }
      if (wanted == 0 && Clock::now() - last_heard > options_.quiet_check) {
        last_heard = Clock::now();
        PACTUM_ASSIGN(h, leader_height(rpc));
        wanted = h;
      }
      if (wanted > core_.height()) PACTUM_TRY(catch_up_to(rpc, wanted));
    }
    return {};
  } catch (const std::exception& e) {
    return unreachable(e.what());
  }
}

// The wall clock only times this log line (docs/PERFORMANCE.md, "Followers").
void Follower::log_catch_up(const Progress& before, const Progress& after, Clock::duration took) const {
  const std::uint64_t blocks = after.blocks - before.blocks;
  if (blocks == 0) return;
  const std::uint64_t intents = after.intents - before.intents;
  const double s = std::max(1e-9, std::chrono::duration<double>(took).count());
  char line[256];
  std::snprintf(line, sizeof line,
                "pactum follower: caught up %llu blocks (%llu intents) in %.3f s: %.0f blocks/s, %.0f intents/s",
                static_cast<unsigned long long>(blocks), static_cast<unsigned long long>(intents), s,
                static_cast<double>(blocks) / s, static_cast<double>(intents) / s);
  log(line);
}

std::uint64_t Follower::batch_size(std::uint64_t from, std::uint64_t target,
                                   std::optional<std::size_t> last_intents) const {
  if (!last_intents) return 1;
  const std::uint64_t by_intents = options_.max_batch_intents / std::max<std::size_t>(1, *last_intents);
  return std::clamp<std::uint64_t>(by_intents, 1, std::min(kMaxBatchBlocks, target - from + 1));
}

// The next batch is fetched and checked on another thread while this one's blocks are
// re-settled and written here: the network, JSON and signatures overlap the settlement.
Result<std::uint64_t> Follower::catch_up_to(client::RpcClient& rpc, std::uint64_t target) {
  std::uint64_t appended = 0;
  std::future<Fetched> ahead;
  std::uint64_t ahead_from = core_.height() + 1;
  std::optional<std::size_t> last_intents;
  auto launch = [&](std::uint64_t from) {
    ahead_from = from;
    const std::uint64_t count = batch_size(from, target, last_intents);
    ahead = std::async(std::launch::async, [this, &rpc, from, count] { return fetch_checked(rpc, from, count); });
  };
  if (ahead_from <= target) launch(ahead_from);
  while (ahead.valid() && !stopping()) {
    Fetched got = ahead.get();
    const std::uint64_t after = ahead_from + got.blocks.size();
    if (!got.blocks.empty()) last_intents = got.blocks.back().intents.size();
    if (!got.error && after <= target) launch(after);
    for (Block& block : got.blocks) {
      const std::size_t intents = block.intents.size();
      auto appended_block = core_.append_block(std::move(block), /*checked_alone=*/true);
      if (!appended_block.ok()) {
        if (ahead.valid()) ahead.wait();
        return appended_block.error();
      }
      ++appended;
      std::lock_guard lock(mu_);
      progress_.blocks += 1;
      progress_.intents += intents;
    }
    if (got.error) return *got.error;
  }
  if (ahead.valid()) ahead.wait();
  return appended;
}

Follower::Fetched Follower::fetch_checked(client::RpcClient& rpc, std::uint64_t from, std::uint64_t count) const {
  Fetched out;
  std::vector<json> answers;
  try {
    std::vector<client::RpcClient::BatchItem> items;
    for (std::uint64_t h = from; h < from + count; ++h) items.push_back({"pactum_getBlock", json::array({h, true})});
    answers = rpc.batch(items);
  } catch (const std::exception& e) {
    out.error = unreachable(e.what());
    return out;
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t h = from + i;
    const json& answer = answers[i];
    if (answer.contains("error")) {
      out.error = unreachable("pactum_getBlock(" + std::to_string(h) + ") answered " + answer["error"].dump());
      return out;
    }
    if (!answer.contains("result") || answer["result"].is_null()) {
      out.error = unreachable("has no block " + std::to_string(h) + " any more");
      return out;
    }
    auto block = Block::from_json(answer["result"]);
    if (!block.ok()) {
      const bool hash = block.error().field == "hash";
      out.error = make_error(Errc::block_invalid,
                             at_block(h) + (hash ? "its hash " : "does not decode: ") + block.error().message,
                             std::string(hash ? block_rule::kHeaderHash : block_rule::kDecode));
      return out;
    }
    if (auto ok = check_block_alone(genesis_, *block, h, true, 0, Errc::block_invalid); !ok.ok()) {
      out.error = ok.error();
      return out;
    }
    out.blocks.push_back(std::move(block).value());
  }
  return out;
}

Result<std::string> Follower::forward(std::string_view method, const json& params) {
  std::unique_ptr<client::HttpClient> http;
  {
    std::lock_guard lock(relay_mu_);
    if (!idle_.empty()) {
      http = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  const json request = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
  json answer;
  try {
    if (!http) http = std::make_unique<client::HttpClient>(options_.leader_url, options_.timeout);
    const client::HttpResponse res = http->post(request.dump());
    answer = json::parse(res.body, nullptr, false);
    if (answer.is_discarded() || !answer.is_object())
      return unreachable("its answer (HTTP " + std::to_string(res.status) + ") is not a JSON-RPC response");
  } catch (const std::exception& e) {
    return unreachable(std::string("no answer (") + e.what() +
                       "); the intent may or may not have reached it: ask pactum_getIntent, or submit "
                       "it again (a second copy is refused as a duplicate, never run twice)");
  }
  {
    std::lock_guard lock(relay_mu_);
    if (idle_.size() < kMaxIdleRelays) idle_.push_back(std::move(http));
  }
  if (const auto e = answer.find("error"); e != answer.end() && e->is_object()) {
    const json data = e->value("data", json::object());
    return make_error(static_cast<Errc>(e->value("code", static_cast<int>(Errc::internal))),
                      e->value("message", std::string("the leader refused the request")),
                      data.is_object() ? data.value("field", std::string()) : std::string());
  }
  if (!answer.contains("result")) return unreachable("its answer has no result");
  return answer["result"].dump();
}

}  // namespace pactum
