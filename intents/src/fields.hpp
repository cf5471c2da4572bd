// Field readers shared by the intent decoders (internal to intents/). Each refuses a
// missing field or a value of the wrong type or form with Errc::invalid_params naming
// the field: "sell_amount: amount must be greater than zero".
#pragma once
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/result.hpp"

namespace pactum {
struct Transfer;
struct Swap;
struct Burn;
struct Lock;
struct Unlock;
struct Reveal;
}  // namespace pactum

namespace pactum::fields {

Error field_error(const std::string& field, const std::string& what);
Result<const nlohmann::json*> require(const nlohmann::json& j, const std::string& field);
Result<std::string> get_string(const nlohmann::json& j, const std::string& field);
Result<std::uint64_t> get_safe_uint(const nlohmann::json& j, const std::string& field);
Result<std::string> get_asset(const nlohmann::json& j, const std::string& field);
Result<Amount> get_positive_amount(const nlohmann::json& j, const std::string& field);
Result<Amount> get_amount(const nlohmann::json& j, const std::string& field);  // zero allowed
Result<PublicKey> get_account(const nlohmann::json& j, const std::string& field);
// Refuses a member outside `allowed` (and a non-object), naming it under `where`.
Result<void> only_fields(const nlohmann::json& j, const std::set<std::string>& allowed, const std::string& where);
// The error of a nested object's field, with its path in front ("action.amount: ...").
Error prefixed(const Error& e, const std::string& where);

Result<Transfer> decode_transfer(const nlohmann::json& j);
Result<Swap> decode_swap(const nlohmann::json& j);
Result<Burn> decode_burn(const nlohmann::json& j);
Result<Lock> decode_lock(const nlohmann::json& j);
Result<Unlock> decode_unlock(const nlohmann::json& j);
Result<Reveal> decode_reveal(const nlohmann::json& j);

}  // namespace pactum::fields
