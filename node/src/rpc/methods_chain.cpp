#include "methods.hpp"

namespace pactum::rpc {

using nlohmann::json;

Result<json> chain_id(MethodCall& c) { return json(c.core.chain_id()); }
Result<json> node_info(MethodCall& c) { return c.core.node_info(); }
Result<json> block_number(MethodCall& c) { return json(c.core.height()); }

Result<std::string> get_block(MethodCall& c) {
  PACTUM_ASSIGN(block, c.params.required(0, "block"));
  bool full = false;
  if (const json* f = c.params.get(1, "full"); f && !f->is_null()) {
    if (!f->is_boolean()) return make_error(Errc::invalid_params, "full: must be a boolean", "full");
    full = f->get<bool>();
  }
  if (block->is_number_unsigned()) return c.core.get_block(block->get<std::uint64_t>(), std::nullopt, full);
  if (block->is_string()) {
    const auto& s = block->get_ref<const std::string&>();
    if (s == "latest") return c.core.get_block(c.core.height(), std::nullopt, full);
    PACTUM_ASSIGN(hash, Hash32::from_hex(s, "block"));
    return c.core.get_block(std::nullopt, hash, full);
  }
  return make_error(Errc::invalid_params, "block: must be a height (integer) or a block hash (64 hex)", "block");
}

Result<json> get_blocks(MethodCall& c) {
  std::optional<std::uint64_t> to;
  if (const json* t = c.params.get(0, "to"); t && !t->is_null() && *t != "latest") {
    if (!t->is_number_unsigned() || t->get<std::uint64_t>() > kMaxSafeInteger)
      return make_error(Errc::invalid_params, "to: must be a height (integer), \"latest\" or null", "to");
    to = t->get<std::uint64_t>();
  }
  PACTUM_ASSIGN(count, c.params.integer_in(1, "count", 1, 100, 20));
  return c.core.get_blocks(to, count);
}

Result<json> get_pool(MethodCall& c) {
  PACTUM_ASSIGN(x, c.params.asset(0, "asset_x"));
  PACTUM_ASSIGN(y, c.params.asset(1, "asset_y"));
  return c.core.get_pool(x, y);
}

Result<json> get_pools(MethodCall& c) { return c.core.get_pools(); }
Result<json> get_assets(MethodCall& c) { return c.core.get_assets(); }
Result<json> get_lending_pools(MethodCall& c) { return c.core.get_lending_pools(); }

}  // namespace pactum::rpc
