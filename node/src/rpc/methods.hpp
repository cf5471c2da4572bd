// The JSON-RPC method table (docs/PROTOCOL.md section 8, "Methods"): each method is a
// function of its parameters and the request's scope, in a file per group:
//   methods_chain.cpp     chain id, node info, blocks, assets, pools, lending pools
//   methods_accounts.cpp  balances, balance proofs, nonces, supply, burns
//   methods_intents.cpp   submit, status, pending, quote, bundle simulation
//   methods_rooms.cpp     rooms and contracts
//   methods_node.cpp      admin (pactum_mine) and WebSocket subscriptions
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pactum/node/dispatcher.hpp"
#include "params.hpp"

namespace pactum {

// What one request may use besides its parameters (RpcDispatcher fills it).
struct RequestScope {
  const std::shared_ptr<SubscriptionSink>& ws;  // the WebSocket session, null over HTTP
  AfterResponse* after;
  CallerRights rights;
  bool in_batch = false;
  bool submitted = false;  // a submit in this batch is waiting to wake the producer
  // A batch verifies and admits its intents before it answers (RpcDispatcher::handle): the
  // current item's answer, and the intent JSON it was computed from.
  Result<std::string>* answered = nullptr;
  const nlohmann::json* answered_from = nullptr;
};

namespace rpc {

struct MethodCall {
  NodeCore& core;
  const RpcLimits& limits;
  const Params& params;
  RequestScope& scope;
};

// A method answers with a JSON tree, or, on the node's hottest paths (batches of
// submissions, followers reading every block), with its result already written as text.
struct Method {
  Result<nlohmann::json> (*tree)(MethodCall&) = nullptr;
  Result<std::string> (*text)(MethodCall&) = nullptr;
  bool admin = false;  // access_policy.hpp: refused beyond loopback without the admin token
};

// The method called `name`, or null.
const Method* find_method(std::string_view name);

// pactum_submitIntent's answer for an admitted intent (the batch path writes it too).
std::string submitted_text(const std::string& id_hex);

// The groups' methods.
Result<nlohmann::json> chain_id(MethodCall&);
Result<nlohmann::json> node_info(MethodCall&);
Result<nlohmann::json> block_number(MethodCall&);
Result<std::string> get_block(MethodCall&);
Result<nlohmann::json> get_blocks(MethodCall&);
Result<nlohmann::json> get_pool(MethodCall&);
Result<nlohmann::json> get_pools(MethodCall&);
Result<nlohmann::json> get_assets(MethodCall&);
Result<nlohmann::json> get_lending_pools(MethodCall&);

Result<nlohmann::json> get_balance(MethodCall&);
Result<nlohmann::json> get_available_balance(MethodCall&);
Result<nlohmann::json> get_balance_proof(MethodCall&);
Result<nlohmann::json> nonce_used(MethodCall&);
Result<nlohmann::json> get_supply(MethodCall&);
Result<nlohmann::json> get_burns(MethodCall&);
Result<nlohmann::json> get_receipt_proof(MethodCall&);

Result<std::string> submit_intent(MethodCall&);
Result<std::string> get_intent(MethodCall&);
Result<nlohmann::json> pending_intents(MethodCall&);
Result<nlohmann::json> quote(MethodCall&);
Result<nlohmann::json> simulate_bundle(MethodCall&);

Result<nlohmann::json> get_room(MethodCall&);
Result<nlohmann::json> get_rooms(MethodCall&);
Result<nlohmann::json> get_contract(MethodCall&);

Result<nlohmann::json> mine(MethodCall&);
Result<nlohmann::json> subscribe(MethodCall&);
Result<nlohmann::json> unsubscribe(MethodCall&);

}  // namespace rpc
}  // namespace pactum
