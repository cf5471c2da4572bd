// clear_vector (vector_clearing.hpp): steps 1-2 (the price search and the exact
// refinement, clear_once), the completion at the vector found (exact_completion.cpp), and
// in small markets the candidates among which the best result is kept: re-clearings
// without the fill-or-kill orders that could not fill, every choice of which fill-or-kill
// orders trade, and the price programs (price_programs.cpp).
#include "vector_clearing.hpp"

#include <algorithm>

#include "pactum/checker/checker.hpp"
#include "price_programs.hpp"
#include "refinement.hpp"
#include "revision.hpp"
#include "tatonnement.hpp"

namespace pactum::matching {
namespace {

// Re-clearings without the fill-or-kill orders that could not fill, and the market size
// up to which they are done (each costs a whole clearing).
constexpr int kFokReclears = 3;
constexpr std::size_t kFokReclearMaxOrders = 5000;
constexpr int kFokReclearMaxAssets = 8;
// Markets small enough to try every choice of which unfilled fill-or-kill orders trade.
constexpr std::size_t kFokChoiceMax = 4;
constexpr std::size_t kFokChoiceMaxOrders = 64;
// Markets with more fill-or-kill orders than that: a local search flips one or two
// orders' choices at a time from the best result (re-clearings at most, per market).
constexpr int kFokFlipClearings = 96;
constexpr int kFokFlipOrderClearings = 1024;  // and at most this / orders: a re-clearing costs about linear in them
// Price programs (clear_vector, last step): markets up to this many orders, programs
// solved at most.
constexpr std::size_t kProgramMaxOrders = 64;
constexpr int kProgramSolves = 24;     // per start pattern
constexpr int kProgramSolvesAll = 96;  // over all start patterns of a market

// How good a valid result is, to choose between clearings of the same market: first the
// partial-allowed orders left strictly in the money and not filled in full and the pools
// left short of their capacity outside their band (an equilibrium has none: the
// producer ranks a clearing with any below every market-clearing one), then the traders' surplus f * (S N_sell - B
// N_buy) in units of asset 0 (docs/MECHANISMS.md 5.2). Exact.
struct Score {
  std::size_t rationed = 0;
  Rational surplus;
};

Score score_of(const Book& book, const VectorResult& r) {
  Score s;
  const std::vector<BigInt>& n = r.n;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    const VectorOrder& o = book.orders[i];
    const VectorFill& f = r.orders[i];
    const bool full = f.outcome == VectorOutcome::filled && !f.partial_fill;
    // Counted whether or not its assets traded: a result that trades nothing is not
    // better for leaving every in-the-money order out.
    if (o.partial && !full && limit_vs_price(o, n) < 0) {
      ++s.rationed;
    }
    if (f.outcome != VectorOutcome::filled) continue;
    const BigInt S(o.sell_amount), B(o.buy_amount);
    const BigInt gain = S * n[o.sell] - B * n[o.buy];
    // The filled fraction: of S for side sell, of B for side buy.
    s.surplus += o.side == SwapSide::sell ? Rational(BigInt(f.paid * gain), BigInt(S * n[0]))
                                          : Rational(BigInt(f.received * gain), BigInt(B * n[0]));
  }
  for (std::size_t q = 0; q < book.pools.size() && pools_clear(); ++q) {
    const Pool& before = book.pools[q].pool;
    const Pool& after = q < r.pools_after.size() && r.pools_after[q] ? *r.pools_after[q] : before;
    s.rationed += check::pool_shortfall(before, BigInt(after.reserve_a), BigInt(after.reserve_b),
                                        Rational(n[book.pools[q].a]), Rational(n[book.pools[q].b]))
                      .has_value();
  }
  return s;
}

bool better(const Score& x, const Score& y) {
  return x.rationed < y.rationed || (x.rationed == y.rationed && x.surplus > y.surplus);
}

// Small markets whose refinement fails get a few more starts: the searched vector with
// one asset's price moved by +-1/16 and +-1/4 (deterministic order). A different start
// gives a different first active set, and the pivots often reach the equilibrium from it.
Refinement refine_with_restarts(const Book& book, const std::vector<BigInt>& start) {
  Refinement r = refine_prices(book, start);
  if (r.n || book.assets > kFokReclearMaxAssets || book.orders.size() > kFokReclearMaxOrders) return r;
  r = refine_by_path(book, start);
  if (r.n) return r;
  for (const int shift : {4, 2}) {
    for (int a = 0; a < book.assets && !r.n; ++a) {
      for (const int sign : {1, -1}) {
        std::vector<BigInt> moved = start;
        for (BigInt& v : moved) v <<= 4;  // room for the fraction
        const BigInt delta = moved[a] >> shift;
        moved[a] = sign > 0 ? BigInt(moved[a] + delta) : BigInt(moved[a] - delta);
        r = refine_prices(book, moved);
        if (r.n) break;
      }
    }
    if (r.n) break;
  }
  return r;
}

// The pools' own prices as a start: from asset 0, each pool a/b puts p_b = p_a x / y
// (its reserves' value equal), walking pools in book order; an asset no pool reaches
// keeps its price in `fallback` relative to asset 0. For markets that pools tie together
// (a deep pool beside thin ones), where the price search can stop far from the
// equilibrium and the refinement from there finds none: the completion there is one more
// candidate, and its pattern a start for the price programs.
std::vector<BigInt> pool_start(const Book& book, const std::vector<BigInt>& fallback) {
  const std::size_t k = static_cast<std::size_t>(book.assets);
  std::vector<Rational> p(k, Rational(0));
  p[0] = 1;
  for (bool grew = true; grew;) {
    grew = false;
    for (const VectorPool& q : book.pools) {
      const Rational x{BigInt(q.pool.reserve_a)}, y{BigInt(q.pool.reserve_b)};
      const std::size_t a = static_cast<std::size_t>(q.a), b = static_cast<std::size_t>(q.b);
      if (p[a] != 0 && p[b] == 0)
        p[b] = p[a] * x / y;
      else if (p[b] != 0 && p[a] == 0)
        p[a] = p[b] * y / x;
      else
        continue;
      grew = true;
    }
  }
  std::vector<BigInt> n(k);
  const BigInt scale = BigInt(1) << 62;
  for (std::size_t a = 0; a < k; ++a) {
    const Rational v = p[a] != 0 ? p[a] : Rational(fallback[a], fallback[0]);
    n[a] = std::max(BigInt(1), BigInt(numerator(v) * scale / denominator(v)));
  }
  return n;
}

VectorResult clear_once(const Book& book) {
  const PriceSearch search = search_prices(book);
  const Refinement refined = refine_with_restarts(book, search.n);
  std::vector<BigInt> n = refined.n ? *refined.n : search.n;
  BigInt g = n[0];
  for (const BigInt& v : n) g = boost::multiprecision::gcd(g, v);
  for (BigInt& v : n) v /= g;
  VectorResult res = complete_at(book, n);
  bool exact = refined.n.has_value();
  if (!exact && res.valid && res.traded && book.assets <= kFokReclearMaxAssets &&
      book.orders.size() <= kFokReclearMaxOrders) {
    // Second chance: where the completion rationed, the equilibrium sits at that limit.
    std::vector<PairFill> fills(book.pairs.size());
    bool rationed = false;
    for (std::size_t p = 0; p < book.pairs.size(); ++p) {
      const PairBook& pair = book.pairs[p];
      std::size_t k = 0;
      while (k < pair.orders.size()) {
        const VectorFill& f = res.orders[pair.orders[k].input];
        if (f.outcome != VectorOutcome::filled || f.partial_fill) break;
        ++k;
      }
      fills[p].full = k;
      if (k < pair.orders.size()) {
        const VectorOutcome o = res.orders[pair.orders[k].input].outcome;
        const bool partial = o == VectorOutcome::filled && res.orders[pair.orders[k].input].partial_fill;
        fills[p].marginal = partial || o == VectorOutcome::rationed || o == VectorOutcome::at_limit_no_volume;
        rationed = rationed || partial || o == VectorOutcome::rationed;
      }
    }
    if (rationed) {
      const Refinement second = refine_from_fills(book, n, fills);
      if (second.n) {
        std::vector<BigInt> m = *second.n;
        BigInt h = m[0];
        for (const BigInt& v : m) h = boost::multiprecision::gcd(h, v);
        for (BigInt& v : m) v /= h;
        VectorResult better = complete_at(book, m);
        if (better.valid) {
          res = std::move(better);
          exact = true;
        }
      }
    }
  }
  res.stats.search_iterations = search.iterations;
  res.stats.search_converged = search.converged;
  res.stats.refined = exact;
  res.stats.refinement_rounds = refined.rounds;
  return res;
}

// A clearing with the fill-or-kill orders in `forced` made sure to trade (their limits
// relaxed 4x for the price search and refinement, so that they count as in the money)
// and those in `dropped` left out; the amounts are then completed on the real orders, so
// a forced order the prices leave out of the money does not fill.
VectorResult clear_choosing(const Book& book, const std::vector<char>& forced, const std::vector<char>& dropped) {
  std::vector<VectorOrder> relaxed, kept;
  std::vector<std::size_t> origin;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (dropped[i]) continue;
    VectorOrder o = book.orders[i];
    kept.push_back(o);
    if (forced[i]) {
      if (o.side == SwapSide::sell)
        o.buy_amount = o.buy_amount > 4 ? Amount(o.buy_amount / 4) : Amount(1);
      else
        o.sell_amount = o.sell_amount * 4;
    }
    relaxed.push_back(o);
    origin.push_back(i);
  }
  VectorResult out;
  out.valid = false;
  if (kept.empty()) return out;
  const Book relaxed_book = build_book(std::move(relaxed), book.pools, book.assets);
  const VectorResult searched = clear_once(relaxed_book);
  if (!searched.valid) return out;
  const Book kept_book = build_book(std::move(kept), book.pools, book.assets);
  VectorResult done = complete_at(kept_book, searched.n);
  if (!done.valid) return out;
  VectorResult merged = done;
  merged.orders.assign(book.orders.size(), VectorFill{});
  for (std::size_t k = 0; k < origin.size(); ++k) merged.orders[origin[k]] = done.orders[k];
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (dropped[i]) merged.orders[i].outcome = VectorOutcome::fok_not_fillable;
  }
  merged.stats = searched.stats;
  return merged;
}

