// The linear system of a basis (refinement_system.hpp): assets joined by active pairs and
// trading pools form groups; each group's prices (relative to its first asset) and pinned
// values solve one square integer system, exactly (fraction-free Bareiss elimination,
// then rational back substitution).
#include "refinement_system.hpp"

namespace pactum::matching {
namespace {

// Work bound: unknowns of one group's system (beyond it the refinement gives up).
constexpr std::size_t kMaxUnknowns = 48;

// Exact solution of the square system a x = rhs (a: k x k, last column of `a` is rhs),
// by fraction-free (Bareiss) elimination, then rational back substitution.
std::optional<std::vector<Rational>> solve_square(std::vector<std::vector<BigInt>> a) {
  const std::size_t k = a.size();
  BigInt prev = 1;
  for (std::size_t c = 0; c < k; ++c) {
    std::size_t pivot = c;
    while (pivot < k && a[pivot][c] == 0) ++pivot;
    if (pivot == k) return std::nullopt;
    std::swap(a[pivot], a[c]);
    for (std::size_t r = c + 1; r < k; ++r) {
      for (std::size_t j = c + 1; j <= k; ++j) a[r][j] = (a[c][c] * a[r][j] - a[r][c] * a[c][j]) / prev;
      a[r][c] = 0;
    }
    prev = a[c][c];
  }
  std::vector<Rational> x(k);
  for (std::size_t r = k; r-- > 0;) {
    Rational acc(a[r][k]);
    for (std::size_t j = r + 1; j < k; ++j) {
      if (a[r][j] != 0) acc -= Rational(a[r][j]) * x[j];
    }
    x[r] = acc / Rational(a[r][r]);
  }
  return x;
}

// Assets joined by active pairs and trading pools form groups: per asset, its group's
// smallest asset.
std::vector<std::size_t> asset_groups(const Book& book, const Basis& basis) {
  const std::size_t n = static_cast<std::size_t>(book.assets);
  std::vector<std::size_t> root(n);
  for (std::size_t i = 0; i < n; ++i) root[i] = i;
  const auto find = [&](std::size_t x) {
    while (root[x] != x) x = root[x] = root[root[x]];
    return x;
  };
  const auto join = [&](std::size_t x, std::size_t y) {
    x = find(x);
    y = find(y);
    if (x != y) root[std::max(x, y)] = std::min(x, y);
  };
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    if (basis.pairs[p].full > 0 || basis.pairs[p].pinned) join(book.pairs[p].sell, book.pairs[p].buy);
  }
  for (std::size_t i = 0; i < book.pools.size(); ++i) {
    if (basis.pools[i] != 0) join(book.pools[i].a, book.pools[i].b);
  }
  std::vector<std::size_t> group(n);
  for (std::size_t i = 0; i < n; ++i) group[i] = find(i);
  return group;
}

// The system of one group g (its smallest asset, whose price stays as in `reference`):
// the unknowns are its other assets' prices, then its pinned pairs' values.
struct GroupSystem {
  std::size_t g = 0;
  std::vector<std::size_t> members;  // ascending
  std::vector<long> column;          // per asset: its unknown, or -1
  std::vector<long> pin_column;      // per pair: its unknown, or -1
  std::size_t unknowns = 0;
};

GroupSystem group_system(const Book& book, const Basis& basis, const std::vector<std::size_t>& group, std::size_t g) {
  GroupSystem s;
  s.g = g;
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (group[i] == g) s.members.push_back(i);
  }
  s.column.assign(group.size(), -1);
  for (std::size_t i : s.members) {
    if (i != g) s.column[i] = static_cast<long>(s.unknowns++);
  }
  s.pin_column.assign(book.pairs.size(), -1);
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    if (basis.pairs[p].pinned && group[book.pairs[p].sell] == g) s.pin_column[p] = static_cast<long>(s.unknowns++);
  }
  return s;
}

