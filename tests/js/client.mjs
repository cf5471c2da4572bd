// Independent JavaScript client for pactum, written from docs/PROTOCOL.md alone.
// Section numbers in comments refer to that document.

import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, hexToBytes, concatBytes, sha256 };

export const ZERO32 = new Uint8Array(32);
export const ZERO32_HEX = '0'.repeat(64);
const MAX_SAFE = Number.MAX_SAFE_INTEGER; // 2^53-1 (conventions)
const MAX_U256 = (1n << 256n) - 1n;

// ---------------------------------------------------------------------------
// Hex / form helpers (section 2 "Field forms")

const HEX_RE = /^[0-9a-f]*$/;
export function isHex(s, nbytes) {
  return typeof s === 'string' && s.length === 2 * nbytes && HEX_RE.test(s);
}
export function hex(b) { return bytesToHex(b); }
export function unhex(s, nbytes) {
  if (typeof s !== 'string' || !HEX_RE.test(s) || s.length % 2 !== 0) {
    throw new Error(`not lowercase hex: ${JSON.stringify(s)}`);
  }
  if (nbytes !== undefined && s.length !== 2 * nbytes) {
    throw new Error(`expected ${nbytes} bytes of hex, got ${s.length / 2}`);
  }
  return hexToBytes(s);
}

const AMOUNT_RE = /^(0|[1-9][0-9]*)$/;
export function isAmount(s) {
  return typeof s === 'string' && AMOUNT_RE.test(s) && BigInt(s) <= MAX_U256;
}
/** Amount (decimal string, bigint or safe integer) -> canonical decimal string. */
export function amount(v) {
  let b;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === 'string' && AMOUNT_RE.test(v)) b = BigInt(v);
  else throw new Error(`bad amount ${String(v)}`);
  if (b < 0n || b > MAX_U256) throw new Error(`amount out of range: ${b}`);
  return b.toString(10);
}

export function bytesToBigInt(b) {
  let x = 0n;
  for (const byte of b) x = (x << 8n) | BigInt(byte);
  return x;
}
export function bigIntToBytes(x, n) {
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  if (x !== 0n) throw new Error('value does not fit');
  return out;
}

// ---------------------------------------------------------------------------
// JCS (RFC 8785) for the values intents, receipts and headers contain (section 3 step 2)

function jcsString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdfff) {
      // RFC 8785 requires well-formed strings; a lone surrogate cannot be encoded as UTF-8.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { out += s[i] + s[i + 1]; i++; }
      else throw new Error('lone surrogate in string');
    } else out += s[i];
  }
  return out + '"';
}

// UTF-16 code-unit order, as RFC 8785 section 3.2.3 says.
function cmpUtf16(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** RFC 8785 canonical JSON text (a JS string; encode as UTF-8 for the bytes). */
export function jcs(v) {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return jcsString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('non-finite number');
    if (!Number.isInteger(v) || Math.abs(v) > MAX_SAFE) {
      // Not used by pactum (section 3 says "integers in plain decimal"); ES Number
      // serialisation is what RFC 8785 prescribes for everything else.
      return JSON.stringify(v);
    }
    return Object.is(v, -0) ? '0' : String(v);
  }
  if (typeof v === 'bigint') {
    throw new Error('bigint in JCS input: amounts must be decimal strings');
  }
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort(cmpUtf16);
    return '{' + keys.map((k) => jcsString(k) + ':' + jcs(v[k])).join(',') + '}';
  }
  throw new Error(`cannot canonicalise ${typeof v}`);
}
export function jcsBytes(v) { return utf8ToBytes(jcs(v)); }

// ---------------------------------------------------------------------------
// Hashes (section 1)

const tagCache = new Map();
export function taggedHash(tag, ...msgs) {
  let th = tagCache.get(tag);
  if (!th) { th = sha256(utf8ToBytes(tag)); tagCache.set(tag, th); }
  return sha256(concatBytes(th, th, ...msgs));
}

