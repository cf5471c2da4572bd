#include "price_lp.hpp"
#include "revision.hpp"

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

// The simplex tableau of `rows` (every b >= 0) over n variables x >= 0. Columns: x (n),
// one slack/surplus per inequality, one artificial per ge/eq row, then the right-hand
// side. Exact and fraction-free: each row is scaled to integers once, and the tableau is
// kept as integers T = D * (the rational tableau), D = +-det(basis) > 0, so a pivot is
// T'[i][j] = (T[i][j] p - T[i][c] T[r][j]) / D, an exact division (Edmonds'
// integer-preserving elimination), with no gcd. The pivots are those of the rational
// simplex, so is the solution.
class Tableau {
 public:
  Tableau(const std::vector<Row>& rows, std::size_t n) : n_(n), m_(rows.size()) {
    std::size_t slack_count = 0;
    for (const Row& r : rows) {
      if (r.sense != Sense::eq) ++slack_count;
      if (r.sense != Sense::le) ++art_count_;
    }
    width_ = n + slack_count + art_count_;
    first_art_ = n + slack_count;
    t_.assign(m_, std::vector<BigInt>(width_ + 1, BigInt(0)));
    basis_.resize(m_);
    basic_.assign(width_, 0);
    std::size_t s = n, art = first_art_;
    for (std::size_t i = 0; i < m_; ++i) {
      const BigInt scale = lcm_of_dens(rows[i].a, &rows[i].b);
      for (std::size_t j = 0; j < n; ++j) {
        if (rows[i].a[j] != 0) t_[i][j] = num(rows[i].a[j]) * (scale / den(rows[i].a[j]));
      }
      t_[i][width_] = num(rows[i].b) * (scale / den(rows[i].b));
      if (rows[i].sense == Sense::le) {
        t_[i][s] = 1;
        basis_[i] = s++;
      } else if (rows[i].sense == Sense::ge) {
        t_[i][s++] = -1;
        t_[i][art] = 1;
        basis_[i] = art++;
      } else {
        t_[i][art] = 1;
        basis_[i] = art++;
      }
      basic_[basis_[i]] = 1;
    }
  }

  // Phase one: a feasible basis without artificials (where a real column allows).
  // False when infeasible or on the pivot bound.
  bool phase_one() {
    if (art_count_ == 0) return true;
    std::vector<BigInt> phase1(width_, BigInt(0));
    for (std::size_t j = first_art_; j < width_; ++j) phase1[j] = -1;
    if (!run(phase1, width_)) return false;
    for (std::size_t i = 0; i < m_; ++i) {
      if (basis_[i] >= first_art_ && t_[i][width_] != 0) return false;  // infeasible
    }
    // Artificials still basic (at zero): pivot them out where a real column allows.
    for (std::size_t i = 0; i < m_; ++i) {
      if (basis_[i] < first_art_) continue;
      for (std::size_t j = 0; j < first_art_; ++j) {
        if (t_[i][j] != 0) {
          pivot(i, j);
          break;
        }
      }
    }
    return true;
  }

  // Phase two: maximise c x. False when unbounded or on the pivot bound.
  bool maximise(const std::vector<Rational>& c) {
    std::vector<BigInt> obj(width_, BigInt(0));
    const BigInt scale = lcm_of_dens(c, nullptr);
    for (std::size_t j = 0; j < n_; ++j) {
      if (c[j] != 0) obj[j] = num(c[j]) * (scale / den(c[j]));
    }
    return run(obj, first_art_);
  }

  std::vector<Rational> solution() const {
    std::vector<Rational> x(n_, Rational(0));
    for (std::size_t i = 0; i < m_; ++i) {
      if (basis_[i] < n_) x[basis_[i]] = Rational(t_[i][width_], d_);
    }
    return x;
  }

