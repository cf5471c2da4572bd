// Patterns that bound the amount a match settles (min_sold, max_sold): read after a
// round's clearing, once the amounts are known (conditions.hpp, amount_failures;
// docs/MECHANISMS.md 7.4).
#include "condition_counters.hpp"

namespace pactum::matching {

std::vector<std::size_t> ConditionGraph::sold_within(std::size_t leaf, const Counters& k) const {
  const SwapPattern& p = leaves_[leaf].cond->pattern;
  std::vector<std::size_t> out;
  for (std::size_t i : matches_of(static_cast<std::size_t>(leaves_[leaf].pattern), k)) {
    const Amount& sold = (*k.sold)[i];
    if ((!p.min_sold || sold >= *p.min_sold) && (!p.max_sold || sold <= *p.max_sold)) out.push_back(i);
  }
  return out;
}

std::vector<std::pair<std::size_t, ConditionFailure>> ConditionGraph::amount_failures(
    const std::vector<bool>& settled, const std::vector<Amount>& sold) const {
  std::vector<std::pair<std::size_t, ConditionFailure>> out;
  if (bounded_.empty()) return out;
  Counters k = initial_counters(settled);
  k.sold = &sold;
  // Every commitment of `settled` holds on it without the amounts (the round's resolution
  // kept it and everything in play settled), so only the bound ones can fail here.
  for (std::size_t c : bounded_) {
    if (!k.in_set[commitments_[c].index] || holds(c, k)) continue;
    out.emplace_back(commitments_[c].index, explain_amounts(c, k));
  }
  return out;
}

// Which bound patterns missed, and what their matches sold instead.
ConditionFailure ConditionGraph::explain_amounts(std::size_t c, const Counters& k) const {
  ConditionFailure f;
  f.reason = "condition_not_met";
  f.message = "amounts: the condition does not hold on the amounts this block's clearing settles:";
  const Commitment& m = commitments_[c];
  bool first = true;
  for (std::size_t l = m.first_leaf; l < m.first_leaf + m.leaf_count; ++l) {
    const SwapPattern& p = leaves_[l].cond->pattern;
    if (leaves_[l].cond->type != ConditionType::exists || !p.has_amount_bounds() || !sold_within(l, k).empty())
      continue;
    f.message += std::string(first ? " " : "; ") + "no swap " + p.sell_asset + "->" + p.buy_asset +
                 (p.signer ? " from " + p.signer->hex().substr(0, 12) : "") + " sells " +
                 (p.min_sold ? "at least " + amount_to_string(*p.min_sold) : "") +
                 (p.min_sold && p.max_sold ? " and " : "") +
                 (p.max_sold ? "at most " + amount_to_string(*p.max_sold) : "") + " " + p.sell_asset + " (base units)";
    const std::vector<std::size_t> matches = matches_of(static_cast<std::size_t>(leaves_[l].pattern), k);
    std::string sold;
    for (std::size_t i : matches) {
      f.related.push_back(batch_[i].id);
      if (f.related.size() <= 4)
        sold += std::string(sold.empty() ? "" : ", ") + batch_[i].id.hex().substr(0, 12) + " sold " +
                amount_to_string((*k.sold)[i]);
    }
    f.message += matches.empty() ? "" : " (" + sold + ")";
    first = false;
  }
  return f;
}

}  // namespace pactum::matching
