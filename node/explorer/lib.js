
"use strict";
// pactum explorer. Everything shown comes from the node's JSON-RPC (POST /) and its
// newBlocks subscription (WebSocket on the same address). Text from the chain (intent
// members come from anyone) only ever enters the page through text nodes: el() below
// never parses markup, and links are built from validated hex or integers.

const main = document.getElementById("main");
const decimals = new Map();  // asset symbol -> decimals (pactum_getAssets)
// A locked asset BASE@H has its base's decimals (docs/PROTOCOL.md, "Asset symbols").
function decimalsOf(asset) { return decimals.get(String(asset).split("@")[0]) || 0; }
const burnable = [];         // the burnable assets' symbols, in genesis order (pactum_getAssets)
let headHeight = null;
let renderGen = 0;           // a navigation makes older pending renders drop their result

// ---- DOM helpers (no innerHTML anywhere) ----
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === "class") e.className = v;
    else if (k === "href") e.href = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
const isHex64 = (s) => typeof s === "string" && /^[0-9a-f]{64}$/.test(s);
const short = (h) => (typeof h === "string" && h.length > 16 ? h.slice(0, 10) + "…" + h.slice(-4) : String(h));
function link(route, text, attrs) { return el("a", Object.assign({ href: "#/" + route }, attrs || {}), text); }
function blockLink(h, text) { return Number.isSafeInteger(h) ? link("block/" + h, text ?? String(h)) : String(h); }
function intentLink(id, text) { return isHex64(id) ? link("intent/" + id, text ?? short(id), { class: "hex" }) : String(id); }
function hexCell(h) { return el("td", {}, el("span", { class: "hex", title: String(h) }, String(h))); }
function table(headers, rows, attrs) {
  return el("table", attrs || {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
}
function kv(pairs, attrs) {
  return el("table", Object.assign({ class: "kv" }, attrs || {}),
    pairs.map(([k, v]) => el("tr", { "data-key": k }, el("td", {}, k), v instanceof Node && v.tagName === "TD" ? v : el("td", {}, v))));
}
function show(gen, ...nodes) {
  if (gen !== renderGen) return false;
  main.replaceChildren(...nodes);
  return true;
}

// ---- JSON-RPC ----
class RpcError extends Error {
  constructor(e) { super(e.message); this.code = e.code; this.reason = e.data && e.data.reason; }
}
let rpcId = 0;
async function rpc(method, params = []) {
  const r = await fetch("/", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }) });
  const j = await r.json();
  if (j.error) throw new RpcError(j.error);
  return j.result;
}

// ---- amounts and prices (exact: BigInt, never floating point) ----
// Base units -> display units of the asset (its `decimals`), trailing zeros dropped.
function units(amount, asset) {
  const s = String(amount);
  const d = decimalsOf(asset);
  if (!/^[0-9]+$/.test(s) || d === 0) return s;
  const p = s.padStart(d + 1, "0");
  const frac = p.slice(-d).replace(/0+$/, "");
  return frac ? p.slice(0, -d) + "." + frac : p.slice(0, -d);
}
function amt(amount, asset) { return asset ? units(amount, asset) + " " + asset : units(amount, asset); }
const big = (s) => (/^[0-9]+$/.test(String(s)) ? BigInt(s) : null);
// num/den as a decimal with up to `sig` significant digits (rounded down).
function ratio(num, den, sig = 8) {
  if (num === null || den === null || den === 0n) return "?";
  let out = (num / den).toString(), rem = num % den, frac = "", counted = out === "0" ? 0 : out.length;
  for (let i = 0; rem !== 0n && counted < sig && i < 40; i++) {
    rem *= 10n;
    const d = rem / den;
    rem %= den;
    frac += d.toString();
    if (counted > 0 || d !== 0n) counted++;
  }
  frac = frac.replace(/0+$/, "");
  return frac ? out + "." + frac : out;
}
const pow10 = (n) => 10n ** BigInt(n || 0);
// A pair price {base, quote, num, den} (quote base units per base base unit) in display units.
function pairPrice(p) {
  const n = big(p.num), d = big(p.den);
  if (n === null || d === null) return "?";
  return "1 " + p.base + " = " + ratio(n * pow10(decimalsOf(p.base)), d * pow10(decimalsOf(p.quote))) + " " + p.quote;
}

