// The block explorer served on GET / (docs/PROTOCOL.md section 8): one self-contained HTML
// page whose script reads the chain through the node's own JSON-RPC and its newBlocks
// subscription. Its Content-Security-Policy admits only that script and that style (by
// hash) and connections back to the node: the page loads nothing from elsewhere, and
// if some text from an intent ever reached the DOM as markup, it still could not run.
#pragma once
#include <string>

namespace pactum {

struct ExplorerPage {
  std::string html;
  std::string csp;  // the Content-Security-Policy header value
};

// Assembled (and its hashes computed) once, on first use.
const ExplorerPage& explorer_page();

}  // namespace pactum
