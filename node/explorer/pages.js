
// ---- pages ----
async function pageHome(gen) {
  const [info, blocks] = await Promise.all([rpc("pactum_nodeInfo"), rpc("pactum_getBlocks", [null, 20])]);
  const rows = blocks.map(blockRow);
  show(gen,
    el("h1", {}, "Latest blocks"),
    kv([["chain", info.chain_id], ["height", String(info.height)], ["pending intents", String(info.mempool)],
        ["blocks", info.block_time_ms === null ? "produced when intents arrive" : "every " + info.block_time_ms + " ms"],
        ["status", info.halted ? el("span", { class: "err" }, "HALTED: " + info.halt_reason) : "producing"]], { id: "info" }),
    table(["height", "hash", "time (UTC)", "intents", "settled"], rows, { id: "blocks" }));
}
function blockRow(b) {
  return el("tr", { "data-height": b.height },
    el("td", { class: "num" }, blockLink(b.height)),
    el("td", {}, link("block/" + b.hash, short(b.hash), { class: "hex" })),
    el("td", {}, new Date(b.timestamp).toISOString().replace("T", " ").replace("Z", "")),
    el("td", { class: "num", "data-field": "intents" }, String(b.intents)),
    el("td", { class: "num", "data-field": "settled" }, String(b.settled)));
}
// A new block while the list is shown: prepend it (the list keeps 20 rows).
async function homeNewBlock(height) {
  const tbody = document.querySelector("#blocks tbody");
  if (!tbody || tbody.querySelector('tr[data-height="' + height + '"]')) return;
  const [b] = await rpc("pactum_getBlocks", [height, 1]);
  if (!b || b.height !== height || !document.body.contains(tbody)) return;
  if (tbody.querySelector('tr[data-height="' + height + '"]')) return;
  tbody.prepend(blockRow(b));
  while (tbody.rows.length > 20) tbody.lastChild.remove();
  const h = document.querySelector('#info tr[data-key="height"] td:last-child');
  if (h && Number(h.textContent) < height) h.textContent = String(height);
}

async function pageBlock(gen, ref) {
  const key = /^[0-9]+$/.test(ref) ? Number(ref) : ref;
  if (!(Number.isSafeInteger(key) || isHex64(key))) return show(gen, el("p", { class: "err" }, "not a block height or hash"));
  const b = await rpc("pactum_getBlock", [key, true]);
  if (b === null) return show(gen, el("h1", {}, "Block not found"), el("p", {}, "No block " + ref + " on this chain (yet)."));
  const nav = el("p", {}, b.height > 0 ? link("block/" + (b.height - 1), "← previous") : "", " ",
    headHeight === null || b.height < headHeight ? link("block/" + (b.height + 1), "next →") : "");
  const header = kv([
    ["height", String(b.height)], ["hash", hexCell(b.hash)],
    ["parent", b.height > 0 ? el("td", {}, link("block/" + b.parent, b.parent, { class: "hex" })) : hexCell(b.parent)],
    ["time (UTC)", new Date(b.timestamp).toISOString() + " (" + b.timestamp + " ms)"],
    ["state root", hexCell(b.state_root)], ["intents root", hexCell(b.intents_root)],
    ["receipts root", hexCell(b.receipts_root)], ["producer", hexCell(b.producer)], ["signature", hexCell(b.sig)]],
    { id: "header" });
  const shown = b.intents.slice(0, 1000);
  const rows = shown.map((i, n) => {
    const id = b.receipts[n] ? b.receipts[n].intent : "";
    return el("tr", { "data-intent": id },
      el("td", { class: "num" }, String(n)), el("td", {}, intentLink(id)), el("td", {}, String(i.kind)),
      el("td", {}, el("span", { class: "hex", title: String(i.signer) }, short(i.signer))),
      el("td", { "data-field": "summary" }, summary(i)), ...receiptCells(b.receipts[n]));
  });
  const prices = b.prices.map((p) => el("tr", { "data-pair": p.base + "/" + p.quote },
    el("td", {}, p.base + "/" + p.quote), el("td", { "data-field": "display" }, pairPrice(p)),
    el("td", { class: "num", "data-field": "num" }, p.num), el("td", { class: "num", "data-field": "den" }, p.den)));
  const vector = b.asset_prices.map((p) => el("tr", { "data-asset": p.asset },
    el("td", {}, p.asset), el("td", { class: "num", "data-field": "num" }, p.num),
    el("td", { class: "num", "data-field": "den" }, p.den), el("td", { class: "num" }, ratio(big(p.num), big(p.den)))));
  show(gen, el("h1", {}, "Block " + b.height), nav, header,
    el("h2", {}, "Intents (" + b.intents.length + ")"),
    b.intents.length > shown.length ? el("p", { class: "muted" }, "the first " + shown.length + " are shown") : "",
    b.intents.length ? table(["#", "id", "kind", "signer", "what", "status", "reason", "message", "sold", "bought"], rows, { id: "intents" })
      : el("p", { class: "muted" }, "no intents"),
    el("h2", {}, "Clearing prices"),
    b.prices.length ? table(["pair", "price", "num", "den"], prices, { id: "prices" }) : el("p", { class: "muted" }, "nothing traded"),
    el("h2", {}, "Asset price vector"),
    el("p", { class: "muted" }, "one price per traded asset, per base unit, in the numeraire of its market; only ratios within one market mean anything"),
    b.asset_prices.length ? table(["asset", "num", "den", "num/den"], vector, { id: "asset-prices" }) : el("p", { class: "muted" }, "empty"));
}