 private:
  void pivot(std::size_t r, std::size_t col) {
    if (t_[r][col] < 0) {
      for (BigInt& v : t_[r]) v = -v;
    }
    const BigInt p = t_[r][col];
    for (std::size_t i = 0; i < m_; ++i) {
      if (i == r) continue;
      const BigInt f = t_[i][col];
      std::vector<BigInt>& row = t_[i];
      const std::vector<BigInt>& prow = t_[r];
      if (f == 0) {
        if (p == d_) continue;
        for (std::size_t j = 0; j <= width_; ++j) {
          if (row[j] != 0) row[j] = row[j] * p / d_;
        }
        continue;
      }
      for (std::size_t j = 0; j <= width_; ++j) {
        if (prow[j] == 0) {
          if (row[j] != 0) row[j] = row[j] * p / d_;
        } else {
          row[j] = (row[j] * p - f * prow[j]) / d_;
        }
      }
    }
    d_ = p;
    basic_[basis_[r]] = 0;
    basis_[r] = col;
    basic_[col] = 1;
  }

  // Runs the simplex for the integer objective `obj` over the columns below `limit`;
  // false on the pivot bound or when unbounded. Bland's rule: the smallest improving
  // column enters; ties in the ratio test leave by smallest basic variable index.
  bool run(const std::vector<BigInt>& obj, std::size_t limit) {
    for (;;) {
      // Reduced costs times d: obj_j d - sum over rows of obj_basis t[i][j].
      std::size_t enter = width_;
      for (std::size_t j = 0; j < limit && enter == width_; ++j) {
        if (basic_[j]) continue;
        BigInt red = obj[j] * d_;
        for (std::size_t i = 0; i < m_; ++i) {
          if (obj[basis_[i]] != 0 && t_[i][j] != 0) red -= obj[basis_[i]] * t_[i][j];
        }
        if (red > 0) enter = j;
      }
      if (enter == width_) return true;
      std::size_t leave = m_;
      for (std::size_t i = 0; i < m_; ++i) {
        if (t_[i][enter] <= 0) continue;
        if (leave == m_) {
          leave = i;
          continue;
        }
        // t[i][w] / t[i][e] against t[leave][w] / t[leave][e], denominators positive.
        const BigInt lhs = t_[i][width_] * t_[leave][enter], rhs = t_[leave][width_] * t_[i][enter];
        if (lhs < rhs || (lhs == rhs && basis_[i] < basis_[leave])) leave = i;
      }
      if (leave == m_) return false;  // unbounded
      if (++pivots_ > kMaxPivots) return false;
      pivot(leave, enter);
    }
  }

  std::size_t n_, m_;
  std::size_t art_count_ = 0, width_ = 0, first_art_ = 0;
  std::vector<std::vector<BigInt>> t_;
  std::vector<std::size_t> basis_;
  std::vector<char> basic_;
  BigInt d_ = 1;    // the common denominator, > 0
  int pivots_ = 0;  // over both phases
};

// maximise c x subject to rows, x >= 0: a dense tableau, two phases, Bland's rule.
std::optional<std::vector<Rational>> simplex(std::vector<Row> rows, const std::vector<Rational>& c) {
  for (Row& r : rows) {
    if (r.b < 0) {
      for (Rational& v : r.a) v = -v;
      r.b = -r.b;
      r.sense = r.sense == Sense::le ? Sense::ge : (r.sense == Sense::ge ? Sense::le : Sense::eq);
    }
  }
  Tableau tableau(rows, c.size());
  if (!tableau.phase_one() || !tableau.maximise(c)) return std::nullopt;
  return tableau.solution();
}

// A linear form over p: coefficients per variable (asset 0's price is the constant 1,
// so its coefficient goes to `constant`).
struct Form {
  std::vector<Rational> a;
  Rational constant;
};

