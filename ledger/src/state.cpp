// Leaf encodings, the overlay view the matcher writes into, and the in-memory State.
#include "pactum/ledger/state.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/ledger/cores.hpp"

#include "big_endian.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <thread>

#include <boost/unordered/unordered_flat_set.hpp>

namespace pactum {

namespace {

constexpr char kAssetTag = 0x00;
constexpr char kBalanceTag = 0x01;
constexpr char kNonceTag = 0x02;
constexpr char kPoolTag = 0x03;
constexpr char kLendingTag = 0x04;
constexpr char kRoomTag = 0x05;
constexpr char kRoomPairTag = 0x06;
constexpr char kSupplyTag = 0x07;
constexpr char kPoolSeparator = 0x2f;  // '/', never part of an asset symbol

void put_amount(std::string& out, const Amount& a) {
  unsigned char buf[32];
  amount_to_be32(a, buf);
  out.append(reinterpret_cast<const char*>(buf), 32);
}
Amount get_amount(std::string_view s) { return amount_from_be32(reinterpret_cast<const unsigned char*>(s.data())); }
PublicKey get_account(std::string_view s) {
  PublicKey k;
  std::memcpy(k.bytes.data(), s.data(), 32);
  return k;
}
Error bad_leaf(std::string_view what) {
  return make_error(Errc::storage, "stored state leaf is malformed: " + std::string(what));
}

// Public keys are uniform 32-byte strings: folding their four words is a good hash
// (boost's tables mix the result once more before taking bucket bits).
std::size_t fold_account(const PublicKey& k) {
  std::uint64_t w[4];
  std::memcpy(w, k.bytes.data(), 32);
  return static_cast<std::size_t>(w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL) ^ (w[2] >> 1) ^ (w[3] << 1));
}

struct AccountHash {
  std::size_t operator()(const PublicKey& k) const noexcept { return fold_account(k); }
};

}  // namespace

std::size_t State::BalanceKeyHash::operator()(const BalanceKey& k) const noexcept {
  return fold_account(k.account) ^ (std::hash<std::string>()(k.asset) * 0xff51afd7ed558ccdULL);
}

std::size_t State::NonceKeyHash::operator()(const NonceKey& k) const noexcept {
  return fold_account(k.account) ^ (k.nonce * 0xc4ceb9fe1a85ec53ULL);
}

PoolId make_pool_id(std::string_view x, std::string_view y) {
  if (x < y) return {std::string(x), std::string(y)};
  return {std::string(y), std::string(x)};
}

std::string asset_key(std::string_view symbol) {
  std::string k(1, kAssetTag);
  k += symbol;
  return k;
}
// Keys and values are sized up front: a state update builds tens of thousands of them.
std::string balance_key(const PublicKey& account, std::string_view asset) {
  std::string k;
  k.reserve(1 + 32 + asset.size());
  k += kBalanceTag;
  k.append(reinterpret_cast<const char*>(account.bytes.data()), 32);
  k += asset;
  return k;
}
std::string nonce_key(const PublicKey& account, std::uint64_t nonce) {
  std::string k;
  k.reserve(1 + 32 + 8);
  k += kNonceTag;
  k.append(reinterpret_cast<const char*>(account.bytes.data()), 32);
  big_endian::append64(k, nonce);
  return k;
}
std::string pool_key(const PoolId& id) {
  std::string k(1, kPoolTag);
  k += id.first;
  k += kPoolSeparator;
  k += id.second;
  return k;
}
std::string lending_key(std::string_view asset) {
  std::string k(1, kLendingTag);
  k += asset;
  return k;
}

std::string supply_key(std::string_view asset) {
  std::string k(1, kSupplyTag);
  k += asset;
  return k;
}

std::string lending_value(const LendingPool& p) {
  std::string v;
  put_amount(v, p.reserve);
  big_endian::append32(v, p.fee_bps);
  return v;
}

std::string asset_value(const AssetInfo& a) {
  std::string v;
  big_endian::append32(v, a.decimals);
  // Only burnable assets carry the flag byte, so that every other asset leaf (and every
  // chain written before burns existed) keeps its bytes.
  if (a.burnable) v += '\x01';
  return v;
}
std::string balance_value(const Amount& a) {
  std::string v;
  v.reserve(32);
  put_amount(v, a);
  return v;
}
std::string nonce_value() { return std::string(1, '\x01'); }
std::string pool_value(const Pool& p) {
  std::string v;
  put_amount(v, p.reserve_a);
  put_amount(v, p.reserve_b);
  big_endian::append32(v, p.fee_bps);
  return v;
}

