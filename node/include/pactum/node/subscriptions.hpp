// WebSocket subscriptions: who listens for new blocks or for one intent's status, and the
// fan-out of notifications to them (docs/PROTOCOL.md, "pactum_subscribe").
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/crypto.hpp"

namespace pactum {

// Where subscription notifications go (a WebSocket session). send() must be thread
// safe: it is called from the producer thread and from request handlers.
class SubscriptionSink {
 public:
  virtual ~SubscriptionSink() = default;
  virtual void send(std::string text) = 0;
};

// Subscriptions by id: "newBlocks", or one intent's status.
class SubscriptionHub {
 public:
  std::string subscribe_blocks(std::weak_ptr<SubscriptionSink> sink);
  std::string subscribe_intent(std::weak_ptr<SubscriptionSink> sink, const Hash32& id);
  bool unsubscribe(const std::string& sub_id, const SubscriptionSink* owner);
  void notify_block(const nlohmann::json& header_with_count);
  // For every intent subscription on one of `ids`, sends status(id).
  void notify_intents(const std::vector<Hash32>& ids, const std::function<nlohmann::json(const Hash32&)>& status);
  void send_one(const std::string& sub_id, const nlohmann::json& result);
  bool has_intent_subscriptions() const;
  // The subscriptions `owner` holds (the per-connection limit), and dropping them all
  // when its connection closes.
  std::size_t count_of(const SubscriptionSink* owner) const;
  void drop_all_of(const SubscriptionSink* owner);

 private:
  struct Sub {
    std::weak_ptr<SubscriptionSink> sink;
    bool blocks = false;
    Hash32 intent;
  };
  std::string next_id();
  mutable std::mutex mu_;
  std::map<std::string, Sub> subs_;
  std::uint64_t counter_ = 0;
};

}  // namespace pactum
