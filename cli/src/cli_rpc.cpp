// Subcommands that talk to a running node: submit, status, balance, block, rpc.
#include <chrono>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "pactum/cli/args.hpp"
#include "pactum/client/client.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/ledger/state_tree.hpp"

namespace pactum::cli {

using client::RpcClient;
using nlohmann::json;

namespace {

constexpr std::string_view kRpcOption =
    "  --rpc URL   the node (default http://127.0.0.1:8545; env PACTUM_RPC overrides it)\n";

RpcClient connect(const Args& args) { return RpcClient(client::resolve_rpc_url(args.get("rpc"))); }

bool is_final(const json& status) { return status.is_object() && status.value("status", "") != "pending"; }

std::string summary_line(const json& status) {
  std::string s = status.value("id", "?") + " " + status.value("status", "?");
  if (status.contains("block") && status["block"].is_number()) {
    s += " block " + std::to_string(status["block"].get<std::uint64_t>());
  }
  // reason is "" when settled in full (and while pending before any block).
  auto text = [&](const char* key) {
    return status.contains(key) && status[key].is_string() ? status[key].get<std::string>() : std::string();
  };
  const std::string reason = text("reason"), message = text("message");
  if (!reason.empty() && !message.empty())
    s += " (" + reason + ": " + message + ")";
  else if (!reason.empty() || !message.empty())
    s += " (" + reason + message + ")";
  return s;
}

}  // namespace

int cmd_submit(const std::vector<std::string>& argv) {
  Args args(argv, {"rpc", "timeout"}, {"wait"});
  if (args.help()) {
    std::cout << "usage: pactum submit [--rpc URL] [--wait [--timeout SEC]] FILE|-\n"
                 "FILE holds one signed intent or a JSON array of them (sent as one batch).\n"
                 "Prints one id per line; with --wait, waits until each intent is no longer\n"
                 "pending and prints its status JSON per line. Exits 1 if a submission was\n"
                 "refused, 2 if --wait saw an intent end other than settled or cancelled.\n"
              << kRpcOption;
    return 0;
  }
  if (args.positional().size() != 1) throw UsageError("submit needs one FILE (or - for stdin)");
  json input = parse_json_text(read_input(args.positional()[0]), "intent input");
  const bool single = input.is_object();
  if (single) input = json::array({input});
  if (!input.is_array() || input.empty()) throw UsageError("expected an intent object or a non-empty array");

  RpcClient rpc = connect(args);
  std::vector<RpcClient::BatchItem> items;
  for (const auto& intent : input) items.push_back({"pactum_submitIntent", json::array({intent})});
  std::vector<json> answers;
  if (single) {
    answers.push_back(rpc.call_raw(client::make_request("pactum_submitIntent", items[0].params, 1)));
  } else {
    answers = rpc.batch(items);
  }

  int exit_code = 0;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    try {
      json result = client::result_or_throw(answers[i]);
      ids.push_back(result.at("id").get<std::string>());
      if (!args.has("wait")) std::cout << ids.back() << "\n";
    } catch (const client::RpcError& e) {
      std::cerr << "error: intent " << i << " refused: " << e.what() << "\n";
      if (!e.field.empty()) std::cerr << "  field: " << e.field << "\n";
      exit_code = 1;
    }
  }
  if (!args.has("wait")) return exit_code;

  const auto timeout = std::chrono::seconds(parse_u64(args.get_or("timeout", "60"), "--timeout"));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& id : ids) {
    json status;
    for (auto delay = std::chrono::milliseconds(5);; delay = std::min(delay * 2, std::chrono::milliseconds(200))) {
      status = rpc.call("pactum_getIntent", json::array({id}));
      if (is_final(status)) break;
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("intent " + id + " still pending after " + std::to_string(timeout.count()) + " s");
      }
      std::this_thread::sleep_for(delay);
    }
    std::cout << status.dump() << "\n";
    std::cerr << summary_line(status) << "\n";
    const std::string s = status.value("status", "");
    if (s != "settled" && s != "cancelled" && exit_code == 0) exit_code = 2;
  }
  return exit_code;
}

int cmd_status(const std::vector<std::string>& argv) {
  Args args(argv, {"rpc"}, {});
  if (args.help()) {
    std::cout << "usage: pactum status [--rpc URL] ID\nPrints the intent's status, receipt and reason.\n" << kRpcOption;
    return 0;
  }
  if (args.positional().size() != 1) throw UsageError("status needs one intent ID");
  RpcClient rpc = connect(args);
  json status = rpc.call("pactum_getIntent", json::array({args.positional()[0]}));
  std::cout << status.dump(2) << "\n";
  return 0;
}

