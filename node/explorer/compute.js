// ---- compute: burns of burnable assets per core, over time, and the supply ----
// A burn is signed by the compute core's own wallet, so a core is a burning account. The
// settled burns come from pactum_getBurns (oldest first; the chain only grows, so an offset
// stays valid), kept here and extended block by block; the supply from pactum_getSupply.
const BURNS_PAGE = 1000;     // pactum_getBurns' largest limit
const BURNS_KEPT = 100000;   // the page keeps at most about this many burns: the newest
const BUCKETS = 30;          // the over-time chart groups its blocks into at most this many ranges
const SHOWN_CORES = 6;       // cores with a column (and a colour) of their own; the rest are "others"
// Every settled burn of blocks from..to, oldest first (from > 1 only once trimmed).
const burnLog = { burns: [], from: 1, to: 0 };
let burnLoading = Promise.resolve();

async function fetchBurns(from, to) {
  const first = await rpc("pactum_getBurns", { from, to, offset: 0, limit: BURNS_PAGE });
  // Too many: start at the newest BURNS_KEPT (trimLog then drops the partial first block).
  let offset = first.total > BURNS_KEPT ? first.total - BURNS_KEPT : 0, got = [];
  if (offset === 0) { got = first.burns; offset = got.length; }
  while (offset < first.total) {
    const page = await rpc("pactum_getBurns", { from, to, offset, limit: BURNS_PAGE });
    if (page.burns.length === 0) break;
    got = got.concat(page.burns);
    offset += page.burns.length;
  }
  return { burns: got, complete: got.length === first.total };
}
// Drops the oldest burns beyond BURNS_KEPT, and the rest of their block, so that the log
// still holds every burn of the blocks from..to.
// cutBelow: a height whose burns came in part (or null).
function trimLog(cutBelow) {
  let cut = Math.max(0, burnLog.burns.length - BURNS_KEPT);
  if (cut === 0 && cutBelow === null) return;
  const h = Math.max(cut > 0 ? burnLog.burns[cut - 1].height : 0, cutBelow ?? 0);
  cut = 0;
  while (cut < burnLog.burns.length && burnLog.burns[cut].height <= h) cut++;
  burnLog.burns = burnLog.burns.slice(cut);
  burnLog.from = Math.max(burnLog.from, h + 1);
}
function loadBurns(head) {
  burnLoading = burnLoading.catch(() => {}).then(async () => {
    if (head <= burnLog.to) return;
    const { burns, complete } = await fetchBurns(burnLog.to + 1, head);
    burnLog.burns = burnLog.burns.concat(burns);
    burnLog.to = head;
    trimLog(complete || burns.length === 0 ? null : burns[0].height);
  });
  return burnLoading;
}

// The supplies of the burnable assets, all at one height (a block may come between two calls).
async function supplies() {
  for (let tries = 0; ; tries++) {
    const list = await Promise.all(burnable.map((a) => rpc("pactum_getSupply", [a])));
    if (tries >= 4 || list.every((s) => s.height === list[0].height)) return list;
  }
}

// Per core: count, total, first and last block of its burns of `asset`, biggest total first.
function coresOf(burns, asset) {
  const by = new Map();
  for (const b of burns) {
    if (b.asset !== asset) continue;
    const c = by.get(b.account) || { account: b.account, count: 0, total: 0n, first: b.height, last: b.height };
    c.count++;
    c.total += BigInt(b.amount);
    c.last = b.height;
    by.set(b.account, c);
  }
  return [...by.values()].sort((x, y) => (x.total === y.total ? (x.account < y.account ? -1 : 1) : x.total > y.total ? -1 : 1));
}
const coreLink = (account) => (isHex64(account) ? link("core/" + account, short(account), { class: "hex", title: account }) : String(account));

