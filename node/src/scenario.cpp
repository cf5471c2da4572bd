// `pactum scenario`: the driver. Each block goes the way the node's producer takes it
// (producer.cpp): the agents' intents through Mempool admission, the mempool's batch plus
// the RoomKeeper's room_key / room_outcome intents, Chain::produce with matcher::settle,
// then Mempool::on_block. What differs from a running node is only what makes it
// reproducible: the timestamp is genesis + height * interval, room secrets come from the
// seed, and every signature is deterministic (BIP-340 with zero aux).
#include "scenario.hpp"

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
#include "room_keeper.hpp"
#include "scenario_workload.hpp"

namespace pactum::scenario {

namespace {

constexpr std::size_t kMaxBlockIntents = 20000;

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
      case ReceiptStatus::settled: ++k.settled; break;
      case ReceiptStatus::unfilled: ++k.unfilled; break;
      case ReceiptStatus::rejected: ++k.rejected; break;
      case ReceiptStatus::cancelled: ++k.cancelled; break;
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

}  // namespace

Result<Summary> run(const Options& opts, std::ostream& progress) {
  if (opts.agents < 8 || opts.agents > 4000) return make_error(Errc::invalid_params, "--agents: 8 to 4000");
  if (opts.blocks < 1) return make_error(Errc::invalid_params, "--blocks: at least 1");
  PACTUM_TRY(check_out_dir(opts.out));
  auto genesis = load_genesis(opts.genesis_file);
  if (!genesis) return genesis.error();
  const SecretKey producer = dev_producer_key();
  if (!(producer.public_key() == genesis->producer))
    return make_error(Errc::invalid_params, "scenario: the genesis producer must be the devnet producer (\"producer\": \"dev\")");
  if (genesis->dev_account_count == 0)
    return make_error(Errc::invalid_params, "scenario: the genesis needs dev accounts (they fund the agents)");

  auto opened = Chain::open(opts.out, *genesis);
  if (!opened) return opened.error();
  Chain& chain = **opened;
  Mempool pool(genesis->chain_id, 1'000'000);
  const std::uint64_t seed = opts.seed;
  RoomKeeper keeper([seed](const Hash32& room) {
    return std::make_pair(derive_key("pactum/scenario/room-secret/v1", seed, room, 0),
                          derive_hash("pactum/scenario/room-seed/v1", seed, room, 0, 0));
  });
  Workload agents(seed, opts.agents, *genesis, chain.state());
  const SettleFn settle_fn = [](const StateView& s, std::span<const Intent> batch, const BlockContext& ctx) {
    return settle(s, batch, ctx);
  };

  Summary s;
  Sha256Stream hashes;  // every block hash, block 0 first
  const Hash32 block0 = chain.head().hash();
  hashes.update(block0.bytes.data(), block0.bytes.size());
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t h = 1; h <= opts.blocks; ++h) {
    std::vector<Intent> intents = h == 1 ? agents.funding(chain.state(), pool) : agents.block(h, chain.state(), pool);
    for (Intent& in : intents) {
      KindCounts& k = s.kinds[std::string(in.kind())];
      ++k.submitted;
      auto added = pool.add(std::move(in), chain.state(), chain.height());
      if (!added) {
        ++k.refused;
        ++s.refused_reasons[std::string(errc_name(added.error().code))];
      }
    }
    std::vector<Intent> batch = pool.batch(kMaxBlockIntents);
    for (Intent& in : keeper.producer_intents(chain.state(), batch, h, producer, genesis->chain_id))
      batch.push_back(std::move(in));
    auto block = chain.produce(batch, genesis->timestamp + h * opts.block_interval_ms, producer, settle_fn);
    if (!block) return make_error(block.error().code, "block " + std::to_string(h) + ": " + block.error().message);
    const MempoolChanges changes = pool.on_block(*block, chain.state());
    s.expired += changes.dropped.size();
    keeper.forget(chain.state(), [&pool](const Hash32& id) { return pool.find(id) != nullptr; });
    agents.after_block(*block);
    const Hash32 bh = block->header.hash();
    hashes.update(bh.bytes.data(), bh.bytes.size());
    tally(*block, s);
    s.intents += block->intents.size();
    if (!opts.quiet && (h % 50 == 0 || h == opts.blocks)) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress << "scenario: block " << h << " / " << opts.blocks << " (" << block->intents.size() << " intents, "
               << std::fixed << std::setprecision(1) << secs << " s)\n";
    }
  }
  s.blocks = chain.height();
  s.final_state_root = chain.head().state_root;
  s.head_hash = chain.head().hash();

  s.block_hash_digest = hashes.finish();
  auto exported = export_store(chain.store(), opts.out, nullptr);
  if (!exported) return exported.error();
  s.export_sha256 = exported->sha256;
  return s;
}

void print_summary(const Options& opts, const Summary& s, std::ostream& out) {
  out << "seed: " << opts.seed << "\n"
      << "agents: " << opts.agents << "\n"
      << "blocks: " << s.blocks << "\n"
      << "intents: " << s.intents << "\n"
      << std::left << std::setw(14) << "kind" << std::right << std::setw(10) << "submitted" << std::setw(9)
      << "refused" << std::setw(9) << "settled" << std::setw(10) << "unfilled" << std::setw(10) << "rejected"
      << std::setw(11) << "cancelled" << "\n";
  for (const auto& [kind, k] : s.kinds) {
    out << std::left << std::setw(14) << kind << std::right << std::setw(10) << k.submitted << std::setw(9)
        << k.refused << std::setw(9) << k.settled << std::setw(10) << k.unfilled << std::setw(10) << k.rejected
        << std::setw(11) << k.cancelled << "\n";
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
  auto opened = Store::open(data_dir, /*read_only=*/true);
  if (!opened) return opened.error();
  return export_store(**opened, data_dir, sink);
}

Result<ExportStats> export_store(const Store& store, const std::string& data_dir, BlockSink* sink) {
  const auto head = store.head_height();
  if (!head) return make_error(Errc::storage, "no blocks in " + data_dir);
  Sha256Stream text;
  ExportStats stats;
  for (std::uint64_t h = 0; h <= *head; ++h) {
    auto json = store.block_json_at(h);
    if (!json) return json.error();
    if (!*json) return make_error(Errc::storage, "block " + std::to_string(h) + " is missing from " + data_dir);
    text.update((*json)->data(), (*json)->size());
    text.update("\n", 1);
    if (sink) sink->line(**json);
    ++stats.blocks;
  }
  stats.sha256 = text.finish();
  return stats;
}

}  // namespace pactum::scenario
