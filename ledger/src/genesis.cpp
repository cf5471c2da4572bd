// Genesis file parsing (schema: genesis/README.md), its state and block 0.
#include "pactum/ledger/genesis.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>

#include "pactum/intents/field_reader.hpp"

namespace pactum {

namespace {

using json = nlohmann::json;
constexpr FieldReader kReader(Errc::genesis_invalid);

constexpr std::uint64_t kMaxDecimals = 36;
constexpr std::uint64_t kMaxDevAccounts = 10000;
constexpr std::uint64_t kMaxFeeBps = 9999;

bool valid_chain_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// Per-asset running totals, to refuse a genesis whose supply does not fit in 256 bits.
class SupplyCheck {
 public:
  Result<void> add(const std::string& asset, const BigInt& amount, const std::string& field) {
    BigInt& total = totals_[asset];
    total += amount;
    if (total > BigInt(std::numeric_limits<Amount>::max())) {
      return kReader.fail(field, "total supply of " + asset + " would exceed 2^256-1");
    }
    return {};
  }
  // The totals (each fits in an Amount: add refused any that would not).
  std::map<std::string, Amount> totals() const {
    std::map<std::string, Amount> out;
    for (const auto& [asset, total] : totals_) out[asset] = total.convert_to<Amount>();
    return out;
  }

 private:
  std::map<std::string, BigInt> totals_;
};

class GenesisParser {
 public:
  Result<Genesis> parse(const json& j) {
    PACTUM_TRY(kReader.object_with(j, "",
                                   {"chain_id", "timestamp", "producer", "assets", "pools", "lending_pools", "rooms",
                                    "dev_accounts", "accounts"}));
    PACTUM_TRY(parse_header(j));
    if (!assets_result_) assets_result_ = parse_assets(j);
    PACTUM_TRY(*assets_result_);
    if (j.contains("pools")) PACTUM_TRY(parse_pools(j.at("pools")));
    if (j.contains("lending_pools")) PACTUM_TRY(parse_lending_pools(j.at("lending_pools")));
    if (j.contains("rooms")) PACTUM_TRY(parse_rooms(j.at("rooms")));
    if (j.contains("dev_accounts")) PACTUM_TRY(parse_dev_accounts(j.at("dev_accounts")));
    if (streamed_error_) return *streamed_error_;
    if (j.contains("accounts")) PACTUM_TRY(parse_accounts(j.at("accounts")));
    PACTUM_TRY(check_no_duplicate_accounts());
    g_.supply = supply_.totals();
    for (const AssetInfo& a : g_.assets) g_.supply.try_emplace(a.symbol, Amount(0));
    return std::move(g_);
  }

  // Streaming (parse_genesis_text): the assets array as soon as it is complete, so that
  // the accounts after it can be taken one by one instead of kept in the document.
  void take_assets(const json& assets) { assets_result_ = parse_asset_list(assets); }
  bool takes_accounts() const { return assets_result_ && assets_result_->ok(); }
  // Element `index` of "accounts"; the first error is kept for parse() to report.
  void take_account(const json& a, std::size_t index) {
    if (streamed_error_) return;
    if (auto r = parse_account(a, index); !r) streamed_error_ = r.error();
  }

 private:
  Result<void> parse_header(const json& j) {
    PACTUM_ASSIGN(chain, kReader.string(j, "", "chain_id"));
    if (!valid_chain_id(chain)) return kReader.fail("chain_id", "must be 1 to 64 characters of a-z, 0-9 and -");
    g_.chain_id = chain;
    if (j.contains("timestamp")) {
      PACTUM_ASSIGN(ts, kReader.uint(j, "", "timestamp", kMaxSafeInteger));
      g_.timestamp = ts;
    }
    g_.producer = dev_producer_key().public_key();
    if (j.contains("producer")) {
      PACTUM_ASSIGN(p, kReader.string(j, "", "producer"));
      if (p != "dev") {
        auto key = PublicKey::from_hex(p, "producer");
        if (!key) return kReader.fail("producer", "must be \"dev\" or a 64-hex-digit BIP-340 public key");
        g_.producer = *key;
      }
    }
    return {};
  }

