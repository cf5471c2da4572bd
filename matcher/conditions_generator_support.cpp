// The generator of random instances for the conditions property tests
// (conditions_property.hpp): units of commitments (requires, exists, mirror groups and
// pairs, thresholds; with "unless", chains and negation cycles too), plain intents mixed
// in.
#include <gtest/gtest.h>

#include <algorithm>

#include "conditions_property.hpp"

namespace pactum::conditions_test {

class GeneratorImpl {
 public:
  GeneratorImpl(std::mt19937_64& rng, Options opt) : rng_(rng), opt_(opt), nonce_(kSigners, 0) {}

  Instance make() {
    inst_ = Instance{};
    inst_.poor.assign(kSigners, false);
    for (std::uint32_t i = 0; i < kSigners; ++i) inst_.poor[i] = pick(6) == 0;
    rich_.clear();
    for (std::uint32_t i = 0; i < kSigners; ++i)
      if (!inst_.poor[i]) rich_.push_back(i);
    if (rich_.empty()) {
      inst_.poor[0] = false;
      rich_.push_back(0);
    }
    const std::size_t target_c = 3 + pick(8), target_p = pick(5);
    commits_ = plains_ = 0;
    while (commits_ < target_c || plains_ < target_p) {
      if (plains_ < target_p && (commits_ >= target_c || pick(3) == 0)) {
        add(plain());
        ++plains_;
        continue;
      }
      const std::size_t room = target_c - commits_;
      if (opt_.reveals && pick(4) == 0) {  // drawn only with the option: other runs keep their sequence
        reveals_unit(room);
        continue;
      }
      switch (opt_.programs && room >= 2 && pick(5) == 0    ? 97
              : opt_.programs && pick(5) == 0               ? 96
              : opt_.negation && room >= 2 && pick(25) == 0 ? 99
              : opt_.negation && room >= 2 && pick(10) == 0 ? 98
                                                            : pick(13)) {
        case 97:
          program_ring(room);
          break;
        case 96:
          if (!inst_.batch.empty()) {
            combinator_unit();
            break;
          }
          exists_unit();
          break;
        case 99:
          negation_cycle_unit();
          break;
        case 98:
          chain_unit(room);
          break;
        case 0:
        case 1:
        case 2:
          if (!inst_.batch.empty()) {
            requires_unit();
            break;
          }
          [[fallthrough]];
        case 3:
        case 4:
        case 5:
        case 6:
          exists_unit();
          break;
        case 7:
        case 8:
          mirror_group(room);
          break;
        case 9:
        case 10:
          mirror_pair(room);
          break;
        default:
          threshold_group(room);
          break;
      }
    }
    return std::move(inst_);
  }

 private:
  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }
  std::uint32_t signer() { return static_cast<std::uint32_t>(pick(kSigners)); }
  std::uint32_t rich() { return rich_[pick(rich_.size())]; }
  std::string hex(std::uint32_t i) { return acct(i).hex(); }

  Intent sign(std::uint32_t who, json body) {
    body["chain"] = test::kChain;
    body["signer"] = hex(who);
    body["nonce"] = nonce_[who]++;
    body["valid_until"] = 100;
    auto in = sign_intent(body, keys().secret[who], /*deterministic=*/true);
    if (!in) {
      ADD_FAILURE() << "sign_intent: " << in.error().message << " in " << body.dump();
      return Intent{};
    }
    return std::move(*in);
  }
  void add(Intent in) { inst_.batch.push_back(std::move(in)); }
  void add_commit(std::uint32_t who, json action, json condition) {
    add(sign(who, {{"kind", "commit"}, {"action", std::move(action)}, {"condition", std::move(condition)}}));
    ++commits_;
  }

  // A swap AAA<->BBB at a limit rate of r/10 (r in 4..8): far inside the pool's price.
  json swap_fields(bool aaa_to_bbb, std::uint64_t r, bool sell_side) {
    const std::uint64_t sell = 10 * (100 + pick(400));
    return {{"sell_asset", aaa_to_bbb ? "AAA" : "BBB"},    {"buy_asset", aaa_to_bbb ? "BBB" : "AAA"},
            {"side", sell_side ? "sell" : "buy"},          {"sell_amount", std::to_string(sell)},
            {"buy_amount", std::to_string(sell * r / 10)}, {"partial", false}};
  }
  json random_swap() { return swap_fields(pick(2) == 0, 4 + pick(5), pick(2) == 0); }
  json transfer_fields(const std::string& asset, std::uint32_t to, std::uint64_t amount) {
    return {{"asset", asset}, {"to", hex(to)}, {"amount", std::to_string(amount)}};
  }
  json random_transfer() {
    return transfer_fields(kAssets[pick(3)], static_cast<std::uint32_t>(pick(kPot + 1)), 1 + pick(1000));
  }
  json action(bool swap) {
    json a = swap ? random_swap() : random_transfer();
    a["kind"] = swap ? "swap" : "transfer";
    return a;
  }

