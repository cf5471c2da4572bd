// The agents of `pactum scenario` and what they do each block (docs/MECHANISMS.md,
// "Reproducible studies"). Everything is a function of the seed, the genesis and the head
// state: keys, reference prices (a seeded random walk), sizes, limits, nonces, signatures
// (deterministic BIP-340), room sealing keys and ivs. Integers only.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/node/mempool.hpp"
#include "scenario_rng.hpp"

namespace pactum::scenario {

// Reference values: numeraire base units per kScale base units of an asset.
inline const BigInt kScale = BigInt("1000000000000000000000000000000000000");  // 10^36

// SHA256(tag || seed (8 bytes BE) || salt (32) || index (4 BE) || counter (4 BE)).
Hash32 derive_hash(std::string_view tag, std::uint64_t seed, const Hash32& salt, std::uint32_t index,
                   std::uint32_t counter);
// A key derived from the seed: derive_hash with counter 0, or the next counter in the
// (2^-128) case that a hash is not a valid secret.
SecretKey derive_key(std::string_view tag, std::uint64_t seed, const Hash32& salt, std::uint32_t index);

class Workload {
 public:
  Workload(std::uint64_t seed, std::uint32_t agents, const Genesis& genesis, const State& state);

  // Block 1: the dev accounts fund every agent.
  std::vector<Intent> funding(const State& state, const Mempool& pool);
  // The intents the agents submit for block `height` (the head is height - 1).
  std::vector<Intent> block(std::uint64_t height, const State& state, const Mempool& pool);
  // Learns from the committed block: swaps left unfilled (cancel candidates).
  void after_block(const Block& block);

  // Agents: 0 is the arbitrageur, 1 the flash-loan searcher, the rest traders.
  const std::vector<SecretKey>& agents() const { return keys_; }

 private:
  struct Room {
    Hash32 id;
    std::uint32_t seller, buyer;
    BigInt reference;  // total in pay_asset the amount is worth at the reference price
    std::uint64_t close_height;
    bool sealed = false;
  };

  Intent sign(nlohmann::json j, const SecretKey& key, std::uint64_t valid_until);
  Intent sign_agent(nlohmann::json j, std::uint32_t agent, std::uint64_t valid_until) {
    return sign(std::move(j), keys_[agent], valid_until);
  }
  std::string hex(std::uint32_t agent) const { return pubs_[agent].hex(); }
  Amount available(const State& state, const Mempool& pool, std::uint32_t agent, const std::string& asset) const;
  std::uint32_t trader();  // a random agent of index >= 2
  std::uint32_t other_trader(std::uint32_t not_this);
  // Converts between numeraire base units and base units of `asset` at the reference.
  BigInt to_asset(const BigInt& value, const std::string& asset) const;
  BigInt to_value(const BigInt& amount, const std::string& asset) const;
  BigInt whole(std::uint64_t units) const;  // whole numeraire units, in base units

  void walk_prices();
  void swaps(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out);
  std::optional<Intent> swap(std::uint64_t h, const State& state, const Mempool& pool, std::uint32_t agent,
                             const std::string& sell, const std::string& buy, BigInt value, std::int64_t slip_bps,
                             bool buy_side, bool partial, std::uint64_t valid_until);
  void arbitrage(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out);
  void transfers(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out);
  void cancels(std::uint64_t h, const Mempool& pool, std::vector<Intent>& out);
  void commitments(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out);
  void bundles(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out);
  void rooms(std::uint64_t h, const State& state, const Mempool& pool, std::vector<Intent>& out);

  std::uint64_t seed_;
  Rng rng_;
  std::string chain_;
  const Genesis& genesis_;
  std::vector<SecretKey> keys_;
  std::vector<PublicKey> pubs_;
  std::vector<bool> whale_;
  std::map<PublicKey, std::uint64_t> nonces_;  // the next nonce of each signer
  std::string numeraire_;
  std::map<std::string, BigInt> price_;            // reference values (kScale)
  std::map<std::string, std::int64_t> sigma_ppm_;  // per-block walk step bound
  std::vector<std::string> priced_;                // assets with a reference value, genesis order
  std::map<Hash32, std::uint32_t> unfilled_;       // generator swaps left unfilled -> agent
  std::vector<Room> rooms_;
};

}  // namespace pactum::scenario
