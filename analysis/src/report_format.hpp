// Shared formatting for the report writers. Internal to analysis/.
#pragma once
#include <string>

#include "pactum/analysis/analysis.hpp"

namespace pactum::analysis {

// A value in numeraire base units, in the numeraire's display units.
std::string money(const Study& s, const Rational& v);
// Share k of n as a decimal with 4 places ("0.2500"); "0.0000" when n = 0.
std::string share(std::uint64_t k, std::uint64_t n);
// A price of asset_a in asset_b base units, in display units (b per a).
std::string display_price(const Study& s, const PoolId& pool, const Rational& base_units);
// The same, as an exact rational scaled to display units (for plotting).
Rational display_price_value(const Study& s, const PoolId& pool, const Rational& base_units);
std::string pool_name(const PoolId& p);

struct Totals {
  std::uint64_t swaps = 0;
  std::array<std::uint64_t, 3> filled{}, worse_off{}, better_off{};
  std::array<Rational, 3> surplus, lvr;
  Rational sandwich_value, backrun_value;
};
Totals totals(const Study& s);

}  // namespace pactum::analysis
