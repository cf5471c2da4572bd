#include "tatonnement.hpp"

#include <algorithm>

namespace pactum::matching {
namespace {

using i128 = __int128;

constexpr int kPriceBits = 60;
constexpr int kErrBits = 32;  // err fixed point
constexpr int kEtaBits = 16;  // step size fixed point
constexpr i128 kTolerance = i128(1) << (kErrBits - 24);
constexpr int kMaxIterations = 3000;
constexpr std::uint64_t kInitialPrice = std::uint64_t(1) << (kPriceBits - 1);

struct WorkPool {
  int a, b;
  u128 x, y;              // reserves in working units
  u128 fee_num, fee_den;  // 1/gamma = fee_num / fee_den = 10000 / (10000 - fee)
};

struct Evaluation {
  std::vector<i128> err;
  u128 objective = 0;
  i128 worst = 0;
};

int bits_of(u128 v) {
  int n = 0;
  while (v != 0) {
    v >>= 1;
    ++n;
  }
  return n;
}

class Search {
 public:
  explicit Search(const Book& book) : book_(book) {
    // What each asset could supply at most: every order selling it, every reserve of it.
    depth_.assign(static_cast<std::size_t>(book.assets), 0);
    for (const VectorOrder& o : book.orders) {
      depth_[o.sell] += static_cast<std::uint64_t>(Amount(o.sell_amount >> book.shift[o.sell]));
    }
    for (const VectorPool& p : book.pools) {
      depth_[p.a] += static_cast<std::uint64_t>(Amount(p.pool.reserve_a >> book.shift[p.a]));
      depth_[p.b] += static_cast<std::uint64_t>(Amount(p.pool.reserve_b >> book.shift[p.b]));
    }
    for (const VectorPool& p : book.pools) {
      WorkPool w{p.a,
                 p.b,
                 u128(static_cast<std::uint64_t>(Amount(p.pool.reserve_a >> book.shift[p.a]))),
                 u128(static_cast<std::uint64_t>(Amount(p.pool.reserve_b >> book.shift[p.b]))),
                 10000,
                 u128(10000 - p.pool.fee_bps)};
      if (w.x != 0 && w.y != 0) pools_.push_back(w);
    }
  }

  Evaluation evaluate(const std::vector<std::uint64_t>& price) const {
    const std::size_t n = static_cast<std::size_t>(book_.assets);
    std::vector<u128> supply(n, 0), demand(n, 0);
    for (const PairBook& pair : book_.pairs) {
      const u128 ratio = (u128(price[pair.sell]) << 64) / u128(price[pair.buy]);
      auto it = std::partition_point(pair.orders.begin(), pair.orders.end(),
                                     [&](const BookOrder& b) { return b.work_key <= ratio; });
      const std::size_t k = static_cast<std::size_t>(it - pair.orders.begin());
      const u128 v = pair.work_sell_side[k] * price[pair.sell] + pair.work_buy_side[k] * price[pair.buy];
      supply[pair.sell] += v;
      demand[pair.buy] += v;
    }
    for (const WorkPool& p : pools_) {
      // Takes a, gives b: value p_b*y - p_a*x/gamma; or the other way round.
      const u128 give_b = price[p.b] * p.y, take_a = price[p.a] * p.x * p.fee_num / p.fee_den;
      const u128 give_a = price[p.a] * p.x, take_b = price[p.b] * p.y * p.fee_num / p.fee_den;
      if (give_b > take_a) {
        const u128 v = give_b - take_a;
        supply[p.b] += v;
        demand[p.a] += v;
      } else if (give_a > take_b) {
        const u128 v = give_a - take_b;
        supply[p.a] += v;
        demand[p.b] += v;
      }
    }
    Evaluation e;
    e.err.assign(n, 0);
    for (std::size_t a = 0; a < n; ++a) {
      // Normalised by the asset's whole depth at P (not by what trades now), so that the
      // error shrinks as the price approaches clearing instead of sitting at +-1.
      u128 volume = depth_[a] * price[a];
      if (volume == 0) continue;
      i128 z = i128(demand[a]) - i128(supply[a]);
      const int drop = std::max(0, bits_of(volume) - 90);
      volume >>= drop;
      z >>= drop;
      i128 err = (z << kErrBits) / i128(volume + 1);
      err = std::clamp<i128>(err, -(i128(1) << kErrBits), i128(1) << kErrBits);
      e.err[a] = err;
      e.objective += u128(err * err);
      e.worst = std::max(e.worst, err < 0 ? -err : err);
    }
    return e;
  }

