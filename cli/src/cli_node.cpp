// `pactum node` (options -> run_node) and `pactum replay`.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <limits>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/replay.hpp"
#include "pactum/matcher/matcher.hpp"
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
    "  --max-pending-per-account N  pending intents one signer may have (default 2048)\n"
    "  --max-block-intents N intents one block settles at most (default 20000)\n"
    "  --max-request-bytes N HTTP body and WebSocket message limit (default 8388608)\n"
    "  --max-connections N   open HTTP connections (default 1024; at the limit the oldest idle\n"
    "                        one is closed to make room)\n"
    "  --max-ws-connections N  open WebSocket connections (default 256)\n"
    "  --max-ws-queue-bytes N  unsent WebSocket data per connection before the node drops\n"
    "                        that slow reader (default 4194304)\n"
    "  --max-subscriptions N subscriptions per WebSocket connection (default 64)\n"
    "  --idle-timeout S      seconds an HTTP connection may wait without a request (default 120)\n"
    "  --allow-origin LIST   browser origins allowed besides loopback ones and the node's own\n"
    "                        page, comma separated (e.g. https://app.example); * allows all\n"
    "  --allow-host LIST     Host names served besides loopback names and IP addresses, comma\n"
    "                        separated (DNS rebinding protection); * allows all\n"
    "  --admin-token TOKEN   on a bind beyond loopback, admin methods (pactum_mine) need\n"
    "                        `Authorization: Bearer TOKEN`; without it they are refused there\n"
    "  --threads N           worker threads (default: all cores)\n"
    "  --solver URL          an external solver (docs/PROTOCOL.md, \"Solver API\") asked for every\n"
    "                        block besides the built-in matcher and the exact solver; repeatable\n"
    "  --solver-deadline MS  how long solvers have per block (default 200; with --block-time,\n"
    "                        half the interval, at most 1000)\n"
    "  --exact-max-swaps N   largest batch the exact MILP solver is run on (default 20; 0: never)\n"
    "  --polish-max-swaps N  largest batch the polish solver (the MILP near the built-in matcher's\n"
    "                        prices) is run on (default 80; 0: never)\n"
    "  --follow URL          run as a follower of the producer at URL (http://HOST:PORT): verify\n"
    "                        and store its blocks, serve reads, relay pactum_submitIntent to it;\n"
    "                        never produce (docs/OPERATIONS.md, \"One producer, N followers\")\n"
    "  --quiet               no per-block log lines\n";

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::size_t positive(const std::string& text, const std::string& what) {
  const auto v = parse_u64(text, what);
  if (v == 0) throw UsageError(what + " must be at least 1");
  return static_cast<std::size_t>(v);
}

std::uint16_t parse_port(const std::string& text) {
  auto port = parse_u64(text, "--rpc port");
  if (port > 65535) throw UsageError("--rpc: port must be below 65536");
  return static_cast<std::uint16_t>(port);
}

}  // namespace

Genesis genesis_or_throw(const std::optional<std::string>& file) {
  auto g = load_genesis(file);
  if (!g) throw std::runtime_error("genesis: " + g.error().message);
  return std::move(g).value();
}

