// The explorer page (node/explorer/, embedded at build time: explorer_assets.hpp) and its
// Content-Security-Policy, derived from the SHA-256 of the inline script and style.
#include "explorer_page.hpp"

#include <string_view>

#include "explorer_assets.hpp"
#include "pactum/intents/crypto.hpp"

namespace pactum {

namespace {

std::string base64(const Hash32& h) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  const auto& b = h.bytes;
  std::size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    const unsigned v = b[i] << 16 | b[i + 1] << 8 | b[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[v >> s & 63];
  }
  if (i < b.size()) {  // 32 bytes: two left over, one '=' of padding
    const unsigned v = b[i] << 16 | (i + 1 < b.size() ? b[i + 1] << 8 : 0);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += i + 1 < b.size() ? kAlphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::string csp_hash(std::string_view text) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  return "'sha256-" + base64(sha256(Bytes(p, text.size()))) + "'";
}

ExplorerPage assemble() {
  ExplorerPage page;
  page.html = explorer_assets::page();
  // connect-src 'self' covers ws:// to the same host and port (CSP level 3).
  page.csp = "default-src 'none'; script-src " + csp_hash(explorer_assets::script()) + "; style-src " +
             csp_hash(explorer_assets::style()) +
             "; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  return page;
}

}  // namespace

const ExplorerPage& explorer_page() {
  static const ExplorerPage page = assemble();
  return page;
}

}  // namespace pactum
