// pactum_mempool_flood: what orders that never fill cost a running node (issue 17, item 3).
//
//   pactum_mempool_flood --rpc URL --data-dir DIR [--orders N] [--accounts M] [--idle S] [--news K]
//
// 1. Submits N swaps that can never fill (asking 10^6 USDC for 0.001 ETH) from M dev
//    accounts, in batches, and waits until the node has settled them once.
// 2. Leaves the node alone for S seconds: blocks produced and bytes the data directory
//    grew (no client is connected; before the fix the node kept writing ~18 MB blocks).
// 3. Submits K transfers one at a time, each waiting for its block: the intents each
//    block records and the bytes each block added (each used to re-record every order).
// Prints one JSON line with the figures. The node's own CPU is not measured here: run it
// under `time` or read /proc/PID/stat around the idle window.
#include <openssl/rand.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"
#include "pactum/intents/amount.hpp"
#include "pactum/intents/intent.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::uint64_t dir_bytes(const std::string& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

json signed_intent(json j, const pactum::SecretKey& key, const std::string& chain, std::uint64_t nonce) {
  j["chain"] = chain;
  j["signer"] = key.public_key().hex();
  j["nonce"] = nonce;
  j["valid_until"] = pactum::kMaxSafeInteger;
  auto s = pactum::sign_intent(j, key);
  if (!s) throw std::runtime_error("sign_intent: " + s.error().message);
  return pactum::intent_to_json(*s);
}

struct Options {
  std::string url;
  std::string dir;
  std::uint64_t orders = 0, accounts = 0, idle_s = 0, news = 0;
};

Options parse_options(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  pactum::cli::Args a(args, {"rpc", "data-dir", "orders", "accounts", "idle", "news"}, {});
  Options o;
  o.url = a.get_or("rpc", "http://127.0.0.1:8545");
  const auto dir = a.get("data-dir");
  if (!dir) throw pactum::cli::UsageError("--data-dir DIR (the node's) is needed to measure its growth");
  o.dir = *dir;
  o.orders = pactum::cli::parse_u64(a.get_or("orders", "21000"), "--orders");
  o.accounts = pactum::cli::parse_u64(a.get_or("accounts", "20"), "--accounts");
  o.idle_s = pactum::cli::parse_u64(a.get_or("idle", "30"), "--idle");
  o.news = pactum::cli::parse_u64(a.get_or("news", "10"), "--news");
  if (o.accounts == 0 || o.accounts > 20) throw pactum::cli::UsageError("--accounts: 1 to 20 dev accounts");
  return o;
}

struct Flood {
  std::size_t accepted = 0;
  std::map<std::string, std::size_t> refused;
};

// 1. The flood: `orders` swaps that never fill, in batches of 500.
Flood flood(pactum::client::RpcClient& rpc, const Options& o, const std::string& chain, std::uint64_t& nonce) {
  Flood f;
  std::vector<pactum::client::RpcClient::BatchItem> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    for (const auto& answer : rpc.batch(batch)) {
      if (answer.contains("result"))
        ++f.accepted;
      else
        ++f.refused[answer["error"]["data"]["reason"].get<std::string>()];
    }
    batch.clear();
  };
  for (std::uint64_t i = 0; i < o.orders; ++i) {
    const auto key = pactum::dev_secret_key(static_cast<std::uint32_t>(i % o.accounts));
    json swap = {{"kind", "swap"},
                 {"sell_asset", "ETH"},
                 {"buy_asset", "USDC"},
                 {"side", "sell"},
                 {"sell_amount", "1000000000000000"},
                 {"buy_amount", "1000000000000"},
                 {"partial", false}};
    batch.push_back({"pactum_submitIntent", json::array({signed_intent(swap, key, chain, nonce++)})});
    if (batch.size() == 500) flush();
  }
  flush();
  return f;
}

// Settled once: the height stops moving. Returns that height.
std::uint64_t wait_until_quiet(pactum::client::RpcClient& rpc) {
  std::uint64_t h = rpc.call("pactum_blockNumber").get<std::uint64_t>();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const std::uint64_t now = rpc.call("pactum_blockNumber").get<std::uint64_t>();
    if (now == h) return h;
    h = now;
  }
}

struct Growth {
  std::uint64_t blocks = 0, bytes = 0, intents = 0;
};

// 2. Idle: blocks produced and bytes written in `idle_s` seconds without a client.
Growth idle(pactum::client::RpcClient& rpc, const Options& o, std::uint64_t height) {
  Growth g;
  const std::uint64_t bytes_before = dir_bytes(o.dir);
  std::this_thread::sleep_for(std::chrono::seconds(o.idle_s));
  g.blocks = rpc.call("pactum_blockNumber").get<std::uint64_t>() - height;
  g.bytes = dir_bytes(o.dir) - std::min(dir_bytes(o.dir), bytes_before);
  return g;
}

// 3. News, one intent at a time, each waiting for its block.
Growth news(pactum::client::RpcClient& rpc, const Options& o, const std::string& chain, std::uint64_t& nonce) {
  Growth g;
  const auto payer = pactum::dev_secret_key(0);
  const auto payee = pactum::dev_secret_key(1).public_key().hex();
  const std::uint64_t bytes_before = dir_bytes(o.dir);
  const std::uint64_t height_before = rpc.call("pactum_blockNumber").get<std::uint64_t>();
  for (std::uint64_t k = 0; k < o.news; ++k) {
    const json t =
        signed_intent({{"kind", "transfer"}, {"asset", "USDC"}, {"to", payee}, {"amount", "1"}}, payer, chain, nonce++);
    const std::string id = rpc.call("pactum_submitIntent", json::array({t}))["id"].get<std::string>();
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    json s;
    do {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      s = rpc.call("pactum_getIntent", json::array({id}));
    } while (s["status"] == "pending" && Clock::now() < deadline);
    const json block = rpc.call("pactum_getBlock", json::array({s["block"]}));
    g.intents += block["intents"].size();
  }
  g.blocks = rpc.call("pactum_blockNumber").get<std::uint64_t>() - height_before;
  g.bytes = dir_bytes(o.dir) - std::min(dir_bytes(o.dir), bytes_before);
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse_options(argc, argv);
    pactum::client::RpcClient rpc(o.url, std::chrono::seconds(120));
    const std::string chain = rpc.call("pactum_chainId").get<std::string>();
    std::uint64_t base = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&base), sizeof base);
    base &= (std::uint64_t{1} << 50) - 1;
    std::uint64_t nonce = base;

    const Flood f = flood(rpc, o, chain, nonce);
    const std::uint64_t h = wait_until_quiet(rpc);
    const Growth quiet = idle(rpc, o, h);
    const Growth fresh = news(rpc, o, chain, nonce);

    json out = {{"orders", o.orders},
                {"accounts", o.accounts},
                {"accepted", f.accepted},
                {"refused", f.refused},
                {"idle_seconds", o.idle_s},
                {"idle_blocks", quiet.blocks},
                {"idle_bytes_written", quiet.bytes},
                {"news_intents", o.news},
                {"news_blocks", fresh.blocks},
                {"news_intents_recorded_per_block", fresh.blocks ? fresh.intents / fresh.blocks : 0},
                {"news_bytes_per_block", fresh.blocks ? fresh.bytes / fresh.blocks : 0}};
    std::cout << out.dump() << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
