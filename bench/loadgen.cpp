// pactum_loadgen: end-to-end load against a running node.
//
//   pactum_loadgen [--rpc URL] [--intents N] [--accounts M] [--batch B] [--threads T]
//                  [--swap-percent P] [--timeout SEC]
//
// 1. Pre-signs N intents (transfers, and P% small ETH/USDC swaps) from dev accounts
//    0..M-1 on T threads; nonces start at a random base so reruns on one node do not
//    collide.
// 2. Measures this machine's raw BIP-340 verify rate on one thread (~2 s).
// 3. Submits from T connections: single requests (B = 1) or JSON-RPC batches of B.
// 4. Follows the chain (new blocks pushed over a WebSocket, each one's receipts read) until
//    every accepted intent is included and final, and reports accepted/s, settled/s,
//    p50/p99 submit->inclusion latency, and settled/s against the target
//    (cores x verify rate) / 2. Human text first, then one JSON line.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <sys/resource.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "json_events.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"
#include "pactum/intents/intent.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using pactum::client::RpcClient;

struct Options {
  std::string rpc;
  std::size_t intents = 20000;
  std::uint32_t accounts = 20;
  std::size_t batch = 100;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  unsigned swap_percent = 0;
  unsigned timeout_s = 120;
  std::optional<long> node_pid;  // a node on this machine: report its CPU per intent
};

constexpr const char* kUsage =
    "usage: pactum_loadgen [--rpc URL] [--intents N] [--accounts M] [--batch B] [--threads T]\n"
    "                      [--swap-percent P] [--timeout SEC] [--node-pid PID]\n"
    "  --batch 1 submits single requests; B > 1 sends JSON-RPC batches of B.\n"
    "  --node-pid: the node's process on this machine; its CPU per settled intent is then\n"
    "              reported, in microseconds and in units of the raw verify time.\n";

Options parse_options(int argc, char** argv) {
  using namespace pactum::cli;
  Args args(std::vector<std::string>(argv + 1, argv + argc),
            {"rpc", "intents", "accounts", "batch", "threads", "swap-percent", "timeout", "node-pid"}, {});
  if (args.help()) {
    std::cout << kUsage;
    std::exit(0);
  }
  Options o;
  o.rpc = pactum::client::resolve_rpc_url(args.get("rpc"));
  if (auto v = args.get("intents")) o.intents = parse_u64(*v, "--intents");
  if (auto v = args.get("accounts")) o.accounts = static_cast<std::uint32_t>(parse_u64(*v, "--accounts"));
  if (auto v = args.get("batch")) o.batch = parse_u64(*v, "--batch");
  if (auto v = args.get("threads")) o.threads = static_cast<unsigned>(parse_u64(*v, "--threads"));
  if (auto v = args.get("swap-percent")) o.swap_percent = static_cast<unsigned>(parse_u64(*v, "--swap-percent"));
  if (auto v = args.get("timeout")) o.timeout_s = static_cast<unsigned>(parse_u64(*v, "--timeout"));
  if (auto v = args.get("node-pid")) o.node_pid = static_cast<long>(parse_u64(*v, "--node-pid"));
  if (o.intents == 0 || o.accounts < 2 || o.batch == 0 || o.batch > 1000 || o.threads == 0 || o.swap_percent > 100) {
    throw UsageError(
        "need --intents >= 1, --accounts >= 2, 1 <= --batch <= 1000, --threads >= 1, "
        "--swap-percent <= 100");
  }
  return o;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

struct Signed {
  std::string id;
  std::string json_text;
};

std::vector<Signed> sign_all(const Options& o, const std::string& chain_id) {
  std::uint64_t base = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&base), sizeof base);
  base &= (std::uint64_t{1} << 50) - 1;  // room above it for the counter, below 2^53
  std::vector<pactum::SecretKey> keys;
  for (std::uint32_t a = 0; a < o.accounts; ++a) keys.push_back(pactum::dev_secret_key(a));

  std::vector<Signed> out(o.intents);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < o.intents;) {
      const std::uint32_t from = i % o.accounts;
      const bool swap = (i * 37 % 100) < o.swap_percent;
      json j{{"chain", chain_id},
             {"signer", keys[from].public_key().hex()},
             {"nonce", base + i},
             {"valid_until", pactum::kMaxSafeInteger}};
      if (swap) {
        j["kind"] = "swap";
        const bool sell_eth = i % 2 == 0;
        j["sell_asset"] = sell_eth ? "ETH" : "USDC";
        j["buy_asset"] = sell_eth ? "USDC" : "ETH";
        j["side"] = "sell";
        j["sell_amount"] = sell_eth ? "1000000000000000" : "3000000";  // 0.001 ETH / 3 USDC
        j["buy_amount"] = sell_eth ? "2000000" : "500000000000000";    // generous limits
        j["partial"] = false;
      } else {
        j["kind"] = "transfer";
        j["asset"] = "USDC";
        j["to"] = keys[(from + 1) % o.accounts].public_key().hex();
        j["amount"] = "1";
      }
      auto s = pactum::sign_intent(j, keys[from]);
      if (!s) throw std::runtime_error("sign_intent: " + s.error().message);
      out[i] = Signed{s->id.hex(), pactum::intent_to_json(*s).dump()};
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < o.threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  return out;
}

