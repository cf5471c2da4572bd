// Who may talk to the node over HTTP and WebSocket (docs/OPERATIONS.md, "Access").
//
// A web page the user visits can send requests to 127.0.0.1 (a cross-site POST with
// Content-Type text/plain needs no preflight) or rebind its own DNS name to it. So, as
// local dev chains and wallets do:
//  - Host: a request is served only when its Host names the node by a loopback name
//    (localhost, *.localhost), by an IP literal, or by a name given with --allow-host.
//    A rebinding page's Host is its own DNS name, which none of these match.
//  - Origin (sent by browsers only): allowed when absent, when its host is a loopback
//    name or address, when it is the node's own origin (the explorer: Origin's authority
//    equals Host), or when it is listed with --allow-origin ("*" allows every origin).
//  - Admin methods (pactum_mine): always on a loopback bind; on a bind beyond loopback
//    only with `Authorization: Bearer TOKEN` and --admin-token TOKEN.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/intents/result.hpp"

namespace pactum {

struct AccessPolicy {
  std::vector<std::string> allowed_origins;  // exact origins ("https://app.example:3000") or "*"
  std::vector<std::string> allowed_hosts;    // host names (no port) or "*"
  std::optional<std::string> admin_token;
  bool loopback_bind = true;  // the node listens on a loopback address only

  // Null when allowed, otherwise the `forbidden` error to answer (HTTP 403).
  [[nodiscard]] std::optional<Error> check_host(std::string_view host_header) const;
  [[nodiscard]] std::optional<Error> check_origin(std::string_view origin_header, std::string_view host_header) const;
  // Whether a request with this Authorization header may call admin methods.
  [[nodiscard]] bool admin(std::string_view authorization_header) const;
};

// The host of "host", "host:port", "[v6]" or "[v6]:port", lower-cased, without a trailing dot.
std::string host_without_port(std::string_view authority);
bool is_loopback_name(std::string_view host);  // localhost, *.localhost, 127.0.0.0/8, [::1]
bool is_ip_literal(std::string_view host);     // 1.2.3.4 or [v6]
// Whether the method changes the node's schedule rather than asking or submitting.
bool is_admin_method(std::string_view method);

}  // namespace pactum
