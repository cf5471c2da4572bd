// The scenario's other mechanisms: conditional commitments (mirror pairs, pay-on-delivery,
// threshold crowdfunding), bundles (flash-loan triangle arbitrage, two-party OTC swaps)
// and sealed negotiation rooms (open, seal both positions, sign the outcome).
#include <algorithm>

#include "pactum/intents/room.hpp"
#include "pactum/ledger/pool_math.hpp"
#include "scenario_workload.hpp"

namespace pactum::scenario {

using nlohmann::json;

void Workload::commitments(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out) {
  const std::string& n = numeraire_;
  // Mirror pair (cooperate iff the other runs the same program); sometimes one defects.
  if (rng_.chance(300)) {
    const std::uint32_t a = trader(), b = other_trader(a);
    const BigInt amount = to_asset(whole(rng_.between(10, 500)), n);
    const bool defect = rng_.chance(200);
    if (BigInt(available(state, pool, a, n)) >= amount && BigInt(available(state, pool, b, n)) >= amount) {
      auto commit = [&](std::uint32_t self, std::uint32_t peer) {
        return sign_agent(
            {{"kind", "commit"},
             {"action", {{"kind", "transfer"}, {"asset", n}, {"to", hex(peer)}, {"amount", amount.str()}}},
             {"condition", {{"type", "mirror"}, {"with", hex(peer)}}}},
            self, h + 2);
      };
      out.push_back(commit(a, b));
      if (!defect) out.push_back(commit(b, a));
    }
  }
  // Pay on delivery: a delivers an asset; b's payment requires the delivery's id.
  if (priced_.size() >= 2 && rng_.chance(250)) {
    const std::uint32_t a = trader(), b = other_trader(a);
    std::string x = priced_[rng_.below(priced_.size())];
    if (x == n) x = priced_[(std::find(priced_.begin(), priced_.end(), n) - priced_.begin() + 1) % priced_.size()];
    const BigInt value = whole(rng_.between(200, 5'000));
    const BigInt qty = to_asset(value, x);
    if (qty > 0 && BigInt(available(state, pool, a, x)) >= qty && BigInt(available(state, pool, b, n)) >= value) {
      Intent delivery =
          sign_agent({{"kind", "transfer"}, {"asset", x}, {"to", hex(b)}, {"amount", qty.str()}}, a, h + 1);
      const Hash32 id = delivery.id;
      out.push_back(std::move(delivery));
      out.push_back(
          sign_agent({{"kind", "commit"},
                      {"action", {{"kind", "transfer"}, {"asset", n}, {"to", hex(a)}, {"amount", value.str()}}},
                      {"condition", {{"type", "requires"}, {"ids", {id.hex()}}}}},
                     b, h + 1));
    }
  }
  // Threshold crowdfunding: each pays the beneficiary iff k of them commit; sometimes k is
  // out of reach and the commitments expire unmet.
  if (keys_.size() >= 8 && rng_.chance(120)) {
    const std::uint32_t beneficiary = trader();
    const auto count = static_cast<std::uint32_t>(rng_.between(3, 5));
    std::vector<std::uint32_t> backers;
    while (backers.size() < count) {
      const std::uint32_t c = other_trader(beneficiary);
      if (std::find(backers.begin(), backers.end(), c) == backers.end()) backers.push_back(c);
    }
    const std::uint32_t k = rng_.chance(750) ? 3 : count + 1;
    const BigInt amount = to_asset(whole(25), n);
    for (std::uint32_t c : backers) {
      if (BigInt(available(state, pool, c, n)) < amount) continue;
      out.push_back(sign_agent(
          {{"kind", "commit"},
           {"action", {{"kind", "transfer"}, {"asset", n}, {"to", hex(beneficiary)}, {"amount", amount.str()}}},
           {"condition", {{"type", "threshold"}, {"k", k}}}},
          c, h + 3));
    }
  }
}

void Workload::bundles(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out) {
  // Flash-loan triangle arbitrage by the searcher (agent 1): borrow, three pool swaps,
  // repay, at least 1 unit of profit, simulated on the head state (the batch runs first,
  // so a bundle that looked profitable can still fail its check). The batch trades pools
  // outside their band towards their capacity (market clearing for pools), so after a
  // block that touched a triangle there is rarely a profit left: the searcher also tries
  // unprofitable-looking loops often, betting on the next batch.
  if (rng_.chance(300)) {
    struct Triangle {
      std::string a, b, c;
    };
    std::vector<Triangle> triangles;
    for (const std::string& a : priced_) {
      if (!state.lending_pool(a)) continue;
      for (const std::string& b : priced_)
        for (const std::string& c : priced_)
          if (a != b && a != c && b < c && state.pool(a, b) && state.pool(b, c) && state.pool(c, a))
            triangles.push_back({a, b, c});
    }
    if (!triangles.empty()) {
      Triangle t = triangles[rng_.below(triangles.size())];
      const LendingPool lend = *state.lending_pool(t.a);
      BigInt loan = pool_math::reserve_of(*state.pool(t.a, t.b), t.a) * rng_.between(5, 30) / 1000;
      loan = std::min(loan, BigInt(lend.reserve));
      const BigInt fee = pool_math::flash_loan_fee(loan, lend.fee_bps);
      auto run = [&](const std::string& b, const std::string& c, std::vector<BigInt>& outs) {
        Pool p1 = *state.pool(t.a, b), p2 = *state.pool(b, c), p3 = *state.pool(c, t.a);
        outs = {pool_math::swap_out(p1, t.a, loan)};
        outs.push_back(pool_math::swap_out(p2, b, outs[0]));
        outs.push_back(pool_math::swap_out(p3, c, outs[1]));
        return outs[2] - loan - fee;
      };
      std::vector<BigInt> fwd, back;
      const BigInt profit_fwd = run(t.b, t.c, fwd), profit_back = run(t.c, t.b, back);
      const bool forward = profit_fwd >= profit_back;
      const BigInt profit = forward ? profit_fwd : profit_back;
      const std::string b = forward ? t.b : t.c, c = forward ? t.c : t.b;
      const std::vector<BigInt>& outs = forward ? fwd : back;
      if (loan > 0 && outs[0] > 0 && outs[1] > 0 && (profit > 0 || rng_.chance(600))) {
        const std::string me = hex(1);
        auto swap_step = [&](const std::string& sell, const std::string& buy, const BigInt& in) {
          return json{{"op", "swap"},     {"account", me},         {"sell_asset", sell},
                      {"buy_asset", buy}, {"amount_in", in.str()}, {"min_out", "1"}};
        };
        json steps =
            json::array({json{{"op", "borrow"}, {"account", me}, {"asset", t.a}, {"amount", loan.str()}},
                         swap_step(t.a, b, loan), swap_step(b, c, outs[0]), swap_step(c, t.a, outs[1]),
                         json{{"op", "repay"}, {"account", me}, {"asset", t.a}, {"amount", BigInt(loan + fee).str()}}});
        json checks = json::array({json{{"type", "min_profit"}, {"account", me}, {"asset", t.a}, {"amount", "1"}}});
        out.push_back(sign_agent({{"kind", "bundle"}, {"steps", steps}, {"checks", checks}}, 1, h + 1));
      }
    }
  }
  // An OTC swap as a two-party bundle at the reference price, signed by both.
  if (priced_.size() >= 2 && rng_.chance(120)) {
    const std::uint32_t a = trader(), b = other_trader(a);
    std::string x = priced_[rng_.below(priced_.size())];
    if (x == numeraire_) return;
    const BigInt value = whole(rng_.between(1'000, 30'000));
    const BigInt qty = to_asset(value, x);
    if (qty <= 0 || BigInt(available(state, pool, a, x)) < qty || BigInt(available(state, pool, b, numeraire_)) < value)
      return;
    json steps = json::array(
        {json{{"op", "transfer"}, {"from", hex(a)}, {"to", hex(b)}, {"asset", x}, {"amount", qty.str()}},
         json{{"op", "transfer"}, {"from", hex(b)}, {"to", hex(a)}, {"asset", numeraire_}, {"amount", value.str()}}});
    Intent signed_by_a = sign_agent({{"kind", "bundle"}, {"steps", steps}}, a, h + 1);
    auto cosigned = add_signature(intent_to_json(signed_by_a), keys_[b], /*deterministic=*/true);
    if (!cosigned) throw std::runtime_error("scenario: OTC bundle cosign: " + cosigned.error().message);
    auto in = decode_intent(*cosigned);
    if (!in) throw std::runtime_error("scenario: OTC bundle: " + in.error().message);
    out.push_back(std::move(in).value());
  }
}

void Workload::rooms(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out) {
  for (auto it = rooms_.begin(); it != rooms_.end();) {
    const auto rec = state.room(it->id);
    if (!rec) {  // the open did not settle (yet): give up after a few blocks
      it = (h > it->close_height) ? rooms_.erase(it) : std::next(it);
      continue;
    }
    if (rec->closed) {  // both parties sign the published outcome
      const Hash32 digest = outcome_digest(rec->id, rec->terms.hash, rec->outcome, rec->outcome_value());
      for (std::uint32_t party : {it->seller, it->buyer})
        out.push_back(sign_agent({{"kind", "room_sign"},
                                  {"room", rec->id.hex()},
                                  {"outcome_sig", keys_[party].sign_deterministic(digest).hex()}},
                                 party, h + 5));
      it = rooms_.erase(it);
      continue;
    }
    if (!it->sealed && h < it->close_height) {
      it->sealed = true;
      // Each side seals its reservation around the reference; sometimes one walks away or
      // does not seal at all (then there is no deal and the escrow comes back).
      const std::uint64_t floor_permille = rng_.between(900, 1'050), ceiling_permille = rng_.between(950, 1'100);
      for (std::uint32_t party : {it->seller, it->buyer}) {
        if (rng_.chance(40)) continue;
        const bool seller = party == it->seller;
        const Amount escrow = seller ? rec->terms.amount : rec->terms.hi;
        if (available(state, pool, party, seller ? rec->terms.asset : rec->terms.pay_asset) < escrow) continue;
        SealedPosition pos;
        pos.accept = !rng_.chance(50);
        pos.reservation = Amount(it->reference * (seller ? floor_permille : ceiling_permille) / 1000);
        const SecretKey eph = derive_key("pactum/scenario/room-eph/v1", seed_, rec->id, party);
        const Hash32 iv_src = derive_hash("pactum/scenario/room-iv/v1", seed_, rec->id, party, 0);
        std::array<std::uint8_t, 12> iv{};
        std::copy_n(iv_src.bytes.begin(), iv.size(), iv.begin());
        auto sealed = seal_position_with(eph, iv, rec->pubkey, rec->id, pubs_[party], pos);
        if (!sealed) throw std::runtime_error("scenario: sealing: " + sealed.error().message);
        out.push_back(sign_agent({{"kind", "room_position"},
                                  {"room", rec->id.hex()},
                                  {"eph", point_hex(sealed->eph)},
                                  {"iv", to_hex(Bytes(sealed->iv))},
                                  {"ct", to_hex(Bytes(sealed->ct))}},
                                 party, it->close_height - 1));
      }
    }
    ++it;
  }
  // Open a new price room: a seller and a buyer negotiate an amount of an asset for the
  // numeraire within +-20% of the reference.
  if (priced_.size() < 2 || !rng_.chance(250)) return;
  std::string x = priced_[rng_.below(priced_.size())];
  if (x == numeraire_) return;
  const std::uint32_t seller = trader(), buyer = other_trader(seller);
  const BigInt value = whole(rng_.between(1'000, 20'000));
  const BigInt amount = to_asset(value, x);
  const BigInt lo = value * 80 / 100, hi = value * 120 / 100;
  if (amount <= 0 || BigInt(available(state, pool, seller, x)) < amount ||
      BigInt(available(state, pool, buyer, numeraire_)) < hi + BigInt(genesis_.rooms.fee) * 2)
    return;
  const std::uint64_t close = h + rng_.between(3, 6);
  json terms = {{"mechanism", rng_.chance(700) ? "midpoint" : "posted"},
                {"seller", hex(seller)},
                {"buyer", hex(buyer)},
                {"asset", x},
                {"amount", amount.str()},
                {"pay_asset", numeraire_},
                {"range", {lo.str(), hi.str()}},
                {"close_height", close}};
  if (terms["mechanism"] == "posted") terms["posted"] = {{"random", true}};
  const std::uint32_t opener = rng_.chance(500) ? seller : buyer;
  Intent open = sign_agent({{"kind", "room_open"}, {"terms", terms}}, opener, h + 1);
  rooms_.push_back(Room{open.id, seller, buyer, value, close, false});
  out.push_back(std::move(open));
}

}  // namespace pactum::scenario