async function pageIntent(gen, id) {
  if (!isHex64(id)) return show(gen, el("p", { class: "err" }, "not an intent id"));
  let s;
  try { s = await rpc("pactum_getIntent", [id]); } catch (e) {
    if (e.reason === "not_found") return show(gen, el("h1", {}, "Intent not found"), el("p", {}, "This node knows no intent " + id + "."));
    throw e;
  }
  const r = s.receipt;
  const receipt = r ? kv([
    ["status", statusSpan(r.status)], ["reason", r.reason === "" ? "—" : el("code", {}, r.reason)], ["message", r.message],
    ["sold", r.sold_asset ? amt(r.sold, r.sold_asset) : "—"], ["bought", r.bought_asset ? amt(r.bought, r.bought_asset) : "—"],
    ["price", r.price ? pairPrice(r.price) : "—"], ["partial fill", r.partial_fill ? "yes" : "no"],
    ["related", r.related ? el("span", {}, r.related.map((x) => [intentLink(x), " "])) : "—"],
    ["failed step", r.step === undefined ? "—" : String(r.step)]], { id: "receipt" }) : el("p", { class: "muted", id: "receipt" }, "No block has included it yet.");
  show(gen, el("h1", {}, "Intent"),
    kv([["id", hexCell(s.id)], ["status", statusSpan(s.status)],
        ["block", s.block === null ? "—" : blockLink(s.block)], ["kind", String(s.intent.kind)],
        ["signer", hexCell(s.intent.signer)], ["what", summary(s.intent)],
        ["nonce", String(s.intent.nonce)], ["valid until", String(s.intent.valid_until)]], { id: "intent" }),
    el("div", { class: "plain", id: "plain" },
      el("p", { "data-field": "status-words" }, STATUS_WORDS[s.status] ?? s.status),
      s.reason !== "" ? el("p", { "data-field": "reason-words" }, el("code", {}, s.reason), ": ", reasonWords(s.reason)) : "",
      el("p", { "data-field": "message" }, s.message)),
    el("h2", {}, "Newest receipt" + (s.block === null ? "" : " (block " + s.block + ")")), receipt,
    el("h2", {}, "Signed intent"), el("pre", {}, JSON.stringify(shownIntent(s.intent), null, 2)));
  return s.status;
}