Result<void> add_leaf_to_delta(std::string_view key, std::string_view value, StateDelta& delta) {
  if (key.empty()) return bad_leaf("empty key");
  const std::string_view rest = key.substr(1);
  switch (key[0]) {
    case kAssetTag:
      if (!(value.size() == 4 || (value.size() == 5 && value[4] == '\x01')))
        return bad_leaf("asset value is not 4 bytes (or 5 ending in 0x01)");
      delta.assets[std::string(rest)] = AssetInfo{
          std::string(rest), static_cast<std::uint32_t>(big_endian::read(value.substr(0, 4))), value.size() == 5};
      return {};
    case kSupplyTag:
      if (rest.empty() || value.size() != 32) return bad_leaf("supply leaf has the wrong shape");
      delta.supplies[std::string(rest)] = get_amount(value);
      return {};
    case kBalanceTag:
      if (rest.size() <= 32 || value.size() != 32) return bad_leaf("balance leaf has the wrong size");
      delta.balances[BalanceKey{get_account(rest), std::string(rest.substr(32))}] = get_amount(value);
      return {};
    case kNonceTag:
      if (rest.size() != 40 || value != nonce_value()) return bad_leaf("nonce leaf has the wrong size");
      delta.nonces.insert(NonceKey{get_account(rest), big_endian::read(rest.substr(32))});
      return {};
    case kPoolTag: {
      const auto sep = rest.find(kPoolSeparator);
      if (sep == std::string_view::npos || value.size() != 68) return bad_leaf("pool leaf has the wrong shape");
      Pool p;
      p.asset_a = std::string(rest.substr(0, sep));
      p.asset_b = std::string(rest.substr(sep + 1));
      p.reserve_a = get_amount(value.substr(0, 32));
      p.reserve_b = get_amount(value.substr(32, 32));
      p.fee_bps = static_cast<std::uint32_t>(big_endian::read(value.substr(64, 4)));
      delta.pools[{p.asset_a, p.asset_b}] = p;
      return {};
    }
    case kLendingTag: {
      if (rest.empty() || value.size() != 36) return bad_leaf("lending leaf has the wrong shape");
      LendingPool p{std::string(rest), get_amount(value.substr(0, 32)),
                    static_cast<std::uint32_t>(big_endian::read(value.substr(32, 4)))};
      delta.lending[p.asset] = p;
      return {};
    }
    case kRoomTag: {
      if (rest.size() != 32) return bad_leaf("room key has the wrong size");
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(value);
      } catch (const nlohmann::json::exception&) {
        return bad_leaf("room value is not JSON");
      }
      auto r = RoomRecord::from_json(j);
      if (!r) return bad_leaf("room value: " + r.error().message);
      delta.rooms[r->id] = std::move(*r);
      return {};
    }
    case kRoomPairTag: {
      if (rest.size() != 72 || value.size() != 4) return bad_leaf("room pair leaf has the wrong size");
      RoomPairKey k{get_account(rest), get_account(rest.substr(32)), big_endian::read(rest.substr(64))};
      delta.room_pairs[k] = static_cast<std::uint32_t>(big_endian::read(value));
      return {};
    }
    default:
      return bad_leaf("unknown key tag");
  }
}

