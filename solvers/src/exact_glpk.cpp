// GLPK for the exact MILP (exact_glpk.hpp).
#include "exact_glpk.hpp"

#include <algorithm>
#include <chrono>
#include <csetjmp>
#include <map>

namespace pactum::solvers::exact {

namespace {

using Clock = std::chrono::steady_clock;

// What the branch-and-bound callback sees: the best bound so far, and when to stop.
struct BoundProbe {
  double bound = 0;
  bool seen = false;
  Clock::time_point stop_at;
};

// GLPK reports an internal error (say a failed assertion in its simplex on a badly scaled
// problem) by calling the error hook and, if the hook returns, aborting the process. The
// hook jumps back to run_intopt instead, which frees GLPK's environment (its documented
// way out: every GLPK object is invalid afterwards) and reports no answer. Only C frames
// of GLPK lie between the setjmp and the longjmp; one jump buffer per thread.
thread_local std::jmp_buf g_glpk_failed;
void on_glpk_error(void*) { std::longjmp(g_glpk_failed, 1); }

// GLPK checks tm_lim only between subproblems; cut generation and heuristics can run past
// it. The callback runs at every step of the search, so the deadline is checked here too.
void probe_bound(glp_tree* tree, void* info) {
  auto* probe = static_cast<BoundProbe*>(info);
  if (Clock::now() >= probe->stop_at) glp_ios_terminate(tree);
  const int node = glp_ios_best_node(tree);
  if (node == 0) return;
  probe->bound = glp_ios_node_bound(tree, node);
  probe->seen = true;
}

}  // namespace

GlpkEnvironment::GlpkEnvironment() { glp_term_out(GLP_OFF); }
// GLPK's environment belongs to the thread that first called it, and the picker runs
// solvers on threads that come and go: freed here, once every GLPK object of the section
// is gone (it is a no-op after an internal error already freed it), so that no thread's
// environment outlives it.
GlpkEnvironment::~GlpkEnvironment() { glp_free_env(); }

Model::Model() : lp_(glp_create_prob()) { glp_set_obj_dir(lp_, GLP_MAX); }

Model::Model(CopyOf copy) : binaries(copy.other.binaries), lp_(glp_create_prob()) {
  glp_copy_prob(lp_, copy.other.lp(), GLP_OFF);
}

Model::~Model() {
  if (lp_ != nullptr) glp_delete_prob(lp_);
}

int Model::column(double lo, double hi, bool binary, double objective) {
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

void Model::add_objective(const Terms& t) {
  for (auto [j, c] : t) glp_set_obj_coef(lp_, j, glp_get_obj_coef(lp_, j) + c);
}

void Model::row(const Terms& t, int type, double lo, double hi) {
  const int i = glp_add_rows(lp_, 1);
  std::map<int, double> merged;  // GLPK refuses a column twice in one row
  for (auto [j, c] : t) merged[j] += c;
  std::vector<int> ind{0};
  std::vector<double> val{0};
  for (auto [j, c] : merged) ind.push_back(j), val.push_back(c);
  glp_set_mat_row(lp_, i, static_cast<int>(merged.size()), ind.data(), val.data());
  glp_set_row_bnds(lp_, i, type, lo, hi);
}

Outcome run_intopt(Model& m, double time_limit_seconds, double mip_gap) {
  Outcome r;
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  parm.mip_gap = mip_gap;
  parm.tm_lim = std::max(1, static_cast<int>(time_limit_seconds * 1000));
  parm.br_tech = GLP_BR_PCH;
  parm.bt_tech = GLP_BT_BLB;
  parm.mir_cuts = GLP_ON;
  parm.cov_cuts = GLP_ON;
  parm.clq_cuts = GLP_ON;
  parm.gmi_cuts = GLP_ON;
  parm.fp_heur = GLP_ON;
  BoundProbe probe;
  probe.stop_at = Clock::now() + std::chrono::microseconds(static_cast<std::int64_t>(time_limit_seconds * 1e6));
  parm.cb_func = probe_bound;
  parm.cb_info = &probe;
  glp_error_hook(on_glpk_error, nullptr);
  if (setjmp(g_glpk_failed) != 0) {
    glp_error_hook(nullptr, nullptr);
    glp_free_env();
    m.abandon();
    r.solver_error = true;
    return r;
  }
  const int rc = glp_intopt(m.lp(), &parm);
  glp_error_hook(nullptr, nullptr);
  const int status = glp_mip_status(m.lp());
  r.feasible = (rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP) && (status == GLP_OPT || status == GLP_FEAS);
  r.optimal = rc == 0 && status == GLP_OPT;
  r.infeasible = rc == 0 && status == GLP_NOFEAS;
  if (r.feasible) {
    r.objective = glp_mip_obj_val(m.lp());
    r.bound = r.optimal ? r.objective : (probe.seen ? probe.bound : r.objective);
  }
  return r;
}

}  // namespace pactum::solvers::exact
