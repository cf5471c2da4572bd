// The price programs of tiny markets (price_programs.hpp): patterns, the local search
// over them, and the completion of a program at its own pool flows.
#include "price_programs.hpp"

#include <algorithm>

#include "completion.hpp"
#include "refinement.hpp"

namespace pactum::matching {

// The pattern a result realises: per order full (1), a fraction (2), nothing (0); per
// pool the way it trades at the result's vector.
FillPattern pattern_of(const Book& book, const VectorResult& r) {
  FillPattern f;
  f.fill.assign(book.orders.size(), 0);
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorFill& x = r.orders[i];
    if (x.outcome != VectorOutcome::filled) continue;
    f.fill[i] = x.partial_fill && book.orders[i].partial ? 2 : 1;
  }
  for (const VectorPool& p : book.pools) f.pool_mode.push_back(pool_direction(p, r.n));
  return f;
}

namespace {

// The integer vector of a program's rational prices (p[0] = 1), gcd-reduced.
std::vector<BigInt> integer_vector(const std::vector<Rational>& p) {
  BigInt common = 1;
  for (const Rational& v : p) common = common / boost::multiprecision::gcd(common, den(v)) * den(v);
  std::vector<BigInt> n(p.size());
  for (std::size_t a = 0; a < p.size(); ++a) n[a] = num(p[a]) * (common / den(p[a]));
  BigInt g = n[0];
  for (const BigInt& v : n) g = boost::multiprecision::gcd(g, v);
  for (BigInt& v : n) v /= g;
  return n;
}

// Completion at a program's vector, with the fill-or-kill orders the pattern leaves out
// removed (so that the circulation cannot trade them in place of the others). With
// `keep_flows`, every pool carries at most the program's flow (so a pool the program
// keeps below capacity stays there); otherwise as complete_at.
VectorResult complete_pattern_at(const Book& book, const FillPattern& pattern, const PriceProgram& prog,
                                 bool keep_flows) {
  const std::vector<BigInt> n = integer_vector(prog.p);
  std::vector<VectorOrder> kept;
  std::vector<std::size_t> origin;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (!book.orders[i].partial && pattern.fill[i] == 0) continue;
    kept.push_back(book.orders[i]);
    origin.push_back(i);
  }
  VectorResult out;
  out.valid = false;
  if (kept.empty()) return out;
  const Book kept_book = build_book(std::move(kept), book.pools, book.assets);
  VectorResult done;
  if (keep_flows) {
    // Values in units of n: p[0] = 1, so a value at p times n[0].
    std::vector<Rational> limit(book.pools.size());
    for (std::size_t q = 0; q < book.pools.size(); ++q) limit[q] = prog.pool_flow[q] * Rational(n[0]);
    done = complete_exact(kept_book, n, &limit);
  } else {
    done = complete_at(kept_book, n);
  }
  if (!done.valid) return out;
  VectorResult merged = done;
  merged.orders.assign(book.orders.size(), VectorFill{VectorOutcome::fok_not_fillable, 0, 0, false});
  for (std::size_t k = 0; k < origin.size(); ++k) merged.orders[origin[k]] = done.orders[k];
  if (!merged.traded) {
    for (VectorFill& f : merged.orders) {
      if (f.outcome != VectorOutcome::fok_not_fillable) f.outcome = VectorOutcome::no_trade;
    }
  }
  return merged;
}

}  // namespace

