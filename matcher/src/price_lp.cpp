#include "price_lp.hpp"

namespace pactum::matching {
namespace {

constexpr int kMaxPivots = 400;

enum class Sense { le, ge, eq };

struct Row {
  std::vector<Rational> a;  // one coefficient per variable
  Sense sense = Sense::le;
  Rational b;
};

BigInt lcm_of_dens(const std::vector<Rational>& v, const Rational* extra) {
  BigInt l = 1;
  const auto take = [&](const Rational& r) {
    const BigInt& d = den(r);
    if (d != 1) l = l / boost::multiprecision::gcd(l, d) * d;
  };
  for (const Rational& r : v) take(r);
  if (extra) take(*extra);
  return l;
}

// maximise c x subject to rows, x >= 0. Dense tableau, two phases, Bland's rule (the
// smallest improving column enters; ties in the ratio test leave by smallest basic
// variable index). Exact and fraction-free: each row is scaled to integers once, and the
// tableau is kept as integers T = D * (the rational tableau), D = +-det(basis) > 0, so a
// pivot is T'[i][j] = (T[i][j] p - T[i][c] T[r][j]) / D, an exact division (Edmonds'
// integer-preserving elimination), with no gcd. The pivots are those of the rational
// simplex, so is the solution.
std::optional<std::vector<Rational>> simplex(std::vector<Row> rows, const std::vector<Rational>& c) {
  const std::size_t n = c.size();
  const std::size_t m = rows.size();
  for (Row& r : rows) {
    if (r.b < 0) {
      for (Rational& v : r.a) v = -v;
      r.b = -r.b;
      r.sense = r.sense == Sense::le ? Sense::ge : (r.sense == Sense::ge ? Sense::le : Sense::eq);
    }
  }
  // Columns: x (n), one slack/surplus per inequality, one artificial per ge/eq row.
  std::size_t slack_count = 0, art_count = 0;
  for (const Row& r : rows) {
    if (r.sense != Sense::eq) ++slack_count;
    if (r.sense != Sense::le) ++art_count;
  }
  const std::size_t width = n + slack_count + art_count;
  const std::size_t first_art = n + slack_count;
  std::vector<std::vector<BigInt>> t(m, std::vector<BigInt>(width + 1, BigInt(0)));
  std::vector<std::size_t> basis(m);
  std::vector<char> basic(width, 0);
  std::size_t s = n, art = first_art;
  for (std::size_t i = 0; i < m; ++i) {
    const BigInt scale = lcm_of_dens(rows[i].a, &rows[i].b);
    for (std::size_t j = 0; j < n; ++j) {
      if (rows[i].a[j] != 0) t[i][j] = num(rows[i].a[j]) * (scale / den(rows[i].a[j]));
    }
    t[i][width] = num(rows[i].b) * (scale / den(rows[i].b));
    if (rows[i].sense == Sense::le) {
      t[i][s] = 1;
      basis[i] = s++;
    } else if (rows[i].sense == Sense::ge) {
      t[i][s++] = -1;
      t[i][art] = 1;
      basis[i] = art++;
    } else {
      t[i][art] = 1;
      basis[i] = art++;
    }
    basic[basis[i]] = 1;
  }
  BigInt d = 1;  // the common denominator, > 0
  const auto pivot = [&](std::size_t r, std::size_t col) {
    if (t[r][col] < 0) {
      for (BigInt& v : t[r]) v = -v;
    }
    const BigInt p = t[r][col];
    for (std::size_t i = 0; i < m; ++i) {
      if (i == r) continue;
      const BigInt f = t[i][col];
      std::vector<BigInt>& row = t[i];
      const std::vector<BigInt>& prow = t[r];
      if (f == 0) {
        if (p == d) continue;
        for (std::size_t j = 0; j <= width; ++j) {
          if (row[j] != 0) row[j] = row[j] * p / d;
        }
        continue;
      }
      for (std::size_t j = 0; j <= width; ++j) {
        if (prow[j] == 0) {
          if (row[j] != 0) row[j] = row[j] * p / d;
        } else {
          row[j] = (row[j] * p - f * prow[j]) / d;
        }
      }
    }
    d = p;
    basic[basis[r]] = 0;
    basis[r] = col;
    basic[col] = 1;
  };
  // Runs the simplex for the integer objective `obj` over the columns below `limit`;
  // false on the pivot bound or when unbounded.
  int pivots = 0;
  const auto run = [&](const std::vector<BigInt>& obj, std::size_t limit) {
    for (;;) {
      // Reduced costs times d: obj_j d - sum over rows of obj_basis t[i][j].
      std::size_t enter = width;
      for (std::size_t j = 0; j < limit && enter == width; ++j) {
        if (basic[j]) continue;
        BigInt red = obj[j] * d;
        for (std::size_t i = 0; i < m; ++i) {
          if (obj[basis[i]] != 0 && t[i][j] != 0) red -= obj[basis[i]] * t[i][j];
        }
        if (red > 0) enter = j;
      }
      if (enter == width) return true;
      std::size_t leave = m;
      for (std::size_t i = 0; i < m; ++i) {
        if (t[i][enter] <= 0) continue;
        if (leave == m) {
          leave = i;
          continue;
        }
        // t[i][w] / t[i][e] against t[leave][w] / t[leave][e], denominators positive.
        const BigInt lhs = t[i][width] * t[leave][enter], rhs = t[leave][width] * t[i][enter];
        if (lhs < rhs || (lhs == rhs && basis[i] < basis[leave])) leave = i;
      }
      if (leave == m) return false;  // unbounded
      if (++pivots > kMaxPivots) return false;
      pivot(leave, enter);
    }
  };
  if (art_count > 0) {
    std::vector<BigInt> phase1(width, BigInt(0));
    for (std::size_t j = first_art; j < width; ++j) phase1[j] = -1;
    if (!run(phase1, width)) return std::nullopt;
    for (std::size_t i = 0; i < m; ++i) {
      if (basis[i] >= first_art && t[i][width] != 0) return std::nullopt;  // infeasible
    }
    // Artificials still basic (at zero): pivot them out where a real column allows.
    for (std::size_t i = 0; i < m; ++i) {
      if (basis[i] < first_art) continue;
      for (std::size_t j = 0; j < first_art; ++j) {
        if (t[i][j] != 0) {
          pivot(i, j);
          break;
        }
      }
    }
  }
  std::vector<BigInt> obj(width, BigInt(0));
  const BigInt scale = lcm_of_dens(c, nullptr);
  for (std::size_t j = 0; j < n; ++j) {
    if (c[j] != 0) obj[j] = num(c[j]) * (scale / den(c[j]));
  }
  if (!run(obj, first_art)) return std::nullopt;
  std::vector<Rational> x(n, Rational(0));
  for (std::size_t i = 0; i < m; ++i) {
    if (basis[i] < n) x[basis[i]] = Rational(t[i][width], d);
  }
  return x;
}

}  // namespace

std::optional<PriceProgram> best_prices(const Book& book, const FillPattern& pattern,
                                        const std::vector<BigInt>& start) {
  const std::size_t k = static_cast<std::size_t>(book.assets);
  if (k < 2) return std::nullopt;
  // Variables: p[1..k) (p[0] = 1 is a constant), then one flow per trading pool, then
  // one value per marginal order.
  std::vector<std::size_t> pool_var(book.pools.size(), 0), order_var(book.orders.size(), 0);
  std::size_t vars = k - 1;
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    if (pattern.pool_mode[q] != 0) pool_var[q] = vars++;
  }
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (pattern.fill[i] == 2) order_var[i] = vars++;
  }
  // A linear form over p: coefficients per asset (asset 0's goes to the constant).
  struct Form {
    std::vector<Rational> a;
    Rational constant;
  };
  const auto form = [&]() { return Form{std::vector<Rational>(vars, Rational(0)), Rational(0)}; };
  const auto add_price = [&](Form& f, int asset, const Rational& coef) {
    if (asset == 0) f.constant += coef;
    else f.a[static_cast<std::size_t>(asset) - 1] += coef;
  };
  std::vector<Row> rows;
  // form (sense) 0  ->  a x (sense) -constant
  const auto put = [&](Form f, Sense sense) { rows.push_back(Row{std::move(f.a), sense, Rational(-f.constant)}); };

  std::vector<Form> balance(k, form());  // value supplied - value demanded, per asset
  Form objective = form();
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorOrder& o = book.orders[i];
    const Rational S(BigInt(o.sell_amount)), B(BigInt(o.buy_amount));
    Form margin = form();  // S p_sell - B p_buy: >= 0 in the money
    add_price(margin, o.sell, S);
    add_price(margin, o.buy, -B);
    const char fill = pattern.fill[i];
    if (fill == 1) {
      put(margin, Sense::ge);
      for (std::size_t j = 0; j < vars; ++j) objective.a[j] += margin.a[j];
      objective.constant += margin.constant;
      const int asset = o.side == SwapSide::sell ? o.sell : o.buy;
      const Rational& amount = o.side == SwapSide::sell ? S : B;
      add_price(balance[static_cast<std::size_t>(o.sell)], asset, amount);
      add_price(balance[static_cast<std::size_t>(o.buy)], asset, -amount);
    } else if (fill == 2) {
      put(margin, Sense::eq);
      const std::size_t v = order_var[i];
      balance[static_cast<std::size_t>(o.sell)].a[v] += 1;
      balance[static_cast<std::size_t>(o.buy)].a[v] -= 1;
      Form cap = form();  // value <= full value
      cap.a[v] = 1;
      const int asset = o.side == SwapSide::sell ? o.sell : o.buy;
      add_price(cap, asset, o.side == SwapSide::sell ? Rational(-S) : Rational(-B));
      put(cap, Sense::le);
    } else if (o.partial) {
      put(margin, Sense::le);  // a partial order left out is not strictly in the money
    }
  }
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    const VectorPool& pool = book.pools[q];
    const Rational keep(10000 - pool.pool.fee_bps);
    const Rational x{BigInt(pool.pool.reserve_a)}, y{BigInt(pool.pool.reserve_b)};
    // Capacity taking a, giving b: p_b y - p_a x 10^4/keep; and the reverse.
    Form plus = form(), minus = form();
    add_price(plus, pool.b, y);
    add_price(plus, pool.a, -x * 10000 / keep);
    add_price(minus, pool.a, x);
    add_price(minus, pool.b, -y * 10000 / keep);
    const int mode = pattern.pool_mode[q];
    if (mode == 0) {
      put(plus, Sense::le);
      put(minus, Sense::le);
      continue;
    }
    const std::size_t v = pool_var[q];
    Form& cap = mode > 0 ? plus : minus;
    for (Rational& c : cap.a) c = -c;
    cap.constant = -cap.constant;
    cap.a[v] += 1;  // flow - capacity <= 0
    put(cap, Sense::le);
    const int take = mode > 0 ? pool.a : pool.b, give = mode > 0 ? pool.b : pool.a;
    balance[static_cast<std::size_t>(give)].a[v] += 1;
    balance[static_cast<std::size_t>(take)].a[v] -= 1;
  }
  for (std::size_t a = 1; a < k; ++a) put(balance[a], Sense::eq);
  // Trust region: within a factor 5/4 of the start.
  std::vector<Rational> lower(k), upper(k);
  for (std::size_t a = 1; a < k; ++a) {
    const Rational r(start[a], start[0]);
    upper[a] = r * 5 / 4;
    lower[a] = r * 4 / 5;
    Form hi = form(), lo = form();
    hi.a[a - 1] = 1;
    hi.constant = -upper[a];
    put(hi, Sense::le);
    lo.a[a - 1] = 1;
    lo.constant = -lower[a];
    put(lo, Sense::ge);
  }
  const std::optional<std::vector<Rational>> x = simplex(std::move(rows), objective.a);
  if (!x) return std::nullopt;
  PriceProgram out;
  out.p.assign(k, Rational(1));
  for (std::size_t a = 1; a < k; ++a) out.p[a] = (*x)[a - 1];
  out.pool_flow.assign(book.pools.size(), Rational(0));
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    if (pattern.pool_mode[q] != 0) out.pool_flow[q] = (*x)[pool_var[q]];
  }
  out.surplus = objective.constant;
  for (std::size_t j = 0; j < vars; ++j) out.surplus += objective.a[j] * (*x)[j];
  // An optimum on the trust region's edge is not bounded by the market but by the
  // region: the surplus, counted in asset 0, grows with the price level of assets that
  // only pools not (or barely) trading tie to asset 0. Such a vector is not used.
  for (std::size_t a = 1; a < k; ++a) {
    if (out.p[a] <= 0 || out.p[a] == lower[a] || out.p[a] == upper[a]) return std::nullopt;
  }
  return out;
}

}  // namespace pactum::matching
