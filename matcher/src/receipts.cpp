#include "receipts.hpp"

#include <algorithm>
#include <map>

namespace pactum::matching {
namespace {

// Decimals beyond this are not displayed as such (the genesis caps them far lower); it
// only bounds the work a malformed registry could cause.
constexpr std::uint32_t kMaxDisplayDecimals = 77;
constexpr int kSignificantDigits = 9;
constexpr int kMaxFractionDigits = 80;

std::uint32_t decimals_of(const StateView& state, const std::string& asset) {
  const auto info = state.asset(asset);
  return info ? std::min(info->decimals, kMaxDisplayDecimals) : 0;
}

BigInt pow10(std::uint32_t n) {
  BigInt v = 1;
  for (std::uint32_t i = 0; i < n; ++i) v *= 10;
  return v;
}

// A non-negative fraction n/d (d > 0, not necessarily reduced) in decimal: the whole
// part in full, then fraction digits until kSignificantDigits significant digits are
// shown; "~" when digits were cut. Long division on integers: the same digits as
// rational arithmetic on n/d, without a gcd per step (a 10,000-intent block renders
// one price per receipt).
std::string significant_decimal(const BigInt& n, const BigInt& d) {
  BigInt whole, rem;
  boost::multiprecision::divide_qr(n, d, whole, rem);
  std::string out = whole.str();
  int significant = whole == 0 ? 0 : static_cast<int>(out.size());
  std::string digits;
  while (rem != 0 && significant < kSignificantDigits && static_cast<int>(digits.size()) < kMaxFractionDigits) {
    rem *= 10;
    BigInt digit;
    boost::multiprecision::divide_qr(BigInt(rem), d, digit, rem);
    const int dv = static_cast<int>(digit);
    digits += static_cast<char>('0' + dv);
    if (significant > 0 || dv != 0) ++significant;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (!digits.empty()) out += "." + digits;
  if (rem != 0) out += "~";
  return out;
}

// base units of quote per base unit of base (num/den) -> display quote per display base.
std::string display_price_of(const StateView& state, const BigInt& num, const BigInt& den, const std::string& base,
                             const std::string& quote) {
  return significant_decimal(num * pow10(decimals_of(state, base)), den * pow10(decimals_of(state, quote))) + " " +
         quote + " per " + base;
}

struct Pair {
  std::string base, quote;
  bool sells_base;
};

Pair pair_of(const Swap& s) {
  const bool sells_base = s.sell_asset < s.buy_asset;
  return {sells_base ? s.sell_asset : s.buy_asset, sells_base ? s.buy_asset : s.sell_asset, sells_base};
}

// "at least 2900 USDC per ETH": what the swap accepts, in the pair's quote per base.
std::string limit_text(const StateView& state, const Swap& s, const Rational& limit) {
  const Pair pair = pair_of(s);
  return std::string(pair.sells_base ? "at least " : "at most ") + display_price(state, limit, pair.base, pair.quote);
}

Rational limit_of(const Swap& s) {
  return s.sell_asset < s.buy_asset ? Rational(to_big(s.buy_amount), to_big(s.sell_amount))
                                    : Rational(to_big(s.sell_amount), to_big(s.buy_amount));
}

std::string until_text(const Intent& intent) {
  return "it stays pending and joins the next blocks until block " + std::to_string(intent.valid_until) +
         " (its valid_until)";
}

Receipt unfilled(const Intent& intent, std::string reason, std::string message, std::optional<Price> price) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::unfilled;
  r.reason = std::move(reason);
  r.message = std::move(message);
  r.price = std::move(price);
  return r;
}

}  // namespace

std::string display_amount(const StateView& state, const BigInt& base_units, const std::string& asset) {
  const std::uint32_t decimals = decimals_of(state, asset);
  std::string digits = base_units.str();
  if (decimals > 0) {
    if (digits.size() <= decimals) digits.insert(0, decimals + 1 - digits.size(), '0');
    std::string fraction = digits.substr(digits.size() - decimals);
    digits.resize(digits.size() - decimals);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    if (!fraction.empty()) digits += "." + fraction;
  }
  return digits + " " + asset;
}

std::string display_price(const StateView& state, const Rational& quote_per_base, const std::string& base,
                          const std::string& quote) {
  return display_price_of(state, num(quote_per_base), den(quote_per_base), base, quote);
}

// Caller-owned, one per settlement (receipts.hpp: why not thread_local). Within one
// settlement a pair has one price and the decimals are fixed, so after a pair's first
// receipt every lookup hits; the entry's checks keep a hit exact regardless.
const std::string& PriceTexts::text(const StateView& state, const Price& p) {
  const std::uint32_t bd = decimals_of(state, p.base), qd = decimals_of(state, p.quote);
  auto [it, fresh] = by_pair_.try_emplace(std::make_pair(p.base, p.quote));
  Entry& e = it->second;
  if (fresh || e.num != p.num || e.den != p.den || e.base_decimals != bd || e.quote_decimals != qd) {
    e = Entry{p.num, p.den, bd, qd, display_price_of(state, p.num, p.den, p.base, p.quote)};
  }
  return e.text;
}

Receipt blank_receipt(const Intent& intent) {
  Receipt r;
  r.intent = intent.id;
  if (const Transfer* t = intent.transfer()) r.sold_asset = t->asset;
  if (const Burn* b = intent.burn()) r.sold_asset = b->asset;
  if (const auto c = intent.conversion()) {
    r.sold_asset = c->from;
    r.bought_asset = c->to;
  }
  const Swap* s = intent.swap();
  if (const Commit* c = intent.commit()) {
    if (const Transfer* t = c->transfer()) r.sold_asset = t->asset;
    if (const ShareSurplus* sh = c->share()) r.sold_asset = sh->asset;
    s = c->swap();
  }
  if (const ShareSurplus* sh = intent.share_surplus()) r.sold_asset = sh->asset;
  if (s) {
    r.sold_asset = s->sell_asset;
    r.bought_asset = s->buy_asset;
  }
  return r;
}

Receipt condition_not_met(const Intent& commitment, std::string reason, std::string message,
                          std::vector<Hash32> related) {
  Receipt r = blank_receipt(commitment);
  r.status = ReceiptStatus::unfilled;
  r.reason = std::move(reason);
  r.message = std::move(message);
  r.related = std::move(related);
  return r;
}

Receipt rejected(const Intent& intent, std::string reason, std::string message) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::rejected;
  r.reason = std::move(reason);
  r.message = std::move(message);
  return r;
}

