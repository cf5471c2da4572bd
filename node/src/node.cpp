// `pactum node`: genesis, producer key, chain, core, server, banner, signal wait.
#include "pactum/node/node.hpp"
#include "pactum/solvers/exact.hpp"
#include "pactum/solvers/external.hpp"
#include "pactum/solvers/picker.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "pactum/genesis/devnet.hpp"

#include "pactum/matcher/matcher.hpp"
#include "pactum/node/dispatcher.hpp"
#include "pactum/node/follower.hpp"
#include "pactum/node/server.hpp"

namespace pactum {

Result<Genesis> load_genesis(const std::optional<std::string>& file) {
  if (!file) return parse_genesis_text(std::string(devnet_genesis_json()));
  auto unreadable = [&](const std::string& why) {
    return make_error(Errc::genesis_invalid, "cannot read genesis file " + *file + ": " + why);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(*file, ec)) return unreadable("it is a directory");
  std::ifstream in(*file, std::ios::binary | std::ios::ate);
  if (!in) return unreadable(std::strerror(errno));
  // One buffer of the file's size (a million-account genesis is 100 MB): a stringstream
  // would hold it twice.
  const std::streamoff size = in.tellg();
  if (size < 0) return unreadable("its size is unknown");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), static_cast<std::streamsize>(text.size()))) return unreadable(std::strerror(errno));
  auto g = parse_genesis_text(text);
  if (!g.ok()) {
    Error e = g.error();
    e.message = "genesis file " + *file + ": " + e.message;
    return e;
  }
  return g;
}

namespace {

Result<SecretKey> producer_key_for(const Genesis& g, const NodeOptions& opts) {
  if (opts.producer_key) {
    auto key = SecretKey::from_hex(*opts.producer_key);
    if (!key.ok()) return make_error(Errc::invalid_params, "--producer-key: " + key.error().message, "producer-key");
    if (key->public_key() != g.producer)
      return make_error(
          Errc::invalid_params,
          "--producer-key belongs to " + key->public_key().hex() + ", but the genesis producer is " + g.producer.hex(),
          "producer-key");
    return key;
  }
  SecretKey dev = dev_producer_key();
  if (dev.public_key() == g.producer) return dev;
  return make_error(Errc::invalid_params,
                    "the genesis producer is " + g.producer.hex() +
                        " (not the devnet producer): pass its secret key with --producer-key HEX",
                    "producer-key");
}

void print_banner(const Chain& chain, const NodeOptions& opts, const std::string& genesis_hash) {
  std::cout << "pactum node " << kNodeVersion << "\n"
            << "chain id:    " << chain.genesis().chain_id << "\n"
            << "data dir:    " << opts.data_dir << "\n"
            << "genesis:     " << genesis_hash << "\n"
            << "head height: " << chain.height() << "\n"
            << "blocks:      "
            << (opts.block_time_ms ? "every " + std::to_string(*opts.block_time_ms) + " ms"
                                   : std::string("instant (a block as soon as an intent arrives)"))
            << "\n";
  const auto count = chain.genesis().dev_account_count;
  if (count > 0 && !opts.quiet) {
    std::cout << "\n==================================================================================\n"
              << "WARNING: these dev accounts use PUBLIC keys (secret = SHA256(\"pactum/devnet/key/\" + index)).\n"
              << "Anyone can spend from them. NEVER send them anything of real value.\n"
              << "==================================================================================\n";
    for (std::uint32_t i = 0; i < count; ++i) {
      const SecretKey k = dev_secret_key(i);
      std::cout << "(" << i << ") account " << k.public_key().hex() << "\n"
                << "     secret  " << k.hex() << "\n";
    }
    std::cout << "\n";
  }
}

// The soft limit on open files goes up to the hard limit: at the usual soft limit of
// 1024, a thousand idle connections would leave RocksDB and new clients no descriptor.
// Returns the soft limit in force.
rlim_t raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  return lim.rlim_cur;
}