// The fill-or-kill orders whose choice is enumerated (clear_vector): all of them when
// there are few (a filled one can cost the others more than its own surplus: several
// equilibria), else those the first clearing could not fill.
std::vector<std::size_t> fok_choice_orders(const Book& book, const VectorResult& res) {
  std::vector<std::size_t> fok_orders;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (res.valid && !book.orders[i].partial) fok_orders.push_back(i);
  }
  if (fok_orders.size() > kFokChoiceMax) {
    std::erase_if(fok_orders, [&](std::size_t i) { return res.orders[i].outcome != VectorOutcome::fok_not_fillable; });
  }
  return fok_orders;
}

// The best valid candidate so far (fewest rationed orders, then most surplus).
struct Chosen {
  VectorResult best;
  Score score;
};

// Fill-or-kill orders that could not fill at the found prices are left out and the
// market is cleared again without them (as the pair sweep does), so that the prices
// clear the rest exactly instead of rationing it. Bounded; only for books where a
// second clearing is cheap next to the block. Each re-clearing is a candidate (leaving
// out a fill-or-kill order can lose more surplus than it saves).
void reclear_without_unfilled_fok(const Book& book, VectorResult res, Chosen& chosen) {
  std::vector<bool> out(book.orders.size(), false);
  for (int again = 0; again < kFokReclears; ++again) {
    if (!res.valid) break;
    bool any = false;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (!out[i] && res.orders[i].outcome == VectorOutcome::fok_not_fillable) out[i] = any = true;
    }
    if (!any) break;
    std::vector<VectorOrder> kept;
    std::vector<std::size_t> origin;
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (out[i]) continue;
      kept.push_back(book.orders[i]);
      origin.push_back(i);
    }
    if (kept.empty()) break;
    const Book smaller = build_book(std::move(kept), book.pools, book.assets);
    VectorResult next = clear_once(smaller);
    if (!next.valid) break;
    VectorResult merged = next;
    merged.orders.assign(book.orders.size(), VectorFill{});
    for (std::size_t k = 0; k < origin.size(); ++k) merged.orders[origin[k]] = next.orders[k];
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (out[i]) merged.orders[i].outcome = VectorOutcome::fok_not_fillable;
    }
    merged.stats.refined = next.stats.refined;
    merged.stats.search_iterations += res.stats.search_iterations;
    merged.stats.completion_rounds += res.stats.completion_rounds;
    res = std::move(merged);
    if (!chosen.best.valid) {
      chosen.best = res;
      chosen.score = score_of(book, chosen.best);
    } else {
      Score sc = score_of(book, res);
      if (better(sc, chosen.score)) {
        chosen.best = res;
        chosen.score = std::move(sc);
      }
    }
  }
}

