// fuzz_proposal: what an external solver answers (solvers/include/pactum/solvers/external.hpp,
// docs/PROTOCOL.md section 10) is untrusted input to the producer. The input is parsed as
// the HTTP client parses a reply body, then proposal_from_json reads it against a fixed
// instance (three assets, three swaps, two pools). An accepted proposal must be a
// well-formed Clearing: fills sorted by id and naming instance swaps, pools sorted and
// naming instance pools, every pair price reduced with base < quote; and
// SolverRecord/PoolReserves JSON (what the block records) must round trip.
#include <string>

#include "common.hpp"
#include "pactum/solvers/external.hpp"

using namespace pactum;
using namespace pactum::fuzz;
using nlohmann::json;

namespace {

Hash32 id_of(std::uint8_t b) {
  Hash32 h;
  h.bytes.fill(b);
  return h;
}

const solvers::Instance& instance() {
  static const solvers::Instance in = [] {
    solvers::Instance i;
    i.chain_id = "pactum-fuzz";
    i.height = 1;
    i.assets = {{"BTC", 8}, {"ETH", 18}, {"USD", 6}};
    i.swaps = {{id_of(1), "BTC", "USD", SwapSide::sell, 200000000, 90000000000, true},
               {id_of(2), "USD", "BTC", SwapSide::sell, 120000000000, 200000000, false},
               {id_of(3), "ETH", "USD", SwapSide::buy, 1000000000000000000, 3000000000, true}};
    i.pools = {Pool{"BTC", "USD", 1000000000, 600000000000, 30}, Pool{"ETH", "USD", 1000, 3000, 5}};
    return i;
  }();
  return in;
}

void check_clearing(const Clearing& c) {
  for (std::size_t k = 0; k < c.fills.size(); ++k) {
    FUZZ_CHECK(k == 0 || c.fills[k - 1].intent < c.fills[k].intent, "fills not sorted or repeated");
    bool known = false;
    for (const auto& s : instance().swaps) known = known || s.id == c.fills[k].intent;
    FUZZ_CHECK(known, "a fill names an intent outside the instance");
  }
  for (std::size_t k = 0; k < c.pools.size(); ++k) {
    FUZZ_CHECK(c.pools[k].asset_a < c.pools[k].asset_b, "pool assets out of order");
    auto again = PoolReserves::from_json(c.pools[k].to_json());
    FUZZ_CHECK(again.ok() && *again == c.pools[k], "PoolReserves round trip");
  }
  for (const Price& p : c.prices) {
    FUZZ_CHECK(p.base < p.quote && p.num > 0 && p.den > 0, "pair price not positive or base >= quote");
    FUZZ_CHECK(boost::multiprecision::gcd(p.num, p.den) == 1, "pair price not reduced");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = parse_json(as_view(data, size));
  if (!parsed) return 0;
  auto c = solvers::proposal_from_json(*parsed, instance());
  use_result(c);
  if (c.ok()) check_clearing(*c);
  auto record = SolverRecord::from_json(*parsed);
  use_result(record);
  if (record.ok()) {
    auto again = SolverRecord::from_json(record->to_json());
    FUZZ_CHECK(again.ok() && *again == *record, "SolverRecord round trip");
  }
  return 0;
}