// ---- words ----
const STATUS_WORDS = {
  pending: "Pending: it joins every block until it settles, is cancelled, or its valid_until passes.",
  settled: "Settled: it executed in the block shown.",
  rejected: "Rejected: final. It will never execute; its nonce stays free.",
  expired: "Expired: its valid_until passed before it settled. Nothing moved; its nonce stays free.",
  cancelled: "Cancelled by its signer: it can never settle; its nonce is used.",
  unfilled: "Not filled in this block: it stays pending for later blocks.",
};
const REASON_WORDS = {
  "": "Nothing went wrong.",
  partial: "A partially fillable swap filled in part; the rest does not stay pending.",
  limit_not_reached: "The clearing price was worse than the swap's limit (or nothing crossed it), so it waits for a better batch.",
  fok_not_fillable: "Fill-or-kill, and only part of it could be filled at the clearing price.",
  no_liquidity: "There is no pool for the pair and no opposite swap in the batch.",
  rationed: "Its limit was met, but the volume the batch could trade went to better limits first.",
  insufficient_balance: "The signer's balance did not cover it when the block executed.",
  expired: "It was not settled by its valid_until height.",
  nonce_used: "Its nonce was already used on chain.",
  duplicate_nonce: "Another intent of the same signer and nonce won in this batch.",
  duplicate: "The same intent (or room) already exists.",
  wrong_chain: "It was signed for another chain.",
  unknown_asset: "It names an asset the chain does not know.",
  invalid_intent: "It is malformed (a zero amount, a swap of an asset for itself, or a closing height already passed).",
  cancelled: "A cancel by the same signer named it.",
  condition_not_met: "Its condition did not hold over this block's batch; it is tried again in every block.",
  negation_cycle: "Its condition depends on its own negation in this batch; it was left out of this block.",
  no_pool: "A bundle swap step's pair has no pool.",
  min_out_not_met: "A bundle swap step would receive less than its minimum.",
  no_lending_pool: "A bundle step borrows or repays an asset without a lending pool.",
  insufficient_liquidity: "A bundle borrows more than the lending pool holds.",
  repay_exceeds_debt: "A bundle repays more than it owes.",
  loan_not_repaid: "A bundle's flash loan was not repaid in full.",
  negative_balance: "A bundle would leave an account below zero.",
  check_failed: "One of the bundle's end checks does not hold.",
  no_room_key: "The block holds no key for this room.",
  room_limit: "These parties opened too many rooms in this period.",
  room_not_opened: "No room with this id was opened in the block.",
  unknown_room: "There is no such room.",
  room_closed: "The room is closed already.",
  not_a_party: "The signer is not a party of the room.",
  already_sealed: "This party has sealed a position already.",
  room_open: "The room has no outcome yet.",
  bad_seed: "The revealed seed does not match the room's commitment.",
  bad_outcome: "The outcome is not one the room allows.",
  already_signed: "This party has signed the outcome already.",
  bad_outcome_signature: "The outcome signature does not verify.",
  not_producer: "Only the block producer may write this.",
};
function reasonWords(r) { return REASON_WORDS[r] ?? "Reason code " + JSON.stringify(String(r)) + "."; }
function statusSpan(s) { return el("span", { class: "status " + String(s).replace(/[^a-z]/g, "") }, String(s)); }

// What an intent asks for, in a few words (its members were checked by the node's form
// rules, but they are still someone else's text: only ever rendered as text).
function summary(i) {
  try {
    switch (i.kind) {
      case "transfer": return "send " + amt(i.amount, i.asset) + " to " + short(i.to);
      case "swap":
        return (i.side === "sell"
          ? "sell " + amt(i.sell_amount, i.sell_asset) + " for at least " + amt(i.buy_amount, i.buy_asset)
          : "buy " + amt(i.buy_amount, i.buy_asset) + " for at most " + amt(i.sell_amount, i.sell_asset)) +
          (i.partial ? " (partial fills allowed)" : "");
      case "cancel": return "cancel " + i.ids.length + " intent(s)";
      case "burn": return "burn " + amt(i.amount, i.asset) + " for request " + short(i.request);
      case "lock": return "lock " + amt(i.amount, i.asset) + " as " + i.asset + "@" + i.until + " until height " + i.until;
      case "unlock": return "unlock " + amt(i.amount, i.asset);
      case "commit": return "commitment: " + summary(Object.assign({}, i.action)) + ", if " + i.condition.type;
      case "bundle": return "bundle of " + i.steps.length + " step(s)";
      case "room_open": return "open a " + i.terms.mechanism + " room, closing at height " + i.terms.close_height;
      case "room_position": return "sealed position for room " + short(i.room) + " (sealed: not shown)";
      case "room_sign": return "sign the outcome of room " + short(i.room);
      case "room_key": return "room key for room " + short(i.room) + " (producer)";
      case "room_outcome": return "outcome of room " + short(i.room) + ": " + (i.outcome & 0x80 ? "deal" : "no deal") + " (producer)";
      default: return String(i.kind);
    }
  } catch (e) { return String(i.kind); }
}
// The intent as JSON for the detail view, without a position's ciphertext.
function shownIntent(i) {
  if (i && i.kind === "room_position") return Object.assign({}, i, { eph: "(sealed)", iv: "(sealed)", ct: "(sealed)" });
  return i;
}

function receiptCells(r) {
  if (!r) return [el("td", { class: "muted" }, "no receipt yet"), el("td"), el("td"), el("td"), el("td")];
  return [
    el("td", { "data-field": "status" }, statusSpan(r.status)),
    el("td", { "data-field": "reason" }, r.reason === "" ? "" : el("code", {}, r.reason)),
    el("td", { "data-field": "message" }, r.message),
    el("td", { class: "num", "data-field": "sold" }, r.sold_asset ? amt(r.sold, r.sold_asset) : ""),
    el("td", { class: "num", "data-field": "bought" }, r.bought_asset ? amt(r.bought, r.bought_asset) : ""),
  ];
}

