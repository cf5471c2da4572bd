#include "access_policy.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/ip/address.hpp>

namespace pactum {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::optional<boost::asio::ip::address> ip_of(std::string_view host) {
  std::string text(host);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  else if (text.find(':') != std::string::npos)
    return std::nullopt;  // an IPv6 literal needs brackets
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(text, ec);
  if (ec) return std::nullopt;
  return address;
}

Error forbidden(std::string message, std::string field) {
  return make_error(Errc::forbidden, std::move(message), std::move(field));
}

}  // namespace

std::string host_without_port(std::string_view authority) {
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    host = close == std::string_view::npos ? host : host.substr(0, close + 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(':') == colon) {
    host = host.substr(0, colon);
  }
  std::string out = lower(host);
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool is_loopback_name(std::string_view host) {
  if (host == "localhost" || ends_with(host, ".localhost")) return true;
  auto ip = ip_of(host);
  return ip && ip->is_loopback();
}

bool is_ip_literal(std::string_view host) { return ip_of(host).has_value(); }

bool is_admin_method(std::string_view method) { return method == "pactum_mine"; }

std::optional<Error> AccessPolicy::check_host(std::string_view host_header) const {
  if (host_header.empty()) return std::nullopt;  // not a browser: browsers always send Host
  const std::string host = host_without_port(host_header);
  if (is_loopback_name(host) || is_ip_literal(host)) return std::nullopt;
  for (const auto& allowed : allowed_hosts)
    if (allowed == "*" || lower(allowed) == host) return std::nullopt;
  return forbidden("Host " + std::string(host_header) +
                       " is not allowed: use a loopback name or an IP address, or start the node with "
                       "--allow-host " +
                       host + " (a page that rebinds its DNS name to this node sends its own name)",
                   "Host");
}

std::optional<Error> AccessPolicy::check_origin(std::string_view origin_header, std::string_view host_header) const {
  if (origin_header.empty()) return std::nullopt;  // not sent by a browser page
  for (const auto& allowed : allowed_origins)
    if (allowed == "*" || lower(allowed) == lower(origin_header)) return std::nullopt;
  const auto scheme_end = origin_header.find("://");
  if (scheme_end != std::string_view::npos) {
    const std::string_view authority = origin_header.substr(scheme_end + 3);
    if (is_loopback_name(host_without_port(authority))) return std::nullopt;
    if (!host_header.empty() && lower(authority) == lower(host_header)) return std::nullopt;  // the explorer
  }
  return forbidden("Origin " + std::string(origin_header) +
                       " is not allowed: pages on loopback origins and the node's own page may call it; "
                       "start the node with --allow-origin " +
                       std::string(origin_header) + " to allow this one",
                   "Origin");
}

bool AccessPolicy::admin(std::string_view authorization_header) const {
  if (loopback_bind) return true;
  if (!admin_token || admin_token->empty()) return false;
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization_header.substr(0, kBearer.size()) != kBearer) return false;
  const std::string_view given = authorization_header.substr(kBearer.size());
  // Compared in constant time over the token's length.
  if (given.size() != admin_token->size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ (*admin_token)[i]);
  return diff == 0;
}

}  // namespace pactum