export const TAG_INTENT = 'pactum/intent/v1';
export const TAG_BLOCK = 'pactum/block/v1';
export const TAG_RECEIPT = 'pactum/receipt/v1';
export const TAG_LIST = 'pactum/list/v1';
export const TAG_LEAF = 'pactum/state/leaf';
export const TAG_NODE = 'pactum/state/node';

// ---------------------------------------------------------------------------
// Keys (section 1)

export function devSecret(i) {
  if (!Number.isSafeInteger(i) || i < 0) throw new Error('bad dev index');
  return sha256(utf8ToBytes('pactum/devnet/key/' + String(i)));
}
export function producerSecret() { return sha256(utf8ToBytes('pactum/devnet/producer')); }
export function publicKey(secret) { return schnorr.getPublicKey(secret); }
export function account(secret) { return hex(publicKey(secret)); }

export class Key {
  constructor(secret) {
    this.secret = typeof secret === 'string' ? unhex(secret, 32) : secret;
    this.account = account(this.secret);
  }
  static dev(i) { return new Key(devSecret(i)); }
  static producer() { return new Key(producerSecret()); }
  sign(digest, aux = ZERO32) { return hex(schnorr.sign(digest, this.secret, aux)); }
}

/** BIP-340 lift_x succeeds: the account is a valid x coordinate. */
export function isValidAccount(acc) {
  if (!isHex(acc, 32)) return false;
  try { schnorr.utils.lift_x(bytesToBigInt(unhex(acc))); return true; } catch { return false; }
}

export function verifySig(accountHex, digest, sigHex) {
  if (!isHex(sigHex, 64) || !isHex(accountHex, 32)) return false;
  try { return schnorr.verify(unhex(sigHex), digest, unhex(accountHex)); } catch { return false; }
}

// ---------------------------------------------------------------------------
// Intents (sections 2 and 3)

function withoutSig(intent) {
  const { sig, ...rest } = intent; // eslint-disable-line no-unused-vars
  return rest;
}
export function canonicalIntent(intent) { return jcs(withoutSig(intent)); }
export function intentDigest(intent) {
  return taggedHash(TAG_INTENT, utf8ToBytes(canonicalIntent(intent)));
}
export function intentId(intent) { return hex(intentDigest(intent)); }

export function signIntent(intent, key, aux = ZERO32) {
  const k = key instanceof Key ? key : new Key(key);
  const unsigned = withoutSig(intent);
  if (unsigned.signer !== k.account) throw new Error('signer is not the key\'s account');
  const digest = intentDigest(unsigned);
  return { ...unsigned, sig: k.sign(digest, aux) };
}
export function verifyIntentSig(intent) {
  return verifySig(intent.signer, intentDigest(intent), intent.sig);
}

// The common members (section 2). valid_from is optional: left out (undefined) it is not
// written, so the canonical bytes are those of an intent without it.
function common(kind, { chain, signer, nonce, valid_until, valid_from }) {
  if (typeof chain !== 'string' || chain.length < 1 || chain.length > 64) throw new Error('bad chain');
  if (!isHex(signer, 32)) throw new Error('bad signer');
  for (const [n, v] of [['nonce', nonce], ['valid_until', valid_until]]) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`bad ${n}`);
  }
  const out = { kind, chain, signer, nonce, valid_until };
  if (valid_from !== undefined) {
    if (!Number.isSafeInteger(valid_from) || valid_from < 0) throw new Error('bad valid_from');
    if (valid_from > valid_until) throw new Error('valid_from is above valid_until');
    out.valid_from = valid_from;
  }
  return out;
}

/** Unsigned transfer intent. */
export function transfer({ chain, signer, nonce, valid_until, valid_from, asset, to, amount: amt }) {
  if (!isHex(to, 32)) throw new Error('bad to');
  return { ...common('transfer', { chain, signer, nonce, valid_until, valid_from }), asset, to, amount: amount(amt) };
}

/** Unsigned swap intent. */
export function swap({ chain, signer, nonce, valid_until, valid_from, sell_asset, buy_asset, side, sell_amount, buy_amount, partial = false }) {
  if (side !== 'sell' && side !== 'buy') throw new Error('bad side');
  if (sell_asset === buy_asset) throw new Error('sell_asset == buy_asset');
  return {
    ...common('swap', { chain, signer, nonce, valid_until, valid_from }),
    sell_asset, buy_asset, side,
    sell_amount: amount(sell_amount), buy_amount: amount(buy_amount), partial: !!partial,
  };
}