  Result<void> parse_assets(const json& j) {
    PACTUM_ASSIGN(assets, kReader.member(j, "", "assets"));
    return parse_asset_list(*assets);
  }

  Result<void> parse_asset_list(const json& assets) {
    if (!assets.is_array() || assets.empty()) return kReader.fail("assets", "must be a non-empty array");
    for (std::size_t i = 0; i < assets.size(); ++i) {
      const std::string path = index_path("assets", i);
      const json& a = assets[i];
      PACTUM_TRY(kReader.object_with(a, path, {"symbol", "decimals", "burnable"}));
      PACTUM_ASSIGN(symbol, kReader.string(a, path, "symbol"));
      if (!is_base_asset_symbol(symbol)) {
        return kReader.fail(path + ".symbol", "must be 1 to 16 characters of A-Z and 0-9");
      }
      if (!symbols_.insert(symbol).second) return kReader.fail(path + ".symbol", "duplicate asset " + symbol);
      PACTUM_ASSIGN(decimals, kReader.uint(a, path, "decimals", kMaxDecimals));
      bool burnable = false;
      if (a.contains("burnable")) {
        PACTUM_ASSIGN(flag, kReader.boolean(a, path, "burnable"));
        burnable = flag;
      }
      g_.assets.push_back(AssetInfo{symbol, static_cast<std::uint32_t>(decimals), burnable});
    }
    return {};
  }

  Result<std::string> known_asset(const json& v, const std::string& field) {
    if (!v.is_string()) return kReader.fail(field, "must be an asset symbol (string)");
    const std::string s = v.get<std::string>();
    if (symbols_.count(s) == 0) return kReader.fail(field, "unknown asset " + s + " (not listed in assets)");
    return s;
  }

  Result<void> parse_pools(const json& pools) {
    if (!pools.is_array()) return kReader.fail("pools", "must be an array");
    std::set<PoolId> seen;
    for (std::size_t i = 0; i < pools.size(); ++i) {
      const std::string path = index_path("pools", i);
      const json& p = pools[i];
      PACTUM_TRY(kReader.object_with(p, path, {"assets", "reserves", "fee_bps"}));
      PACTUM_ASSIGN(assets, kReader.member(p, path, "assets"));
      if (!(assets)->is_array() || (assets)->size() != 2)
        return kReader.fail(path + ".assets", "must be an array of two asset symbols");
      PACTUM_ASSIGN(x, known_asset((*assets)[0], path + ".assets[0]"));
      PACTUM_ASSIGN(y, known_asset((*assets)[1], path + ".assets[1]"));
      if (x == y) return kReader.fail(path + ".assets", "must name two different assets");
      const PoolId id = make_pool_id(x, y);
      if (!seen.insert(id).second)
        return kReader.fail(path + ".assets", "duplicate pool " + id.first + "/" + id.second);
      PACTUM_ASSIGN(reserves, kReader.member(p, path, "reserves"));
      if (!(reserves)->is_array() || (reserves)->size() != 2)
        return kReader.fail(path + ".reserves", "must be an array of two amounts");
      Amount r[2];
      for (int k = 0; k < 2; ++k) {
        const std::string field = path + ".reserves[" + std::to_string(k) + "]";
        PACTUM_ASSIGN(a, kReader.amount_value((*reserves)[k], field));
        if (a == 0) return kReader.fail(field, "must be positive (a pool needs both reserves)");
        r[k] = a;
      }
      PACTUM_TRY(supply_.add(x, BigInt(r[0]), path + ".reserves[0]"));
      PACTUM_TRY(supply_.add(y, BigInt(r[1]), path + ".reserves[1]"));
      PACTUM_ASSIGN(fee, kReader.member(p, path, "fee_bps"));
      auto fee_bps = kReader.uint_value(*fee, path + ".fee_bps", std::numeric_limits<std::uint64_t>::max());
      if (!fee_bps) return fee_bps.error();
      if (*fee_bps > kMaxFeeBps) return kReader.fail(path + ".fee_bps", "must be below 10000");
      Pool pool;
      pool.asset_a = id.first;
      pool.asset_b = id.second;
      const bool in_order = x == id.first;
      pool.reserve_a = in_order ? r[0] : r[1];
      pool.reserve_b = in_order ? r[1] : r[0];
      pool.fee_bps = static_cast<std::uint32_t>(*fee_bps);
      g_.pools.push_back(std::move(pool));
    }
    return {};
  }

