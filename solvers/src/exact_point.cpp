// The exact point of the MILP's answer (exact_point.hpp).
#include "exact_point.hpp"

#include <cmath>
#include <map>

namespace pactum::solvers::exact {

namespace {

struct Row {
  std::map<std::size_t, Rational> coef;
  Rational rhs = 0;
  void add(std::size_t j, const Rational& c) {
    if (c == 0) return;
    auto& v = coef[j];
    v += c;
    if (v == 0) coef.erase(j);
  }
};

// Reduced row echelon form, built one equation at a time; pivots on the highest variable
// of each new row (the flows come after the prices, so flows are solved from prices).
class Echelon {
 public:
  explicit Echelon(std::size_t n) : pivot_row_(n, -1) {}

  // False (and nothing changes) when the row contradicts the rows already in.
  bool add(Row r) {
    std::vector<std::pair<std::size_t, Rational>> hits;
    for (const auto& [j, c] : r.coef)
      if (pivot_row_[j] >= 0) hits.push_back({j, c});
    for (const auto& [j, c] : hits) subtract(r, rows_[pivot_row_[j]], c);
    if (r.coef.empty()) return r.rhs == 0;
    const std::size_t p = r.coef.rbegin()->first;
    const Rational lead = r.coef.rbegin()->second;
    for (auto& [j, c] : r.coef) c /= lead;
    r.rhs /= lead;
    for (auto& other : rows_) {
      auto it = other.coef.find(p);
      if (it != other.coef.end()) subtract(other, r, Rational(it->second));
    }
    pivot_row_[p] = static_cast<long>(rows_.size());
    rows_.push_back(std::move(r));
    return true;
  }

  std::vector<Rational> solve(std::vector<Rational> x) const {
    for (std::size_t j = 0; j < x.size(); ++j) {
      if (pivot_row_[j] < 0) continue;
      const Row& r = rows_[pivot_row_[j]];
      Rational v = r.rhs;
      for (const auto& [i, c] : r.coef)
        if (i != j) v -= c * x[i];
      x[j] = v;
    }
    return x;
  }

 private:
  static void subtract(Row& r, const Row& by, const Rational& times) {
    for (const auto& [j, c] : by.coef) r.add(j, -times * c);
    r.rhs -= times * by.rhs;
  }
  std::vector<long> pivot_row_;
  std::vector<Row> rows_;
};

bool near(double x, double target) { return std::fabs(x - target) <= 1e-6 * (1 + std::fabs(target)); }

// The equations of one answer, in the order they are added.
class Equations {
 public:
  Equations(const Problem& pb, const MilpResult& r)
      : pb_(pb), r_(r), k_(pb.assets.size()), n_(pb.swaps.size()), system_(k_ + n_ + pb.pools.size()) {}

  std::vector<Rational> solve() {
    add_numeraires_and_conservation();
    add_swap_statuses();
    add_idle_pools();
    add_breakpoints();
    add_pool_caps();
    std::vector<Rational> fallback;
    for (double p : r_.prices) fallback.push_back(approximate(p));
    for (double v : r_.swap_value) fallback.push_back(approximate(v));
    for (double g : r_.pool_flow) fallback.push_back(approximate(g));
    return system_.solve(std::move(fallback));
  }

 private:
  std::size_t swap_var(std::size_t i) const { return k_ + i; }
  std::size_t pool_var(std::size_t j) const { return k_ + n_ + j; }
  Rational amount(const Amount& v, std::size_t asset) const { return Rational(BigInt(v), pb_.scale[asset]); }
  // The swap's full value: S p_sell (side sell) or B p_buy (side buy), as (variable, coefficient).
  std::pair<std::size_t, Rational> full_value(const ProblemSwap& w) const {
    if (w.s->side == SwapSide::buy) return {w.buy, amount(w.s->buy_amount, w.buy)};
    return {w.sell, amount(w.s->sell_amount, w.sell)};
  }
  double full_value_float(const ProblemSwap& w) const {
    auto [a, c] = full_value(w);
    return to_double(c) * r_.prices[a];
  }
  static Rational gamma(const ProblemPool& p) { return milp_gamma(*p.p); }

  void add_numeraires_and_conservation();
  void add_swap_statuses();
  void add_idle_pools();
  void add_breakpoints();
  void add_pool_caps();
  void snap(std::size_t A, std::size_t B, const std::vector<Rational>& points);