std::vector<std::pair<std::string, std::string>> StateDelta::leaves() const {
  // Key order is tag order (asset 0x00 < balance 0x01 < nonce 0x02 < pool 0x03), then the
  // maps' own order: the four runs are built independently and concatenated. A large
  // delta builds its balance run (the bulk) on a second thread.
  using Leaves = std::vector<std::pair<std::string, std::string>>;
  auto balance_run = [this] {
    Leaves run;
    run.reserve(balances.size());
    for (const auto& [k, v] : balances) run.emplace_back(balance_key(k.account, k.asset), balance_value(v));
    return run;
  };
  Leaves balance_leaves;
  std::thread balance_thread;
  if (balances.size() >= 4096 && core_count() > 1) {
    balance_thread = std::thread([&] { balance_leaves = balance_run(); });
  } else {
    balance_leaves = balance_run();
  }
  Leaves out;
  out.reserve(size());
  for (const auto& [sym, info] : assets) out.emplace_back(asset_key(sym), asset_value(info));
  Leaves rest;
  rest.reserve(nonces.size() + pools.size());
  for (const auto& k : nonces) rest.emplace_back(nonce_key(k.account, k.nonce), nonce_value());
  for (const auto& [id, p] : pools) rest.emplace_back(pool_key(id), pool_value(p));
  for (const auto& [sym, p] : lending) rest.emplace_back(lending_key(sym), lending_value(p));
  for (const auto& [id, r] : rooms) rest.emplace_back(room_key(id), room_value(r));
  for (const auto& [k, n] : room_pairs) rest.emplace_back(room_pair_key(k), room_pair_value(n));
  for (const auto& [sym, amount] : supplies) rest.emplace_back(supply_key(sym), balance_value(amount));
  if (balance_thread.joinable()) balance_thread.join();
  std::move(balance_leaves.begin(), balance_leaves.end(), std::back_inserter(out));
  std::move(rest.begin(), rest.end(), std::back_inserter(out));
  // The maps iterate in key-byte order already except, possibly, pools whose symbols
  // hold bytes below '/': check in one pass instead of sorting 30,000 strings per block.
  const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(out.begin(), out.end(), by_key)) std::sort(out.begin(), out.end());
  return out;
}

// ---- OverlayState ----

Amount OverlayState::balance(const PublicKey& account, std::string_view asset) const {
  auto it = delta_.balances.find(BalanceKey{account, std::string(asset)});
  if (it != delta_.balances.end()) return it->second;
  return base_.balance(account, asset);
}

bool OverlayState::nonce_used(const PublicKey& account, std::uint64_t nonce) const {
  return delta_.nonces.count(NonceKey{account, nonce}) != 0 || base_.nonce_used(account, nonce);
}

std::optional<Pool> OverlayState::pool(std::string_view x, std::string_view y) const {
  auto it = delta_.pools.find(make_pool_id(x, y));
  if (it != delta_.pools.end()) return it->second;
  return base_.pool(x, y);
}

std::optional<AssetInfo> OverlayState::asset(std::string_view symbol) const {
  auto it = delta_.assets.find(std::string(symbol));
  if (it != delta_.assets.end()) return it->second;
  return base_.asset(symbol);
}

std::vector<Pool> OverlayState::pools() const {
  std::map<PoolId, Pool> merged;
  for (auto& p : base_.pools()) merged[{p.asset_a, p.asset_b}] = std::move(p);
  for (const auto& [id, p] : delta_.pools) merged[id] = p;
  std::vector<Pool> out;
  out.reserve(merged.size());
  for (auto& [id, p] : merged) out.push_back(std::move(p));
  return out;
}

void OverlayState::set_balance(const PublicKey& account, std::string_view asset, const Amount& value) {
  delta_.balances[BalanceKey{account, std::string(asset)}] = value;
}

void OverlayState::use_nonce(const PublicKey& account, std::uint64_t nonce) {
  delta_.nonces.insert(NonceKey{account, nonce});
}

std::optional<LendingPool> OverlayState::lending_pool(std::string_view asset) const {
  auto it = delta_.lending.find(std::string(asset));
  if (it != delta_.lending.end()) return it->second;
  return base_.lending_pool(asset);
}

void OverlayState::set_lending_pool(const LendingPool& pool) { delta_.lending[pool.asset] = pool; }

void OverlayState::apply(const StateDelta& d) {
  for (const auto& [symbol, info] : d.assets) delta_.assets[symbol] = info;
  for (const auto& [key, value] : d.balances) delta_.balances[key] = value;
  delta_.nonces.insert(d.nonces.begin(), d.nonces.end());
  for (const auto& [id, pool] : d.pools) delta_.pools[id] = pool;
  for (const auto& [asset, pool] : d.lending) delta_.lending[asset] = pool;
  for (const auto& [id, room] : d.rooms) delta_.rooms[id] = room;
  for (const auto& [key, count] : d.room_pairs) delta_.room_pairs[key] = count;
  for (const auto& [asset, amount] : d.supplies) delta_.supplies[asset] = amount;
}