Receipt not_yet_valid(const Intent& intent, std::uint64_t height) {
  return rejected(intent, "not_yet_valid",
                  "valid_from " + std::to_string(intent.valid_from) + " is above block height " +
                      std::to_string(height) + ": the intent may be included from block " +
                      std::to_string(intent.valid_from) + " on");
}

Receipt cancelled_by(const Intent& intent, const Hash32& cancel_id) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::cancelled;
  r.reason = "cancelled";
  r.message =
      "cancelled by intent " + cancel_id.hex() + " of the same signer; its nonce is used, so it can never settle";
  return r;
}

Receipt cancel_settled(const Intent& cancel, std::size_t cancelled_count) {
  Receipt r = blank_receipt(cancel);
  r.status = ReceiptStatus::settled;
  r.message = "cancel settled: " + std::to_string(cancelled_count) + " of the " +
              std::to_string(cancel.cancel()->ids.size()) +
              " named intent(s) were in this block and are cancelled; the others had already left the mempool";
  return r;
}

Receipt reveal_settled(const Intent& reveal) {
  Receipt r = blank_receipt(reveal);
  r.status = ReceiptStatus::settled;
  r.message = "revealed the preimage of " + reveal.reveal()->hash.hex() + " (SHA-256, " +
              std::to_string(reveal.reveal()->preimage.size()) + " bytes)";
  return r;
}

Receipt insufficient_balance(const StateView& state, const Intent& intent, const std::string& asset, const BigInt& have,
                             const BigInt& need) {
  return rejected(intent, "insufficient_balance",
                  "have " + display_amount(state, have, asset) +
                      " (balance minus what intents with smaller ids in this block reserve), need " +
                      display_amount(state, need, asset) + "; fund the account and sign a new intent");
}