async function pagePools(gen) {
  const [pools, lending] = await Promise.all([rpc("pactum_getPools"), rpc("pactum_getLendingPools")]);
  const rows = pools.map((p) => {
    const [a, b] = p.assets, [ra, rb] = p.reserves;
    const spot = ratio(big(rb) * pow10(decimals.get(a)), big(ra) * pow10(decimals.get(b)));
    return el("tr", { "data-pair": a + "/" + b }, el("td", {}, a + "/" + b),
      el("td", { class: "num", "data-field": "reserve-a" }, amt(ra, a)), el("td", { class: "num", "data-field": "reserve-b" }, amt(rb, b)),
      el("td", { class: "num", "data-field": "fee" }, p.fee_bps + " bps"),
      el("td", { class: "num", "data-field": "spot" }, "1 " + a + " = " + spot + " " + b));
  });
  const lrows = lending.map((l) => el("tr", { "data-asset": l.asset }, el("td", {}, l.asset),
    el("td", { class: "num", "data-field": "reserve" }, amt(l.reserve, l.asset)), el("td", { class: "num", "data-field": "fee" }, l.fee_bps + " bps")));
  show(gen, el("h1", {}, "Pools"),
    pools.length ? table(["pair", "reserve", "reserve", "fee", "spot price (reserve ratio)"], rows, { id: "pools" }) : el("p", {}, "no pools"),
    el("h2", {}, "Lending pools (flash loans)"),
    lending.length ? table(["asset", "reserve", "fee"], lrows, { id: "lending" }) : el("p", {}, "no lending pools"));
}

// A room's outcome in words: deal or no deal, and what was agreed. Positions are never
// shown: the node does not serve them, and this page asks for nothing more.
function roomOutcome(room) {
  const o = room.outcome;
  if (room.status === "open" || !o) return "open until height " + room.terms.close_height;
  if (!o.deal) return "no deal";
  // A consent room's deal (docs/MECHANISMS.md 9.6): held until both sign, or refunded.
  const consent = room.consent;
  if (consent && consent.state === "expired") return "deal refunded: not signed by both by height " + consent.deadline;
  const t = room.terms;
  if (t.mechanism === "multi_issue") {
    // Option k: the last issue varies fastest (docs/PROTOCOL.md, "Options").
    let k = o.option, parts = [];
    for (let j = t.issues.length - 1; j >= 0; j--) {
      const vals = t.issues[j].values;
      parts.unshift(t.issues[j].name + " = " + vals[k % vals.length]);
      k = Math.floor(k / vals.length);
    }
    return "deal on option " + o.option + " (" + parts.join(", ") + ")";
  }
  if (t.mechanism === "threshold") return "deal: " + o.yes.length + " of " + t.parties.length + " said yes";
  const deal = "deal at band " + o.band + ": " + amt(t.amount, t.asset) + " for " + amt(o.price, t.pay_asset);
  return consent && consent.state === "awaiting" ? deal + ", awaiting both signatures until height " + consent.deadline : deal;
}
async function pageRooms(gen) {
  const rooms = await rpc("pactum_getRooms", [null, 100]);
  const rows = rooms.map((room) => {
    const t = room.terms, o = room.outcome;
    const parties = t.parties ? t.parties.length + " parties" : "seller " + short(t.seller) + ", buyer " + short(t.buyer);
    const what = t.asset ? amt(t.amount, t.asset) + " for " + amt(t.range[0], t.pay_asset) + " … " + amt(t.range[1], t.pay_asset)
      : t.mechanism === "threshold" ? "each yes voter: " + amt(t.action.amount, t.action.asset) + " to " + short(t.action.to)
      : t.issues.map((i) => i.name + " (" + i.values.join(" / ") + ")").join("; ");  // anyone's text: a text node
    const closed = room.status !== "open";
    return el("tr", { "data-room": room.room },
      el("td", {}, el("span", { class: "hex", title: room.room }, short(room.room))), el("td", {}, t.mechanism),
      el("td", {}, parties), el("td", {}, what), el("td", { class: "num" }, blockLink(room.opened_height)),
      el("td", { "data-field": "status" }, statusSpan(room.status)),
      el("td", { "data-field": "deal" }, closed ? el("span", { class: o.deal ? "deal" : "nodeal" }, o.deal ? "deal" : "no deal") : "—"),
      el("td", { class: "num", "data-field": "band" }, closed && o.band !== null ? String(o.band) : "—"),
      el("td", { "data-field": "outcome" }, roomOutcome(room)),
      el("td", { class: "num", "data-field": "closed" }, closed ? blockLink(room.closed_height) : "—"));
  });
  show(gen, el("h1", {}, "Rooms"),
    el("p", { class: "muted" }, "Sealed negotiation rooms: only the published outcome is shown. Positions are sealed to the room's key and never revealed."),
    rooms.length ? table(["room", "mechanism", "parties", "terms", "opened", "status", "deal", "band", "outcome", "closed at"], rows, { id: "rooms" })
      : el("p", {}, "no rooms yet"));
}

