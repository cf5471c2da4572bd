// JSON-RPC 2.0 over a NodeCore (docs/PROTOCOL.md, "JSON-RPC"): request shape, the method
// table, error responses. Transport-free: the HTTP and WebSocket server (server.hpp) feed
// it request bodies, and tests call it directly.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/result.hpp"
#include "pactum/node/node_core.hpp"
#include "pactum/node/subscriptions.hpp"

namespace pactum {

struct RpcLimits {
  std::size_t max_batch = 1000;
  std::size_t max_pending_listed = 10000;
  std::size_t max_subscriptions_per_connection = 64;
};

// What the connection a request came on may do (access_policy.hpp decides it).
struct CallerRights {
  bool admin = true;  // admin methods (pactum_mine)
};

// Work to run once the response has been queued (e.g. the first notification of a new
// subscription, which must follow the response that carries its id).
using AfterResponse = std::vector<std::function<void()>>;

struct RequestScope;  // what one request may use besides its parameters (rpc/methods.hpp)

// JSON-RPC 2.0 over a NodeCore; the methods are in node/src/rpc/ behind a table. handle()
// is thread safe.
class RpcDispatcher {
 public:
  RpcDispatcher(NodeCore& core, RpcLimits limits = {});
  // One request body (single or batch). Returns the response body, or "" when the
  // request held only notifications. `ws` is the WebSocket session, null over HTTP.
  std::string handle(std::string_view body, const std::shared_ptr<SubscriptionSink>& ws = nullptr,
                     AfterResponse* after = nullptr, CallerRights rights = {});

 private:
  // A request's members, checked: what it asks, or the error to answer (with `id`).
  struct Envelope {
    std::string id_text = "null";  // the id's JSON text, exactly as the client wrote it
    bool notification = false;
    const std::string* method = nullptr;
    const nlohmann::json* params = nullptr;  // an array or an object
    std::optional<Error> error;
  };
  using RawIds = std::vector<std::pair<const nlohmann::json*, std::string>>;  // request_json.hpp
  static Envelope envelope(const nlohmann::json& request, const RawIds& raw_ids);
  std::string handle_body(std::string_view body, const std::shared_ptr<SubscriptionSink>& ws, AfterResponse* after,
                          CallerRights rights);
  // One request's response text; "" when it is a notification.
  std::string handle_one(const Envelope& env, RequestScope& scope);
  NodeCore& core_;
  RpcLimits limits_;
};

// {"code","message","data":{"reason","field"?}}
nlohmann::json error_json(const Error& e);
nlohmann::json error_response(const Error& e, const nlohmann::json& id);
// A whole error response as text, with the id's JSON text as given ("null" for none).
std::string error_response_text(const Error& e, std::string_view id_text);
// JSON text that cannot throw: text that is not UTF-8 is written with U+FFFD instead (no
// error text or answer may take the node down, docs/PROTOCOL.md "Errors").
std::string dump_safe(const nlohmann::json& j);

}  // namespace pactum
