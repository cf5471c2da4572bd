// JSON-RPC framing over the HTTP client.
#include <map>

#include "pactum/client/client.hpp"

namespace pactum::client {

using nlohmann::json;

namespace {
std::string error_text(int code, const std::string& message, const json& data) {
  std::string text = message;
  if (data.is_object() && data.contains("reason") && data["reason"].is_string()) {
    text = data["reason"].get<std::string>() + ": " + text;
  }
  return text + " (code " + std::to_string(code) + ")";
}
std::string string_member(const json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return {};
}
}  // namespace

RpcError::RpcError(int c, std::string message, json d)
    : std::runtime_error(error_text(c, message, d)),
      code(c),
      reason(string_member(d, "reason")),
      field(string_member(d, "field")),
      data(std::move(d)) {}

json make_request(std::string_view method, json params, std::uint64_t id) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json result_or_throw(const json& response) {
  if (!response.is_object()) throw TransportError("JSON-RPC answer is not an object: " + response.dump());
  if (response.contains("error")) {
    const json& e = response["error"];
    int code = e.value("code", 0);
    std::string message = e.value("message", std::string("unknown error"));
    throw RpcError(code, message, e.contains("data") ? e["data"] : json());
  }
  if (!response.contains("result")) throw TransportError("JSON-RPC answer without result: " + response.dump());
  return response["result"];
}

RpcClient::RpcClient(std::string_view url, std::chrono::milliseconds timeout) : http_(url, timeout) {}

json RpcClient::call_raw(const json& request) {
  HttpResponse res = http_.post(request.dump());
  if (res.body.empty()) return nullptr;
  json parsed = json::parse(res.body, nullptr, false);
  if (parsed.is_discarded()) {
    throw TransportError("HTTP " + std::to_string(res.status) + " answer is not JSON: " + res.body.substr(0, 200));
  }
  return parsed;
}

json RpcClient::call(std::string_view method, json params) {
  return result_or_throw(call_raw(make_request(method, std::move(params), next_id_++)));
}

std::vector<json> RpcClient::batch(const std::vector<BatchItem>& items) {
  json request = json::array();
  std::uint64_t first = next_id_;
  for (const auto& item : items) request.push_back(make_request(item.method, item.params, next_id_++));
  json answer = call_raw(request);
  if (!answer.is_array()) {
    // A batch-level failure (e.g. 413) comes back as one error object.
    if (answer.is_object() && answer.contains("error")) result_or_throw(answer);
    throw TransportError("batch answer is not an array: " + answer.dump().substr(0, 200));
  }
  std::map<std::uint64_t, json> by_id;
  for (auto& r : answer) {
    if (r.is_object() && r.contains("id") && r["id"].is_number_unsigned()) {
      const auto id = r["id"].get<std::uint64_t>();  // before the move below
      by_id[id] = std::move(r);
    }
  }
  std::vector<json> out;
  out.reserve(items.size());
  for (std::uint64_t id = first; id < first + items.size(); ++id) {
    auto it = by_id.find(id);
    if (it == by_id.end()) throw TransportError("batch answer lacks id " + std::to_string(id));
    out.push_back(std::move(it->second));
  }
  return out;
}

}  // namespace pactum::client
