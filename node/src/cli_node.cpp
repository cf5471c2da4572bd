// `pactum node` (options -> run_node) and `pactum replay`.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <limits>

#include "pactum/ledger/chain.hpp"
#include "pactum/matcher/matcher.hpp"
#include "pactum/node/cli.hpp"
#include "pactum/node/node.hpp"

namespace pactum::cli {

namespace {

constexpr std::string_view kNodeHelp =
    "usage: pactum node [options]\n"
    "  --data-dir DIR        chain data (RocksDB); created if absent (default pactum-data)\n"
    "  --genesis FILE        genesis JSON (default: the embedded devnet genesis)\n"
    "  --rpc HOST:PORT       JSON-RPC/WebSocket address (default 127.0.0.1:8545; port 0 picks\n"
    "                        a free port; the node prints `rpc: http://HOST:PORT`)\n"
    "  --block-time MS       a block every MS ms; without it a block is produced as soon as\n"
    "                        intents arrive (instant mode)\n"
    "  --producer-key HEX    block producer secret (required unless the genesis producer is dev)\n"
    "  --max-mempool N       pending intents accepted at most (default 200000)\n"
    "  --max-request-bytes N HTTP body limit (default 8388608)\n"
    "  --threads N           worker threads (default: all cores)\n"
    "  --quiet               no per-block log lines\n";

std::uint16_t parse_port(const std::string& text) {
  auto port = parse_u64(text, "--rpc port");
  if (port > 65535) throw UsageError("--rpc: port must be below 65536");
  return static_cast<std::uint16_t>(port);
}

Genesis genesis_or_throw(const std::optional<std::string>& file) {
  auto g = load_genesis(file);
  if (!g) throw std::runtime_error("genesis: " + g.error().message);
  return std::move(g).value();
}

}  // namespace

int cmd_node(const std::vector<std::string>& argv) {
  Args args(argv,
            {"data-dir", "genesis", "rpc", "block-time", "producer-key", "max-mempool",
             "max-request-bytes", "threads"},
            {"quiet"});
  if (args.help()) {
    std::cout << kNodeHelp;
    return 0;
  }
  if (!args.positional().empty()) throw UsageError("node takes no argument '" + args.positional()[0] + "'");
  NodeOptions opts;
  if (auto v = args.get("data-dir")) opts.data_dir = *v;
  if (auto v = args.get("genesis")) opts.genesis_file = *v;
  if (auto v = args.get("rpc")) {
    auto colon = v->rfind(':');
    if (colon == std::string::npos || colon == 0) throw UsageError("--rpc: expected HOST:PORT, got '" + *v + "'");
    opts.rpc_host = v->substr(0, colon);
    opts.rpc_port = parse_port(v->substr(colon + 1));
  }
  if (auto v = args.get("block-time")) {
    opts.block_time_ms = parse_u64(*v, "--block-time");
    if (*opts.block_time_ms == 0) throw UsageError("--block-time must be at least 1 ms");
  }
  if (auto v = args.get("producer-key")) opts.producer_key = *v;
  if (auto v = args.get("max-mempool")) opts.max_mempool = parse_u64(*v, "--max-mempool");
  if (auto v = args.get("max-request-bytes")) opts.max_request_bytes = parse_u64(*v, "--max-request-bytes");
  if (auto v = args.get("threads")) opts.threads = static_cast<unsigned>(parse_u64(*v, "--threads"));
  opts.quiet = args.has("quiet");
  return run_node(opts);
}

int cmd_replay(const std::vector<std::string>& argv) {
  Args args(argv, {"data-dir", "genesis", "to"}, {});
  if (args.help()) {
    std::cout << "usage: pactum replay --data-dir DIR [--genesis FILE] [--to HEIGHT]\n"
                 "Re-executes every block from genesis on a fresh state: checks parent links,\n"
                 "producer and intent signatures, re-settles each batch and compares receipts\n"
                 "and roots. Exits 1 naming the first block that differs. The node must be\n"
                 "stopped (RocksDB allows one process).\n";
    return 0;
  }
  auto dir = args.get("data-dir");
  if (!dir) throw UsageError("replay needs --data-dir DIR");
  std::optional<std::uint64_t> to;
  if (auto v = args.get("to")) to = parse_u64(*v, "--to");
  const Genesis genesis = genesis_or_throw(args.get("genesis"));

  const auto start = std::chrono::steady_clock::now();
  std::uint64_t last_report = 0;
  auto progress = [&](std::uint64_t height, std::uint64_t head) {
    if (height - last_report >= 1000 || height == head) {
      std::cerr << "replay: block " << height << " / " << head << "\n";
      last_report = height;
    }
  };
  SettleFn settle_fn = [](const StateView& s, std::span<const Intent> batch, const BlockContext& ctx) {
    return settle(s, batch, ctx);
  };
  auto stats = replay(*dir, genesis, settle_fn, to, progress);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!stats) {
    std::cerr << "error: replay failed: " << stats.error().message << "\n";
    return 1;
  }
  std::cout << "blocks: " << stats->blocks << "\n"
            << "intents: " << stats->intents << "\n"
            << "final_root: " << stats->final_root.hex() << "\n"
            << "seconds: " << std::fixed << std::setprecision(3) << seconds << "\n";
  return 0;
}

}  // namespace pactum::cli