// Free space under `dir` (or its nearest existing parent), in bytes; nullopt if unknown.
std::optional<std::uint64_t> free_bytes(const std::string& dir) {
  std::filesystem::path p = std::filesystem::absolute(dir);
  std::error_code ec;
  while (!p.empty() && !std::filesystem::exists(p, ec)) p = p.parent_path();
  struct statvfs st {};
  if (p.empty() || statvfs(p.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

constexpr std::uint64_t kLowDiskBytes = 1ull << 30;  // below this at start, the node warns

void warn(const std::string& text) {
  std::cerr << "\n==================================================================================\n"
            << "WARNING: " << text << "\n"
            << "==================================================================================\n\n";
}

// The chain of the genesis, opened (or created) in the data directory, and the
// producer's key. Errors are the sentences the node prints after "error: ".
struct OpenedChain {
  std::unique_ptr<Chain> chain;
  SecretKey producer_key;
};

Result<OpenedChain> open_chain(const NodeOptions& opts) {
  PACTUM_ASSIGN(genesis, load_genesis(opts.genesis_file));
  // A follower signs nothing: it needs no producer key (the one it holds is never used).
  PACTUM_ASSIGN(key, opts.follow ? Result<SecretKey>(dev_producer_key()) : producer_key_for(genesis, opts));
  // Moved in: the funded accounts (most of the node's memory with a million of them) are
  // freed while block 0's state is built.
  auto chain = Chain::open(opts.data_dir, std::move(genesis));
  if (!chain.ok())
    return make_error(chain.error().code, "cannot open the chain in " + opts.data_dir + ": " + chain.error().message);
  return OpenedChain{std::move(chain).value(), std::move(key)};
}

// Warns about a nearly full disk, and returns how many connections the server may hold
// within the process's open-file limit (raised first as far as it goes).
std::size_t check_resources(const NodeOptions& opts) {
  if (auto free = free_bytes(opts.data_dir); free && *free < kLowDiskBytes)
    warn("only " + std::to_string(*free >> 20) + " MiB free on the disk of " + opts.data_dir +
         ". When a block cannot be written the node halts production (it keeps serving reads).");
  const rlim_t open_files = raise_open_file_limit();
  std::size_t max_connections = opts.max_connections;
  if (open_files != RLIM_INFINITY && open_files < max_connections + 256) {
    // RocksDB and the node keep up to about 256 files of their own.
    max_connections = open_files > 320 ? static_cast<std::size_t>(open_files - 256) : 64;
    std::cerr << "note: at most " << open_files << " open files (ulimit -n): serving at most " << max_connections
              << " connections\n";
  }
  return max_connections;
}

// The built-in matcher, the exact and polish solvers and (`external`) every --solver URL;
// a dropped proposal is logged with the rule it broke (even with --quiet: it is a solver's
// fault an operator must see).
solvers::Picker make_picker(const NodeOptions& opts, bool external) {
  std::vector<std::unique_ptr<solvers::Solver>> others;
  if (opts.exact_max_swaps > 0) others.push_back(solvers::exact_solver(solvers::ExactOptions{opts.exact_max_swaps, 8}));
  if (opts.polish_max_swaps > 0)
    others.push_back(solvers::polish_solver(solvers::ExactOptions{opts.polish_max_swaps, 8}));
  if (external)
    for (const std::string& url : opts.solver_urls) others.push_back(solvers::http_solver(url));
  solvers::PickerOptions options;
  options.deadline = std::chrono::milliseconds(solver_deadline_ms(opts));
  if (external) options.log = [](const std::string& line) { std::cerr << "pactum node: " << line << std::endl; };
  return solvers::Picker(std::move(others), std::move(options));
}

CoreOptions core_options(const NodeOptions& opts) {
  CoreOptions core_opts;
  core_opts.max_mempool = opts.max_mempool;
  core_opts.max_block_intents = opts.max_block_intents;
  core_opts.max_pending_per_account = opts.max_pending_per_account;
  core_opts.block_time_ms = opts.block_time_ms;
  core_opts.quiet = opts.quiet;
  // Quotes and bundle simulations: the producer's own solvers but no --solver URL (a
  // read-only call must not make the node call out), within the same deadline.
  auto estimate = std::make_shared<const solvers::Picker>(make_picker(opts, false));
  core_opts.estimate = [estimate](const StateView& state, std::span<const Intent> batch, const BlockContext& ctx) {
    return estimate->settle(state, batch, ctx);
  };
  return core_opts;
}

RpcLimits rpc_limits(const NodeOptions& opts) {
  RpcLimits limits;
  limits.max_batch = opts.max_batch;
  limits.max_subscriptions_per_connection = opts.max_subscriptions;
  return limits;
}

ServerOptions server_options(const NodeOptions& opts, std::size_t max_connections) {
  ServerOptions server_opts;
  server_opts.host = opts.rpc_host;
  server_opts.port = opts.rpc_port;
  server_opts.max_request_bytes = opts.max_request_bytes;
  server_opts.threads = opts.threads;
  server_opts.max_connections = max_connections;
  server_opts.max_ws_connections = opts.max_ws_connections;
  server_opts.max_ws_queue_bytes = opts.max_ws_queue_bytes;
  server_opts.idle_timeout = std::chrono::seconds(opts.idle_timeout_s);
  server_opts.allowed_origins = opts.allowed_origins;
  server_opts.allowed_hosts = opts.allowed_hosts;
  server_opts.admin_token = opts.admin_token;
  return server_opts;
}

void warn_if_beyond_loopback(const RpcServer& server, const NodeOptions& opts) {
  if (server.loopback_only()) return;
  warn("the node listens on " + server.address() +
       ", beyond loopback: anyone who can reach this address can submit intents and read the chain.\n"
       "The dev accounts' keys are public. " +
       std::string(opts.admin_token
                       ? "Admin methods (pactum_mine) need the --admin-token bearer token."
                       : "Admin methods (pactum_mine) are refused: start with --admin-token to allow them."));
}

// Until SIGINT or SIGTERM, then the shutdown. Returns the exit code, or does not return
// when the core halted.
int serve_until_signal(NodeCore& core, RpcServer& server, const Chain& chain, const NodeOptions& opts,
                       Follower* follower) {
  // Signals are handled from start() on, so the address is printed only after it: a
  // SIGTERM right after the line is a clean stop.
  if (!follower) core.start_producer();
  server.start();
  print_banner(chain, opts, core.node_info()["genesis"].get<std::string>());
  std::cout << "rpc: http://" << server.address() << std::endl;  // integration tests parse this line
  if (follower) std::cout << "following:   " << follower->url() << std::endl;
  std::cout.flush();
  if (follower) follower->start();

  server.wait_for_signal();
  // Shutdown order: no more blocks (the producer notifies WebSocket sessions through the
  // server's io_context), then no more requests, then the sessions go with the server,
  // and only then the core and the chain (RocksDB) they use.
  if (follower) follower->stop();
  core.stop_producer();
  server.stop();
  if (core.halted()) {
    // After a failed write (a full disk, say) RocksDB's files may hold a write it could
    // not finish, and closing the database can abort inside RocksDB. Everything any
    // client was told about is synced already, so the process ends here without closing
    // it, exactly as a crash would leave it; the next start recovers from the WAL.
    std::cout << "pactum node: stopped while halted, at height " << core.height()
              << "; the store is left as after a crash and is recovered at the next start" << std::endl;
    std::cerr.flush();
    std::_Exit(0);
  }
  if (!opts.quiet) std::cout << "pactum node: stopped at height " << core.height() << std::endl;
  return 0;
}

}  // namespace

std::uint64_t solver_deadline_ms(const NodeOptions& opts) {
  if (opts.solver_deadline_ms) return *opts.solver_deadline_ms;
  // Half the interval, at most a second: a long interval (a node mined by hand with
  // pactum_mine) must not make every block wait for a solver that runs to its deadline.
  return opts.block_time_ms ? std::clamp<std::uint64_t>(*opts.block_time_ms / 2, 1, 1000) : 200;
}

int run_node(const NodeOptions& opts) {
  auto opened = open_chain(opts);
  if (!opened.ok()) {
    std::cerr << "error: " << opened.error().message << "\n";
    return 1;
  }
  const Chain& chain = *opened->chain;
  const std::size_t max_connections = check_resources(opts);
  const solvers::Picker picker = make_picker(opts, true);
  NodeCore core(std::move(opened->chain), std::move(opened->producer_key), picker.settle_fn(), core_options(opts));
  std::unique_ptr<Follower> follower;
  if (opts.follow) {
    try {
      FollowerOptions follow;
      follow.leader_url = *opts.follow;
      follower = std::make_unique<Follower>(core, std::move(follow));
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
    core.set_leader(follower.get());
  }
  RpcDispatcher rpc(core, rpc_limits(opts));
  RpcServer server(core, rpc, server_options(opts, max_connections));
  if (auto listening = server.listen(); !listening.ok()) {
    std::cerr << "error: " << listening.error().message << "\n";
    return 1;
  }
  warn_if_beyond_loopback(server, opts);
  return serve_until_signal(core, server, chain, opts, follower.get());
}

}  // namespace pactum
