// `pactum sign`: builds an intent from flags (or takes an unsigned one as JSON), signs it
// and prints the signed intent on one line, ready for `pactum submit`.
#include <iostream>
#include <sstream>

#include <openssl/rand.h>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/intents/intent.hpp"

namespace pactum::cli {

using nlohmann::json;

namespace {

constexpr std::string_view kSignHelp =
    "usage: pactum sign (--key SECRET_HEX | --dev N) [--json FILE|-]\n"
    "       pactum sign (--key SECRET_HEX | --dev N) --kind KIND [common] [kind options]\n"
    "common:   --chain C (default pactum-devnet)  --nonce N (default: random 53-bit)\n"
    "          --valid-until H (default 9007199254740991)\n"
    "          --valid-from H (first block height that may include it; default: none, no wait)\n"
    "transfer: --asset A --to ACCOUNT --amount X\n"
    "swap:     --sell A --buy B --side sell|buy --sell-amount X --buy-amount Y [--partial]\n"
    "          side sell: sell exactly X, receive at least Y; side buy: receive exactly Y,\n"
    "          pay at most X\n"
    "cancel:   --ids ID,ID,...\n"
    "burn:     --asset A --amount X --request HASH (64 hex), or --core ACCOUNT --units U\n"
    "          --request-nonce N for the compute request hash of that core, units and nonce\n"
    "lock:     --asset A --amount X --until H   (A becomes the locked asset A@H)\n"
    "unlock:   --asset A@H --amount X           (at height >= H; A@H becomes A)\n"
    "reveal:   --preimage HEX (1..128 bytes)    (publishes it; reveals SHA-256(HEX) conditions\n"
    "          of its block hold)\n"
    "ACCOUNT is 64 hex digits or dev:N. With --json the object may omit signer, chain, nonce\n"
    "and valid_until (filled as above); a \"sig\" in it is replaced; any \"dev:N\" string in it\n"
    "becomes that dev account's key. Commitments (kind commit) and bundles (kind bundle) are\n"
    "signed from --json; a bundle's other movers add theirs with `pactum cosign`.\n"
    "Prints the signed intent JSON on one line.\n";

std::uint64_t random_nonce() {
  std::uint64_t v = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return v & kMaxSafeInteger;
}

std::string need(const Args& args, const std::string& name, std::string_view kind) {
  auto v = args.get(name);
  if (!v) throw UsageError(std::string(kind) + " needs --" + name);
  return *v;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

json intent_from_flags(const Args& args) {
  std::string kind = need(args, "kind", "sign");
  json j{{"kind", kind}};
  if (kind == "transfer") {
    j["asset"] = need(args, "asset", kind);
    j["to"] = parse_account(need(args, "to", kind)).hex();
    j["amount"] = need(args, "amount", kind);
  } else if (kind == "swap") {
    j["sell_asset"] = need(args, "sell", kind);
    j["buy_asset"] = need(args, "buy", kind);
    j["side"] = need(args, "side", kind);
    j["sell_amount"] = need(args, "sell-amount", kind);
    j["buy_amount"] = need(args, "buy-amount", kind);
    j["partial"] = args.has("partial");
  } else if (kind == "cancel") {
    j["ids"] = split_commas(need(args, "ids", kind));
  } else if (kind == "burn") {
    j["asset"] = need(args, "asset", kind);
    j["amount"] = need(args, "amount", kind);
    if (auto r = args.get("request")) {
      j["request"] = *r;
    } else {
      const PublicKey core = parse_account(need(args, "core", kind));
      j["request"] = compute_request_hash(core, parse_u64(need(args, "units", kind), "--units"),
                                          parse_u64(need(args, "request-nonce", kind), "--request-nonce"))
                         .hex();
    }
  } else if (kind == "lock") {
    j["asset"] = need(args, "asset", kind);
    j["amount"] = need(args, "amount", kind);
    j["until"] = parse_u64(need(args, "until", kind), "--until");
  } else if (kind == "unlock") {
    j["asset"] = need(args, "asset", kind);
    j["amount"] = need(args, "amount", kind);
  } else if (kind == "reveal") {
    j["preimage"] = need(args, "preimage", kind);
  } else {
    throw UsageError("--kind must be transfer, swap, cancel, burn, lock, unlock or reveal, not '" + kind + "'");
  }
  return j;
}

}  // namespace

int cmd_sign(const std::vector<std::string>& argv) {
  Args args(argv, {"key",   "dev",     "json",   "kind",  "chain",         "nonce", "valid-until", "valid-from",
                   "asset", "to",      "amount", "sell",  "buy",           "side",  "sell-amount", "buy-amount",
                   "ids",   "request", "core",   "units", "request-nonce", "until", "preimage"},
            {"partial"});
  if (args.help()) {
    std::cout << kSignHelp;
    return 0;
  }
  if (args.has("key") == args.has("dev")) throw UsageError("give exactly one of --key or --dev (see --help)");
  std::optional<SecretKey> key;
  if (auto hex = args.get("key")) {
    key = parse_secret(*hex);
  } else {
    auto index = parse_u64(*args.get("dev"), "--dev");
    if (index > 0xffffffffu) throw UsageError("--dev: index too large");
    key = dev_secret_key(static_cast<std::uint32_t>(index));
  }

  json unsigned_intent;
  if (auto file = args.get("json")) {
    if (args.has("kind")) throw UsageError("give either --json or --kind, not both");
    unsigned_intent = parse_json_text(read_input(*file), "intent");
    if (!unsigned_intent.is_object()) throw UsageError("the intent JSON must be an object");
    unsigned_intent.erase("sig");
    resolve_dev_accounts(unsigned_intent);
  } else {
    unsigned_intent = intent_from_flags(args);
  }
  // Flags win over the JSON for the common fields; absent ones get their defaults.
  const std::string signer = key->public_key().hex();
  if (unsigned_intent.contains("signer") && unsigned_intent["signer"] != signer) {
    throw UsageError("the intent's signer is not the public key of the signing key");
  }
  unsigned_intent["signer"] = signer;
  if (auto c = args.get("chain")) unsigned_intent["chain"] = *c;
  if (!unsigned_intent.contains("chain")) unsigned_intent["chain"] = "pactum-devnet";
  if (auto n = args.get("nonce")) unsigned_intent["nonce"] = parse_u64(*n, "--nonce");
  if (!unsigned_intent.contains("nonce")) unsigned_intent["nonce"] = random_nonce();
  if (auto v = args.get("valid-until")) unsigned_intent["valid_until"] = parse_u64(*v, "--valid-until");
  if (!unsigned_intent.contains("valid_until")) unsigned_intent["valid_until"] = kMaxSafeInteger;
  if (auto v = args.get("valid-from")) unsigned_intent["valid_from"] = parse_u64(*v, "--valid-from");

  auto signed_intent = sign_intent(unsigned_intent, *key);
  if (!signed_intent) {
    const Error& e = signed_intent.error();
    throw std::runtime_error(std::string(errc_name(e.code)) + ": " + e.message);
  }
  std::cout << intent_to_json(*signed_intent).dump() << "\n";
  return 0;
}

}  // namespace pactum::cli
