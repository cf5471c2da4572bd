// Result<T>: an expected failure as a value. Every error carries a stable code an RPC
// client can switch on, a message a person can act on, and optionally the field at fault.
#pragma once
#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pactum {

// Stable error codes. The integer is the JSON-RPC error code; the name is data.reason.
// docs/PROTOCOL.md lists every one with its meaning; add new codes there too.
enum class Errc : int {
  parse_error = -32700,      // body is not JSON
  invalid_request = -32600,  // not a JSON-RPC 2.0 request object
  method_not_found = -32601,
  invalid_params = -32602,  // a parameter or intent field has the wrong type or form
  internal = -32603,
  bad_signature = -32001,  // signature does not verify for signer and digest
  duplicate = -32002,      // an intent with this id is already known
  nonce_used = -32003,     // signer already used (or has pending) this nonce
  expired = -32004,        // valid_until is below the next block height
  unknown_asset = -32005,
  insufficient_balance = -32006,  // balance minus pending reservations does not cover it
  mempool_full = -32007,
  request_too_large = -32008,
  not_found = -32009,
  halted = -32010,       // block production stopped after a storage failure
  wrong_chain = -32011,  // intent's chain differs from the node's chain id
  unknown_pool = -32012,
  not_cancellable = -32013,      // cancel names an intent that is not the signer's or not pending
  missing_signature = -32014,    // a bundle moves funds of an account that has not signed it
  unknown_room = -32015,         // names a room that does not exist
  room_closed = -32016,          // the room takes no more positions (or is closed)
  contract_incomplete = -32017,  // the room's contract lacks a party's outcome signature (or the room is open)
  room_open = -32018,            // the room has no outcome yet (a room_sign before the close)
  duplicate_member = -32019,     // a JSON object in the request names a member twice
  storage = -32020,              // RocksDB or file system failure
  limit_exceeded = -32021,       // a documented per-connection or per-account limit is reached
  forbidden = -32022,            // Host, Origin or admin rights refused (docs/OPERATIONS.md, "Access")
  clearing_invalid = -32023,     // a proposed or recorded clearing breaks a rule (Error::field names the rule)
  not_burnable = -32024,         // a burn names an asset genesis does not mark burnable
  locked = -32025,               // an unlock or burn of a time-locked asset BASE@H before height H
  genesis_invalid = -32030,
  // Metered compute (compute/, docs/MECHANISMS.md section 13): the core's refusals.
  wrong_core = -32040,    // a compute permit names another core
  key_replayed = -32041,  // a compute key not newer than the last one accepted for its permit
  key_invalid = -32042,   // a compute key not on the permit's hash chain (or for another permit)
  burn_invalid = -32043,  // a burn's evidence does not prove a settled burn paying for the permit asked
  // Followers (node/follower.hpp, docs/OPERATIONS.md "One producer, N followers").
  block_invalid = -32050,       // a block from the leader breaks a rule (Error::field names it); never written
  not_producer = -32051,        // a producing method (pactum_mine) on a follower
  leader_unreachable = -32052,  // a follower could not relay a submission to its leader
};

std::string_view errc_name(Errc e);  // "invalid_params", "bad_signature", ...

struct Error {
  Errc code = Errc::internal;
  std::string message;  // human readable, names the value or field at fault
  std::string field;    // JSON path of the offending field ("" if none), e.g. "sell_amount"
};

// `text` itself when it is valid UTF-8; otherwise a copy with every invalid byte
// replaced by U+FFFD. An error's text may quote user input, and it is written into JSON
// answers and logs: it must never be invalid UTF-8 (a JSON writer refuses such text).
std::string valid_utf8(std::string text);

inline Error make_error(Errc code, std::string message, std::string field = {}) {
  return Error{code, valid_utf8(std::move(message)), valid_utf8(std::move(field))};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return err_;
  }

 private:
  Error err_;
  bool ok_ = true;
};

// Return early with the error of a failed Result.
#define PACTUM_TRY(expr)                                   \
  do {                                                     \
    auto&& pactum_try_r_ = (expr);                         \
    if (!pactum_try_r_.ok()) return pactum_try_r_.error(); \
  } while (0)

// Declares `var` as the value of a Result, or returns its error:
//   PACTUM_ASSIGN(intent, decode_intent(j));   // then use `intent`
#define PACTUM_ASSIGN(var, expr)             \
  auto var##_r = (expr);                     \
  if (!var##_r.ok()) return var##_r.error(); \
  auto var = std::move(var##_r).value()

}  // namespace pactum