// Row of asset i: sum of coefficient * unknown = rhs (the fixed N[g] moves to rhs): the
// excess supply of the active pairs and trading pools of the group. Rows are integers: a
// row touched by pools is scaled by the lcm of their (10000 - fee), so that
// x/gamma = x*10000/(10000 - fee) stays integral.
struct Row {
  std::vector<BigInt> c;
  BigInt rhs;
  BigInt scale;
};

std::vector<Row> balance_rows(const Book& book, const Basis& basis, const std::vector<std::size_t>& group,
                              const GroupSystem& s, const std::vector<BigInt>& reference) {
  const std::size_t g = s.g;
  std::vector<Row> rows(group.size());
  for (std::size_t i : s.members) rows[i] = Row{std::vector<BigInt>(s.unknowns, BigInt(0)), BigInt(0), BigInt(1)};
  for (std::size_t i = 0; i < book.pools.size(); ++i) {
    const VectorPool& p = book.pools[i];
    if (basis.pools[i] == 0 || group[p.a] != g) continue;
    const BigInt keep = BigInt(10000 - p.pool.fee_bps);
    for (int asset : {p.a, p.b}) {
      Row& r = rows[static_cast<std::size_t>(asset)];
      r.scale = lcm_big(r.scale, keep);
    }
  }
  const auto add = [&](std::size_t row, std::size_t asset, const BigInt& coef) {
    if (coef == 0) return;
    if (asset == g)
      rows[row].rhs -= coef * reference[g];
    else
      rows[row].c[static_cast<std::size_t>(s.column[asset])] += coef;
  };
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const PairBook& pair = book.pairs[p];
    if (group[pair.sell] != g) continue;
    const std::size_t k = basis.pairs[p].full;
    const std::size_t sell = static_cast<std::size_t>(pair.sell), buy = static_cast<std::size_t>(pair.buy);
    // Excess supply: the pair supplies `sell`, demands `buy`: ss*N[sell] + bb*N[buy] (+ t).
    const BigInt& ss = pair.sum_sell_side[k];
    const BigInt& bb = pair.sum_buy_side[k];
    add(sell, sell, ss * rows[sell].scale);
    add(sell, buy, bb * rows[sell].scale);
    add(buy, sell, -(ss * rows[buy].scale));
    add(buy, buy, -(bb * rows[buy].scale));
    if (s.pin_column[p] >= 0) {
      rows[sell].c[static_cast<std::size_t>(s.pin_column[p])] += rows[sell].scale;
      rows[buy].c[static_cast<std::size_t>(s.pin_column[p])] -= rows[buy].scale;
    }
  }
  for (std::size_t i = 0; i < book.pools.size(); ++i) {
    const VectorPool& p = book.pools[i];
    if (basis.pools[i] == 0 || group[p.a] != g) continue;
    const BigInt keep = BigInt(10000 - p.pool.fee_bps);
    const BigInt x(p.pool.reserve_a), y(p.pool.reserve_b);
    // Direction +1: value N[b]*y - N[a]*x/gamma supplied in b, demanded in a.
    const std::size_t give = static_cast<std::size_t>(basis.pools[i] > 0 ? p.b : p.a);
    const std::size_t take = static_cast<std::size_t>(basis.pools[i] > 0 ? p.a : p.b);
    const BigInt& give_reserve = basis.pools[i] > 0 ? y : x;
    const BigInt& take_reserve = basis.pools[i] > 0 ? x : y;
    add(give, give, give_reserve * rows[give].scale);
    add(give, take, -(take_reserve * 10000 * (rows[give].scale / keep)));
    add(take, give, -(give_reserve * rows[take].scale));
    add(take, take, take_reserve * 10000 * (rows[take].scale / keep));
  }
  return rows;
}

