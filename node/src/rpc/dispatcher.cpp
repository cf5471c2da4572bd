// JSON-RPC 2.0 dispatcher: request shape, batches, and the call through the method table
// (methods.hpp). A body that is not JSON becomes -32700 (request_json.hpp); exceptions
// from a method stop here and become -32603 internal errors.
#include "pactum/node/dispatcher.hpp"

#include <algorithm>

#include "methods.hpp"
#include "pactum/node/request_json.hpp"

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

bool valid_id(const json& id) { return id.is_string() || id.is_number() || id.is_null(); }

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
    if (!valid_id(*id_it))
      return fail(make_error(Errc::invalid_request, "id must be a string, a number or null", "id"));
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
      return error_response_text(
          make_error(Errc::invalid_request, "batch of " + std::to_string(request.size()) +
                                                " requests exceeds the limit of " + std::to_string(limits_.max_batch)),
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
      // A follower relays each submission alone (handle_one): it admits none itself.
      if (env.error || *env.method != "pactum_submitIntent" || core_.leader() != nullptr) continue;
      const json* intent_json = rpc::Params(*env.params).get(0, "intent");
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
        if (admitted[k].ok())
          slot = rpc::submitted_text(ids[k]);
        else
          slot = admitted[k].error();
        any_admitted = any_admitted || admitted[k].ok();
      }
    }
    // The responses are concatenated as text: a batch of 1,000 answers built as one
    // JSON tree cost more than writing them.
    std::string responses = "[";
    RequestScope scope{ws, after, rights, true};
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
  RequestScope scope{ws, after, rights};
  return handle_one(envelope(request, raw_ids), scope);
}

std::string RpcDispatcher::handle_one(const Envelope& env, RequestScope& scope) {
  if (env.error) return error_response_text(*env.error, env.id_text);
  Result<json> result = json(nullptr);
  std::string result_text;  // the result, when the method wrote it as text
  const rpc::Method* method = rpc::find_method(*env.method);
  if (method == nullptr) {
    result = make_error(Errc::method_not_found, "unknown method " + *env.method);
  } else if (method->admin && !scope.rights.admin) {
    result = make_error(Errc::forbidden,
                        *env.method +
                            " is an admin method: this node listens beyond loopback, so it needs the header "
                            "Authorization: Bearer TOKEN, where the node was started with --admin-token TOKEN");
  } else {
    const rpc::Params params(*env.params);
    rpc::MethodCall call{core_, limits_, params, scope};
    try {
      if (method->text) {
        auto text = method->text(call);
        if (text.ok())
          result_text = std::move(text).value();
        else
          result = text.error();
      } else {
        result = method->tree(call);
      }
    } catch (const std::exception& e) {
      result = make_error(Errc::internal, std::string("internal error: ") + e.what());
    }
  }
  if (env.notification) return std::string();
  if (!result.ok()) return error_response_text(result.error(), env.id_text);
  // The members in the order nlohmann writes an object (sorted), as error responses are.
  std::string out = R"({"id":)" + env.id_text + R"(,"jsonrpc":"2.0","result":)";
  out += result_text.empty() ? dump_safe(result.value()) : result_text;
  out += '}';
  return out;
}

}  // namespace pactum
