// `pactum scenario`: the driver. It runs the node's own core (NodeCore) in process, with
// no server and no producer thread: the agents' intents go through NodeCore::submit and
// each block through NodeCore::produce_block, the very path of a running node (mempool
// batch, the producer's room intents, settle, apply, synced write). What differs is only
// what makes it reproducible: the timestamp is genesis + height * interval, room secrets
// come from the seed, and every signature is deterministic (BIP-340 with zero aux).
#include "pactum/studies/scenario.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <set>
#include <tuple>

#include "pactum/ledger/chain.hpp"
#include "pactum/ledger/store.hpp"
#include "pactum/matcher/matcher.hpp"
#include "pactum/node/mempool.hpp"
#include "pactum/node/node.hpp"
#include "pactum/node/node_core.hpp"
#include "pactum/solvers/picker.hpp"
#include "scenario_workload.hpp"

namespace pactum::scenario {

namespace {

constexpr std::size_t kMaxBlockIntents = 20000;
constexpr std::size_t kMaxMempool = 1000000;

class Sha256Stream {
 public:
  Sha256Stream() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256Stream() { EVP_MD_CTX_free(ctx_); }
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(const void* data, std::size_t n) { EVP_DigestUpdate(ctx_, data, n); }
  Hash32 finish() {
    Hash32 h;
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, h.bytes.data(), &len);
    return h;
  }

 private:
  EVP_MD_CTX* ctx_;
};

Result<void> check_out_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (dir.empty()) return make_error(Errc::invalid_params, "--out: give a directory");
  if (!fs::exists(dir, ec)) return {};
  if (!fs::is_directory(dir, ec))
    return make_error(Errc::invalid_params, "--out " + dir + ": exists and is not a directory");
  if (!fs::is_empty(dir, ec))
    return make_error(Errc::invalid_params, "--out " + dir +
                                                ": directory exists and is not empty; a scenario writes a fresh chain "
                                                "(remove it or name a new directory)");
  return {};
}

void tally(const Block& block, Summary& s) {
  std::set<std::tuple<std::string, std::string>> directions;  // (sell, buy) of settled swaps
  for (std::size_t i = 0; i < block.intents.size(); ++i) {
    const Intent& in = block.intents[i];
    const Receipt& r = block.receipts[i];
    KindCounts& k = s.kinds[std::string(in.kind())];
    switch (r.status) {
      case ReceiptStatus::settled:
        ++k.settled;
        break;
      case ReceiptStatus::unfilled:
        ++k.unfilled;
        break;
      case ReceiptStatus::rejected:
        ++k.rejected;
        break;
      case ReceiptStatus::cancelled:
        ++k.cancelled;
        break;
    }
    if (r.status != ReceiptStatus::settled) continue;
    const Swap* sw = in.swap() ? in.swap() : (in.commit() ? in.commit()->swap() : nullptr);
    if (sw) {
      if (r.partial_fill) ++s.partial_fills;
      directions.emplace(sw->sell_asset, sw->buy_asset);
    }
    if (const RoomOutcome* o = in.room_outcome()) (outcome_is_deal(o->outcome) ? s.room_deals : s.room_no_deals) += 1;
  }
  for (const auto& [sell, buy] : directions)
    if (sell < buy && directions.count({buy, sell})) ++s.two_sided_markets;
}

// A seeded clock (block h at genesis + h * interval) and seeded room secrets: the same
// seed gives the same chain.
CoreOptions core_options(const Options& opts, std::uint64_t genesis_time) {
  CoreOptions core_opts;
  core_opts.max_mempool = kMaxMempool;
  core_opts.max_block_intents = kMaxBlockIntents;
  core_opts.quiet = true;
  const std::uint64_t interval = opts.block_interval_ms;
  core_opts.block_timestamp = [interval, genesis_time](std::uint64_t h) { return genesis_time + h * interval; };
  const std::uint64_t seed = opts.seed;
  core_opts.room_secrets = [seed](const Hash32& room) {
    return std::make_pair(derive_key("pactum/scenario/room-secret/v1", seed, room, 0),
                          derive_hash("pactum/scenario/room-seed/v1", seed, room, 0, 0));
  };
  return core_opts;
}

}  // namespace

