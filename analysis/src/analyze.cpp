// One block under the three rules (analysis.hpp).
#include <algorithm>

#include "pactum/analysis/analysis.hpp"
#include "sequencing.hpp"

namespace pactum::analysis {

std::string_view rule_name(Rule r) {
  switch (r) {
    case Rule::batch:
      return "batch";
    case Rule::fcfs:
      return "fcfs";
    case Rule::adversarial:
      return "adversarial";
  }
  return "?";
}

Study new_study(const std::string& chain_id, const std::vector<AssetInfo>& assets, const std::string& preferred) {
  Study s;
  s.chain_id = chain_id;
  for (const AssetInfo& a : assets) s.decimals[a.symbol] = a.decimals;
  if (s.decimals.count(preferred))
    s.numeraire = preferred;
  else if (!s.decimals.empty())
    s.numeraire = s.decimals.begin()->first;
  if (!s.numeraire.empty()) s.numeraire_decimals = s.decimals.at(s.numeraire);
  return s;
}

namespace {

std::size_t index_of(Rule r) { return static_cast<std::size_t>(r); }

// A swap a sequential chain could have executed too: the batch did not refuse it for
// validity (expired, nonce, balance, cancelled, unknown asset, ...).
bool eligible(const Receipt& r) { return r.status == ReceiptStatus::settled || r.status == ReceiptStatus::unfilled; }

// CoW surplus of a fill, valued in the numeraire (formulas in MECHANISMS.md §10).
Rational surplus_value(const Swap& s, const BigInt& sold, const BigInt& bought, const Market& m) {
  if (sold == 0 && bought == 0) return 0;
  const BigInt S(s.sell_amount), B(s.buy_amount);
  if (s.side == SwapSide::sell) {
    return (Rational(bought) - Rational(B * sold, S)) * m.value.at(s.buy_asset);
  }
  return (Rational(S * bought, B) - Rational(sold)) * m.value.at(s.sell_asset);
}

// Execution rate against the reference rate, in bps (positive: worse than reference).
std::optional<std::int64_t> impact_bps(const Swap& s, const BigInt& sold, const BigInt& bought, const Market& m) {
  const Rational& vs = m.value.at(s.sell_asset);
  const Rational& vb = m.value.at(s.buy_asset);
  if (sold == 0 || vs == 0 || vb == 0) return std::nullopt;
  const Rational reference = vs / vb;  // buy units per sell unit
  const Rational got = Rational(bought, sold);
  const Rational bps = (reference - got) / reference * 10000;
  const BigInt t = boost::multiprecision::numerator(bps) / boost::multiprecision::denominator(bps);  // toward zero
  return static_cast<std::int64_t>(t);
}

Fill make_fill(const Swap& s, bool filled, const BigInt& sold, const BigInt& bought, const Market& m) {
  Fill f;
  f.filled = filled;
  f.sold = Amount(sold);
  f.bought = Amount(bought);
  f.surplus = filled ? surplus_value(s, sold, bought, m) : Rational(0);
  if (filled) f.impact_bps = impact_bps(s, sold, bought, m);
  return f;
}

// The reference price path: the batch's price of the pool's pair when it traded in this
// block, else the pre-block spot.
std::map<PoolId, Rational> reference_prices(const PoolBook& pre, const Block& block) {
  std::map<PoolId, Rational> ref;
  for (const auto& [id, p] : pre.pools()) ref[id] = PoolBook::spot(p);
  for (const Price& pr : block.prices) {
    const PoolId id = make_pool_id(pr.base, pr.quote);
    auto it = ref.find(id);
    if (it == ref.end() || pr.den == 0 || pr.num == 0) continue;
    const Rational base_in_quote(pr.num, pr.den);  // 1 base = num/den quote
    it->second = pr.base == id.first ? base_in_quote : 1 / base_in_quote;
  }
  return ref;
}

// Loss versus rebalancing of a pool over the block: the value, at the reference price,
// of what it gave minus what it received (its net reserve change, negated).
Rational lvr(const Pool& before, const Pool& after, const Rational& ref, const Market& m) {
  const BigInt da = BigInt(after.reserve_a) - BigInt(before.reserve_a);
  const BigInt db = BigInt(after.reserve_b) - BigInt(before.reserve_b);
  return -(Rational(da) * ref + Rational(db)) * m.value.at(before.asset_b);
}

Market market_of(const PoolBook& start, const Block& block, const Study& study) {
  Market m;
  for (const auto& [symbol, d] : study.decimals) m.assets.push_back(symbol);
  m.value = reference_values(start, study);
  m.reference = reference_prices(start, block);
  return m;
}

// Swap i of the block, with its batch fill (what its receipt says it got).
SwapRow batch_row(const Block& block, std::size_t i, const Swap& s, const Market& m) {
  const Intent& in = block.intents[i];
  SwapRow sr;
  sr.height = block.header.height;
  sr.index = static_cast<std::uint32_t>(i);
  sr.id = in.id;
  sr.signer = in.signer;
  sr.swap = s;
  const Receipt& r = block.receipts[i];
  const bool batch_filled = r.status == ReceiptStatus::settled;
  sr.by_rule[index_of(Rule::batch)] =
      make_fill(s, batch_filled, batch_filled ? BigInt(r.sold) : 0, batch_filled ? BigInt(r.bought) : 0, m);
  return sr;
}

// The searcher's front-run when sandwiching the victim pays (the back-run is the
// caller's, after the victim): recorded in `study` and `row`, and traded on `adv`.
// `before`: the victim's execution on `adv` as it stands.
bool front_run(PoolBook& adv, const Swap& s, const Hash32& victim, const Execution& before, const Market& m,
               BlockRow& row, Study& study) {
  const bool in_full =
      s.side == SwapSide::sell ? before.sold == BigInt(s.sell_amount) : before.bought == BigInt(s.buy_amount);
  if (!before.filled || !in_full || before.route.size() != 2) return false;
  auto sw = best_sandwich(adv, s);
  if (!sw) return false;
  adv.trade(s.sell_asset, s.buy_asset, sw->front_in);
  SandwichRow row_s;
  row_s.height = row.height;
  row_s.victim = victim;
  row_s.pool = make_pool_id(s.sell_asset, s.buy_asset);
  row_s.asset_in = s.sell_asset;
  row_s.front_in = Amount(sw->front_in);
  row_s.front_out = Amount(sw->front_out);
  row_s.back_out = Amount(sw->back_out);
  row_s.profit = Rational(sw->back_out - sw->front_in) * m.value.at(s.sell_asset);
  row.sandwich_value += row_s.profit;
  study.sandwiches.push_back(std::move(row_s));
  return true;
}

// The adversarial rule for one swap: a sandwich on the direct pool when the victim
// trades there and it pays, then the victim, then back-runs toward the reference.
void run_adversarial(PoolBook& adv, SwapRow& sr, const Market& m, BlockRow& row, Study& study) {
  const Swap& s = sr.swap;
  Execution before = execute_alone(adv, m.assets, s);
  sr.sandwiched = front_run(adv, s, sr.id, before, m, row, study);
  // A sandwiched victim trades on the pool it was sandwiched on (its order was routed
  // there when the searcher acted); others take their best route as under fcfs.
  const Execution a = sr.sandwiched ? execute_on(adv, {before.route}, s) : execute_alone(adv, m.assets, s);
  apply(adv, a);
  if (sr.sandwiched) adv.trade(s.buy_asset, s.sell_asset, BigInt(study.sandwiches.back().front_out));
  sr.by_rule[index_of(Rule::adversarial)] = make_fill(s, a.filled, a.sold, a.bought, m);
  // Back-runs: every pool the victim's route touched, toward its reference price.
  for (std::size_t k = 0; a.filled && k + 1 < a.route.size(); ++k) {
    row.backrun_value += backrun(adv, make_pool_id(a.route[k], a.route[k + 1]), m);
  }
}

// Adds one analysed swap to its block's totals.
void count_swap(const SwapRow& sr, BlockRow& row) {
  row.swaps += 1;
  for (Rule rule : kRules) {
    const Fill& fill = sr.by_rule[index_of(rule)];
    if (fill.filled) row.filled[index_of(rule)] += 1;
    row.surplus[index_of(rule)] += fill.surplus;
    const Rational& base = sr.by_rule[index_of(Rule::batch)].surplus;
    if (fill.surplus < base) row.worse_off[index_of(rule)] += 1;
    if (fill.surplus > base) row.better_off[index_of(rule)] += 1;
  }
}

// Every pool of the pre-block state after the block under each rule.
void add_pool_rows(const PoolBook& start, const StateDelta& delta, const PoolBook& fcfs, const PoolBook& adv,
                   const Market& m, std::uint64_t height, Study& study) {
  for (const auto& [id, before] : start.pools()) {
    PoolRow pr;
    pr.height = height;
    pr.pool = id;
    pr.reference = m.reference.at(id);
    auto changed = delta.pools.find(id);
    const Pool batch_after = changed != delta.pools.end() ? changed->second : before;
    const std::array<Pool, 3> after{batch_after, fcfs.pools().at(id), adv.pools().at(id)};
    for (Rule rule : kRules) {
      pr.spot_after[index_of(rule)] = PoolBook::spot(after[index_of(rule)]);
      pr.lvr[index_of(rule)] = lvr(before, after[index_of(rule)], pr.reference, m);
    }
    study.pools.push_back(std::move(pr));
  }
}

}  // namespace

void analyze_block(const StateView& pre, const Block& block, const StateDelta& delta, Study& study) {
  const PoolBook start(pre);
  const Market m = market_of(start, block, study);
  BlockRow row;
  row.height = block.header.height;
  PoolBook fcfs = start, adv = start;
  for (std::size_t i = 0; i < block.intents.size() && i < block.receipts.size(); ++i) {
    const Swap* s = block.intents[i].swap();
    if (!s || !eligible(block.receipts[i])) continue;
    SwapRow sr = batch_row(block, i, *s, m);
    const Execution f = execute_alone(fcfs, m.assets, *s);
    apply(fcfs, f);
    sr.by_rule[index_of(Rule::fcfs)] = make_fill(*s, f.filled, f.sold, f.bought, m);
    run_adversarial(adv, sr, m, row, study);
    sr.victim_loss = sr.by_rule[index_of(Rule::fcfs)].surplus - sr.by_rule[index_of(Rule::adversarial)].surplus;
    count_swap(sr, row);
    study.swaps.push_back(std::move(sr));
  }
  add_pool_rows(start, delta, fcfs, adv, m, row.height, study);
  study.blocks.push_back(std::move(row));
}

}  // namespace pactum::analysis
