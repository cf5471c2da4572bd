// The MILP (docs/MECHANISMS.md, "Quality", states it in full). Variables: a price p_a per
// asset in its box. Per pair {A, B} with swaps or pools: the breakpoints of P = p_A/p_B
// (swap limits, pool band edges) cut the price axis into regions (each breakpoint, each
// open interval between them); one region is chosen (w one-hot, through incremental
// binaries u), and each region has its own copy q = w*p of (p_A, p_B), inside w times the
// box and inside the region's cone, the copies summing to p. In a region every swap of the
// pair is strictly in the money (fills in full), at the money (any fraction) or out
// (nothing), and every pool may trade in one direction or not, so:
//   partial swap    flow = sum over its in-the-money regions of F(q) (+ a free share of
//                   F(q) at its own breakpoint); surplus = sum of S q_sell - B q_buy
//   fill-or-kill    binary z, split over its allowed regions (z_m <= w_m, sum z_m = z) with
//                   copies r_m = z_m p tied to q_m by McCormick's inequalities
//   pools           g+ <= sum over regions below its band of (y q_B - x/gamma q_A), g- alike
//   conservation    per asset, in value: sold by swaps - bought by swaps = pools' net intake
// where F(q) = S q_sell (side sell) or B q_buy (side buy) is a swap's full value. Every
// product is of a binary (or a share that is integral whenever the binaries are) and a
// bounded price, so the linearisation is exact at integral points.
#include "pactum/solvers/exact_milp.hpp"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "exact_glpk.hpp"

namespace pactum::solvers::exact {

namespace {

// One price region of a pair {A, B} (A before B): P = p_A/p_B in [lower, upper] (an
// interval between consecutive breakpoints, or one breakpoint when lower == upper).
struct Region {
  double lower = 0, upper = 0;
  bool has_lower = false, has_upper = false;
  int w = 0, qA = 0, qB = 0;  // binary "P is here", and the products w*p_A, w*p_B
};

enum class FillKind { full, free, none };

// How a swap selling `sells_a ? A : B` with limit `limit` (in B per A, whichever way it
// trades) fills when P is in `r`: strictly in the money -> full (at the region's edge it
// is at the money, where a full fill is allowed too), at the money -> free, else none.
FillKind fill_in(const Region& r, bool sells_a, double limit) {
  const bool point = r.has_lower && r.has_upper && r.lower == r.upper;
  if (point) {
    if (r.lower == limit) return FillKind::free;
    return (sells_a ? r.lower > limit : r.lower < limit) ? FillKind::full : FillKind::none;
  }
  if (sells_a) return r.has_lower && r.lower >= limit ? FillKind::full : FillKind::none;
  return r.has_upper && r.upper <= limit ? FillKind::full : FillKind::none;
}

// A swap of a pair {A, B} (A < B), its limit as B per A whichever way it trades.
struct SwapInfo {
  const MilpSwap* s;
  std::size_t A, B;
  bool sells_a;
  double limit;
  Terms flow;  // its value flow, filled in by add_swaps
  int z = 0;   // fill-or-kill: its binary
};

// A pool of a pair {A, B}: reserves, gamma, and its band edges as B per A.
struct PoolInfo {
  std::size_t A, B;
  double x, y, gamma, gives_b_below, gives_a_above;
  int gp = 0, gm = 0;  // value taken of A (given of B), and the reverse
};

using Pair = std::pair<std::size_t, std::size_t>;

// The model of one input, built in phases (the order of its columns and rows is the
// order of the phases, which GLPK's search depends on).
class Milp {
 public:
  Milp(const MilpInput& in, Model& m) : in_(in), m_(m), k_(in.lo.size()), net_sold_(k_) {}

  void add_prices();
  void collect_breakpoints();
  void add_regions();
  void add_swaps();
  void add_pools();
  void add_conservation();
  MilpResult solve();