  Result<void> parse_rooms(const json& r) {
    PACTUM_TRY(kReader.object_with(r, "rooms", {"fee_asset", "fee", "max_per_pair", "period"}));
    if (r.contains("fee_asset") != r.contains("fee"))
      return kReader.fail("rooms", "give both fee_asset and fee, or neither");
    if (r.contains("fee_asset")) {
      PACTUM_ASSIGN(asset, known_asset(r.at("fee_asset"), "rooms.fee_asset"));
      g_.rooms.fee_asset = asset;
      auto fee = kReader.amount_value(r.at("fee"), "rooms.fee");
      if (!fee) return fee.error();
      g_.rooms.fee = *fee;
    }
    if (r.contains("max_per_pair")) {
      PACTUM_ASSIGN(m, kReader.uint_value(r.at("max_per_pair"), "rooms.max_per_pair", 1000000));
      if (m < 1) return kReader.fail("rooms.max_per_pair", "must be at least 1");
      g_.rooms.max_per_pair = static_cast<std::uint32_t>(m);
    }
    if (r.contains("period")) {
      PACTUM_ASSIGN(per, kReader.uint_value(r.at("period"), "rooms.period", kMaxSafeInteger));
      if (per < 1) return kReader.fail("rooms.period", "must be at least 1");
      g_.rooms.period = per;
    }
    return {};
  }

  Result<void> parse_lending_pools(const json& pools) {
    if (!pools.is_array()) return kReader.fail("lending_pools", "must be an array");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < pools.size(); ++i) {
      const std::string path = index_path("lending_pools", i);
      const json& p = pools[i];
      PACTUM_TRY(kReader.object_with(p, path, {"asset", "reserve", "fee_bps"}));
      PACTUM_ASSIGN(asset, known_asset(p.contains("asset") ? p.at("asset") : json(), path + ".asset"));
      if (!seen.insert(asset).second) return kReader.fail(path + ".asset", "duplicate lending pool for " + asset);
      PACTUM_ASSIGN(reserve, kReader.member(p, path, "reserve"));
      PACTUM_ASSIGN(amount, kReader.amount_value(*reserve, path + ".reserve"));
      PACTUM_TRY(supply_.add(asset, BigInt(amount), path + ".reserve"));
      PACTUM_ASSIGN(fee, kReader.member(p, path, "fee_bps"));
      PACTUM_ASSIGN(fee_bps, kReader.uint_value(*fee, path + ".fee_bps", std::numeric_limits<std::uint64_t>::max()));
      if (fee_bps > kMaxFeeBps) return kReader.fail(path + ".fee_bps", "must be below 10000");
      g_.lending_pools.push_back(LendingPool{asset, amount, static_cast<std::uint32_t>(fee_bps)});
    }
    return {};
  }