// The follower reads every block, so it reads them without building a JSON tree: this
// reader keeps only each receipt's "intent" and "status" (members of the objects in
// result.receipts).
struct ReceiptStatuses : pactum::bench::JsonEvents {
  std::vector<std::pair<std::string, std::string>> items;
  bool saw_receipts = false;
  std::vector<char> stack;  // 'o' object, 'a' array, 'r' the receipts array
  std::string last_key;
  std::size_t receipt_depth = 0;  // stack size inside a receipt object, 0 outside

  bool in_receipt() const { return receipt_depth != 0 && stack.size() == receipt_depth; }
  void start_object() override {
    stack.push_back('o');
    if (stack.size() >= 2 && stack[stack.size() - 2] == 'r') {
      receipt_depth = stack.size();
      items.emplace_back();
    }
  }
  void end_object() override {
    if (stack.size() == receipt_depth) receipt_depth = 0;
    stack.pop_back();
  }
  void start_array() override {
    // result.receipts: the response object, then "result", then this array.
    const bool receipts = stack.size() == 2 && last_key == "receipts";
    stack.push_back(receipts ? 'r' : 'a');
    saw_receipts = saw_receipts || receipts;
  }
  void end_array() override { stack.pop_back(); }
  void key(std::string_view k) override { last_key = k; }
  void string(std::string_view v) override {
    if (in_receipt() && last_key == "intent") items.back().first = v;
    if (in_receipt() && last_key == "status") items.back().second = v;
  }
};

// The answers to a pactum_submitIntent batch, read the same way: per response object
// (top level, or each element of the top-level array) its numeric id, whether it has a
// "result", and error.data.reason.
struct SubmitAnswers : pactum::bench::JsonEvents {
  struct Answer {
    std::optional<std::size_t> id;
    bool accepted = false;
    std::string reason;
  };
  std::vector<Answer> items;
  std::vector<std::string> path;  // the key of each open object level ("[" for arrays)
  std::string last_key;
  std::size_t depth_of_answer = 0;

  void start_object() override {
    path.push_back(path.empty() ? "" : last_key);
    const bool answer = path.size() == 1 || (path.size() == 2 && path[0] == "[");
    if (answer) {
      items.emplace_back();
      depth_of_answer = path.size();
    }
    last_key.clear();
  }
  void end_object() override { path.pop_back(); }
  void start_array() override {
    path.push_back("[");
    last_key.clear();
  }
  void end_array() override { path.pop_back(); }
  void key(std::string_view k) override {
    last_key = k;
    if (path.size() == depth_of_answer && k == "result" && !items.empty()) items.back().accepted = true;
  }
  void number(std::uint64_t v) override {
    if (path.size() == depth_of_answer && last_key == "id" && !items.empty()) items.back().id = v;
  }
  void string(std::string_view v) override {
    // error.data.reason: two object levels below the answer.
    if (path.size() == depth_of_answer + 2 && last_key == "reason" && path.back() == "data" && !items.empty())
      items.back().reason = v;
  }
};