Result<Summary> run(const Options& opts, std::ostream& progress) {
  if (opts.agents < 8 || opts.agents > 4000) return make_error(Errc::invalid_params, "--agents: 8 to 4000");
  if (opts.blocks < 1) return make_error(Errc::invalid_params, "--blocks: at least 1");
  PACTUM_TRY(check_out_dir(opts.out));
  PACTUM_ASSIGN(genesis, load_genesis(opts.genesis_file));
  const SecretKey producer = dev_producer_key();
  if (!(producer.public_key() == genesis.producer))
    return make_error(Errc::invalid_params,
                      "scenario: the genesis producer must be the devnet producer (\"producer\": \"dev\")");
  if (genesis.dev_account_count == 0)
    return make_error(Errc::invalid_params, "scenario: the genesis needs dev accounts (they fund the agents)");

  PACTUM_ASSIGN(opened, Chain::open(opts.out, genesis));
  const std::uint64_t seed = opts.seed;
  // The node's own core, without a server or a producer thread: each block goes through
  // exactly the admission and production path of a running node. The producer's picker
  // has the built-in matcher alone: each block records its clearing, as a node's do, so
  // replay checks it instead of searching.
  const solvers::Picker picker({}, solvers::PickerOptions{});
  NodeCore node(std::move(opened), producer, picker.settle_fn(), core_options(opts, genesis.timestamp));
  Workload agents = node.inspect(
      [&](const Chain& chain, const Mempool&) { return Workload(seed, opts.agents, genesis, chain.state()); });

  Summary s;
  Sha256Stream hashes;  // every block hash, block 0 first
  const Hash32 block0 = node.inspect([](const Chain& chain, const Mempool&) { return chain.head().hash(); });
  hashes.update(block0.bytes.data(), block0.bytes.size());
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t h = 1; h <= opts.blocks; ++h) {
    std::vector<Intent> intents = node.inspect([&](const Chain& chain, const Mempool& pool) {
      return h == 1 ? agents.funding(chain.state(), pool) : agents.block(h, chain.state(), pool);
    });
    for (Intent& in : intents) {
      KindCounts& k = s.kinds[std::string(in.kind())];
      ++k.submitted;
      auto added = node.submit(std::move(in), /*wake=*/false);
      if (!added) {
        ++k.refused;
        ++s.refused_reasons[std::string(errc_name(added.error().code))];
      }
    }
    auto mined = node.produce_block();
    if (!mined) return make_error(mined.error().code, "block " + std::to_string(h) + ": " + mined.error().message);
    const Block& block = *mined->block;
    s.expired += mined->expired;
    agents.after_block(block);
    hashes.update(mined->hash.bytes.data(), mined->hash.bytes.size());
    tally(block, s);
    s.intents += block.intents.size();
    if (!opts.quiet && (h % 50 == 0 || h == opts.blocks)) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress << "scenario: block " << h << " / " << opts.blocks << " (" << block.intents.size() << " intents, "
               << std::fixed << std::setprecision(1) << secs << " s)\n";
    }
  }
  node.inspect([&s](const Chain& chain, const Mempool&) {
    s.blocks = chain.height();
    s.final_state_root = chain.head().state_root;
    s.head_hash = chain.head().hash();
    return 0;
  });

  s.block_hash_digest = hashes.finish();
  auto exported = node.inspect(
      [&opts](const Chain& chain, const Mempool&) { return export_store(chain.store(), opts.out, nullptr); });
  if (!exported) return exported.error();
  s.export_sha256 = exported->sha256;
  return s;
}

void print_summary(const Options& opts, const Summary& s, std::ostream& out) {
  out << "seed: " << opts.seed << "\n"
      << "agents: " << opts.agents << "\n"
      << "blocks: " << s.blocks << "\n"
      << "intents: " << s.intents << "\n"
      << std::left << std::setw(14) << "kind" << std::right << std::setw(10) << "submitted" << std::setw(9) << "refused"
      << std::setw(9) << "settled" << std::setw(10) << "unfilled" << std::setw(10) << "rejected" << std::setw(11)
      << "cancelled"
      << "\n";
  for (const auto& [kind, k] : s.kinds) {
    out << std::left << std::setw(14) << kind << std::right << std::setw(10) << k.submitted << std::setw(9) << k.refused
        << std::setw(9) << k.settled << std::setw(10) << k.unfilled << std::setw(10) << k.rejected << std::setw(11)
        << k.cancelled << "\n";
  }
  out << "refused_reasons:";
  for (const auto& [reason, n] : s.refused_reasons) out << " " << reason << "=" << n;
  out << "\n"
      << "expired: " << s.expired << "\n"
      << "partial_fills: " << s.partial_fills << "\n"
      << "two_sided_markets: " << s.two_sided_markets << "\n"
      << "room_deals: " << s.room_deals << "\n"
      << "room_no_deals: " << s.room_no_deals << "\n"
      << "final_state_root: " << s.final_state_root.hex() << "\n"
      << "head_hash: " << s.head_hash.hex() << "\n"
      << "block_hash_digest: " << s.block_hash_digest.hex() << "\n"
      << "export_sha256: " << s.export_sha256.hex() << "\n";
}

Result<ExportStats> export_blocks(const std::string& data_dir, BlockSink* sink) {
  PACTUM_ASSIGN(opened, Store::open(data_dir, /*read_only=*/true));
  return export_store(*opened, data_dir, sink);
}

Result<ExportStats> export_store(const Store& store, const std::string& data_dir, BlockSink* sink) {
  const auto head = store.head_height();
  if (!head) return make_error(Errc::storage, "no blocks in " + data_dir);
  Sha256Stream text;
  ExportStats stats;
  for (std::uint64_t h = 0; h <= *head; ++h) {
    PACTUM_ASSIGN(json, store.block_json_at(h));
    if (!json) return make_error(Errc::storage, "block " + std::to_string(h) + " is missing from " + data_dir);
    text.update((json)->data(), (json)->size());
    text.update("\n", 1);
    if (sink) sink->line(*json);
    ++stats.blocks;
  }
  stats.sha256 = text.finish();
  return stats;
}

}  // namespace pactum::scenario
