// Clearing one multi-asset market at one price vector (docs/MECHANISMS.md 5.2-5.6):
//   1. search_prices    approximate vector, integer tatonnement        (tatonnement.hpp)
//   2. refine_prices    exact equilibrium for the active set, if any   (refinement.hpp)
//   3. completion       at the exact vector: per directed pair a strict and a marginal
//                       edge, per pool an edge of its capacity; a min-cost circulation
//                       fills in-the-money orders first, pools outside their band
//                       towards their capacity next, marginal orders last (revision.hpp:
//                       blocks without a recorded clearing: pools only for what does not
//                       net out); flows go to orders by best limit then
//                       ascending id; fill-or-kill orders that would fill partly are
//                       skipped and the circulation re-run with that pair's volume capped
//                       (after a few rounds, removed). In small markets the fill-or-kill
//                       orders that could not fill are then left out and 1-3 re-run;
//                       in tiny markets every choice of which fill-or-kill orders trade
//                       is tried. Of these candidates the best is kept (fewest rationed
//                       orders, then most surplus). In tiny markets the fill patterns
//                       of the winner and of every fill-or-kill choice are then re-priced
//                       by exact linear programs, each with a local search over
//                       neighbouring patterns (price_lp.hpp); a program is completed at
//                       its own pool flows (on shallower pools if rounding needs room).
//                       (exact_completion.cpp: the circulation and its flows; the
//                       candidates and the choice: vector_clearing.cpp; the programs'
//                       patterns and search: price_programs.cpp)
//   4. rounding         traders pay ceil and receive floor of their exact amounts; pools
//                       receive ceil and give floor of theirs; a route's shortfall is
//                       covered by pools first, then by traders' room (at most 3 units);
//                       a completion that needed traders' room is redone at a vector
//                       moved so that the trading pools keep room on their curves;
//                       leftovers go to a pool that traded the asset, else to dust.
//                       (route_rounding.cpp: the shortfalls; exact_completion.cpp: the
//                       amounts, the moved vector of complete_at, dust and pools)
//   5. check            every invariant again, exactly; `valid` false means the caller
//                       must not use the result (it falls back to per-pair clearing).
//                       (exact_completion.cpp: final_check)
#pragma once
#include <optional>
#include <vector>

#include "vector_book.hpp"

namespace pactum::matching {

enum class VectorOutcome {
  filled,
  limit_not_reached,   // the limit is beyond the price ratio
  at_limit_no_volume,  // exactly at the price ratio; the marginal volume went elsewhere
  rationed,            // strictly in the money, partial allowed, but the volume ran out
  fok_not_fillable,    // in the money, fill-or-kill, could not fill in full
  no_trade,            // the component traded nothing
};

struct VectorFill {
  VectorOutcome outcome = VectorOutcome::no_trade;
  BigInt paid;      // sell asset
  BigInt received;  // buy asset
  bool partial_fill = false;
};

struct VectorStats {
  int search_iterations = 0;
  bool search_converged = false;
  bool refined = false;  // the exact equilibrium step succeeded
  int refinement_rounds = 0;
  int completion_rounds = 0;
};

struct VectorResult {
  bool traded = false;
  bool valid = true;
  std::vector<BigInt> n;                         // the price vector (gcd-reduced)
  std::vector<VectorFill> orders;                // parallel to book.orders
  std::vector<std::optional<Pool>> pools_after;  // parallel to book.pools; set if changed
  std::vector<BigInt> dust;                      // per asset, to the dust account
  std::vector<bool> asset_traded;                // per asset
  VectorStats stats;
  int trimmed_units = 0;  // units traders gave up so that a route balances (0 is the aim)
};

VectorResult clear_vector(const Book& book);

// Completion at a given exact vector (steps 3-5); exposed for tests.
VectorResult complete_at(const Book& book, const std::vector<BigInt>& n);

}  // namespace pactum::matching
