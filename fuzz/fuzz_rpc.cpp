// fuzz_rpc: the JSON-RPC request parser and dispatcher (node/include/pactum/node/dispatcher.hpp,
// node/include/pactum/node/request_json.hpp) over a real NodeCore: RocksDB chain in a temporary data
// directory (on /dev/shm when there is one), the embedded devnet genesis, the real matcher.
// The producer thread does not run: pactum_mine produces blocks in the request's thread,
// as it does in the node.
//
// Before fuzzing, a few blocks give the requests something to find (ids are stable
// across runs: deterministic signatures and sealing): a settled transfer and swap, a
// pending swap that never fills, a pending conditional commitment, and a closed sealed
// room with both parties' outcome signatures (pactum_getContract answers). Every input:
//  - parse_request_json: whatever it accepts, nlohmann's parser (the one it replaced)
//    accepts as the same document, number types included (request_json.hpp);
//  - RpcDispatcher::handle(body), as a WebSocket session sends it (subscriptions allowed,
//    the AfterResponse work run after): the response is "" or valid JSON, and so is every
//    notification sent to the session.
// The chain is rebuilt from scratch when it grows past kMaxHeight blocks or the mempool
// past kMaxMempool intents (pactum_mine takes up to 100 blocks a call).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common.hpp"
#include "pactum/intents/crypto.hpp"
#include "pactum/intents/intent.hpp"
#include "pactum/intents/room.hpp"
#include "pactum/ledger/chain.hpp"
#include "pactum/matcher/matcher.hpp"
#include "pactum/node/dispatcher.hpp"
#include "pactum/node/node.hpp"
#include "pactum/node/node_core.hpp"
#include "pactum/node/request_json.hpp"
#include "pactum/node/subscriptions.hpp"

using namespace pactum;
using namespace pactum::fuzz;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMaxHeight = 3000;
constexpr std::size_t kMaxMempool = 20000;

struct Node {
  fs::path dir;
  std::unique_ptr<NodeCore> core;
  std::unique_ptr<RpcDispatcher> rpc;
};
Node* g_node = nullptr;

fs::path scratch_root() {
  std::error_code ec;
  if (fs::is_directory("/dev/shm", ec)) return "/dev/shm";
  return fs::temp_directory_path();
}

// Data directories of fuzzers that died (a crash skips the atexit cleanup).
void remove_stale_dirs() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(scratch_root(), ec)) {
    const std::string name = e.path().filename().string();
    const std::string prefix = "pactum-fuzz-rpc-";
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (!fs::exists("/proc/" + pid, ec)) fs::remove_all(e.path(), ec);
  }
}

json call(const std::string& method, json params = json::array()) {
  const std::string out =
      g_node->rpc->handle(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}}.dump());
  json r = json::parse(out);
  if (!r.contains("result")) {
    std::fprintf(stderr, "fuzz_rpc setup: %s failed: %s\n", method.c_str(), out.c_str());
    std::abort();
  }
  return r["result"];
}

json sign(std::uint32_t who, json body, std::uint64_t nonce) {
  body["chain"] = "pactum-devnet";
  body["signer"] = dev_secret_key(who).public_key().hex();
  body["nonce"] = nonce;
  if (!body.contains("valid_until")) body["valid_until"] = 100000;
  auto in = sign_intent(body, dev_secret_key(who), /*deterministic=*/true);
  if (!in.ok()) {
    std::fprintf(stderr, "fuzz_rpc setup: cannot sign %s: %s\n", body.dump().c_str(), in.error().message.c_str());
    std::abort();
  }
  return intent_to_json(*in);
}

std::string submit(const json& intent) { return call("pactum_submitIntent", json::array({intent}))["id"]; }
std::string account(std::uint32_t who) { return dev_secret_key(who).public_key().hex(); }

// The blocks every run starts from (see the header comment).
// Their ids (stable), printed once: the seeds of fuzz/corpus/rpc name them.
std::vector<std::pair<std::string, std::string>> g_ids;

