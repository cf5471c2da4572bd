// End to end through the real node (issue 3): many dev accounts submit crossing swaps over
// HTTP across USDC, ETH and BTC (rings USDC->ETH->BTC->USDC, an imbalance, limits), the
// test mines one block, fetches it, and runs the independent checker
// (tests/support/checker.hpp) on the block against the state read over RPC before and
// after. It asserts issue 3's behaviour: one price vector for the whole block, a ring that
// settles without touching the pools, and every rule the checker knows.
//
// The devnet pools price 1 ETH at 3000 USDC and 1 BTC at 60000 USDC (= 20 ETH), each with
// a 30 bps fee band.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "harness.hpp"
#include "pactum/checker/checker.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::testing {
namespace {

const std::vector<std::string> kAssets{"BTC", "DAI", "ETH", "USDC"};

// Balances (of the given accounts), pools and nonces read over RPC, as a State.
struct Snapshot {
  State state;
  std::map<BalanceKey, Amount> balances;
  std::map<PoolId, Pool> pools;
};

Amount amount(const json& decimal) { return Amount(decimal.get<std::string>()); }

Snapshot snapshot(client::RpcClient& rpc, const std::set<std::uint32_t>& devs, const std::vector<Intent>& intents) {
  Snapshot s;
  StateDelta d;
  for (const auto& a : rpc.call("pactum_getAssets"))
    d.assets[a["symbol"]] = AssetInfo{a["symbol"], a["decimals"].get<std::uint32_t>()};
  for (std::uint32_t i : devs)
    for (const auto& asset : kAssets) {
      const BalanceKey key{dev_account(i), asset};
      s.balances[key] = d.balances[key] = Amount(balance(rpc, key.account, asset));
    }
  for (const auto& p : rpc.call("pactum_getPools")) {
    Pool pool{p["assets"][0], p["assets"][1], amount(p["reserves"][0]), amount(p["reserves"][1]),
              p["fee_bps"].get<std::uint32_t>()};
    s.pools[make_pool_id(pool.asset_a, pool.asset_b)] = d.pools[make_pool_id(pool.asset_a, pool.asset_b)] = pool;
  }
  for (const auto& in : intents)
    if (rpc.call("pactum_nonceUsed", json::array({in.signer.hex(), in.nonce})).get<bool>())
      d.nonces.insert({in.signer, in.nonce});
  s.state.apply(d);
  return s;
}

struct MinedBatch {
  Block block;
};

MinedBatch mine_and_fetch(client::RpcClient& rpc) {
  json mined = rpc.call("pactum_mine", json::array({1}));
  json j = rpc.call("pactum_getBlock", json::array({mined[0]["height"], true}));
  MinedBatch out;
  if (!j.contains("asset_prices")) throw std::runtime_error("block has no asset_prices");
  auto block = Block::from_json(j);
  if (!block.ok()) throw std::runtime_error("block does not parse: " + block.error().message);
  out.block = std::move(block).value();
  return out;
}

// The Settlement as the checker sees it: receipts and prices from the block, the delta
// from the state before and after. The dust account's key is not a valid x coordinate, so
// it cannot be read over RPC: on a fresh devnet it holds nothing before this block, and
// whatever the others lose in net per asset is what it must have received.
Settlement reconstruct(const MinedBatch& mined, const Snapshot& before, const Snapshot& after) {
  Settlement s;
  s.prices = mined.block.prices;
  s.asset_prices = mined.block.asset_prices;
  s.receipts = mined.block.receipts;
  std::map<std::string, BigInt> net;
  for (const auto& [key, value] : after.balances) {
    s.delta.balances[key] = value;
    net[key.asset] += BigInt(value) - BigInt(before.balances.at(key));
  }
  for (const auto& [id, pool] : after.pools) {
    s.delta.pools[id] = pool;
    const Pool& old = before.pools.at(id);
    net[pool.asset_a] += BigInt(pool.reserve_a) - BigInt(old.reserve_a);
    net[pool.asset_b] += BigInt(pool.reserve_b) - BigInt(old.reserve_b);
  }
  for (const auto& [asset, d] : net)
    if (d < 0) s.delta.balances[BalanceKey{check::dust_account_for_check(), asset}] = Amount(BigInt(-d));
  for (const auto& in : mined.block.intents)
    if (after.state.nonce_used(in.signer, in.nonce)) s.delta.nonces.insert({in.signer, in.nonce});
  return s;
}

std::vector<Intent> decode_all(const std::vector<json>& signed_intents) {
  std::vector<Intent> out;
  for (const auto& j : signed_intents) out.push_back(decode_intent(j).value());
  return out;
}

std::string receipt_of(const MinedBatch& m, const Intent& in, ReceiptStatus* status) {
  for (std::size_t i = 0; i < m.block.intents.size(); ++i)
    if (m.block.intents[i].id == in.id) {
      *status = m.block.receipts[i].status;
      return m.block.receipts[i].reason;
    }
  *status = ReceiptStatus::rejected;
  return "not in the block";
}

const std::string kEth = "1000000000000000000";  // 1 ETH (18 decimals)

// Three rings USDC -> ETH -> BTC -> USDC (9 accounts), limits 2% inside the pools' prices.
std::vector<json> rings(std::uint32_t first_dev) {
  std::vector<json> out;
  for (std::uint32_t r = 0; r < 3; ++r) {
    const std::uint32_t d = first_dev + 3 * r;
    out.push_back(signed_swap(d, "USDC", "ETH", "sell", "3000000000", "980000000000000000", r == 1));
    out.push_back(signed_swap(d + 1, "ETH", "BTC", "sell", kEth, "4900000", r == 2));
    out.push_back(signed_swap(d + 2, "BTC", "USDC", "sell", "5000000", "2940000000", r == 0));
  }
  return out;
}

std::set<std::uint32_t> devs_of(std::uint32_t first, std::uint32_t count) {
  std::set<std::uint32_t> s;
  for (std::uint32_t i = first; i < first + count; ++i) s.insert(i);
  return s;
}

// A three-asset ring whose amounts match the pools' prices nets out by itself: at one
// price vector inside every pool's fee band all nine swaps settle and no pool trades
// (rounding may leave a few base units in a reserve).
TEST(MultiAsset, ThreeAssetRingsSettleWithoutTouchingPools) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  const std::vector<json> signed_intents = rings(1);
  const std::vector<Intent> intents = decode_all(signed_intents);
  const std::set<std::uint32_t> devs = devs_of(1, 9);
  Snapshot before = snapshot(rpc, devs, intents);
  for (const auto& j : signed_intents) submit(rpc, j);
  MinedBatch mined = mine_and_fetch(rpc);
  Snapshot after = snapshot(rpc, devs, intents);

