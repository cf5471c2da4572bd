// `pactum room` (open, seal, sign, show) and `pactum contract` (get, verify): negotiation
// rooms from the shell (docs/MECHANISMS.md §9). `room seal` encrypts on this machine, to
// the room's published key: the reservation never leaves it in plaintext.
#include <algorithm>
#include <iostream>

#include <openssl/rand.h>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::cli {

using nlohmann::json;

namespace {

SecretKey signing_key(const Args& args) {
  if (args.has("key") == args.has("dev")) throw UsageError("give exactly one of --key or --dev (see --help)");
  if (auto hex = args.get("key")) return parse_secret(*hex);
  auto index = parse_u64(*args.get("dev"), "--dev");
  if (index > 0xffffffffu) throw UsageError("--dev: index too large");
  return dev_secret_key(static_cast<std::uint32_t>(index));
}

std::string need(const Args& args, const std::string& name) {
  auto v = args.get(name);
  if (!v) throw UsageError("needs --" + name);
  return *v;
}

std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (ch == sep) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::uint64_t fresh_nonce() {
  std::uint64_t v = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) throw std::runtime_error("RAND_bytes failed");
  return v & kMaxSafeInteger;
}

void print_signed(json j, const SecretKey& key) {
  j["signer"] = key.public_key().hex();
  if (!j.contains("chain")) j["chain"] = "pactum-devnet";
  j["nonce"] = fresh_nonce();
  j["valid_until"] = kMaxSafeInteger;
  auto in = sign_intent(j, key);
  if (!in) throw std::runtime_error(std::string(errc_name(in.error().code)) + ": " + in.error().message);
  std::cout << intent_to_json(*in).dump() << "\n";
}

Hash32 parse_room(const std::string& text) {
  auto h = Hash32::from_hex(text, "room");
  if (!h) throw UsageError("--room: " + h.error().message);
  return *h;
}

constexpr std::string_view kRoomHelp =
    "usage: pactum room open  (--key K | --dev N) --seller ACCT --buyer ACCT --asset A --amount X\n"
    "                         --pay B --range LO,HI --close-height H [--mechanism midpoint|posted\n"
    "                         [--band K | --random]] [--consent W] [--chain C]   (--consent: the escrow\n"
    "                         moves only if both sign the outcome within W blocks of the close)\n"
    "       pactum room open  (--key K | --dev N) --mechanism multi_issue --parties A,B,.. --close-height H\n"
    "                         --issues 'NAME:V1,V2,..;NAME:V1,..'   (options: the product, last issue fastest)\n"
    "       pactum room open  (--key K | --dev N) --mechanism threshold --parties A,B,.. --k K\n"
    "                         --asset A --amount X --to ACCT --close-height H   (each yes voter pays X of A)\n"
    "       pactum room seal  (--key K | --dev N) --room ID --reservation X [--walk-away] [--rpc URL]\n"
    "       pactum room seal  (--key K | --dev N) --room ID --options I,J,.. [--scores DIGITS]   (multi_issue)\n"
    "       pactum room seal  (--key K | --dev N) --room ID [--no]                               (threshold: yes/no)\n"
    "       pactum room sign  (--key K | --dev N) --room ID [--rpc URL]\n"
    "       pactum room show  ID [--rpc URL]\n"
    "open prints a signed room_open (the price is the total paid in B for X of A; [LO, HI] is the\n"
    "public range, cut into 128 bands). seal fetches the room's key and prints a signed, sealed\n"
    "room_position: X is the seller's floor or the buyer's ceiling (in base units of B). sign prints\n"
    "a signed room_sign of the room's outcome. Submit them with `pactum submit`.\n";

// `room open` of a committee room (multi_issue or threshold): the parties vote.
int open_committee_room(const Args& args) {
  const SecretKey key = signing_key(args);
  json parties = json::array();
  for (const auto& p : split_list(need(args, "parties"), ',')) parties.push_back(parse_account(p).hex());
  json terms = {{"mechanism", *args.get("mechanism")},
                {"parties", parties},
                {"close_height", parse_u64(need(args, "close-height"), "--close-height")}};
  if (terms["mechanism"] == "multi_issue") {
    // --issues 'price:low,mid,high;start:q1,q2'
    json issues = json::array();
    for (const auto& issue : split_list(need(args, "issues"), ';')) {
      const auto colon = issue.find(':');
      if (colon == std::string::npos) throw UsageError("--issues: NAME:V1,V2;NAME:V1,...");
      issues.push_back({{"name", issue.substr(0, colon)}, {"values", split_list(issue.substr(colon + 1), ',')}});
    }
    terms["issues"] = issues;
  } else {
    terms["k"] = parse_u64(need(args, "k"), "--k");
    terms["action"] = {{"asset", need(args, "asset")},
                       {"amount", need(args, "amount")},
                       {"to", parse_account(need(args, "to")).hex()}};
  }
  json j = {{"kind", "room_open"}, {"terms", terms}};
  if (auto c = args.get("chain")) j["chain"] = *c;
  print_signed(j, key);
  return 0;
}

