#include "methods.hpp"

namespace pactum::rpc {

using nlohmann::json;

Result<json> get_room(MethodCall& c) {
  PACTUM_ASSIGN(room, c.params.hash(0, "room"));
  return c.core.get_room(room);
}

Result<json> get_rooms(MethodCall& c) {
  std::optional<bool> closed;
  if (const json* st = c.params.get(0, "status"); st && !st->is_null()) {
    if (*st == "open")
      closed = false;
    else if (*st == "closed")
      closed = true;
    else
      return make_error(Errc::invalid_params, "status: must be \"open\", \"closed\" or null", "status");
  }
  PACTUM_ASSIGN(limit, c.params.integer_in(1, "limit", 1, 1000, 100));
  return c.core.get_rooms(closed, limit);
}

Result<json> get_contract(MethodCall& c) {
  PACTUM_ASSIGN(room, c.params.hash(0, "room"));
  return c.core.get_contract(room);
}

}  // namespace pactum::rpc
