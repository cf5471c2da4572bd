// JSON-RPC 2.0 dispatcher: request shape, parameters, and the method table. A body that
// is not JSON becomes -32700 (request_json.hpp); exceptions from a method stop here and
// become -32603 internal errors.
#include "pactum/node/dispatcher.hpp"

#include <algorithm>

#include "request_json.hpp"

namespace pactum {

using nlohmann::json;

json error_json(const Error& e) {
  json data = {{"reason", errc_name(e.code)}};
  if (!e.field.empty()) data["field"] = e.field;
  return {{"code", static_cast<int>(e.code)}, {"message", e.message}, {"data", std::move(data)}};
}

json error_response(const Error& e, const json& id) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", error_json(e)}};
}

std::string dump_safe(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string error_response_text(const Error& e, std::string_view id_text) {
  // The members in the order nlohmann writes an object (sorted), as results are.
  std::string out = R"({"error":)" + dump_safe(error_json(e)) + R"(,"id":)";
  out += id_text;
  out += R"(,"jsonrpc":"2.0"})";
  return out;
}

namespace {

// Positional or named parameters.
class Params {
 public:
  explicit Params(const json& p) : p_(p) {}
  const json* get(std::size_t index, const char* name) const {
    if (p_.is_array()) return index < p_.size() ? &p_[index] : nullptr;
    if (p_.is_object()) {
      auto it = p_.find(name);
      return it == p_.end() ? nullptr : &*it;
    }
    return nullptr;
  }
  Result<const json*> required(std::size_t index, const char* name) const {
    const json* v = get(index, name);
    if (!v) return make_error(Errc::invalid_params, std::string("missing parameter ") + name, name);
    return v;
  }
  Result<std::string> string(std::size_t index, const char* name) const {
    auto v = required(index, name);
    if (!v.ok()) return v.error();
    if (!(*v)->is_string()) return make_error(Errc::invalid_params, std::string(name) + ": must be a string", name);
    return (*v)->get<std::string>();
  }
  Result<std::uint64_t> integer(std::size_t index, const char* name) const {
    auto v = required(index, name);
    if (!v.ok()) return v.error();
    if (!(*v)->is_number_unsigned() || (*v)->get<std::uint64_t>() > kMaxSafeInteger)
      return make_error(Errc::invalid_params, std::string(name) + ": must be an integer in [0, 2^53-1]", name);
    return (*v)->get<std::uint64_t>();
  }
  // An optional integer in [lo, hi]: `fallback` when absent or null.
  Result<std::uint64_t> integer_in(std::size_t index, const char* name, std::uint64_t lo, std::uint64_t hi,
                                   std::uint64_t fallback) const {
    const json* v = get(index, name);
    if (!v || v->is_null()) return fallback;
    if (!v->is_number_unsigned() || v->get<std::uint64_t>() < lo || v->get<std::uint64_t>() > hi)
      return make_error(Errc::invalid_params,
                        std::string(name) + ": must be an integer in [" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "]",
                        name);
    return v->get<std::uint64_t>();
  }
  Result<PublicKey> account(std::size_t index, const char* name) const {
    auto s = string(index, name);
    if (!s.ok()) return s.error();
    return PublicKey::from_hex(*s, name);
  }
  Result<Hash32> hash(std::size_t index, const char* name) const {
    auto s = string(index, name);
    if (!s.ok()) return s.error();
    return Hash32::from_hex(*s, name);
  }
  Result<std::string> asset(std::size_t index, const char* name) const {
    auto s = string(index, name);
    if (!s.ok()) return s.error();
    if (!is_valid_asset_symbol(*s))
      return make_error(Errc::invalid_params, std::string(name) + ": not an asset symbol (1..16 of A-Z 0-9)", name);
    return s;
  }

 private:
  const json& p_;
};

bool valid_id(const json& id) { return id.is_string() || id.is_number() || id.is_null(); }

std::string submitted_text(const std::string& id_hex) { return R"({"id":")" + id_hex + R"(","status":"pending"})"; }

}  // namespace

RpcDispatcher::Envelope RpcDispatcher::envelope(const json& request, const RawIds& raw_ids) {
  Envelope env;
  auto fail = [&](Error e) {
    env.error = std::move(e);
    return env;
  };
  if (!request.is_object()) return fail(make_error(Errc::invalid_request, "a request must be a JSON object"));
  auto id_it = request.find("id");
  env.notification = id_it == request.end();
  if (!env.notification) {
    if (!valid_id(*id_it)) return fail(make_error(Errc::invalid_request, "id must be a string, a number or null", "id"));
    env.id_text.clear();
    for (const auto& [where, text] : raw_ids)
      if (where == &*id_it) env.id_text = text;  // echoed as written, not as a double
    if (env.id_text.empty()) env.id_text = dump_safe(*id_it);
  }
  auto version = request.find("jsonrpc");
  if (version == request.end() || *version != "2.0")
    return fail(make_error(Errc::invalid_request, "jsonrpc must be \"2.0\"", "jsonrpc"));
  auto method = request.find("method");
  if (method == request.end() || !method->is_string())
    return fail(make_error(Errc::invalid_request, "method must be a string", "method"));
  env.method = &method->get_ref<const std::string&>();
  static const json kNoParams = json::array();
  env.params = &kNoParams;
  if (auto p = request.find("params"); p != request.end()) {
    if (!p->is_array() && !p->is_object())
      return fail(make_error(Errc::invalid_request, "params must be an array or an object", "params"));
    env.params = &*p;
  }
  for (const auto& [key, value] : request.items()) {
    (void)value;
    if (key != "jsonrpc" && key != "method" && key != "params" && key != "id")
      return fail(make_error(Errc::invalid_request, "unknown member " + key + " in request", key));
  }
  return env;
}

RpcDispatcher::RpcDispatcher(NodeCore& core, RpcLimits limits) : core_(core), limits_(limits) {}

std::string RpcDispatcher::handle(std::string_view body, const std::shared_ptr<SubscriptionSink>& ws,
                                  AfterResponse* after, CallerRights rights) {
  // Nothing a request carries may take the node down: handle_one answers a method's
  // exception as an internal error, and this catches what is left (an allocation
  // failure writing a response, say).
  try {
    return handle_body(body, ws, after, rights);
  } catch (const std::exception& e) {
    return error_response_text(make_error(Errc::internal, std::string("internal error: ") + e.what()), "null");
  } catch (...) {
    return error_response_text(make_error(Errc::internal, "internal error"), "null");
  }
}

std::string RpcDispatcher::handle_body(std::string_view body, const std::shared_ptr<SubscriptionSink>& ws,
                                       AfterResponse* after, CallerRights rights) {
  RawIds raw_ids;
  auto parsed = parse_request_json(body, &raw_ids);
  if (!parsed.ok()) return error_response_text(parsed.error(), "null");
  json request = std::move(parsed).value();
  if (request.is_array()) {
    if (request.empty())
      return error_response_text(make_error(Errc::invalid_request, "empty batch: send 1 or more requests"), "null");
    if (request.size() > limits_.max_batch)
      return error_response_text(make_error(Errc::invalid_request, "batch of " + std::to_string(request.size()) +
                                                                       " requests exceeds the limit of " +
                                                                       std::to_string(limits_.max_batch)),
                                 "null");
    // Verify every intent of the batch first, then admit them all at once: admission
    // waits while the producer applies a block, and a thread that still has signatures
    // to check should not wait there with them; and the locks are taken once, not once
    // per intent. Only well-formed requests are admitted here; the others get their
    // error from handle_one, as alone.
    std::vector<std::optional<Result<std::string>>> answered(request.size());
    std::vector<const json*> answered_from(request.size(), nullptr);
    std::vector<Intent> to_admit;
    std::vector<std::size_t> admit_index;
    std::vector<Envelope> envelopes;
    envelopes.reserve(request.size());
    for (std::size_t i = 0; i < request.size(); ++i) {
      const Envelope& env = envelopes.emplace_back(envelope(request[i], raw_ids));
      if (env.error || *env.method != "pactum_submitIntent") continue;
      const json* intent_json = Params(*env.params).get(0, "intent");
      if (intent_json == nullptr || !intent_json->is_object()) continue;
      answered_from[i] = intent_json;
      auto verified = decode_verified_intent(*intent_json);
      if (!verified.ok()) {
        answered[i] = verified.error();
        continue;
      }
      admit_index.push_back(i);
      to_admit.push_back(std::move(verified).value());
    }
    std::vector<std::string> ids;
    ids.reserve(to_admit.size());
    for (const Intent& in : to_admit) ids.push_back(in.id.hex());
    bool any_admitted = false;
    if (!to_admit.empty()) {
      const std::vector<Result<void>> admitted = core_.submit_all(to_admit, /*wake=*/false);
      for (std::size_t k = 0; k < admit_index.size(); ++k) {
        auto& slot = answered[admit_index[k]];
        if (admitted[k].ok()) slot = submitted_text(ids[k]);
        else slot = admitted[k].error();
        any_admitted = any_admitted || admitted[k].ok();
      }
    }
    // The responses are concatenated as text: a batch of 1,000 answers built as one
    // JSON tree cost more than writing them.
    std::string responses = "[";
    Scope scope{ws, after, rights, true};
    scope.submitted = any_admitted;
    for (std::size_t i = 0; i < request.size(); ++i) {
      scope.answered = answered[i] ? &*answered[i] : nullptr;
      scope.answered_from = answered_from[i];
      std::string r = handle_one(envelopes[i], scope);
      if (r.empty()) continue;
      if (responses.size() > 1) responses += ',';
      responses += r;
    }
    if (scope.submitted) core_.wake_producer();
    if (responses.size() == 1) return std::string();
    responses += ']';
    return responses;
  }
  Scope scope{ws, after, rights};
  return handle_one(envelope(request, raw_ids), scope);
}

std::string RpcDispatcher::handle_one(const Envelope& env, Scope& scope) {
  if (env.error) return error_response_text(*env.error, env.id_text);
  const bool notification = env.notification;
  const json* params = env.params;
  const std::string& name = *env.method;
  Result<json> result = json(nullptr);
  std::string result_text;  // the result, when it is already written
  try {
    if (auto text = call_as_text(name, *params, scope)) {
      if (text->ok()) result_text = std::move(*text).value();
      else result = text->error();
    } else {
      result = call(name, *params, scope);
    }
  } catch (const std::exception& e) {
    result = make_error(Errc::internal, std::string("internal error: ") + e.what());
  }
  if (notification) return std::string();
  if (!result.ok()) return error_response_text(result.error(), env.id_text);
  // The members in the order nlohmann writes an object (sorted), as error responses are.
  std::string out = R"({"id":)" + env.id_text + R"(,"jsonrpc":"2.0","result":)";
  out += result_text.empty() ? dump_safe(result.value()) : result_text;
  out += '}';
  return out;
}

std::optional<Result<std::string>> RpcDispatcher::call_as_text(const std::string& method, const json& params_json,
                                                               Scope& scope) {
  const Params params(params_json);
  if (method == "pactum_submitIntent") {
    PACTUM_ASSIGN(intent_json, params.required(0, "intent"));
    if (!intent_json->is_object())
      return make_error(Errc::invalid_params, "intent: must be a JSON object", "intent");
    // Signature verification happens in the handler thread, with no lock held. A
    // batch's intents were verified and admitted before its requests are answered.
    if (scope.answered != nullptr && scope.answered_from == intent_json) return std::move(*scope.answered);
    PACTUM_ASSIGN(intent, decode_verified_intent(*intent_json));
    const std::string id = intent.id.hex();
    PACTUM_TRY(core_.submit(std::move(intent), !scope.in_batch));
    scope.submitted = true;
    return submitted_text(id);
  }
  if (method == "pactum_getBlock") {
    PACTUM_ASSIGN(block, params.required(0, "block"));
    bool full = false;
    if (const json* f = params.get(1, "full"); f && !f->is_null()) {
      if (!f->is_boolean()) return make_error(Errc::invalid_params, "full: must be a boolean", "full");
      full = f->get<bool>();
    }
    if (block->is_number_unsigned()) return core_.get_block(block->get<std::uint64_t>(), std::nullopt, full);
    if (block->is_string()) {
      const auto& s = block->get_ref<const std::string&>();
      if (s == "latest") return core_.get_block(core_.height(), std::nullopt, full);
      PACTUM_ASSIGN(hash, Hash32::from_hex(s, "block"));
      return core_.get_block(std::nullopt, hash, full);
    }
    return make_error(Errc::invalid_params, "block: must be a height (integer) or a block hash (64 hex)", "block");
  }
  return std::nullopt;
}

Result<json> RpcDispatcher::call(const std::string& method, const json& params_json, Scope& scope) {
  const Params params(params_json);
  const auto& ws = scope.ws;
  AfterResponse* after = scope.after;
  if (method == "pactum_chainId") return json(core_.chain_id());
  if (method == "pactum_nodeInfo") return core_.node_info();
  if (method == "pactum_blockNumber") return json(core_.height());
  if (method == "pactum_getBlocks") {
    std::optional<std::uint64_t> to;
    if (const json* t = params.get(0, "to"); t && !t->is_null() && *t != "latest") {
      if (!t->is_number_unsigned() || t->get<std::uint64_t>() > kMaxSafeInteger)
        return make_error(Errc::invalid_params, "to: must be a height (integer), \"latest\" or null", "to");
      to = t->get<std::uint64_t>();
    }
    PACTUM_ASSIGN(count, params.integer_in(1, "count", 1, 100, 20));
    return core_.get_blocks(to, count);
  }
  if (method == "pactum_quote") {
    PACTUM_ASSIGN(swap, params.required(0, "intent"));
    return core_.quote_swap(*swap);
  }
  if (method == "pactum_simulateBundle") {
    PACTUM_ASSIGN(bundle, params.required(0, "bundle"));
    std::string at = "latest";
    if (const json* st = params.get(1, "state"); st && !st->is_null()) {
      if (!st->is_string()) return make_error(Errc::invalid_params, "state: must be \"latest\" or \"pending\"", "state");
      at = st->get<std::string>();
    }
    return core_.simulate_bundle(*bundle, at);
  }
  if (method == "pactum_getIntent") {
    PACTUM_ASSIGN(id, params.hash(0, "id"));
    return core_.get_intent(id);
  }
  if (method == "pactum_getBalance") {
    PACTUM_ASSIGN(account, params.account(0, "account"));
    PACTUM_ASSIGN(asset, params.asset(1, "asset"));
    PACTUM_ASSIGN(balance, core_.get_balance(account, asset));
    return json(balance);
  }
  if (method == "pactum_getAvailableBalance") {
    PACTUM_ASSIGN(account, params.account(0, "account"));
    PACTUM_ASSIGN(asset, params.asset(1, "asset"));
    return core_.get_available_balance(account, asset);
  }
  if (method == "pactum_getBalanceProof") {
    PACTUM_ASSIGN(account, params.account(0, "account"));
    PACTUM_ASSIGN(asset, params.asset(1, "asset"));
    return core_.get_balance_proof(account, asset);
  }
  if (method == "pactum_getPool") {
    PACTUM_ASSIGN(x, params.asset(0, "asset_x"));
    PACTUM_ASSIGN(y, params.asset(1, "asset_y"));
    return core_.get_pool(x, y);
  }
  if (method == "pactum_getPools") return core_.get_pools();
  if (method == "pactum_getAssets") return core_.get_assets();
  if (method == "pactum_getLendingPools") return core_.get_lending_pools();
  if (method == "pactum_getRoom") {
    PACTUM_ASSIGN(room, params.hash(0, "room"));
    return core_.get_room(room);
  }
  if (method == "pactum_getRooms") {
    std::optional<bool> closed;
    if (const json* st = params.get(0, "status"); st && !st->is_null()) {
      if (*st == "open") closed = false;
      else if (*st == "closed") closed = true;
      else return make_error(Errc::invalid_params, "status: must be \"open\", \"closed\" or null", "status");
    }
    PACTUM_ASSIGN(limit, params.integer_in(1, "limit", 1, 1000, 100));
    return core_.get_rooms(closed, limit);
  }
  if (method == "pactum_getContract") {
    PACTUM_ASSIGN(room, params.hash(0, "room"));
    return core_.get_contract(room);
  }
  if (method == "pactum_nonceUsed") {
    PACTUM_ASSIGN(account, params.account(0, "account"));
    PACTUM_ASSIGN(nonce, params.integer(1, "nonce"));
    return json(core_.nonce_used(account, nonce));
  }
  if (method == "pactum_pendingIntents") {
    json out = json::array();
    for (const auto& h : core_.pending_ids(limits_.max_pending_listed)) out.push_back(h.hex());
    return out;
  }
  if (method == "pactum_mine") {
    if (!scope.rights.admin)
      return make_error(Errc::forbidden,
                        "pactum_mine is an admin method: this node listens beyond loopback, so it needs the header "
                        "Authorization: Bearer TOKEN, where the node was started with --admin-token TOKEN");
    PACTUM_ASSIGN(count, params.integer_in(0, "count", 1, 100, 1));
    json out = json::array();
    for (std::uint64_t i = 0; i < count; ++i) {
      PACTUM_ASSIGN(mined, core_.produce_block());
      out.push_back({{"height", mined.height}, {"hash", mined.hash.hex()}, {"intents", mined.intents}});
    }
    return out;
  }
  if (method == "pactum_subscribe" || method == "pactum_unsubscribe") {
    if (!ws)
      return make_error(Errc::method_not_found, method + " is only available over WebSocket (ws:// on the same port)");
    if (method == "pactum_unsubscribe") {
      PACTUM_ASSIGN(sub, params.string(0, "subscription"));
      return json(core_.subscriptions().unsubscribe(sub, ws.get()));
    }
    PACTUM_ASSIGN(kind, params.string(0, "kind"));
    if (core_.subscriptions().count_of(ws.get()) >= limits_.max_subscriptions_per_connection)
      return make_error(Errc::limit_exceeded,
                        "this connection holds " + std::to_string(limits_.max_subscriptions_per_connection) +
                            " subscriptions, the most one connection may hold; unsubscribe from one first");
    if (kind == "newBlocks") return json(core_.subscriptions().subscribe_blocks(ws));
    if (kind == "intent") {
      PACTUM_ASSIGN(id, params.hash(1, "id"));
      std::string sub = core_.subscriptions().subscribe_intent(ws, id);
      auto first = [this, sub, id] {
        auto status = core_.get_intent(id);
        if (status.ok()) core_.subscriptions().send_one(sub, status.value());
      };
      if (after) after->push_back(first); else first();
      return json(sub);
    }
    return make_error(Errc::invalid_params, "kind: must be \"newBlocks\" or \"intent\"", "kind");
  }
  return make_error(Errc::method_not_found, "unknown method " + method);
}

}  // namespace pactum
