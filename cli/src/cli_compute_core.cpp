// `pactum compute core ...`: a compute core (issue 20, docs/MECHANISMS.md section 13). It
// asks the controller for the permit its burn paid for, verifies it, then each tick polls
// the newest key, accepts it (durably, before any unit runs) and runs the workload for
// exactly the units unlocked; without credit it runs at the fallback share (0 = off). It
// stops after --idle-ticks ticks without a new key and prints a JSON summary.
#include <chrono>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"
#include "pactum/compute/acceptor.hpp"
#include "pactum/compute/workload.hpp"

namespace pactum::cli {

namespace {

struct CoreOptions {
  std::string controller_url;
  PublicKey controller_key;
  PublicKey core;
  Hash32 burn_id;
  std::uint64_t units = 0, request_nonce = 0, length = 0, expiry_height = 0, height = 0;
  std::optional<std::string> node;  // the chain's height from here (else --height)
  std::string state;
  std::uint64_t units_per_tick = 100, tick_ms = 10, idle_ticks = 50;
  std::uint32_t fallback_permille = 0;
};

std::string required(const Args& args, const std::string& name) {
  const auto v = args.get(name);
  if (!v) throw UsageError("compute core needs --" + name + " (pactum compute --help)");
  return *v;
}

template <class T>
T or_throw(Result<T> r) {
  if (!r) throw std::runtime_error(std::string(errc_name(r.error().code)) + ": " + r.error().message);
  return std::move(r).value();
}

CoreOptions core_options(const Args& args) {
  CoreOptions o;
  o.controller_url = required(args, "controller");
  o.controller_key = or_throw(PublicKey::from_hex(required(args, "controller-key"), "--controller-key"));
  o.core = parse_account(required(args, "core"));
  o.burn_id = or_throw(Hash32::from_hex(required(args, "burn-id"), "--burn-id"));
  o.units = parse_u64(required(args, "units"), "--units");
  o.request_nonce = parse_u64(required(args, "request-nonce"), "--request-nonce");
  o.length = parse_u64(required(args, "length"), "--length");
  o.expiry_height = parse_u64(required(args, "expiry-height"), "--expiry-height");
  o.node = args.get("node");
  if (o.node.has_value() == args.has("height")) throw UsageError("compute core needs one of --node URL or --height H");
  if (!o.node) o.height = parse_u64(required(args, "height"), "--height");
  o.state = required(args, "state");
  o.units_per_tick = parse_u64(args.get_or("units-per-tick", "100"), "--units-per-tick");
  o.tick_ms = parse_u64(args.get_or("tick-ms", "10"), "--tick-ms");
  o.idle_ticks = parse_u64(args.get_or("idle-ticks", "50"), "--idle-ticks");
  const std::uint64_t permille = parse_u64(args.get_or("fallback-permille", "0"), "--fallback-permille");
  if (permille > 1000) throw UsageError("--fallback-permille: 0 to 1000");
  o.fallback_permille = static_cast<std::uint32_t>(permille);
  return o;
}

nlohmann::json controller_call(client::HttpClient& http, bool post, const std::string& target,
                               const std::string& body) {
  const client::HttpResponse res = post ? http.post(body) : http.get(target);
  nlohmann::json j = nlohmann::json::parse(res.body, nullptr, false);
  if (j.is_discarded())
    throw std::runtime_error("controller: answer is not JSON (HTTP " + std::to_string(res.status) + ")");
  if (res.status != 200 && j.contains("error"))
    throw std::runtime_error("controller refused: " + j["error"].value("reason", "") + ": " +
                             j["error"].value("message", ""));
  return j;
}

compute::Permit fetch_permit(const CoreOptions& o) {
  client::HttpClient http(o.controller_url + "/permit");
  const nlohmann::json request = {{"core", o.core.hex()},
                                  {"burn_id", o.burn_id.hex()},
                                  {"units", o.units},
                                  {"request_nonce", o.request_nonce},
                                  {"expiry_height", o.expiry_height},
                                  {"length", o.length}};
  return or_throw(compute::Permit::from_json(controller_call(http, true, "", request.dump())));
}

// The newest key the controller has released, if any.
std::optional<Hash32> poll_key(client::HttpClient& http, const CoreOptions& o) {
  const nlohmann::json j = controller_call(http, false, "/keys?burn_id=" + o.burn_id.hex(), "");
  if (!j.contains("key") || j["key"].is_null()) return std::nullopt;
  return or_throw(Hash32::from_hex(j["key"].get<std::string>(), "key"));
}

// The chain's height: the node's head (pactum_blockNumber) with --node, else --height.
std::uint64_t chain_height(const CoreOptions& o) {
  if (!o.node) return o.height;
  client::RpcClient rpc(*o.node);
  return rpc.call("pactum_blockNumber").get<std::uint64_t>();
}

}  // namespace

int cmd_compute_core(const std::vector<std::string>& argv) {
  Args args(argv,
            {"controller", "controller-key", "core", "burn-id", "units", "request-nonce", "length", "expiry-height",
             "height", "node", "state", "units-per-tick", "tick-ms", "idle-ticks", "fallback-permille"},
            {});
  const CoreOptions o = core_options(args);
  const compute::Permit permit = fetch_permit(o);
  std::uint64_t height = chain_height(o);
  compute::KeyAcceptor acceptor =
      or_throw(compute::KeyAcceptor::open(permit, o.controller_key, o.core, height, o.state));
  compute::Workload work(o.units_per_tick, o.fallback_permille);
  client::HttpClient keys(o.controller_url);
  std::optional<Hash32> last_seen;
  std::uint64_t idle = 0, refused = 0;
  while (idle < o.idle_ticks) {
    const auto key = poll_key(keys, o);
    bool fresh = false;
    if (key && key != last_seen) {
      last_seen = key;
      height = chain_height(o);
      const auto accepted = acceptor.accept(acceptor.permit_digest(), *key, height);
      if (accepted) {
        work.grant(accepted->units);
        fresh = true;
      } else {
        ++refused;
        std::cerr << "refused key: " << errc_name(accepted.error().code) << ": " << accepted.error().message << "\n";
      }
    }
    work.tick();
    idle = (fresh || work.credit() > 0) ? 0 : idle + 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(o.tick_ms));
  }
  std::cout << nlohmann::json{{"permit", acceptor.permit_digest().hex()},
                              {"keys_accepted", acceptor.accepted()},
                              {"units_unlocked", acceptor.units_unlocked()},
                              {"units_paid", work.paid_done()},
                              {"units_unpaid", work.unpaid_done()},
                              {"keys_refused", refused},
                              {"digest", work.digest().hex()}}
                   .dump()
            << "\n";
  return 0;
}

}  // namespace pactum::cli