  Result<std::map<std::string, Amount>> parse_balances(const json& b, const std::string& path, std::uint64_t copies) {
    if (!b.is_object()) return kReader.fail(path, "must be an object of asset -> amount");
    std::map<std::string, Amount> out;
    for (auto it = b.begin(); it != b.end(); ++it) {
      const std::string field = path + "." + it.key();
      if (symbols_.count(it.key()) == 0)
        return kReader.fail(field, "unknown asset " + it.key() + " (not listed in assets)");
      PACTUM_ASSIGN(a, kReader.amount_value(it.value(), field));
      PACTUM_TRY(supply_.add(it.key(), BigInt(a) * copies, field));
      out[it.key()] = a;
    }
    return out;
  }

  Result<void> parse_dev_accounts(const json& d) {
    PACTUM_TRY(kReader.object_with(d, "dev_accounts", {"count", "balances"}));
    PACTUM_ASSIGN(count, kReader.uint(d, "dev_accounts", "count", kMaxDevAccounts));
    std::map<std::string, Amount> balances;
    if (d.contains("balances")) {
      PACTUM_ASSIGN(b, parse_balances(d.at("balances"), "dev_accounts.balances", count));
      balances = std::move(b);
    }
    g_.dev_account_count = static_cast<std::uint32_t>(count);
    std::vector<GenesisAccount> dev;
    dev.reserve(g_.dev_account_count);
    for (std::uint32_t i = 0; i < g_.dev_account_count; ++i) {
      dev.push_back(GenesisAccount{dev_secret_key(i).public_key(), balances});
      named_.push_back({dev.back().account, i});
    }
    // Dev accounts come first in Genesis::accounts, even if "accounts" came first in the file.
    g_.accounts.insert(g_.accounts.begin(), std::make_move_iterator(dev.begin()), std::make_move_iterator(dev.end()));
    return {};
  }

  Result<void> parse_accounts(const json& accounts) {
    if (!accounts.is_array()) return kReader.fail("accounts", "must be an array");
    for (std::size_t i = 0; i < accounts.size(); ++i) PACTUM_TRY(parse_account(accounts[i], i));
    return {};
  }

  Result<void> parse_account(const json& a, std::size_t i) {
    const std::string path = index_path("accounts", i);
    PACTUM_TRY(kReader.object_with(a, path, {"account", "balances"}));
    PACTUM_ASSIGN(hex, kReader.string(a, path, "account"));
    auto key = PublicKey::from_hex(hex, path + ".account");
    if (!key) return kReader.fail(path + ".account", "must be a 64-hex-digit BIP-340 public key");
    GenesisAccount acct{*key, {}};
    if (a.contains("balances")) {
      PACTUM_ASSIGN(b, parse_balances(a.at("balances"), path + ".balances", 1));
      acct.balances = std::move(b);
    }
    named_.push_back({*key, kListed | i});
    g_.accounts.push_back(std::move(acct));
    return {};
  }

  // Every account named twice is refused, at its second naming. Checked once at the end
  // over a sorted list (40 bytes an account) rather than with a map kept while parsing,
  // which costs a node and a path string for each of a million accounts.
  Result<void> check_no_duplicate_accounts() {
    std::sort(named_.begin(), named_.end());
    std::optional<std::pair<std::uint64_t, std::uint64_t>> first;  // (second naming, first naming)
    for (std::size_t k = 1; k < named_.size(); ++k) {
      if (!(named_[k].first == named_[k - 1].first)) continue;
      if (!first || named_[k].second < first->first) first = {{named_[k].second, named_[k - 1].second}};
    }
    if (!first) return {};
    return kReader.fail(naming(first->first) + ".account", "duplicate account (same as " + naming(first->second) + ")");
  }

  // Where an account was named: dev accounts first, then "accounts" in file order.
  static constexpr std::uint64_t kListed = std::uint64_t{1} << 32;
  static std::string naming(std::uint64_t origin) {
    if (origin & kListed) return index_path("accounts", origin & (kListed - 1));
    return "dev account " + std::to_string(origin);
  }

