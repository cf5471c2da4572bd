// `pactum keys new | show SECRET | dev [--count N]`
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "pactum/cli/args.hpp"

namespace pactum::cli {

namespace {

constexpr std::string_view kKeysHelp =
    "usage: pactum keys new                 a random key pair: {\"secret\",\"public\"}\n"
    "       pactum keys show SECRET_HEX     the public key (account) of a secret key\n"
    "       pactum keys dev [--count N]     the devnet keys (default 20): PUBLIC, do not use\n"
    "                                       them for anything of value\n";

}  // namespace

int cmd_keys(const std::vector<std::string>& argv) {
  Args args(argv, {"count"}, {});
  const auto& pos = args.positional();
  if (args.help() || pos.empty()) {
    std::cout << kKeysHelp;
    return args.help() ? 0 : 1;
  }
  const std::string& sub = pos[0];
  if (sub == "new") {
    SecretKey key = SecretKey::generate();
    std::cout << nlohmann::json{{"secret", key.hex()}, {"public", key.public_key().hex()}}.dump() << "\n";
    return 0;
  }
  if (sub == "show") {
    if (pos.size() != 2) throw UsageError("keys show needs one SECRET_HEX");
    std::cout << parse_secret(pos[1]).public_key().hex() << "\n";
    return 0;
  }
  if (sub == "dev") {
    std::uint64_t count = parse_u64(args.get_or("count", "20"), "--count");
    if (count > 100000) throw UsageError("--count: at most 100000");
    std::cerr << "warning: dev keys are derived from a public formula "
                 "(secret = SHA256(\"pactum/devnet/key/\" + index)); anyone can spend them\n";
    nlohmann::json list = nlohmann::json::array();
    for (std::uint32_t i = 0; i < count; ++i) {
      SecretKey key = dev_secret_key(i);
      list.push_back({{"index", i}, {"secret", key.hex()}, {"public", key.public_key().hex()}});
    }
    std::cout << list.dump(2) << "\n";
    return 0;
  }
  throw UsageError("unknown keys subcommand '" + sub + "' (new, show, dev)");
}

}  // namespace pactum::cli