int cmd_balance(const std::vector<std::string>& argv) {
  Args args(argv, {"rpc"}, {"proof"});
  if (args.help()) {
    std::cout << "usage: pactum balance [--rpc URL] ACCOUNT ASSET [--proof]\n"
                 "ACCOUNT is 64 hex digits or dev:N. Prints the balance at the head.\n"
                 "--proof: fetches a Merkle proof and checks it here against the head block's\n"
                 "state root (exit 1 if it does not verify).\n"
              << kRpcOption;
    return 0;
  }
  if (args.positional().size() != 2) throw UsageError("balance needs ACCOUNT and ASSET");
  const PublicKey account = parse_account(args.positional()[0]);
  const std::string& asset = args.positional()[1];
  RpcClient rpc = connect(args);
  if (!args.has("proof")) {
    std::cout << rpc.call("pactum_getBalance", json::array({account.hex(), asset})).get<std::string>() << "\n";
    return 0;
  }

  json answer = rpc.call("pactum_getBalanceProof", json::array({account.hex(), asset}));
  const std::string balance = answer.at("balance").get<std::string>();
  std::cout << balance << "\n";
  auto failed = [&](const std::string& why) {
    std::cout << "proof: FAILED: " << why << "\n";
    return 1;
  };
  auto proof = StateProof::from_json(answer.at("proof"));
  if (!proof) return failed("malformed proof: " + proof.error().message);
  auto root = Hash32::from_hex(answer.at("state_root").get<std::string>(), "state_root");
  if (!root) return failed("malformed state root");
  // The proof must be about this balance and say this value.
  if (proof->key != balance_key(account, asset)) return failed("the proof is for another key");
  auto amount = parse_amount(balance);
  if (!amount) return failed("balance is not an amount");
  if (proof->present ? proof->value != balance_value(*amount) : *amount != 0) {
    return failed("the proven value differs from the balance");
  }
  if (!verify_state_proof(*root, *proof)) return failed("does not verify against the state root");
  // And the root must be the one the block at that height commits to.
  const auto height = answer.at("height").get<std::uint64_t>();
  json block = rpc.call("pactum_getBlock", json::array({height, false}));
  json header = block.contains("header") ? block["header"] : block;
  if (header.value("state_root", "") != root->hex()) {
    return failed("state root differs from block " + std::to_string(height) + "'s");
  }
  std::cout << "proof: verified at height " << height << " (state root " << root->hex() << ")\n";
  return 0;
}

int cmd_block(const std::vector<std::string>& argv) {
  Args args(argv, {"rpc"}, {"full"});
  if (args.help()) {
    std::cout << "usage: pactum block [--rpc URL] [--full] HEIGHT|HASH|latest\n" << kRpcOption;
    return 0;
  }
  if (args.positional().size() != 1) throw UsageError("block needs a HEIGHT, HASH or latest");
  RpcClient rpc = connect(args);
  const std::string& which = args.positional()[0];
  json ref;
  if (which == "latest") {
    ref = rpc.call("pactum_blockNumber");
  } else if (which.size() == 64) {
    ref = which;
  } else {
    ref = parse_u64(which, "HEIGHT");
  }
  json block = rpc.call("pactum_getBlock", json::array({ref, args.has("full")}));
  if (block.is_null()) throw std::runtime_error("no block " + which);
  std::cout << block.dump(2) << "\n";
  return 0;
}

int cmd_rpc(const std::vector<std::string>& argv) {
  Args args(argv, {"rpc"}, {});
  if (args.help()) {
    std::cout << "usage: pactum rpc [--rpc URL] METHOD [PARAMS_JSON]\n"
                 "Sends one raw JSON-RPC call and prints the result (errors: exit 1).\n"
              << kRpcOption;
    return 0;
  }
  const auto& pos = args.positional();
  if (pos.empty() || pos.size() > 2) throw UsageError("rpc needs METHOD and optionally PARAMS_JSON");
  json params = pos.size() == 2 ? parse_json_text(pos[1], "PARAMS_JSON") : json::array();
  RpcClient rpc = connect(args);
  std::cout << rpc.call(pos[0], params).dump(2) << "\n";
  return 0;
}

}  // namespace pactum::cli