  Intent plain() {
    json body = pick(2) ? random_swap() : random_transfer();
    body["kind"] = body.contains("side") ? "swap" : "transfer";
    return sign(rich(), std::move(body));
  }

  json maybe_unless(json c) {
    if (opt_.negation && pick(4) == 0) return {{"type", "unless"}, {"condition", std::move(c)}};
    return c;
  }

  void requires_unit() {
    std::vector<std::string> ids;
    const std::size_t count = 1 + pick(3);
    for (std::size_t j = 0; j < count; ++j) {
      std::string id = inst_.batch[pick(inst_.batch.size())].id.hex();
      if (pick(12) == 0)
        id = sign(rich(),
                  [&] {
                    json t = random_transfer();
                    t["kind"] = "transfer";
                    return t;
                  }())
                 .id.hex();
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    add_commit(signer(), action(pick(3) == 0), maybe_unless({{"type", "requires"}, {"ids", ids}}));
  }

  json rate(std::uint64_t r) { return {{"num", std::to_string(r)}, {"den", "10"}}; }

  void exists_unit() {
    const bool aaa_to_bbb = pick(2) == 0;
    json pattern = {{"sell_asset", aaa_to_bbb ? "AAA" : "BBB"}, {"buy_asset", aaa_to_bbb ? "BBB" : "AAA"}};
    if (pick(2)) pattern["max_rate"] = rate(5 + pick(3));
    if (pick(3) == 0) pattern["min_rate"] = rate(4 + pick(3));
    if (pick(5) == 0) pattern["signer"] = hex(signer());
    json cond = {{"type", "exists"}, {"pattern", pattern}};
    const bool swap = pick(4) != 0;
    if (opt_.fallback && swap && pick(6) == 0) {
      cond["fallback"] = "pools";
    } else {
      cond = maybe_unless(cond);
    }
    add_commit(signer(), action(swap), cond);
  }

  // 1..3 commitments locked on the hash of one of three secrets (some under "unless"), and
  // maybe a reveal of that secret, of another one, or none. Reveals need no funds: any
  // account may reveal.
  void reveals_unit(std::size_t room) {
    const std::uint64_t secret = pick(3);
    auto preimage = [](std::uint64_t k) { return std::string("5e") + std::to_string(k) + "0"; };
    const std::string hash = sha256(as_bytes(*from_hex(preimage(secret), "preimage"))).hex();
    const std::size_t m = 1 + pick(std::min<std::size_t>(room, 3));
    for (std::size_t j = 0; j < m; ++j)
      add_commit(signer(), action(pick(3) == 0), maybe_unless({{"type", "reveals"}, {"hash", hash}}));
    const std::uint64_t v = pick(4);
    if (v < 2) add(sign(signer(), {{"kind", "reveal"}, {"preimage", preimage(secret)}}));
    if (v == 2) add(sign(signer(), {{"kind", "reveal"}, {"preimage", preimage((secret + 1) % 3)}}));
  }

  // A chain c1 <- c2 <- ... of requires, each link negated with probability 1/2: strata.
  void chain_unit(std::size_t room) {
    const std::size_t len = 2 + pick(std::min<std::size_t>(room, 4) - 1);
    std::string prev;
    for (std::size_t j = 0; j < len; ++j) {
      json cond;
      if (prev.empty()) {
        cond = {{"type", "exists"}, {"pattern", {{"sell_asset", pick(2) ? "AAA" : "BBB"}, {"buy_asset", "CCC"}}}};
        if (pick(2)) cond = {{"type", "threshold"}, {"k", 1}};
      } else {
        std::vector<std::string> ids{prev};
        if (pick(3) == 0) ids.push_back(inst_.batch[pick(inst_.batch.size())].id.hex());
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        cond = {{"type", "requires"}, {"ids", ids}};
      }
      if (pick(2)) cond = {{"type", "unless"}, {"condition", cond}};
      if (cond["type"] == "unless" && cond["condition"]["type"] == "threshold") cond = cond["condition"];
      add_commit(signer(), action(pick(4) == 0), cond);
      prev = inst_.batch.back().id.hex();
    }
  }

  // Swaps that read each other through "unless": a pair each "unless the other way
  // exists" (two stable choices), or one "unless" and one plain "exists" (none).
  void negation_cycle_unit() {
    const bool both = pick(2) == 0;
    const std::uint32_t a = signer(), b = signer();
    json p_ab = {{"sell_asset", "AAA"}, {"buy_asset", "BBB"}}, p_ba = {{"sell_asset", "BBB"}, {"buy_asset", "AAA"}};
    if (pick(2)) p_ab["signer"] = hex(a);
    if (pick(2)) p_ba["signer"] = hex(b);
    json sa = swap_fields(true, 4 + pick(5), pick(2) == 0), sb = swap_fields(false, 4 + pick(5), pick(2) == 0);
    sa["kind"] = sb["kind"] = "swap";
    add_commit(a, sa, {{"type", "unless"}, {"condition", {{"type", "exists"}, {"pattern", p_ba}}}});
    json cb = {{"type", "exists"}, {"pattern", p_ab}};
    add_commit(b, sb, both ? json{{"type", "unless"}, {"condition", cb}} : cb);
  }

  // m commitments of one program "transfer X to R iff mirror" (sometimes one deviates).
  void mirror_group(std::size_t room) {
    const std::size_t m = 1 + pick(std::min<std::size_t>(room, 3));
    const std::string asset = kAssets[pick(3)];
    const std::uint32_t to = pick(2) ? kPot : signer();
    const std::uint64_t amount = 1 + pick(1000);
    for (std::size_t j = 0; j < m; ++j) {
      json a = transfer_fields(asset, to, pick(8) == 0 ? amount + 1 : amount);
      a["kind"] = "transfer";
      add_commit(signer(), std::move(a), {{"type", "mirror"}});
    }
  }

  // A and B, each "give the other X iff the other commits the same" (or give to the pot);
  // sometimes B names someone else, or B is missing, or a third party names A.
  void mirror_pair(std::size_t room) {
    const std::uint32_t a = signer();
    std::uint32_t b = signer();
    while (b == a) b = signer();
    const std::string asset = kAssets[pick(3)];
    const bool to_peer = pick(3) != 0;
    const std::uint64_t amount = 1 + pick(1000);
    auto commit = [&](std::uint32_t who, std::uint32_t with) {
      json act = transfer_fields(asset, to_peer ? with : kPot, amount);
      act["kind"] = "transfer";
      add_commit(who, std::move(act), {{"type", "mirror"}, {"with", hex(with)}});
    };
    commit(a, b);
    if (room < 2) return;
    const std::uint64_t v = pick(10);
    if (v < 7) {
      commit(b, a);
    } else if (v < 9) {
      std::uint32_t c = signer();
      while (c == b) c = signer();
      commit(b, c);  // names a third account: no pair with a
    }
    if (room >= 3 && pick(4) == 0) {
      std::uint32_t c = signer();
      while (c == a) c = signer();
      commit(c, a);  // names a, but a names b
    }
  }

  void threshold_group(std::size_t room) {
    const std::size_t m = 1 + pick(std::min<std::size_t>(room, 4));
    json cond = {{"type", "threshold"}};
    std::uint64_t k = 1 + pick(3);
    if (pick(2)) {
      std::vector<std::string> of;
      for (std::uint32_t i = 0; i < kSigners; ++i)
        if (pick(2)) of.push_back(hex(i));
      if (of.empty()) of.push_back(hex(signer()));
      std::sort(of.begin(), of.end());  // the wire order is part of the program hash
      k = std::min<std::uint64_t>(k, of.size());
      cond["of"] = of;
      cond["k"] = k;
      // Members are mostly from `of`.
      std::vector<std::uint32_t> named;
      for (std::uint32_t i = 0; i < kSigners; ++i)
        if (std::find(of.begin(), of.end(), hex(i)) != of.end()) named.push_back(i);
      const std::string asset = kAssets[pick(3)];
      const std::uint64_t amount = 1 + pick(1000);
      for (std::size_t j = 0; j < m; ++j) {
        const std::uint32_t who = pick(4) ? named[pick(named.size())] : signer();
        json a = transfer_fields(asset, kPot, amount);
        a["kind"] = "transfer";
        add_commit(who, std::move(a), cond);
      }
      return;
    }
    cond["k"] = k;
    const std::string asset = kAssets[pick(3)];
    const std::uint64_t amount = 1 + pick(1000);
    for (std::size_t j = 0; j < m; ++j) {
      json a = transfer_fields(asset, kPot, amount);
      a["kind"] = "transfer";
      add_commit(signer(), std::move(a), cond);
    }
  }

  // The program hash of an unsigned commitment (decode computes it; no signature needed).
  Hash32 program_of(std::uint32_t who, const json& action, const json& condition) {
    json body = {{"kind", "commit"},   {"chain", test::kChain}, {"signer", hex(who)},    {"nonce", 0},
                 {"valid_until", 100}, {"action", action},      {"condition", condition}};
    auto in = decode_intent(body, /*require_sig=*/false);
    if (!in) {
      ADD_FAILURE() << "decode_intent: " << in.error().message << " in " << body.dump();
      return Hash32{};
    }
    return in->commit()->program;
  }
  json program_leaf(const Hash32& h, std::optional<std::uint32_t> signer) {
    json c = {{"type", "program"}, {"hash", h.hex()}};
    if (signer) c["signer"] = hex(*signer);
    return c;
  }

  // 2 or 3 parties, each with its own program (its own amount), each "transfer to the
  // next iff the others' programs settle" (all of them, or any, sometimes signed by the
  // named party). A program's hash leaves out the hashes it names, so each can name the
  // others'. Sometimes a party is missing, names a wrong hash, or is negated.
  void program_ring(std::size_t room) {
    const std::size_t m = 2 + pick(std::min<std::size_t>(room, 3) - 1);
    std::vector<std::uint32_t> who;
    for (std::size_t j = 0; j < m; ++j) who.push_back(signer());
    std::vector<json> actions;
    const std::string asset = kAssets[pick(3)];
    for (std::size_t j = 0; j < m; ++j) {
      json a = transfer_fields(asset, who[(j + 1) % m], 1 + pick(1000));
      a["kind"] = "transfer";
      actions.push_back(std::move(a));
    }
    const bool any = pick(3) == 0, signed_by = pick(2) == 0;
    auto condition = [&](std::size_t j, const std::vector<Hash32>& hashes) {
      json list = json::array();
      for (std::size_t o = 0; o < m; ++o)
        if (o != j) list.push_back(program_leaf(hashes[o], signed_by ? std::optional(who[o]) : std::nullopt));
      if (list.size() == 1 && pick(2)) return list[0];
      return json{{"type", any ? "any" : "all"}, {"conditions", list}};
    };
    std::vector<Hash32> hashes(m);
    for (std::size_t j = 0; j < m; ++j) hashes[j] = program_of(who[j], actions[j], condition(j, hashes));
    for (std::size_t j = 0; j < m; ++j) {
      if (pick(10) == 0) continue;  // missing
      json c = condition(j, hashes);
      if (pick(10) == 0) c = program_leaf(hashes[pick(m)], std::nullopt);  // names something else
      if (opt_.negation && pick(8) == 0)
        c = {{"type", "unless"}, {"condition", program_leaf(hashes[pick(m)], std::nullopt)}};
      add_commit(who[j], actions[j], c);
    }
  }

  // all/any over 2 or 3 leaves: requires of an intent of the batch, an exists pattern, a
  // program of a commitment of the batch; a leaf sometimes negated; one level nested.
  void combinator_unit() {
    auto leaf = [&]() -> json {
      json c;
      const std::size_t kind = pick(3);
      const Intent& some = inst_.batch[pick(inst_.batch.size())];
      if (kind == 0 || (kind == 2 && !some.commit())) {
        c = {{"type", "requires"}, {"ids", {some.id.hex()}}};
      } else if (kind == 1) {
        const bool aaa_to_bbb = pick(2) == 0;
        c = {{"type", "exists"},
             {"pattern", {{"sell_asset", aaa_to_bbb ? "AAA" : "BBB"}, {"buy_asset", aaa_to_bbb ? "BBB" : "AAA"}}}};
        if (pick(2)) c["pattern"]["max_rate"] = rate(5 + pick(3));
      } else {
        c = program_leaf(some.commit()->program, std::nullopt);
        if (pick(2)) c["signer"] = some.signer.hex();
      }
      return maybe_unless(std::move(c));
    };
    auto node = [&](bool nest) {
      json list = json::array();
      const std::size_t count = 2 + pick(2);
      for (std::size_t j = 0; j < count; ++j) list.push_back(leaf());
      if (nest) list.push_back(json{{"type", pick(2) ? "all" : "any"}, {"conditions", {leaf(), leaf()}}});
      return json{{"type", pick(2) ? "all" : "any"}, {"conditions", list}};
    };
    add_commit(signer(), action(pick(3) == 0), node(pick(3) == 0));
  }

  std::mt19937_64& rng_;
  Options opt_;
  Instance inst_;
  std::vector<std::uint64_t> nonce_;
  std::vector<std::uint32_t> rich_;
  std::size_t commits_ = 0, plains_ = 0;
};

Generator::Generator(std::mt19937_64& rng, Options opt) : impl_(std::make_unique<GeneratorImpl>(rng, opt)) {}
Generator::~Generator() = default;
Instance Generator::make() { return impl_->make(); }

}  // namespace pactum::conditions_test
