// Step 4 of vector_clearing.hpp, route rounding: traders pay ceil and receive floor of
// their exact amounts, pools receive ceil and give floor of theirs, so a route through
// pools can come out a few units short of an asset. balance_routes finds those units.
#include <algorithm>
#include <optional>

#include "completion.hpp"
#include "pactum/ledger/pool_math.hpp"

namespace pactum::matching {
namespace {

// Units a trader may give up, beyond its own rounding, so that routes through pools
// (which round in their favour on both legs) balance to the unit: docs/MECHANISMS.md.
constexpr int kMaxTrimUnits = 3;

struct PullStep {
  std::size_t pool;
  BigInt more_in, more_out;
};

// Least extra input for `more` extra output: (10^4 x + keep (r + k)) (y - g - more) >= 10^4 x y.
std::optional<BigInt> extra_input(const VectorPool& p, const PoolTrade& t, const BigInt& more) {
  const std::optional<BigInt> need =
      pool_math::swap_in_for(reserve_of(p, t.take), reserve_of(p, t.give), p.pool.fee_bps, t.given + more);
  if (!need) return std::nullopt;
  return *need > t.received ? BigInt(*need - t.received) : BigInt(0);
}

// A plan that makes `units` more of `asset` available: a pool giving it gives more and
// takes more of its other asset, from a surplus there or, up to `depth` hops, pulled the
// same way. Pools in PoolId order; the first plan found is taken. `slack` counts, per
// asset, the traders that can still give up one unit of it.
bool plan_pull(const Book& book, const std::vector<PoolTrade>& trade, const std::vector<BigInt>& left,
               const std::vector<BigInt>& slack, const std::vector<BigInt>& n, int asset, const BigInt& units,
               int depth, std::vector<bool>& visited, std::vector<PullStep>& plan) {
  for (std::size_t q = 0; q < book.pools.size(); ++q) {
    const PoolTrade& t = trade[q];
    if (t.give != asset || visited[t.take]) continue;
    const std::optional<BigInt> k = extra_input(book.pools[q], t, units);
    // The pool stays within one unit of the batch prices: what it gives more is worth at
    // most one unit of what it takes more.
    if (!k || (*k + 1) * n[t.take] < units * n[t.give]) continue;
    // What the asset can spare: its leftover plus one unit per trader with room (taken in
    // the next pass).
    const BigInt surplus = std::max(left[t.take], BigInt(0)) + slack[t.take];
    if (surplus >= *k) {
      plan.push_back({q, *k, units});
      return true;
    }
    if (depth == 0) continue;
    visited[t.take] = true;
    const std::size_t mark = plan.size();
    if (plan_pull(book, trade, left, slack, n, t.take, BigInt(*k - surplus), depth - 1, visited, plan)) {
      plan.push_back({q, *k, units});
      return true;
    }
    plan.resize(mark);
    visited[t.take] = false;
  }
  return false;
}

// Step 4, route rounding: per asset what is left over may be short. A shortfall comes
// from pools rounding in their favour on both legs of a route (one gives floor(c), the
// next takes ceil(c)). It is covered, cheapest first for the traders: a pool with room on
// its curve gives more; a pull along pools from a surplus; a partial fill with room gives
// up a unit; a pool that takes the asset takes less and gives what its curve then allows
// (which may move the shortfall downstream, to the asset it gives); only then a pull that
// counts on traders' room, and traders (ascending id) with room above their limit giving
// up units. Two tries: pools first (traders keep the one-unit rounding rule), then, if
// that cannot balance, traders' room first.
class RouteBalancer {
 public:
  RouteBalancer(const Book& book, const std::vector<BigInt>& n, std::vector<VectorFill>& fills,
                std::vector<PoolTrade>& trade, std::vector<BigInt>& left)
      : book_(book),
        n_(n),
        fills_(fills),
        trade_(trade),
        left_(left),
        assets_(static_cast<std::size_t>(book.assets)),
        trimmed_(book.orders.size(), 0),
        took_less_(book.pools.size(), 0),
        gave_more_(book.pools.size(), 0) {}

  // Returns the units traders gave up (`left` may still be short: the caller checks).
  int run() {
    const std::vector<PoolTrade> trade_before = trade_;
    const std::vector<BigInt> left_before = left_;
    const std::vector<VectorFill> fills_before = fills_;
    passes(false);
    if (std::any_of(left_.begin(), left_.end(), [](const BigInt& v) { return v < 0; })) {
      trade_ = trade_before;
      left_ = left_before;
      fills_ = fills_before;
      std::fill(trimmed_.begin(), trimmed_.end(), 0);
      std::fill(took_less_.begin(), took_less_.end(), 0);
      std::fill(gave_more_.begin(), gave_more_.end(), 0);
      passes(true);
    }
    int units = 0;
    for (const char t : trimmed_) units += t;
    return units;
  }

 private:
  // Repeatedly the first asset that is short, until none is (bounded).
  void passes(bool traders_first) {
    for (std::size_t pass = 0; pass < 16 * assets_ + 16; ++pass) {
      std::size_t a = 0;
      while (a < assets_ && left_[a] >= 0) ++a;
      if (a == assets_) break;
      cover(a, traders_first);
    }
  }

  void cover(std::size_t a, bool traders_first) {
    if (traders_first) trim_traders(a);
    pools_give_more(a);
    if (left_[a] < 0 && pull(a, false)) return;
    partials_give_up(a);
    pools_take_less(a);
    if (left_[a] >= 0) return;
    if (pull(a, true)) return;
    trim_traders(a);
  }

