// The `pactum` command line: one function per subcommand, dispatched by main.cpp.
// Each takes the arguments after its name and returns the process exit code. They throw
// on bad usage or failure (UsageError, client::TransportError, client::RpcError,
// std::runtime_error); main.cpp prints "error: ..." and exits 1.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pactum/intents/crypto.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/replay.hpp"

namespace pactum::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A tiny argument parser: "--name value", "--name=value", boolean "--flag", positionals.
// "-" is a positional (stdin). "--" ends options. Unknown options are a UsageError.
class Args {
 public:
  Args(const std::vector<std::string>& argv, std::set<std::string> valued,
       std::set<std::string> flags);
  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, std::string fallback) const;
  bool has(const std::string& name) const;  // a flag, or a valued option given
  const std::vector<std::string>& positional() const { return positional_; }
  bool help() const { return help_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

// Parsing helpers that throw UsageError naming the option.
std::uint64_t parse_u64(const std::string& text, const std::string& what);
SecretKey parse_secret(const std::string& hex);
// An account: 64 hex digits, or "dev:N" for dev account N.
PublicKey parse_account(const std::string& text);
// Replaces every string "dev:N" anywhere in `j` by dev account N's 64-hex key (for JSON
// written by hand: asset symbols and amounts can never look like that).
void resolve_dev_accounts(nlohmann::json& j);
// Reads a whole file, or stdin for "-".
std::string read_input(const std::string& path);
nlohmann::json parse_json_text(const std::string& text, const std::string& what);
// The genesis of --genesis FILE, or the embedded devnet one; throws naming the fault.
Genesis genesis_or_throw(const std::optional<std::string>& file);
// --from, --to and --threads of `pactum replay` and `pactum analyze`.
ReplayOptions replay_options(const Args& args);

int cmd_node(const std::vector<std::string>& args);
int cmd_keys(const std::vector<std::string>& args);
int cmd_sign(const std::vector<std::string>& args);
int cmd_submit(const std::vector<std::string>& args);
int cmd_status(const std::vector<std::string>& args);
int cmd_balance(const std::vector<std::string>& args);
int cmd_block(const std::vector<std::string>& args);
int cmd_rpc(const std::vector<std::string>& args);
int cmd_replay(const std::vector<std::string>& args);
int cmd_analyze(const std::vector<std::string>& args);
int cmd_quote(const std::vector<std::string>& args);
int cmd_cosign(const std::vector<std::string>& args);
int cmd_simulate(const std::vector<std::string>& args);
int cmd_room(const std::vector<std::string>& args);
int cmd_contract(const std::vector<std::string>& args);
int cmd_scenario(const std::vector<std::string>& args);  // cli_scenario.cpp
int cmd_export(const std::vector<std::string>& args);

// Top-level dispatch (argv[0] excluded); used by main.cpp.
int run(const std::vector<std::string>& args);

}  // namespace pactum::cli
