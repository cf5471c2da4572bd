// The explorer's markup and style (explorer_page.cpp puts them together with the script).
// Only fixed text here: everything from the chain is added by the script as text nodes.
#pragma once
#include <string_view>

namespace pactum {

inline constexpr std::string_view kExplorerHead = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pactum explorer</title>
<meta name="viewport" content="width=device-width, initial-scale=1">)html";

inline constexpr std::string_view kExplorerStyle = R"css(
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.6rem 1.2rem;background:#1d2733;color:#eee}
header a{color:#cde;text-decoration:none}header a:hover{text-decoration:underline}
header .brand{font-weight:bold;color:#fff}
#search{display:flex;gap:.3rem;margin-left:auto}
#search input{width:26rem;max-width:60vw;padding:.3rem;font-family:monospace}
main{padding:1rem 1.2rem}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse;background:#fff;margin:.4rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
th{background:#f0f2f4;font-weight:600}
table.kv td:first-child{color:#666;white-space:nowrap}
code,.hex{font-family:monospace;font-size:.9em;word-break:break-all}
td a.hex{white-space:nowrap;word-break:normal}
.num{text-align:right;font-variant-numeric:tabular-nums}
.status{font-weight:600}
.settled,.deal{color:#176b2c}.rejected,.nodeal{color:#a01818}.unfilled,.pending,.open{color:#8a6100}
.cancelled,.expired{color:#555}
.muted{color:#777}.err{color:#a01818}
#live{font-size:.85em}#live.on{color:#8f8}#live.off{color:#f99}
pre{background:#fff;border:1px solid #e3e3e3;padding:.6rem;overflow:auto;max-height:24rem}
.plain{background:#eef4fb;border-left:4px solid #6a9bd8;padding:.5rem .8rem;max-width:60rem}
)css";

inline constexpr std::string_view kExplorerBody = R"html(<body>
<header>
<a class="brand" href="#/">pactum explorer</a>
<a href="#/">blocks</a><a href="#/pools">pools</a><a href="#/rooms">rooms</a>
<span id="chain" class="muted"></span><span id="live" class="off">connecting</span>
<form id="search" autocomplete="off"><input id="q" name="q" placeholder="intent id, block height or block hash" aria-label="search"><button>search</button></form>
</header>
<main id="main"><p class="muted">loading…</p></main>
)html";

}  // namespace pactum
