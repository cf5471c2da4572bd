// Constant-product pools for the sequential counterfactuals (amm.hpp).
#include "amm.hpp"

namespace pactum::analysis {

PoolBook::PoolBook(const StateView& state) {
  for (const Pool& p : state.pools()) pools_.emplace(PoolId{p.asset_a, p.asset_b}, p);
}

bool PoolBook::has(const std::string& x, const std::string& y) const {
  auto it = pools_.find(make_pool_id(x, y));
  return it != pools_.end() && it->second.reserve_a > 0 && it->second.reserve_b > 0;
}

BigInt PoolBook::reserve(const std::string& x, const std::string& y, const std::string& asset) const {
  return pool_math::reserve_of(pools_.at(make_pool_id(x, y)), asset);
}

BigInt PoolBook::out(const std::string& sell, const std::string& buy, const BigInt& in) const {
  if (in <= 0 || !has(sell, buy)) return 0;
  return pool_math::swap_out(pools_.at(make_pool_id(sell, buy)), sell, in);
}

std::optional<BigInt> PoolBook::in_for(const std::string& sell, const std::string& buy, const BigInt& want) const {
  if (want <= 0) return BigInt(0);
  if (!has(sell, buy)) return std::nullopt;
  return pool_math::swap_in_for(pools_.at(make_pool_id(sell, buy)), sell, want);
}

BigInt PoolBook::trade(const std::string& sell, const std::string& buy, const BigInt& in) {
  const BigInt o = out(sell, buy, in);
  pool_math::apply_swap(pools_.at(make_pool_id(sell, buy)), sell, in, o);
  return o;
}

Rational PoolBook::spot(const Pool& p) {
  if (p.reserve_a == 0) return Rational(0);
  return Rational(BigInt(p.reserve_b), BigInt(p.reserve_a));
}

BigInt route_out(const PoolBook& book, const Route& r, const BigInt& in) {
  BigInt amount = in;
  for (std::size_t i = 0; i + 1 < r.size() && amount > 0; ++i) amount = book.out(r[i], r[i + 1], amount);
  return amount;
}

std::optional<BigInt> route_in(const PoolBook& book, const Route& r, const BigInt& want) {
  BigInt amount = want;
  for (std::size_t i = r.size() - 1; i > 0; --i) {
    auto need = book.in_for(r[i - 1], r[i], amount);
    if (!need) return std::nullopt;
    amount = *need;
  }
  // Rounding along the way can leave the composed route short: the least input that
  // reaches `want`, searched upward from the estimate (route_out is monotone).
  if (route_out(book, r, amount) >= want) return amount;
  BigInt step = 1, hi = amount + 1;
  while (route_out(book, r, hi) < want) {
    if (step > amount * 4 + 1024) return std::nullopt;  // the route cannot deliver it
    step *= 2;
    hi = amount + step;
  }
  BigInt lo = hi - step;  // route_out(lo) < want
  while (hi - lo > 1) {
    BigInt mid = (lo + hi) / 2;
    if (route_out(book, r, mid) >= want)
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

BigInt route_trade(PoolBook& book, const Route& r, const BigInt& in) {
  BigInt amount = in;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) amount = book.trade(r[i], r[i + 1], amount);
  return amount;
}

std::vector<Route> routes(const PoolBook& book, const std::vector<std::string>& assets, const std::string& sell,
                          const std::string& buy) {
  std::vector<Route> out;
  if (book.has(sell, buy)) out.push_back({sell, buy});
  for (const std::string& mid : assets) {
    if (mid == sell || mid == buy) continue;
    if (book.has(sell, mid) && book.has(mid, buy)) out.push_back({sell, mid, buy});
  }
  return out;
}

}  // namespace pactum::analysis
