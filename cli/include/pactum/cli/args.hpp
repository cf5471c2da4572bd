// The `pactum` command line's argument parser and the input helpers its subcommands share
// (also used by the benchmark tools in bench/). Every helper throws UsageError naming the
// option on bad input; main.cpp prints "error: ..." and exits 1.
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
  Args(const std::vector<std::string>& argv, std::set<std::string> valued, std::set<std::string> flags);
  std::optional<std::string> get(const std::string& name) const;    // the last one given
  std::vector<std::string> get_all(const std::string& name) const;  // every one, in order (a repeatable option)
  std::string get_or(const std::string& name, std::string fallback) const;
  bool has(const std::string& name) const;  // a flag, or a valued option given
  const std::vector<std::string>& positional() const { return positional_; }
  bool help() const { return help_; }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_values_;
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
// JSON read by the node's own request parser (a repeated member is refused); throws
// std::runtime_error naming `what`.
nlohmann::json parse_json_text(const std::string& text, const std::string& what);
// The genesis of --genesis FILE, or the embedded devnet one; throws naming the fault.
Genesis genesis_or_throw(const std::optional<std::string>& file);
// --from, --to and --threads of `pactum replay` and `pactum analyze`.
ReplayOptions replay_options(const Args& args);

}  // namespace pactum::cli