// The program of one pattern, row by row. Variables: p[1..k) (p[0] = 1 is a constant),
// then one flow per trading pool, then one value per marginal order.
struct Program {
  std::size_t vars = 0;
  std::vector<std::size_t> pool_var, order_var;
  std::vector<Row> rows;
  std::vector<Form> balance;           // value supplied - value demanded, per asset
  Form objective;                      // the traders' surplus
  std::vector<Rational> lower, upper;  // per asset: the trust region

  Program(const Book& book, const FillPattern& pattern)
      : pool_var(book.pools.size(), 0), order_var(book.orders.size(), 0) {
    const std::size_t k = static_cast<std::size_t>(book.assets);
    vars = k - 1;
    for (std::size_t q = 0; q < book.pools.size(); ++q) {
      if (pattern.pool_mode[q] != 0) pool_var[q] = vars++;
    }
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (pattern.fill[i] == 2) order_var[i] = vars++;
    }
    balance.assign(k, form());
    objective = form();
  }
  Form form() const { return Form{std::vector<Rational>(vars, Rational(0)), Rational(0)}; }
  static void add_price(Form& f, int asset, const Rational& coef) {
    if (asset == 0)
      f.constant += coef;
    else
      f.a[static_cast<std::size_t>(asset) - 1] += coef;
  }
  // form (sense) 0  ->  a x (sense) -constant
  void put(Form f, Sense sense) { rows.push_back(Row{std::move(f.a), sense, Rational(-f.constant)}); }
};

// Orders: a full fill at or in the money (its surplus counted, its value balanced), a
// marginal one exactly at its limit with its value a variable within its size, a partial
// order left out at or out of the money.
void add_orders(const Book& book, const FillPattern& pattern, Program& prog) {
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorOrder& o = book.orders[i];
    const Rational S(BigInt(o.sell_amount)), B(BigInt(o.buy_amount));
    Form margin = prog.form();  // S p_sell - B p_buy: >= 0 in the money
    Program::add_price(margin, o.sell, S);
    Program::add_price(margin, o.buy, -B);
    const char fill = pattern.fill[i];
    if (fill == 1) {
      prog.put(margin, Sense::ge);
      for (std::size_t j = 0; j < prog.vars; ++j) prog.objective.a[j] += margin.a[j];
      prog.objective.constant += margin.constant;
      const int asset = o.side == SwapSide::sell ? o.sell : o.buy;
      const Rational& amount = o.side == SwapSide::sell ? S : B;
      Program::add_price(prog.balance[static_cast<std::size_t>(o.sell)], asset, amount);
      Program::add_price(prog.balance[static_cast<std::size_t>(o.buy)], asset, -amount);
    } else if (fill == 2) {
      prog.put(margin, Sense::eq);
      const std::size_t v = prog.order_var[i];
      prog.balance[static_cast<std::size_t>(o.sell)].a[v] += 1;
      prog.balance[static_cast<std::size_t>(o.buy)].a[v] -= 1;
      Form cap = prog.form();  // value <= full value
      cap.a[v] = 1;
      const int asset = o.side == SwapSide::sell ? o.sell : o.buy;
      Program::add_price(cap, asset, o.side == SwapSide::sell ? Rational(-S) : Rational(-B));
      prog.put(cap, Sense::le);
    } else if (o.partial) {
      prog.put(margin, Sense::le);  // a partial order left out is not strictly in the money
    }
  }
}