// A settled transfer and swap, a swap and a commitment left pending.
void submit_plain_intents() {
  g_ids.emplace_back(
      "transfer",
      submit(sign(0, {{"kind", "transfer"}, {"asset", "USDC"}, {"to", account(1)}, {"amount", "2500000"}}, 1)));
  g_ids.emplace_back("swap", submit(sign(0,
                                         {{"kind", "swap"},
                                          {"sell_asset", "ETH"},
                                          {"buy_asset", "USDC"},
                                          {"side", "sell"},
                                          {"sell_amount", "1000000000000000"},
                                          {"buy_amount", "1"},
                                          {"partial", false}},
                                         2)));
  g_ids.emplace_back("pending-swap", submit(sign(1,
                                                 {{"kind", "swap"},
                                                  {"sell_asset", "ETH"},
                                                  {"buy_asset", "USDC"},
                                                  {"side", "sell"},
                                                  {"sell_amount", "1000000000000000000"},
                                                  {"buy_amount", "1000000000000"},
                                                  {"partial", true}},
                                                 1)));
  g_ids.emplace_back(
      "pending-commit",
      submit(sign(2,
                  {{"kind", "commit"},
                   {"action", {{"kind", "transfer"}, {"asset", "USDC"}, {"to", account(3)}, {"amount", "100000000"}}},
                   {"condition", {{"type", "mirror"}, {"with", account(3)}}}},
                  1)));
}