  const Problem& pb_;
  const MilpResult& r_;
  const std::size_t k_, n_;
  Echelon system_;
};

void Equations::add_numeraires_and_conservation() {
  for (std::size_t a = 0; a < k_; ++a) {
    if (pb_.root[a] != a) continue;
    Row r;
    r.add(a, 1);
    r.rhs = 1;
    system_.add(std::move(r));
  }
  std::vector<Row> net(k_);  // per asset: value sold by swaps - bought by swaps - pools' intake
  for (std::size_t i = 0; i < n_; ++i) {
    net[pb_.swaps[i].sell].add(swap_var(i), 1);
    net[pb_.swaps[i].buy].add(swap_var(i), -1);
  }
  for (std::size_t j = 0; j < pb_.pools.size(); ++j) {
    net[pb_.pools[j].a].add(pool_var(j), -1);
    net[pb_.pools[j].b].add(pool_var(j), 1);
  }
  for (auto& r : net)
    if (!r.coef.empty()) system_.add(std::move(r));
}

// Statuses: a swap the MILP fills in full moves its full value, one it leaves out none
// (a partial swap strictly between the two, at its limit, gets no equation of its own).
void Equations::add_swap_statuses() {
  for (std::size_t i = 0; i < n_; ++i) {
    const ProblemSwap& w = pb_.swaps[i];
    const double v = r_.swap_value[i];
    const bool fills = w.s->partial ? near(v, full_value_float(w)) : r_.chosen[i];
    if (w.s->partial && !fills && !near(v, 0)) continue;
    Row r;
    r.add(swap_var(i), 1);
    if (fills) {
      auto [a, c] = full_value(w);
      r.add(a, -c);
    }
    system_.add(std::move(r));
  }
}

void Equations::add_idle_pools() {
  for (std::size_t j = 0; j < pb_.pools.size(); ++j) {
    if (!near(r_.pool_flow[j], 0)) continue;
    Row r;
    r.add(pool_var(j), 1);
    system_.add(std::move(r));
  }
}

// Per pair, a price within tolerance of a breakpoint is put on it.
void Equations::add_breakpoints() {
  std::map<std::pair<std::size_t, std::size_t>, std::vector<Rational>> points;
  for (const auto& w : pb_.swaps) {
    const Rational S = amount(w.s->sell_amount, w.sell), B = amount(w.s->buy_amount, w.buy);
    if (w.sell < w.buy)
      points[{w.sell, w.buy}].push_back(B / S);  // P = p_sell/p_buy >= B/S
    else
      points[{w.buy, w.sell}].push_back(S / B);  // P = p_buy/p_sell <= S/B
  }
  for (std::size_t j = 0; j < pb_.pools.size(); ++j) {
    // A pool that trades is not put on its band edge, where its capacity is 0: a price
    // 1e-6 off the edge is capacity of 1e-6 of its reserves.
    const ProblemPool& p = pb_.pools[j];
    if (!near(r_.pool_flow[j], 0)) continue;
    const Rational x = amount(p.p->reserve_a, p.a), y = amount(p.p->reserve_b, p.b);
    points[{p.a, p.b}].push_back(gamma(p) * y / x);
    points[{p.a, p.b}].push_back(y / (gamma(p) * x));
  }
  for (const auto& [pair, list] : points) snap(pair.first, pair.second, list);
}

void Equations::snap(std::size_t A, std::size_t B, const std::vector<Rational>& points) {
  const double P = r_.prices[A] / r_.prices[B];
  const Rational* best = nullptr;
  double best_gap = 1e-6;
  for (const auto& bp : points) {
    const double gap = std::fabs(std::log(P / to_double(bp)));
    if (gap <= best_gap) best_gap = gap, best = &bp;
  }
  if (!best) return;
  Row r;  // p_A - bp p_B = 0
  r.add(A, 1);
  r.add(B, -*best);
  system_.add(std::move(r));
}

// A pool at its capacity (as the MILP sees it): g = y' p_B - x'/gamma p_A, or -g = x' p_A - y'/gamma p_B.
void Equations::add_pool_caps() {
  for (std::size_t j = 0; j < pb_.pools.size(); ++j) {
    const ProblemPool& p = pb_.pools[j];
    const double g = r_.pool_flow[j];
    if (near(g, 0)) continue;
    const Rational x = amount(p.p->reserve_a, p.a), y = amount(p.p->reserve_b, p.b), gm = gamma(p);
    const double pa = r_.prices[p.a], pb = r_.prices[p.b];
    Row r;
    if (g > 0 && near(g, to_double(y) * pb - to_double(x / gm) * pa)) {
      r.add(pool_var(j), 1);
      r.add(p.b, -y);
      r.add(p.a, x / gm);
    } else if (g < 0 && near(-g, to_double(x) * pa - to_double(y / gm) * pb)) {
      r.add(pool_var(j), -1);
      r.add(p.a, -x);
      r.add(p.b, y / gm);
    } else {
      continue;
    }
    system_.add(std::move(r));
  }
}

}  // namespace

Rational approximate(double x, std::int64_t max_den) {
  if (!std::isfinite(x) || x == 0) return Rational(0);
  const bool negative = x < 0;
  double rest = std::fabs(x);
  BigInt h0 = 0, h1 = 1, k0 = 1, k1 = 0;  // convergents h/k
  for (int step = 0; step < 64; ++step) {
    const double whole = std::floor(rest);
    const BigInt a(static_cast<long long>(std::min(whole, 9e15)));
    const BigInt h2 = a * h1 + h0, k2 = a * k1 + k0;
    if (k2 > max_den) break;
    h0 = h1, h1 = h2, k0 = k1, k1 = k2;
    const double frac = rest - whole;
    if (frac < 1e-15) break;
    rest = 1 / frac;
  }
  if (k1 == 0) return Rational(0);
  const Rational v(h1, k1);
  return negative ? Rational(-v) : v;
}

std::optional<ExactPoint> exact_point(const Problem& pb, const MilpResult& r) {
  const std::vector<Rational> x = Equations(pb, r).solve();
  const std::size_t k = pb.assets.size(), n = pb.swaps.size();
  ExactPoint out;
  out.price.assign(x.begin(), x.begin() + static_cast<long>(k));
  out.swap_value.assign(x.begin() + static_cast<long>(k), x.begin() + static_cast<long>(k + n));
  out.pool_flow.assign(x.begin() + static_cast<long>(k + n), x.end());
  out.chosen = r.chosen;
  for (const auto& p : out.price)
    if (p <= 0) return std::nullopt;
  return out;
}

}  // namespace pactum::solvers::exact