// When the first clearing fails its final check (a fill-or-kill order the completion
// could not place cleanly), the market cleared with every fill-or-kill order left out is
// a candidate, and the flips start from it, before the caller falls back to clearing pair
// by pair (which leaves pools unarbitraged).
void without_fill_or_kill(const Book& book, Chosen& chosen) {
  std::vector<char> forced(book.orders.size(), 0), dropped(book.orders.size(), 0);
  bool any = false;
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    if (!book.orders[i].partial) dropped[i] = any = true;
  }
  if (!any) return;
  VectorResult candidate = clear_choosing(book, forced, dropped);
  if (!candidate.valid || !candidate.traded) return;  // trading nothing: the pair fallback does better
  chosen.score = score_of(book, candidate);
  chosen.best = std::move(candidate);
}

// A start of the price programs: a fill pattern and the vector it came from.
using ProgramStart = std::pair<FillPattern, std::vector<BigInt>>;

// Tiny markets: which fill-or-kill orders trade is the integer part of the problem;
// every choice is tried (each one forced in or left out, 2^k clearings for k <= 4) and
// the best valid result kept. Each choice also gives two starts for the price programs.
void try_fok_choices(const Book& book, const std::vector<std::size_t>& fok_orders, Chosen& chosen,
                     std::vector<ProgramStart>& starts) {
  for (std::size_t mask = 0; mask < (std::size_t{1} << fok_orders.size()); ++mask) {
    std::vector<char> forced(book.orders.size(), 0), dropped(book.orders.size(), 0);
    for (std::size_t j = 0; j < fok_orders.size(); ++j) {
      ((mask >> j) & 1 ? forced : dropped)[fok_orders[j]] = 1;
    }
    VectorResult candidate = clear_choosing(book, forced, dropped);
    if (!candidate.valid) continue;
    if (book.orders.size() <= kProgramMaxOrders) {
      // A start for the price programs: the pattern with the forced orders in (the
      // program puts them in the money if any vector near this one can), and the
      // pattern as completed.
      FillPattern plain = pattern_of(book, candidate);
      FillPattern with_forced = plain;
      for (std::size_t i = 0; i < book.orders.size(); ++i) {
        if (forced[i]) with_forced.fill[i] = 1;
      }
      starts.push_back({std::move(with_forced), candidate.n});
      starts.push_back({std::move(plain), candidate.n});
    }
    Score sc = score_of(book, candidate);
    if (better(sc, chosen.score)) {
      chosen.best = std::move(candidate);
      chosen.score = std::move(sc);
    }
  }
}

