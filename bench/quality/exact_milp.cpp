// The MILP (docs/MECHANISMS.md, "Quality", states it in full). Variables: a price p_a per
// asset (p_0 = 1, p_a in [r_a/kPriceBox, kPriceBox r_a]). Per pair {A, B} with swaps or
// pools: the breakpoints of P = p_A/p_B (swap limits, pool band edges) cut the price axis
// into regions (each breakpoint, each open interval between them); one region is chosen
// (w one-hot, through incremental binaries u), and each region has its own copy q = w*p of
// (p_A, p_B), inside w times the box and inside the region's cone, the copies summing to p.
// In a region every swap of the pair is strictly in the money (fills in full), at the money
// (any fraction) or out (nothing), and every pool may trade in one direction or not, so:
//   partial swap    flow = sum over its in-the-money regions of F(q) (+ a free share of
//                   F(q) at its own breakpoint); surplus = sum of S q_sell - B q_buy
//   fill-or-kill    binary z, split over its allowed regions (z_m <= w_m, sum z_m = z) with
//                   copies r_m = z_m p tied to q_m by McCormick's inequalities
//   pools           g+ <= sum over regions below its band of (y q_B - x/gamma q_A), g- alike
//   conservation    per asset, in value: sold by swaps - bought by swaps = pools' net intake
// where F(q) = S q_sell (side sell) or B q_buy (side buy) is a swap's full value. Every
// product is of a binary (or a share that is integral whenever the binaries are) and a
// bounded price, so the linearisation is exact at integral points.
#include "exact_milp.hpp"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <csetjmp>
#include <map>
#include <utility>

namespace pactum::quality {

namespace {

using Terms = std::vector<std::pair<int, double>>;

class Model {
 public:
  Model() : lp_(glp_create_prob()) { glp_set_obj_dir(lp_, GLP_MAX); }
  ~Model() {
    if (lp_ != nullptr) glp_delete_prob(lp_);
  }
  // After glp_free_env every GLPK object is gone: the problem must not be deleted again.
  void abandon() { lp_ = nullptr; }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  glp_prob* lp() { return lp_; }

  int column(double lo, double hi, bool binary = false, double objective = 0) {
    const int j = glp_add_cols(lp_, 1);
    if (binary) {
      glp_set_col_kind(lp_, j, GLP_BV);
      ++binaries;
    } else if (lo == hi) {
      glp_set_col_bnds(lp_, j, GLP_FX, lo, hi);
    } else {
      glp_set_col_bnds(lp_, j, GLP_DB, lo, hi);
    }
    glp_set_obj_coef(lp_, j, objective);
    return j;
  }
  void add_objective(const Terms& t) {
    for (auto [j, c] : t) glp_set_obj_coef(lp_, j, glp_get_obj_coef(lp_, j) + c);
  }
  void row(const Terms& t, int type, double lo, double hi) {
    const int i = glp_add_rows(lp_, 1);
    std::map<int, double> merged;  // GLPK refuses a column twice in one row
    for (auto [j, c] : t) merged[j] += c;
    std::vector<int> ind{0};
    std::vector<double> val{0};
    for (auto [j, c] : merged) ind.push_back(j), val.push_back(c);
    glp_set_mat_row(lp_, i, static_cast<int>(merged.size()), ind.data(), val.data());
    glp_set_row_bnds(lp_, i, type, lo, hi);
  }
  void at_most(const Terms& t, double hi) { row(t, GLP_UP, 0, hi); }
  void at_least(const Terms& t, double lo) { row(t, GLP_LO, lo, 0); }
  void equal(const Terms& t, double v) { row(t, GLP_FX, v, v); }

  // q = b * p for binary b and p in [lo, hi]: exact for integral b.
  int product(int b, int p, double lo, double hi) {
    const int q = column(0, hi);
    at_most({{q, 1}, {b, -hi}}, 0);
    at_least({{q, 1}, {b, -lo}}, 0);
    at_most({{q, 1}, {p, -1}, {b, -lo}}, -lo);
    at_least({{q, 1}, {p, -1}, {b, -hi}}, -hi);
    return q;
  }
  int binaries = 0;