// CPU seconds (user + system) of another process, from /proc/PID/stat (Linux).
double other_process_cpu_seconds(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) throw std::runtime_error("--node-pid: no process " + std::to_string(pid));
  const auto close = text.rfind(')');  // the command name may hold spaces
  std::istringstream fields(close == std::string::npos ? std::string() : text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stoull(field);
    if (i == 15) {
      stime = std::stoull(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The machine's CPU time so far (/proc/stat, Linux), in clock ticks: total, and idle
// (idle + iowait). Idle during a run is capacity neither the node nor this process used.
struct MachineTicks {
  unsigned long long total = 0, idle = 0;
};
MachineTicks machine_ticks() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  MachineTicks t;
  in >> cpu;
  unsigned long long v = 0;
  for (int i = 0; i < 8 && in >> v; ++i) {  // user nice system idle iowait irq softirq steal
    t.total += v;
    if (i == 3 || i == 4) t.idle += v;
  }
  return t;
}

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double measure_verify_rate() {
  auto key = pactum::dev_secret_key(0);
  auto pub = key.public_key();
  auto digest = pactum::sha256(pactum::as_bytes("pactum loadgen verify rate"));
  auto sig = key.sign(digest);
  std::uint64_t count = 0;
  const auto start = Clock::now();
  auto now = start;
  while (now - start < std::chrono::seconds(2)) {
    for (int k = 0; k < 256; ++k) {
      if (!pactum::verify(pub, digest, sig)) throw std::runtime_error("verify failed");
    }
    count += 256;
    now = Clock::now();
  }
  return static_cast<double>(count) / seconds_between(start, now);
}

struct Tracking {
  std::vector<Clock::time_point> submitted;
  std::vector<Clock::time_point> included;  // first block that carried it
  std::vector<char> accepted, included_flag;
  std::vector<std::string> final_status;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(at, v.size() - 1)];
}

// Everything prepared before the clock starts.
struct Prepared {
  std::string chain_id;
  unsigned cores = 1;
  std::vector<Signed> intents;
  double verify_rate = 0;
  std::unordered_map<std::string, std::size_t> index_of;
  std::vector<std::pair<std::size_t, std::string>> chunks;  // request bodies: (first index, body)
};

// Single requests (batch 1) or JSON-RPC batch arrays of `batch` submissions.
std::vector<std::pair<std::size_t, std::string>> request_bodies(const std::vector<Signed>& intents, std::size_t batch) {
  std::vector<std::pair<std::size_t, std::string>> chunks;
  for (std::size_t at = 0; at < intents.size(); at += batch) {
    const std::size_t end = std::min(at + batch, intents.size());
    std::string body = batch == 1 ? "" : "[";
    for (std::size_t i = at; i < end; ++i) {
      if (i > at) body += ",";
      body += R"({"jsonrpc":"2.0","id":)" + std::to_string(i) + R"(,"method":"pactum_submitIntent","params":[)" +
              intents[i].json_text + "]}";
    }
    if (batch != 1) body += "]";
    chunks.emplace_back(at, std::move(body));
  }
  return chunks;
}

// Steps 1 and 2: signs the intents, measures the verify rate, prepares the requests.
Prepared prepare(const Options& o, RpcClient& probe) {
  Prepared p;
  p.chain_id = probe.call("pactum_chainId").get<std::string>();
  p.cores = std::max(1u, std::thread::hardware_concurrency());
  std::cout << "node " << o.rpc << " chain " << p.chain_id << "; " << o.intents << " intents from " << o.accounts
            << " accounts, " << (o.batch == 1 ? "single requests" : "batches of " + std::to_string(o.batch)) << ", "
            << o.threads << " connections, " << p.cores << " cores\n";

  auto t0 = Clock::now();
  p.intents = sign_all(o, p.chain_id);
  std::cout << "signed " << p.intents.size() << " intents in " << seconds_between(t0, Clock::now()) << " s\n";
  p.verify_rate = measure_verify_rate();
  std::cout << "raw BIP-340 verify rate (1 thread): " << static_cast<std::uint64_t>(p.verify_rate) << " /s\n";

  p.index_of.reserve(p.intents.size());
  for (std::size_t i = 0; i < p.intents.size(); ++i) p.index_of[p.intents[i].id] = i;
  p.chunks = request_bodies(p.intents, o.batch);
  return p;
}

// What the submitters and the follower learn during the run.
struct Progress {
  explicit Progress(std::size_t n) {
    tr.submitted.resize(n);
    tr.included.resize(n);
    tr.accepted.assign(n, 0);
    tr.included_flag.assign(n, 0);
    tr.final_status.assign(n, "");
  }
  Tracking tr;
  // Submitters.
  std::mutex reasons_mu;
  std::map<std::string, std::size_t> refusals;
  std::atomic<std::size_t> next_chunk{0}, accepted{0};
  std::atomic<bool> submitting{true};
  std::atomic<std::int64_t> last_answer_ns{0};
  // The follower.
  std::size_t settled = 0, finals = 0;
  Clock::time_point last_settled;
  std::map<std::string, std::size_t> statuses;
  std::uint64_t blocks_seen = 0;
};

// CPU counters when the submissions start.
struct Baseline {
  Clock::time_point submit_start;
  double cpu = 0;
  MachineTicks machine;
  double node_cpu = 0;
};

Baseline baseline(const Options& o) {
  Baseline b;
  b.submit_start = Clock::now();
  b.cpu = process_cpu_seconds();
  b.machine = machine_ticks();
  b.node_cpu = o.node_pid ? other_process_cpu_seconds(*o.node_pid) : 0;
  return b;
}

// One connection's submissions: chunks taken in turn until none is left.
void submit_chunks(const Options& o, const Prepared& p, Clock::time_point submit_start, Progress& g) {
  RpcClient rpc(o.rpc, std::chrono::seconds(60));
  for (std::size_t c; (c = g.next_chunk++) < p.chunks.size();) {
    const auto& [first, body] = p.chunks[c];
    const std::size_t end = std::min(first + o.batch, p.intents.size());
    const auto sent = Clock::now();
    for (std::size_t i = first; i < end; ++i) g.tr.submitted[i] = sent;
    auto res = rpc.http().post(body);
    SubmitAnswers answers;
    pactum::bench::read_json_events(res.body, answers);
    for (const auto& a : answers.items) {
      if (!a.id || *a.id < first || *a.id >= end) continue;
      if (a.accepted) {
        g.tr.accepted[*a.id] = 1;
        ++g.accepted;
      } else {
        std::lock_guard lock(g.reasons_mu);
        ++g.refusals[a.reason.empty() ? "unknown" : a.reason];
      }
    }
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - submit_start).count();
    for (auto prev = g.last_answer_ns.load(); prev < ns && !g.last_answer_ns.compare_exchange_weak(prev, ns);) {}
  }
}