 private:
  void add_pair_regions(const Pair& pair, std::vector<double>& points);
  void add_incremental_encoding(const std::vector<Region>& list);
  Terms partial_flow(const SwapInfo& w, const std::vector<Region>& list);
  Terms fill_or_kill_flow(SwapInfo& w, const std::vector<Region>& list);
  void add_pool(PoolInfo& p);
  MilpResult solve_full(double seconds);
  void read_solution(glp_prob* lp, MilpResult& r) const;
  // Value terms of a price piece (qA, qB): full value F and surplus S p_sell - B p_buy.
  static std::pair<Terms, Terms> piece(const SwapInfo& w, int qA, int qB) {
    const int q_sell = w.sells_a ? qA : qB, q_buy = w.sells_a ? qB : qA;
    Terms full = w.s->side_buy ? Terms{{q_buy, w.s->buy_amount}} : Terms{{q_sell, w.s->sell_amount}};
    Terms surplus{{q_sell, w.s->sell_amount}, {q_buy, -w.s->buy_amount}};
    return std::pair{full, surplus};
  }

  const MilpInput& in_;
  Model& m_;
  const std::size_t k_;
  std::vector<int> price_;
  std::vector<Terms> net_sold_;  // per asset: value swaps sell - value they buy - pools' net intake
  std::vector<SwapInfo> swaps_;
  std::vector<PoolInfo> pools_;
  std::map<Pair, std::vector<double>> breakpoints_;
  std::map<Pair, std::vector<Region>> regions_;
};

void Milp::add_prices() {
  price_.resize(k_);
  for (std::size_t a = 0; a < k_; ++a) price_[a] = m_.column(in_.lo[a], in_.hi[a]);
}

// Breakpoints per pair: swap limits and pool band edges, as B per A.
void Milp::collect_breakpoints() {
  for (const auto& s : in_.swaps) {
    SwapInfo w{&s, std::min(s.sell, s.buy), std::max(s.sell, s.buy), s.sell < s.buy, 0, {}, 0};
    // sells A: in the money iff P > buy/sell; sells B: iff 1/P > buy/sell, i.e. P < sell/buy.
    w.limit = w.sells_a ? s.rate : 1.0 / s.rate;
    breakpoints_[{w.A, w.B}].push_back(w.limit);
    swaps_.push_back(std::move(w));
  }
  for (const auto& pool : in_.pools) {
    PoolInfo p{pool.a, pool.b, pool.x, pool.y, pool.gamma, 0, 0};
    p.gives_b_below = p.gamma * p.y / p.x;    // cap_B = y - P x/gamma >= 0
    p.gives_a_above = p.y / (p.gamma * p.x);  // cap_A = x - y/(gamma P) >= 0
    breakpoints_[{p.A, p.B}].push_back(p.gives_b_below);
    breakpoints_[{p.A, p.B}].push_back(p.gives_a_above);
    pools_.push_back(p);
  }
}

// Regions per pair: one-hot binaries w, with the price pieces q = w*p in w's box and in
// the region's cone; the pieces add up to p (a disjunctive, exact formulation).
void Milp::add_regions() {
  for (auto& [pair, points] : breakpoints_) add_pair_regions(pair, points);
}

void Milp::add_pair_regions(const Pair& pair, std::vector<double>& points) {
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  auto& list = regions_[pair];
  for (std::size_t i = 0; i <= points.size(); ++i) {
    Region interval;
    interval.has_lower = i > 0;
    interval.lower = i > 0 ? points[i - 1] : 0;
    interval.has_upper = i < points.size();
    interval.upper = i < points.size() ? points[i] : 0;
    list.push_back(interval);
    if (i < points.size()) {
      Region point;
      point.has_lower = point.has_upper = true;
      point.lower = point.upper = points[i];
      list.push_back(point);
    }
  }
  const auto [A, B] = pair;
  const auto &lo = in_.lo, &hi = in_.hi;
  // Regions outside the ratios the box allows can never be chosen: left out (exact, and
  // fewer binaries, most of all in a narrow box). The slack keeps a region that touches
  // the range's edge within floating-point error.
  const double least = lo[A] / hi[B] * (1 - 1e-9), most = hi[A] / lo[B] * (1 + 1e-9);
  std::erase_if(list,
                [&](const Region& r) { return (r.has_upper && r.upper < least) || (r.has_lower && r.lower > most); });
  Terms one, sumA{{price_[A], -1}}, sumB{{price_[B], -1}};
  for (auto& r : list) {
    r.w = m_.column(0, 1);  // integral through the u below
    r.qA = m_.column(0, hi[A]);
    r.qB = m_.column(0, hi[B]);
    m_.at_most({{r.qA, 1}, {r.w, -hi[A]}}, 0);
    m_.at_least({{r.qA, 1}, {r.w, -lo[A]}}, 0);
    m_.at_most({{r.qB, 1}, {r.w, -hi[B]}}, 0);
    m_.at_least({{r.qB, 1}, {r.w, -lo[B]}}, 0);
    if (r.has_lower) m_.at_least({{r.qA, 1}, {r.qB, -r.lower}}, 0);
    if (r.has_upper) m_.at_most({{r.qA, 1}, {r.qB, -r.upper}}, 0);
    one.push_back({r.w, 1});
    sumA.push_back({r.qA, 1});
    sumB.push_back({r.qB, 1});
  }
  m_.equal(one, 1);
  m_.equal(sumA, 0);
  m_.equal(sumB, 0);
  add_incremental_encoding(list);
}

// Incremental encoding: binary u_j = "the region's index is at least j", monotone, and
// w_j = u_j - u_{j+1}. Branching on u_j then splits the pair's price range in two (what
// SOS1 branching does), instead of excluding one region at a time.
void Milp::add_incremental_encoding(const std::vector<Region>& list) {
  std::vector<int> u(list.size(), 0);
  for (std::size_t j = 1; j < list.size(); ++j) {
    u[j] = m_.column(0, 1, true);
    if (j > 1) m_.at_least({{u[j - 1], 1}, {u[j], -1}}, 0);
  }
  for (std::size_t j = 0; j < list.size(); ++j) {
    Terms t{{list[j].w, 1}};
    if (j == 0) {
      if (list.size() > 1) t.push_back({u[1], 1});
      m_.equal(t, 1);
      continue;
    }
    t.push_back({u[j], -1});
    if (j + 1 < list.size()) t.push_back({u[j + 1], 1});
    m_.equal(t, 0);
  }
}

void Milp::add_swaps() {
  for (auto& w : swaps_) {
    const auto& list = regions_[{w.A, w.B}];
    w.flow = w.s->partial ? partial_flow(w, list) : fill_or_kill_flow(w, list);
    for (auto [j, c] : w.flow) {
      net_sold_[w.s->sell].push_back({j, c});
      net_sold_[w.s->buy].push_back({j, -c});
    }
  }
}

// A partial swap: its full value in every region where it is in the money, any share of
// it at its own breakpoint.
Terms Milp::partial_flow(const SwapInfo& w, const std::vector<Region>& list) {
  Terms flow;
  for (const auto& r : list) {
    const FillKind f = fill_in(r, w.sells_a, w.limit);
    auto [full, surplus] = piece(w, r.qA, r.qB);
    if (f == FillKind::full) {
      flow.insert(flow.end(), full.begin(), full.end());
      m_.add_objective(surplus);
    } else if (f == FillKind::free) {  // at the money: any fraction, no surplus
      const int phi = m_.column(0, w.s->sell_amount * in_.hi[w.s->sell] + w.s->buy_amount * in_.hi[w.s->buy]);
      Terms cap{{phi, 1}};
      for (auto [j, c] : full) cap.push_back({j, -c});
      m_.at_most(cap, 0);
      flow.push_back({phi, 1});
    }
  }
  return flow;
}

// Fill-or-kill: a free choice wherever it is at or in the money. Binary z; per allowed
// region m a share z_m <= w_m (sum z_m = z, so z_m is integral whenever z and w are) and
// the price piece r_m = z_m * p, tied to the region's piece q_m by McCormick's
// inequalities with w_m in place of 1 and inside the region's cone.
Terms Milp::fill_or_kill_flow(SwapInfo& w, const std::vector<Region>& list) {
  Terms flow;
  w.z = m_.column(0, 1, true);
  Terms shares{{w.z, -1}};
  const auto &lo = in_.lo, &hi = in_.hi;
  for (const auto& r : list) {
    if (fill_in(r, w.sells_a, w.limit) == FillKind::none) continue;
    const int zm = m_.column(0, 1);
    shares.push_back({zm, 1});
    m_.at_most({{zm, 1}, {r.w, -1}}, 0);
    auto copy = [&](int q, std::size_t a) {
      const int rc = m_.column(0, hi[a]);
      m_.at_most({{rc, 1}, {zm, -hi[a]}}, 0);
      m_.at_least({{rc, 1}, {zm, -lo[a]}}, 0);
      m_.at_most({{rc, 1}, {q, -1}, {r.w, lo[a]}, {zm, -lo[a]}}, 0);
      m_.at_least({{rc, 1}, {q, -1}, {r.w, hi[a]}, {zm, -hi[a]}}, 0);
      return rc;
    };
    const int rA = copy(r.qA, w.A), rB = copy(r.qB, w.B);
    if (r.has_lower) m_.at_least({{rA, 1}, {rB, -r.lower}}, 0);
    if (r.has_upper) m_.at_most({{rA, 1}, {rB, -r.upper}}, 0);
    auto [full, surplus] = piece(w, rA, rB);
    flow.insert(flow.end(), full.begin(), full.end());
    m_.add_objective(surplus);
  }
  m_.equal(shares, 0);
  return flow;
}

void Milp::add_pools() {
  for (auto& p : pools_) add_pool(p);
}

void Milp::add_pool(PoolInfo& p) {
  const auto& list = regions_[{p.A, p.B}];
  // g+: the pool takes value g+ of A and gives g+ of B (only where P <= gives_b_below);
  // g-: the reverse (only where P >= gives_a_above). Caps are linear in the pieces.
  const int gp = m_.column(0, p.y * in_.hi[p.B]), gm = m_.column(0, p.x * in_.hi[p.A]);
  p.gp = gp, p.gm = gm;
  // short_plus/minus: the flow minus the capacity less the room (pools_clear: >= 0).
  Terms cap_plus{{gp, 1}}, cap_minus{{gm, 1}}, short_plus{{gp, 1}}, short_minus{{gm, 1}};
  const double share = in_.pool_room_share, units = in_.pool_room_units;
  for (const auto& r : list) {
    if (r.has_upper && r.upper <= p.gives_b_below) {
      cap_plus.push_back({r.qB, -p.y});
      cap_plus.push_back({r.qA, p.x / p.gamma});
      short_plus.push_back({r.qB, -p.y + share * p.y + units});
      short_plus.push_back({r.qA, p.x / p.gamma + share * p.x + units});
    }
    if (r.has_lower && r.lower >= p.gives_a_above) {
      cap_minus.push_back({r.qA, -p.x});
      cap_minus.push_back({r.qB, p.y / p.gamma});
      short_minus.push_back({r.qA, -p.x + share * p.x + units});
      short_minus.push_back({r.qB, p.y / p.gamma + share * p.y + units});
    }
  }
  m_.at_most(cap_plus, 0);
  m_.at_most(cap_minus, 0);
  if (in_.pools_clear) {
    m_.at_least(short_plus, 0);
    m_.at_least(short_minus, 0);
  }
  if (in_.idle_pools_in_band) {
    // Binary "trades": it carries at least kMinPoolFlow, else the pair's price is in a
    // region inside the band (or on its edges), where its capacity, so its flow, is 0.
    const int trades = m_.column(0, 1, true);
    m_.at_least({{gp, 1}, {gm, 1}, {trades, -kMinPoolFlow}}, 0);
    Terms outside{{trades, -1}};
    for (const auto& r : list) {
      const bool point = r.has_lower && r.has_upper && r.lower == r.upper;
      if (point) continue;
      if ((r.has_upper && r.upper <= p.gives_b_below) || (r.has_lower && r.lower >= p.gives_a_above))
        outside.push_back({r.w, 1});
    }
    m_.at_most(outside, 0);
  }
  net_sold_[p.A].push_back({gp, -1});
  net_sold_[p.A].push_back({gm, 1});
  net_sold_[p.B].push_back({gm, -1});
  net_sold_[p.B].push_back({gp, 1});
}

void Milp::add_conservation() {
  for (std::size_t a = 0; a < k_; ++a)
    if (!net_sold_[a].empty()) m_.equal(net_sold_[a], 0);
}

MilpResult Milp::solve() {
  const auto start = std::chrono::steady_clock::now();
  MilpResult fallback;
  std::vector<int> fok;
  for (const auto& w : swaps_)
    if (!w.s->partial) fok.push_back(w.z);
  if (in_.fallback_share > 0 && !fok.empty()) {
    Model restricted(Model::CopyOf{m_});
    for (int z : fok) glp_set_col_bnds(restricted.lp(), z, GLP_FX, 0, 0);
    const Outcome out = run_intopt(restricted, in_.time_limit_seconds * in_.fallback_share, in_.mip_gap);
    if (out.solver_error) {  // GLPK's environment is gone, with the full model in it
      m_.abandon();
      fallback.solver_error = true;
      return fallback;
    }
    if (out.feasible) {
      fallback.feasible = fallback.from_fallback = true;
      fallback.objective = fallback.bound = out.objective;
      read_solution(restricted.lp(), fallback);
    }
  }
  const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MilpResult r = solve_full(std::max(0.001, in_.time_limit_seconds - spent));
  if (fallback.feasible && !r.solver_error && (!r.feasible || fallback.objective > r.objective)) {
    fallback.bound = std::max(r.feasible ? r.bound : fallback.objective, fallback.objective);
    fallback.binaries = r.binaries, fallback.rows = r.rows, fallback.columns = r.columns;
    return fallback;
  }
  return r;
}

MilpResult Milp::solve_full(double seconds) {
  MilpResult r;
  r.binaries = m_.binaries;
  r.rows = glp_get_num_rows(m_.lp());
  r.columns = glp_get_num_cols(m_.lp());
  const Outcome out = run_intopt(m_, seconds, in_.mip_gap);
  r.solver_error = out.solver_error;
  r.feasible = out.feasible;
  r.optimal = out.optimal;
  r.infeasible = out.infeasible;
  if (r.feasible) {
    r.objective = out.objective;
    r.bound = out.bound;
    read_solution(m_.lp(), r);
  }
  return r;
}

void Milp::read_solution(glp_prob* lp, MilpResult& r) const {
  for (std::size_t a = 0; a < k_; ++a) {
    const double p = glp_mip_col_val(lp, price_[a]);
    r.prices.push_back(p);
    const bool free = in_.lo[a] < in_.hi[a];
    if (free && (p <= in_.lo[a] * (1 + 1e-9) || p >= in_.hi[a] * (1 - 1e-9))) ++r.prices_at_bounds;
  }
  for (const auto& w : swaps_) {
    double v = 0;
    for (auto [j, c] : w.flow) v += c * glp_mip_col_val(lp, j);
    r.swap_value.push_back(v);
    r.chosen.push_back(w.s->partial ? v > 0 : glp_mip_col_val(lp, w.z) > 0.5);
  }
  for (const auto& p : pools_) r.pool_flow.push_back(glp_mip_col_val(lp, p.gp) - glp_mip_col_val(lp, p.gm));
}

}  // namespace

MilpResult solve_milp(const MilpInput& input) {
  const auto start = std::chrono::steady_clock::now();
  MilpResult r;
  {
    const GlpkEnvironment environment;  // this thread's GLPK, freed when the model is gone
    Model m;
    Milp milp(input, m);
    milp.add_prices();
    milp.collect_breakpoints();
    milp.add_regions();
    milp.add_swaps();
    milp.add_pools();
    milp.add_conservation();
    r = milp.solve();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace pactum::solvers::exact
