// The independent settlement checker (checker.hpp). Each rule is one function; they all
// append to the same list so that one run reports every broken rule, not the first.
#include "pactum/checker/checker.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace pactum::check {

// At the batch prices a pool is willing to trade, at that one price, as much as keeps it on
// its curve: value y p_B - x p_A / gamma of B (A cheaper than its band) or x p_A - y p_B /
// gamma of A (dearer). Short by more than the rounding room (two units of each asset and
// 1/50,000 of its value: the exact solver's pools are a hair narrower) is rationed while in
// the money.
std::optional<PoolShortfall> pool_shortfall(const Pool& before, const BigInt& a_after, const BigInt& b_after,
                                            const Rational& pa, const Rational& pb) {
  if (before.reserve_a == 0 || before.reserve_b == 0) return std::nullopt;
  const BigInt x(before.reserve_a), y(before.reserve_b);
  const Rational inv_gamma(BigInt(10000), BigInt(10000 - before.fee_bps));
  const Rational value = pa * x + pb * y;
  const Rational room = 2 * (pa + pb) + value / 50000;
  const Rational gives_b = y * pb - x * pa * inv_gamma, gives_a = x * pa - y * pb * inv_gamma;
  auto shortfall = [&](bool gives_a_side, const Rational& could, const Rational& gave) {
    const Rational ppm = (could - gave) * 1000000 / value;
    return PoolShortfall{gives_a_side, could, gave, BigInt(numerator(ppm) / denominator(ppm))};
  };
  if (gives_b > room && pb * (y - b_after) < gives_b - room) return shortfall(false, gives_b, pb * (y - b_after));
  if (gives_a > room && pa * (x - a_after) < gives_a - room) return shortfall(true, gives_a, pa * (x - a_after));
  return std::nullopt;
}

