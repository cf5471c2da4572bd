// A request's parameters, positional (an array, in the order documented) or named (an
// object): each accessor checks type and form and names the parameter in its error.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/intents/result.hpp"

namespace pactum::rpc {

class Params {
 public:
  explicit Params(const nlohmann::json& p) : p_(p) {}
  // The parameter, or null when absent.
  const nlohmann::json* get(std::size_t index, const char* name) const;
  Result<const nlohmann::json*> required(std::size_t index, const char* name) const;
  Result<std::string> string(std::size_t index, const char* name) const;
  Result<std::uint64_t> integer(std::size_t index, const char* name) const;  // [0, 2^53-1]
  // An optional integer in [lo, hi]: `fallback` when absent or null.
  Result<std::uint64_t> integer_in(std::size_t index, const char* name, std::uint64_t lo, std::uint64_t hi,
                                   std::uint64_t fallback) const;
  Result<PublicKey> account(std::size_t index, const char* name) const;
  Result<Hash32> hash(std::size_t index, const char* name) const;
  Result<std::string> asset(std::size_t index, const char* name) const;  // a well-formed symbol

 private:
  const nlohmann::json& p_;
};

}  // namespace pactum::rpc
