// Constant-product pools for the sequential counterfactuals: the ledger's pool arithmetic
// (pactum/ledger/pool_math.hpp), the same a bundle's swap step uses, so a counterfactual
// trade is one the chain itself would execute.
//   out(a) = floor(R_out * a*(10000-fee) / (R_in*10000 + a*(10000-fee)))   (pool_math::swap_out)
//   in(o)  = the least a with out(a) >= o (none when o >= R_out)            (pool_math::swap_in_for)
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pactum/analysis/analysis.hpp"
#include "pactum/ledger/pool_math.hpp"

namespace pactum::analysis {

using BigInt = boost::multiprecision::cpp_int;

class PoolBook {
 public:
  explicit PoolBook(const StateView& state);
  PoolBook(const PoolBook&) = default;
  PoolBook& operator=(const PoolBook&) = default;

  bool has(const std::string& x, const std::string& y) const;
  BigInt reserve(const std::string& x, const std::string& y, const std::string& asset) const;
  // Output of selling `in` of `sell` into the pool of (sell, buy); 0 without a pool.
  BigInt out(const std::string& sell, const std::string& buy, const BigInt& in) const;
  // Least input of `sell` that buys at least `want` of `buy`; nullopt when impossible.
  std::optional<BigInt> in_for(const std::string& sell, const std::string& buy, const BigInt& want) const;
  // Executes the trade (the caller checked it): returns the output.
  BigInt trade(const std::string& sell, const std::string& buy, const BigInt& in);
  const std::map<PoolId, Pool>& pools() const { return pools_; }
  // Spot price of asset_a in asset_b (R_b / R_a), without the fee.
  static Rational spot(const Pool& p);

 private:
  std::map<PoolId, Pool> pools_;
};

// A route: the assets traded through, first = sell asset, last = buy asset.
using Route = std::vector<std::string>;
BigInt route_out(const PoolBook& book, const Route& r, const BigInt& in);
std::optional<BigInt> route_in(const PoolBook& book, const Route& r, const BigInt& want);
BigInt route_trade(PoolBook& book, const Route& r, const BigInt& in);
// The direct pool and every two-pool route through a third asset (by symbol), that exist.
std::vector<Route> routes(const PoolBook& book, const std::vector<std::string>& assets, const std::string& sell,
                          const std::string& buy);

// The largest x in [0, hi] with ok(x), for ok monotone (true up to some point, then
// false). Binary search over integers.
template <class Pred>
BigInt largest_ok(const BigInt& hi, Pred ok) {
  if (hi <= 0 || !ok(BigInt(1))) return 0;
  BigInt lo = 1, top = hi;  // ok(lo) holds
  if (ok(top)) return top;
  while (top - lo > 1) {
    BigInt mid = (lo + top) / 2;
    if (ok(mid))
      lo = mid;
    else
      top = mid;
  }
  return lo;
}

}  // namespace pactum::analysis
