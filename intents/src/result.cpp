#include "pactum/intents/result.hpp"

namespace pactum {

std::string_view errc_name(Errc e) {
  switch (e) {
    case Errc::parse_error: return "parse_error";
    case Errc::invalid_request: return "invalid_request";
    case Errc::method_not_found: return "method_not_found";
    case Errc::invalid_params: return "invalid_params";
    case Errc::internal: return "internal";
    case Errc::bad_signature: return "bad_signature";
    case Errc::duplicate: return "duplicate";
    case Errc::nonce_used: return "nonce_used";
    case Errc::expired: return "expired";
    case Errc::unknown_asset: return "unknown_asset";
    case Errc::insufficient_balance: return "insufficient_balance";
    case Errc::mempool_full: return "mempool_full";
    case Errc::request_too_large: return "request_too_large";
    case Errc::not_found: return "not_found";
    case Errc::halted: return "halted";
    case Errc::wrong_chain: return "wrong_chain";
    case Errc::unknown_pool: return "unknown_pool";
    case Errc::not_cancellable: return "not_cancellable";
    case Errc::missing_signature: return "missing_signature";
    case Errc::unknown_room: return "unknown_room";
    case Errc::room_closed: return "room_closed";
    case Errc::contract_incomplete: return "contract_incomplete";
    case Errc::room_open: return "room_open";
    case Errc::storage: return "storage";
    case Errc::genesis_invalid: return "genesis_invalid";
  }
  return "unknown";
}

}  // namespace pactum
