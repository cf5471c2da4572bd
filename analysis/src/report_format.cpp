// Shared formatting for the report writers (report_format.hpp).
#include "report_format.hpp"

namespace pactum::analysis {

namespace {
BigInt pow10(std::uint32_t n) {
  BigInt r = 1;
  for (std::uint32_t i = 0; i < n; ++i) r *= 10;
  return r;
}
}  // namespace

std::string fixed(const Rational& v, std::uint32_t decimals, unsigned places) {
  const BigInt scale = pow10(places);
  const BigInt num = boost::multiprecision::numerator(v) * scale;
  const BigInt den = boost::multiprecision::denominator(v) * pow10(decimals);
  BigInt t = num / den;  // truncates toward zero
  const bool negative = t < 0;
  if (negative) t = -t;
  const BigInt whole = t / scale;
  std::string frac = BigInt(t % scale).str();
  frac.insert(0, places - std::min<std::size_t>(places, frac.size()), '0');
  return (negative ? "-" : "") + whole.str() + (places ? "." + frac : "");
}

std::string money(const Study& s, const Rational& v) { return fixed(v, s.numeraire_decimals, 6); }

std::string share(std::uint64_t k, std::uint64_t n) {
  if (n == 0) return "0.0000";
  return fixed(Rational(BigInt(k), BigInt(n)), 0, 4);
}

Rational display_price_value(const Study& s, const PoolId& pool, const Rational& base_units) {
  // b per a in base units * 10^dec_a / 10^dec_b.
  const int shift = static_cast<int>(s.decimals.at(pool.first)) - static_cast<int>(s.decimals.at(pool.second));
  Rational r = base_units;
  for (int i = 0; i < shift; ++i) r *= 10;
  for (int i = 0; i > shift; --i) r /= 10;
  return r;
}

std::string display_price(const Study& s, const PoolId& pool, const Rational& base_units) {
  return fixed(display_price_value(s, pool, base_units), 0, 6);
}

std::string pool_name(const PoolId& p) { return p.first + "/" + p.second; }

Totals totals(const Study& s) {
  Totals t;
  for (const BlockRow& b : s.blocks) {
    t.swaps += b.swaps;
    for (std::size_t r = 0; r < 3; ++r) {
      t.filled[r] += b.filled[r];
      t.worse_off[r] += b.worse_off[r];
      t.better_off[r] += b.better_off[r];
      t.surplus[r] += b.surplus[r];
    }
    t.sandwich_value += b.sandwich_value;
    t.backrun_value += b.backrun_value;
  }
  for (const PoolRow& p : s.pools)
    for (std::size_t r = 0; r < 3; ++r) t.lvr[r] += p.lvr[r];
  return t;
}

}  // namespace pactum::analysis