/** Unsigned cancel intent. */
export function cancel({ chain, signer, nonce, valid_until, valid_from, ids }) {
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 64) throw new Error('ids: 1..64');
  if (new Set(ids).size !== ids.length || !ids.every((i) => isHex(i, 32))) throw new Error('bad ids');
  return { ...common('cancel', { chain, signer, nonce, valid_until, valid_from }), ids: [...ids] };
}

/** Checks a receipt inclusion proof (section 5, "Receipt proofs") against a receipts_root (hex). */
export function verifyReceiptProof(receiptsRootHex, receipt, proof) {
  const { index, count, siblings } = proof;
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && index < count)) return false;
  let h = receiptHash(receipt);
  let [i, n, k] = [index, count, 0];
  while (n > 1) {
    if (i % 2 === 1 || i + 1 < n) {
      if (k >= siblings.length) return false;
      const s = unhex(siblings[k++], 32);
      h = i % 2 === 1 ? taggedHash(TAG_LIST, s, h) : taggedHash(TAG_LIST, h, s);
    }
    i = Math.floor(i / 2);
    n = Math.ceil(n / 2);
  }
  return k === siblings.length && hex(h) === receiptsRootHex;
}

/** Unsigned burn intent (section 2): destroys `amount` of a burnable asset. */
export function burn({ chain, signer, nonce, valid_until, valid_from, asset, amount: amt, request }) {
  if (!isHex(request, 32)) throw new Error('bad request');
  if (BigInt(amount(amt)) === 0n) throw new Error('amount must be > 0');
  return { ...common('burn', { chain, signer, nonce, valid_until, valid_from }), asset, amount: amount(amt), request };
}

/** A base asset symbol, or a locked one BASE@H (section 2, "Asset symbols"). */
export function parseLockedSymbol(sym) {
  const m = /^([A-Z0-9]{1,16})@([1-9][0-9]{0,15})$/.exec(sym);
  if (!m || BigInt(m[2]) > 9007199254740991n) return null;
  return { base: m[1], until: Number(m[2]) };
}

export function lock({ chain, signer, nonce, valid_until, valid_from, asset, amount: amt, until }) {
  if (!/^[A-Z0-9]{1,16}$/.test(asset)) throw new Error('a lock takes a base asset');
  if (!Number.isSafeInteger(until) || until < 1) throw new Error('until must be a height >= 1');
  if (BigInt(amount(amt)) === 0n) throw new Error('amount must be > 0');
  return { ...common('lock', { chain, signer, nonce, valid_until, valid_from }), asset, amount: amount(amt), until };
}

export function unlock({ chain, signer, nonce, valid_until, valid_from, asset, amount: amt }) {
  if (!parseLockedSymbol(asset)) throw new Error('an unlock takes a locked asset BASE@H');
  if (BigInt(amount(amt)) === 0n) throw new Error('amount must be > 0');
  return { ...common('unlock', { chain, signer, nonce, valid_until, valid_from }), asset, amount: amount(amt) };
}

/** Unsigned reveal intent (section 2): publishes `preimage` (1..128 bytes, lowercase hex). */
export function reveal({ chain, signer, nonce, valid_until, preimage }) {
  if (typeof preimage !== 'string' || !/^(?:[0-9a-f]{2}){1,128}$/.test(preimage)) {
    throw new Error('preimage: 1 to 128 bytes of lowercase hex');
  }
  return { ...common('reveal', { chain, signer, nonce, valid_until }), preimage };
}

/** The hash a `reveals` condition names for a preimage (hex): plain SHA-256, not tagged. */
export function hashLock(preimageHex) { return hex(sha256(unhex(preimageHex))); }

/** The `reveals` condition (section 2): holds in a block that settles a reveal of a preimage of `hash`. */
export function reveals(hash) {
  if (!isHex(hash, 32)) throw new Error('reveals: hash must be 64 lowercase hex digits');
  return { type: 'reveals', hash };
}