  // A full fill with room above its limit gives up a unit of `asset` (at most
  // kMaxTrimUnits in all): side sell receives one less, side buy pays one more.
  bool can_trim(std::size_t i, int asset) const {
    const VectorFill& f = fills_[i];
    const VectorOrder& o = book_.orders[i];
    if (f.outcome != VectorOutcome::filled || f.partial_fill || trimmed_[i] >= kMaxTrimUnits) return false;
    if (o.side == SwapSide::sell) return o.buy == asset && f.received > BigInt(o.buy_amount);
    return o.sell == asset && f.paid < BigInt(o.sell_amount);
  }

  // Per asset, the units traders could still give up (none without `with_traders`).
  std::vector<BigInt> trader_slack(bool with_traders) const {
    std::vector<BigInt> slack(assets_, BigInt(0));
    if (!with_traders) return slack;
    for (std::size_t i = 0; i < book_.orders.size(); ++i) {
      const VectorOrder& o = book_.orders[i];
      const VectorFill& f = fills_[i];
      const int asset = o.side == SwapSide::sell ? o.buy : o.sell;
      if (!can_trim(i, asset)) continue;
      const BigInt room =
          o.side == SwapSide::sell ? BigInt(f.received - BigInt(o.buy_amount)) : BigInt(BigInt(o.sell_amount) - f.paid);
      slack[asset] += std::min(room, BigInt(kMaxTrimUnits - trimmed_[i]));
    }
    return slack;
  }

  bool pull(std::size_t a, bool with_traders) {
    std::vector<PullStep> plan;
    std::vector<bool> visited(assets_, false);
    visited[a] = true;
    if (!plan_pull(book_, trade_, left_, trader_slack(with_traders), n_, static_cast<int>(a), BigInt(-left_[a]), 3,
                   visited, plan)) {
      return false;
    }
    for (const PullStep& step : plan) {
      PoolTrade& t = trade_[step.pool];
      t.received += step.more_in;
      t.given += step.more_out;
      left_[t.take] -= step.more_in;
      left_[t.give] += step.more_out;
    }
    return true;
  }

  void trim_traders(std::size_t a) {
    for (std::size_t i = 0; i < book_.orders.size() && left_[a] < 0; ++i) {
      while (left_[a] < 0 && can_trim(i, static_cast<int>(a))) {
        VectorFill& f = fills_[i];
        if (book_.orders[i].buy == static_cast<int>(a))
          f.received -= 1;
        else
          f.paid += 1;
        ++trimmed_[i];
        left_[a] += 1;
      }
    }
  }

  // A pool that gives the asset and has room on its curve gives more.
  void pools_give_more(std::size_t a) {
    for (std::size_t q = 0; q < book_.pools.size() && left_[a] < 0; ++q) {
      PoolTrade& t = trade_[q];
      if (t.give != static_cast<int>(a) || gave_more_[q]) continue;
      const BigInt room = pool_math::swap_out(reserve_of(book_.pools[q], t.take), reserve_of(book_.pools[q], t.give),
                                              book_.pools[q].pool.fee_bps, t.received) -
                          t.given;
      if (room <= 0) continue;
      // One unit per pool, and only while the pool stays within one unit of what it
      // takes of the batch prices: received N_take - (given + 1) N_give >= -N_take.
      if ((t.received + 1) * n_[t.take] < (t.given + 1) * n_[t.give]) continue;
      gave_more_[q] = 1;
      const BigInt more = 1;
      t.given += more;
      left_[a] += more;
    }
  }

  // Partial fills with room above their limit (up to rounding) receive one unit less.
  void partials_give_up(std::size_t a) {
    for (std::size_t i = 0; i < book_.orders.size() && left_[a] < 0; ++i) {
      VectorFill& f = fills_[i];
      const VectorOrder& o = book_.orders[i];
      if (f.outcome != VectorOutcome::filled || !f.partial_fill || o.buy != static_cast<int>(a)) continue;
      if (f.received > 0 && f.received * BigInt(o.sell_amount) > (f.paid - 1) * BigInt(o.buy_amount)) {
        f.received -= 1;
        left_[a] += 1;
      }
    }
  }

  // A pool that takes the asset takes less and gives what its curve then allows.
  void pools_take_less(std::size_t a) {
    for (std::size_t q = 0; q < book_.pools.size() && left_[a] < 0; ++q) {
      PoolTrade& t = trade_[q];
      // One unit per pool at most: a pool stays within a unit of the batch prices.
      if (t.take != static_cast<int>(a) || t.received == 0 || took_less_[q]) continue;
      took_less_[q] = 1;
      const BigInt less = 1;
      t.received -= less;
      left_[a] += less;
      // The most it may give for what it now takes: (10^4 x + keep r)(y - g) >= 10^4 x y.
      const BigInt most = pool_math::swap_out(reserve_of(book_.pools[q], t.take), reserve_of(book_.pools[q], t.give),
                                              book_.pools[q].pool.fee_bps, t.received);
      if (t.given > most) {
        left_[t.give] -= t.given - most;
        t.given = most;
      }
    }
  }

  const Book& book_;
  const std::vector<BigInt>& n_;
  std::vector<VectorFill>& fills_;
  std::vector<PoolTrade>& trade_;
  std::vector<BigInt>& left_;
  const std::size_t assets_;
  std::vector<char> trimmed_;                // per order: units given up
  std::vector<char> took_less_, gave_more_;  // per pool: its one unit used
};

}  // namespace

int balance_routes(const Book& book, const std::vector<BigInt>& n, std::vector<VectorFill>& fills,
                   std::vector<PoolTrade>& trade, std::vector<BigInt>& left) {
  return RouteBalancer(book, n, fills, trade, left).run();
}

}  // namespace pactum::matching
