// A thin layer over GLPK for the exact MILP (exact_milp.cpp): a problem with helpers for
// rows and columns, a per-thread environment scope, and glp_intopt run
// so that a GLPK internal error returns instead of aborting the process.
#pragma once
#include <glpk.h>

#include <utility>
#include <vector>

namespace pactum::solvers::exact {

using Terms = std::vector<std::pair<int, double>>;

// The scope of one thread's GLPK work: every GLPK object must be destroyed before it (its
// destructor frees the thread's GLPK environment). GLPK 5 as Debian builds it keeps its
// environment in thread-local storage (libglpk has a TLS segment), so threads solve at the
// same time: the exact and the polish solver do not wait for each other.
class GlpkEnvironment {
 public:
  GlpkEnvironment();
  ~GlpkEnvironment();
  GlpkEnvironment(const GlpkEnvironment&) = delete;
  GlpkEnvironment& operator=(const GlpkEnvironment&) = delete;
};

class Model {
 public:
  Model();
  // A copy of `other`'s problem (to solve it with some columns fixed).
  struct CopyOf {
    const Model& other;
  };
  explicit Model(CopyOf copy);
  ~Model();
  // After glp_free_env every GLPK object is gone: the problem must not be deleted again.
  void abandon() { lp_ = nullptr; }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  glp_prob* lp() const { return lp_; }

  int column(double lo, double hi, bool binary = false, double objective = 0);
  void add_objective(const Terms& t);
  void row(const Terms& t, int type, double lo, double hi);
  void at_most(const Terms& t, double hi) { row(t, GLP_UP, 0, hi); }
  void at_least(const Terms& t, double lo) { row(t, GLP_LO, lo, 0); }
  void equal(const Terms& t, double v) { row(t, GLP_FX, v, v); }
  int binaries = 0;

 private:
  glp_prob* lp_;
};

struct Outcome {
  bool feasible = false, optimal = false, infeasible = false, solver_error = false;
  double objective = 0, bound = 0;
};

// glp_intopt with presolve, cuts and the given limits. On a GLPK internal error the
// environment is freed (the model is abandoned) and solver_error is set.
Outcome run_intopt(Model& m, double time_limit_seconds, double mip_gap);

}  // namespace pactum::solvers::exact
