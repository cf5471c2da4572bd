#include "methods.hpp"

namespace pactum::rpc {

using nlohmann::json;

std::string submitted_text(const std::string& id_hex) { return R"({"id":")" + id_hex + R"(","status":"pending"})"; }

Result<std::string> submit_intent(MethodCall& c) {
  PACTUM_ASSIGN(intent_json, c.params.required(0, "intent"));
  if (!intent_json->is_object()) return make_error(Errc::invalid_params, "intent: must be a JSON object", "intent");
  // Signature verification happens in the handler thread, with no lock held. A batch's
  // intents were verified and admitted before its requests are answered.
  if (c.scope.answered != nullptr && c.scope.answered_from == intent_json) return std::move(*c.scope.answered);
  // A follower relays the submission to its leader and answers what the leader answered.
  if (LeaderLink* leader = c.core.leader()) return leader->forward("pactum_submitIntent", json::array({*intent_json}));
  PACTUM_ASSIGN(intent, decode_verified_intent(*intent_json));
  const std::string id = intent.id.hex();
  PACTUM_TRY(c.core.submit(std::move(intent), !c.scope.in_batch));
  c.scope.submitted = true;
  return submitted_text(id);
}

Result<std::string> get_intent(MethodCall& c) {
  PACTUM_ASSIGN(id, c.params.hash(0, "id"));
  Result<json> own = c.core.get_intent(id);
  // A follower knows an intent once a block holding it is applied; before that (pending
  // on the leader, or relayed a moment ago) the leader is asked.
  LeaderLink* leader = c.core.leader();
  if (leader && !own.ok() && own.error().code == Errc::not_found)
    return leader->forward("pactum_getIntent", json::array({id.hex()}));
  if (!own.ok()) return own.error();
  return dump_safe(own.value());
}

Result<json> pending_intents(MethodCall& c) {
  json out = json::array();
  for (const auto& h : c.core.pending_ids(c.limits.max_pending_listed)) out.push_back(h.hex());
  return out;
}

Result<json> quote(MethodCall& c) {
  PACTUM_ASSIGN(swap, c.params.required(0, "intent"));
  return c.core.quote_swap(*swap);
}

Result<json> simulate_bundle(MethodCall& c) {
  PACTUM_ASSIGN(bundle, c.params.required(0, "bundle"));
  std::string at = "latest";
  if (const json* st = c.params.get(1, "state"); st && !st->is_null()) {
    if (!st->is_string()) return make_error(Errc::invalid_params, "state: must be \"latest\" or \"pending\"", "state");
    at = st->get<std::string>();
  }
  return c.core.simulate_bundle(*bundle, at);
}

}  // namespace pactum::rpc
