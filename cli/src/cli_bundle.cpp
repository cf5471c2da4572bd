// `pactum cosign` and `pactum simulate`: the two steps a bundle needs beyond `sign`. A
// bundle that moves several accounts' funds is signed by each of them over the same id
// (docs/PROTOCOL.md, bundles); `simulate` runs it on the node without committing.
#include <iostream>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::cli {

namespace {

SecretKey key_from(const Args& args) {
  if (args.has("key") == args.has("dev")) throw UsageError("give exactly one of --key or --dev (see --help)");
  if (auto hex = args.get("key")) return parse_secret(*hex);
  auto index = parse_u64(*args.get("dev"), "--dev");
  if (index > 0xffffffffu) throw UsageError("--dev: index too large");
  return dev_secret_key(static_cast<std::uint32_t>(index));
}

}  // namespace

int cmd_cosign(const std::vector<std::string>& argv) {
  Args args(argv, {"key", "dev"}, {});
  if (args.help()) {
    std::cout << "usage: pactum cosign (--key SECRET_HEX | --dev N) FILE|-\n"
                 "Adds the key's signature to a bundle that `pactum sign --json` produced: as a\n"
                 "cosig when the key is an account the bundle moves funds of, as \"sig\" when it\n"
                 "is the signer. Every signer signs the same digest (the intent id). Prints the\n"
                 "bundle JSON on one line.\n";
    return 0;
  }
  if (args.positional().size() != 1) throw UsageError("cosign needs one FILE (or - for stdin)");
  const SecretKey key = key_from(args);
  const nlohmann::json in = parse_json_text(read_input(args.positional()[0]), "bundle");
  auto out = add_signature(in, key);
  if (!out) throw std::runtime_error(std::string(errc_name(out.error().code)) + ": " + out.error().message);
  std::cout << out->dump() << "\n";
  return 0;
}

int cmd_simulate(const std::vector<std::string>& argv) {
  Args args(argv, {"rpc"}, {"pending"});
  if (args.help()) {
    std::cout << "usage: pactum simulate [--rpc URL] [--pending] FILE|-\n"
                 "Runs a bundle (signed or not) on the node and commits nothing\n"
                 "(pactum_simulateBundle): each step's result, the net changes, and the\n"
                 "accounts whose signature is still missing. Against the head state, or with\n"
                 "--pending after the pending batch settles (where bundles run in a block).\n"
                 "Exits 0 if the bundle would settle, 2 if not.\n"
                 "  --rpc URL   the node (default http://127.0.0.1:8545; env PACTUM_RPC overrides it)\n";
    return 0;
  }
  if (args.positional().size() != 1) throw UsageError("simulate needs one FILE (or - for stdin)");
  const nlohmann::json bundle = parse_json_text(read_input(args.positional()[0]), "bundle");
  client::RpcClient rpc(client::resolve_rpc_url(args.get("rpc")));
  const nlohmann::json r =
      rpc.call("pactum_simulateBundle", nlohmann::json::array({bundle, args.has("pending") ? "pending" : "latest"}));
  std::cout << r.dump(2) << "\n";
  return r.value("ok", false) ? 0 : 2;
}

}  // namespace pactum::cli