namespace {

using boost::multiprecision::denominator;
using boost::multiprecision::numerator;

BigInt big(const Amount& a) { return BigInt(a); }

std::string str(const Rational& r) {
  std::ostringstream out;
  out << numerator(r);
  if (denominator(r) != 1) out << "/" << denominator(r);
  return out.str();
}

std::string who(const Intent& in) { return "intent " + in.id.hex().substr(0, 12); }

// Hashes of state keys: the account's first 8 bytes (a public key: uniform) mixed with the
// asset or nonce.
struct KeyHash {
  static std::uint64_t prefix(const PublicKey& k) {
    std::uint64_t h = 0;
    std::memcpy(&h, k.bytes.data(), sizeof h);
    return h;
  }
  std::size_t operator()(const BalanceKey& k) const noexcept {
    return prefix(k.account) ^ std::hash<std::string>{}(k.asset);
  }
  std::size_t operator()(const NonceKey& k) const noexcept {
    return prefix(k.account) ^ (k.nonce * 0x9E3779B97F4A7C15ULL);
  }
};

// The keys of a hash table's entries for which `bad` holds, in key order, so that what is
// reported does not depend on the table's layout (only the few reported keys are sorted).
template <typename Bad>
std::vector<BalanceKey> keys_where(const std::unordered_map<BalanceKey, BigInt, KeyHash>& table, Bad bad) {
  std::vector<BalanceKey> out;
  for (const auto& [k, v] : table)
    if (bad(k, v)) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

class Checker {
 public:
  Checker(const StateView& pre, std::span<const Intent> batch, const Settlement& s, const CheckOptions& o)
      : pre_(pre), batch_(batch), s_(s), o_(o) {}

  std::vector<Violation> run() {
    if (s_.receipts.size() != batch_.size()) {
      add("structure",
          std::to_string(s_.receipts.size()) + " receipts for " + std::to_string(batch_.size()) + " intents");
      return std::move(v_);
    }
    prices_ = effective_prices(s_, &v_);
    if (o_.require_asset_prices && s_.asset_prices.empty() && any_swap_settled())
      add("price_vector", "swaps settled but the settlement has no asset_prices");
    check_vector_shape();
    for (std::size_t i = 0; i < batch_.size(); ++i) check_intent(batch_[i], s_.receipts[i]);
    check_nonces();
    check_balances();
    check_pools();
    if (o_.pools_must_clear) check_pool_clearing();
    check_pair_prices();
    return std::move(v_);
  }

 private:
  void add(std::string kind, std::string detail) { v_.push_back({std::move(kind), std::move(detail)}); }

  bool any_swap_settled() const {
    for (std::size_t i = 0; i < batch_.size(); ++i)
      if (batch_[i].swap() && s_.receipts[i].status == ReceiptStatus::settled) return true;
    return false;
  }

  void check_vector_shape() {
    for (std::size_t k = 0; k < s_.asset_prices.size(); ++k) {
      const auto& p = s_.asset_prices[k];
      if (p.num <= 0 || p.den <= 0) add("price_vector", "price of " + p.asset + " is not positive");
      if (k > 0 && !(s_.asset_prices[k - 1].asset < p.asset))
        add("price_vector", "asset_prices not sorted by asset at " + p.asset);
    }
  }

  // Debits, credits and nonce use implied by one receipt; per-intent rules.
  void check_intent(const Intent& in, const Receipt& r) {
    if (r.intent != in.id) {
      add("structure", who(in) + ": its receipt names another intent");
      return;
    }
    const bool settled = r.status == ReceiptStatus::settled;
    if (settled || r.status == ReceiptStatus::cancelled) uses_.push_back({in.signer, in.nonce});
    if (r.status == ReceiptStatus::cancelled) check_cancelled(in);
    if (!settled) {
      if (r.status == ReceiptStatus::unfilled) {
        if (in.share_surplus()) return;  // its swap did not settle: it pays nothing and waits
        if (!in.swap())
          add("structure", who(in) + ": only swaps and surplus shares can be unfilled");
        else
          check_in_the_money(in, *in.swap(), r);
      }
      return;
    }
    if (o_.ctx) {
      if (in.chain != o_.ctx->chain_id) add("validity", who(in) + " settled on chain " + o_.ctx->chain_id);
      if (in.valid_until < o_.ctx->height) add("validity", who(in) + " settled after valid_until");
      if (in.valid_from > o_.ctx->height) add("validity", who(in) + " settled before valid_from");
    }
    if (const auto* t = in.transfer()) {
      if (r.sold != t->amount)
        add("transfer", who(in) + ": sold " + amount_to_string(r.sold) + ", signed " + amount_to_string(t->amount));
      debit(in.signer, t->asset, big(t->amount));
      change_[BalanceKey{t->to, t->asset}] += big(t->amount);
    } else if (const auto* b = in.burn()) {
      if (r.sold != b->amount)
        add("burn", who(in) + ": burned " + amount_to_string(r.sold) + ", signed " + amount_to_string(b->amount));
      debit(in.signer, b->asset, big(b->amount));
      burned_[b->asset] += big(b->amount);
    } else if (const auto c = in.conversion()) {
      check_conversion(in, *c, r);
    } else if (in.reveal()) {
      if (r.sold != 0 || r.bought != 0) add("reveal", who(in) + ": a reveal moves nothing, its receipt moves funds");
    } else if (const auto* sh = in.share_surplus()) {
      check_share(in, *sh, r);
    } else if (const auto* sw = in.swap()) {
      check_swap(in, *sw, r);
      debit(in.signer, sw->sell_asset, big(r.sold));
      change_[BalanceKey{in.signer, sw->buy_asset}] += big(r.bought);
    }
  }

  // A lock or unlock converts one for one, and an unlock or a locked asset only from its
  // height on. Conservation counts the two assets as one (converted_).
  void check_conversion(const Intent& in, const Conversion& c, const Receipt& r) {
    if (r.sold != c.amount || r.bought != c.amount)
      add("lock", who(in) + ": converted " + amount_to_string(r.sold) + " into " + amount_to_string(r.bought) +
                      ", signed " + amount_to_string(c.amount));
    const auto from = pre_.asset(c.from);
    if (o_.ctx && from && from->unlocks_at > o_.ctx->height)
      add("lock", who(in) + ": unlocks " + c.from + " at height " + std::to_string(o_.ctx->height));
    debit(in.signer, c.from, big(c.amount));
    change_[BalanceKey{in.signer, c.to}] += big(c.amount);
    converted_[c.from] += big(c.amount);
    converted_[c.to] -= big(c.amount);
  }

  // A surplus share pays out of what its signer's own swap of the batch received beyond
  // its limit: at most its cap and its bps of that surplus, and the shares of one swap
  // together at most the surplus. Not a debit of the pre-block balance: the swap's receipt
  // funds it (conservation still sees both moves).
  void check_share(const Intent& in, const ShareSurplus& sh, const Receipt& r) {
    if (r.sold_asset != sh.asset || r.bought != 0)
      add("share", who(in) + ": receipt asset or amounts are not the share's");
    if (swap_index_.empty())
      for (std::size_t j = 0; j < batch_.size(); ++j)
        if (batch_[j].swap()) swap_index_.emplace(batch_[j].id, j);
    auto it = swap_index_.find(sh.swap);
    if (it == swap_index_.end() || s_.receipts[it->second].status != ReceiptStatus::settled) {
      add("share", who(in) + " settled but swap " + sh.swap.hex().substr(0, 12) + " does not settle in the batch");
      return;
    }
    const Intent& swap = batch_[it->second];
    const Receipt& sr = s_.receipts[it->second];
    if (swap.signer != in.signer) add("share", who(in) + " pays out of a swap of another signer");
    if (swap.swap()->buy_asset != sh.asset)
      add("share", who(in) + " pays " + sh.asset + ", its swap receives another asset");
    const BigInt S = big(swap.swap()->sell_amount), B = big(swap.swap()->buy_amount);
    const BigInt beyond = big(sr.bought) * S - big(sr.sold) * B;
    const BigInt surplus = beyond > 0 ? BigInt(beyond / S) : BigInt(0);
    const BigInt paid = big(r.sold);
    if (paid > big(sh.cap)) add("share", who(in) + " paid " + paid.str() + " > its cap " + amount_to_string(sh.cap));
    if (paid * kMaxShareBps > surplus * sh.bps)
      add("share", who(in) + " paid " + paid.str() + ", more than " + std::to_string(sh.bps) + " bps of the surplus " +
                       surplus.str());
    if ((shared_[sh.swap] += paid) > surplus)
      add("share", "the shares of swap " + sh.swap.hex().substr(0, 12) + " pay more than its surplus " + surplus.str());
    change_[BalanceKey{in.signer, sh.asset}] -= paid;
    change_[BalanceKey{sh.to, sh.asset}] += paid;
  }

  void debit(const PublicKey& who_acct, const std::string& asset, const BigInt& amount) {
    change_[BalanceKey{who_acct, asset}] -= amount;
    debits_[BalanceKey{who_acct, asset}] += amount;
  }

  void check_cancelled(const Intent& in) {
    for (std::size_t j = 0; j < batch_.size(); ++j) {
      const auto* c = batch_[j].cancel();
      if (!c || batch_[j].signer != in.signer || s_.receipts[j].status != ReceiptStatus::settled) continue;
      for (const auto& id : c->ids)
        if (id == in.id) return;
    }
    add("cancel", who(in) + " is cancelled but no settled cancel of its signer names it");
  }

  static bool filled_fully(const Swap& sw, const Receipt& r) {
    return sw.side == SwapSide::sell ? r.sold == sw.sell_amount : r.bought == sw.buy_amount;
  }

  void check_swap(const Intent& in, const Swap& sw, const Receipt& r) {
    if (r.sold_asset != sw.sell_asset || r.bought_asset != sw.buy_asset)
      add("structure", who(in) + ": receipt assets differ from the swap's");
    const BigInt S = big(sw.sell_amount), B = big(sw.buy_amount), sold = big(r.sold), bought = big(r.bought);
    const bool full = filled_fully(sw, r);
    if (!full && !sw.partial) add("fill_or_kill", who(in) + " is fill-or-kill but settled in part");
    if (r.partial_fill == full) add("partial_flag", who(in) + ": partial_fill disagrees with the amounts");
    // Never beyond the signed size.
    if (sold > S) add("limit", who(in) + " sold " + sold.str() + " > sell_amount " + S.str());
    if (sw.side == SwapSide::buy && bought > B) add("limit", who(in) + " bought more than buy_amount");
    // The limit: a full fill meets it exactly in integers.
    if (full && sw.side == SwapSide::sell && bought < B)
      add("limit", who(in) + " received " + bought.str() + " < buy_amount " + B.str());
    if (full && sw.side == SwapSide::buy && sold > S)
      add("limit", who(in) + " paid " + sold.str() + " > sell_amount " + S.str());
    if (!prices_.has(sw.sell_asset) || !prices_.has(sw.buy_asset)) {
      add("price_vector", who(in) + " traded " + sw.sell_asset + "->" + sw.buy_asset + " without a price for both");
      return;
    }
    const Rational P = prices_.price.at(sw.sell_asset) / prices_.price.at(sw.buy_asset);  // buy units per sell unit
    // A partial fill meets its limit at the exact price (rounding is checked below).
    if (P * S < Rational(B))
      add("limit", who(in) + ": batch price " + str(P) + " is below its limit " + str(Rational(B, S)));
    // One price, rounding against the trader only: the trader pays ceil(x) and receives
    // floor(x*P) for some exact amount x. The exact side of a full fill is not rounded
    // (side sell: x = sold, so bought + 1 > sold*P; side buy: x*P = bought, so
    // (sold - 1)*P < bought); a partial fill may round both (bought + 1 > (sold - 1)*P).
    // Never better than the price: bought <= sold*P.
    const bool exact_sold = full && sw.side == SwapSide::sell;
    const bool exact_bought = full && sw.side == SwapSide::buy;
    const Rational lowest_value = P * (exact_sold ? sold : sold - 1);
    const bool too_low = exact_bought ? Rational(bought) <= lowest_value : Rational(bought + 1) <= lowest_value;
    if (Rational(bought) > P * sold)
      add("off_price",
          who(in) + " received " + bought.str() + " for " + sold.str() + ", more than the price " + str(P) + " gives");
    else if (too_low)
      add("off_price", who(in) + " received " + bought.str() + " for " + sold.str() +
                           ", more than one unit of rounding below the price " + str(P));
    check_in_the_money(in, sw, r);
  }

  void check_in_the_money(const Intent& in, const Swap& sw, const Receipt& r) {
    if (!o_.in_the_money_must_fill || !sw.partial) return;
    if (r.status == ReceiptStatus::settled && filled_fully(sw, r)) return;
    if (!prices_.has(sw.sell_asset) || !prices_.has(sw.buy_asset)) return;
    const Rational d =
        prices_.price.at(sw.sell_asset) * big(sw.sell_amount) - prices_.price.at(sw.buy_asset) * big(sw.buy_amount);
    if (d > 0)
      add("in_the_money", who(in) + " (" + sw.sell_asset + "->" + sw.buy_asset +
                              ", partial allowed) is strictly in the money at the batch prices but " +
                              (r.status == ReceiptStatus::settled ? "filled in part" : "unfilled"));
  }

  void check_nonces() {
    std::unordered_set<NonceKey, KeyHash> seen;
    seen.reserve(uses_.size());
    for (const auto& [signer, nonce] : uses_) {
      NonceKey k{signer, nonce};
      if (!seen.insert(k).second) add("nonce", "nonce " + std::to_string(nonce) + " of one signer settles twice");
      if (pre_.nonce_used(signer, nonce)) add("nonce", "nonce " + std::to_string(nonce) + " was already used");
      if (!s_.delta.nonces.count(k)) add("nonce", "nonce " + std::to_string(nonce) + " of a settled intent not used");
    }
    for (const auto& k : s_.delta.nonces)
      if (!seen.count(k)) add("nonce", "the delta uses nonce " + std::to_string(k.nonce) + " that nothing settled");
  }

  void check_balances() {
    const PublicKey dust = dust_account_for_check();
    auto overspends = [&](const BalanceKey& key, const BigInt& amount) {
      return amount > big(pre_.balance(key.account, key.asset));
    };
    for (const BalanceKey& key : keys_where(debits_, overspends))
      add("funding", "an account spends " + debits_.at(key).str() + " " + key.asset + " but had " +
                         big(pre_.balance(key.account, key.asset)).str());
    std::map<std::string, BigInt> net;  // per asset: every balance and reserve change
    std::unordered_set<BalanceKey, KeyHash> in_delta;
    in_delta.reserve(s_.delta.balances.size());
    for (const auto& [key, value] : s_.delta.balances) {
      in_delta.insert(key);
      const BigInt d = big(value) - big(pre_.balance(key.account, key.asset));
      net[key.asset] += d;
      if (key.account == dust) {
        if (d < 0) add("dust", "the dust account lost " + BigInt(-d).str() + " " + key.asset);
        continue;
      }
      auto it = change_.find(key);
      const BigInt want = it == change_.end() ? BigInt(0) : it->second;
      if (d != want)
        add("balance", key.asset + " balance of " + key.account.hex().substr(0, 12) + " changed by " + d.str() +
                           ", its receipts say " + want.str());
    }
    auto omitted = [&](const BalanceKey& key, const BigInt& want) { return want != 0 && !in_delta.count(key); };
    for (const BalanceKey& key : keys_where(change_, omitted))
      add("balance", key.asset + " balance of " + key.account.hex().substr(0, 12) + " should change by " +
                         change_.at(key).str() + " but the delta omits it");
    for (const auto& [id, pool] : s_.delta.pools) {
      auto before = pre_.pool(id.first, id.second);
      if (!before) continue;  // reported by check_pools
      net[pool.asset_a] += big(pool.reserve_a) - big(before->reserve_a);
      net[pool.asset_b] += big(pool.reserve_b) - big(before->reserve_b);
    }
    for (const auto& [asset, b] : burned_) net[asset] += b;     // a burn's destruction is its own
    for (const auto& [asset, c] : converted_) net[asset] += c;  // so is a lock's or unlock's move
    for (const auto& [asset, d] : net)
      if (d != 0) add("conservation", asset + " is not conserved: the block changes its total by " + d.str());
    check_supplies();
  }

  // A burnable asset's supply leaf falls by exactly what its settled burns destroyed; no
  // other supply changes.
  void check_supplies() {
    for (const auto& [asset, b] : burned_) {
      const auto info = pre_.asset(asset);
      if (!info || !info->burnable) add("burn", asset + " is burned but is not burnable");
      const BigInt want = big(pre_.supply(asset).value_or(Amount(0))) - b;
      auto it = s_.delta.supplies.find(asset);
      if (it == s_.delta.supplies.end() || big(it->second) != want)
        add("supply", asset + " supply should become " + want.str() + " after burning " + b.str());
    }
    for (const auto& [asset, after] : s_.delta.supplies)
      if (!burned_.count(asset)) add("supply", "the delta changes the supply of " + asset + " that nothing burned");
  }

  void check_pools() {
    for (const auto& [id, after] : s_.delta.pools) {
      auto before = pre_.pool(id.first, id.second);
      const std::string name = id.first + "/" + id.second;
      if (!before) {
        add("pool_curve", "pool " + name + " appears in the delta but did not exist");
        continue;
      }
      if (after.fee_bps != before->fee_bps || after.asset_a != before->asset_a || after.asset_b != before->asset_b)
        add("pool_curve", "pool " + name + " changed its assets or fee");
      if (after.reserve_a == 0 || after.reserve_b == 0) add("pool_curve", "pool " + name + " is drained");
      const BigInt ra = big(before->reserve_a), rb = big(before->reserve_b);
      const BigInt da = big(after.reserve_a) - ra, db = big(after.reserve_b) - rb;
      const std::uint32_t fee_bps = after.fee_bps;  // clang 14 cannot capture a structured binding
      auto w = [&](const BigInt& d) { return d > 0 ? BigInt(10000 - fee_bps) * d : BigInt(10000) * d; };
      if ((BigInt(10000) * ra + w(da)) * (BigInt(10000) * rb + w(db)) < BigInt(100000000) * ra * rb)
        add("pool_curve", "pool " + name + " ends below its curve (" + da.str() + ", " + db.str() + ")");
      if (da == 0 && db == 0) continue;
      if (!prices_.has(id.first) || !prices_.has(id.second)) {
        add("price_vector", "pool " + name + " traded without a price for both assets");
        continue;
      }
      const Rational pa = prices_.price.at(id.first), pb = prices_.price.at(id.second);
      if (pa * da + pb * db < -(pa + pb))
        add("pool_price", "pool " + name + " loses " + str(-(pa * da + pb * db)) +
                              " of value at the batch prices (beyond one unit of each asset)");
    }
  }

  // Market clearing for pools (pool_shortfall in checker.hpp).
  void check_pool_clearing() {
    for (const Pool& before : pre_.pools()) {
      if (!prices_.has(before.asset_a) || !prices_.has(before.asset_b)) continue;
      auto it = s_.delta.pools.find({before.asset_a, before.asset_b});
      const BigInt x_after = it == s_.delta.pools.end() ? big(before.reserve_a) : big(it->second.reserve_a);
      const BigInt y_after = it == s_.delta.pools.end() ? big(before.reserve_b) : big(it->second.reserve_b);
      const auto short_by =
          pool_shortfall(before, x_after, y_after, prices_.price.at(before.asset_a), prices_.price.at(before.asset_b));
      if (!short_by) continue;
      const std::string& asset = short_by->gives_a ? before.asset_a : before.asset_b;
      add("pool_in_the_money", "pool " + before.asset_a + "/" + before.asset_b + " could give " + str(short_by->could) +
                                   " of value in " + asset + " at the batch prices but gave " + str(short_by->gave) +
                                   " (short by " + short_by->ppm.str() + " ppm of its value)");
    }
  }

  void check_pair_prices() {
    auto check_one = [&](const Price& p, const std::string& where) {
      if (p.den <= 0 || p.num <= 0) {
        add("pair_price", where + ": non-positive price");
        return;
      }
      if (!prices_.has(p.base) || !prices_.has(p.quote)) return;  // reported as price_vector
      if (Rational(p.num, p.den) != prices_.price.at(p.base) / prices_.price.at(p.quote))
        add("pair_price", where + ": " + p.base + "/" + p.quote + " = " + p.num.str() + "/" + p.den.str() +
                              " differs from the price vector");
    };
    if (!prices_.derived)
      for (const auto& p : s_.prices) check_one(p, "block price");
    for (std::size_t i = 0; i < batch_.size(); ++i)
      if (s_.receipts[i].price && s_.receipts[i].status == ReceiptStatus::settled)
        check_one(*s_.receipts[i].price, who(batch_[i]) + " receipt price");
  }

  const StateView& pre_;
  std::span<const Intent> batch_;
  const Settlement& s_;
  const CheckOptions& o_;
  PriceVector prices_;
  std::vector<Violation> v_;
  std::vector<std::pair<PublicKey, std::uint64_t>> uses_;
  // What the receipts say each trader's balance does, and what each trader spends. Hash
  // tables (a 100,000-swap batch spent a third of its check in the red-black trees' key
  // comparisons); what is reported from them is sorted first (keys_where).
  std::unordered_map<BalanceKey, BigInt, KeyHash> change_;
  std::unordered_map<BalanceKey, BigInt, KeyHash> debits_;
  std::map<std::string, BigInt> burned_;      // per asset: what settled burns destroyed
  std::map<std::string, BigInt> converted_;   // per asset: what locks and unlocks took out of it
  std::map<Hash32, std::size_t> swap_index_;  // id -> batch index of the swaps, built by the first share
  std::map<Hash32, BigInt> shared_;           // per swap: what its settled shares paid
};

}  // namespace

PublicKey dust_account_for_check() { return PublicKey{}; }

PriceVector effective_prices(const Settlement& s, std::vector<Violation>* violations) {
  PriceVector v;
  if (!s.asset_prices.empty()) {
    for (const auto& p : s.asset_prices)
      if (p.den != 0) v.price[p.asset] = Rational(p.num, p.den);
    return v;
  }
  v.derived = true;
  // Edges base -> quote with rate p(base)/p(quote) = num/den.
  std::map<std::string, std::vector<std::pair<std::string, Rational>>> edges;
  for (const auto& p : s.prices) {
    if (p.num <= 0 || p.den <= 0) continue;
    const Rational r(p.num, p.den);
    edges[p.base].push_back({p.quote, 1 / r});  // p(quote) = p(base) / r
    edges[p.quote].push_back({p.base, r});      // p(base) = p(quote) * r
  }
  for (const auto& [start, _] : edges) {  // std::map order: smallest asset of each group first
    if (v.has(start)) continue;
    v.price[start] = 1;
    std::vector<std::string> stack{start};
    while (!stack.empty()) {
      std::string a = stack.back();
      stack.pop_back();
      for (const auto& [b, factor] : edges[a]) {
        const Rational want = v.price[a] * factor;
        auto it = v.price.find(b);
        if (it == v.price.end()) {
          v.price[b] = want;
          stack.push_back(b);
        } else if (it->second != want && violations) {
          violations->push_back({"price_vector", "pair prices disagree around a cycle through " + a + " and " + b +
                                                     ": no single price vector exists"});
        }
      }
    }
  }
  return v;
}

std::vector<Violation> check_settlement(const StateView& pre, std::span<const Intent> batch,
                                        const Settlement& settlement, const CheckOptions& options) {
  return Checker(pre, batch, settlement, options).run();
}

Rational trader_surplus(std::span<const Intent> batch, const Settlement& s, const PriceVector& prices) {
  Rational total = 0;
  for (std::size_t i = 0; i < batch.size() && i < s.receipts.size(); ++i) {
    const auto* sw = batch[i].swap();
    const Receipt& r = s.receipts[i];
    if (!sw || r.status != ReceiptStatus::settled) continue;
    if (!prices.has(sw->sell_asset) || !prices.has(sw->buy_asset)) continue;
    const BigInt S = big(sw->sell_amount), B = big(sw->buy_amount);
    if (sw->side == SwapSide::sell)
      total += (Rational(big(r.bought)) - Rational(B * big(r.sold), S)) * prices.price.at(sw->buy_asset);
    else
      total += (Rational(S * big(r.bought), B) - Rational(big(r.sold))) * prices.price.at(sw->sell_asset);
  }
  return total;
}

std::string describe(const std::vector<Violation>& violations, std::size_t max_lines) {
  std::string out;
  for (std::size_t i = 0; i < violations.size() && i < max_lines; ++i)
    out += "  [" + violations[i].kind + "] " + violations[i].detail + "\n";
  if (violations.size() > max_lines) out += "  ... and " + std::to_string(violations.size() - max_lines) + " more\n";
  return out;
}

}  // namespace pactum::check
