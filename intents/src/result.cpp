#include "pactum/intents/result.hpp"

namespace pactum {

namespace {

// The length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when the byte there does not start one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF)
    n = 2;
  else if (b == 0xE0)
    n = 3, lo = 0xA0;
  else if (b >= 0xE1 && b <= 0xEC)
    n = 3;
  else if (b == 0xED)
    n = 3, hi = 0x9F;
  else if (b >= 0xEE && b <= 0xEF)
    n = 3;
  else if (b == 0xF0)
    n = 4, lo = 0x90;
  else if (b >= 0xF1 && b <= 0xF3)
    n = 4;
  else if (b == 0xF4)
    n = 4, hi = 0x8F;
  else
    return 0;
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

}  // namespace

std::string valid_utf8(std::string text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) break;
    i += n;
  }
  if (i == text.size()) return text;  // the common case: no copy
  std::string out = text.substr(0, i);
  while (i < text.size()) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(text, i, n);
      i += n;
    }
  }
  return out;
}

namespace {
// The followers' codes (node/follower.hpp), apart to keep errc_name's switch short.
std::string_view follower_errc_name(Errc e) {
  if (e == Errc::block_invalid) return "block_invalid";
  if (e == Errc::not_producer) return "not_producer";
  return "leader_unreachable";
}
}  // namespace

std::string_view errc_name(Errc e) {
  switch (e) {
    case Errc::parse_error:
      return "parse_error";
    case Errc::invalid_request:
      return "invalid_request";
    case Errc::method_not_found:
      return "method_not_found";
    case Errc::invalid_params:
      return "invalid_params";
    case Errc::internal:
      return "internal";
    case Errc::bad_signature:
      return "bad_signature";
    case Errc::duplicate:
      return "duplicate";
    case Errc::nonce_used:
      return "nonce_used";
    case Errc::expired:
      return "expired";
    case Errc::unknown_asset:
      return "unknown_asset";
    case Errc::insufficient_balance:
      return "insufficient_balance";
    case Errc::mempool_full:
      return "mempool_full";
    case Errc::request_too_large:
      return "request_too_large";
    case Errc::not_found:
      return "not_found";
    case Errc::halted:
      return "halted";
    case Errc::wrong_chain:
      return "wrong_chain";
    case Errc::unknown_pool:
      return "unknown_pool";
    case Errc::not_cancellable:
      return "not_cancellable";
    case Errc::missing_signature:
      return "missing_signature";
    case Errc::unknown_room:
      return "unknown_room";
    case Errc::room_closed:
      return "room_closed";
    case Errc::contract_incomplete:
      return "contract_incomplete";
    case Errc::room_open:
      return "room_open";
    case Errc::duplicate_member:
      return "duplicate_member";
    case Errc::storage:
      return "storage";
    case Errc::limit_exceeded:
      return "limit_exceeded";
    case Errc::forbidden:
      return "forbidden";
    case Errc::clearing_invalid:
      return "clearing_invalid";
    case Errc::not_burnable:
      return "not_burnable";
    case Errc::locked:
      return "locked";
    case Errc::genesis_invalid:
      return "genesis_invalid";
    case Errc::wrong_core:
      return "wrong_core";
    case Errc::key_replayed:
      return "key_replayed";
    case Errc::key_invalid:
      return "key_invalid";
    case Errc::burn_invalid:
      return "burn_invalid";
    case Errc::block_invalid:
    case Errc::not_producer:
    case Errc::leader_unreachable:
      return follower_errc_name(e);
  }
  return "unknown";
}

}  // namespace pactum
