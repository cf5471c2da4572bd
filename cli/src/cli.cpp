// Top-level dispatch of the `pactum` subcommands.
#include <iostream>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/cli/cli.hpp"

namespace pactum::cli {

namespace {

constexpr std::string_view kHelp =
    "pactum: an intent settlement engine\n"
    "usage: pactum <command> [options]   (pactum <command> --help for its options)\n"
    "  node      run a node (JSON-RPC + WebSocket, block producer, RocksDB chain)\n"
    "  keys      new | show SECRET | dev: key pairs and the public devnet keys\n"
    "  sign      build and sign an intent (transfer, swap, cancel; commit, bundle with --json)\n"
    "  cosign    add a co-signer's signature to a bundle\n"
    "  simulate  run a bundle on the node without committing it\n"
    "  room      open a negotiation room, seal a position, sign its outcome\n"
    "  contract  get a room's signed contract, or verify one offline\n"
    "  submit    submit signed intents; --wait for their outcome\n"
    "  status    an intent's status, receipt and reason\n"
    "  balance   an account's balance (--proof: verified against the state root)\n"
    "  block     a block by height or hash\n"
    "  quote     what an unsigned swap would receive in the next block\n"
    "  rpc       a raw JSON-RPC call\n"
    "  replay    re-execute a data directory from genesis and check every root\n"
    "  analyze   re-run blocks under other sequencing rules (fcfs, adversarial): CSV/JSON/HTML\n"
    "  burns     the settled burns of a data directory (replayed) as CSV\n"
    "  scenario  generate a reproducible workload from a seed into a fresh data directory\n"
    "  export    every block of a data directory as JSON lines, with their SHA256\n"
    "  compute   metered compute: the hardware controller (permits, keys) and the core\n"
    "  version   print the version\n";

}  // namespace

int run(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kHelp;
    return args.empty() ? 1 : 0;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "node") return cmd_node(rest);
  if (command == "keys") return cmd_keys(rest);
  if (command == "sign") return cmd_sign(rest);
  if (command == "submit") return cmd_submit(rest);
  if (command == "status") return cmd_status(rest);
  if (command == "balance") return cmd_balance(rest);
  if (command == "block") return cmd_block(rest);
  if (command == "quote") return cmd_quote(rest);
  if (command == "cosign") return cmd_cosign(rest);
  if (command == "simulate") return cmd_simulate(rest);
  if (command == "room") return cmd_room(rest);
  if (command == "contract") return cmd_contract(rest);
  if (command == "rpc") return cmd_rpc(rest);
  if (command == "replay") return cmd_replay(rest);
  if (command == "analyze") return cmd_analyze(rest);
  if (command == "burns") return cmd_burns(rest);
  if (command == "scenario") return cmd_scenario(rest);
  if (command == "export") return cmd_export(rest);
  if (command == "compute") return cmd_compute(rest);
  if (command == "version" || command == "--version") {
    std::cout << "pactum 0.1.0\n";
    return 0;
  }
  throw UsageError("unknown command '" + command + "' (see pactum --help)");
}

}  // namespace pactum::cli
