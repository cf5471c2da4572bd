// `pactum quote`: asks a running node what a swap would receive in the next block
// (pactum_quote, docs/PROTOCOL.md "Quotes"), before it is signed.
#include <iostream>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"

namespace pactum::cli {

int cmd_quote(const std::vector<std::string>& argv) {
  Args args(argv, {"rpc"}, {});
  if (args.help()) {
    std::cout << "usage: pactum quote [--rpc URL] FILE|-\n"
                 "FILE holds one swap as JSON, unsigned (sig is ignored); chain, valid_until and\n"
                 "nonce may be left out. Prints what it would receive if it joined the pending\n"
                 "batch now: would_fill, sold, bought, price, partial, reason, message,\n"
                 "asset_prices. Exits 0 if it would fill, 2 if not.\n"
                 "  --rpc URL   the node (default http://127.0.0.1:8545; env PACTUM_RPC overrides it)\n";
    return 0;
  }
  if (args.positional().size() != 1) throw UsageError("quote needs one FILE (or - for stdin)");
  const nlohmann::json swap = parse_json_text(read_input(args.positional()[0]), "swap input");
  client::RpcClient rpc(client::resolve_rpc_url(args.get("rpc")));
  const nlohmann::json q = rpc.call("pactum_quote", nlohmann::json::array({swap}));
  std::cout << q.dump(2) << "\n";
  return q.value("would_fill", false) ? 0 : 2;
}

}  // namespace pactum::cli
