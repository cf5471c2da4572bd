// The status page served on GET / : self-contained (no external resources); it polls
// pactum_nodeInfo once a second. The explorer comes in a later issue.
#pragma once
#include <string_view>

namespace pactum {

inline constexpr std::string_view kStatusPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pactum node</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse}td{padding:.3rem .8rem;border-bottom:1px solid #ddd}
td:first-child{color:#666}code{font-size:.9em;word-break:break-all}
.bad{color:#b00;font-weight:bold}
</style></head><body>
<h1>pactum node</h1>
<table>
<tr><td>chain</td><td id="chain_id">…</td></tr>
<tr><td>height</td><td id="height">…</td></tr>
<tr><td>head</td><td><code id="head">…</code></td></tr>
<tr><td>genesis</td><td><code id="genesis">…</code></td></tr>
<tr><td>mempool</td><td id="mempool">…</td></tr>
<tr><td>block time</td><td id="block_time_ms">…</td></tr>
<tr><td>status</td><td id="status">…</td></tr>
</table>
<p>JSON-RPC: POST to this address. WebSocket: same address. See docs/PROTOCOL.md.</p>
<script>
async function refresh(){
  try{
    const r=await fetch("/",{method:"POST",headers:{"Content-Type":"application/json"},
      body:JSON.stringify({jsonrpc:"2.0",id:1,method:"pactum_nodeInfo",params:[]})});
    const i=(await r.json()).result;
    for(const k of ["chain_id","height","head","genesis","mempool"])document.getElementById(k).textContent=i[k];
    document.getElementById("block_time_ms").textContent=i.block_time_ms===null?"instant":i.block_time_ms+" ms";
    const s=document.getElementById("status");
    s.textContent=i.halted?"HALTED: "+i.halt_reason:"producing";s.className=i.halted?"bad":"";
  }catch(e){document.getElementById("status").textContent="node unreachable";}
}
refresh();setInterval(refresh,1000);
</script></body></html>
)html";

}  // namespace pactum