const CONDITION_TYPES = ['requires', 'mirror', 'threshold', 'exists', 'program', 'all', 'any', 'reveals', 'unless'];

const LEAVES_UNDER_UNLESS = ['requires', 'exists', 'program', 'reveals'];

// Section 2: a condition tree; all/any nest at most 4 deep, at most 16 conditions, 1..8 each.
function checkCondition(c, insideUnless = false, depth = 0, budget = { nodes: 0 }) {
  if (!c || typeof c !== 'object' || !CONDITION_TYPES.includes(c.type)) throw new Error('bad condition type');
  if (++budget.nodes > 16) throw new Error('a condition tree holds at most 16 conditions');
  if (c.type === 'reveals') {
    reveals(c.hash);
    if (Object.keys(c).length !== 2) throw new Error('reveals: members type and hash only');
  }
  if (c.type === 'program' && !isHex(c.hash, 32)) throw new Error('program: hash must be 64 hex digits');
  if (c.type === 'exists') checkAmountBounds(c, insideUnless);
  if (c.type === 'all' || c.type === 'any') {
    if (insideUnless) throw new Error('unless negates a leaf only');
    if (depth >= 4) throw new Error('all/any nest at most 4 deep');
    if (!Array.isArray(c.conditions) || c.conditions.length < 1 || c.conditions.length > 8) {
      throw new Error('all/any hold 1 to 8 conditions');
    }
    for (const child of c.conditions) checkCondition(child, false, depth + 1, budget);
  }
  if (c.type === 'unless') {
    if (insideUnless) throw new Error('unless inside unless');
    if (!LEAVES_UNDER_UNLESS.includes(c.condition?.type)) throw new Error('unless negates requires, exists, program or reveals only');
    checkCondition(c.condition, true, depth, budget);
  } else if (insideUnless && !LEAVES_UNDER_UNLESS.includes(c.type)) {
    throw new Error('unless negates requires, exists, program or reveals only');
  }
}

// Section 2, `pattern`: min_sold / max_sold bound what the matched swap sells in the block
// (its receipt's `sold`, in base units of the pattern's sell_asset). Amounts > 0, min <= max;
// not under unless, not with fallback "pools".
function checkAmountBounds(c, insideUnless) {
  const p = c.pattern ?? {};
  const bounds = ['min_sold', 'max_sold'].filter((b) => p[b] !== undefined);
  for (const b of bounds) if (!isAmount(p[b]) || BigInt(p[b]) === 0n) throw new Error(`pattern.${b}: an amount > 0`);
  if (bounds.length === 2 && BigInt(p.min_sold) > BigInt(p.max_sold)) throw new Error('pattern.min_sold: is larger than max_sold');
  if (bounds.length && insideUnless) throw new Error('amount bounds are not allowed under unless');
  if (bounds.length && c.fallback === 'pools') throw new Error('amount bounds are not allowed with fallback "pools"');
}

/**
 * The share_surplus action (section 2): after the clearing, pay `to` bps/10000 of what the
 * signer's own swap `swap` received beyond its limit, at most `cap` base units of `asset`
 * (the swap's buy asset), out of what that swap received.
 */
export function shareSurplus({ swap, asset, to, bps, cap }) {
  if (!isHex(swap, 32)) throw new Error('action.swap: an intent id (64 hex digits)');
  if (!Number.isInteger(bps) || bps < 1 || bps > 10000) throw new Error('action.bps: must be between 1 and 10000');
  if (!isAmount(cap) || BigInt(cap) === 0n) throw new Error('action.cap: an amount > 0');
  return { kind: 'share_surplus', swap, asset, to, bps, cap };
}