// A room opened, sealed by both parties, closed and signed: its contract exists.
void open_and_close_room() {
  const std::uint64_t close = call("pactum_blockNumber").get<std::uint64_t>() + 4;
  const json terms = {{"mechanism", "midpoint"},
                      {"seller", account(5)},
                      {"buyer", account(6)},
                      {"asset", "ETH"},
                      {"amount", "1000000000000000000"},
                      {"pay_asset", "USDC"},
                      {"range", {"2000000000", "4000000000"}},
                      {"close_height", close}};
  const std::string room_hex = submit(sign(5, {{"kind", "room_open"}, {"terms", terms}}, 1));
  g_ids.emplace_back("room", room_hex);
  call("pactum_mine");
  const json room = call("pactum_getRoom", json::array({room_hex}));
  const Point33 pub = point_from_hex(room.at("pubkey").get<std::string>(), "pubkey").value();
  const Hash32 room_id = Hash32::from_hex(room_hex).value();
  const std::array<std::uint8_t, 12> iv{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
  std::uint32_t eph = 200;
  for (auto [who, reservation] : {std::pair{5u, "2800000000"}, std::pair{6u, "3200000000"}}) {
    const SealedPosition position{true, Amount(reservation), {}, {}};
    auto sealed =
        seal_position_with(dev_secret_key(eph++), iv, pub, room_id, dev_secret_key(who).public_key(), position);
    submit(sign(who,
                {{"kind", "room_position"},
                 {"room", room_hex},
                 {"eph", point_hex(sealed->eph)},
                 {"iv", to_hex(Bytes(sealed->iv))},
                 {"ct", to_hex(Bytes(sealed->ct))}},
                who == 5 ? 2 : 1));
  }
  while (call("pactum_blockNumber").get<std::uint64_t>() <= close) call("pactum_mine");
  const json closed = call("pactum_getRoom", json::array({room_hex}));
  const json& o = closed.at("outcome");
  const Amount value = o.at("price").is_null() ? Amount(0) : Amount(o.at("price").get<std::string>());
  const Hash32 terms_hash = Hash32::from_hex(closed.at("terms_hash").get<std::string>()).value();
  const Hash32 digest = outcome_digest(room_id, terms_hash, o.at("byte").get<std::uint8_t>(), value);
  for (std::uint32_t who : {5u, 6u}) {
    submit(sign(who,
                {{"kind", "room_sign"},
                 {"room", room_hex},
                 {"outcome_sig", dev_secret_key(who).sign_deterministic(digest).hex()}},
                who == 5 ? 3 : 2));
  }
  call("pactum_mine");
  (void)call("pactum_getContract", json::array({room_hex}));
}

void populate() {
  g_ids.clear();
  submit_plain_intents();
  open_and_close_room();
  static bool printed = false;
  if (!printed) {
    printed = true;
    std::fprintf(stderr, "fuzz_rpc: chain at height %llu in %s;",
                 static_cast<unsigned long long>(g_node->core->height()), g_node->dir.c_str());
    for (const auto& [what, id] : g_ids) std::fprintf(stderr, " %s %s", what.c_str(), id.c_str());
    std::fprintf(stderr, "\n");
  }
}

void open_node() {
  remove_stale_dirs();
  g_node = new Node;
  g_node->dir = scratch_root() / ("pactum-fuzz-rpc-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(g_node->dir, ec);
  auto chain = Chain::open(g_node->dir.string(), load_genesis(std::nullopt).value());
  if (!chain.ok()) {
    std::fprintf(stderr, "fuzz_rpc: cannot open a chain in %s: %s\n", g_node->dir.c_str(),
                 chain.error().message.c_str());
    std::abort();
  }
  CoreOptions opts;
  opts.quiet = true;
  g_node->core = std::make_unique<NodeCore>(std::move(chain).value(), dev_producer_key(), &settle, opts);
  g_node->rpc = std::make_unique<RpcDispatcher>(*g_node->core);
  populate();
}

void close_node() {
  if (!g_node) return;
  g_node->rpc.reset();
  g_node->core.reset();
  std::error_code ec;
  fs::remove_all(g_node->dir, ec);
  delete g_node;
  g_node = nullptr;
}

// A WebSocket session: what it is sent must be JSON.
class Session final : public SubscriptionSink {
 public:
  void send(std::string text) override {
    FUZZ_CHECK(parse_json(text).has_value(), "a notification is not JSON: %s", text.c_str());
  }
};

// The type tree of a document (request_json_test.cpp's): nlohmann's == ignores whether a
// number is unsigned, signed or float, and the node's checks do not.
std::string types(const json& j) {
  std::string out = j.type_name();
  if (j.is_number_unsigned())
    out += "/u";
  else if (j.is_number_integer())
    out += "/i";
  else if (j.is_number_float())
    out += "/f";
  if (j.is_structured()) {
    out += '(';
    for (auto it = j.begin(); it != j.end(); ++it) out += types(*it) + ',';
    out += ')';
  }
  return out;
}

// The same document: equal values of the same types, except that a double may differ in
// its last bits (Boost.JSON's default number parsing is not correctly rounded: finding R1
// in docs/FUZZING.md; the node refuses fractions and exponents everywhere but in "id").
bool same_document(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_number_float()) {
    const double x = a.get<double>(), y = b.get<double>();
    return x == y || std::fabs(x - y) <= 1e-15 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_document(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(), jt = b.begin(); it != a.end(); ++it, ++jt)
      if (it.key() != jt.key() || !same_document(it.value(), jt.value())) return false;
    return true;
  }
  return a == b;
}

void parser(std::string_view body) {
  auto got = parse_request_json(body);
  use_result(got);
  if (!got.ok()) return;
  auto expected = parse_json(body);
  FUZZ_CHECK(expected.has_value(), "parse_request_json accepts what nlohmann's parser refuses");
  FUZZ_CHECK(types(*expected) == types(*got), "different number types:\n  %s\n  %s", types(*expected).c_str(),
             types(*got).c_str());
  FUZZ_CHECK(same_document(*expected, *got),
             "parse_request_json and nlohmann's parser read different documents:\n  %s\n  %s",
             expected->dump(-1, ' ', true, json::error_handler_t::replace).c_str(),
             got->dump(-1, ' ', true, json::error_handler_t::replace).c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  open_node();
  std::atexit(close_node);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = as_view(data, size);
  parser(body);

  auto session = std::make_shared<Session>();
  AfterResponse after;
  const std::string response = g_node->rpc->handle(body, session, &after);
  for (auto& f : after) f();
  if (!response.empty()) FUZZ_CHECK(parse_json(response).has_value(), "the response is not JSON: %s", response.c_str());

  if (g_node->core->height() > kMaxHeight || g_node->core->mempool_size() > kMaxMempool) {
    close_node();
    open_node();
  }
  return 0;
}
