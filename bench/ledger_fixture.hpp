// The ledger benchmarks' fixtures, shared by bench/micro_ledger.cpp and the callgrind
// driver bench/callgrind/commit_profile.cpp so that both measure the same block:
// a State of N funded synthetic accounts, and a block of n transfers with its delta.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::bench {

inline PublicKey synthetic_account(std::uint64_t i) {
  // Any 32 bytes serve as a map key here; the tree only hashes them.
  const std::string seed = "bench-account-" + std::to_string(i);
  PublicKey k;
  k.bytes = sha256(as_bytes(seed)).bytes;
  return k;
}

inline std::unique_ptr<State> make_state(std::uint64_t accounts) {
  auto s = std::make_unique<State>();
  StateDelta d;
  d.assets["USDC"] = AssetInfo{"USDC", 6};
  constexpr std::uint64_t kChunk = 100000;
  for (std::uint64_t i = 0; i < accounts; ++i) {
    d.balances[BalanceKey{synthetic_account(i), "USDC"}] = Amount(1000000 + i);
    if (d.balances.size() == kChunk) {
      s->apply(d);
      d = StateDelta();
    }
  }
  s->apply(d);
  (void)s->root();
  return s;
}

// A block of n transfers between dev-like accounts, with the delta they would cause.
struct BlockFixture {
  Block block;
  StateDelta delta;
};

inline BlockFixture make_block(std::size_t n) {
  BlockFixture f;
  const SecretKey key = dev_secret_key(0);
  const PublicKey signer = key.public_key();
  std::vector<PublicKey> recipients;  // intents need valid keys; the delta need not
  for (std::uint32_t r = 1; r <= 256; ++r) recipients.push_back(dev_secret_key(r).public_key());
  for (std::size_t i = 0; i < n; ++i) {
    nlohmann::json j = {{"kind", "transfer"},
                        {"chain", "pactum-bench"},
                        {"signer", signer.hex()},
                        {"nonce", i},
                        {"valid_until", 1000000},
                        {"asset", "USDC"},
                        {"to", recipients[i % recipients.size()].hex()},
                        {"amount", "1"}};
    auto in = sign_intent(j, key, true);
    Receipt r;
    r.intent = in->id;
    r.status = ReceiptStatus::settled;
    r.sold_asset = "USDC";
    r.sold = 1;
    f.block.receipts.push_back(std::move(r));
    f.delta.balances[BalanceKey{synthetic_account(i), "USDC"}] = 1000001;
    f.delta.balances[BalanceKey{synthetic_account(n + i), "USDC"}] = 999999;
    f.delta.nonces.insert(NonceKey{signer, i});
    f.block.intents.push_back(std::move(*in));
  }
  f.block.header.intents_root = intents_root(f.block.intents);
  f.block.header.receipts_root = receipts_root(f.block.receipts);
  f.block.header.producer = dev_producer_key().public_key();
  return f;
}

}  // namespace pactum::bench
