// The refinement's pivots (refinement.hpp): from a basis and its solution (the linear
// system of refinement_system.cpp) to the next basis, by full pivots or by path
// following, until the solution is consistent with its basis.
#include "refinement.hpp"

#include "pactum/ledger/pool_math.hpp"
#include "refinement_system.hpp"

namespace pactum::matching {
namespace {

constexpr int kMaxRounds = 16;
constexpr std::size_t kPinAttempts = 4;
constexpr int kPinDepth = 2;
// Work bound: the refinement is for markets where an exact equilibrium is within a few
// pivots of the price search; beyond this it gives up (the completion then rations at
// the searched prices). The system's size is bounded in refinement_system.cpp.
constexpr int kMaxSolves = 32;

// (10000 - fee) times the pool's capacity value at n in direction dir (+1: takes a, gives
// b); negative inside the band.
BigInt scaled_capacity(const VectorPool& p, const std::vector<BigInt>& n, int dir) {
  const BigInt x(p.pool.reserve_a), y(p.pool.reserve_b);
  return dir > 0 ? pool_math::scaled_capacity(x, y, p.pool.fee_bps, n[p.a], n[p.b])
                 : pool_math::scaled_capacity(y, x, p.pool.fee_bps, n[p.b], n[p.a]);
}

std::size_t group_end(const Book& book, const PairBook& pair, std::size_t from) {
  std::size_t e = from + 1;
  while (e < pair.orders.size() &&
         same_limit(book.orders[pair.orders[from].input], book.orders[pair.orders[e].input])) {
    ++e;
  }
  return e;
}

std::size_t group_start(const Book& book, const PairBook& pair, std::size_t last) {
  std::size_t s = last;
  while (s > 0 && same_limit(book.orders[pair.orders[last].input], book.orders[pair.orders[s - 1].input])) --s;
  return s;
}

BigInt range_value(const PairBook& pair, std::size_t from, std::size_t to, const std::vector<BigInt>& n) {
  return BigInt((pair.sum_sell_side[to] - pair.sum_sell_side[from]) * n[pair.sell] +
                (pair.sum_buy_side[to] - pair.sum_buy_side[from]) * n[pair.buy]);
}

Basis basis_at(const Book& book, const std::vector<BigInt>& n) {
  Basis b;
  // Orders exactly at the price ratio are marginal: their tie group is pinned.
  for (const PairBook& pair : book.pairs) {
    const std::size_t strict = strictly_in(book, pair, n), weak = weakly_in(book, pair, n);
    b.pairs.push_back(strict < weak ? PairBasis{strict, true, weak} : PairBasis{weak, false, 0});
  }
  for (const VectorPool& p : book.pools) b.pools.push_back(pool_direction(p, n));
  return b;
}

// Checks the solution against the basis; when it does not hold, returns the next basis.
std::optional<Basis> pivot(const Book& book, const Basis& basis, const Solution& s) {
  Basis next = basis;
  bool changed = false;
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const PairBook& pair = book.pairs[p];
    const PairBasis& now = basis.pairs[p];
    PairBasis& to = next.pairs[p];
    if (now.pinned) {
      const Rational& t = s.t[p];
      if (t < 0) {
        // The rest of the market takes less than the orders before the group: the group
        // does not trade and the previous group becomes marginal.
        if (now.full == 0) {
          to = {0, false, 0};
        } else {
          const std::size_t start = group_start(book, pair, now.full - 1);
          to = {start, true, now.full};
        }
        changed = true;
      } else if (t > Rational(range_value(pair, now.full, now.end, s.n))) {
        // The group fills in full and the next one becomes marginal.
        if (now.end == pair.orders.size()) {
          to = {now.end, false, 0};
        } else {
          to = {now.end, true, group_end(book, pair, now.end)};
        }
        changed = true;
      }
      continue;
    }
    const std::size_t strict = strictly_in(book, pair, s.n);
    const std::size_t weak = weakly_in(book, pair, s.n);
    if (strict > now.full) {
      // The price moved past the limit of the first order left out: make it marginal.
      to = {now.full, true, group_end(book, pair, now.full)};
      changed = true;
    } else if (weak < now.full) {
      // The price fell short of the limit of the last order taken in.
      const std::size_t start = group_start(book, pair, now.full - 1);
      to = {start, true, now.full};
      changed = true;
    }
  }
  for (std::size_t i = 0; i < book.pools.size(); ++i) {
    const VectorPool& p = book.pools[i];
    const int assumed = basis.pools[i];
    const bool holds = assumed != 0 ? scaled_capacity(p, s.n, assumed) >= 0
                                    : scaled_capacity(p, s.n, 1) <= 0 && scaled_capacity(p, s.n, -1) <= 0;
    if (!holds) {
      next.pools[i] = pool_direction(p, s.n);
      changed = true;
    }
  }
  if (!changed) return std::nullopt;
  return next;
}

// Path following (small markets, when the full pivot above fails): of all the changes
// `pivot` would make, only the one met first on the straight segment from the last point
// `from` to the new solution. Every boundary (a limit, a pool's band edge) is linear in
// N, so where the segment crosses it is exact: lambda = g(from) / (g(from) - g(to)) on
// vectors normalised to N[0] = 1. The basis then changes by one step (a pair pins the
// group it reaches, a pool enters or leaves its band), like a simplex pivot along the
// piecewise-linear excess demand. `from` moves to the crossing point.
struct Step {
  Basis next;
  std::vector<BigInt> at;  // the crossing point (integer vector)
};

std::optional<Step> pivot_one(const Book& book, const Basis& basis, const std::vector<BigInt>& from,
                              const Solution& s) {
  const auto norm = [](const BigInt& v, const std::vector<BigInt>& n) { return Rational(v, n[0]); };
  // Where a linear form, >= 0 (allowed) at `from` and < 0 at the solution, reaches 0.
  const auto crossing = [&](const BigInt& at_from, const BigInt& at_to) {
    const Rational a = norm(at_from, from), b = norm(at_to, s.n);
    if (a <= 0) return Rational(0);
    return Rational(a / (a - b));
  };
  std::optional<Rational> best;
  Basis chosen = basis;
  const auto consider = [&](const Rational& lambda, const auto& apply) {
    if (best && *best <= lambda) return;
    best = lambda;
    chosen = basis;
    apply(chosen);
  };
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const PairBook& pair = book.pairs[p];
    const PairBasis& now = basis.pairs[p];
    if (now.pinned) {
      const Rational& t = s.t[p];
      if (t < 0) {
        const PairBasis to =
            now.full == 0 ? PairBasis{0, false, 0} : PairBasis{group_start(book, pair, now.full - 1), true, now.full};
        consider(Rational(1), [&](Basis& b) { b.pairs[p] = to; });
      } else if (t > Rational(range_value(pair, now.full, now.end, s.n))) {
        const PairBasis to = now.end == pair.orders.size() ? PairBasis{now.end, false, 0}
                                                           : PairBasis{now.end, true, group_end(book, pair, now.end)};
        consider(Rational(1), [&](Basis& b) { b.pairs[p] = to; });
      }
      continue;
    }
    const auto margin = [&](std::size_t k, const std::vector<BigInt>& n) {
      // B N_buy - S N_sell: >= 0 while the order is not strictly in the money.
      const VectorOrder& o = book.orders[pair.orders[k].input];
      return BigInt(BigInt(o.buy_amount) * n[pair.buy] - BigInt(o.sell_amount) * n[pair.sell]);
    };
    if (strictly_in(book, pair, s.n) > now.full) {
      const PairBasis to{now.full, true, group_end(book, pair, now.full)};
      consider(crossing(margin(now.full, from), margin(now.full, s.n)), [&](Basis& b) { b.pairs[p] = to; });
    } else if (weakly_in(book, pair, s.n) < now.full) {
      const PairBasis to{group_start(book, pair, now.full - 1), true, now.full};
      consider(crossing(BigInt(-margin(now.full - 1, from)), BigInt(-margin(now.full - 1, s.n))),
               [&](Basis& b) { b.pairs[p] = to; });
    }
  }
  for (std::size_t i = 0; i < book.pools.size(); ++i) {
    const VectorPool& p = book.pools[i];
    const int assumed = basis.pools[i];
    if (assumed != 0) {
      if (scaled_capacity(p, s.n, assumed) >= 0) continue;
      consider(crossing(scaled_capacity(p, from, assumed), scaled_capacity(p, s.n, assumed)),
               [&](Basis& b) { b.pools[i] = 0; });
    } else {
      for (const int dir : {1, -1}) {
        if (scaled_capacity(p, s.n, dir) <= 0) continue;
        consider(crossing(BigInt(-scaled_capacity(p, from, dir)), BigInt(-scaled_capacity(p, s.n, dir))),
                 [&](Basis& b) { b.pools[i] = dir; });
      }
    }
  }
  if (!best) return std::nullopt;
  // The crossing point from + lambda (to - from), as one integer vector.
  const std::size_t n = from.size();
  std::vector<Rational> x(n);
  BigInt common = 1;
  for (std::size_t a = 0; a < n; ++a) {
    x[a] = norm(from[a], from) + *best * (norm(s.n[a], s.n) - norm(from[a], from));
    common = lcm_big(common, den(x[a]));
  }
  Step out{std::move(chosen), std::vector<BigInt>(n)};
  for (std::size_t a = 0; a < n; ++a) out.at[a] = num(x[a]) * (common / den(x[a]));
  return out;  // positive: a convex combination of two positive vectors
}

