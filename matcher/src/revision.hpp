// Which price search the built-in matcher runs. A block that records its clearing is
// checked by the rules, never searched again, so the search may improve from one release
// to the next. Blocks written before blocks recorded their clearing are re-settled by the
// search on replay, so for them the search must stay what it was then (`unrecorded`):
// their state roots follow from it.
//
//   current     pools outside their band trade towards their whole capacity, around
//               cycles of pools too (market clearing for pools, checker rule
//               pool_in_the_money); fill-or-kill choices are also searched one flip at a
//               time; markets the price search cannot refine also start from the pools'
//               prices.
//   unrecorded  pools carry only what orders cannot net among themselves, and the price
//               programs may leave them below capacity.
//
// Set per thread for the duration of one settle() (RevisionScope); the matcher runs
// each settle() on the calling thread.
#pragma once

namespace pactum::matching {

enum class Revision { current, unrecorded };

Revision revision();

class RevisionScope {
 public:
  explicit RevisionScope(Revision r);
  ~RevisionScope();
  RevisionScope(const RevisionScope&) = delete;
  RevisionScope& operator=(const RevisionScope&) = delete;

 private:
  Revision saved_;
};

inline bool pools_clear() { return revision() == Revision::current; }

}  // namespace pactum::matching