int cmd_node(const std::vector<std::string>& argv) {
  Args args(argv,
            {"data-dir",
             "genesis",
             "rpc",
             "block-time",
             "producer-key",
             "max-mempool",
             "max-request-bytes",
             "threads",
             "max-block-intents",
             "max-pending-per-account",
             "max-connections",
             "max-ws-connections",
             "max-ws-queue-bytes",
             "max-subscriptions",
             "idle-timeout",
             "allow-origin",
             "allow-host",
             "admin-token",
             "solver",
             "solver-deadline",
             "exact-max-swaps",
             "polish-max-swaps",
             "follow"},
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
  if (auto v = args.get("max-block-intents")) opts.max_block_intents = positive(*v, "--max-block-intents");
  if (auto v = args.get("max-pending-per-account"))
    opts.max_pending_per_account = positive(*v, "--max-pending-per-account");
  if (auto v = args.get("max-connections")) opts.max_connections = positive(*v, "--max-connections");
  if (auto v = args.get("max-ws-connections")) opts.max_ws_connections = positive(*v, "--max-ws-connections");
  if (auto v = args.get("max-ws-queue-bytes")) opts.max_ws_queue_bytes = positive(*v, "--max-ws-queue-bytes");
  if (auto v = args.get("max-subscriptions")) opts.max_subscriptions = positive(*v, "--max-subscriptions");
  if (auto v = args.get("idle-timeout")) opts.idle_timeout_s = positive(*v, "--idle-timeout");
  if (auto v = args.get("allow-origin")) opts.allowed_origins = comma_list(*v);
  if (auto v = args.get("allow-host")) opts.allowed_hosts = comma_list(*v);
  if (auto v = args.get("admin-token")) {
    if (v->size() < 16) throw UsageError("--admin-token must be at least 16 characters");
    opts.admin_token = *v;
  }
  opts.solver_urls = args.get_all("solver");
  for (const std::string& url : opts.solver_urls)
    if (url.rfind("http://", 0) != 0) throw UsageError("--solver: expected an http:// URL, got '" + url + "'");
  if (auto v = args.get("solver-deadline")) opts.solver_deadline_ms = positive(*v, "--solver-deadline");
  if (auto v = args.get("exact-max-swaps")) opts.exact_max_swaps = parse_u64(*v, "--exact-max-swaps");
  if (auto v = args.get("polish-max-swaps")) opts.polish_max_swaps = parse_u64(*v, "--polish-max-swaps");
  if (auto v = args.get("follow")) {
    if (v->rfind("http://", 0) != 0) throw UsageError("--follow: expected http://HOST:PORT, got '" + *v + "'");
    if (opts.block_time_ms) throw UsageError("--follow: a follower produces no blocks; drop --block-time");
    opts.follow = *v;
  }
  opts.quiet = args.has("quiet");
  return run_node(opts);
}

ReplayOptions replay_options(const Args& args) {
  ReplayOptions options;
  if (auto v = args.get("from")) options.from = parse_u64(*v, "--from");
  if (auto v = args.get("to")) options.to = parse_u64(*v, "--to");
  if (auto v = args.get("threads")) options.threads = static_cast<unsigned>(parse_u64(*v, "--threads"));
  if (options.from && options.to && *options.from > *options.to) throw UsageError("--from is above --to");
  return options;
}

int cmd_replay(const std::vector<std::string>& argv) {
  Args args(argv, {"data-dir", "genesis", "from", "to", "threads"}, {"quiet"});
  if (args.help()) {
    std::cout << "usage: pactum replay --data-dir DIR [--genesis FILE] [--from H] [--to H] [--threads N] [--quiet]\n"
                 "Re-executes every block from genesis on a fresh state: checks parent links,\n"
                 "producer and intent signatures, re-settles each batch and compares receipts\n"
                 "and roots. Exits 1 naming the first block that differs. The node must be\n"
                 "stopped (RocksDB allows one process).\n"
                 "  --from H     check intent signatures from block H on (blocks below are still\n"
                 "               re-executed and their roots compared: the state is rebuilt from genesis)\n"
                 "  --to H       stop after block H (default: the head)\n"
                 "  --threads N  loading/verification threads (default: every core)\n"
                 "  --quiet      no progress lines on stderr\n";
    return 0;
  }
  auto dir = args.get("data-dir");
  if (!dir) throw UsageError("replay needs --data-dir DIR");
  ReplayOptions options = replay_options(args);
  Genesis genesis = genesis_or_throw(args.get("genesis"));

  // Progress (stderr, at most every 2 s and at the end): the wall clock only paces the
  // log lines; it never reaches settlement.
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto last_line = start;
  std::uint64_t intents_done = 0;
  options.progress = [&](std::uint64_t height, std::uint64_t last) {
    if (args.has("quiet")) return;
    const auto now = Clock::now();
    if (now - last_line < std::chrono::seconds(2) && height != last) return;
    last_line = now;
    const double s = std::chrono::duration<double>(now - start).count();
    std::cerr << "replay: block " << height << " / " << last << " ("
              << (100 * height / std::max<std::uint64_t>(1, last)) << "%), " << intents_done << " intents, "
              << static_cast<std::uint64_t>(s > 0 ? static_cast<double>(intents_done) / s : 0) << " intents/s\n";
  };
  options.visit = [&](const ReplayedBlock& rb) -> Result<void> {
    intents_done += rb.block.intents.size();
    return {};
  };
  auto stats = replay_by_the_rules(*dir, std::move(genesis), options);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!stats) {
    std::cerr << "error: replay failed: " << stats.error().message << "\n";
    return 1;
  }
  std::cout << "blocks: " << stats->blocks << "\n"
            << "intents: " << stats->intents << "\n"
            << "verified: " << stats->verified << "\n"
            << "final_root: " << stats->final_root.hex() << "\n"
            << "seconds: " << std::fixed << std::setprecision(3) << seconds << "\n"
            << "intents_per_second: " << static_cast<std::uint64_t>(seconds > 0 ? stats->intents / seconds : 0) << "\n";
  return 0;
}

}  // namespace pactum::cli
