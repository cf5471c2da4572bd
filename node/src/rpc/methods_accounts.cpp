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

Result<json> get_supply(MethodCall& c) {
  PACTUM_ASSIGN(asset, c.params.asset(0, "asset"));
  return c.core.get_supply(asset);
}

// pactum_getBurns: every parameter optional (named, or positional in this order).
Result<json> get_burns(MethodCall& c) {
  NodeCore::BurnFilter f;
  if (const json* a = c.params.get(0, "account"); a && !a->is_null()) {
    PACTUM_ASSIGN(account, c.params.account(0, "account"));
    f.account = account;
  }
  if (const json* a = c.params.get(1, "asset"); a && !a->is_null()) {
    PACTUM_ASSIGN(asset, c.params.asset(1, "asset"));
    f.asset = asset;
  }
  PACTUM_ASSIGN(from, c.params.integer_in(2, "from", 0, kMaxSafeInteger, 0));
  f.from = from;
  if (const json* t = c.params.get(3, "to"); t && !t->is_null()) {
    PACTUM_ASSIGN(to, c.params.integer(3, "to"));
    f.to = to;
  }
  PACTUM_ASSIGN(offset, c.params.integer_in(4, "offset", 0, kMaxSafeInteger, 0));
  f.offset = offset;
  PACTUM_ASSIGN(limit, c.params.integer_in(5, "limit", 1, 1000, 100));
  f.limit = limit;
  return c.core.get_burns(f);
}

Result<json> get_receipt_proof(MethodCall& c) {
  PACTUM_ASSIGN(height, c.params.integer(0, "block"));
  PACTUM_ASSIGN(id, c.params.hash(1, "intent"));
  return c.core.get_receipt_proof(height, id);
}

}  // namespace pactum::rpc