// `room open` of a price room (midpoint or posted): a seller and a buyer.
int open_price_room(const Args& args) {
  const SecretKey key = signing_key(args);
  const std::string range = need(args, "range");
  const auto comma = range.find(',');
  if (comma == std::string::npos) throw UsageError("--range: LO,HI");
  json terms = {{"mechanism", args.get_or("mechanism", "midpoint")},
                {"seller", parse_account(need(args, "seller")).hex()},
                {"buyer", parse_account(need(args, "buyer")).hex()},
                {"asset", need(args, "asset")},
                {"amount", need(args, "amount")},
                {"pay_asset", need(args, "pay")},
                {"range", {range.substr(0, comma), range.substr(comma + 1)}},
                {"close_height", parse_u64(need(args, "close-height"), "--close-height")}};
  if (terms["mechanism"] == "posted") {
    if (args.has("random") == args.has("band")) throw UsageError("mechanism posted needs --band K or --random");
    terms["posted"] =
        args.has("random") ? json{{"random", true}} : json{{"band", parse_u64(*args.get("band"), "--band")}};
  }
  if (auto window = args.get("consent")) {  // the escrow moves only once both have signed (MECHANISMS 9.6)
    terms["consent"] = true;
    terms["consent_window"] = parse_u64(*window, "--consent");
  }
  json j = {{"kind", "room_open"}, {"terms", terms}};
  if (auto c = args.get("chain")) j["chain"] = *c;
  print_signed(j, key);
  return 0;
}

// The position `room seal` seals, from the options that fit the room's mechanism.
SealedPosition position_of(const Args& args, const std::string& mechanism) {
  SealedPosition position{!args.has("walk-away") && !args.has("no"), 0, {}, {}};
  if (mechanism == "multi_issue") {
    std::uint64_t mask = 0;
    for (const auto& o : split_list(need(args, "options"), ',')) {
      const auto index = parse_u64(o, "--options");
      if (index >= kMaxRoomOptions) throw UsageError("--options: option indices are 0..63");
      mask |= std::uint64_t{1} << index;
    }
    position.options = mask;
    position.scores = args.get_or("scores", "");
    if (position.scores.size() > kMaxRoomOptions ||
        !std::all_of(position.scores.begin(), position.scores.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      throw UsageError("--scores: one decimal digit per option (at most 64), e.g. 0091");
  } else if (mechanism != "threshold") {
    auto reservation = parse_amount_json(json(need(args, "reservation")), "--reservation");
    if (!reservation) throw UsageError(reservation.error().message);
    position.reservation = *reservation;
  }
  return position;
}

// `room seal`: encrypted here, to the room's published key.
int seal_room_position(const Args& args, client::RpcClient& rpc, const SecretKey& key, const Hash32& room,
                       const json& info) {
  auto pub = point_from_hex(info.at("pubkey").get<std::string>(), "pubkey");
  if (!pub) throw std::runtime_error("the node's room key is not a point: " + pub.error().message);
  const SealedPosition position = position_of(args, info.at("terms").at("mechanism").get<std::string>());
  auto sealed = seal_position(*pub, room, key.public_key(), position);
  if (!sealed) throw std::runtime_error(sealed.error().message);
  json j = {{"kind", "room_position"},         {"room", room.hex()},
            {"eph", point_hex(sealed->eph)},   {"iv", to_hex(Bytes(sealed->iv))},
            {"ct", to_hex(Bytes(sealed->ct))}, {"chain", rpc.call("pactum_chainId").get<std::string>()}};
  print_signed(j, key);
  return 0;
}

// `room sign`: a signature of the room's published outcome.
int sign_room_outcome(client::RpcClient& rpc, const SecretKey& key, const Hash32& room, const json& info) {
  if (info.value("status", "") != "closed") throw std::runtime_error("room " + room.hex() + " has no outcome yet");
  // The digest is recomputed here from the published outcome, not taken from the node.
  auto terms_hash = Hash32::from_hex(info.at("terms_hash").get<std::string>(), "terms_hash");
  const json& o = info.at("outcome");
  Amount value = o.at("price").is_null() ? Amount(0) : Amount(o.at("price").get<std::string>());
  if (o.contains("yes")) {  // a threshold room: the value is the mask of the yes voters
    std::uint64_t mask = 0;
    const json& parties = info.at("terms").at("parties");
    for (const auto& y : o.at("yes"))
      for (std::size_t i = 0; i < parties.size(); ++i)
        if (parties[i] == y) mask |= std::uint64_t{1} << i;
    value = Amount(mask);
  }
  const Hash32 digest = outcome_digest(room, *terms_hash, o.at("byte").get<std::uint8_t>(), value);
  json j = {{"kind", "room_sign"},
            {"room", room.hex()},
            {"outcome_sig", key.sign(digest).hex()},
            {"chain", rpc.call("pactum_chainId").get<std::string>()}};
  print_signed(j, key);
  return 0;
}

}  // namespace

int cmd_room(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << kRoomHelp;
    return argv.empty() ? 1 : 0;
  }
  const std::string sub = argv[0];
  Args args(std::vector<std::string>(argv.begin() + 1, argv.end()),
            {"key",          "dev",       "seller", "buyer",   "asset",       "amount", "pay",   "range",
             "close-height", "mechanism", "band",   "room",    "reservation", "rpc",    "chain", "parties",
             "issues",       "k",         "to",     "options", "scores",      "consent"},
            {"random", "walk-away", "no"});
  if (args.help()) {
    std::cout << kRoomHelp;
    return 0;
  }
  if (sub == "open") {
    const std::string mechanism = args.get_or("mechanism", "");
    return mechanism == "multi_issue" || mechanism == "threshold" ? open_committee_room(args) : open_price_room(args);
  }
  client::RpcClient rpc(client::resolve_rpc_url(args.get("rpc")));
  if (sub == "show") {
    if (args.positional().size() != 1) throw UsageError("room show needs the room id");
    std::cout << rpc.call("pactum_getRoom", json::array({args.positional()[0]})).dump(2) << "\n";
    return 0;
  }
  const SecretKey key = signing_key(args);
  const Hash32 room = parse_room(need(args, "room"));
  const json info = rpc.call("pactum_getRoom", json::array({room.hex()}));
  if (sub == "seal") return seal_room_position(args, rpc, key, room, info);
  if (sub == "sign") return sign_room_outcome(rpc, key, room, info);
  throw UsageError("room: unknown subcommand '" + sub + "' (open, seal, sign, show)");
}

