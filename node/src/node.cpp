// `pactum node`: genesis, producer key, chain, core, server, banner, signal wait.
#include "pactum/node/node.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "pactum/genesis/devnet.hpp"

#include "pactum/matcher/matcher.hpp"
#include "pactum/node/rpc.hpp"
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
    if (!key.ok())
      return make_error(Errc::invalid_params, "--producer-key: " + key.error().message, "producer-key");
    if (key->public_key() != g.producer)
      return make_error(Errc::invalid_params,
                        "--producer-key belongs to " + key->public_key().hex() + ", but the genesis producer is " +
                            g.producer.hex(),
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

}  // namespace

int run_node(const NodeOptions& opts) {
  auto genesis = load_genesis(opts.genesis_file);
  if (!genesis.ok()) {
    std::cerr << "error: " << genesis.error().message << "\n";
    return 1;
  }
  auto key = producer_key_for(*genesis, opts);
  if (!key.ok()) {
    std::cerr << "error: " << key.error().message << "\n";
    return 1;
  }
  // Moved in: the funded accounts (most of the node's memory with a million of them) are
  // freed while block 0's state is built.
  auto chain = Chain::open(opts.data_dir, std::move(*genesis));
  if (!chain.ok()) {
    std::cerr << "error: cannot open the chain in " << opts.data_dir << ": " << chain.error().message << "\n";
    return 1;
  }
  Chain& chain_ref = **chain;
  CoreOptions core_opts;
  core_opts.max_mempool = opts.max_mempool;
  core_opts.max_block_intents = opts.max_block_intents;
  core_opts.block_time_ms = opts.block_time_ms;
  core_opts.quiet = opts.quiet;
  NodeCore core(std::move(chain).value(), std::move(key).value(), &settle, core_opts);
  RpcLimits limits;
  limits.max_batch = opts.max_batch;
  RpcDispatcher rpc(core, limits);
  ServerOptions server_opts{opts.rpc_host, opts.rpc_port, opts.max_request_bytes, opts.threads};
  RpcServer server(core, rpc, server_opts);
  if (auto listening = server.listen(); !listening.ok()) {
    std::cerr << "error: " << listening.error().message << "\n";
    return 1;
  }
  // Signals are handled from start() on, so the address is printed only after it: a
  // SIGTERM right after the line is a clean stop.
  core.start_producer();
  server.start();
  print_banner(chain_ref, opts, core.node_info()["genesis"].get<std::string>());
  std::cout << "rpc: http://" << server.address() << std::endl;  // integration tests parse this line
  std::cout.flush();

  server.wait_for_signal();
  // Shutdown order: no more blocks (the producer notifies WebSocket sessions through the
  // server's io_context), then no more requests, then the sessions go with the server,
  // and only then the core and the chain (RocksDB) they use.
  core.stop_producer();
  server.stop();
  if (!opts.quiet) std::cout << "pactum node: stopped at height " << core.height() << std::endl;
  return 0;
}

}  // namespace pactum