// The settlement of a program: at its vector with the pools kept to its flows. A pool
// the program runs at its whole capacity has no room on its curve for the unit a route
// rounds away, so when that completion fails or needs traders to give up units, the
// program is solved again with every trading pool made shallower (its reserve of the
// asset it gives reduced so that about `room` units are left on the real curve: 4, 32,
// 256 units, as complete_at does for equilibria) and completed on the real pools at the
// flows found there. Failing that, the completion of complete_at at the program's vector.
VectorResult complete_program(const Book& book, const FillPattern& pattern, const PriceProgram& prog,
                              const std::vector<BigInt>& start) {
  VectorResult first = complete_pattern_at(book, pattern, prog, true);
  if (first.valid && first.trimmed_units == 0) return first;
  BigInt room = kRoomUnits;
  for (int attempt = 0; attempt < kRoomAttempts; ++attempt, room *= 8) {
    std::vector<VectorPool> shallower = book.pools;
    bool any = false;
    for (std::size_t q = 0; q < book.pools.size(); ++q) {
      const int mode = pattern.pool_mode[q];
      if (mode == 0 || prog.pool_flow[q] <= 0) continue;
      const VectorPool& pool = book.pools[q];
      const int take = mode > 0 ? pool.a : pool.b;
      const BigInt x = reserve_of(pool, take), y = reserve_of(pool, mode > 0 ? pool.b : pool.a);
      // The intake in base units (at least one), from the program's flow.
      const Rational in = prog.pool_flow[q] / prog.p[static_cast<std::size_t>(take)];
      const BigInt a = std::max(BigInt(num(in) / den(in)), BigInt(1));
      const BigInt keep = BigInt(10000 - pool.pool.fee_bps);
      BigInt d = ceil_div(BigInt(room * (10000 * x + keep * a)), BigInt(keep * a));
      if (d * 4 > y) d = y / 4;
      if (d <= 0) continue;
      Pool& virt = shallower[q].pool;
      if (mode > 0)
        virt.reserve_b = to_amount(BigInt(y - d));
      else
        virt.reserve_a = to_amount(BigInt(y - d));
      any = true;
    }
    if (!any) break;
    const Book virt = build_book(book.orders, std::move(shallower), book.assets);
    const std::optional<PriceProgram> alt = best_prices(virt, pattern, start);
    if (!alt) continue;
    VectorResult done = complete_pattern_at(book, pattern, *alt, true);
    if (done.valid && done.trimmed_units == 0) return done;
  }
  VectorResult plain = complete_pattern_at(book, pattern, prog, false);
  return plain.valid ? plain : first;
}

// Local search over patterns from `start`: the program of the pattern, then, while the
// budget lasts, the patterns that change one boundary the optimum sits on (an order at
// its limit changes between full, fraction and nothing; a fill-or-kill order in or out;
// a pool at its band edge starts or stops trading). The best program wins (surplus,
// then the earlier pattern); its vector is then completed and scored like any candidate.
std::optional<std::pair<FillPattern, PriceProgram>> search_patterns(const Book& book, FillPattern start,
                                                                    const std::vector<BigInt>& n, int& budget) {
  if (budget <= 0) return std::nullopt;
  --budget;
  std::optional<PriceProgram> prog = best_prices(book, start, n);
  if (!prog) return std::nullopt;
  FillPattern best = std::move(start);
  PriceProgram best_prog = std::move(*prog);
  for (bool improved = true; improved && budget > 0;) {
    improved = false;
    const std::vector<Rational>& p = best_prog.p;
    std::vector<FillPattern> moves;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      const VectorOrder& o = book.orders[i];
      const Rational margin = Rational(BigInt(o.sell_amount)) * p[o.sell] - Rational(BigInt(o.buy_amount)) * p[o.buy];
      if (!o.partial) {
        FillPattern m = best;
        m.fill[i] = best.fill[i] ? 0 : 1;
        moves.push_back(std::move(m));
        continue;
      }
      if (margin != 0) continue;
      for (const char to : {char(0), char(1), char(2)}) {
        if (to == best.fill[i]) continue;
        FillPattern m = best;
        m.fill[i] = to;
        moves.push_back(std::move(m));
      }
    }
    for (std::size_t q = 0; q < book.pools.size(); ++q) {
      for (const int to : {0, 1, -1}) {
        if (to == best.pool_mode[q]) continue;
        FillPattern m = best;
        m.pool_mode[q] = to;
        moves.push_back(std::move(m));
      }
    }
    // Then, with what the budget leaves, partial orders off their limits change between in
    // full and nothing (the best settlement may leave one out that is strictly in the
    // money here, at prices beyond the limits next to these), nearest to the limit first
    // (relative margin |S p_sell - B p_buy| / (S p_sell); ties by index).
    std::vector<std::pair<Rational, std::size_t>> far;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      const VectorOrder& o = book.orders[i];
      if (!o.partial || best.fill[i] == 2) continue;
      const Rational value = Rational(BigInt(o.sell_amount)) * p[o.sell];
      const Rational margin = value - Rational(BigInt(o.buy_amount)) * p[o.buy];
      if (margin == 0 || value <= 0) continue;
      far.push_back({Rational(abs(margin) / value), i});
    }
    std::sort(far.begin(), far.end());
    for (const auto& [_, i] : far) {
      FillPattern m = best;
      m.fill[i] = best.fill[i] ? 0 : 1;
      moves.push_back(std::move(m));
    }
    for (FillPattern& m : moves) {
      if (budget <= 0) break;
      --budget;
      std::optional<PriceProgram> alt = best_prices(book, m, n);
      if (!alt || alt->surplus <= best_prog.surplus) continue;
      best = std::move(m);
      best_prog = std::move(*alt);
      improved = true;
      break;
    }
  }
  return std::make_pair(std::move(best), std::move(best_prog));
}

}  // namespace pactum::matching
