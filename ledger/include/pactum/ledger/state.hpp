// Ledger state: assets, balances per (account, asset), constant-product pools, used
// nonces. StateView is the read-only face the matcher sees; StateDelta is what a block
// changes; State is the full in-memory state with its Merkle commitment (state_tree.hpp).
//
// Every entry is a leaf (key bytes -> value bytes) of the state tree:
//   asset    key 0x00 || symbol                       value decimals as u32 big-endian
//                                                           (|| 0x01 when burnable)
//   balance  key 0x01 || account(32) || symbol        value amount as 32-byte big-endian
//   nonce    key 0x02 || account(32) || nonce u64 BE  value 0x01
//   pool     key 0x03 || asset_a || 0x2f || asset_b   value reserve_a(32 BE) || reserve_b(32 BE)
//                                                           || fee_bps u32 BE
//   lending  key 0x04 || symbol                       value reserve(32 BE) || fee_bps u32 BE
//   room     key 0x05 || room id(32)                  value JCS JSON of the room (room_record.hpp)
//   pair     key 0x06 || a(32) || b(32) || period u64 value rooms opened, u32 BE (a < b)
//   supply   key 0x07 || symbol                       value total supply as 32-byte big-endian
//            (burnable assets only: the supply of any other asset never changes, by the
//            conservation rule, and stays the genesis total; docs/PROTOCOL.md says why)
// Pools are keyed with asset_a < asset_b (byte order). A balance that reaches zero stays
// a leaf holding zero (leaves are never removed, so the root depends only on history
// through the set of keys ever written and their current values).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_set.hpp>
#include <nlohmann/json.hpp>

#include "pactum/intents/amount.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/ledger/room_record.hpp"
#include "pactum/ledger/state_tree.hpp"

namespace pactum {

struct AssetInfo {
  std::string symbol;
  std::uint32_t decimals = 0;
  bool burnable = false;  // a burn intent may destroy it (genesis "burnable": true)
  // A locked asset "BASE@H" (intent.hpp, Lock): H, and decimals are BASE's. 0 for a
  // genesis asset. Locked assets have no asset leaf: they exist wherever BASE does.
  std::uint64_t unlocks_at = 0;
  auto operator<=>(const AssetInfo&) const = default;
};

struct Pool {
  std::string asset_a;  // asset_a < asset_b
  std::string asset_b;
  Amount reserve_a;
  Amount reserve_b;
  std::uint32_t fee_bps = 0;  // fee on the input amount, in basis points (< 10000)
  bool operator==(const Pool&) const = default;
};

// A flash-lending pool: lends up to `reserve` of its asset inside a bundle, which must
// repay the amount plus fee = ceil(amount * fee_bps / 10000) before it ends.
struct LendingPool {
  std::string asset;
  Amount reserve;
  std::uint32_t fee_bps = 0;
  bool operator==(const LendingPool&) const = default;
};

using PoolId = std::pair<std::string, std::string>;  // (asset_a, asset_b), sorted
PoolId make_pool_id(std::string_view x, std::string_view y);

struct BalanceKey {
  PublicKey account;
  std::string asset;
  auto operator<=>(const BalanceKey&) const = default;
};

struct NonceKey {
  PublicKey account;
  std::uint64_t nonce = 0;
  auto operator<=>(const NonceKey&) const = default;
};

// Leaf encodings (see the table above).
std::string asset_key(std::string_view symbol);
std::string balance_key(const PublicKey& account, std::string_view asset);
std::string nonce_key(const PublicKey& account, std::uint64_t nonce);
std::string pool_key(const PoolId& id);
std::string lending_key(std::string_view asset);
std::string supply_key(std::string_view asset);
std::string asset_value(const AssetInfo& a);
std::string balance_value(const Amount& a);
std::string nonce_value();
std::string pool_value(const Pool& p);
std::string lending_value(const LendingPool& p);

class StateView {
 public:
  virtual ~StateView() = default;
  virtual Amount balance(const PublicKey& account, std::string_view asset) const = 0;
  virtual bool nonce_used(const PublicKey& account, std::uint64_t nonce) const = 0;
  // The pool of the pair, whichever order the assets are named in.
  virtual std::optional<Pool> pool(std::string_view x, std::string_view y) const = 0;
  virtual std::optional<AssetInfo> asset(std::string_view symbol) const = 0;
  virtual std::vector<Pool> pools() const = 0;  // sorted by PoolId
  // The asset's flash-lending pool (views without lending have none).
  virtual std::optional<LendingPool> lending_pool(std::string_view asset) const {
    (void)asset;
    return std::nullopt;
  }
  // Negotiation rooms (views without rooms have none).
  virtual std::optional<RoomRecord> room(const Hash32& id) const {
    (void)id;
    return std::nullopt;
  }
  virtual std::uint32_t room_pair_count(const RoomPairKey& key) const {
    (void)key;
    return 0;
  }
  // The committed total supply of a burnable asset (views without one have none).
  virtual std::optional<Amount> supply(std::string_view asset) const {
    (void)asset;
    return std::nullopt;
  }
};

// What a block changes: absolute new values, not increments.
struct StateDelta {
  std::map<std::string, AssetInfo> assets;
  std::map<BalanceKey, Amount> balances;
  std::set<NonceKey> nonces;
  std::map<PoolId, Pool> pools;
  std::map<std::string, LendingPool> lending;
  std::map<Hash32, RoomRecord> rooms;
  std::map<RoomPairKey, std::uint32_t> room_pairs;
  std::map<std::string, Amount> supplies;  // burnable assets' total supply
  bool empty() const {
    return assets.empty() && balances.empty() && nonces.empty() && pools.empty() && lending.empty() && rooms.empty() &&
           room_pairs.empty() && supplies.empty();
  }
  std::size_t size() const {
    return assets.size() + balances.size() + nonces.size() + pools.size() + lending.size() + rooms.size() +
           room_pairs.size() + supplies.size();
  }
  // Every changed leaf as (key bytes, value bytes), in key order.
  std::vector<std::pair<std::string, std::string>> leaves() const;
};

// The inverse of the leaf encodings, for loading stored leaves at startup: adds one leaf
// to `delta`. Refuses bytes that no encoder above produces (Errc::storage).
Result<void> add_leaf_to_delta(std::string_view key, std::string_view value, StateDelta& delta);

// A view with pending writes on top: reads see the writes. take_delta() hands them over.
class OverlayState final : public StateView {
 public:
  explicit OverlayState(const StateView& base) : base_(base) {}
  Amount balance(const PublicKey& account, std::string_view asset) const override;
  bool nonce_used(const PublicKey& account, std::uint64_t nonce) const override;
  std::optional<Pool> pool(std::string_view x, std::string_view y) const override;
  std::optional<AssetInfo> asset(std::string_view symbol) const override;
  std::vector<Pool> pools() const override;
  std::optional<LendingPool> lending_pool(std::string_view asset) const override;
  std::optional<RoomRecord> room(const Hash32& id) const override;
  std::uint32_t room_pair_count(const RoomPairKey& key) const override;
  std::optional<Amount> supply(std::string_view asset) const override;
  void set_supply(std::string_view asset, const Amount& value);
  void set_room(const RoomRecord& room);
  void set_room_pair_count(const RoomPairKey& key, std::uint32_t count);
  void set_balance(const PublicKey& account, std::string_view asset, const Amount& value);
  void use_nonce(const PublicKey& account, std::uint64_t nonce);
  void set_pool(const Pool& pool);
  void set_lending_pool(const LendingPool& pool);
  // Writes every entry of `d` (assets, balances, nonces, pools, lending pools, rooms and
  // room pair counts) on top of what is written already: the state after `d`.
  void apply(const StateDelta& d);
  const StateDelta& delta() const { return delta_; }
  StateDelta take_delta() { return std::move(delta_); }