std::optional<Amount> OverlayState::supply(std::string_view asset) const {
  auto it = delta_.supplies.find(std::string(asset));
  if (it != delta_.supplies.end()) return it->second;
  return base_.supply(asset);
}

void OverlayState::set_supply(std::string_view asset, const Amount& value) {
  delta_.supplies[std::string(asset)] = value;
}

std::optional<RoomRecord> OverlayState::room(const Hash32& id) const {
  auto it = delta_.rooms.find(id);
  if (it != delta_.rooms.end()) return it->second;
  return base_.room(id);
}

std::uint32_t OverlayState::room_pair_count(const RoomPairKey& key) const {
  auto it = delta_.room_pairs.find(key);
  if (it != delta_.room_pairs.end()) return it->second;
  return base_.room_pair_count(key);
}

void OverlayState::set_room(const RoomRecord& room) { delta_.rooms[room.id] = room; }
void OverlayState::set_room_pair_count(const RoomPairKey& key, std::uint32_t count) { delta_.room_pairs[key] = count; }

void OverlayState::set_pool(const Pool& pool) {
  Pool p = pool;
  if (p.asset_b < p.asset_a) {  // keep the documented order: asset_a < asset_b
    std::swap(p.asset_a, p.asset_b);
    std::swap(p.reserve_a, p.reserve_b);
  }
  PoolId id{p.asset_a, p.asset_b};
  delta_.pools[std::move(id)] = std::move(p);
}

// ---- State ----

State::State() = default;

Amount State::balance(const PublicKey& account, std::string_view asset) const {
  auto it = balances_.find(BalanceKey{account, std::string(asset)});
  return it == balances_.end() ? Amount(0) : it->second;
}

bool State::nonce_used(const PublicKey& account, std::uint64_t nonce) const {
  return nonces_.count(NonceKey{account, nonce}) != 0;
}

std::optional<Pool> State::pool(std::string_view x, std::string_view y) const {
  auto it = pools_.find(make_pool_id(x, y));
  if (it == pools_.end()) return std::nullopt;
  return it->second;
}

std::optional<AssetInfo> State::asset(std::string_view symbol) const {
  auto it = assets_.find(symbol);
  if (it != assets_.end()) return it->second;
  // A locked asset BASE@H exists wherever BASE does; it has no leaf of its own.
  const auto locked = parse_locked_symbol(symbol);
  if (!locked) return std::nullopt;
  it = assets_.find(locked->base);
  if (it == assets_.end()) return std::nullopt;
  return AssetInfo{std::string(symbol), it->second.decimals, false, locked->until};
}

std::optional<LendingPool> State::lending_pool(std::string_view asset) const {
  auto it = lending_.find(asset);
  if (it == lending_.end()) return std::nullopt;
  return it->second;
}

std::optional<RoomRecord> State::room(const Hash32& id) const {
  auto it = rooms_.find(id);
  if (it == rooms_.end()) return std::nullopt;
  return it->second;
}

std::uint32_t State::room_pair_count(const RoomPairKey& key) const {
  auto it = room_pairs_.find(key);
  return it == room_pairs_.end() ? 0 : it->second;
}

std::optional<Amount> State::supply(std::string_view asset) const {
  auto it = supplies_.find(asset);
  if (it == supplies_.end()) return std::nullopt;
  return it->second;
}

std::vector<RoomRecord> State::open_rooms() const {
  std::vector<RoomRecord> out;
  for (const auto& [id, r] : rooms_)
    if (!r.closed) out.push_back(r);
  return out;
}

std::vector<RoomRecord> State::all_rooms() const {
  std::vector<RoomRecord> out;
  out.reserve(rooms_.size());
  for (const auto& [id, r] : rooms_) out.push_back(r);
  return out;
}

std::vector<Pool> State::pools() const {
  std::vector<Pool> out;
  out.reserve(pools_.size());
  for (const auto& [id, p] : pools_) out.push_back(p);
  return out;
}

void State::apply(const StateDelta& delta) { apply(delta, delta.leaves()); }

