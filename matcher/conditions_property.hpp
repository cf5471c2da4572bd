// Shared by the tests of conditional commitments: conditions_property_test.cpp (the
// properties, stated at its top) and conditions_minimal_test.cpp. The accounts and state
// of an instance, the brute-force reference semantics and the printing of an instance
// (conditions_reference_support.cpp), the check of settle() against the reference and
// the shrinking of a disagreement (conditions_check_support.cpp), and the generator of
// random instances (conditions_generator_support.cpp).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "pactum/intents/intent.hpp"
#include "test_support.hpp"

namespace pactum::conditions_test {

using nlohmann::json;
using test::MapState;

inline constexpr std::uint32_t kSigners = 10;  // dev accounts 0..9 sign
inline constexpr std::uint32_t kPot = 10;      // dev account 10 receives pledges, never signs
inline const std::vector<std::string> kAssets = {"AAA", "BBB", "CCC"};
inline const Amount kRich = 1'000'000'000;

struct Keys {
  std::vector<SecretKey> secret;
  std::vector<PublicKey> pub;
};
const Keys& keys();  // dev accounts 0..kPot
const PublicKey& acct(std::uint32_t i);
// "dev3", "pot", "dust", else the key's first 8 hex digits.
std::string name_of(const PublicKey& k);

struct Instance {
  std::vector<bool> poor;  // per signer 0..9
  std::vector<Intent> batch;
};

// Rich signers hold kRich of every asset, poor ones nothing; a deep AAA/BBB pool (fee 0.3%).
MapState make_state(const std::vector<bool>& poor);

// ---- the reference semantics (conditions_reference_support.cpp) ------------------------

struct Reference {
  std::vector<bool> commitment, exec, cycle, settles, fallback_used;
  std::vector<int> stratum;
  std::vector<std::string> program;
  std::vector<std::vector<std::pair<std::size_t, bool>>> deps;  // (batch index, negative)
  std::string problem;  // the brute force's own consistency check failed (a test bug)
  int strata = 0;
};

// What settles in `batch` on `state`, by brute force (the rules at the top of
// conditions_property_test.cpp).
Reference reference_of(const MapState& state, const std::vector<Intent>& batch);

// Who signs what and each condition; with `ref`, what the reference expects; with `st`,
// what settle() did.
std::string describe(const Instance& inst, const Reference* ref, const Settlement* st);

// ---- the check (conditions_check_support.cpp) ---------------------------------------------

inline bool same_delta(const StateDelta& a, const StateDelta& b) {
  return a.assets == b.assets && a.balances == b.balances && a.nonces == b.nonces && a.pools == b.pools;
}

struct Tally {
  std::size_t instances = 0, commitments = 0, settled = 0, poor = 0, cycles = 0, cycle_instances = 0,
              negated_settled = 0, negated_dropped = 0, multi_strata = 0, deep_strata = 0, fallback_used = 0;
  std::map<std::string, std::size_t> settled_by_type;
};

// What differs, by kind of property (empty when settle() agrees with the reference).
struct Findings {
  std::map<std::string, std::string> by_kind;  // kind -> the lines about it
  std::ostringstream& operator[](const std::string& kind) {
    auto& s = streams_[kind];
    if (!s) s = std::make_unique<std::ostringstream>();
    return *s;
  }
  void close() {
    for (auto& [k, s] : streams_) by_kind[k] = s->str();
  }
  bool has(const std::string& kind) const { return by_kind.count(kind) > 0; }
  std::string text() const {
    std::string out;
    for (const auto& [k, v] : by_kind) out += "[" + k + "]\n" + v;
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<std::ostringstream>> streams_;
};

// The kinds: "settles" (the set of settled commitments differs from the brute force),
// "reason", "message", "plain", "program", "permuted: outcome" (status, amounts, price,
// reason or delta differ for a permuted batch), "permuted: explanation" (only a receipt's
// message or related ids differ), "conservation", "reference". `perm_seed` orders the
// permuted batch; `tally` (optional) counts what the instance exercised.
Findings check(const Instance& inst, std::uint64_t perm_seed, Tally* tally);

// Drops intents one at a time while a finding of `kind` persists; prints the smallest
// instance.
std::string shrink_and_describe(Instance inst, std::uint64_t perm_seed, const std::string& kind);

// ---- the generator (conditions_generator_support.cpp) -------------------------------------

struct Options {
  bool negation = false;  // "unless" conditions (then cycles through negation occur too)
  bool fallback = false;  // exists with fallback "pools"
  bool programs = false;  // program conditions (rings of different programs) and all/any trees
  bool reveals = false;   // reveals conditions (also under "unless") and reveal intents
};

// Random instances: 3..10 commitments and 0..4 plain intents signed by dev accounts 0..9,
// about one in six of them penniless. Draws from `rng` (shared with the caller).
class GeneratorImpl;
class Generator {
 public:
  Generator(std::mt19937_64& rng, Options opt);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;
  Instance make();

 private:
  std::unique_ptr<GeneratorImpl> impl_;
};

}  // namespace pactum::conditions_test
