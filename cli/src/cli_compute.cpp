// `pactum compute controller ...`: the hardware controller of metered compute (issue 20,
// docs/MECHANISMS.md section 13) as an HTTP service on loopback, and the dispatch of
// `pactum compute core` (cli_compute_core.cpp) and of fetch-burn / verify-burn
// (cli_burn_check.cpp).
//   POST /permit {"core","burn_id","units","request_nonce","expiry_height","length"} -> the
//        signed permit, once the burn checks out against the node (burn_check.hpp); the
//        same permit again for a burn already issued to the same core
//   GET  /keys?burn_id=HEX -> {"permit","released","length","key"}: the newest key
//        released so far (it stands for every key before it), null before the first
// A blocking server, one request per connection: a controller serves a few local cores.
#include <chrono>
#include <iostream>
#include <map>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "burn_check.hpp"
#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/compute/issuer.hpp"
#include "pactum/intents/field_reader.hpp"

namespace pactum::cli {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kComputeHelp =
    "usage: pactum compute controller --key HEX --listen 127.0.0.1:PORT --ledger FILE --node URL\n"
    "                                 [--rate KEYS_PER_S] [--stop-after N] [trust options]\n"
    "         serves permits and keys over HTTP (POST /permit, GET /keys?burn_id=HEX);\n"
    "         a permit only for a burn whose evidence from the node checks out offline\n"
    "         against the trusted header and the producer's key (trust options: pactum\n"
    "         compute verify-burn --help); --rate 0 (default) releases a permit's keys at\n"
    "         once; --stop-after N releases at most N keys of each permit (the off-switch).\n"
    "         Prints \"listening on HOST:PORT\".\n"
    "       pactum compute core --controller URL --controller-key HEX --core ACCOUNT\n"
    "                           --burn-id HEX --units N --request-nonce N --length L\n"
    "                           --expiry-height H (--node URL | --height H) --state FILE\n"
    "                           [--units-per-tick N] [--tick-ms MS]\n"
    "                           [--fallback-permille P] [--idle-ticks N]\n"
    "         fetches and verifies the permit, polls keys, runs the workload for exactly\n"
    "         the units unlocked (then at P/1000 of full speed; 0 = off), and stops after\n"
    "         N ticks without a new key. Prints a JSON summary. --node: the chain's height\n"
    "         from the node (pactum_blockNumber), read at start and at each new key.\n"
    "       pactum compute fetch-burn ... | verify-burn ...: a burn's evidence, saved and\n"
    "         checked offline (each with --help).\n";

constexpr FieldReader kReader(Errc::invalid_params);

struct Stream {
  compute::KeyRelease release;
  Clock::time_point start;
  std::optional<Hash32> newest;
};

struct Controller {
  compute::Issuer issuer;
  std::uint64_t rate = 0;
  std::uint64_t stop_after = UINT64_MAX;
  std::map<Hash32, Stream> streams;  // by burn id
};

struct Reply {
  http::status status = http::status::ok;
  nlohmann::json body;
};

Reply error_reply(const Error& e) {
  nlohmann::json err = {{"code", static_cast<int>(e.code)}, {"reason", errc_name(e.code)}, {"message", e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  const bool missing = e.code == Errc::not_found;
  return {missing ? http::status::not_found : http::status::bad_request, {{"error", err}}};
}

Result<compute::Permit> issue_or_repeat(Controller& c, const nlohmann::json& j) {
  PACTUM_TRY(kReader.object_with(j, "", {"core", "burn_id", "units", "request_nonce", "expiry_height", "length"}));
  PACTUM_ASSIGN(core, kReader.account(j, "", "core"));
  PACTUM_ASSIGN(burn_id, kReader.hash(j, "", "burn_id"));
  PACTUM_ASSIGN(units, kReader.uint(j, "", "units", UINT64_MAX));
  PACTUM_ASSIGN(request_nonce, kReader.uint(j, "", "request_nonce", UINT64_MAX));
  PACTUM_ASSIGN(expiry, kReader.uint(j, "", "expiry_height", UINT64_MAX));
  PACTUM_ASSIGN(length, kReader.uint(j, "", "length", compute::kMaxChainLength));
  for (const compute::Permit& p : c.issuer.issued())
    if (p.burn_id == burn_id && p.core == core && p.units == units && p.length == length && p.expiry_height == expiry)
      return p;  // the core asks again (a restart): the same permit, not a second one
  return c.issuer.issue(core, burn_id, units, expiry, length, request_nonce);
}

Result<nlohmann::json> keys_for(Controller& c, const std::string& burn_hex) {
  PACTUM_ASSIGN(burn_id, Hash32::from_hex(burn_hex, "burn_id"));
  const compute::Permit* permit = nullptr;
  for (const compute::Permit& p : c.issuer.issued())
    if (p.burn_id == burn_id) permit = &p;
  if (permit == nullptr) return make_error(Errc::not_found, "burn_id: no permit for burn " + burn_hex, "burn_id");
  auto it = c.streams.find(burn_id);
  if (it == c.streams.end()) {
    PACTUM_ASSIGN(chain, c.issuer.chain_for(burn_id));
    it = c.streams.emplace(burn_id, Stream{compute::KeyRelease(std::move(chain), c.rate), Clock::now(), {}}).first;
  }
  Stream& s = it->second;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - s.start).count();
  if (auto key = s.release.newest_due(static_cast<std::uint64_t>(elapsed), c.stop_after)) s.newest = key;
  return nlohmann::json{{"permit", permit->digest().hex()},
                        {"released", s.release.chain().released()},
                        {"length", permit->length},
                        {"key", s.newest ? nlohmann::json(s.newest->hex()) : nlohmann::json(nullptr)}};
}

Reply handle(Controller& c, const http::request<http::string_body>& req) {
  const std::string target(req.target());
  if (req.method() == http::verb::post && target == "/permit") {
    const nlohmann::json j = nlohmann::json::parse(req.body(), nullptr, false);
    if (j.is_discarded()) return error_reply(make_error(Errc::parse_error, "the body is not JSON"));
    auto permit = issue_or_repeat(c, j);
    if (!permit) return error_reply(permit.error());
    return {http::status::ok, permit->to_json()};
  }
  const std::string keys_prefix = "/keys?burn_id=";
  if (req.method() == http::verb::get && target.rfind(keys_prefix, 0) == 0) {
    auto keys = keys_for(c, target.substr(keys_prefix.size()));
    if (!keys) return error_reply(keys.error());
    return {http::status::ok, *keys};
  }
  return error_reply(make_error(Errc::not_found, "no such resource: " + target));
}

void serve_one(Controller& c, tcp::socket& socket) {
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  beast::error_code ec;
  http::read(socket, buffer, parser, ec);
  if (ec) return;
  const Reply reply = handle(c, parser.get());
  http::response<http::string_body> res{reply.status, 11};
  res.set(http::field::content_type, "application/json");
  res.keep_alive(false);
  res.body() = reply.body.dump();
  res.prepare_payload();
  http::write(socket, res, ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

int run_controller(const std::vector<std::string>& argv) {
  std::set<std::string> known = {"key", "listen", "ledger", "rate", "stop-after", "node"};
  known.insert(kBurnTrustOptions.begin(), kBurnTrustOptions.end());
  Args args(argv, known, {});
  if (args.help()) {
    std::cout << kComputeHelp;
    return 0;
  }
  const auto key = args.get("key");
  const auto ledger = args.get("ledger");
  const auto node = args.get("node");
  if (!key || !ledger || !node) throw UsageError("compute controller needs --key, --ledger and --node");
  const std::string listen = args.get_or("listen", "127.0.0.1:0");
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen: HOST:PORT");
  auto issuer = compute::Issuer::open(parse_secret(*key), *ledger, node_burn_check(*node, burn_trust(args)));
  if (!issuer) throw std::runtime_error(issuer.error().message);
  Controller c{std::move(*issuer),
               parse_u64(args.get_or("rate", "0"), "--rate"),
               args.has("stop-after") ? parse_u64(*args.get("stop-after"), "--stop-after") : UINT64_MAX,
               {}};
  net::io_context ioc;
  const auto address = net::ip::make_address(listen.substr(0, colon));
  if (!address.is_loopback()) throw UsageError("--listen: loopback only (the controller has no access control)");
  tcp::acceptor acceptor(ioc, {address, static_cast<unsigned short>(parse_u64(listen.substr(colon + 1), "--listen"))});
  std::cout << "listening on " << address.to_string() << ":" << acceptor.local_endpoint().port() << std::endl;
  for (;;) {
    tcp::socket socket(ioc);
    acceptor.accept(socket);
    serve_one(c, socket);
  }
}

}  // namespace

int cmd_compute(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kComputeHelp;
    return args.empty() ? 1 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "controller") return run_controller(rest);
  if (args[0] == "core") return cmd_compute_core(rest);
  if (args[0] == "fetch-burn") return cmd_compute_fetch_burn(rest);
  if (args[0] == "verify-burn") return cmd_compute_verify_burn(rest);
  throw UsageError("unknown compute subcommand '" + args[0] + "' (controller, core, fetch-burn, verify-burn)");
}

}  // namespace pactum::cli