  std::vector<std::uint64_t> initial() const {
    const std::size_t n = static_cast<std::size_t>(book_.assets);
    std::vector<u128> price(n, 0);
    price[0] = kInitialPrice;
    // Pools first (their reserves are the best guess), then the median limit of a pair.
    for (bool changed = true; changed;) {
      changed = false;
      for (const WorkPool& p : pools_) {
        if ((price[p.a] == 0) == (price[p.b] == 0)) continue;
        if (price[p.b] == 0)
          price[p.b] = clamp(price[p.a] * p.x / p.y);
        else
          price[p.a] = clamp(price[p.b] * p.y / p.x);
        changed = true;
      }
      if (changed) continue;
      for (const PairBook& pair : book_.pairs) {
        if ((price[pair.sell] == 0) == (price[pair.buy] == 0)) continue;
        const u128 key = pair.orders[pair.orders.size() / 2].work_key;  // P_sell / P_buy * 2^64
        if (price[pair.buy] == 0) {
          price[pair.buy] = key == 0 ? kInitialPrice : clamp((price[pair.sell] << 64) / key);
        } else {
          price[pair.sell] =
              clamp((key >> 64) * price[pair.buy] + (((key & ~std::uint64_t(0)) * price[pair.buy]) >> 64));
        }
        changed = true;
        break;
      }
    }
    std::vector<std::uint64_t> out(n);
    for (std::size_t a = 0; a < n; ++a) out[a] = price[a] == 0 ? kInitialPrice : static_cast<std::uint64_t>(price[a]);
    normalize(out);
    return out;
  }

  static void normalize(std::vector<std::uint64_t>& price) {
    std::uint64_t top = *std::max_element(price.begin(), price.end());
    while (top >= (std::uint64_t(1) << kPriceBits)) {
      for (std::uint64_t& p : price) p = std::max<std::uint64_t>(1, p >> 1);
      top >>= 1;
    }
    while (top < (std::uint64_t(1) << (kPriceBits - 1))) {
      for (std::uint64_t& p : price) p <<= 1;
      top <<= 1;
    }
  }

 private:
  static u128 clamp(u128 v) {
    const u128 top = u128(1) << (kPriceBits + 2);
    return v == 0 ? 1 : (v > top ? top : v);
  }

  const Book& book_;
  std::vector<WorkPool> pools_;
  std::vector<u128> depth_;
};

}  // namespace

PriceSearch search_prices(const Book& book) {
  Search search(book);
  std::vector<std::uint64_t> price = search.initial();
  Evaluation now = search.evaluate(price);
  i128 eta = i128(1) << (kEtaBits - 2);
  PriceSearch out;
  for (; out.iterations < kMaxIterations; ++out.iterations) {
    if (now.worst <= kTolerance) {
      out.converged = true;
      break;
    }
    if (eta == 0) break;
    std::vector<std::uint64_t> next = price;
    for (std::size_t a = 0; a < price.size(); ++a) {
      const i128 p = i128(price[a]);
      i128 moved = p + ((p * now.err[a] * eta) >> (kErrBits + kEtaBits));
      moved = std::max(moved, std::max<i128>(1, p / 4));
      next[a] = static_cast<std::uint64_t>(moved);
    }
    Search::normalize(next);
    Evaluation tried = search.evaluate(next);
    if (tried.objective < now.objective) {
      price = std::move(next);
      now = std::move(tried);
      eta = std::min<i128>(eta * 5 / 4 + 1, i128(4) << kEtaBits);
    } else {
      // The joint step failed (a jump somewhere): try moving only the worst asset, which
      // gets a badly priced asset unstuck where the others sit on a discontinuity.
      std::size_t worst = 0;
      for (std::size_t a = 1; a < price.size(); ++a) {
        if ((now.err[a] < 0 ? -now.err[a] : now.err[a]) > (now.err[worst] < 0 ? -now.err[worst] : now.err[worst])) {
          worst = a;
        }
      }
      std::vector<std::uint64_t> single = price;
      single[worst] = next[worst];
      Search::normalize(single);
      Evaluation alone = search.evaluate(single);
      if (single != price && alone.objective < now.objective) {
        price = std::move(single);
        now = std::move(alone);
      } else {
        eta /= 2;
      }
    }
  }
  int top_shift = 0;
  for (int s : book.shift) top_shift = std::max(top_shift, s);
  out.n.resize(price.size());
  for (std::size_t a = 0; a < price.size(); ++a) out.n[a] = BigInt(price[a]) << (top_shift - book.shift[a]);
  return out;
}

}  // namespace pactum::matching
