// CSV and JSON reports, and the files of write_reports (analysis.hpp).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report_format.hpp"
#include "report_html.hpp"

namespace pactum::analysis {

namespace {

std::string side_name(SwapSide s) { return s == SwapSide::sell ? "sell" : "buy"; }
std::string opt_bps(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : ""; }

std::string intents_csv(const Study& s) {
  std::ostringstream o;
  o << "height,index,id,signer,sell_asset,buy_asset,side,partial,sell_amount,buy_amount";
  for (Rule r : kRules) {
    const std::string n(rule_name(r));
    o << "," << n << "_filled," << n << "_sold," << n << "_bought," << n << "_surplus," << n << "_impact_bps";
  }
  o << ",sandwiched,victim_loss\n";
  for (const SwapRow& w : s.swaps) {
    o << w.height << "," << w.index << "," << w.id.hex() << "," << w.signer.hex() << "," << w.swap.sell_asset << ","
      << w.swap.buy_asset << "," << side_name(w.swap.side) << "," << (w.swap.partial ? 1 : 0) << ","
      << amount_to_string(w.swap.sell_amount) << "," << amount_to_string(w.swap.buy_amount);
    for (const Fill& f : w.by_rule) {
      o << "," << (f.filled ? 1 : 0) << "," << amount_to_string(f.sold) << "," << amount_to_string(f.bought) << ","
        << money(s, f.surplus) << "," << opt_bps(f.impact_bps);
    }
    o << "," << (w.sandwiched ? 1 : 0) << "," << money(s, w.victim_loss) << "\n";
  }
  return o.str();
}

std::string blocks_csv(const Study& s) {
  std::ostringstream o;
  o << "height,swaps";
  for (Rule r : kRules) o << "," << rule_name(r) << "_filled," << rule_name(r) << "_surplus";
  o << ",sandwich_value,backrun_value,extracted_value,fcfs_worse_off_share,adversarial_worse_off_share\n";
  for (const BlockRow& b : s.blocks) {
    o << b.height << "," << b.swaps;
    for (std::size_t r = 0; r < 3; ++r) o << "," << b.filled[r] << "," << money(s, b.surplus[r]);
    o << "," << money(s, b.sandwich_value) << "," << money(s, b.backrun_value) << ","
      << money(s, b.sandwich_value + b.backrun_value) << "," << share(b.worse_off[1], b.swaps) << ","
      << share(b.worse_off[2], b.swaps) << "\n";
  }
  return o.str();
}

std::string pools_csv(const Study& s) {
  std::ostringstream o;
  o << "height,pool,reference_price";
  for (Rule r : kRules) o << "," << rule_name(r) << "_spot_after," << rule_name(r) << "_lvr";
  o << "\n";
  for (const PoolRow& p : s.pools) {
    o << p.height << "," << pool_name(p.pool) << "," << display_price(s, p.pool, p.reference);
    for (std::size_t r = 0; r < 3; ++r)
      o << "," << display_price(s, p.pool, p.spot_after[r]) << "," << money(s, p.lvr[r]);
    o << "\n";
  }
  return o.str();
}

std::string sandwiches_csv(const Study& s) {
  std::ostringstream o;
  o << "height,victim,pool,asset_in,front_in,front_out,back_out,profit\n";
  for (const SandwichRow& w : s.sandwiches) {
    o << w.height << "," << w.victim.hex() << "," << pool_name(w.pool) << "," << w.asset_in << ","
      << amount_to_string(w.front_in) << "," << amount_to_string(w.front_out) << "," << amount_to_string(w.back_out)
      << "," << money(s, w.profit) << "\n";
  }
  return o.str();
}

nlohmann::json summary_json(const Study& s) {
  const Totals t = totals(s);
  nlohmann::json j;
  j["chain_id"] = s.chain_id;
  j["numeraire"] = s.numeraire;
  j["from"] = s.from;
  j["to"] = s.to;
  j["blocks"] = s.blocks.size();
  j["swaps"] = t.swaps;
  j["sandwiches"] = s.sandwiches.size();
  for (Rule r : kRules) {
    const std::size_t i = static_cast<std::size_t>(r);
    nlohmann::json x;
    x["filled"] = t.filled[i];
    x["surplus"] = money(s, t.surplus[i]);
    x["lvr"] = money(s, t.lvr[i]);
    x["worse_off_than_batch"] = t.worse_off[i];
    x["better_off_than_batch"] = t.better_off[i];
    x["worse_off_share"] = share(t.worse_off[i], t.swaps);
    j["rules"][std::string(rule_name(r))] = x;
  }
  j["extracted"]["sandwich"] = money(s, t.sandwich_value);
  j["extracted"]["backrun"] = money(s, t.backrun_value);
  j["extracted"]["total"] = money(s, t.sandwich_value + t.backrun_value);
  return j;
}

std::string report_json(const Study& s) {
  nlohmann::json j;
  j["summary"] = summary_json(s);
  j["definitions"] =
      "docs/MECHANISMS.md section 10; values in " + s.numeraire + " display units at the pre-block pool spot prices";
  for (const BlockRow& b : s.blocks) {
    nlohmann::json x;
    x["height"] = b.height;
    x["swaps"] = b.swaps;
    for (Rule r : kRules) {
      const std::size_t i = static_cast<std::size_t>(r);
      x["filled"][std::string(rule_name(r))] = b.filled[i];
      x["surplus"][std::string(rule_name(r))] = money(s, b.surplus[i]);
      x["worse_off_than_batch"][std::string(rule_name(r))] = b.worse_off[i];
    }
    x["extracted"] = {{"sandwich", money(s, b.sandwich_value)}, {"backrun", money(s, b.backrun_value)}};
    j["blocks"].push_back(x);
  }
  for (const SwapRow& w : s.swaps) {
    nlohmann::json x;
    x["height"] = w.height;
    x["index"] = w.index;
    x["id"] = w.id.hex();
    x["signer"] = w.signer.hex();
    x["pair"] = w.swap.sell_asset + "->" + w.swap.buy_asset;
    x["side"] = side_name(w.swap.side);
    x["sell_amount"] = amount_to_string(w.swap.sell_amount);
    x["buy_amount"] = amount_to_string(w.swap.buy_amount);
    for (Rule r : kRules) {
      const Fill& f = w.by_rule[static_cast<std::size_t>(r)];
      nlohmann::json y = {{"filled", f.filled},
                          {"sold", amount_to_string(f.sold)},
                          {"bought", amount_to_string(f.bought)},
                          {"surplus", money(s, f.surplus)}};
      if (f.impact_bps) y["impact_bps"] = *f.impact_bps;
      x["rules"][std::string(rule_name(r))] = y;
    }
    x["sandwiched"] = w.sandwiched;
    x["victim_loss"] = money(s, w.victim_loss);
    j["swaps"].push_back(x);
  }
  if (s.blocks.empty()) j["blocks"] = nlohmann::json::array();
  if (s.swaps.empty()) j["swaps"] = nlohmann::json::array();
  return j.dump(1) + "\n";
}

Result<void> write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) return make_error(Errc::storage, "cannot write " + p.string());
  return {};
}

}  // namespace

Result<std::vector<std::string>> write_reports(const Study& study, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::storage, "cannot create " + dir + ": " + ec.message());
  const std::vector<std::pair<std::string, std::string>> files{
      {"intents.csv", intents_csv(study)}, {"blocks.csv", blocks_csv(study)},
      {"pools.csv", pools_csv(study)},     {"sandwiches.csv", sandwiches_csv(study)},
      {"report.json", report_json(study)}, {"report.html", report_html(study)}};
  std::vector<std::string> names;
  for (const auto& [name, text] : files) {
    PACTUM_TRY(write_file(std::filesystem::path(dir) / name, text));
    names.push_back(name);
  }
  return names;
}

}  // namespace pactum::analysis
