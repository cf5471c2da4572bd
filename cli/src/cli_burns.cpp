// `pactum burns`: replays a data directory (every check of `pactum replay`) and writes its
// settled burns, one row per burn in block order, to a CSV file.
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/ledger/replay.hpp"
#include "pactum/matcher/matcher.hpp"

namespace pactum::cli {

int cmd_burns(const std::vector<std::string>& argv) {
  Args args(argv, {"data-dir", "genesis", "from", "to", "out", "threads"}, {"quiet"});
  if (args.help()) {
    std::cout << "usage: pactum burns --data-dir DIR --out FILE.csv [--from H] [--to H] [--genesis FILE]\n"
                 "                    [--threads N] [--quiet]\n"
                 "Replays the chain (every check of `pactum replay`, so each burn and supply is verified)\n"
                 "and writes its settled burns, per account and block:\n"
                 "  height,account,asset,amount,intent,request,supply_after\n"
                 "supply_after is the asset's supply leaf after that block. The node must be stopped.\n";
    return 0;
  }
  auto dir = args.get("data-dir");
  if (!dir) throw UsageError("burns needs --data-dir DIR");
  auto out_path = args.get("out");
  if (!out_path) throw UsageError("burns needs --out FILE.csv");
  std::ofstream out(*out_path, std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + *out_path);
  out << "height,account,asset,amount,intent,request,supply_after\n";
  ReplayOptions options = replay_options(args);
  Genesis genesis = genesis_or_throw(args.get("genesis"));
  std::uint64_t rows = 0;
  options.visit = [&](const ReplayedBlock& rb) -> Result<void> {
    const Block& b = rb.block;
    for (std::size_t i = 0; i < b.intents.size() && i < b.receipts.size(); ++i) {
      const Burn* burn = b.intents[i].burn();
      if (!burn || b.receipts[i].status != ReceiptStatus::settled) continue;
      const auto& supplies = rb.settlement.delta.supplies;
      const auto s = supplies.find(burn->asset);
      out << b.header.height << ',' << b.intents[i].signer.hex() << ',' << burn->asset << ','
          << amount_to_string(burn->amount) << ',' << b.intents[i].id.hex() << ',' << burn->request.hex() << ','
          << (s == supplies.end() ? std::string() : amount_to_string(s->second)) << '\n';
      ++rows;
    }
    return {};
  };
  auto stats = replay_by_the_rules(*dir, std::move(genesis), options);
  if (!stats) {
    std::cerr << "error: burns: replay failed: " << stats.error().message << "\n";
    return 1;
  }
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + *out_path);
  std::cout << "burns: " << rows << "\nwrote: " << *out_path << "\n";
  return 0;
}

}  // namespace pactum::cli