// Markets with too many fill-or-kill orders to try every choice: from the best result,
// flip one order at a time (a filled one left out, an unfilled one forced in), keep a flip
// that makes the result better, and go round again until a round changes nothing; then
// flip two at a time (one in, one out often trade places), back to single flips after a
// pair that helped; all within a budget of re-clearings. Which fill-or-kill orders trade is
// what the equilibrium cannot choose (a filled one can cost the others more than its own
// surplus); small flips walk between the equilibria of neighbouring choices.
class FokFlips {
 public:
  FokFlips(const Book& book, Chosen& chosen, std::vector<ProgramStart>& starts)
      : book_(book), chosen_(chosen), starts_(starts) {
    for (std::size_t i = 0; i < book.orders.size(); ++i) {
      if (!book.orders[i].partial) fok_.push_back(i);
    }
  }
  void run() {
    while (budget_ > 0 && (single_round() || pair_round())) {}
  }

 private:
  bool single_round() {
    bool any = false;
    for (bool changed = true; changed && budget_ > 0;) {
      changed = false;
      for (const std::size_t a : fok_) changed = try_flip(a, a) || changed;
      any = any || changed;
    }
    return any;
  }
  bool pair_round() {
    for (std::size_t x = 0; x < fok_.size(); ++x)
      for (std::size_t y = x + 1; y < fok_.size(); ++y)
        if (try_flip(fok_[x], fok_[y])) return true;
    return false;
  }
  // Flips orders a and b (a == b: one order); true when that made the best result better.
  bool try_flip(std::size_t a, std::size_t b) {
    if (budget_ <= 0) return false;
    --budget_;
    std::vector<char> forced(book_.orders.size(), 0), dropped(book_.orders.size(), 0);
    for (const std::size_t i : fok_) {
      const bool filled = chosen_.best.orders[i].outcome == VectorOutcome::filled;
      ((i == a || i == b) != filled ? forced : dropped)[i] = 1;
    }
    VectorResult candidate = clear_choosing(book_, forced, dropped);
    if (!candidate.valid) return false;
    Score sc = score_of(book_, candidate);
    if (!better(sc, chosen_.score)) return false;
    starts_.push_back({pattern_of(book_, candidate), candidate.n});
    chosen_.best = std::move(candidate);
    chosen_.score = std::move(sc);
    return true;
  }

