// A small synchronous JSON-RPC client for the pactum node: HTTP/1.1 (keep-alive) and
// WebSocket, on Boost.Beast. Used by the CLI, the integration tests and the load
// generator. Each client owns its io_context and one connection: use one per thread.
//
// Failures of the transport (connection refused, timeout, malformed response) throw
// TransportError; a JSON-RPC error answer throws RpcError from call() (call_raw() and
// the HTTP methods return it as data instead). These are the edges of the program, so
// exceptions are the right tool here.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pactum::client {

inline constexpr std::string_view kDefaultRpcUrl = "http://127.0.0.1:8545";

// The URL to use: the explicit one, else env PACTUM_RPC, else kDefaultRpcUrl.
std::string resolve_rpc_url(const std::optional<std::string>& explicit_url);

struct Endpoint {
  std::string host;
  std::string port;
  std::string target = "/";
};
// Accepts http://host:port[/path], ws://host:port[/path] or host:port. Throws
// std::invalid_argument on anything else.
Endpoint parse_url(std::string_view url);

struct TransportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A JSON-RPC error object as an exception: code, message, data.reason, data.field.
struct RpcError : std::runtime_error {
  RpcError(int code, std::string message, nlohmann::json data);
  int code;
  std::string reason;  // data.reason ("" if absent)
  std::string field;   // data.field ("" if absent)
  nlohmann::json data;
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(Endpoint endpoint, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  explicit HttpClient(std::string_view url, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POST body to the endpoint's target. Reuses the connection; reconnects once if the
  // server closed it in between. The response is read while the body is still being
  // written, so an early answer (413) is seen even if the server stops reading.
  HttpResponse post(std::string_view body, std::string_view content_type = "application/json");
  HttpResponse get(std::string_view target);
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Impl;
  HttpResponse request(bool is_post, std::string_view target, std::string_view body, std::string_view content_type);
  Endpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Impl> impl_;
};

class RpcClient {
 public:
  explicit RpcClient(std::string_view url, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // The result of one call; throws RpcError on an error answer.
  nlohmann::json call(std::string_view method, nlohmann::json params = nlohmann::json::array());
  // Sends any JSON (request, batch, garbage) and returns the parsed response body
  // (null for an empty body). Throws TransportError if the body is not JSON.
  nlohmann::json call_raw(const nlohmann::json& request);

  struct BatchItem {
    std::string method;
    nlohmann::json params;
  };
  // One JSON-RPC batch; returns each response object (with "result" or "error") in the
  // order of the requests, whatever order the server answered in.
  std::vector<nlohmann::json> batch(const std::vector<BatchItem>& items);

  HttpClient& http() { return http_; }

 private:
  HttpClient http_;
  std::uint64_t next_id_ = 1;
};

// Builds a request object.
nlohmann::json make_request(std::string_view method, nlohmann::json params, std::uint64_t id);
// Throws RpcError if the response object carries an error, else returns its result.
nlohmann::json result_or_throw(const nlohmann::json& response);

class WsClient {
 public:
  explicit WsClient(std::string_view url, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Sends a request and waits for the answer with its id; notifications that arrive in
  // the meantime are queued for next_notification(). Throws RpcError on an error answer.
  nlohmann::json call(std::string_view method, nlohmann::json params = nlohmann::json::array());
  // The next queued or incoming notification, or nullopt after `wait`.
  std::optional<nlohmann::json> next_notification(std::chrono::milliseconds wait);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::chrono::milliseconds timeout_;
  std::uint64_t next_id_ = 1;
};

}  // namespace pactum::client