function coreTable(cores, asset) {
  const rows = cores.map((c, n) => el("tr", { "data-account": c.account },
    el("td", {}, el("span", { class: "swatch c" + Math.min(n, SHOWN_CORES) }), " ", coreLink(c.account)),
    el("td", { class: "num", "data-field": "count" }, String(c.count)),
    el("td", { class: "num", "data-field": "total" }, amt(c.total, asset)),
    el("td", { class: "num", "data-field": "first" }, blockLink(c.first)),
    el("td", { class: "num", "data-field": "last" }, blockLink(c.last))));
  return table(["core (burning account)", "burns", "burned", "first block", "last block"], rows, { id: "cores-" + asset, class: "cores" });
}

// Burns of `asset` over blocks lo..hi in at most BUCKETS equal ranges, one row per range:
// its total, a bar split by core (widths relative to the largest range), and the exact
// amount of each of the first SHOWN_CORES cores, the rest summed as "others".
function overTime(burns, asset, cores, lo, hi) {
  const size = Math.ceil((hi - lo + 1) / BUCKETS), count = Math.ceil((hi - lo + 1) / size);
  const column = new Map(cores.slice(0, SHOWN_CORES).map((c, n) => [c.account, n]));
  const others = cores.length > SHOWN_CORES ? SHOWN_CORES : null;
  const width = others === null ? cores.length : SHOWN_CORES + 1;
  const buckets = Array.from({ length: count }, () => ({ total: 0n, by: Array(width).fill(0n) }));
  for (const b of burns) {
    if (b.asset !== asset || b.height < lo || b.height > hi) continue;
    const k = Math.floor((b.height - lo) / size), a = BigInt(b.amount);
    buckets[k].total += a;
    buckets[k].by[column.get(b.account) ?? others] += a;
  }
  const max = buckets.reduce((m, k) => (k.total > m ? k.total : m), 0n);
  const rows = buckets.map((k, n) => {
    const from = lo + n * size, to = Math.min(hi, from + size - 1);
    const bar = el("div", { class: "bar" }, k.by.map((a, c) => {
      if (a === 0n) return null;
      const seg = el("span", { class: "c" + c, title: (c === others ? "others" : cores[c].account) + ": " + amt(a, asset) });
      seg.style.width = Number((a * 100000n) / max) / 1000 + "%";  // a width, not an amount: CSSOM, which the CSP allows
      return seg;
    }));
    return el("tr", { "data-from": from, "data-to": to },
      el("td", {}, blockLink(from), from === to ? "" : [" – ", blockLink(to)]),
      el("td", { class: "num", "data-field": "total" }, amt(k.total, asset)), el("td", { class: "chart" }, bar),
      k.by.map((a, c) => el("td", { class: "num", "data-account": c === others ? "others" : cores[c].account }, a === 0n ? "" : units(a, asset))));
  });
  const heads = cores.slice(0, SHOWN_CORES).map((c, n) => el("span", { title: c.account }, el("span", { class: "swatch c" + n }), " ", short(c.account)));
  if (others !== null) heads.push(el("span", {}, el("span", { class: "swatch c" + others }), " others"));
  return table(["blocks", "burned", "", ...heads], rows, { id: "time-" + asset, class: "time" });
}

// The window of the over-time chart: the last `last` blocks, or from the first burn shown.
function windowOf(burns, asset, last, head) {
  const lo = last ? Math.max(1, head - last + 1) : (burns.find((b) => b.asset === asset) || { height: head }).height;
  return [Math.max(lo, burnLog.from), head];
}
function windowLinks(base) {
  return el("p", { class: "muted", id: "window" }, "over time: ",
    [["", "since the first burn"], ["100", "last 100 blocks"], ["1000", "last 1000"], ["10000", "last 10000"]]
      .flatMap(([n, words]) => [link(base + (n ? "/" + n : ""), words), " "]));
}
function parseLast(arg) {
  if (arg === "") return 0;
  const n = /^[1-9][0-9]{0,8}$/.test(arg) ? Number(arg) : null;
  if (n === null) throw new Error("#/compute/N: N must be a number of blocks");
  return n;
}
function trimmedNote() {
  return burnLog.from > 1 ? el("p", { class: "muted", id: "trimmed" },
    "Only the burns of blocks " + burnLog.from + "–" + burnLog.to + " are counted below (the newest, about " + BURNS_KEPT + ").") : "";
}

