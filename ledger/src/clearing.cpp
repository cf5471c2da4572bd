// Clearings (settlement.hpp): the JSON of a block's "clearing" and "solver" members, and
// reading a settlement's clearing back from its receipts.
#include <algorithm>

#include "pactum/intents/field_reader.hpp"
#include "pactum/ledger/settlement.hpp"

namespace pactum {

namespace {

using json = nlohmann::json;
constexpr FieldReader kReader(Errc::invalid_params);

}  // namespace

json PoolReserves::to_json() const {
  return json{{"asset_a", asset_a},
              {"asset_b", asset_b},
              {"reserve_a", amount_to_string(reserve_a)},
              {"reserve_b", amount_to_string(reserve_b)}};
}

Result<PoolReserves> PoolReserves::from_json(const json& j) {
  PACTUM_TRY(kReader.object_with(j, "pool", {"asset_a", "asset_b", "reserve_a", "reserve_b"}));
  PoolReserves p;
  PACTUM_ASSIGN(a, kReader.asset(j, "pool", "asset_a"));
  PACTUM_ASSIGN(b, kReader.asset(j, "pool", "asset_b"));
  if (!(a < b)) return kReader.fail("pool.asset_b", "asset_a must sort before asset_b");
  PACTUM_ASSIGN(ra, kReader.amount(j, "pool", "reserve_a"));
  PACTUM_ASSIGN(rb, kReader.amount(j, "pool", "reserve_b"));
  p.asset_a = std::move(a);
  p.asset_b = std::move(b);
  p.reserve_a = ra;
  p.reserve_b = rb;
  return p;
}

json SolverRecord::to_json() const {
  json candidates_json = json::array();
  for (const SolverCandidate& c : candidates) {
    json e{{"solver", c.solver}, {"status", c.status}};
    if (!c.detail.empty()) e["detail"] = c.detail;
    if (!c.score.empty()) e["score"] = c.score;
    candidates_json.push_back(std::move(e));
  }
  return json{{"winner", winner}, {"candidates", std::move(candidates_json)}};
}

Result<SolverRecord> SolverRecord::from_json(const json& j) {
  PACTUM_TRY(kReader.object_with(j, "solver", {"winner", "candidates"}));
  SolverRecord r;
  PACTUM_ASSIGN(winner, kReader.string(j, "solver", "winner"));
  r.winner = std::move(winner);
  PACTUM_ASSIGN(list, kReader.member(j, "solver", "candidates"));
  if (!list->is_array()) return kReader.fail("solver.candidates", "must be an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& e = (*list)[i];
    const std::string path = index_path("solver.candidates", i);
    PACTUM_TRY(kReader.object_with(e, path, {"solver", "status", "detail", "score"}));
    SolverCandidate c;
    PACTUM_ASSIGN(solver, kReader.string(e, path, "solver"));
    PACTUM_ASSIGN(status, kReader.string(e, path, "status"));
    c.solver = std::move(solver);
    c.status = std::move(status);
    if (e.contains("detail")) {
      PACTUM_ASSIGN(detail, kReader.string(e, path, "detail"));
      c.detail = std::move(detail);
    }
    if (e.contains("score")) {
      PACTUM_ASSIGN(score, kReader.string(e, path, "score"));
      c.score = std::move(score);
    }
    r.candidates.push_back(std::move(c));
  }
  return r;
}

Clearing clearing_of(std::span<const Intent> batch, const std::vector<Receipt>& receipts,
                     const std::vector<Price>& prices, const std::vector<AssetPrice>& asset_prices,
                     std::vector<PoolReserves> pools) {
  Clearing c;
  c.prices = prices;
  c.asset_prices = asset_prices;
  c.pools = std::move(pools);
  const std::size_t n = std::min(batch.size(), receipts.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (receipts[i].status != ReceiptStatus::settled || traded_swap(batch[i]) == nullptr) continue;
    c.fills.push_back(Fill{batch[i].id, receipts[i].sold, receipts[i].bought});
  }
  std::sort(c.fills.begin(), c.fills.end(), [](const Fill& x, const Fill& y) { return x.intent < y.intent; });
  std::sort(c.pools.begin(), c.pools.end(), [](const PoolReserves& x, const PoolReserves& y) {
    return std::tie(x.asset_a, x.asset_b) < std::tie(y.asset_a, y.asset_b);
  });
  return c;
}

}  // namespace pactum