/** The program of a commit in its normal form (section 2, "Program hash"), as an object to JCS. */
export function programOf(intent) {
  const firstWith = (c) => {
    if (c.type === 'mirror' && c.with) return c.with;
    for (const child of c.conditions ?? []) { const w = firstWith(child); if (w) return w; }
    return null;
  };
  const peer = firstWith(intent.condition);
  const who = (k) => (k === intent.signer ? 'self' : k === peer ? 'peer' : k);
  const gcd = (a, b) => (b === 0n ? a : gcd(b, a % b));
  const rate = (r) => {
    const n = BigInt(r.num), d = BigInt(r.den), g = n === 0n ? d : gcd(n, d);
    return { num: String(n / g), den: String(d / g) };
  };
  const norm = (c) => {
    switch (c.type) {
      case 'requires': return { type: 'requires', ids: [...c.ids].sort() };
      case 'mirror': return c.with ? { type: 'mirror', with: who(c.with) } : { type: 'mirror' };
      case 'threshold': return c.of ? { type: 'threshold', k: c.k, of: [...c.of].sort() } : { type: 'threshold', k: c.k };
      case 'exists': {
        const p = { sell_asset: c.pattern.sell_asset, buy_asset: c.pattern.buy_asset };
        if (c.pattern.max_rate) p.max_rate = rate(c.pattern.max_rate);
        if (c.pattern.min_rate) p.min_rate = rate(c.pattern.min_rate);
        if (c.pattern.signer) p.signer = who(c.pattern.signer);
        if (c.pattern.min_sold) p.min_sold = c.pattern.min_sold;  // absent when unset: old hashes stay
        if (c.pattern.max_sold) p.max_sold = c.pattern.max_sold;
        return c.fallback === 'pools' ? { type: 'exists', pattern: p, fallback: 'pools' } : { type: 'exists', pattern: p };
      }
      case 'program': return c.signer ? { type: 'program', hash: '*', signer: who(c.signer) } : { type: 'program', hash: '*' };
      case 'reveals': return { type: 'reveals', hash: c.hash };
      case 'unless': return { type: 'unless', condition: norm(c.condition) };
      default: {
        const kids = c.conditions.map(norm).map((n) => [jcs(n), n]);
        kids.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
        return { type: c.type, conditions: kids.map((x) => x[1]) };
      }
    }
  };
  const a = intent.action;
  const action = a.kind === 'transfer'
    ? { kind: 'transfer', asset: a.asset, to: who(a.to), amount: a.amount }
    : a.kind === 'share_surplus'
    ? { kind: 'share_surplus', swap: a.swap, asset: a.asset, to: who(a.to), bps: a.bps, cap: a.cap }
    : { kind: 'swap', sell_asset: a.sell_asset, buy_asset: a.buy_asset, side: a.side, sell_amount: a.sell_amount,
      buy_amount: a.buy_amount, partial: a.partial };
  return { action, condition: norm(intent.condition) };
}

/** Unsigned commit intent (section 2): `action` (a transfer, swap or share_surplus object) settles iff `condition` holds. */
export function commit({ chain, signer, nonce, valid_until, action, condition }) {
  if (!action || !['transfer', 'swap', 'share_surplus'].includes(action.kind)) {
    throw new Error('action.kind: transfer, swap or share_surplus');
  }
  if (action.kind === 'share_surplus') shareSurplus(action);
  checkCondition(condition);
  return { ...common('commit', { chain, signer, nonce, valid_until }), action, condition };
}

/** The program hash of a commit (section 2) from its program's canonical JSON. */
export function programHash(programCanonical) { return hex(taggedHash('pactum/program/v1', utf8ToBytes(programCanonical))); }

/** The compute request hash (section 2): tagged_hash("pactum/compute-request", core || units u64 BE || nonce u64 BE). */
export function computeRequestHash(coreHex, units, nonce) {
  return hex(taggedHash('pactum/compute-request', unhex(coreHex, 32), bigIntToBytes(BigInt(units), 8),
    bigIntToBytes(BigInt(nonce), 8)));
}

// ---------------------------------------------------------------------------
// Blocks (section 5)

export const HEADER_HASHED = ['height', 'parent', 'timestamp', 'state_root', 'intents_root', 'receipts_root', 'producer'];

