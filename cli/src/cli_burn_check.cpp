// The controller's burn check against a node (burn_check.hpp) and the commands that save
// and check a burn's evidence offline:
//   pactum compute fetch-burn --rpc URL --burn-id HEX [trust options] [--out FILE]
//   pactum compute verify-burn --proof FILE [--headers FILE] --core ACCOUNT --units N
//                              --request-nonce N [--burn-id HEX] [trust options]
#include <fstream>
#include <iostream>

#include "burn_check.hpp"
#include "commands.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/state.hpp"

namespace pactum::cli {

namespace {

using nlohmann::json;

constexpr std::string_view kTrustHelp =
    "trust options: --trust-header HEIGHT:HASH (default: block 0 of --genesis FILE or of the\n"
    "               devnet genesis, recomputed here) --producer PUBKEY (default: the genesis\n"
    "               producer) --asset SYMBOL (COMPUTE) --price AMOUNT_PER_UNIT (1)\n";

template <class T>
T or_throw(Result<T> r) {
  if (!r) throw std::runtime_error(std::string(errc_name(r.error().code)) + ": " + r.error().message);
  return std::move(r).value();
}

// The header members of a block or block summary (pactum_getBlock, pactum_getBlocks).
Result<BlockHeader> header_members(const json& block) {
  json h = json::object();
  for (const char* k :
       {"height", "parent", "timestamp", "state_root", "intents_root", "receipts_root", "producer", "hash", "sig"})
    if (block.is_object() && block.contains(k)) h[k] = block[k];
  return BlockHeader::from_json(h);
}

// Headers from..to, oldest first, 100 per pactum_getBlocks call (it answers newest first).
Result<std::vector<BlockHeader>> fetch_headers(client::RpcClient& rpc, std::uint64_t from, std::uint64_t to) {
  std::vector<BlockHeader> newest_first;
  for (std::uint64_t top = to;;) {
    const std::uint64_t count = std::min<std::uint64_t>(100, top - from + 1);
    const json blocks = rpc.call("pactum_getBlocks", json{{"to", top}, {"count", count}});
    if (!blocks.is_array() || blocks.size() != count)
      return make_error(
          Errc::not_found,
          "block: the node served no blocks " + std::to_string(top - count + 1) + ".." + std::to_string(top), "block");
    for (const json& b : blocks) {
      PACTUM_ASSIGN(h, header_members(b));
      newest_first.push_back(std::move(h));
    }
    if (top - from + 1 == count) break;
    top -= count;
  }
  return std::vector<BlockHeader>(newest_first.rbegin(), newest_first.rend());
}

}  // namespace

compute::BurnTrust burn_trust(const Args& args) {
  compute::BurnTrust trust;
  const bool need_genesis = !args.has("trust-header") || !args.has("producer");
  std::optional<Genesis> genesis;
  if (need_genesis) genesis = genesis_or_throw(args.get("genesis"));
  if (auto th = args.get("trust-header")) {
    const auto colon = th->find(':');
    if (colon == std::string::npos) throw UsageError("--trust-header: HEIGHT:HASH");
    trust.height = parse_u64(th->substr(0, colon), "--trust-header height");
    trust.hash = or_throw(Hash32::from_hex(th->substr(colon + 1), "--trust-header hash"));
  } else {
    State state;
    state.apply(genesis_delta(*genesis));
    trust.height = 0;
    trust.hash = genesis_block(*genesis, state.root()).header.hash();
  }
  trust.producer = args.has("producer") ? parse_account(*args.get("producer")) : genesis->producer;
  trust.asset = args.get_or("asset", "COMPUTE");
  trust.price_per_unit = or_throw(parse_amount(args.get_or("price", "1"), "--price"));
  if (trust.price_per_unit == 0) throw UsageError("--price: at least 1");
  return trust;
}

Result<compute::BurnEvidence> fetch_burn_evidence(client::RpcClient& rpc, const Hash32& burn_id,
                                                  const compute::BurnTrust& trust) {
  try {
    json status;
    try {
      status = rpc.call("pactum_getIntent", json::array({burn_id.hex()}));
    } catch (const client::RpcError& e) {
      if (e.reason != "not_found") throw;
      return make_error(Errc::not_found, "burn_id: the node knows no intent " + burn_id.hex(), "burn_id");
    }
    if (!status.contains("block") || !status["block"].is_number_unsigned())
      return make_error(Errc::not_found,
                        "burn_id: the burn " + burn_id.hex() + " is " + status.value("status", "?") +
                            ", in no block yet (not settled)",
                        "burn_id");
    compute::BurnEvidence e;
    e.block = status["block"].get<std::uint64_t>();
    e.intent = status["intent"];
    if (e.block < trust.height)
      return make_error(Errc::burn_invalid,
                        "block: the burn is in block " + std::to_string(e.block) + ", below the trusted header " +
                            std::to_string(trust.height),
                        "block");
    const json rp = rpc.call("pactum_getReceiptProof", json{{"block", e.block}, {"intent", burn_id.hex()}});
    PACTUM_ASSIGN(receipt, Receipt::from_json(rp.at("receipt")));
    e.receipt = std::move(receipt);
    PACTUM_ASSIGN(proof, ReceiptProof::from_json(rp.at("proof")));
    e.proof = std::move(proof);
    PACTUM_ASSIGN(headers, fetch_headers(rpc, trust.height, e.block));
    e.headers = std::move(headers);
    return e;
  } catch (const std::exception& ex) {  // the node is unreachable or answers nonsense
    return make_error(Errc::internal, std::string("node: ") + ex.what());
  }
}

compute::BurnCheck node_burn_check(std::string rpc_url, compute::BurnTrust trust) {
  return [url = std::move(rpc_url), trust = std::move(trust)](const compute::BurnClaim& claim) -> Result<void> {
    client::RpcClient rpc(url);
    PACTUM_ASSIGN(evidence, fetch_burn_evidence(rpc, claim.burn_id, trust));
    PACTUM_TRY(compute::verify_burn(evidence, claim, trust));
    return {};
  };
}

int cmd_compute_fetch_burn(const std::vector<std::string>& argv) {
  std::set<std::string> known = {"rpc", "burn-id", "out"};
  known.insert(kBurnTrustOptions.begin(), kBurnTrustOptions.end());
  Args args(argv, known, {});
  if (args.help() || !args.has("burn-id")) {
    std::cout << "usage: pactum compute fetch-burn [--rpc URL] --burn-id HEX [--out FILE] [trust options]\n"
                 "  writes the burn's evidence (intent, receipt, proof, headers from the trusted one)\n"
              << kTrustHelp;
    return args.help() ? 0 : 1;
  }
  const compute::BurnTrust trust = burn_trust(args);
  client::RpcClient rpc(client::resolve_rpc_url(args.get("rpc")));
  const Hash32 burn_id = or_throw(Hash32::from_hex(*args.get("burn-id"), "--burn-id"));
  const std::string text = or_throw(fetch_burn_evidence(rpc, burn_id, trust)).to_json().dump(1) + "\n";
  if (auto out = args.get("out")) {
    std::ofstream(*out) << text;
  } else {
    std::cout << text;
  }
  return 0;
}

int cmd_compute_verify_burn(const std::vector<std::string>& argv) {
  std::set<std::string> known = {"proof", "headers", "core", "units", "request-nonce", "burn-id"};
  known.insert(kBurnTrustOptions.begin(), kBurnTrustOptions.end());
  Args args(argv, known, {});
  if (args.help() || !args.has("proof") || !args.has("core") || !args.has("units") || !args.has("request-nonce")) {
    std::cout << "usage: pactum compute verify-burn --proof FILE [--headers FILE] --core ACCOUNT --units N\n"
                 "                                  --request-nonce N [--burn-id HEX] [trust options]\n"
                 "  checks a saved burn evidence with no node; --headers FILE (a JSON array of headers)\n"
                 "  replaces the evidence's \"headers\". Prints the verified burn; exits 1 on a refusal.\n"
              << kTrustHelp;
    return args.help() ? 0 : 1;
  }
  const compute::BurnTrust trust = burn_trust(args);
  json j = parse_json_text(read_input(*args.get("proof")), "--proof");
  if (auto h = args.get("headers")) j["headers"] = parse_json_text(read_input(*h), "--headers");
  const compute::BurnEvidence evidence = or_throw(compute::BurnEvidence::from_json(j));
  compute::BurnClaim claim{parse_account(*args.get("core")), evidence.receipt.intent,
                           parse_u64(*args.get("units"), "--units"),
                           parse_u64(*args.get("request-nonce"), "--request-nonce")};
  if (auto id = args.get("burn-id")) claim.burn_id = or_throw(Hash32::from_hex(*id, "--burn-id"));
  auto verified = compute::verify_burn(evidence, claim, trust);
  if (!verified) {
    std::cerr << "refused: " << errc_name(verified.error().code) << " (field " << verified.error().field
              << "): " << verified.error().message << "\n";
    return 1;
  }
  std::cout << json{{"burn_id", claim.burn_id.hex()},
                    {"payer", verified->payer.hex()},
                    {"amount", amount_to_string(verified->amount)},
                    {"block", verified->height},
                    {"core", claim.core.hex()},
                    {"units", claim.units}}
                   .dump()
            << "\n";
  return 0;
}

}  // namespace pactum::cli
