// The changes one clearing of a batch accumulates before they become its state delta
// (clearing.cpp's write_delta). Internal to the matcher.
#pragma once
#include <map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "key_hash.hpp"
#include "pactum/ledger/state.hpp"
#include "rational.hpp"

namespace pactum::matching {

// Everything the block changes, accumulated as signed changes. `change` is a hash table
// (lookups while accumulating); it is sorted before it becomes the delta, so its order
// never reaches the block. `nonces` collects and is sorted and deduplicated at the end.
struct BatchLedger {
  boost::unordered_flat_map<BalanceKey, BigInt, matching::BalanceKeyHash> change;
  struct Nonces {
    std::vector<NonceKey> keys;
    void insert(const NonceKey& k) { keys.push_back(k); }
    template <typename It>
    void insert(It first, It last) {
      keys.insert(keys.end(), first, last);
    }
  } nonces;
  std::map<PoolId, Pool> pools;
  std::map<std::string, BigInt> burned;  // per burnable asset: what this batch destroyed
  void burn(const PublicKey& from, const std::string& asset, const BigInt& v) {
    change[BalanceKey{from, asset}] -= v;
    burned[asset] += v;
  }
  // A lock or unlock: the signer's `from` becomes `to`, one for one.
  void convert(const PublicKey& who, const std::string& from, const std::string& to, const BigInt& v) {
    change[BalanceKey{who, from}] -= v;
    change[BalanceKey{who, to}] += v;
  }
  void move(const PublicKey& from, const PublicKey& to, const std::string& asset, const BigInt& v) {
    change[BalanceKey{from, asset}] -= v;
    change[BalanceKey{to, asset}] += v;
  }
};

}  // namespace pactum::matching
