#include "methods.hpp"

namespace pactum::rpc {

using nlohmann::json;

Result<json> get_balance(MethodCall& c) {
  PACTUM_ASSIGN(account, c.params.account(0, "account"));
  PACTUM_ASSIGN(asset, c.params.asset(1, "asset"));
  PACTUM_ASSIGN(balance, c.core.get_balance(account, asset));
  return json(balance);
}

Result<json> get_available_balance(MethodCall& c) {
  PACTUM_ASSIGN(account, c.params.account(0, "account"));
  PACTUM_ASSIGN(asset, c.params.asset(1, "asset"));
  return c.core.get_available_balance(account, asset);
}

Result<json> get_balance_proof(MethodCall& c) {
  PACTUM_ASSIGN(account, c.params.account(0, "account"));
  PACTUM_ASSIGN(asset, c.params.asset(1, "asset"));
  return c.core.get_balance_proof(account, asset);
}

Result<json> nonce_used(MethodCall& c) {
  PACTUM_ASSIGN(account, c.params.account(0, "account"));
  PACTUM_ASSIGN(nonce, c.params.integer(1, "nonce"));
  return json(c.core.nonce_used(account, nonce));
}

}  // namespace pactum::rpc
