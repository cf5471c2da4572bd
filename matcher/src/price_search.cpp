#include "price_search.hpp"

#include <map>

namespace pactum::matching {
namespace {

// What changes at one breakpoint value.
struct Breakpoint {
  Piece asks_entering;  // asks with this limit join from here on (p >= limit)
  Piece bids_leaving;   // bids with this limit leave just after it (p > limit)
  int asks_count = 0;
  int bids_count = 0;
  bool pool_bid_edge = false;
  bool pool_ask_edge = false;
};

int sign(const Rational& r) { return r > 0 ? 1 : (r < 0 ? -1 : 0); }

// A root of a + b/p strictly between lo and hi (hi == nullopt: infinity), given E's
// values just inside both ends. E is monotone on the interval (or constant).
std::optional<Rational> interior_root(const Piece& e, const Rational& lo, int sign_lo, int sign_hi) {
  if (sign_lo == 0 || sign_hi == 0 || sign_lo == sign_hi || e.a == 0) return std::nullopt;
  const Rational p = -e.b / e.a;
  if (p <= lo) return std::nullopt;  // cannot happen when the signs differ; be safe
  return p;
}

}  // namespace

std::vector<Rational> clearing_candidates(const std::vector<SweepOrder>& orders, const std::optional<PoolCurve>& pool,
                                          std::size_t max_count) {
  std::map<Rational, Breakpoint> points;
  Piece current;  // E on the interval left of the next breakpoint
  int participants = 0;
  for (const SweepOrder& o : orders) {
    Breakpoint& bp = points[o.limit];
    if (o.ask) {
      bp.asks_entering += o.piece;
      ++bp.asks_count;
    } else {
      bp.bids_leaving += o.piece;
      ++bp.bids_count;
      current += o.piece;  // every bid participates near p = 0
      ++participants;
    }
  }
  if (pool) {
    points[pool->bid()].pool_bid_edge = true;
    points[pool->ask()].pool_ask_edge = true;
    current += pool->below_bid();
  }

  std::vector<Rational> out;
  Rational left_end = 0;
  // Sign of E just right of the previous breakpoint (near 0: the sign of b, else of a).
  int sign_after_left = current.b != 0 ? sign(current.b) : sign(current.a);
  for (auto it = points.begin(); it != points.end() && out.size() < max_count; ++it) {
    const Rational& at = it->first;
    const Breakpoint& bp = it->second;
    const Rational before = current.at(at);
    if (auto root = interior_root(current, left_end, sign_after_left, sign(before))) {
      out.push_back(*root);
      if (out.size() == max_count) break;
    }
    Piece right = current;
    right += bp.asks_entering;
    right -= bp.bids_leaving;
    if (bp.pool_bid_edge) right -= pool->below_bid();
    if (bp.pool_ask_edge) right += pool->above_ask();
    participants += bp.asks_count - bp.bids_count;
    const Rational after = right.at(at);
    if (before <= 0 && after >= 0) {
      auto next = std::next(it);
      if (!pool && right.is_zero() && participants > 0 && next != points.end()) {
        out.push_back((at + next->first) / 2);  // same trades as at `at`, fairer price
      } else {
        out.push_back(at);
      }
    }
    current = right;
    left_end = at;
    sign_after_left = sign(after);
  }
  if (out.size() < max_count) {
    // Last interval, up to infinity, where E tends to a.
    if (auto root = interior_root(current, left_end, sign_after_left, sign(current.a))) {
      out.push_back(*root);
    }
  }
  return out;
}

}  // namespace pactum::matching
