// fcfs execution, sandwiches and back-runs (sequencing.hpp; formulas in
// docs/MECHANISMS.md §10).
#include "sequencing.hpp"

#include <set>

namespace pactum::analysis {

namespace {

// Integer ternary search for the maximum of a (roughly) unimodal f on [lo, hi]; returns
// the best point seen. Deterministic: depends only on f.
template <class F>
BigInt argmax(BigInt lo, BigInt hi, F f) {
  while (hi - lo > 2) {
    const BigInt third = (hi - lo) / 3;
    const BigInt m1 = lo + third, m2 = hi - third;
    if (f(m1) < f(m2))
      lo = m1 + 1;
    else
      hi = m2;
  }
  BigInt best = lo;
  auto best_v = f(lo);
  for (BigInt x = lo + 1; x <= hi; ++x) {
    auto v = f(x);
    if (v > best_v) {
      best_v = v;
      best = x;
    }
  }
  return best;
}

// The most that can be added to a reserve `r` in a search: `times` r, and never past
// 2^256 - 1 (reserves are Amounts).
BigInt search_room(const BigInt& r, unsigned times) {
  const BigInt max_amount = (BigInt(1) << 256) - 1;
  return std::min(BigInt(r * times), BigInt(max_amount - r));
}

}  // namespace

std::map<std::string, Rational> reference_values(const PoolBook& book, const Study& study) {
  std::map<std::string, Rational> value;
  for (const auto& [symbol, d] : study.decimals) value[symbol] = 0;
  std::set<std::string> priced{study.numeraire};
  value[study.numeraire] = 1;
  std::vector<std::string> frontier{study.numeraire};
  while (!frontier.empty()) {  // one breadth-first layer per pass
    std::vector<std::string> next;
    for (const auto& [id, p] : book.pools()) {
      if (p.reserve_a == 0 || p.reserve_b == 0) continue;
      for (int side = 0; side < 2; ++side) {
        const std::string& known = side ? p.asset_b : p.asset_a;
        const std::string& other = side ? p.asset_a : p.asset_b;
        if (priced.count(other) || std::find(frontier.begin(), frontier.end(), known) == frontier.end()) continue;
        // One unit of `other` trades for R_known / R_other units of `known` at the spot.
        const BigInt r_known(side ? p.reserve_b : p.reserve_a), r_other(side ? p.reserve_a : p.reserve_b);
        value[other] = value[known] * Rational(r_known, r_other);
        priced.insert(other);
        next.push_back(other);
      }
    }
    frontier = std::move(next);
  }
  return value;
}

Execution execute_alone(const PoolBook& book, const std::vector<std::string>& assets, const Swap& s) {
  return execute_on(book, routes(book, assets, s.sell_asset, s.buy_asset), s);
}

Execution execute_on(const PoolBook& book, const std::vector<Route>& candidates, const Swap& s) {
  Execution best;
  if (candidates.empty()) return best;
  const BigInt S(s.sell_amount), B(s.buy_amount);
  if (s.side == SwapSide::sell) {
    BigInt best_out = -1;
    for (const Route& r : candidates) {
      const BigInt o = route_out(book, r, S);
      if (o > best_out) {
        best_out = o;
        best.route = r;
      }
    }
    if (best_out >= B) {
      best.filled = true;
      best.sold = S;
      best.bought = best_out;
    } else if (s.partial) {
      // The largest part whose average rate still meets the limit: out(x)*S >= B*x.
      const BigInt x = largest_ok(S, [&](const BigInt& v) { return route_out(book, best.route, v) * S >= B * v; });
      const BigInt o = x > 0 ? route_out(book, best.route, x) : BigInt(0);
      if (x > 0 && o > 0) {
        best.filled = true;
        best.sold = x;
        best.bought = o;
      }
    }
    return best;
  }
  std::optional<BigInt> best_in;
  for (const Route& r : candidates) {
    auto in = route_in(book, r, B);
    if (in && (!best_in || *in < *best_in)) {
      best_in = in;
      best.route = r;
    }
  }
  if (!best_in) best.route = candidates.front();
  if (best_in && *best_in <= S) {
    best.filled = true;
    best.sold = *best_in;
    best.bought = B;
  } else if (s.partial) {
    // The largest part bought within the limit rate: in(y)*B <= S*y.
    const BigInt y = largest_ok(B, [&](const BigInt& v) {
      auto in = route_in(book, best.route, v);
      return in && *in * B <= S * v;
    });
    if (y > 0) {
      best.filled = true;
      best.sold = *route_in(book, best.route, y);
      best.bought = y;
    }
  }
  return best;
}

void apply(PoolBook& book, const Execution& e) {
  if (e.filled) route_trade(book, e.route, e.sold);
}

std::optional<Sandwich> best_sandwich(const PoolBook& book, const Swap& s) {
  if (!book.has(s.sell_asset, s.buy_asset)) return std::nullopt;
  const std::vector<std::string> direct{s.sell_asset, s.buy_asset};
  // The victim, run alone on the direct pool after a front-run of `a`: does it still fill
  // in full within its limit?
  auto victim_fills = [&](const PoolBook& b) {
    if (s.side == SwapSide::sell)
      return b.out(s.sell_asset, s.buy_asset, BigInt(s.sell_amount)) >= BigInt(s.buy_amount);
    auto in = b.in_for(s.sell_asset, s.buy_asset, BigInt(s.buy_amount));
    return in && *in <= BigInt(s.sell_amount);
  };
  if (!victim_fills(book)) return std::nullopt;
  auto run = [&](const BigInt& a, Sandwich* out) -> BigInt {  // the searcher's profit in sell_asset
    PoolBook b = book;
    const BigInt f = b.trade(s.sell_asset, s.buy_asset, a);
    if (!victim_fills(b)) return -a;
    if (s.side == SwapSide::sell)
      b.trade(s.sell_asset, s.buy_asset, BigInt(s.sell_amount));
    else
      b.trade(s.sell_asset, s.buy_asset, *b.in_for(s.sell_asset, s.buy_asset, BigInt(s.buy_amount)));
    const BigInt back = b.trade(s.buy_asset, s.sell_asset, f);
    if (out) *out = Sandwich{a, f, back};
    return back - a;
  };
  const BigInt r_in = book.reserve(s.sell_asset, s.buy_asset, s.sell_asset);
  const BigInt a_max = largest_ok(search_room(r_in, 4), [&](const BigInt& a) {
    PoolBook b = book;
    b.trade(s.sell_asset, s.buy_asset, a);
    return victim_fills(b);
  });
  if (a_max <= 0) return std::nullopt;
  BigInt a = argmax(BigInt(1), a_max, [&](const BigInt& x) { return run(x, nullptr); });
  if (run(a_max, nullptr) > run(a, nullptr)) a = a_max;
  Sandwich best;
  if (run(a, &best) <= 0) return std::nullopt;
  return best;
}

Rational backrun(PoolBook& book, const PoolId& id, const Market& m) {
  auto ref_it = m.reference.find(id);
  if (ref_it == m.reference.end() || !book.has(id.first, id.second)) return 0;
  const Rational p = ref_it->second;  // asset_b per asset_a
  const std::string& a = id.first;
  const std::string& b = id.second;
  // Profit in asset_b units of selling x of `sell` into the pool, valued at p.
  auto profit = [&](const std::string& sell, const BigInt& x) -> Rational {
    const BigInt o = book.out(sell, sell == a ? b : a, x);
    return sell == a ? Rational(o) - p * x : p * o - Rational(x);
  };
  Rational best = 0;
  std::string best_sell;
  BigInt best_x = 0;
  for (const std::string& sell : {a, b}) {
    const BigInt cap = search_room(book.reserve(a, b, sell), 1);
    const BigInt x = argmax(BigInt(0), cap, [&](const BigInt& v) { return profit(sell, v); });
    const Rational v = profit(sell, x);
    if (v > best) {
      best = v;
      best_sell = sell;
      best_x = x;
    }
  }
  if (best <= 0) return 0;
  book.trade(best_sell, best_sell == a ? b : a, best_x);
  return best * m.value.at(b);
}

}  // namespace pactum::analysis
