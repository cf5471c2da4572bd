// The scenario's market: agents, funding, the reference price walk, swaps (traders with
// tight, loose and passive limits; crossing pairs; whales), the arbitrageur, transfers and
// cancels. Commitments, bundles and rooms are in scenario_extras.cpp.
#include "scenario_workload.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace pactum::scenario {

using nlohmann::json;

namespace {

void put_be(std::string& buf, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) buf.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

Hash32 derive_hash(std::string_view tag, std::uint64_t seed, const Hash32& salt, std::uint32_t index,
                   std::uint32_t counter) {
  std::string buf(tag);
  put_be(buf, seed, 8);
  buf.append(reinterpret_cast<const char*>(salt.bytes.data()), salt.bytes.size());
  put_be(buf, index, 4);
  put_be(buf, counter, 4);
  return sha256(as_bytes(buf));
}

SecretKey derive_key(std::string_view tag, std::uint64_t seed, const Hash32& salt, std::uint32_t index) {
  for (std::uint32_t attempt = 0;; ++attempt) {
    const Hash32 h = derive_hash(tag, seed, salt, index, attempt);
    auto key = SecretKey::from_bytes(Bytes(h.bytes));
    if (key) return std::move(key).value();
  }
}

Workload::Workload(std::uint64_t seed, std::uint32_t agents, const Genesis& genesis, const State& state)
    : seed_(seed), rng_(seed), chain_(genesis.chain_id), genesis_(genesis) {
  for (std::uint32_t i = 0; i < agents; ++i) {
    keys_.push_back(derive_key("pactum/scenario/agent/v1", seed, Hash32{}, i));
    pubs_.push_back(keys_.back().public_key());
    whale_.push_back(i >= 2 && rng_.chance(100));
  }
  // The numeraire: the asset in the most pools (genesis order breaks ties).
  const std::vector<Pool> pools = state.pools();
  std::size_t best = 0;
  for (const AssetInfo& a : genesis.assets) {
    std::size_t n = 0;
    for (const Pool& p : pools) n += (p.asset_a == a.symbol || p.asset_b == a.symbol);
    if (numeraire_.empty() || n > best) {
      numeraire_ = a.symbol;
      best = n;
    }
  }
  // Reference values from the genesis pools' reserves, outward from the numeraire.
  price_[numeraire_] = kScale;
  for (bool changed = true; changed;) {
    changed = false;
    for (const Pool& p : pools) {
      if (p.reserve_a == 0 || p.reserve_b == 0) continue;
      const bool has_a = price_.count(p.asset_a) > 0, has_b = price_.count(p.asset_b) > 0;
      if (has_a == has_b) continue;
      if (has_b)
        price_[p.asset_a] = BigInt(p.reserve_b) * price_[p.asset_b] / BigInt(p.reserve_a);
      else
        price_[p.asset_b] = BigInt(p.reserve_a) * price_[p.asset_a] / BigInt(p.reserve_b);
      changed = true;
    }
  }
  std::uint32_t num_decimals = 0;
  for (const AssetInfo& a : genesis.assets)
    if (a.symbol == numeraire_) num_decimals = a.decimals;
  for (const AssetInfo& a : genesis.assets) {
    auto it = price_.find(a.symbol);
    if (it == price_.end() || it->second == 0) {
      price_.erase(a.symbol);
      continue;
    }
    priced_.push_back(a.symbol);
    // A stable asset (a whole unit within 3% of the numeraire's) walks a tenth as far.
    const BigInt unit_value = pow(BigInt(10), a.decimals) * it->second / kScale;
    const BigInt num_unit = pow(BigInt(10), num_decimals);
    const bool stable = unit_value * 100 >= num_unit * 97 && unit_value * 100 <= num_unit * 103;
    sigma_ppm_[a.symbol] = a.symbol == numeraire_ ? 0 : (stable ? 300 : 4000);
  }
}

Intent Workload::sign(json j, const SecretKey& key, std::uint64_t valid_until) {
  const PublicKey pub = key.public_key();
  j["chain"] = chain_;
  j["signer"] = pub.hex();
  j["nonce"] = nonces_[pub]++;
  j["valid_until"] = valid_until;
  auto in = sign_intent(j, key, /*deterministic=*/true);
  if (!in) throw std::runtime_error("scenario: generated intent does not sign: " + in.error().message + " " + j.dump());
  return std::move(in).value();
}

Amount Workload::available(const State& state, const Mempool& pool, std::uint32_t agent,
                           const std::string& asset) const {
  const Amount bal = state.balance(pubs_[agent], asset);
  const Amount res = pool.reserved(pubs_[agent], asset);
  return bal > res ? Amount(bal - res) : Amount(0);
}

std::uint32_t Workload::trader() { return static_cast<std::uint32_t>(rng_.between(2, keys_.size() - 1)); }

std::uint32_t Workload::other_trader(std::uint32_t not_this) {
  const auto n = static_cast<std::uint32_t>(keys_.size()) - 2;  // traders
  const auto pick = static_cast<std::uint32_t>(rng_.below(n - 1));
  const std::uint32_t idx = 2 + pick;
  return idx >= not_this ? idx + 1 : idx;
}

BigInt Workload::to_asset(const BigInt& value, const std::string& asset) const {
  return value * kScale / price_.at(asset);
}
BigInt Workload::to_value(const BigInt& amount, const std::string& asset) const {
  return amount * price_.at(asset) / kScale;
}
BigInt Workload::whole(std::uint64_t units) const {
  for (const AssetInfo& a : genesis_.assets)
    if (a.symbol == numeraire_) return BigInt(units) * pow(BigInt(10), a.decimals);
  return BigInt(units);
}

std::vector<Intent> Workload::funding(const State& state, const Mempool&) {
  std::vector<Intent> out;
  const std::uint32_t devs = genesis_.dev_account_count;
  const std::uint64_t per_dev = (keys_.size() + devs - 1) / devs;
  for (std::uint32_t i = 0; i < keys_.size(); ++i) {
    const SecretKey dev = dev_secret_key(i % devs);
    for (const AssetInfo& a : genesis_.assets) {
      const BigInt cap = BigInt(state.balance(dev.public_key(), a.symbol)) / (per_dev + 2);
      BigInt amount = cap / 4;  // an asset without a reference value
      if (price_.count(a.symbol)) {
        std::uint64_t units = rng_.between(20'000, 120'000);
        if (i < 2)
          units *= 25;
        else if (whale_[i])
          units *= 8;
        amount = std::min(cap, to_asset(whole(units), a.symbol));
      }
      if (amount <= 0) continue;
      out.push_back(
          sign({{"kind", "transfer"}, {"asset", a.symbol}, {"to", hex(i)}, {"amount", amount.str()}}, dev, 10));
    }
  }
  return out;
}

std::vector<Intent> Workload::block(std::uint64_t h, const State& state, const Mempool& pool) {
  std::vector<Intent> out;
  walk_prices();
  arbitrage(h, state, pool, out);
  swaps(h, state, pool, out);
  transfers(h, state, pool, out);
  cancels(h, pool, out);
  commitments(h, state, pool, out);
  bundles(h, state, pool, out);
  rooms(h, state, pool, out);
  return out;
}

void Workload::walk_prices() {
  for (const std::string& a : priced_) {
    const std::int64_t s = sigma_ppm_[a];
    if (s == 0) continue;
    const std::int64_t step = rng_.symmetric(s);
    price_[a] = price_[a] * BigInt(1'000'000 + step) / 1'000'000;
    if (price_[a] == 0) price_[a] = 1;
  }
}

std::optional<Intent> Workload::swap(std::uint64_t, const State& state, const Mempool& pool, std::uint32_t agent,
                                     const std::string& sell, const std::string& buy, BigInt value,
                                     std::int64_t slip_bps, bool buy_side, bool partial, std::uint64_t valid_until) {
  const BigInt avail(available(state, pool, agent, sell));
  const BigInt ps = price_.at(sell), pb = price_.at(buy);
  const BigInt keep = 10'000 - slip_bps, give = 10'000 + slip_bps;
  BigInt sell_amount, buy_amount;
  if (!buy_side) {
    sell_amount = to_asset(value, sell);
    if (sell_amount * 10 > avail * 9) sell_amount = avail * rng_.between(30, 90) / 100;
    buy_amount = sell_amount * ps * keep / (pb * 10'000);
  } else {
    buy_amount = to_asset(value, buy);
    sell_amount = buy_amount * pb * give / (ps * 10'000) + 1;
    if (sell_amount * 10 > avail * 9) {
      sell_amount = avail * rng_.between(30, 90) / 100;
      buy_amount = sell_amount * ps * 10'000 / (pb * give);
    }
  }
  if (sell_amount <= 0 || buy_amount <= 0) return std::nullopt;
  return sign_agent({{"kind", "swap"},
                     {"sell_asset", sell},
                     {"buy_asset", buy},
                     {"side", buy_side ? "buy" : "sell"},
                     {"sell_amount", sell_amount.str()},
                     {"buy_amount", buy_amount.str()},
                     {"partial", partial}},
                    agent, valid_until);
}

void Workload::swaps(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out) {
  std::vector<std::pair<std::string, std::string>> pairs;  // pool pairs with reference values
  for (const Pool& p : state.pools())
    if (price_.count(p.asset_a) && price_.count(p.asset_b)) pairs.emplace_back(p.asset_a, p.asset_b);
  if (priced_.size() < 2) return;
  auto pick_pair = [&]() -> std::pair<std::string, std::string> {
    if (!pairs.empty() && !rng_.chance(100)) return pairs[rng_.below(pairs.size())];
    const std::size_t i = rng_.below(priced_.size());
    std::size_t j = rng_.below(priced_.size() - 1);
    if (j >= i) ++j;
    return {priced_[i], priced_[j]};
  };
  const std::uint64_t mean = std::max<std::uint64_t>(3, keys_.size() / 4);
  const std::uint64_t n = rng_.between(0, 2 * mean);
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::uint32_t agent = trader();
    auto [x, y] = pick_pair();
    if (rng_.chance(500)) std::swap(x, y);
    const std::uint64_t tier = rng_.below(1000);
    std::uint64_t units = rng_.between(50, 5'000);
    if (tier >= 950 && whale_[agent])
      units = rng_.between(40'000, 400'000);  // moves the pool
    else if (tier >= 700)
      units = rng_.between(5'000, 40'000);
    const std::uint64_t style = rng_.below(100);
    std::int64_t slip = 0;
    bool passive = false;
    if (style < 45)
      slip = static_cast<std::int64_t>(rng_.between(35, 90));  // tight
    else if (style < 80)
      slip = static_cast<std::int64_t>(rng_.between(100, 600));  // loose
    else {
      passive = true;  // a limit order at or better than the reference: may wait, may expire
      slip = static_cast<std::int64_t>(rng_.between(0, 70)) - 40;
    }
    const bool buy_side = rng_.chance(300);
    const bool partial = passive ? rng_.chance(800) : rng_.chance(350);
    const std::uint64_t valid = passive ? h + rng_.between(5, 30) : h + rng_.between(0, 6);
    if (auto in = swap(h, state, pool, agent, x, y, whole(units), slip, buy_side, partial, valid))
      out.push_back(std::move(*in));
  }
  // Crossing pairs: two traders on opposite sides of one pair, near the reference, in the
  // same block, so that the batch can match them with each other.
  if (!pairs.empty() && rng_.chance(400)) {
    const auto [x, y] = pairs[rng_.below(pairs.size())];
    const std::uint32_t a = trader(), b = other_trader(a);
    const std::uint64_t units = rng_.between(2'000, 20'000);
    const bool partial = rng_.chance(500);
    const std::uint64_t valid = h + rng_.between(0, 3);
    if (auto in = swap(h, state, pool, a, x, y, whole(units), static_cast<std::int64_t>(rng_.between(5, 60)), false,
                       partial, valid))
      out.push_back(std::move(*in));
    if (auto in = swap(h, state, pool, b, y, x, whole(units), static_cast<std::int64_t>(rng_.between(5, 60)), false,
                       partial, valid))
      out.push_back(std::move(*in));
  }
}

void Workload::arbitrage(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out) {
  for (const Pool& p : state.pools()) {
    if (!price_.count(p.asset_a) || !price_.count(p.asset_b) || p.reserve_a == 0 || p.reserve_b == 0) continue;
    if (rng_.chance(300)) continue;  // the arbitrageur is not always there
    // ref / pool price of asset_a in asset_b, in ppm.
    const BigInt ratio_ppm =
        price_[p.asset_a] * BigInt(p.reserve_a) * 1'000'000 / (price_[p.asset_b] * BigInt(p.reserve_b));
    const BigInt dev = ratio_ppm - 1'000'000;
    const BigInt threshold = BigInt(p.fee_bps) * 100 + 1'500;
    const BigInt fee_ppm = BigInt(p.fee_bps) * 100;
    if (dev > threshold) {  // asset_a is cheap in the pool: buy it with asset_b
      const BigInt in = BigInt(p.reserve_b) * (dev - fee_ppm) / 2'000'000;
      if (auto i = swap(h, state, pool, 0, p.asset_b, p.asset_a, to_value(in, p.asset_b), 0, false, true, h))
        out.push_back(std::move(*i));
    } else if (-dev > threshold) {  // asset_a is dear in the pool: sell it
      const BigInt in = BigInt(p.reserve_a) * (-dev - fee_ppm) / 2'000'000;
      if (auto i = swap(h, state, pool, 0, p.asset_a, p.asset_b, to_value(in, p.asset_a), 0, false, true, h))
        out.push_back(std::move(*i));
    }
  }
}

void Workload::transfers(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out) {
  const std::uint64_t n = rng_.between(0, 1 + keys_.size() / 16);
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::uint32_t from = trader(), to = other_trader(from);
    const std::string& asset = genesis_.assets[rng_.below(genesis_.assets.size())].symbol;
    const BigInt amount = BigInt(available(state, pool, from, asset)) * rng_.between(1, 10) / 100;
    if (amount <= 0) continue;
    out.push_back(sign_agent({{"kind", "transfer"}, {"asset", asset}, {"to", hex(to)}, {"amount", amount.str()}}, from,
                             h + rng_.between(0, 3)));
  }
}

void Workload::cancels(std::uint64_t h, const Mempool& pool, std::vector<Intent>& out) {
  for (auto it = unfilled_.begin(); it != unfilled_.end();) {  // forget what left the pool
    const PendingIntent* p = pool.find(it->first);
    if (!p || p->cancelled_by)
      it = unfilled_.erase(it);
    else
      ++it;
  }
  if (unfilled_.empty() || !rng_.chance(350)) return;
  auto first = std::next(unfilled_.begin(), static_cast<std::ptrdiff_t>(rng_.below(unfilled_.size())));
  const std::uint32_t agent = first->second;
  json ids = json::array({first->first.hex()});
  std::vector<Hash32> done{first->first};
  for (const auto& [id, who] : unfilled_) {
    if (ids.size() >= 3) break;
    if (who == agent && !(id == first->first) && rng_.chance(500)) {
      ids.push_back(id.hex());
      done.push_back(id);
    }
  }
  out.push_back(sign_agent({{"kind", "cancel"}, {"ids", ids}}, agent, h + 2));
  for (const Hash32& id : done) unfilled_.erase(id);
}

void Workload::after_block(const Block& block) {
  std::map<PublicKey, std::uint32_t> index;
  for (std::uint32_t i = 0; i < pubs_.size(); ++i) index[pubs_[i]] = i;
  for (std::size_t i = 0; i < block.intents.size(); ++i) {
    const Intent& in = block.intents[i];
    if (!in.swap() || block.receipts[i].status != ReceiptStatus::unfilled) continue;
    auto it = index.find(in.signer);
    if (it != index.end() && it->second >= 2) unfilled_[in.id] = it->second;
  }
}

}  // namespace pactum::scenario