 private:
  glp_prob* lp_;
};

struct BoundProbe {
  double bound = 0;
  bool seen = false;
};

// GLPK reports an internal error (say a failed assertion in its simplex on a badly scaled
// problem) by calling the error hook and, if the hook returns, aborting the process. The
// hook jumps back to Milp::solve instead, which frees GLPK's environment (its documented
// way out: every GLPK object is invalid afterwards) and reports no answer. Only C frames
// of GLPK lie between the setjmp and the longjmp.
std::jmp_buf g_glpk_failed;
void on_glpk_error(void*) { std::longjmp(g_glpk_failed, 1); }

void probe_bound(glp_tree* tree, void* info) {
  auto* probe = static_cast<BoundProbe*>(info);
  const int node = glp_ios_best_node(tree);
  if (node == 0) return;
  probe->bound = glp_ios_node_bound(tree, node);
  probe->seen = true;
}

double units(const Amount& a) { return static_cast<double>(a) / kUnit; }

}  // namespace

namespace {

// One price region of a pair {A, B} (A before B): P = p_A/p_B in [lower, upper] (an
// interval between consecutive breakpoints, or one breakpoint when lower == upper).
struct Region {
  double lower = 0, upper = 0;
  bool has_lower = false, has_upper = false;
  int w = 0, qA = 0, qB = 0;  // binary "P is here", and the products w*p_A, w*p_B
};

enum class Fill { full, free, none };

// How a swap selling `sells_a ? A : B` with limit `limit` (in B per A, whichever way it
// trades) fills when P is in `r`: strictly in the money -> full (at the region's edge it
// is at the money, where a full fill is allowed too), at the money -> free, else none.
Fill fill_in(const Region& r, bool sells_a, double limit) {
  const bool point = r.has_lower && r.has_upper && r.lower == r.upper;
  if (point) {
    if (r.lower == limit) return Fill::free;
    return (sells_a ? r.lower > limit : r.lower < limit) ? Fill::full : Fill::none;
  }
  if (sells_a) return r.has_lower && r.lower >= limit ? Fill::full : Fill::none;
  return r.has_upper && r.upper <= limit ? Fill::full : Fill::none;
}

// A swap of a pair {A, B} (A < B), its limit as B per A whichever way it trades.
struct SwapInfo {
  const Swap* s;
  std::size_t A, B;
  bool sells_a;
  double S, Bm, limit;
};

// A pool of a pair {A, B}: reserves in units, gamma, and its band edges as B per A.
struct PoolInfo {
  std::size_t A, B;
  double x, y, gamma, gives_b_below, gives_a_above;
};

using Pair = std::pair<std::size_t, std::size_t>;

// The model of one instance, built in phases (the order of its columns and rows is the
// order of the phases, which GLPK's search depends on).
class Milp {
 public:
  Milp(const Instance& inst, Model& m) : inst_(inst), m_(m), k_(inst.assets.size()), net_sold_(k_) {}

  void add_prices();
  void collect_breakpoints();
  void add_regions();
  void add_swaps();
  void add_pools(bool idle_pools_in_band);
  void add_conservation();
  ExactResult solve(double time_limit_seconds);

 private:
  std::size_t index_of(const std::string& symbol) const {
    for (std::size_t a = 0; a < k_; ++a)
      if (inst_.assets[a] == symbol) return a;
    return k_;  // unreachable for generated instances
  }
  void add_pair_regions(const Pair& pair, std::vector<double>& points);
  void add_incremental_encoding(const std::vector<Region>& list);
  Terms partial_flow(const SwapInfo& w, const std::vector<Region>& list);
  Terms fill_or_kill_flow(const SwapInfo& w, const std::vector<Region>& list);
  void add_pool(const PoolInfo& p, bool idle_pools_in_band);
  // Value terms of a price piece (qA, qB): full value F and surplus S p_sell - B p_buy.
  static std::pair<Terms, Terms> piece(const SwapInfo& w, int qA, int qB) {
    const int q_sell = w.sells_a ? qA : qB, q_buy = w.sells_a ? qB : qA;
    Terms full = w.s->side == SwapSide::sell ? Terms{{q_sell, w.S}} : Terms{{q_buy, w.Bm}};
    Terms surplus{{q_sell, w.S}, {q_buy, -w.Bm}};
    return std::pair{full, surplus};
  }

