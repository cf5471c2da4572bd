// The stored text of a block (store.cpp): the body encoded straight from the block's
// canonical parts, and a header and body joined back into one block object.
#pragma once
#include <string>

#include "pactum/ledger/block.hpp"

namespace pactum::block_text {

// The stored text of a block's body: the members of Block::to_json() outside the header.
// Intents are written from their canonical bytes plus "sig" instead of being parsed and
// re-dumped, and receipts are written directly (together the costly part of a
// 10,000-intent block). Member order inside intents differs from dump()'s; readers parse
// the JSON, so only the value matters (store tests check it against Block::to_json()).
// `drain(out)` is called after each intent and receipt: it may write out what `out` holds
// and clear it (the text then reaches the disk in pieces while the rest is encoded).
template <class Drain>
void encode_body(const Block& block, std::string& out, Drain&& drain) {
  out.clear();  // keeps the caller's reserved capacity
  out += block.body_members_json().dump();
  out.pop_back();  // the closing brace: append "intents" and "receipts" after the other members
  out += ",\"intents\":[";
  for (std::size_t i = 0; i < block.intents.size(); ++i) {
    const Intent& in = block.intents[i];
    if (i > 0) out += ',';
    const std::string& canonical = in.canonical_json();
    out.append(canonical, 0, canonical.size() - 1);  // "{...}" without its "}"
    out += ",\"sig\":\"";
    out += in.sig.hex();
    out += '"';
    if (const Bundle* b = in.bundle(); b && !b->cosigs.empty()) {
      out += ",\"cosigs\":[";
      for (std::size_t k = 0; k < b->cosigs.size(); ++k) {
        if (k > 0) out += ',';
        out += "{\"account\":\"" + b->cosigs[k].account.hex() + "\",\"sig\":\"" + b->cosigs[k].sig.hex() + "\"}";
      }
      out += ']';
    }
    out += '}';
    drain(out);
  }
  out += "],\"receipts\":[";
  for (std::size_t i = 0; i < block.receipts.size(); ++i) {
    if (i > 0) out += ',';
    block.append_receipt_json(out, i);  // the hashed form: valid JSON, members sorted
    drain(out);
  }
  out += "]}";
}

// Header text {"a":..,"b":..} + body text {"c":..} -> {"a":..,"b":..,"c":..}: one JSON
// object with the members of both (their names are disjoint).
inline std::string join_objects(const std::string& header, const std::string& body) {
  std::string out;
  out.reserve(header.size() + body.size());
  out.append(header, 0, header.size() - 1);
  if (body.size() > 2) {
    out += ',';
    out.append(body, 1, std::string::npos);
  } else {
    out += '}';
  }
  return out;
}

}  // namespace pactum::block_text
