#include "methods.hpp"

namespace pactum::rpc {

using nlohmann::json;

Result<json> mine(MethodCall& c) {
  PACTUM_ASSIGN(count, c.params.integer_in(0, "count", 1, 100, 1));
  json out = json::array();
  for (std::uint64_t i = 0; i < count; ++i) {
    PACTUM_ASSIGN(mined, c.core.produce_block());
    out.push_back({{"height", mined.height}, {"hash", mined.hash.hex()}, {"intents", mined.intents}});
  }
  return out;
}

namespace {
Result<void> over_websocket(const MethodCall& c, const char* method) {
  if (c.scope.ws) return {};
  return make_error(Errc::method_not_found,
                    std::string(method) + " is only available over WebSocket (ws:// on the same port)");
}
}  // namespace

Result<json> subscribe(MethodCall& c) {
  PACTUM_TRY(over_websocket(c, "pactum_subscribe"));
  const auto& ws = c.scope.ws;
  PACTUM_ASSIGN(kind, c.params.string(0, "kind"));
  SubscriptionHub& hub = c.core.subscriptions();
  if (hub.count_of(ws.get()) >= c.limits.max_subscriptions_per_connection)
    return make_error(Errc::limit_exceeded,
                      "this connection holds " + std::to_string(c.limits.max_subscriptions_per_connection) +
                          " subscriptions, the most one connection may hold; unsubscribe from one first");
  if (kind == "newBlocks") return json(hub.subscribe_blocks(ws));
  if (kind == "intent") {
    PACTUM_ASSIGN(id, c.params.hash(1, "id"));
    std::string sub = hub.subscribe_intent(ws, id);
    // The first notification follows the response that carries the subscription id.
    NodeCore& core = c.core;
    auto first = [&core, sub, id] {
      auto status = core.get_intent(id);
      if (status.ok()) core.subscriptions().send_one(sub, status.value());
    };
    if (c.scope.after)
      c.scope.after->push_back(first);
    else
      first();
    return json(sub);
  }
  return make_error(Errc::invalid_params, "kind: must be \"newBlocks\" or \"intent\"", "kind");
}

Result<json> unsubscribe(MethodCall& c) {
  PACTUM_TRY(over_websocket(c, "pactum_unsubscribe"));
  PACTUM_ASSIGN(sub, c.params.string(0, "subscription"));
  return json(c.core.subscriptions().unsubscribe(sub, c.scope.ws.get()));
}

}  // namespace pactum::rpc
