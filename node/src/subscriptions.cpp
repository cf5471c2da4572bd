// Subscription bookkeeping and fan-out. Sinks are held weakly: a closed WebSocket
// session simply stops receiving, and its subscriptions are pruned on the next send.
#include <set>

#include "pactum/node/subscriptions.hpp"

namespace pactum {

namespace {
std::string notification(const std::string& sub_id, const nlohmann::json& result) {
  return nlohmann::json{
      {"jsonrpc", "2.0"}, {"method", "pactum_subscription"}, {"params", {{"subscription", sub_id}, {"result", result}}}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

std::string SubscriptionHub::next_id() {
  // Unique per process; hex as the spec asks. Not a secret, just a handle.
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(++counter_ * 0x9e3779b97f4a7c15ull));
  return "0x" + std::string(buf);
}

std::string SubscriptionHub::subscribe_blocks(std::weak_ptr<SubscriptionSink> sink) {
  std::lock_guard lock(mu_);
  auto id = next_id();
  subs_[id] = Sub{std::move(sink), true, {}};
  return id;
}

std::string SubscriptionHub::subscribe_intent(std::weak_ptr<SubscriptionSink> sink, const Hash32& intent) {
  std::lock_guard lock(mu_);
  auto id = next_id();
  subs_[id] = Sub{std::move(sink), false, intent};
  return id;
}

bool SubscriptionHub::unsubscribe(const std::string& sub_id, const SubscriptionSink* owner) {
  std::lock_guard lock(mu_);
  auto it = subs_.find(sub_id);
  if (it == subs_.end()) return false;
  auto sink = it->second.sink.lock();
  if (sink && sink.get() != owner) return false;  // only the session that subscribed
  subs_.erase(it);
  return true;
}

std::size_t SubscriptionHub::count_of(const SubscriptionSink* owner) const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [id, s] : subs_) {
    auto sink = s.sink.lock();
    if (sink && sink.get() == owner) ++n;
  }
  return n;
}

void SubscriptionHub::drop_all_of(const SubscriptionSink* owner) {
  std::lock_guard lock(mu_);
  for (auto it = subs_.begin(); it != subs_.end();) {
    auto sink = it->second.sink.lock();
    if (!sink || sink.get() == owner)
      it = subs_.erase(it);
    else
      ++it;
  }
}

bool SubscriptionHub::has_intent_subscriptions() const {
  std::lock_guard lock(mu_);
  for (const auto& [id, s] : subs_)
    if (!s.blocks) return true;
  return false;
}

void SubscriptionHub::notify_block(const nlohmann::json& header) {
  std::vector<std::pair<std::string, std::shared_ptr<SubscriptionSink>>> targets;
  {
    std::lock_guard lock(mu_);
    for (auto it = subs_.begin(); it != subs_.end();) {
      auto sink = it->second.sink.lock();
      if (!sink) {
        it = subs_.erase(it);
        continue;
      }
      if (it->second.blocks) targets.emplace_back(it->first, std::move(sink));
      ++it;
    }
  }
  for (auto& [id, sink] : targets) sink->send(notification(id, header));
}

void SubscriptionHub::notify_intents(const std::vector<Hash32>& ids,
                                     const std::function<nlohmann::json(const Hash32&)>& status) {
  std::vector<std::tuple<std::string, Hash32, std::shared_ptr<SubscriptionSink>>> targets;
  {
    std::lock_guard lock(mu_);
    std::set<Hash32> watched;
    for (const auto& [id, s] : subs_)
      if (!s.blocks) watched.insert(s.intent);
    if (watched.empty()) return;
    std::set<Hash32> hit;
    for (const auto& h : ids)
      if (watched.count(h)) hit.insert(h);
    for (auto& [id, s] : subs_) {
      if (s.blocks || !hit.count(s.intent)) continue;
      if (auto sink = s.sink.lock()) targets.emplace_back(id, s.intent, std::move(sink));
    }
  }
  // Status is read without the hub lock held (it takes the chain and mempool locks).
  std::map<Hash32, nlohmann::json> cache;
  for (auto& [id, intent, sink] : targets) {
    auto it = cache.find(intent);
    if (it == cache.end()) it = cache.emplace(intent, status(intent)).first;
    if (!it->second.is_null()) sink->send(notification(id, it->second));
  }
}

void SubscriptionHub::send_one(const std::string& sub_id, const nlohmann::json& result) {
  std::shared_ptr<SubscriptionSink> sink;
  {
    std::lock_guard lock(mu_);
    auto it = subs_.find(sub_id);
    if (it == subs_.end()) return;
    sink = it->second.sink.lock();
  }
  if (sink) sink->send(notification(sub_id, result));
}

}  // namespace pactum