// The follower reads blocks seen_height + 1 .. head and stamps what each carried.
void follow(const Prepared& p, std::uint64_t& seen_height, std::uint64_t head, RpcClient& rpc, Progress& g) {
  const auto now = Clock::now();
  for (; seen_height < head; ++seen_height) {
    const std::string request = R"({"jsonrpc":"2.0","id":1,"method":"pactum_getBlock","params":[)" +
                                std::to_string(seen_height + 1) + ",false]}";
    auto res = rpc.http().post(request);
    ReceiptStatuses receipts;
    if (!pactum::bench::read_json_events(res.body, receipts) || !receipts.saw_receipts) {
      throw std::runtime_error("pactum_getBlock " + std::to_string(seen_height + 1) +
                               " gave no receipts: " + res.body.substr(0, 200));
    }
    ++g.blocks_seen;
    for (const auto& [intent, status] : receipts.items) {
      auto it = p.index_of.find(intent);
      if (it == p.index_of.end()) continue;
      const std::size_t i = it->second;
      if (!g.tr.included_flag[i]) {
        g.tr.included_flag[i] = 1;
        g.tr.included[i] = now;
      }
      if (status == "unfilled" || !g.tr.final_status[i].empty()) continue;
      g.tr.final_status[i] = status;
      ++g.statuses[status];
      ++g.finals;
      if (status == "settled") {
        ++g.settled;
        g.last_settled = now;
      }
    }
  }
}

