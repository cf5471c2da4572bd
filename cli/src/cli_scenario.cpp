// `pactum scenario` (a reproducible workload into a fresh data directory) and
// `pactum export` (every block's stored JSON, one per line, with its SHA256).
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/studies/scenario.hpp"

namespace pactum::cli {

namespace {

constexpr std::string_view kScenarioHelp =
    "usage: pactum scenario --seed S --out DIR [--blocks N] [--agents M] [--genesis FILE]\n"
    "                       [--block-interval MS] [--quiet]\n"
    "Fills a fresh chain data directory with a workload generated from the seed, settled by\n"
    "the real matcher and written by the real chain code (RocksDB), in process: block 1 funds\n"
    "M agents from the dev accounts, every later block carries swaps around a reference price\n"
    "that follows a seeded random walk, arbitrage, transfers, cancels, conditional commitments,\n"
    "flash-loan and OTC bundles, and sealed negotiation rooms (docs/MECHANISMS.md, \"Reproducible\n"
    "studies\"). The same seed and options give the same chain byte for byte: compare the\n"
    "summary's export_sha256 (or `pactum export`). Open the result with `pactum node --data-dir\n"
    "DIR`, check it with `pactum replay --data-dir DIR` (both with the same --genesis, if given).\n"
    "  --seed S              the seed (0 .. 2^64-1), required\n"
    "  --out DIR             the data directory to create; refused if it exists and is not empty\n"
    "  --blocks N            blocks after genesis (default 100)\n"
    "  --agents M            agents, 8 .. 4000 (default 48)\n"
    "  --genesis FILE        genesis JSON (default: the embedded devnet); its producer must be\n"
    "                        the devnet producer and it needs dev accounts (they fund the agents)\n"
    "  --block-interval MS   block h has timestamp genesis + h * MS (default 2000)\n"
    "  --quiet               no progress lines on stderr\n";

constexpr std::string_view kExportHelp =
    "usage: pactum export --data-dir DIR [--out FILE]\n"
    "Writes every block of a stopped node's data directory as the store holds its JSON (header,\n"
    "intents, prices, receipts), block 0 first, one per line, to FILE (default: stdout). Prints\n"
    "the number of blocks and the SHA256 of everything written to stderr: two directories hold\n"
    "the same chain iff these digests are equal (RocksDB's own files never are byte-identical).\n";

class StreamSink : public scenario::BlockSink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  void line(const std::string& block_json) override { out_ << block_json << '\n'; }

 private:
  std::ostream& out_;
};

}  // namespace

int cmd_scenario(const std::vector<std::string>& argv) {
  Args args(argv, {"seed", "out", "blocks", "agents", "genesis", "block-interval"}, {"quiet"});
  if (args.help()) {
    std::cout << kScenarioHelp;
    return 0;
  }
  if (!args.positional().empty()) throw UsageError("scenario takes no argument '" + args.positional()[0] + "'");
  scenario::Options opts;
  auto seed = args.get("seed");
  if (!seed) throw UsageError("scenario needs --seed S");
  opts.seed = parse_u64(*seed, "--seed");
  auto out = args.get("out");
  if (!out) throw UsageError("scenario needs --out DIR");
  opts.out = *out;
  if (auto v = args.get("blocks")) opts.blocks = parse_u64(*v, "--blocks");
  if (auto v = args.get("agents")) {
    const auto agents = parse_u64(*v, "--agents");
    if (agents < 8 || agents > 4000) throw UsageError("--agents: 8 to 4000");
    opts.agents = static_cast<std::uint32_t>(agents);
  }
  if (opts.blocks == 0) throw UsageError("--blocks: at least 1");
  if (auto v = args.get("genesis")) opts.genesis_file = *v;
  if (auto v = args.get("block-interval")) opts.block_interval_ms = parse_u64(*v, "--block-interval");
  opts.quiet = args.has("quiet");

  const auto start = std::chrono::steady_clock::now();
  auto summary = scenario::run(opts, std::cerr);
  if (!summary) {
    std::cerr << "error: scenario: " << summary.error().message << "\n";
    return 1;
  }
  scenario::print_summary(opts, *summary, std::cout);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "seconds: " << std::fixed << std::setprecision(3) << seconds << "\n";
  return 0;
}

int cmd_export(const std::vector<std::string>& argv) {
  Args args(argv, {"data-dir", "out"}, {});
  if (args.help()) {
    std::cout << kExportHelp;
    return 0;
  }
  auto dir = args.get("data-dir");
  if (!dir) throw UsageError("export needs --data-dir DIR");
  const std::string out = args.get_or("out", "-");
  std::ofstream file;
  if (out != "-") {
    file.open(out, std::ios::binary | std::ios::trunc);
    if (!file) throw std::runtime_error("cannot write " + out);
  }
  StreamSink sink(out == "-" ? std::cout : file);
  auto stats = scenario::export_blocks(*dir, &sink);
  if (!stats) {
    std::cerr << "error: export: " << stats.error().message << "\n";
    return 1;
  }
  if (file.is_open()) {
    file.close();
    if (!file) throw std::runtime_error("writing " + out + " failed");
  }
  std::cerr << "blocks: " << stats->blocks << "\n"
            << "sha256: " << stats->sha256.hex() << "\n";
  return 0;
}

}  // namespace pactum::cli