 private:
  const StateView& base_;
  StateDelta delta_;
};

// The whole state in memory, with its Merkle tree. Not thread safe: the node guards it.
class State final : public StateView {
 public:
  State();
  Amount balance(const PublicKey& account, std::string_view asset) const override;
  bool nonce_used(const PublicKey& account, std::uint64_t nonce) const override;
  std::optional<Pool> pool(std::string_view x, std::string_view y) const override;
  std::optional<AssetInfo> asset(std::string_view symbol) const override;
  std::vector<Pool> pools() const override;
  std::optional<LendingPool> lending_pool(std::string_view asset) const override;
  std::optional<RoomRecord> room(const Hash32& id) const override;
  std::uint32_t room_pair_count(const RoomPairKey& key) const override;
  std::optional<Amount> supply(std::string_view asset) const override;
  // Every room not yet closed, by id.
  std::vector<RoomRecord> open_rooms() const;
  // Every room, open or closed, by id (the explorer's room list, pactum_getRooms).
  std::vector<RoomRecord> all_rooms() const;

  // Applies a delta: cost grows with delta.size(), not with the state size.
  void apply(const StateDelta& delta);
  // The same, with delta.leaves() already computed by the caller (who also stores them).
  void apply(const StateDelta& delta, const std::vector<std::pair<std::string, std::string>>& leaves);
  // The Merkle root over all leaves (recomputes only what changed since the last call).
  Hash32 root();
  // Proof for the balance leaf of (account, asset): inclusion, or absence (then the
  // balance is zero).
  StateProof prove_balance(const PublicKey& account, std::string_view asset) const;
  StateProof prove(const std::string& key) const;

  std::size_t account_count() const;
  std::size_t leaf_count() const { return tree_.size(); }
  // Total of an asset over balances, pool reserves, lending reserves and room escrow (conservation).
  BigInt total_supply(std::string_view asset) const;

 private:
  // Hash tables for the two big maps (a million accounts): a block's 30,000 updates are
  // a cache miss or two each instead of a walk down a red-black tree. Node-based
  // (std::unordered_map) rather than open addressing: a flat table at a million entries
  // sits at half load after doubling and cost 80 MB more (target: < 512 MiB resident).
  // Nothing that decides a block iterates them: lookups only; account_count and
  // total_supply are order-independent; the Merkle tree, not these, defines the order.
  struct BalanceKeyHash {
    std::size_t operator()(const BalanceKey& k) const noexcept;
  };
  struct NonceKeyHash {
    std::size_t operator()(const NonceKey& k) const noexcept;
  };
  std::map<std::string, AssetInfo, std::less<>> assets_;
  std::unordered_map<BalanceKey, Amount, BalanceKeyHash> balances_;
  // Used nonces are looked up for every intent (admission, screening) and only grow;
  // open addressing costs one cache miss a lookup where the node-based set cost two or
  // three, and at 40 bytes an entry it is no larger even at half load.
  boost::unordered_flat_set<NonceKey, NonceKeyHash> nonces_;
  std::map<PoolId, Pool> pools_;
  std::map<std::string, LendingPool, std::less<>> lending_;
  std::map<Hash32, RoomRecord> rooms_;
  std::map<RoomPairKey, std::uint32_t> room_pairs_;
  std::map<std::string, Amount, std::less<>> supplies_;
  StateTree tree_;
};

}  // namespace pactum