// Step 3 and 4: submits on o.threads connections while following the chain until every
// accepted intent is final (or the timeout).
void submit_and_follow(const Options& o, const Prepared& p, std::uint64_t start_height, Clock::time_point submit_start,
                       Progress& g) {
  g.last_settled = submit_start;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < o.threads; ++t) pool.emplace_back([&] { submit_chunks(o, p, submit_start, g); });
  RpcClient follower(o.rpc, std::chrono::seconds(60));
  // New blocks are pushed over a WebSocket rather than polled for: a poll every few
  // milliseconds would cost both processes CPU, and the inclusion times are sharper.
  pactum::client::WsClient heads(o.rpc, std::chrono::seconds(60));
  heads.call("pactum_subscribe", json::array({"newBlocks"}));
  std::uint64_t seen_height = start_height, head = start_height;
  std::thread joiner([&] {
    for (auto& t : pool) t.join();
    g.submitting = false;
  });
  const auto deadline = Clock::now() + std::chrono::seconds(o.timeout_s);
  auto last_push = Clock::now();
  while (true) {
    follow(p, seen_height, head, follower, g);
    if (!g.submitting && g.finals >= g.accepted.load()) break;
    if (Clock::now() > deadline) {
      std::cout << "timeout: " << g.accepted.load() - g.finals << " accepted intents not final\n";
      break;
    }
    // Wait for the next block (or 5 ms, to notice the end of submissions); take every
    // notification already queued. Should pushes stop coming, ask for the head instead.
    for (auto wait = std::chrono::milliseconds(5); auto note = heads.next_notification(wait);
         wait = std::chrono::milliseconds(0)) {
      const json& h = (*note)["params"]["result"]["height"];
      if (h.is_number_unsigned()) head = std::max(head, h.get<std::uint64_t>());
      last_push = Clock::now();
    }
    if (Clock::now() - last_push > std::chrono::milliseconds(100)) {
      head = std::max(head, follower.call("pactum_blockNumber").get<std::uint64_t>());
      last_push = Clock::now();
    }
  }
  joiner.join();
}

// The run's figures, from the counters at its end.
struct Figures {
  double loadgen_cores = 0, node_cpu_s = 0, machine_idle = 0;
  double submit_s = 0, settle_s = 0, accepted_rate = 0, settled_rate = 0, target = 0, p50 = 0, p99 = 0;
  double node_us_per_intent = 0, node_verifies_per_intent = 0, budget_verifies = 0;
};

Figures figures(const Options& o, const Prepared& p, const Baseline& base, const Progress& g) {
  Figures f;
  // This process shares the machine with the node: its CPU during the run is what the
  // node could not use.
  f.loadgen_cores =
      (process_cpu_seconds() - base.cpu) / std::max(1e-9, seconds_between(base.submit_start, Clock::now()));
  f.node_cpu_s = o.node_pid ? other_process_cpu_seconds(*o.node_pid) - base.node_cpu : 0;
  const MachineTicks machine_end = machine_ticks();
  f.machine_idle = machine_end.total > base.machine.total
                       ? static_cast<double>(machine_end.idle - base.machine.idle) /
                             static_cast<double>(machine_end.total - base.machine.total)
                       : 0;

  f.submit_s = std::max(1e-9, static_cast<double>(g.last_answer_ns.load()) / 1e9);
  f.settle_s = std::max(1e-9, seconds_between(base.submit_start, g.last_settled));
  std::vector<double> latencies_ms;
  for (std::size_t i = 0; i < p.intents.size(); ++i) {
    if (g.tr.accepted[i] && g.tr.included_flag[i]) {
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(g.tr.included[i] - g.tr.submitted[i]).count());
    }
  }
  f.accepted_rate = static_cast<double>(g.accepted.load()) / f.submit_s;
  f.settled_rate = static_cast<double>(g.settled) / f.settle_s;
  f.target = static_cast<double>(p.cores) * p.verify_rate / 2;
  f.p50 = percentile(latencies_ms, 0.50);
  f.p99 = percentile(latencies_ms, 0.99);
  // Less noisy than the ratio on a shared machine: the target holds when the node's CPU per
  // intent is at most 2 x (cores - this process's cores) / cores verify times.
  f.node_us_per_intent = g.settled ? f.node_cpu_s * 1e6 / static_cast<double>(g.settled) : 0;
  f.node_verifies_per_intent = f.node_us_per_intent * p.verify_rate / 1e6;
  f.budget_verifies = 2.0 * (static_cast<double>(p.cores) - f.loadgen_cores) / static_cast<double>(p.cores);
  return f;
}