export function listRoot(hashes) {
  if (hashes.length === 0) return new Uint8Array(32);
  let level = hashes.map((h) => (typeof h === 'string' ? unhex(h, 32) : h));
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 < level.length) next.push(taggedHash(TAG_LIST, level[i], level[i + 1]));
      else next.push(level[i]);
    }
    level = next;
  }
  return level[0];
}

export function blockHash(block) {
  const h = {};
  for (const k of HEADER_HASHED) {
    if (!(k in block)) throw new Error(`header member ${k} missing`);
    h[k] = block[k];
  }
  return hex(taggedHash(TAG_BLOCK, jcsBytes(h)));
}

export function receiptHash(receipt) { return taggedHash(TAG_RECEIPT, jcsBytes(receipt)); }

/** intents: full intent objects, or ids (64-hex strings) as getBlock with full=false returns. */
export function intentsRoot(intents) {
  return hex(listRoot(intents.map((it) => (typeof it === 'string' ? unhex(it, 32) : intentDigest(it)))));
}
export function receiptsRoot(receipts) { return hex(listRoot(receipts.map(receiptHash))); }

/** Recompute everything a block commits to; returns a list of problems (empty = fine). */
export function checkBlock(block) {
  const problems = [];
  const hash = blockHash(block);
  if (hash !== block.hash) problems.push(`hash: computed ${hash}, block says ${block.hash}`);
  const ir = intentsRoot(block.intents);
  if (ir !== block.intents_root) problems.push(`intents_root: computed ${ir}, block says ${block.intents_root}`);
  const rr = receiptsRoot(block.receipts);
  if (rr !== block.receipts_root) problems.push(`receipts_root: computed ${rr}, block says ${block.receipts_root}`);
  if (block.intents.length !== block.receipts.length) problems.push('intents and receipts differ in length');
  block.receipts.forEach((r, i) => {
    const id = typeof block.intents[i] === 'string' ? block.intents[i] : intentId(block.intents[i]);
    if (r.intent !== id) problems.push(`receipts[${i}].intent ${r.intent} is not intents[${i}] ${id}`);
  });
  if (block.height > 0) {
    if (!verifySig(block.producer, unhex(block.hash, 32), block.sig)) problems.push('producer signature does not verify');
  }
  return problems;
}

// ---------------------------------------------------------------------------
// State proofs (section 6)

function pathBit(p, d) { return (p[d >> 3] >> (7 - (d & 7))) & 1; }
export function leafHash(path, valueHash) { return taggedHash(TAG_LEAF, path, valueHash); }
export function nodeHash(l, r) { return taggedHash(TAG_NODE, l, r); }

export function balanceKey(acc, symbol) {
  return concatBytes(Uint8Array.of(0x01), unhex(acc, 32), utf8ToBytes(symbol));
}

/** Verify a section-6 proof object against a 32-byte state root (hex). Returns {ok, value|null, error}. */
export function verifyStateProof(proof, stateRootHex) {
  try {
    const key = unhex(proof.key);
    const p = sha256(key);
    const siblings = proof.siblings.map((s) => unhex(s, 32));
    const n = siblings.length;
    if (n > 256) return { ok: false, error: 'more than 256 siblings' };
    let h;
    let value = null;
    if (proof.present === true) {
      if (typeof proof.value !== 'string') return { ok: false, error: 'present without value' };
      value = unhex(proof.value);
      h = leafHash(p, sha256(value));
    } else if (proof.present === false) {
      if (proof.other_leaf_path !== undefined && proof.other_leaf_path !== null) {
        const op = unhex(proof.other_leaf_path, 32);
        const ovh = unhex(proof.other_leaf_value_hash, 32);
        if (hex(op) === hex(p)) return { ok: false, error: 'other_leaf_path equals the key path' };
        for (let d = 0; d < n; d++) {
          if (pathBit(op, d) !== pathBit(p, d)) return { ok: false, error: `other_leaf_path departs at bit ${d} < ${n}` };
        }
        h = leafHash(op, ovh);
      } else {
        h = new Uint8Array(32);
      }
    } else return { ok: false, error: 'present is not a boolean' };
    for (let d = n - 1; d >= 0; d--) {
      h = pathBit(p, d) === 0 ? nodeHash(h, siblings[d]) : nodeHash(siblings[d], h);
    }
    const ok = hex(h) === stateRootHex;
    return { ok, value, error: ok ? undefined : `root mismatch: computed ${hex(h)}` };
  } catch (e) {
    return { ok: false, error: String(e.message || e) };
  }
}