Receipt transfer_settled(const StateView& state, const Intent& intent) {
  const Transfer& t = *intent.transfer();
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::settled;
  r.sold = t.amount;
  r.message = "sent " + display_amount(state, to_big(t.amount), t.asset) + " to " + t.to.hex();
  return r;
}

Receipt burn_settled(const StateView& state, const Intent& intent) {
  const Burn& b = *intent.burn();
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::settled;
  r.sold = b.amount;
  r.message = "burned " + display_amount(state, to_big(b.amount), b.asset) + " for request " + b.request.hex();
  return r;
}

Receipt conversion_settled(const StateView& state, const Intent& intent) {
  const Conversion c = *intent.conversion();
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::settled;
  r.sold = c.amount;
  r.bought = c.amount;
  const std::string what = display_amount(state, to_big(c.amount), c.from);
  if (const Lock* l = intent.lock())
    r.message = "locked " + what + " as " + c.to + " until height " + std::to_string(l->until);
  else
    r.message = "unlocked " + what + " into " + c.to;
  return r;
}

Price make_price(const std::string& base, const std::string& quote, const Rational& p) {
  return Price{base, quote, num(p), den(p)};  // cpp_rational is always reduced, den > 0
}

Receipt swap_settled(const StateView& state, PriceTexts& texts, const Intent& intent, const BigInt& sold,
                     const BigInt& bought, bool partial, const Price& price) {
  const Swap& s = *intent.swap();
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::settled;
  r.sold = to_amount(sold);
  r.bought = to_amount(bought);
  r.price = price;
  r.partial_fill = partial;
  r.reason = partial ? "partial" : "";
  r.message = std::string(partial ? "filled in part: sold " : "sold ") + display_amount(state, sold, s.sell_asset) +
              " for " + display_amount(state, bought, s.buy_asset) + " (price " + texts.text(state, price) +
              "); limit was " + limit_text(state, s, limit_of(s)) +
              (partial ? "; the rest found no volume at this price and is released (the swap is final)" : "");
  return r;
}

Receipt swap_limit_not_reached(const StateView& state, PriceTexts& texts, const Intent& intent, const Rational& limit,
                               const Price& price) {
  return unfilled(intent, "limit_not_reached",
                  "your limit is " + limit_text(state, *intent.swap(), limit) + " but this block cleared at " +
                      texts.text(state, price) + "; " + until_text(intent),
                  price);
}

Receipt swap_at_limit_no_volume(const StateView& state, PriceTexts& texts, const Intent& intent, const Price& price) {
  return unfilled(intent, "limit_not_reached",
                  "the clearing price " + texts.text(state, price) +
                      " equals your limit and the volume at that price went to intents with smaller ids; " +
                      until_text(intent),
                  price);
}

Receipt swap_fok_not_fillable(const StateView& state, PriceTexts& texts, const Intent& intent,
                              const std::optional<Price>& price) {
  return unfilled(intent, "fok_not_fillable",
                  "fill-or-kill: it could not fill in full at the clearing price" +
                      (price ? " (" + texts.text(state, *price) + ")" : std::string()) + "; " + until_text(intent) +
                      "; sign it with partial: true to accept part fills",
                  price);
}

Receipt swap_rationed(const StateView& state, PriceTexts& texts, const Intent& intent, const Price& price) {
  const Swap& s = *intent.swap();
  return unfilled(intent, "rationed",
                  "your limit (" + limit_text(state, s, limit_of(s)) + ") is met by the clearing price " +
                      texts.text(state, price) +
                      ", but the volume this block could net on the pair at that price (against opposite swaps, "
                      "rings and pool depth) went to intents with better limits, then smaller ids; " +
                      until_text(intent),
                  price);
}

Receipt swap_no_liquidity(const Intent& intent) {
  return unfilled(intent, "no_liquidity",
                  "the pair has no pool and no opposite swap was in this block; " + until_text(intent), std::nullopt);
}

Receipt swap_no_cross(const StateView& state, const Intent& intent, const Rational& limit,
                      const std::string& reference) {
  return unfilled(intent, "limit_not_reached",
                  "your limit is " + limit_text(state, *intent.swap(), limit) + "; nothing in this block crossed it (" +
                      reference + "); " + until_text(intent),
                  std::nullopt);
}

}  // namespace pactum::matching