void print_report(const Options& o, const Prepared& p, const Progress& g, const Figures& f) {
  std::printf("accepted: %zu of %zu in %.3f s = %.0f /s\n", g.accepted.load(), p.intents.size(), f.submit_s,
              f.accepted_rate);
  for (const auto& [reason, n] : g.refusals) std::printf("  refused %s: %zu\n", reason.c_str(), n);
  std::printf("settled:  %zu in %.3f s = %.0f /s over %llu blocks\n", g.settled, f.settle_s, f.settled_rate,
              static_cast<unsigned long long>(g.blocks_seen));
  for (const auto& [status, n] : g.statuses) std::printf("  %s: %zu\n", status.c_str(), n);
  std::printf("latency submit->inclusion: p50 %.1f ms, p99 %.1f ms\n", f.p50, f.p99);
  std::printf("load generator's own CPU during the run: %.2f cores; machine idle: %.1f%%\n", f.loadgen_cores,
              100 * f.machine_idle);
  std::printf("target (cores x verify rate / 2) = %u x %.0f / 2 = %.0f /s; settled/target = %.3f\n", p.cores,
              p.verify_rate, f.target, f.settled_rate / f.target);
  if (o.node_pid) {
    std::printf("node CPU per settled intent: %.1f us = %.2f raw verify times (the target allows %.2f)\n",
                f.node_us_per_intent, f.node_verifies_per_intent, f.budget_verifies);
  }
}

json summary_json(const Options& o, const Prepared& p, const Progress& g, const Figures& f) {
  json summary{{"intents", p.intents.size()},
               {"accounts", o.accounts},
               {"batch", o.batch},
               {"threads", o.threads},
               {"cores", p.cores},
               {"accepted", g.accepted.load()},
               {"refused", g.refusals},
               {"settled", g.settled},
               {"statuses", g.statuses},
               {"blocks", g.blocks_seen},
               {"accepted_per_s", static_cast<std::int64_t>(f.accepted_rate)},
               {"settled_per_s", static_cast<std::int64_t>(f.settled_rate)},
               {"latency_p50_ms", f.p50},
               {"latency_p99_ms", f.p99},
               {"verify_per_s_1thread", static_cast<std::int64_t>(p.verify_rate)},
               {"target_per_s", static_cast<std::int64_t>(f.target)},
               {"target_ratio", f.settled_rate / f.target},
               {"loadgen_cores", f.loadgen_cores},
               {"machine_idle", f.machine_idle}};
  if (o.node_pid) {
    summary["node_cpu_us_per_intent"] = f.node_us_per_intent;
    summary["node_cpu_in_verifies"] = f.node_verifies_per_intent;
    summary["target_cpu_in_verifies"] = f.budget_verifies;
  }
  return summary;
}

int run(const Options& o) {
  RpcClient probe(o.rpc);
  const Prepared p = prepare(o, probe);
  const std::uint64_t start_height = probe.call("pactum_blockNumber").get<std::uint64_t>();
  Progress g(p.intents.size());
  const Baseline base = baseline(o);
  submit_and_follow(o, p, start_height, base.submit_start, g);
  const Figures f = figures(o, p, base, g);
  print_report(o, p, g, f);
  std::cout << summary_json(o, p, g, f).dump() << "\n";
  return g.finals >= g.accepted.load() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