int cmd_contract(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << "usage: pactum contract get ROOM [--rpc URL]   the signed contract of a closed room\n"
                 "       pactum contract verify FILE|-          checks it offline (no node): the\n"
                 "       opener's room_open, the producer's room_key and room_outcome, every party's signature\n"
                 "       of the outcome digest. Exits 0 if it verifies, 1 if not.\n";
    return argv.empty() ? 1 : 0;
  }
  const std::string sub = argv[0];
  Args args(std::vector<std::string>(argv.begin() + 1, argv.end()), {"rpc"}, {});
  if (args.positional().size() != 1) throw UsageError("contract " + sub + " needs one argument");
  if (sub == "get") {
    client::RpcClient rpc(client::resolve_rpc_url(args.get("rpc")));
    std::cout << rpc.call("pactum_getContract", json::array({args.positional()[0]})).dump(2) << "\n";
    return 0;
  }
  if (sub == "verify") {
    const json c = parse_json_text(read_input(args.positional()[0]), "contract");
    auto ok = verify_room_contract(c);
    if (!ok) {
      std::cout << "contract does NOT verify: " << ok.error().message << "\n";
      return 1;
    }
    const bool deal = c.at("deal").get<bool>();
    std::string what = "no deal";
    if (deal && c.contains("option"))
      what = "deal on option " + std::to_string(c.at("option").get<int>());
    else if (deal && c.contains("yes"))
      what = "threshold met (yes mask " + std::to_string(c.at("yes").get<std::uint64_t>()) + ")";
    else if (deal)
      what = "deal at band " + std::to_string(c.at("band").get<int>()) + ", price " + c.at("price").get<std::string>();
    std::cout << "contract verifies: room " << c.at("room").get<std::string>() << ", " << what << ", signed by all "
              << c.at("parties").size() << " parties, outcome by producer " << c.at("producer").get<std::string>()
              << " (check that this is the chain's producer)\n";
    return 0;
  }
  throw UsageError("contract: unknown subcommand '" + sub + "' (get, verify)");
}

}  // namespace pactum::cli