// When the system for a basis is singular (a typical cause: on some pair the active
// supply and demand do not depend on the price, so the equilibrium sits at a limit), the
// bases that pin one more tie group, the one whose limit is nearest the current price
// ratio first.
std::vector<Basis> pinned_alternatives(const Book& book, const Basis& basis, const std::vector<BigInt>& n) {
  struct Option {
    Rational distance;
    std::size_t pair;
    PairBasis to;
  };
  std::vector<Option> options;
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const PairBasis& now = basis.pairs[p];
    if (now.pinned) continue;
    const PairBook& pair = book.pairs[p];
    const auto distance = [&](std::size_t k) {
      const VectorOrder& o = book.orders[pair.orders[k].input];
      const BigInt need = BigInt(o.buy_amount) * n[pair.buy];
      const BigInt have = BigInt(o.sell_amount) * n[pair.sell];
      return Rational(need > have ? BigInt(need - have) : BigInt(have - need), have);
    };
    if (now.full > 0) {
      const std::size_t start = group_start(book, pair, now.full - 1);
      options.push_back({distance(now.full - 1), p, {start, true, now.full}});
    }
    if (now.full < pair.orders.size()) {
      options.push_back({distance(now.full), p, {now.full, true, group_end(book, pair, now.full)}});
    }
  }
  std::stable_sort(options.begin(), options.end(),
                   [](const Option& x, const Option& y) { return x.distance < y.distance; });
  std::vector<Basis> out;
  for (std::size_t i = 0; i < options.size() && i < kPinAttempts; ++i) {
    Basis b = basis;
    b.pairs[options[i].pair] = options[i].to;
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

int pool_direction(const VectorPool& p, const std::vector<BigInt>& n) {
  if (scaled_capacity(p, n, 1) > 0) return 1;
  if (scaled_capacity(p, n, -1) > 0) return -1;
  return 0;
}

Rational pool_capacity(const VectorPool& p, const std::vector<BigInt>& n) {
  const int dir = pool_direction(p, n);
  if (dir == 0) return Rational(0);
  return Rational(scaled_capacity(p, n, dir), BigInt(10000 - p.pool.fee_bps));
}

namespace {

Refinement run_refinement(const Book& book, const std::vector<BigInt>& start, Basis basis) {
  Refinement out;
  if (book.assets < 2) return out;
  std::vector<BigInt> current = start;  // the last solution (for pin distances)
  std::vector<Basis> seen;
  int solves = 0;
  // Large markets get fewer solves: each costs ~assets^3 big-integer operations.
  const int max_solves = book.assets > 8 ? kMaxSolves / 4 : kMaxSolves;
  const auto attempt = [&](const Basis& b) -> std::optional<Solution> {
    if (solves >= max_solves) return std::nullopt;
    ++solves;
    return solve_basis(book, b, start);
  };
  for (; out.rounds < kMaxRounds; ++out.rounds) {
    std::optional<Solution> solved = attempt(basis);
    // Singular: pin more tie groups, nearest limits first, greedily up to kPinDepth deep.
    // A pinned basis whose solution is already consistent wins; else the first solvable.
    if (!solved) {
      Basis trying = basis;
      std::optional<std::pair<Basis, Solution>> first;
      bool done = false;
      for (int depth = 0; !done && depth < kPinDepth && solves < max_solves; ++depth) {
        std::vector<Basis> alternatives = pinned_alternatives(book, trying, current);
        if (alternatives.empty()) break;
        for (Basis& alternative : alternatives) {
          std::optional<Solution> s = attempt(alternative);
          if (!s) continue;
          if (!pivot(book, alternative, *s)) {
            basis = std::move(alternative);
            solved = std::move(s);
            done = true;
            break;
          }
          if (!first) first.emplace(alternative, std::move(*s));
        }
        if (!done) trying = std::move(alternatives.front());
      }
      if (!done && first) {
        basis = std::move(first->first);
        solved = std::move(first->second);
      }
    }
    if (!solved) return out;
    std::optional<Basis> next = pivot(book, basis, *solved);
    if (!next) {
      out.n = std::move(solved->n);
      ++out.rounds;
      return out;
    }
    for (const Basis& b : seen) {
      if (b == *next) return out;  // cycling
    }
    seen.push_back(basis);
    basis = std::move(*next);
    current = std::move(solved->n);
  }
  return out;
}

// The path-following refinement: one boundary per step (pivot_one). Slower than the full
// pivot but it does not jump over the equilibrium, so it is the fallback of small markets.
constexpr int kPathSolves = 96;

Refinement run_path(const Book& book, const std::vector<BigInt>& start, Basis basis) {
  Refinement out;
  if (book.assets < 2) return out;
  std::vector<BigInt> from = start;
  std::vector<Basis> seen;
  int solves = 0;
  while (solves < kPathSolves) {
    ++out.rounds;
    ++solves;
    std::optional<Solution> solved = solve_basis(book, basis, start);
    if (!solved) {
      // Singular: pin the tie group nearest the current point, the first that solves.
      for (Basis& alternative : pinned_alternatives(book, basis, from)) {
        if (solves >= kPathSolves) break;
        ++solves;
        std::optional<Solution> s = solve_basis(book, alternative, start);
        if (!s) continue;
        basis = std::move(alternative);
        solved = std::move(s);
        break;
      }
      if (!solved) return out;
    }
    std::optional<Step> step = pivot_one(book, basis, from, *solved);
    if (!step) {
      out.n = std::move(solved->n);
      return out;
    }
    for (const Basis& b : seen) {
      if (b == step->next) return out;  // cycling
    }
    seen.push_back(std::move(basis));
    basis = std::move(step->next);
    from = std::move(step->at);
  }
  return out;
}

}  // namespace

Refinement refine_prices(const Book& book, const std::vector<BigInt>& start) {
  return run_refinement(book, start, basis_at(book, start));
}

Refinement refine_by_path(const Book& book, const std::vector<BigInt>& start) {
  return run_path(book, start, basis_at(book, start));
}

Refinement refine_from_fills(const Book& book, const std::vector<BigInt>& start, const std::vector<PairFill>& fills) {
  Basis basis = basis_at(book, start);
  for (std::size_t p = 0; p < book.pairs.size(); ++p) {
    const PairBook& pair = book.pairs[p];
    const PairFill& f = fills[p];
    if (f.marginal && f.full < pair.orders.size()) {
      const std::size_t start_of = group_start(book, pair, f.full);
      basis.pairs[p] = PairBasis{start_of, true, group_end(book, pair, f.full)};
    } else {
      basis.pairs[p] = PairBasis{f.full, false, 0};
    }
  }
  return run_refinement(book, start, std::move(basis));
}

}  // namespace pactum::matching