// The group's equations: every member's balance but g's (it follows: Z sums to zero),
// then the pins B*N[buy] - S*N[sell] = 0 for the marginal group's limit B/S. Each row has
// the right-hand side as its last entry.
std::vector<std::vector<BigInt>> group_equations(const Book& book, const Basis& basis, const GroupSystem& s,
                                                 std::vector<Row> rows, const std::vector<BigInt>& reference) {
  std::vector<std::vector<BigInt>> a;
  for (std::size_t i : s.members) {
    if (i == s.g) continue;
    rows[i].c.push_back(std::move(rows[i].rhs));
    a.push_back(std::move(rows[i].c));
  }
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    if (s.pin_column[p] < 0) continue;
    const PairBook& pair = book.pairs[p];
    const VectorOrder& o = book.orders[pair.orders[basis.pairs[p].full].input];
    std::vector<BigInt> r(s.unknowns + 1, BigInt(0));
    const auto put = [&](std::size_t asset, const BigInt& coef) {
      if (asset == s.g)
        r[s.unknowns] -= coef * reference[s.g];
      else
        r[static_cast<std::size_t>(s.column[asset])] += coef;
    };
    put(static_cast<std::size_t>(pair.buy), BigInt(o.buy_amount));
    put(static_cast<std::size_t>(pair.sell), -BigInt(o.sell_amount));
    a.push_back(std::move(r));
  }
  return a;
}

// Solves group g's system into `price` (its other members) and `t` (its pinned pairs).
// False when the system is singular, too large, or a price comes out non-positive.
bool solve_group(const Book& book, const Basis& basis, const std::vector<std::size_t>& group, std::size_t g,
                 const std::vector<BigInt>& reference, std::vector<Rational>& price, std::vector<Rational>& t) {
  const GroupSystem s = group_system(book, basis, group, g);
  price[g] = Rational(reference[g]);
  if (s.members.size() == 1) return true;
  std::vector<std::vector<BigInt>> a =
      group_equations(book, basis, s, balance_rows(book, basis, group, s, reference), reference);
  if (a.size() != s.unknowns || s.unknowns > kMaxUnknowns) return false;
  std::optional<std::vector<Rational>> x = solve_square(std::move(a));
  if (!x) return false;
  for (std::size_t i : s.members) {
    if (i == g) continue;
    price[i] = (*x)[static_cast<std::size_t>(s.column[i])];
    if (price[i] <= 0) return false;
  }
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    if (s.pin_column[p] >= 0) t[p] = (*x)[static_cast<std::size_t>(s.pin_column[p])];
  }
  return true;
}

}  // namespace

// Solves Z(N, t) = 0 and the pins, group by group (asset_groups): in each group the
// price of its first asset stays as in `reference` and the others are solved relative to
// it (one balance equation per other asset, one per pin). Assets that nothing active
// touches keep their reference price (the price search's). nullopt when a group's system
// is singular or a price comes out non-positive.
std::optional<Solution> solve_basis(const Book& book, const Basis& basis, const std::vector<BigInt>& reference) {
  const std::size_t n = static_cast<std::size_t>(book.assets);
  const std::vector<std::size_t> group = asset_groups(book, basis);
  std::vector<Rational> price(n);
  std::vector<Rational> t(book.pairs.size(), Rational(0));
  for (std::size_t g = 0; g < n; ++g) {
    if (group[g] != g) continue;
    if (!solve_group(book, basis, group, g, reference, price, t)) return std::nullopt;
  }
  // One integer vector: multiply by the common denominator, divide by the common factor.
  BigInt common = 1;
  for (const Rational& v : price) common = lcm_big(common, den(v));
  Solution out;
  out.n.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.n[i] = num(price[i]) * (common / den(price[i]));
  BigInt g = out.n[0];
  for (const BigInt& v : out.n) g = boost::multiprecision::gcd(g, v);
  for (BigInt& v : out.n) v /= g;
  // t is a value in units of `price`; in units of the integer vector it scales alike.
  out.t.assign(book.pairs.size(), Rational(0));
  for (std::size_t p = 0; p < book.pairs.size(); ++p) out.t[p] = t[p] * Rational(common, g);
  return out;
}

}  // namespace pactum::matching
