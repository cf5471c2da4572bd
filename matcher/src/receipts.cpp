#include "receipts.hpp"

namespace pactum::matching {
namespace {

std::string price_text(const Price& p) {
  return to_decimal(Rational(p.num, p.den)) + " " + p.quote + " per " + p.base;
}

std::string limit_text(const Swap& s, const Rational& limit) {
  const bool sells_base = s.sell_asset < s.buy_asset;
  const std::string& base = sells_base ? s.sell_asset : s.buy_asset;
  const std::string& quote = sells_base ? s.buy_asset : s.sell_asset;
  return std::string(sells_base ? "at least " : "at most ") + to_decimal(limit) + " " + quote +
         " per " + base;
}

Receipt unfilled(const Intent& intent, std::string reason, std::string message,
                 std::optional<Price> price) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::unfilled;
  r.reason = std::move(reason);
  r.message = std::move(message);
  r.price = std::move(price);
  return r;
}

}  // namespace

Receipt blank_receipt(const Intent& intent) {
  Receipt r;
  r.intent = intent.id;
  if (const Transfer* t = intent.transfer()) r.sold_asset = t->asset;
  if (const Swap* s = intent.swap()) {
    r.sold_asset = s->sell_asset;
    r.bought_asset = s->buy_asset;
  }
  return r;
}

Receipt rejected(const Intent& intent, std::string reason, std::string message) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::rejected;
  r.reason = std::move(reason);
  r.message = std::move(message);
  return r;
}

Receipt cancelled_by(const Intent& intent, const Hash32& cancel_id) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::cancelled;
  r.reason = "cancelled";
  r.message = "cancelled by intent " + cancel_id.hex() + " of the same signer; its nonce is used";
  return r;
}

Receipt cancel_settled(const Intent& cancel, std::size_t cancelled_count) {
  Receipt r = blank_receipt(cancel);
  r.status = ReceiptStatus::settled;
  r.message = "cancel settled: " + std::to_string(cancelled_count) +
              " named intent(s) of this signer were in this block and are cancelled; the "
              "others are dropped from the mempool if pending";
  return r;
}

Receipt insufficient_balance(const Intent& intent, const std::string& asset, const BigInt& have,
                             const BigInt& need) {
  return rejected(intent, "insufficient_balance",
                  "have " + have.str() + " " + asset +
                      " (balance minus what intents with smaller ids in this block reserve), need " +
                      need.str());
}

Receipt transfer_settled(const Intent& intent) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::settled;
  r.sold = intent.transfer()->amount;
  r.message = "transferred";
  return r;
}

Price make_price(const std::string& base, const std::string& quote, const Rational& p) {
  return Price{base, quote, num(p), den(p)};  // cpp_rational is always reduced, den > 0
}

Receipt swap_settled(const Intent& intent, const BigInt& sold, const BigInt& bought, bool partial,
                     const Price& price) {
  Receipt r = blank_receipt(intent);
  r.status = ReceiptStatus::settled;
  r.sold = to_amount(sold);
  r.bought = to_amount(bought);
  r.price = price;
  r.partial_fill = partial;
  r.reason = partial ? "partial" : "";
  r.message = std::string(partial ? "filled in part" : "filled") + " at " + price_text(price);
  return r;
}

Receipt swap_limit_not_reached(const Intent& intent, const Rational& limit, const Price& price) {
  return unfilled(intent, "limit_not_reached",
                  "your limit is " + limit_text(*intent.swap(), limit) +
                      "; the clearing price was " + price_text(price) +
                      "; the swap stays pending until valid_until",
                  price);
}

Receipt swap_at_limit_no_volume(const Intent& intent, const Price& price) {
  return unfilled(intent, "limit_not_reached",
                  "the clearing price " + price_text(price) +
                      " equals your limit and the volume at that price went to intents with "
                      "smaller ids; the swap stays pending",
                  price);
}

Receipt swap_fok_not_fillable(const Intent& intent, const std::optional<Price>& price) {
  return unfilled(intent, "fok_not_fillable",
                  "fill-or-kill: it could not fill in full at the clearing price" +
                      (price ? " (" + price_text(*price) + ")" : std::string()) +
                      "; set partial to accept part fills",
                  price);
}

Receipt swap_no_liquidity(const Intent& intent) {
  return unfilled(intent, "no_liquidity",
                  "the pair has no pool and no opposite swap was in this block; the swap stays "
                  "pending",
                  std::nullopt);
}

Receipt swap_no_cross(const Intent& intent, const Rational& limit, const std::string& reference) {
  return unfilled(intent, "limit_not_reached",
                  "your limit is " + limit_text(*intent.swap(), limit) +
                      "; nothing in this block crossed it (" + reference +
                      "); the swap stays pending",
                  std::nullopt);
}

}  // namespace pactum::matching
