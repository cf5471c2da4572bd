// The order books of one multi-asset component, grouped by directed pair and sorted by
// limit, with the prefix sums that make "what trades on this pair at these prices" a
// binary search. Shared by the price search (approximate, fixed-width integers) and the
// exact steps (refinement, completion), which use the same sorted order.
//
// Prices here are scale-free: a vector N of positive integers, asset a worth N[a] (any
// common factor cancels). A swap selling a for b at N is
//   in the money   iff  B * N[b] <= S * N[a]  (its limit B/S, buy per sell, is met)
//   marginal       iff  equality holds
// for both sides (side sell: receives S*N[a]/N[b] >= B; side buy: pays B*N[b]/N[a] <= S).
// Its value (what it moves, in units of the price vector) is S*N[a] (side sell) or
// B*N[b] (side buy).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "pactum/intents/crypto.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/ledger/state.hpp"
#include "rational.hpp"

namespace pactum::matching {

using u128 = unsigned __int128;

// One funded swap of the component (input order = ascending id).
struct VectorOrder {
  Hash32 id;
  int sell = 0;  // asset index in the component
  int buy = 0;
  SwapSide side = SwapSide::sell;
  Amount sell_amount;
  Amount buy_amount;
  bool partial = false;
};

// A pool of the component with both reserves > 0; a = pool.asset_a's index, b = asset_b's.
struct VectorPool {
  int a = 0;
  int b = 0;
  Pool pool;
};

struct BookOrder {
  std::uint32_t input = 0;        // index into the component's orders
  u128 key = 0;                   // floor(B * 2^64 / S), saturated: orders limits when keys differ
  u128 work_key = 0;              // the limit in working units (see Book::shift), saturated
  std::uint64_t work_amount = 0;  // S >> shift[sell] (side sell) or B >> shift[buy] (side buy)
  bool side_buy = false;
};

struct PairBook {
  int sell = 0;
  int buy = 0;
  std::vector<BookOrder> orders;  // ascending limit, then ascending id
  // Over orders[0..k): exact sums of S of side-sell orders and of B of side-buy orders.
  std::vector<BigInt> sum_sell_side;
  std::vector<BigInt> sum_buy_side;
  // The same in working units, for the price search.
  std::vector<u128> work_sell_side;
  std::vector<u128> work_buy_side;
};

struct Book {
  int assets = 0;
  std::vector<VectorOrder> orders;
  std::vector<VectorPool> pools;
  std::vector<PairBook> pairs;  // sorted by (sell, buy)
  // Working unit of asset a = 2^shift[a] base units, chosen so that every amount of a in
  // the component is below 2^40 working units (the price search's integers never overflow).
  std::vector<int> shift;
};

Book build_book(std::vector<VectorOrder> orders, std::vector<VectorPool> pools, int assets);

// Number of orders of `pair` that are in the money at N (marginal included), and of
// those strictly in the money. Exact; O(log n) big-integer comparisons.
std::size_t weakly_in(const Book& book, const PairBook& pair, const std::vector<BigInt>& n);
std::size_t strictly_in(const Book& book, const PairBook& pair, const std::vector<BigInt>& n);

// -1, 0, +1: the order's limit below / at / above the price ratio N[sell]/N[buy]
// (-1 = strictly in the money).
int limit_vs_price(const VectorOrder& o, const std::vector<BigInt>& n);

// Exactly equal limits (B1/S1 == B2/S2).
bool same_limit(const VectorOrder& x, const VectorOrder& y);

// The order's full value at N.
BigInt full_value(const VectorOrder& o, const std::vector<BigInt>& n);

}  // namespace pactum::matching
