// `pactum analyze`: replays a data directory (every check of `pactum replay`) and re-runs
// each block's swaps under the fcfs and adversarial rules (analysis/), then writes the
// reports.
#include <iostream>

#include "commands.hpp"
#include "pactum/analysis/analysis.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/ledger/replay.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum::cli {

int cmd_analyze(const std::vector<std::string>& argv) {
  Args args(argv, {"data-dir", "genesis", "from", "to", "out", "numeraire", "threads"}, {"quiet"});
  if (args.help()) {
    std::cout << "usage: pactum analyze --data-dir DIR --out DIR [--from H] [--to H] [--genesis FILE]\n"
                 "                      [--numeraire SYMBOL] [--threads N] [--quiet]\n"
                 "Replays the chain (every check of `pactum replay`) and re-runs each block's swaps on\n"
                 "its pre-block state under three sequencing rules: batch (what pactum settled), fcfs\n"
                 "(arrival order, each swap alone against the pools) and adversarial (fcfs plus a\n"
                 "searcher who sandwiches and back-runs where it pays). Writes intents.csv,\n"
                 "blocks.csv, pools.csv, sandwiches.csv, report.json and report.html to --out.\n"
                 "Formulas: docs/MECHANISMS.md section 10. The node must be stopped.\n"
                 "  --numeraire SYMBOL  the asset values are reported in (default USDC, else the first)\n";
    return 0;
  }
  auto dir = args.get("data-dir");
  if (!dir) throw UsageError("analyze needs --data-dir DIR");
  auto out = args.get("out");
  if (!out) throw UsageError("analyze needs --out DIR");
  ReplayOptions options = replay_options(args);
  Genesis genesis = genesis_or_throw(args.get("genesis"));
  const std::string numeraire = args.get("numeraire").value_or("USDC");
  analysis::Study study = analysis::new_study(genesis.chain_id, genesis.assets, numeraire);
  if (args.get("numeraire") && study.numeraire != numeraire) {
    throw UsageError("--numeraire: the chain has no asset '" + numeraire + "'");
  }
  study.from = options.from.value_or(1);

  std::uint64_t last_reported = 0;
  options.progress = [&](std::uint64_t height, std::uint64_t last) {
    study.to = height;
    if (args.has("quiet") || (height - last_reported < 1000 && height != last)) return;
    last_reported = height;
    std::cerr << "analyze: block " << height << " / " << last << ", " << study.swaps.size() << " swaps\n";
  };
  options.visit = [&](const ReplayedBlock& rb) -> Result<void> {
    analysis::analyze_block(rb.pre, rb.block, rb.settlement.delta, study);
    return {};
  };
  auto stats = replay_by_the_rules(*dir, std::move(genesis), options);
  if (!stats) {
    std::cerr << "error: analyze: replay failed: " << stats.error().message << "\n";
    return 1;
  }
  if (study.to < study.from) study.to = study.from - 1;  // an empty range
  auto written = analysis::write_reports(study, *out);
  if (!written) {
    std::cerr << "error: analyze: " << written.error().message << "\n";
    return 1;
  }
  std::cout << "blocks: " << study.blocks.size() << "\nswaps: " << study.swaps.size()
            << "\nsandwiches: " << study.sandwiches.size() << "\n";
  for (const auto& name : *written) std::cout << "wrote: " << *out << "/" << name << "\n";
  return 0;
}

}  // namespace pactum::cli