// Pools: one that does not trade keeps the prices inside its band; one that trades
// carries its whole capacity in its direction, balanced in its two assets (a pool left
// below capacity outside its band is rationed in the money: the producer ranks such a
// clearing below every market-clearing one).
void add_pools(const Book& book, const FillPattern& pattern, Program& prog) {
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    const VectorPool& pool = book.pools[q];
    const Rational keep(10000 - pool.pool.fee_bps);
    const Rational x{BigInt(pool.pool.reserve_a)}, y{BigInt(pool.pool.reserve_b)};
    // Capacity taking a, giving b: p_b y - p_a x 10^4/keep; and the reverse.
    Form plus = prog.form(), minus = prog.form();
    Program::add_price(plus, pool.b, y);
    Program::add_price(plus, pool.a, -x * 10000 / keep);
    Program::add_price(minus, pool.a, x);
    Program::add_price(minus, pool.b, -y * 10000 / keep);
    const int mode = pattern.pool_mode[q];
    if (mode == 0) {
      prog.put(plus, Sense::le);
      prog.put(minus, Sense::le);
      continue;
    }
    const std::size_t v = prog.pool_var[q];
    Form& cap = mode > 0 ? plus : minus;
    for (Rational& c : cap.a) c = -c;
    cap.constant = -cap.constant;
    cap.a[v] += 1;  // flow - capacity = 0: market clearing for pools (checker rule pool_in_the_money)
    prog.put(cap, pools_clear() ? Sense::eq : Sense::le);  // revision.hpp
    const int take = mode > 0 ? pool.a : pool.b, give = mode > 0 ? pool.b : pool.a;
    prog.balance[static_cast<std::size_t>(give)].a[v] += 1;
    prog.balance[static_cast<std::size_t>(take)].a[v] -= 1;
  }
}

// Every price within a factor 5/4 of the start.
void add_trust_region(const std::vector<BigInt>& start, Program& prog) {
  const std::size_t k = prog.balance.size();
  prog.lower.assign(k, Rational(0));
  prog.upper.assign(k, Rational(0));
  for (std::size_t a = 1; a < k; ++a) {
    const Rational r(start[a], start[0]);
    prog.upper[a] = r * 5 / 4;
    prog.lower[a] = r * 4 / 5;
    Form hi = prog.form(), lo = prog.form();
    hi.a[a - 1] = 1;
    hi.constant = -prog.upper[a];
    prog.put(hi, Sense::le);
    lo.a[a - 1] = 1;
    lo.constant = -prog.lower[a];
    prog.put(lo, Sense::ge);
  }
}

// The prices, pool flows and surplus of the program's solution x. An optimum on the
// trust region's edge is not bounded by the market but by the region: the surplus,
// counted in asset 0, grows with the price level of assets that only pools not (or
// barely) trading tie to asset 0. Such a vector is not used (nullopt).
std::optional<PriceProgram> read_solution(const Book& book, const FillPattern& pattern, const Program& prog,
                                          const std::vector<Rational>& x) {
  const std::size_t k = static_cast<std::size_t>(book.assets);
  PriceProgram out;
  out.p.assign(k, Rational(1));
  for (std::size_t a = 1; a < k; ++a) out.p[a] = x[a - 1];
  out.pool_flow.assign(book.pools.size(), Rational(0));
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    if (pattern.pool_mode[q] != 0) out.pool_flow[q] = x[prog.pool_var[q]];
  }
  out.surplus = prog.objective.constant;
  for (std::size_t j = 0; j < prog.vars; ++j) out.surplus += prog.objective.a[j] * x[j];
  for (std::size_t a = 1; a < k; ++a) {
    if (out.p[a] <= 0 || out.p[a] == prog.lower[a] || out.p[a] == prog.upper[a]) return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<PriceProgram> best_prices(const Book& book, const FillPattern& pattern,
                                        const std::vector<BigInt>& start) {
  const std::size_t k = static_cast<std::size_t>(book.assets);
  if (k < 2) return std::nullopt;
  Program prog(book, pattern);
  add_orders(book, pattern, prog);
  add_pools(book, pattern, prog);
  for (std::size_t a = 1; a < k; ++a) prog.put(prog.balance[a], Sense::eq);
  add_trust_region(start, prog);
  const std::optional<std::vector<Rational>> x = simplex(std::move(prog.rows), prog.objective.a);
  if (!x) return std::nullopt;
  return read_solution(book, pattern, prog, *x);
}

}  // namespace pactum::matching
