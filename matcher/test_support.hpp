// Helpers for matcher tests: a State built from plain values, and intents constructed
// directly (the matcher assumes signatures were verified, so none are made).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum::test {

inline const std::string kChain = "pactum-test";

inline PublicKey account(std::uint32_t n) {
  PublicKey k;
  const Hash32 h = sha256(as_bytes("account/" + std::to_string(n)));
  k.bytes = h.bytes;
  return k;
}

// A plain in-memory StateView (no Merkle tree: fast enough for thousands of batches).
class MapState final : public StateView {
 public:
  MapState& asset(const std::string& symbol, std::uint32_t decimals = 0) {
    assets_[symbol] = AssetInfo{symbol, decimals};
    return *this;
  }
  MapState& balance(const PublicKey& who, const std::string& asset, const Amount& v) {
    balances_[BalanceKey{who, asset}] = v;
    return *this;
  }
  // Reserves given in the order the assets are named.
  MapState& pool(const std::string& x, const std::string& y, const Amount& rx, const Amount& ry,
                 std::uint32_t fee_bps) {
    const PoolId id = make_pool_id(x, y);
    const bool swapped = id.first != x;
    pools_[id] = Pool{id.first, id.second, swapped ? ry : rx, swapped ? rx : ry, fee_bps};
    return *this;
  }
  MapState& nonce(const PublicKey& who, std::uint64_t n) {
    nonces_.insert(NonceKey{who, n});
    return *this;
  }
  void apply(const StateDelta& d) {
    for (const auto& [k, v] : d.assets) assets_[k] = v;
    for (const auto& [k, v] : d.balances) balances_[k] = v;
    nonces_.insert(d.nonces.begin(), d.nonces.end());
    for (const auto& [k, v] : d.pools) pools_[k] = v;
  }

  Amount balance(const PublicKey& who, std::string_view asset) const override {
    auto it = balances_.find(BalanceKey{who, std::string(asset)});
    return it == balances_.end() ? Amount(0) : it->second;
  }
  bool nonce_used(const PublicKey& who, std::uint64_t n) const override { return nonces_.count(NonceKey{who, n}) > 0; }
  std::optional<Pool> pool(std::string_view x, std::string_view y) const override {
    auto it = pools_.find(make_pool_id(x, y));
    return it == pools_.end() ? std::nullopt : std::optional<Pool>(it->second);
  }
  std::optional<AssetInfo> asset(std::string_view symbol) const override {
    auto it = assets_.find(std::string(symbol));
    return it == assets_.end() ? std::nullopt : std::optional<AssetInfo>(it->second);
  }
  std::vector<Pool> pools() const override {
    std::vector<Pool> out;
    for (const auto& [id, p] : pools_) out.push_back(p);
    return out;
  }
  // Balances plus pool reserves of one asset (conservation checks).
  BigInt total(const std::string& asset) const {
    BigInt sum = 0;
    for (const auto& [k, v] : balances_) {
      if (k.asset == asset) sum += BigInt(v);
    }
    for (const auto& [id, p] : pools_) {
      if (p.asset_a == asset) sum += BigInt(p.reserve_a);
      if (p.asset_b == asset) sum += BigInt(p.reserve_b);
    }
    return sum;
  }

 private:
  std::map<std::string, AssetInfo> assets_;
  std::map<BalanceKey, Amount> balances_;
  std::set<NonceKey> nonces_;
  std::map<PoolId, Pool> pools_;
};

// Every intent gets a unique id from a counter unless one is given.
class IntentFactory {
 public:
  Intent base(const PublicKey& signer, std::uint64_t nonce) {
    Intent in;
    in.chain = kChain;
    in.signer = signer;
    in.nonce = nonce;
    in.valid_until = 100;
    in.id = sha256(as_bytes("intent/" + std::to_string(counter_++)));
    return in;
  }
  Intent transfer(const PublicKey& from, std::uint64_t nonce, const std::string& asset, const PublicKey& to,
                  const Amount& amount) {
    Intent in = base(from, nonce);
    in.body = Transfer{asset, to, amount};
    return in;
  }
  Intent swap(const PublicKey& who, std::uint64_t nonce, const std::string& sell, const std::string& buy, SwapSide side,
              const Amount& sell_amount, const Amount& buy_amount, bool partial) {
    Intent in = base(who, nonce);
    in.body = Swap{sell, buy, side, sell_amount, buy_amount, partial};
    return in;
  }
  Intent cancel(const PublicKey& who, std::uint64_t nonce, std::vector<Hash32> ids) {
    Intent in = base(who, nonce);
    in.body = Cancel{std::move(ids)};
    return in;
  }

 private:
  std::uint64_t counter_ = 0;
};

inline BlockContext context(std::uint64_t height = 1) { return BlockContext{kChain, height, 0, {}, {}}; }

inline Settlement run(const StateView& s, const std::vector<Intent>& batch, std::uint64_t height = 1) {
  return settle(s, batch, context(height));
}

// The JSON of a swap action (side sell), as a commitment's `action` member carries it.
inline nlohmann::json swap_action(const std::string& sell, const std::string& buy, std::uint64_t sell_amount,
                                  std::uint64_t buy_amount, bool partial = false) {
  return {{"kind", "swap"},
          {"sell_asset", sell},
          {"buy_asset", buy},
          {"side", "sell"},
          {"sell_amount", std::to_string(sell_amount)},
          {"buy_amount", std::to_string(buy_amount)},
          {"partial", partial}};
}

}  // namespace pactum::test