  const Instance& inst_;
  Model& m_;
  const std::size_t k_;
  std::vector<int> price_;
  std::vector<double> lo_, hi_;
  std::vector<Terms> net_sold_;  // per asset: value swaps sell - value they buy - pools' net intake
  std::vector<SwapInfo> swaps_;
  std::vector<PoolInfo> pools_;
  std::map<Pair, std::vector<double>> breakpoints_;
  std::map<Pair, std::vector<Region>> regions_;
};

void Milp::add_prices() {
  price_.resize(k_);
  lo_.resize(k_);
  hi_.resize(k_);
  for (std::size_t a = 0; a < k_; ++a) {
    lo_[a] = a == 0 ? 1.0 : inst_.reference[a] / kPriceBox;
    hi_[a] = a == 0 ? 1.0 : inst_.reference[a] * kPriceBox;
    price_[a] = m_.column(lo_[a], hi_[a]);
  }
}

// Breakpoints per pair: swap limits and pool band edges, as B per A.
void Milp::collect_breakpoints() {
  for (const auto& in : inst_.batch) {
    const Swap* s = in.swap();
    if (!s) continue;
    const std::size_t x = index_of(s->sell_asset), y = index_of(s->buy_asset);
    SwapInfo w{s, std::min(x, y), std::max(x, y), x < y, units(s->sell_amount), units(s->buy_amount), 0};
    // sells A: in the money iff P > buy/sell; sells B: iff 1/P > buy/sell, i.e. P < sell/buy.
    w.limit = w.sells_a ? static_cast<double>(s->buy_amount) / static_cast<double>(s->sell_amount)
                        : static_cast<double>(s->sell_amount) / static_cast<double>(s->buy_amount);
    breakpoints_[{w.A, w.B}].push_back(w.limit);
    swaps_.push_back(w);
  }
  for (const auto& pool : inst_.pools) {
    PoolInfo p{index_of(pool.asset_a),
               index_of(pool.asset_b),
               units(pool.reserve_a),
               units(pool.reserve_b),
               (10000.0 - pool.fee_bps) / 10000.0,
               0,
               0};
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
  Terms one, sumA{{price_[A], -1}}, sumB{{price_[B], -1}};
  for (auto& r : list) {
    r.w = m_.column(0, 1);  // integral through the u below
    r.qA = m_.column(0, hi_[A]);
    r.qB = m_.column(0, hi_[B]);
    m_.at_most({{r.qA, 1}, {r.w, -hi_[A]}}, 0);
    m_.at_least({{r.qA, 1}, {r.w, -lo_[A]}}, 0);
    m_.at_most({{r.qB, 1}, {r.w, -hi_[B]}}, 0);
    m_.at_least({{r.qB, 1}, {r.w, -lo_[B]}}, 0);
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
  for (const auto& w : swaps_) {
    const auto& list = regions_[{w.A, w.B}];
    const std::size_t sell = w.sells_a ? w.A : w.B, buy = w.sells_a ? w.B : w.A;
    const Terms flow = w.s->partial ? partial_flow(w, list) : fill_or_kill_flow(w, list);
    for (auto [j, c] : flow) {
      net_sold_[sell].push_back({j, c});
      net_sold_[buy].push_back({j, -c});
    }
  }
}

// A partial swap: its full value in every region where it is in the money, any share of
// it at its own breakpoint.
Terms Milp::partial_flow(const SwapInfo& w, const std::vector<Region>& list) {
  const std::size_t sell = w.sells_a ? w.A : w.B, buy = w.sells_a ? w.B : w.A;
  Terms flow;
  for (const auto& r : list) {
    const Fill f = fill_in(r, w.sells_a, w.limit);
    auto [full, surplus] = piece(w, r.qA, r.qB);
    if (f == Fill::full) {
      flow.insert(flow.end(), full.begin(), full.end());
      m_.add_objective(surplus);
    } else if (f == Fill::free) {  // at the money: any fraction, no surplus
      const int phi = m_.column(0, w.S * hi_[sell] + w.Bm * hi_[buy]);
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
Terms Milp::fill_or_kill_flow(const SwapInfo& w, const std::vector<Region>& list) {
  Terms flow;
  const int z = m_.column(0, 1, true);
  Terms shares{{z, -1}};
  for (const auto& r : list) {
    if (fill_in(r, w.sells_a, w.limit) == Fill::none) continue;
    const int zm = m_.column(0, 1);
    shares.push_back({zm, 1});
    m_.at_most({{zm, 1}, {r.w, -1}}, 0);
    auto copy = [&](int q, std::size_t a) {
      const int rc = m_.column(0, hi_[a]);
      m_.at_most({{rc, 1}, {zm, -hi_[a]}}, 0);
      m_.at_least({{rc, 1}, {zm, -lo_[a]}}, 0);
      m_.at_most({{rc, 1}, {q, -1}, {r.w, lo_[a]}, {zm, -lo_[a]}}, 0);
      m_.at_least({{rc, 1}, {q, -1}, {r.w, hi_[a]}, {zm, -hi_[a]}}, 0);
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

void Milp::add_pools(bool idle_pools_in_band) {
  for (const auto& p : pools_) add_pool(p, idle_pools_in_band);
}

void Milp::add_pool(const PoolInfo& p, bool idle_pools_in_band) {
  const auto& list = regions_[{p.A, p.B}];
  // g+: the pool takes value g+ of A and gives g+ of B (only where P <= gives_b_below);
  // g-: the reverse (only where P >= gives_a_above). Caps are linear in the pieces.
  const int gp = m_.column(0, p.y * hi_[p.B]), gm = m_.column(0, p.x * hi_[p.A]);
  Terms cap_plus{{gp, 1}}, cap_minus{{gm, 1}};
  for (const auto& r : list) {
    if (r.has_upper && r.upper <= p.gives_b_below) {
      cap_plus.push_back({r.qB, -p.y});
      cap_plus.push_back({r.qA, p.x / p.gamma});
    }
    if (r.has_lower && r.lower >= p.gives_a_above) {
      cap_minus.push_back({r.qA, -p.x});
      cap_minus.push_back({r.qB, p.y / p.gamma});
    }
  }
  m_.at_most(cap_plus, 0);
  m_.at_most(cap_minus, 0);
  if (idle_pools_in_band) {
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

ExactResult Milp::solve(double time_limit_seconds) {
  ExactResult r;
  r.binaries = m_.binaries;
  r.rows = glp_get_num_rows(m_.lp());
  r.columns = glp_get_num_cols(m_.lp());
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  parm.mip_gap = 1e-7;
  parm.tm_lim = static_cast<int>(time_limit_seconds * 1000);
  parm.br_tech = GLP_BR_PCH;
  parm.bt_tech = GLP_BT_BLB;
  parm.mir_cuts = GLP_ON;
  parm.cov_cuts = GLP_ON;
  parm.clq_cuts = GLP_ON;
  parm.gmi_cuts = GLP_ON;
  parm.fp_heur = GLP_ON;
  BoundProbe probe;
  parm.cb_func = probe_bound;
  parm.cb_info = &probe;
  glp_error_hook(on_glpk_error, nullptr);
  if (setjmp(g_glpk_failed) != 0) {
    glp_error_hook(nullptr, nullptr);
    glp_free_env();
    m_.abandon();
    r.solver_error = true;
    return r;
  }
  const int rc = glp_intopt(m_.lp(), &parm);
  glp_error_hook(nullptr, nullptr);
  const int status = glp_mip_status(m_.lp());
  r.feasible = (rc == 0 || rc == GLP_ETMLIM) && (status == GLP_OPT || status == GLP_FEAS);
  r.optimal = rc == 0 && status == GLP_OPT;
  r.infeasible = rc == 0 && status == GLP_NOFEAS;
  if (r.feasible) {
    r.objective = glp_mip_obj_val(m_.lp());
    r.bound = r.optimal ? r.objective : (probe.seen ? probe.bound : r.objective);
    for (std::size_t a = 0; a < k_; ++a) {
      const double p = glp_mip_col_val(m_.lp(), price_[a]);
      r.prices.push_back(p);
      if (a > 0 && (p <= lo_[a] * (1 + 1e-9) || p >= hi_[a] * (1 - 1e-9))) ++r.prices_at_bounds;
    }
  }
  return r;
}

}  // namespace

ExactResult solve_exact(const Instance& inst, double time_limit_seconds, bool idle_pools_in_band) {
  const auto start = std::chrono::steady_clock::now();
  glp_term_out(GLP_OFF);
  Model m;
  Milp milp(inst, m);
  milp.add_prices();
  milp.collect_breakpoints();
  milp.add_regions();
  milp.add_swaps();
  milp.add_pools(idle_pools_in_band);
  milp.add_conservation();
  ExactResult r = milp.solve(time_limit_seconds);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace pactum::quality