/** Verify a pactum_getBalanceProof result against a state root; returns {ok, balance (bigint), error}. */
export function verifyBalanceProof(res, stateRootHex = res.state_root) {
  const expectKey = hex(balanceKey(res.account, res.asset));
  if (res.proof.key !== expectKey) return { ok: false, error: `proof.key ${res.proof.key} is not ${expectKey}` };
  const r = verifyStateProof(res.proof, stateRootHex);
  if (!r.ok) return r;
  let balance = 0n;
  if (r.value) {
    if (r.value.length !== 32) return { ok: false, error: `balance value is ${r.value.length} bytes, not 32` };
    balance = bytesToBigInt(r.value);
  }
  if (res.balance !== undefined && balance.toString() !== String(res.balance)) {
    return { ok: false, error: `proof proves ${balance}, result says ${res.balance}` };
  }
  return { ok: true, balance };
}

// ---------------------------------------------------------------------------
// JSON-RPC over HTTP (section 8)

export class RpcError extends Error {
  constructor(err, httpStatus) {
    super(`${err.message} (code ${err.code}${err.data?.reason ? ', ' + err.data.reason : ''}${err.data?.field ? ', field ' + err.data.field : ''})`);
    this.code = err.code;
    this.reason = err.data?.reason;
    this.field = err.data?.field;
    this.data = err.data;
    this.httpStatus = httpStatus;
  }
}

export class Rpc {
  constructor(url) { this.url = url.replace(/\/$/, ''); this.nextId = 1; }

  async raw(body, { timeoutMs = 15000 } = {}) {
    const res = await fetch(this.url + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, json, text };
  }

  async call(method, params = []) {
    const id = this.nextId++;
    const { status, json, text } = await this.raw({ jsonrpc: '2.0', id, method, params });
    if (!json || typeof json !== 'object') throw new Error(`HTTP ${status}: not JSON: ${text.slice(0, 200)}`);
    if (json.error) throw new RpcError(json.error, status);
    if (json.id !== id) throw new Error(`response id ${json.id} != request id ${id}`);
    return json.result;
  }

  async health() {
    const res = await fetch(this.url + '/health', { signal: AbortSignal.timeout(5000) });
    return res.json();
  }

  chainId() { return this.call('pactum_chainId'); }
  nodeInfo() { return this.call('pactum_nodeInfo'); }
  blockNumber() { return this.call('pactum_blockNumber'); }
  getBlock(heightOrHash, full = false) { return this.call('pactum_getBlock', [heightOrHash, full]); }
  submitIntent(intent) { return this.call('pactum_submitIntent', [intent]); }
  getIntent(id) { return this.call('pactum_getIntent', [id]); }
  getBalance(acc, asset) { return this.call('pactum_getBalance', [acc, asset]); }
  getAvailableBalance(acc, asset) { return this.call('pactum_getAvailableBalance', [acc, asset]); }
  getBalanceProof(acc, asset) { return this.call('pactum_getBalanceProof', [acc, asset]); }
  getPool(x, y) { return this.call('pactum_getPool', [x, y]); }
  getPools() { return this.call('pactum_getPools'); }
  getAssets() { return this.call('pactum_getAssets'); }
  nonceUsed(acc, nonce) { return this.call('pactum_nonceUsed', [acc, nonce]); }
  pendingIntents() { return this.call('pactum_pendingIntents'); }
  mine(count = 1) { return this.call('pactum_mine', [count]); }

  /** Poll pactum_getIntent until its status is in `until` (default: any final status). */
  async waitIntent(id, { until = ['settled', 'rejected', 'cancelled', 'expired'], timeoutMs = 20000, intervalMs = 100 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      last = await this.getIntent(id);
      if (until.includes(last.status)) return last;
      if (Date.now() > deadline) throw new Error(`intent ${id} still ${last.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