  const Book& book_;
  Chosen& chosen_;
  std::vector<ProgramStart>& starts_;
  std::vector<std::size_t> fok_;
  int budget_ = std::min<int>(kFokFlipClearings, kFokFlipOrderClearings / static_cast<int>(book_.orders.size()));
};

// Tiny markets, last: the best price vector for the best result's pattern and for the
// patterns next to it, by linear programs (price_lp.hpp). An equilibrium makes every
// pool trade its whole capacity; the best settlement may use a pool below capacity, or
// a fill-or-kill order that no equilibrium fills. The winner's pattern is searched
// first, then those of the other fill-or-kill choices (the best settlement may need
// several orders to change status at once, which one step of the search cannot do from
// the winner but can from another choice's equilibrium), within one budget.
void try_price_programs(const Book& book, std::vector<ProgramStart> starts, Chosen& chosen) {
  starts.insert(starts.begin(), {pattern_of(book, chosen.best), chosen.best.n});
  std::vector<FillPattern> seen;
  int budget = kProgramSolvesAll;
  for (auto& [pattern, n] : starts) {
    if (budget <= 0) break;
    const FillPattern& p = pattern;  // clang 14 cannot capture a structured binding
    if (std::find_if(seen.begin(), seen.end(), [&](const FillPattern& f) {
          return f.fill == p.fill && f.pool_mode == p.pool_mode;
        }) != seen.end()) {
      continue;
    }
    seen.push_back(pattern);
    int local = std::min(budget, kProgramSolves);
    const int before = local;
    const auto found = search_patterns(book, pattern, n, local);
    budget -= before - local;
    if (!found) continue;
    VectorResult candidate = complete_program(book, found->first, found->second, n);
    if (!candidate.valid) continue;
    Score sc = score_of(book, candidate);
    if (better(sc, chosen.score)) {
      candidate.stats = chosen.best.stats;
      chosen.best = std::move(candidate);
      chosen.score = std::move(sc);
    }
  }
}

}  // namespace

VectorResult clear_vector(const Book& book) {
  VectorResult res = clear_once(book);
  const bool small = book.orders.size() <= kFokReclearMaxOrders && book.assets <= kFokReclearMaxAssets;
  if (!small) return res;
  const std::vector<std::size_t> fok_orders = fok_choice_orders(book, res);
  Chosen chosen{res, score_of(book, res)};
  reclear_without_unfilled_fok(book, std::move(res), chosen);
  std::vector<ProgramStart> starts;
  if (!chosen.best.valid && pools_clear()) without_fill_or_kill(book, chosen);
  if ((!chosen.best.stats.refined || !chosen.best.valid) && !book.pools.empty() && pools_clear()) {
    VectorResult at_pools = complete_at(book, pool_start(book, chosen.best.n));
    if (at_pools.valid) {
      starts.push_back({pattern_of(book, at_pools), at_pools.n});
      Score sc = score_of(book, at_pools);
      if (chosen.best.valid ? better(sc, chosen.score) : at_pools.traded) {
        chosen.best = std::move(at_pools);
        chosen.score = std::move(sc);
      }
    }
  }
  if (chosen.best.valid && !fok_orders.empty() && fok_orders.size() <= kFokChoiceMax &&
      book.orders.size() <= kFokChoiceMaxOrders && book.assets <= kFokReclearMaxAssets) {
    try_fok_choices(book, fok_orders, chosen, starts);
  }
  if (chosen.best.valid && book.orders.size() <= kFokChoiceMaxOrders && book.assets <= kFokReclearMaxAssets &&
      pools_clear()) {
    FokFlips(book, chosen, starts).run();
  }
  if (chosen.best.valid && (chosen.best.traded || !starts.empty()) && book.orders.size() <= kProgramMaxOrders &&
      book.assets <= kFokReclearMaxAssets) {
    try_price_programs(book, std::move(starts), chosen);
  }
  return chosen.best;
}

}  // namespace pactum::matching