void State::apply(const StateDelta& delta, const std::vector<std::pair<std::string, std::string>>& leaves) {
  // The maps and the tree are independent: on a large block, update the maps (a cache
  // miss per tree level of a million-entry map) on another thread while the tree takes
  // the leaves. Nothing reads this State meanwhile (the caller holds it exclusively).
  auto update_maps = [&] {
    for (const auto& [sym, info] : delta.assets) assets_[sym] = info;
    for (const auto& [k, v] : delta.balances) balances_[k] = v;
    for (const auto& k : delta.nonces) nonces_.insert(k);
    for (const auto& [id, p] : delta.pools) pools_[id] = p;
    for (const auto& [sym, p] : delta.lending) lending_[sym] = p;
    for (const auto& [id, r] : delta.rooms) rooms_[id] = r;
    for (const auto& [k, n] : delta.room_pairs) room_pairs_[k] = n;
    for (const auto& [sym, amount] : delta.supplies) supplies_[sym] = amount;
  };
  if (leaves.size() >= 4096 && core_count() > 1) {
    std::thread maps(update_maps);
    tree_.put_many(leaves);
    maps.join();
  } else {
    update_maps();
    tree_.put_many(leaves);
  }
}

Hash32 State::root() { return tree_.root(); }

StateProof State::prove_balance(const PublicKey& account, std::string_view asset) const {
  return prove(balance_key(account, asset));
}

StateProof State::prove(const std::string& key) const {
  // The tree knows paths, not values: find the current value bytes of this key, if any.
  std::optional<std::string> value;
  if (!key.empty()) {
    const std::string_view rest = std::string_view(key).substr(1);
    switch (key[0]) {
      case kAssetTag:
        if (auto a = asset(rest)) value = asset_value(*a);
        break;
      case kBalanceTag:
        if (rest.size() > 32) {
          auto it = balances_.find(BalanceKey{get_account(rest), std::string(rest.substr(32))});
          if (it != balances_.end()) value = balance_value(it->second);
        }
        break;
      case kNonceTag:
        if (rest.size() == 40 && nonce_used(get_account(rest), big_endian::read(rest.substr(32))))
          value = nonce_value();
        break;
      case kPoolTag: {
        const auto sep = rest.find(kPoolSeparator);
        if (sep != std::string_view::npos) {
          auto it = pools_.find(PoolId{std::string(rest.substr(0, sep)), std::string(rest.substr(sep + 1))});
          if (it != pools_.end()) value = pool_value(it->second);
        }
        break;
      }
      case kLendingTag:
        if (auto p = lending_pool(rest)) value = lending_value(*p);
        break;
      case kSupplyTag:
        if (auto a = supply(rest)) value = balance_value(*a);
        break;
      case kRoomPairTag:
        if (rest.size() == 72) {
          const RoomPairKey k{get_account(rest), get_account(rest.substr(32)), big_endian::read(rest.substr(64))};
          if (auto it = room_pairs_.find(k); it != room_pairs_.end()) value = room_pair_value(it->second);
        }
        break;
      case kRoomTag:
        if (rest.size() == 32) {
          Hash32 id;
          std::copy(rest.begin(), rest.end(), id.bytes.begin());
          if (auto r = room(id)) value = room_value(*r);
        }
        break;
      default:
        break;
    }
  }
  return tree_.prove(key, value ? &*value : nullptr);
}

std::size_t State::account_count() const {
  boost::unordered_flat_set<PublicKey, AccountHash> accounts;
  for (const auto& [k, v] : balances_) accounts.insert(k.account);
  return accounts.size();
}

BigInt State::total_supply(std::string_view asset) const {
  BigInt total = 0;
  for (const auto& [k, v] : balances_) {
    if (k.asset == asset) total += BigInt(v);
  }
  for (const auto& [id, p] : pools_) {
    if (p.asset_a == asset) total += BigInt(p.reserve_a);
    if (p.asset_b == asset) total += BigInt(p.reserve_b);
  }
  if (auto it = lending_.find(asset); it != lending_.end()) total += BigInt(it->second.reserve);
  for (const auto& [id, r] : rooms_) {
    if (r.terms.asset == asset) total += BigInt(r.seller.escrow);
    if (r.terms.pay_asset == asset) total += BigInt(r.buyer.escrow);
    if (r.terms.action_asset == asset)
      for (const RoomSide& m : r.members) total += BigInt(m.escrow);
  }
  return total;
}

}  // namespace pactum
