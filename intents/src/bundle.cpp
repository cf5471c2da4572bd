// Decoding of atomic bundles (bundle.hpp).
#include <algorithm>

#include "decoders.hpp"
#include "fields.hpp"

namespace pactum {

std::string_view step_op_name(StepOp op) {
  switch (op) {
    case StepOp::transfer:
      return "transfer";
    case StepOp::swap:
      return "swap";
    case StepOp::borrow:
      return "borrow";
    case StepOp::repay:
      return "repay";
  }
  return "transfer";
}

namespace fields {
namespace {

using nlohmann::json;

Result<BundleStep> decode_step(const json& j, const std::string& where) {
  if (!j.is_object()) return field_error(where, std::string("must be an object, got ") + j.type_name());
  auto op = get_string(j, "op");
  if (!op) return prefixed(op.error(), where);
  BundleStep s;
  auto fail = [&](const Error& e) { return prefixed(e, where); };
  if (*op == "transfer") {
    PACTUM_TRY(only_fields(j, {"op", "from", "to", "asset", "amount"}, where));
    s.op = StepOp::transfer;
    auto from = get_account(j, "from");
    if (!from) return fail(from.error());
    s.account = *from;
    auto to = get_account(j, "to");
    if (!to) return fail(to.error());
    s.to = *to;
  } else if (*op == "swap") {
    PACTUM_TRY(only_fields(j, {"op", "account", "sell_asset", "buy_asset", "amount_in", "min_out"}, where));
    s.op = StepOp::swap;
    auto sell = get_asset(j, "sell_asset");
    if (!sell) return fail(sell.error());
    auto buy = get_asset(j, "buy_asset");
    if (!buy) return fail(buy.error());
    if (*sell == *buy) return field_error(where + ".buy_asset", "must differ from sell_asset");
    s.asset = *sell;
    s.buy_asset = *buy;
    auto in = get_positive_amount(j, "amount_in");
    if (!in) return fail(in.error());
    s.amount = *in;
    auto out = get_amount(j, "min_out");
    if (!out) return fail(out.error());
    s.min_out = *out;
  } else if (*op == "borrow" || *op == "repay") {
    PACTUM_TRY(only_fields(j, {"op", "account", "asset", "amount"}, where));
    s.op = *op == "borrow" ? StepOp::borrow : StepOp::repay;
  } else {
    return field_error(where + ".op", "must be \"transfer\", \"swap\", \"borrow\" or \"repay\", got \"" + *op + "\"");
  }
  if (s.op != StepOp::transfer) {
    auto account = get_account(j, "account");
    if (!account) return fail(account.error());
    s.account = *account;
  }
  if (s.op != StepOp::swap) {
    auto asset = get_asset(j, "asset");
    if (!asset) return fail(asset.error());
    s.asset = *asset;
    auto amount = get_positive_amount(j, "amount");
    if (!amount) return fail(amount.error());
    s.amount = *amount;
  }
  return s;
}

Result<BundleCheck> decode_check(const json& j, const std::string& where) {
  PACTUM_TRY(only_fields(j, {"type", "account", "asset", "amount"}, where));
  auto fail = [&](const Error& e) { return prefixed(e, where); };
  BundleCheck c;
  auto type = get_string(j, "type");
  if (!type) return fail(type.error());
  if (*type == "min_balance")
    c.type = CheckType::min_balance;
  else if (*type == "min_profit")
    c.type = CheckType::min_profit;
  else
    return field_error(where + ".type", "must be \"min_balance\" or \"min_profit\", got \"" + *type + "\"");
  auto account = get_account(j, "account");
  if (!account) return fail(account.error());
  c.account = *account;
  auto asset = get_asset(j, "asset");
  if (!asset) return fail(asset.error());
  c.asset = *asset;
  auto amount = get_amount(j, "amount");
  if (!amount) return fail(amount.error());
  c.amount = *amount;
  return c;
}

template <typename T, typename F>
Result<std::vector<T>> decode_list(const json& j, const char* field, std::size_t min, std::size_t max, F decode_one) {
  std::vector<T> out;
  auto it = j.find(field);
  if (it == j.end()) {
    if (min == 0) return out;
    return field_error(field, "missing required field");
  }
  if (!it->is_array()) return field_error(field, std::string("must be an array, got ") + it->type_name());
  if (it->size() < min || it->size() > max)
    return field_error(field, "must hold " + std::to_string(min) + " to " + std::to_string(max) + " entries");
  for (std::size_t i = 0; i < it->size(); ++i) {
    PACTUM_ASSIGN(v, decode_one((*it)[i], std::string(field) + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<Bundle> decode_bundle(const json& j, const PublicKey& signer, bool require_cosigs) {
  Bundle b;
  auto steps = decode_list<BundleStep>(j, "steps", 1, kMaxBundleSteps, decode_step);
  if (!steps) return steps.error();
  b.steps = std::move(*steps);
  auto checks = decode_list<BundleCheck>(j, "checks", 0, kMaxBundleChecks, decode_check);
  if (!checks) return checks.error();
  b.checks = std::move(*checks);
  auto cosigs = decode_list<CoSignature>(j, "cosigs", 0, kMaxCosigners,
                                         [](const json& c, const std::string& where) -> Result<CoSignature> {
                                           PACTUM_TRY(only_fields(c, {"account", "sig"}, where));
                                           auto account = get_account(c, "account");
                                           if (!account) return prefixed(account.error(), where);
                                           auto sig = get_string(c, "sig");
                                           if (!sig) return prefixed(sig.error(), where);
                                           PACTUM_ASSIGN(s, Signature::from_hex(*sig, where + ".sig"));
                                           return CoSignature{*account, s};
                                         });
  if (!cosigs) return cosigs.error();
  b.cosigs = std::move(*cosigs);

  for (std::size_t i = 0; i < b.cosigs.size(); ++i) {
    const std::string f = "cosigs[" + std::to_string(i) + "].account";
    if (b.cosigs[i].account == signer) return field_error(f, "is the signer, whose signature goes in \"sig\"");
    for (std::size_t k = 0; k < i; ++k)
      if (b.cosigs[k].account == b.cosigs[i].account) return field_error(f, "duplicate cosigner");
  }
  for (const BundleStep& s : b.steps) b.movers.push_back(s.account);
  std::sort(b.movers.begin(), b.movers.end());
  b.movers.erase(std::unique(b.movers.begin(), b.movers.end()), b.movers.end());
  if (!require_cosigs) return b;
  for (std::size_t i = 0; i < b.steps.size(); ++i) {
    const PublicKey& who = b.steps[i].account;
    if (who == signer) continue;
    const bool signed_it =
        std::any_of(b.cosigs.begin(), b.cosigs.end(), [&](const CoSignature& c) { return c.account == who; });
    if (!signed_it) {
      const std::string f =
          "steps[" + std::to_string(i) + "]." + (b.steps[i].op == StepOp::transfer ? "from" : "account");
      return make_error(Errc::missing_signature,
                        f + ": account " + who.hex() +
                            " moves funds in this bundle but has not signed it (add its "
                            "signature of the intent id to \"cosigs\")",
                        f);
    }
  }
  return b;
}

}  // namespace fields
}  // namespace pactum