// ---- routing ----
let current = { page: "home", arg: "", status: null };
async function route() {
  const gen = ++renderGen;
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  const page = parts[0] || "home", arg = decodeURIComponent(parts.slice(1).join("/"));
  current = { page, arg, status: null };
  try {
    if (page === "home") await pageHome(gen);
    else if (page === "block") await pageBlock(gen, arg);
    else if (page === "intent") current.status = await pageIntent(gen, arg);
    else if (page === "pools") await pagePools(gen);
    else if (page === "rooms") await pageRooms(gen);
    else if (page === "compute") await pageCompute(gen, arg);
    else if (page === "core") await pageCore(gen, arg);
    else show(gen, el("h1", {}, "Not found"), el("p", {}, link("", "latest blocks")));
  } catch (e) {
    show(gen, el("h1", {}, "Error"), el("p", { class: "err" }, String(e.message || e)));
  }
}

// The search box: a height, an intent id, or a block hash (an id is tried first).
function go(hash) {
  if (location.hash === hash) route();  // the same page again: no hashchange event
  else location.hash = hash;
}
async function search(q) {
  q = q.trim().toLowerCase();
  const gen = ++renderGen;
  if (/^[0-9]+$/.test(q)) return go("#/block/" + q);
  if (isHex64(q)) {
    try { await rpc("pactum_getIntent", [q]); return go("#/intent/" + q); } catch (e) { if (e.reason !== "not_found") throw e; }
    if ((await rpc("pactum_getBlock", [q, false])) !== null) return go("#/block/" + q);
  }
  current = { page: "search", arg: q, status: null };
  show(gen, el("h1", {}, "Nothing found"), el("p", {}, "No intent or block matches " + JSON.stringify(q) + "."));
}
document.getElementById("search").addEventListener("submit", (ev) => {
  ev.preventDefault();
  search(document.getElementById("q").value).catch((e) => show(renderGen, el("p", { class: "err" }, String(e.message))));
});

// ---- live: newBlocks over WebSocket (reconnecting), pages refreshed as blocks come ----
function onNewBlock(height) {
  if (headHeight !== null && height <= headHeight) return;
  headHeight = height;
  const c = current;
  if (c.page === "home") homeNewBlock(height).catch(() => {});
  else if ((c.page === "intent" && (c.status === "pending" || c.status === "cancelled")) || ["pools", "rooms", "compute", "core"].includes(c.page)) route();
}
function setLive(on, text) {
  const l = document.getElementById("live");
  l.className = on ? "on" : "off";
  l.textContent = text;
}
function connectLive() {
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/");
  ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "pactum_subscribe", params: ["newBlocks"] }));
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.id === 1 && m.result) {
      setLive(true, "live");
      if (current.page === "home") route();  // blocks made before the subscription began
    }
    if (m.method === "pactum_subscription" && m.params && m.params.result) onNewBlock(m.params.result.height);
  };
  ws.onclose = () => { setLive(false, "reconnecting"); setTimeout(connectLive, 2000); };
}

async function start() {
  try {
    const [assets, info] = await Promise.all([rpc("pactum_getAssets"), rpc("pactum_nodeInfo")]);
    for (const a of assets) {
      decimals.set(a.symbol, a.decimals);
      if (a.burnable === true) burnable.push(a.symbol);
    }
    headHeight = info.height;
    document.getElementById("chain").textContent = info.chain_id;
  } catch (e) {
    main.replaceChildren(el("p", { class: "err" }, "node unreachable: " + String(e.message || e)));
    return;
  }
  window.addEventListener("hashchange", route);
  await route();
  connectLive();
}
start();
