// Argument parsing and small input helpers shared by the subcommands.
#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "pactum/cli/args.hpp"
#include "pactum/node/request_json.hpp"

namespace pactum::cli {

Args::Args(const std::vector<std::string>& argv, std::set<std::string> valued, std::set<std::string> flags) {
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a == "-" || !a.starts_with("-")) {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      help_ = true;
      continue;
    }
    if (!a.starts_with("--")) throw UsageError("unknown option '" + a + "' (options start with --)");
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (valued.count(name)) {
      if (inline_value) {
        values_[name] = *inline_value;
        all_values_[name].push_back(*inline_value);
      } else if (i + 1 < argv.size()) {
        values_[name] = argv[++i];
        all_values_[name].push_back(values_[name]);
      } else {
        throw UsageError("option --" + name + " needs a value");
      }
    } else if (flags.count(name)) {
      if (inline_value) throw UsageError("option --" + name + " takes no value");
      flags_.insert(name);
    } else {
      throw UsageError("unknown option --" + name + " (see --help)");
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get_or(const std::string& name, std::string fallback) const {
  auto v = get(name);
  return v ? *v : std::move(fallback);
}

std::vector<std::string> Args::get_all(const std::string& name) const {
  auto it = all_values_.find(name);
  return it == all_values_.end() ? std::vector<std::string>{} : it->second;
}

bool Args::has(const std::string& name) const { return flags_.count(name) || values_.count(name); }

std::uint64_t parse_u64(const std::string& text, const std::string& what) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw UsageError(what + ": expected a non-negative integer, got '" + text + "'");
  }
  return v;
}

SecretKey parse_secret(const std::string& hex) {
  auto key = SecretKey::from_hex(hex);
  if (!key) throw UsageError("secret key: " + key.error().message);
  return *key;
}

PublicKey parse_account(const std::string& text) {
  if (text.starts_with("dev:")) {
    auto index = parse_u64(text.substr(4), "dev account index");
    if (index > 0xffffffffu) throw UsageError("dev account index too large");
    return dev_secret_key(static_cast<std::uint32_t>(index)).public_key();
  }
  auto key = PublicKey::from_hex(text, "account");
  if (!key) throw UsageError("account: " + key.error().message);
  return *key;
}

void resolve_dev_accounts(nlohmann::json& j) {
  if (j.is_string()) {
    const auto& text = j.get_ref<const std::string&>();
    if (text.starts_with("dev:")) j = parse_account(text).hex();
  } else if (j.is_array() || j.is_object()) {
    for (auto& v : j) resolve_dev_accounts(v);
  }
}

std::string read_input(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The node's own request parser: what the CLI signs or submits is read exactly as the
// node will read it (a repeated member is refused, not silently the last one).
nlohmann::json parse_json_text(const std::string& text, const std::string& what) {
  auto parsed = parse_request_json(text);
  if (!parsed.ok()) throw std::runtime_error(what + " is not valid JSON: " + parsed.error().message);
  return std::move(parsed).value();
}

}  // namespace pactum::cli