  for (const auto& in : intents) {
    ReceiptStatus status;
    const std::string reason = receipt_of(mined, in, &status);
    EXPECT_EQ(status, ReceiptStatus::settled)
        << in.swap()->sell_asset << "->" << in.swap()->buy_asset << ": " << reason;
  }
  // No pool trades: at most a few base units of rounding may land in a reserve.
  for (const auto& [id, pool] : before.pools) {
    const Pool& now = after.pools.at(id);
    EXPECT_LE(boost::multiprecision::abs(BigInt(now.reserve_a) - BigInt(pool.reserve_a)), 10)
        << "pool " << id.first << "/" << id.second << " traded";
    EXPECT_LE(boost::multiprecision::abs(BigInt(now.reserve_b) - BigInt(pool.reserve_b)), 10)
        << "pool " << id.first << "/" << id.second << " traded";
  }
  const Settlement s = reconstruct(mined, before, after);
  check::CheckOptions options;
  const auto violations = check::check_settlement(before.state, mined.block.intents, s, options);
  EXPECT_TRUE(violations.empty()) << check::describe(violations);
}

// Rings plus an imbalance (more ETH sold for USDC than bought), a swap out of the money
// and a fill-or-kill that fits: 15 accounts, one block; the checker finds nothing.
TEST(MultiAsset, RingsPlusImbalanceOverHttpSatisfyEveryRule) {
  TestNode t({"--block-time", "600000"});
  auto& rpc = t.rpc();
  std::vector<json> signed_intents = rings(1);
  // The imbalance: 3 ETH sold for USDC (partial), 0.5 ETH (fill-or-kill); someone buys
  // exactly 0.01 BTC with USDC; one asks 4000 USDC per ETH (out of the money: unfilled).
  signed_intents.push_back(signed_swap(10, "ETH", "USDC", "sell", "3000000000000000000", "8700000000", true));
  signed_intents.push_back(signed_swap(11, "ETH", "USDC", "sell", "500000000000000000", "1450000000", false));
  signed_intents.push_back(signed_swap(12, "USDC", "BTC", "buy", "620000000", "1000000", false));
  signed_intents.push_back(signed_swap(13, "ETH", "USDC", "sell", kEth, "4000000000", true));
  signed_intents.push_back(signed_swap(14, "BTC", "ETH", "sell", "2000000", "392000000000000000", true));
  const std::vector<Intent> intents = decode_all(signed_intents);
  const std::set<std::uint32_t> devs = devs_of(1, 14);
  Snapshot before = snapshot(rpc, devs, intents);
  for (const auto& j : signed_intents) submit(rpc, j);
  MinedBatch mined = mine_and_fetch(rpc);
  Snapshot after = snapshot(rpc, devs, intents);
  ASSERT_EQ(mined.block.intents.size(), intents.size());

  for (std::size_t i = 0; i < intents.size(); ++i) {
    ReceiptStatus status;
    const std::string reason = receipt_of(mined, intents[i], &status);
    const bool out_of_the_money = i == 12;
    EXPECT_EQ(status, out_of_the_money ? ReceiptStatus::unfilled : ReceiptStatus::settled)
        << "swap " << i << " " << intents[i].swap()->sell_asset << "->" << intents[i].swap()->buy_asset << ": "
        << reason;
  }
  const Settlement s = reconstruct(mined, before, after);
  const auto violations = check::check_settlement(before.state, mined.block.intents, s);
  EXPECT_TRUE(violations.empty()) << check::describe(violations);
  // One price vector: the block's pair prices agree around the USDC/ETH/BTC cycle.
  const auto prices = check::effective_prices(s, nullptr);
  ASSERT_TRUE(prices.has("USDC") && prices.has("ETH") && prices.has("BTC"));
}

}  // namespace
}  // namespace pactum::testing
