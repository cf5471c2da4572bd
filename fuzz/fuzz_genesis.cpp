// fuzz_genesis: the genesis parser (ledger/include/pactum/ledger/genesis.hpp).
//  - parse_genesis_text on the raw bytes (the node's path: a file's text, streamed);
//  - parse_genesis on the same text parsed as a document;
// and the header's contract: both give the same result and errors, for a text without
// repeated member names (parse_genesis_text refuses those, while the document that
// parse_genesis is given has already kept only the last: docs/FUZZING.md, finding G1); an
// accepted genesis builds its state and block 0 (small ones: at most kMaxBuiltAccounts
// accounts).
// Genesis errors are printed by the node, not written into JSON, so their text is not
// dumped here.
#include <string>

#include "common.hpp"
#include "pactum/ledger/block.hpp"
#include "pactum/ledger/genesis.hpp"
#include "pactum/ledger/state.hpp"

using namespace pactum;
using namespace pactum::fuzz;

namespace {

constexpr std::size_t kMaxBuiltAccounts = 2000;

void same(const Result<Genesis>& a, const Result<Genesis>& b) {
  FUZZ_CHECK(a.ok() == b.ok(), "parse_genesis %s but parse_genesis_text %s: %s", a.ok() ? "accepts" : "refuses",
             b.ok() ? "accepts" : "refuses", (a.ok() ? b.error().message : a.error().message).c_str());
  if (!a.ok()) {
    FUZZ_CHECK(a.error().message == b.error().message && a.error().field == b.error().field,
               "different errors: parse_genesis \"%s\", parse_genesis_text \"%s\"", a.error().message.c_str(),
               b.error().message.c_str());
    return;
  }
  FUZZ_CHECK(a->chain_id == b->chain_id, "chain_id differs");
  FUZZ_CHECK(a->accounts.size() == b->accounts.size(), "accounts differ: %zu vs %zu", a->accounts.size(),
             b->accounts.size());
  FUZZ_CHECK(a->dev_account_count == b->dev_account_count, "dev_account_count differs");
  FUZZ_CHECK(genesis_delta(*a).leaves() == genesis_delta(*b).leaves(), "the genesis states differ");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto streamed = parse_genesis_text(text);
  auto j = parse_json(text);
  if (j && !has_duplicate_members(text)) same(parse_genesis(*j), streamed);
  if (streamed.ok() && streamed->accounts.size() <= kMaxBuiltAccounts) {
    State state;
    state.apply(genesis_delta(*streamed));
    const Block b0 = genesis_block(*streamed, state.root());
    (void)dump(b0.to_json());
    (void)b0.header.hash();
  }
  return 0;
}
