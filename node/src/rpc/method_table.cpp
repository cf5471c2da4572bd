#include <map>

#include "methods.hpp"

namespace pactum::rpc {

const Method* find_method(std::string_view name) {
  static const std::map<std::string, Method, std::less<>> kTable = {
      {"pactum_chainId", {chain_id}},
      {"pactum_nodeInfo", {node_info}},
      {"pactum_blockNumber", {block_number}},
      {"pactum_getBlock", {nullptr, get_block}},
      {"pactum_getBlocks", {get_blocks}},
      {"pactum_getPool", {get_pool}},
      {"pactum_getPools", {get_pools}},
      {"pactum_getAssets", {get_assets}},
      {"pactum_getLendingPools", {get_lending_pools}},
      {"pactum_getBalance", {get_balance}},
      {"pactum_getAvailableBalance", {get_available_balance}},
      {"pactum_getBalanceProof", {get_balance_proof}},
      {"pactum_nonceUsed", {nonce_used}},
      {"pactum_getSupply", {get_supply}},
      {"pactum_getBurns", {get_burns}},
      {"pactum_getReceiptProof", {get_receipt_proof}},
      {"pactum_submitIntent", {nullptr, submit_intent}},
      {"pactum_getIntent", {nullptr, get_intent}},
      {"pactum_pendingIntents", {pending_intents}},
      {"pactum_quote", {quote}},
      {"pactum_simulateBundle", {simulate_bundle}},
      {"pactum_getRoom", {get_room}},
      {"pactum_getRooms", {get_rooms}},
      {"pactum_getContract", {get_contract}},
      {"pactum_mine", {mine, nullptr, /*admin=*/true}},
      {"pactum_subscribe", {subscribe}},
      {"pactum_unsubscribe", {unsubscribe}},
  };
  auto it = kTable.find(name);
  return it == kTable.end() ? nullptr : &it->second;
}

}  // namespace pactum::rpc
