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
  if (o.intents == 0 || o.accounts < 2 || o.batch == 0 || o.batch > 1000 || o.threads == 0 ||
      o.swap_percent > 100) {
    throw UsageError("need --intents >= 1, --accounts >= 2, 1 <= --batch <= 1000, --threads >= 1, "
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

int run(const Options& o) {
  RpcClient probe(o.rpc);
  const std::string chain_id = probe.call("pactum_chainId").get<std::string>();
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::cout << "node " << o.rpc << " chain " << chain_id << "; " << o.intents << " intents from "
            << o.accounts << " accounts, " << (o.batch == 1 ? "single requests" : "batches of " + std::to_string(o.batch))
            << ", " << o.threads << " connections, " << cores << " cores\n";

  auto t0 = Clock::now();
  std::vector<Signed> intents = sign_all(o, chain_id);
  std::cout << "signed " << intents.size() << " intents in " << seconds_between(t0, Clock::now()) << " s\n";
  const double verify_rate = measure_verify_rate();
  std::cout << "raw BIP-340 verify rate (1 thread): " << static_cast<std::uint64_t>(verify_rate) << " /s\n";

  std::unordered_map<std::string, std::size_t> index_of;
  index_of.reserve(intents.size());
  for (std::size_t i = 0; i < intents.size(); ++i) index_of[intents[i].id] = i;
  Tracking tr;
  tr.submitted.resize(intents.size());
  tr.included.resize(intents.size());
  tr.accepted.assign(intents.size(), 0);
  tr.included_flag.assign(intents.size(), 0);
  tr.final_status.assign(intents.size(), "");

  // Request bodies, prepared before the clock starts.
  std::vector<std::pair<std::size_t, std::string>> chunks;  // (first index, body)
  for (std::size_t at = 0; at < intents.size(); at += o.batch) {
    const std::size_t end = std::min(at + o.batch, intents.size());
    std::string body = o.batch == 1 ? "" : "[";
    for (std::size_t i = at; i < end; ++i) {
      if (i > at) body += ",";
      body += R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
              R"(,"method":"pactum_submitIntent","params":[)" + intents[i].json_text + "]}";
    }
    if (o.batch != 1) body += "]";
    chunks.emplace_back(at, std::move(body));
  }

  const std::uint64_t start_height = probe.call("pactum_blockNumber").get<std::uint64_t>();
  std::mutex reasons_mu;
  std::map<std::string, std::size_t> refusals;
  std::atomic<std::size_t> next_chunk{0}, accepted{0};
  std::atomic<bool> submitting{true};
  const auto submit_start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  const MachineTicks machine_start = machine_ticks();
  const double node_cpu_start = o.node_pid ? other_process_cpu_seconds(*o.node_pid) : 0;
  std::atomic<std::int64_t> last_answer_ns{0};

  auto submitter = [&] {
    RpcClient rpc(o.rpc, std::chrono::seconds(60));
    for (std::size_t c; (c = next_chunk++) < chunks.size();) {
      const auto& [first, body] = chunks[c];
      const std::size_t end = std::min(first + o.batch, intents.size());
      const auto sent = Clock::now();
      for (std::size_t i = first; i < end; ++i) tr.submitted[i] = sent;
      auto res = rpc.http().post(body);
      SubmitAnswers answers;
      pactum::bench::read_json_events(res.body, answers);
      for (const auto& a : answers.items) {
        if (!a.id || *a.id < first || *a.id >= end) continue;
        if (a.accepted) {
          tr.accepted[*a.id] = 1;
          ++accepted;
        } else {
          std::lock_guard lock(reasons_mu);
          ++refusals[a.reason.empty() ? "unknown" : a.reason];
        }
      }
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - submit_start).count();
      for (auto prev = last_answer_ns.load(); prev < ns && !last_answer_ns.compare_exchange_weak(prev, ns);) {
      }
    }
  };

  // The follower reads every new block's receipts and stamps what it carried.
  std::size_t settled = 0, finals = 0;
  Clock::time_point last_settled = submit_start;
  std::map<std::string, std::size_t> statuses;
  std::uint64_t blocks_seen = 0;
  // Reads blocks seen_height + 1 .. head.
  auto follow = [&](std::uint64_t& seen_height, std::uint64_t head, RpcClient& rpc) {
    const auto now = Clock::now();
    for (; seen_height < head; ++seen_height) {
      const std::string request = R"({"jsonrpc":"2.0","id":1,"method":"pactum_getBlock","params":[)" +
                                  std::to_string(seen_height + 1) + ",false]}";
      auto res = rpc.http().post(request);
      ReceiptStatuses receipts;
      if (!pactum::bench::read_json_events(res.body, receipts) || !receipts.saw_receipts) {
        throw std::runtime_error("pactum_getBlock " + std::to_string(seen_height + 1) + " gave no receipts: " +
                                 res.body.substr(0, 200));
      }
      ++blocks_seen;
      for (const auto& [intent, status] : receipts.items) {
        auto it = index_of.find(intent);
        if (it == index_of.end()) continue;
        const std::size_t i = it->second;
        if (!tr.included_flag[i]) {
          tr.included_flag[i] = 1;
          tr.included[i] = now;
        }
        if (status == "unfilled" || !tr.final_status[i].empty()) continue;
        tr.final_status[i] = status;
        ++statuses[status];
        ++finals;
        if (status == "settled") {
          ++settled;
          last_settled = now;
        }
      }
    }
  };

  std::vector<std::thread> pool;
  for (unsigned t = 0; t < o.threads; ++t) pool.emplace_back(submitter);
  RpcClient follower(o.rpc, std::chrono::seconds(60));
  // New blocks are pushed over a WebSocket rather than polled for: a poll every few
  // milliseconds would cost both processes CPU, and the inclusion times are sharper.
  pactum::client::WsClient heads(o.rpc, std::chrono::seconds(60));
  heads.call("pactum_subscribe", json::array({"newBlocks"}));
  std::uint64_t seen_height = start_height, head = start_height;
  std::thread joiner([&] {
    for (auto& t : pool) t.join();
    submitting = false;
  });
  const auto deadline = Clock::now() + std::chrono::seconds(o.timeout_s);
  auto last_push = Clock::now();
  while (true) {
    follow(seen_height, head, follower);
    if (!submitting && finals >= accepted.load()) break;
    if (Clock::now() > deadline) {
      std::cout << "timeout: " << accepted.load() - finals << " accepted intents not final\n";
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
  // This process shares the machine with the node: its CPU during the run is what the
  // node could not use.
  const double loadgen_cores = (process_cpu_seconds() - cpu_start) / std::max(1e-9, seconds_between(submit_start, Clock::now()));
  const double node_cpu_s = o.node_pid ? other_process_cpu_seconds(*o.node_pid) - node_cpu_start : 0;
  const MachineTicks machine_end = machine_ticks();
  const double machine_idle =
      machine_end.total > machine_start.total
          ? static_cast<double>(machine_end.idle - machine_start.idle) / static_cast<double>(machine_end.total - machine_start.total)
          : 0;

  const double submit_s = std::max(1e-9, static_cast<double>(last_answer_ns.load()) / 1e9);
  const double settle_s = std::max(1e-9, seconds_between(submit_start, last_settled));
  std::vector<double> latencies_ms;
  for (std::size_t i = 0; i < intents.size(); ++i) {
    if (tr.accepted[i] && tr.included_flag[i]) {
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(tr.included[i] - tr.submitted[i]).count());
    }
  }
  const double accepted_rate = static_cast<double>(accepted.load()) / submit_s;
  const double settled_rate = static_cast<double>(settled) / settle_s;
  const double target = static_cast<double>(cores) * verify_rate / 2;
  const double p50 = percentile(latencies_ms, 0.50), p99 = percentile(latencies_ms, 0.99);

  std::printf("accepted: %zu of %zu in %.3f s = %.0f /s\n", accepted.load(), intents.size(), submit_s, accepted_rate);
  for (const auto& [reason, n] : refusals) std::printf("  refused %s: %zu\n", reason.c_str(), n);
  std::printf("settled:  %zu in %.3f s = %.0f /s over %llu blocks\n", settled, settle_s, settled_rate,
              static_cast<unsigned long long>(blocks_seen));
  for (const auto& [status, n] : statuses) std::printf("  %s: %zu\n", status.c_str(), n);
  std::printf("latency submit->inclusion: p50 %.1f ms, p99 %.1f ms\n", p50, p99);
  std::printf("load generator's own CPU during the run: %.2f cores; machine idle: %.1f%%\n", loadgen_cores,
              100 * machine_idle);
  std::printf("target (cores x verify rate / 2) = %u x %.0f / 2 = %.0f /s; settled/target = %.3f\n", cores,
              verify_rate, target, settled_rate / target);
  // Less noisy than the ratio on a shared machine: the target holds when the node's CPU per
  // intent is at most 2 x (cores - this process's cores) / cores verify times.
  const double node_us_per_intent = settled ? node_cpu_s * 1e6 / static_cast<double>(settled) : 0;
  const double node_verifies_per_intent = node_us_per_intent * verify_rate / 1e6;
  const double budget_verifies = 2.0 * (static_cast<double>(cores) - loadgen_cores) / static_cast<double>(cores);
  if (o.node_pid) {
    std::printf("node CPU per settled intent: %.1f us = %.2f raw verify times (the target allows %.2f)\n",
                node_us_per_intent, node_verifies_per_intent, budget_verifies);
  }

  json summary{{"intents", intents.size()},
               {"accounts", o.accounts},
               {"batch", o.batch},
               {"threads", o.threads},
               {"cores", cores},
               {"accepted", accepted.load()},
               {"refused", refusals},
               {"settled", settled},
               {"statuses", statuses},
               {"blocks", blocks_seen},
               {"accepted_per_s", static_cast<std::int64_t>(accepted_rate)},
               {"settled_per_s", static_cast<std::int64_t>(settled_rate)},
               {"latency_p50_ms", p50},
               {"latency_p99_ms", p99},
               {"verify_per_s_1thread", static_cast<std::int64_t>(verify_rate)},
               {"target_per_s", static_cast<std::int64_t>(target)},
               {"target_ratio", settled_rate / target},
               {"loadgen_cores", loadgen_cores},
               {"machine_idle", machine_idle}};
  if (o.node_pid) {
    summary["node_cpu_us_per_intent"] = node_us_per_intent;
    summary["node_cpu_in_verifies"] = node_verifies_per_intent;
    summary["target_cpu_in_verifies"] = budget_verifies;
  }
  std::cout << summary.dump() << "\n";
  return finals >= accepted.load() ? 0 : 1;
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
