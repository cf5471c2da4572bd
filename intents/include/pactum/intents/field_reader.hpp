// The one strict reader for the JSON objects pactum decodes: intents, RPC parameters,
// blocks, receipts, proofs and the genesis file. Every error names the JSON path of the
// field at fault ("pools[1].fee_bps", "action.amount") in Error::field and at the start of
// the message, and carries the code the caller chose: invalid_params for wire data,
// genesis_invalid for a genesis file, storage for what the store reads back.
//
// Member readers take (object, path of the object, member name); value readers take (value,
// its full path). Paths join with "." and "[i]" (join_path, index_path); "" is the top.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/result.hpp"

namespace pactum {

// "prefix.name", or just "name" at the top level.
std::string join_path(std::string_view prefix, std::string_view name);
// "prefix[i]".
std::string index_path(std::string_view prefix, std::size_t i);

class FieldReader {
 public:
  constexpr explicit FieldReader(Errc code = Errc::invalid_params) : code_(code) {}

  // "field: why" under the reader's code ("document: why" for the top level).
  Error fail(const std::string& field, std::string_view why) const;
  // Re-codes an error from another module under this reader's code and `field`.
  Error recode(const Error& e, const std::string& field) const;

  // `j` must be an object holding only the listed member names ("unknown field").
  Result<void> object_with(const nlohmann::json& j, std::string_view path,
                           std::initializer_list<std::string_view> allowed) const;
  // The member, or "missing required field".
  Result<const nlohmann::json*> member(const nlohmann::json& j, std::string_view path, std::string_view name) const;

  Result<std::string> string_value(const nlohmann::json& v, const std::string& field) const;
  Result<bool> boolean_value(const nlohmann::json& v, const std::string& field) const;
  // A whole JSON number in [0, max]: 1.0 and 1e3 are refused ("must be a whole number").
  Result<std::uint64_t> uint_value(const nlohmann::json& v, const std::string& field, std::uint64_t max) const;
  Result<Hash32> hash_value(const nlohmann::json& v, const std::string& field) const;
  Result<PublicKey> account_value(const nlohmann::json& v, const std::string& field) const;
  // A decimal string amount (amount.hpp), zero allowed.
  Result<Amount> amount_value(const nlohmann::json& v, const std::string& field) const;
  // 1 to 16 characters of A-Z and 0-9.
  Result<std::string> asset_value(const nlohmann::json& v, const std::string& field) const;

  Result<std::string> string(const nlohmann::json& j, std::string_view path, std::string_view name) const;
  Result<bool> boolean(const nlohmann::json& j, std::string_view path, std::string_view name) const;
  Result<std::uint64_t> uint(const nlohmann::json& j, std::string_view path, std::string_view name,
                             std::uint64_t max) const;
  Result<Hash32> hash(const nlohmann::json& j, std::string_view path, std::string_view name) const;
  Result<PublicKey> account(const nlohmann::json& j, std::string_view path, std::string_view name) const;
  Result<Amount> amount(const nlohmann::json& j, std::string_view path, std::string_view name) const;
  Result<std::string> asset(const nlohmann::json& j, std::string_view path, std::string_view name) const;

 private:
  Errc code_;
};

}  // namespace pactum