  Genesis g_;
  std::set<std::string> symbols_;
  std::vector<std::pair<PublicKey, std::uint64_t>> named_;  // account, where it was named
  std::optional<Result<void>> assets_result_;               // set once the assets were read
  std::optional<Error> streamed_error_;                     // first error among streamed accounts
  SupplyCheck supply_;
};

// nlohmann's parser callback, turned into a filter: each element of the top-level
// "accounts" array goes to the parser as soon as it is complete and is then dropped from
// the document. A million-account genesis thus never exists as a JSON tree (about 500
// bytes an account). Only when "assets" came earlier in the file, since balances name
// assets; otherwise the accounts stay in the document and parse() reads them there.
struct DuplicateMember : std::runtime_error {
  explicit DuplicateMember(const std::string& name) : std::runtime_error(name) {}
};

class AccountStream {
 public:
  explicit AccountStream(GenesisParser& parser) : parser_(parser) {}

  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    using E = json::parse_event_t;
    // nlohmann keeps the last of two members with the same name; a genesis that names one
    // twice is refused instead (docs/PROTOCOL.md, "Genesis").
    if (event == E::object_start) open_.emplace_back();
    if (event == E::object_end && !open_.empty()) open_.pop_back();
    if (event == E::key && !open_.empty() && !open_.back().insert(parsed.get<std::string>()).second)
      throw DuplicateMember(parsed.get<std::string>());
    if (depth == 1) {
      if (event == E::key) top_key_ = parsed.get<std::string>();
      if (event == E::array_start) streaming_ = top_key_ == "accounts" && parser_.takes_accounts();
      if (event == E::array_end) {
        if (top_key_ == "assets") parser_.take_assets(parsed);
        streaming_ = false;
      }
      return true;
    }
    const bool element_done = event == E::object_end || event == E::array_end || event == E::value;
    if (depth == 2 && streaming_ && element_done) {
      parser_.take_account(parsed, next_++);
      return false;
    }
    return true;
  }

 private:
  GenesisParser& parser_;
  std::string top_key_;
  bool streaming_ = false;
  std::size_t next_ = 0;
  std::vector<std::set<std::string>> open_;  // member names of each open object
};

}  // namespace

Result<Genesis> parse_genesis(const json& j) { return GenesisParser().parse(j); }

Result<Genesis> parse_genesis_text(const std::string& text) {
  GenesisParser parser;
  json j;
  try {
    j = json::parse(text, AccountStream(parser));
  } catch (const DuplicateMember& e) {
    return make_error(Errc::genesis_invalid,
                      std::string("genesis names member \"") + e.what() + "\" twice in one object");
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based position where parsing stopped.
    return make_error(Errc::genesis_invalid,
                      "genesis is not valid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const json::exception& e) {
    // A number too large for a double (1e4008) is out_of_range, not a parse_error
    // (found by fuzz_genesis).
    return make_error(Errc::genesis_invalid, std::string("genesis is not valid JSON: ") + e.what());
  }
  return parser.parse(j);
}

StateDelta genesis_delta(const Genesis& g) {
  StateDelta d;
  for (const auto& a : g.assets) {
    d.assets[a.symbol] = a;
    if (!a.burnable) continue;
    auto it = g.supply.find(a.symbol);
    d.supplies[a.symbol] = it == g.supply.end() ? Amount(0) : it->second;
  }
  for (const auto& p : g.pools) d.pools[{p.asset_a, p.asset_b}] = p;
  for (const auto& p : g.lending_pools) d.lending[p.asset] = p;
  for (const auto& acct : g.accounts) {
    for (const auto& [asset, amount] : acct.balances) d.balances[BalanceKey{acct.account, asset}] = amount;
  }
  return d;
}

Block genesis_block(const Genesis& g, const Hash32& state_root) {
  Block b;
  b.header.height = 0;
  b.header.timestamp = g.timestamp;
  b.header.state_root = state_root;
  b.header.intents_root = intents_root({});
  b.header.receipts_root = receipts_root(std::vector<Receipt>{});
  b.header.producer = g.producer;
  return b;
}

}  // namespace pactum