async function pageCompute(gen, arg) {
  const last = parseLast(arg);
  if (burnable.length === 0) return show(gen, el("h1", {}, "Compute"), el("p", {}, "This chain has no burnable asset."));
  const sups = await supplies();
  const head = sups[0].height;
  await loadBurns(head);
  const burns = burnLog.burns.filter((b) => b.height <= head);
  const supplyRows = sups.map((s) => {
    const listed = burns.filter((b) => b.asset === s.asset).reduce((t, b) => t + BigInt(b.amount), 0n);
    const whole = burnLog.from === 1, agrees = whole && big(s.burned) === listed;
    return el("tr", { "data-asset": s.asset }, el("td", {}, s.asset),
      el("td", { class: "num", "data-field": "genesis" }, amt(s.genesis_supply, s.asset)),
      el("td", { class: "num", "data-field": "supply" }, amt(s.supply, s.asset)),
      el("td", { class: "num", "data-field": "burned" }, amt(s.burned, s.asset)),
      el("td", { class: "num", "data-field": "listed" }, amt(listed, s.asset)),
      el("td", { "data-field": "check" }, !whole ? "—" : el("span", { class: agrees ? "settled" : "err" }, agrees ? "agrees" : "DIFFERS")));
  });
  const sections = burnable.map((asset) => {
    const cores = coresOf(burns, asset);
    if (cores.length === 0) return el("section", { "data-asset": asset }, el("h2", {}, asset), el("p", { class: "muted" }, "no burns of " + asset + " yet"));
    const [lo, hi] = windowOf(burns, asset, last, head);
    return el("section", { "data-asset": asset }, el("h2", {}, asset + ": burns per core"), coreTable(cores, asset),
      el("h2", {}, asset + ": burned per block range, blocks " + lo + "–" + hi), overTime(burns, asset, cores, lo, hi));
  });
  show(gen, el("h1", {}, "Compute"),
    el("p", { class: "muted" }, "Compute is paid for by burning a burnable asset; a burn is signed by the compute core's own account. At height " + head + ":"),
    table(["asset", "genesis supply", "supply", "burned (genesis − supply)", "sum of the burns listed", "check"], supplyRows, { id: "supply" }),
    trimmedNote(), windowLinks("compute"), ...sections);
}

// One core: its balances of the burnable assets, its burns over time and its newest burns.
async function pageCore(gen, account) {
  if (!isHex64(account)) return show(gen, el("p", { class: "err" }, "not an account"));
  const head = await rpc("pactum_blockNumber");
  const [balances] = await Promise.all([Promise.all(burnable.map((a) => rpc("pactum_getBalance", [account, a]))), loadBurns(head)]);
  const mine = burnLog.burns.filter((b) => b.account === account && b.height <= head);
  const sections = burnable.map((asset) => {
    const cores = coresOf(mine, asset);
    if (cores.length === 0) return "";
    const [lo, hi] = windowOf(mine, asset, 0, head);
    return el("section", { "data-asset": asset }, el("h2", {}, asset), coreTable(cores, asset),
      el("h2", {}, asset + ": burned per block range, blocks " + lo + "–" + hi), overTime(mine, asset, cores, lo, hi));
  });
  const newest = mine.slice(-100).reverse().map((b) => el("tr", { "data-intent": b.intent },
    el("td", { class: "num" }, blockLink(b.height)), el("td", {}, intentLink(b.intent)),
    el("td", { class: "num", "data-field": "amount" }, amt(b.amount, b.asset)), hexCell(b.request)));
  show(gen, el("h1", {}, "Compute core"),
    kv([["account", hexCell(account)], ...burnable.map((a, n) => ["balance " + a, amt(balances[n], a)]),
        ["burns", String(mine.length)]], { id: "core" }),
    trimmedNote(), ...sections,
    el("h2", {}, "Newest burns"),
    newest.length ? table(["block", "intent", "amount", "request"], newest, { id: "burns" }) : el("p", { class: "muted" }, "no burns"));
}
