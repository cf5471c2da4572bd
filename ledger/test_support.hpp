// Helpers shared by the ledger tests: a temporary directory, a tiny transfer-only
// settlement function (so that ledger tests do not depend on the matcher), and signed
// transfer intents from the dev accounts.
#pragma once
#include <atomic>
#include <filesystem>
#include <span>
#include <string>

#include <gtest/gtest.h>

#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/genesis.hpp"

namespace pactum::test {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("pactum-ledger-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Executes transfers naively in batch order; everything else is rejected.
inline Settlement naive_transfer_settle(const StateView& view, std::span<const Intent> batch, const BlockContext& ctx) {
  OverlayState o(view);
  Settlement s;
  for (const Intent& in : batch) {
    Receipt r;
    r.intent = in.id;
    r.status = ReceiptStatus::rejected;
    const Transfer* t = in.transfer();
    if (t == nullptr) {
      r.reason = "unsupported";
      r.message = "the test settlement only executes transfers";
    } else {
      r.sold_asset = t->asset;
      if (in.chain != ctx.chain_id) {
        r.reason = "wrong_chain";
      } else if (o.nonce_used(in.signer, in.nonce)) {
        r.reason = "nonce_used";
      } else if (o.balance(in.signer, t->asset) < t->amount) {
        r.reason = "insufficient_balance";
      } else {
        o.set_balance(in.signer, t->asset, o.balance(in.signer, t->asset) - t->amount);
        o.set_balance(t->to, t->asset, o.balance(t->to, t->asset) + t->amount);
        o.use_nonce(in.signer, in.nonce);
        r.status = ReceiptStatus::settled;
        r.sold = t->amount;
      }
      if (r.status != ReceiptStatus::settled) r.message = "not settled: " + r.reason;
    }
    s.receipts.push_back(std::move(r));
  }
  s.delta = o.take_delta();
  return s;
}

inline Genesis small_genesis(std::uint32_t dev_accounts = 4) {
  nlohmann::json j = {
      {"chain_id", "pactum-test"},
      {"timestamp", 1700000000000},
      {"producer", "dev"},
      {"assets", {{{"symbol", "USDC"}, {"decimals", 6}}, {{"symbol", "ETH"}, {"decimals", 18}}}},
      {"pools", {{{"assets", {"ETH", "USDC"}}, {"reserves", {"1000", "3000000"}}, {"fee_bps", 30}}}},
      {"dev_accounts", {{"count", dev_accounts}, {"balances", {{"USDC", "1000000"}, {"ETH", "500"}}}}},
  };
  auto g = parse_genesis(j);
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().message);
  return std::move(g).value();
}

// small_genesis() as a store sees it: its state and block 0.
struct GenesisFixture {
  Genesis g = small_genesis();
  StateDelta delta = genesis_delta(g);
  State state;
  Block block0;
  GenesisFixture() {
    state.apply(delta);
    block0 = genesis_block(g, state.root());
  }
};

inline Intent signed_transfer(std::uint32_t from, std::uint32_t to, const std::string& asset, const std::string& amount,
                              std::uint64_t nonce, const std::string& chain = "pactum-test") {
  nlohmann::json j = {{"kind", "transfer"},
                      {"chain", chain},
                      {"signer", dev_secret_key(from).public_key().hex()},
                      {"nonce", nonce},
                      {"valid_until", 1000000},
                      {"asset", asset},
                      {"to", dev_secret_key(to).public_key().hex()},
                      {"amount", amount}};
  auto in = sign_intent(j, dev_secret_key(from), /*deterministic=*/true);
  EXPECT_TRUE(in.ok()) << (in.ok() ? "" : in.error().message);
  return std::move(in).value();
}

}  // namespace pactum::test
