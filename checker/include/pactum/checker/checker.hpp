// An independent checker of a batch settlement: it reads the pre-block state, the batch
// and a Settlement and lists every rule of docs/MECHANISMS.md the settlement breaks. It
// shares no code with any solver (it depends on intents and ledger only), so that a bug in
// a solver cannot hide itself in the check. The consensus rules use it on every clearing
// (the matcher's settle_clearing: proposals in the producer, recorded clearings in
// replay); so do the property tests and the quality benchmark (bench/quality).
//
// Everything is exact: amounts as integers, prices as rationals. No floating point.
#pragma once
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/settlement.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::check {

using Rational = boost::multiprecision::cpp_rational;

// One broken rule. `kind` is a stable machine code (the list below); `detail` a sentence.
//   structure            receipts do not line up with the batch, unknown status, wrong assets
//   validity             a settled intent of another chain, expired, or before its valid_from
//   nonce                a settled/cancelled intent's nonce not used, used twice or already
//                        used, or the delta uses a nonce nobody settled
//   cancel               an intent is cancelled without a settled cancel of its signer naming it
//   funding              an account's debits exceed its pre-block balance (a negative balance)
//   balance              an account's balance change differs from what its receipts say
//   conservation         per asset, traders + pools + dust + burns do not net to zero
//   burn                 a settled burn did not destroy exactly its amount, or burned an
//                        asset that is not burnable
//   supply               a burnable asset's supply leaf does not fall by exactly what was
//                        burned, or a supply changed that nothing burned
//   lock                 a settled lock or unlock did not convert exactly its amount, or
//                        unlocked a locked asset BASE@H before height H
//   reveal               a settled reveal's receipt sold or bought something (a reveal moves
//                        nothing; whether a `reveals` condition held is the matcher's rule)
//   share                a settled surplus share (a commitment's share_surplus action) paid
//                        more than its cap or its bps of its swap's surplus, the shares of
//                        one swap more than that surplus, or out of a swap that does not
//                        settle, of another signer, or that receives another asset
//   dust                 the dust account lost something
//   transfer             a settled transfer did not move exactly its amount
//   limit                a swap received less than its signed limit
//   fill_or_kill         a swap without `partial` settled in part
//   partial_flag         receipt.partial_fill disagrees with the amounts
//   price_vector         missing, non-positive, unsorted, a traded asset without a price,
//                        or (derived from pair prices) inconsistent around a cycle
//   off_price            a swap's bought/sold is not p_sell/p_buy up to one unit of rounding
//                        against the trader
//   pair_price           a pair price (block or receipt) differs from p_base/p_quote
//   pool_curve           a pool ends below its curve (fee-adjusted k decreases) or drained
//   pool_price           a pool gave away value at the batch prices (beyond one unit each)
//   in_the_money         a partial-allowed swap strictly in the money at the batch prices
//                        is unfilled or filled in part
//   pool_in_the_money    a pool the batch prices put outside its no-trade band gave less than
//                        it can at those prices (beyond rounding room): rationed in the money
struct Violation {
  std::string kind;
  std::string detail;
};

struct CheckOptions {
  // Chain id and height of the block, for the validity checks (skipped when null).
  const BlockContext* ctx = nullptr;
  // Demand settlement.asset_prices whenever a swap settled. When false and it is
  // empty, the vector is derived from the pair prices (see effective_prices).
  bool require_asset_prices = false;
  // Market clearing: a strictly in-the-money swap that allows partial fills must fill
  // fully. (Fill-or-kill swaps are exempt: they may be left out.)
  bool in_the_money_must_fill = true;
  // Market clearing for pools: a pool whose band the batch prices leave trades as much as
  // it can at those prices (rule pool_in_the_money).
  bool pools_must_clear = false;
};

// The batch's price vector, numeraire first at 1 when taken from the settlement.
struct PriceVector {
  std::map<std::string, Rational> price;
  bool derived = false;  // built from Settlement.prices, not Settlement.asset_prices
  bool has(const std::string& a) const { return price.count(a) != 0; }
};

// settlement.asset_prices when present; else one vector derived from the pair prices by
// walking the traded pairs from the smallest asset of each connected group (each group
// is scaled so that its smallest asset is 1). A cycle of pair prices whose product is not
// 1 is recorded in `violations` (price_vector).
PriceVector effective_prices(const Settlement& settlement, std::vector<Violation>* violations);

std::vector<Violation> check_settlement(const StateView& pre, std::span<const Intent> batch,
                                        const Settlement& settlement, const CheckOptions& options = {});

// CoW Protocol's trader surplus of the settled swaps, valued at `prices`: a side-sell
// swap's (bought - buy_amount*sold/sell_amount) * p_buy, a side-buy swap's
// (sell_amount*bought/buy_amount - sold) * p_sell. Swaps whose assets have no price count 0.
Rational trader_surplus(std::span<const Intent> batch, const Settlement& settlement, const PriceVector& prices);

// Market clearing for one pool (rule pool_in_the_money): `before` is its pre-block state,
// (a_after, b_after) its reserves after the batch, pa and pb the batch prices of its assets
// (any common scale). A value when the prices leave it outside its no-trade band and it
// gave less than its capacity beyond the rounding room: which asset it could give
// (gives_a: asset_a, else asset_b), how much value it could and did give, and the shortfall
// in millionths of its value. Solvers use it to prefer clearings that clear pools.
struct PoolShortfall {
  bool gives_a = false;
  Rational could;
  Rational gave;
  boost::multiprecision::cpp_int ppm;
};
std::optional<PoolShortfall> pool_shortfall(const Pool& before, const boost::multiprecision::cpp_int& a_after,
                                            const boost::multiprecision::cpp_int& b_after, const Rational& pa,
                                            const Rational& pb);

// One line per violation, for test and benchmark output.
std::string describe(const std::vector<Violation>& violations, std::size_t max_lines = 20);

// The account rounding dust goes to (32 zero bytes), as docs/MECHANISMS.md defines it.
PublicKey dust_account_for_check();

}  // namespace pactum::check
