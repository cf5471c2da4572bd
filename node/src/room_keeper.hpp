// The node's side of negotiation rooms (docs/MECHANISMS.md §9): the only place a room's
// secret key and seed live, in memory, never on disk, in a log or in an RPC answer. For
// each block the producer asks it for the intents only the producer may sign: the key
// of every room opened in the block, and the outcome of every room due to close, which
// it decides by decrypting the sealed positions. Secrets are erased (OPENSSL_cleanse, by
// SecretKey's destructor and explicitly for the seed) once their room is closed or did
// not open. A node that restarts has lost them: rooms open across a restart close with
// no deal and their escrow is refunded.
//
// Used by the producing thread only (NodeCore::produce_mu_).
#pragma once
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "pactum/ledger/state.hpp"
#include "pactum/node/node_core.hpp"

namespace pactum {

class RoomKeeper {
 public:
  // A room's secret key and seed. The node draws them from OpenSSL's RNG (the default);
  // `pactum scenario` derives them from its seed so that a generated chain is reproducible,
  // and then also signs the producer intents deterministically (aux = zero bytes).
  using SecretSource = RoomSecretSource;
  RoomKeeper() = default;
  explicit RoomKeeper(SecretSource source) : source_(std::move(source)) {}
  ~RoomKeeper();
  // room_key intents for the room_opens of `batch`, room_outcome intents for the open rooms
  // of `state` whose close_height <= height and for the consent rooms whose window ended
  // before `height` unsigned (outcome 0, zero seed: the refund); all signed by `producer`.
  std::vector<Intent> producer_intents(const State& state, const std::vector<Intent>& batch, std::uint64_t height,
                                       const SecretKey& producer, const std::string& chain_id);
  // Erases the secrets of rooms that are closed in `state`, and of keys whose room_open
  // is no longer pending (`pending` says whether an id is still in the mempool).
  template <typename IsPending>
  void forget(const State& state, IsPending pending) {
    for (auto it = secrets_.begin(); it != secrets_.end();) {
      auto room = state.room(it->first);
      const bool done = room ? room->closed : !pending(it->first);
      if (done) {
        wipe(it->second);
        it = secrets_.erase(it);
      } else {
        ++it;
      }
    }
  }
  std::size_t size() const { return secrets_.size(); }

 private:
  struct Secret {
    SecretKey key;
    Hash32 seed;
  };
  static void wipe(Secret& s);
  std::map<Hash32, Secret> secrets_;
  SecretSource source_;  // empty: RAND_bytes
};

}  // namespace pactum
