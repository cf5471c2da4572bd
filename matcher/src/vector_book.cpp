#include "vector_book.hpp"

#include <algorithm>
#include <map>

#include <boost/multiprecision/cpp_int.hpp>

namespace pactum::matching {
namespace {

using boost::multiprecision::uint512_t;

constexpr u128 kMaxKey = ~u128(0);
constexpr int kWorkBits = 40;

int bit_length(const Amount& v) { return v == 0 ? 0 : static_cast<int>(boost::multiprecision::msb(v)) + 1; }

std::uint64_t low64(const Amount& v) { return static_cast<std::uint64_t>(v & Amount(~std::uint64_t(0))); }

// floor(B * 2^64 / S), saturated at 2^128 - 1. Exact, so two different keys order the
// limits correctly; equal keys need the exact comparison.
u128 limit_key(const Amount& buy, const Amount& sell) {
  if (bit_length(buy) <= 64 && bit_length(sell) <= 64) {
    return (u128(low64(buy)) << 64) / u128(low64(sell));
  }
  const uint512_t q = (uint512_t(buy) << 64) / uint512_t(sell);
  if (q == 0) return 0;  // a limit below 2^-64 (e.g. "at least 1 unit" for 80 ETH): msb(0) is undefined
  if (boost::multiprecision::msb(q) >= 128) return kMaxKey;
  return (u128(static_cast<std::uint64_t>(q >> 64)) << 64) |
         u128(static_cast<std::uint64_t>(q & uint512_t(~std::uint64_t(0))));
}

u128 shifted(u128 key, int by) {
  if (by == 0 || key == 0) return key;
  if (by < 0) return -by >= 128 ? 0 : key >> (-by);
  if (by >= 128 || (key >> (128 - by)) != 0) return kMaxKey;
  return key << by;
}

std::uint64_t work_amount(const Amount& v, int shift) { return low64(v >> shift); }

// Exact: limit of x < limit of y (B_x / S_x < B_y / S_y).
bool limit_less(const VectorOrder& x, const VectorOrder& y) {
  return uint512_t(x.buy_amount) * uint512_t(y.sell_amount) < uint512_t(y.buy_amount) * uint512_t(x.sell_amount);
}

}  // namespace

bool same_limit(const VectorOrder& x, const VectorOrder& y) {
  return uint512_t(x.buy_amount) * uint512_t(y.sell_amount) == uint512_t(y.buy_amount) * uint512_t(x.sell_amount);
}

int limit_vs_price(const VectorOrder& o, const std::vector<BigInt>& n) {
  const BigInt lhs = BigInt(o.buy_amount) * n[o.buy];
  const BigInt rhs = BigInt(o.sell_amount) * n[o.sell];
  return lhs < rhs ? -1 : (lhs == rhs ? 0 : 1);
}

BigInt full_value(const VectorOrder& o, const std::vector<BigInt>& n) {
  return o.side == SwapSide::sell ? BigInt(BigInt(o.sell_amount) * n[o.sell]) : BigInt(BigInt(o.buy_amount) * n[o.buy]);
}

std::size_t weakly_in(const Book& book, const PairBook& pair, const std::vector<BigInt>& n) {
  // Limits ascend along the book: the first order whose limit is above the price ends it.
  auto it = std::partition_point(pair.orders.begin(), pair.orders.end(),
                                 [&](const BookOrder& b) { return limit_vs_price(book.orders[b.input], n) <= 0; });
  return static_cast<std::size_t>(it - pair.orders.begin());
}

std::size_t strictly_in(const Book& book, const PairBook& pair, const std::vector<BigInt>& n) {
  auto it = std::partition_point(pair.orders.begin(), pair.orders.end(),
                                 [&](const BookOrder& b) { return limit_vs_price(book.orders[b.input], n) < 0; });
  return static_cast<std::size_t>(it - pair.orders.begin());
}

Book build_book(std::vector<VectorOrder> orders, std::vector<VectorPool> pools, int assets) {
  Book book;
  book.assets = assets;
  book.orders = std::move(orders);
  book.pools = std::move(pools);

  // Working units: the largest amount of each asset fits in kWorkBits bits.
  std::vector<int> bits(assets, 0);
  for (const VectorOrder& o : book.orders) {
    bits[o.sell] = std::max(bits[o.sell], bit_length(o.sell_amount));
    bits[o.buy] = std::max(bits[o.buy], bit_length(o.buy_amount));
  }
  for (const VectorPool& p : book.pools) {
    bits[p.a] = std::max(bits[p.a], bit_length(p.pool.reserve_a));
    bits[p.b] = std::max(bits[p.b], bit_length(p.pool.reserve_b));
  }
  book.shift.resize(assets);
  for (int a = 0; a < assets; ++a) book.shift[a] = std::max(0, bits[a] - kWorkBits);

  std::map<std::pair<int, int>, std::size_t> index;
  for (std::uint32_t i = 0; i < book.orders.size(); ++i) {
    const VectorOrder& o = book.orders[i];
    auto [it, fresh] = index.try_emplace({o.sell, o.buy}, 0);
    if (fresh) {
      it->second = book.pairs.size();
      book.pairs.push_back(PairBook{o.sell, o.buy, {}, {}, {}, {}, {}});
    }
    BookOrder b;
    b.input = i;
    b.key = limit_key(o.buy_amount, o.sell_amount);
    b.work_key = shifted(b.key, book.shift[o.sell] - book.shift[o.buy]);
    b.side_buy = o.side == SwapSide::buy;
    b.work_amount =
        b.side_buy ? work_amount(o.buy_amount, book.shift[o.buy]) : work_amount(o.sell_amount, book.shift[o.sell]);
    book.pairs[it->second].orders.push_back(b);
  }
  std::sort(book.pairs.begin(), book.pairs.end(),
            [](const PairBook& x, const PairBook& y) { return std::tie(x.sell, x.buy) < std::tie(y.sell, y.buy); });

  for (PairBook& pair : book.pairs) {
    std::sort(pair.orders.begin(), pair.orders.end(), [&](const BookOrder& x, const BookOrder& y) {
      if (x.key != y.key) return x.key < y.key;
      const VectorOrder& ox = book.orders[x.input];
      const VectorOrder& oy = book.orders[y.input];
      if (limit_less(ox, oy)) return true;
      if (limit_less(oy, ox)) return false;
      return x.input < y.input;  // inputs are in ascending id
    });
    const std::size_t n = pair.orders.size();
    pair.sum_sell_side.assign(n + 1, BigInt(0));
    pair.sum_buy_side.assign(n + 1, BigInt(0));
    pair.work_sell_side.assign(n + 1, 0);
    pair.work_buy_side.assign(n + 1, 0);
    for (std::size_t k = 0; k < n; ++k) {
      const BookOrder& b = pair.orders[k];
      const VectorOrder& o = book.orders[b.input];
      pair.sum_sell_side[k + 1] = pair.sum_sell_side[k];
      pair.sum_buy_side[k + 1] = pair.sum_buy_side[k];
      pair.work_sell_side[k + 1] = pair.work_sell_side[k];
      pair.work_buy_side[k + 1] = pair.work_buy_side[k];
      if (b.side_buy) {
        pair.sum_buy_side[k + 1] += BigInt(o.buy_amount);
        pair.work_buy_side[k + 1] += b.work_amount;
      } else {
        pair.sum_sell_side[k + 1] += BigInt(o.sell_amount);
        pair.work_sell_side[k + 1] += b.work_amount;
      }
    }
  }
  return book;
}

}  // namespace pactum::matching
