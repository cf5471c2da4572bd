#include "revision.hpp"

namespace pactum::matching {
namespace {
thread_local Revision active = Revision::current;
}  // namespace

Revision revision() { return active; }

RevisionScope::RevisionScope(Revision r) : saved_(active) { active = r; }

RevisionScope::~RevisionScope() { active = saved_; }

}  // namespace pactum::matching
