// The block explorer's files (node/explorer/), embedded at build time: node/explorer/embed.cmake
// writes the definitions into the generated explorer_assets.cpp.
#pragma once
#include <string_view>

namespace pactum::explorer_assets {

// index.html with style.css inlined as its <style> and lib.js then pages.js as its one <script>.
std::string_view page();
std::string_view style();   // style.css, as inlined
std::string_view script();  // lib.js then pages.js, as inlined

}  // namespace pactum::explorer_assets
