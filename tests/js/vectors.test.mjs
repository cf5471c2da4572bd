// Checks this client against the test vectors embedded in docs/PROTOCOL.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { schnorr } from '@noble/curves/secp256k1.js';
import {
  jcs, intentDigest, intentId, signIntent, verifyIntentSig, Key, devSecret, producerSecret,
  hex, unhex, sha256, taggedHash, listRoot, verifyStateProof, leafHash, nodeHash,
  transfer, swap, cancel, burn, lock, unlock, reveal, commit, reveals, shareSurplus, hashLock, programHash, programOf, parseLockedSymbol, computeRequestHash, verifyReceiptProof, isValidAccount, ZERO32, ZERO32_HEX, balanceKey, checkBlock, blockHash,
  intentsRoot, receiptsRoot, receiptHash, verifySig, verifyBalanceProof, concatBytes, bigIntToBytes,
} from './client.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const docPath = process.env.PACTUM_PROTOCOL_MD || join(here, '..', '..', 'docs', 'PROTOCOL.md');
const doc = readFileSync(docPath, 'utf8');

function vectorBlocks(md) {
  const out = [];
  const re = /^```json vector[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  let m;
  while ((m = re.exec(md)) !== null) out.push(JSON.parse(m[1]));
  return out;
}
const vectors = vectorBlocks(doc);

test('PROTOCOL.md has intent vectors of every kind', () => {
  assert.ok(vectors.length >= 4, `found ${vectors.length} vector blocks`);
  const kinds = new Set(vectors.map((v) => v.intent.kind));
  for (const k of ['transfer', 'swap', 'cancel']) assert.ok(kinds.has(k), `no ${k} vector`);
});

for (const v of vectors) {
  test(`vector ${v.name}`, () => {
    const key = new Key(v.secret_key);
    assert.equal(key.account, v.intent.signer, 'signer is the public key of secret_key');
    assert.equal(jcs(v.intent), v.canonical, 'canonical bytes');
    assert.equal(hex(intentDigest(v.intent)), v.digest, 'digest');
    assert.equal(intentId(v.intent), v.digest, 'id = hex(digest)');
    const signed = signIntent(v.intent, key, ZERO32);
    assert.equal(signed.sig, v.sig, 'signature with aux = 32 zero bytes');
    assert.ok(verifyIntentSig(signed));
    // The sig is not part of the id.
    assert.equal(intentId(signed), v.digest);
    const other = signIntent(v.intent, key, new Uint8Array(32).fill(7));
    assert.notEqual(other.sig, v.sig);
    assert.ok(verifyIntentSig(other));
    assert.equal(intentId(other), v.digest);
    // Member order of the input object must not matter.
    const shuffled = Object.fromEntries(Object.entries(v.intent).reverse());
    assert.equal(jcs(shuffled), v.canonical);
    // Tampering breaks the signature.
    const tampered = { ...signed, nonce: signed.nonce + 1 };
    assert.ok(!verifyIntentSig(tampered));
  });
}

test('builders reproduce the vectors', () => {
  const build = { transfer, swap, cancel, burn, lock, unlock, reveal };
  for (const v of vectors) {
    const built = build[v.intent.kind](v.intent);
    assert.equal(jcs(built), v.canonical, v.name);
  }
});

test('the reveal vector states plain SHA-256 of its preimage as its hash', () => {
  const v = vectors.find((x) => x.name === 'reveal');
  assert.ok(v, 'a reveal vector');
  assert.equal(hashLock(v.intent.preimage), v.hash);
  assert.equal(hex(sha256(unhex(v.intent.preimage))), v.hash);
  for (const bad of ['', 'abc', 'ABCD', 'a'.repeat(258), '0x00']) {
    assert.throws(() => reveal({ ...v.intent, preimage: bad }), undefined, JSON.stringify(bad));
  }
});

test('commit vectors: the commit builder, signature and program hash', () => {
  const commits = taggedBlocks(doc, 'commit-vector');
  assert.ok(commits.some((v) => v.intent.condition.type === 'reveals'), 'a commit vector with a reveals condition');
  for (const v of commits) {
    const built = commit(v.intent);
    assert.equal(jcs(built), v.canonical, v.name);
    assert.equal(intentId(built), v.digest, v.name);
    assert.equal(signIntent(built, new Key(v.secret_key), ZERO32).sig, v.sig, v.name);
    assert.equal(programHash(v.program_canonical), v.program, v.name);
    // The normal form, built here from the intent alone (section 2, "Program hash").
    assert.equal(jcs(programOf(v.intent)), v.program_canonical, v.name);
    if (v.peer_intent) assert.equal(jcs(programOf(v.peer_intent)), v.program_canonical, v.name + ' (peer)');
  }
  assert.ok(commits.some((v) => v.intent.condition.type === 'all'), 'a commit vector with a condition tree');
  const shared = commits.find((v) => v.intent.action.kind === 'share_surplus');
  assert.ok(shared && shared.intent.condition.pattern.min_sold, 'a share_surplus vector with an amount bound');
  assert.deepEqual(shareSurplus(shared.intent.action), shared.intent.action);
  assert.throws(() => shareSurplus({ ...shared.intent.action, bps: 10001 }), /action.bps/);
  assert.throws(() => shareSurplus({ ...shared.intent.action, cap: '0' }), /action.cap/);
  const pattern = shared.intent.condition.pattern;
  assert.throws(() => commit({ ...shared.intent, condition: { type: 'unless', condition: shared.intent.condition } }), /unless/);
  assert.throws(() => commit({ ...shared.intent, condition: { type: 'exists', pattern: { ...pattern, max_sold: '1' } } }), /min_sold/);
  const { min_sold, ...unbounded } = pattern;
  assert.ok(!jcs(programOf({ ...shared.intent, condition: { type: 'exists', pattern: unbounded } })).includes('_sold'));
  const reveal_vector = vectors.find((x) => x.name === 'reveal');
  const locked = commits.find((v) => v.name === 'commit-reveals');
  assert.equal(locked.intent.condition.hash, reveal_vector.hash, 'the reveal vector opens the commit vector');
  assert.deepEqual(reveals(reveal_vector.hash), locked.intent.condition);
  const unlessReveals = { type: 'unless', condition: reveals(reveal_vector.hash) };
  assert.doesNotThrow(() => commit({ ...locked.intent, condition: unlessReveals }));
  assert.throws(() => commit({ ...locked.intent, condition: { type: 'reveals', hash: 'AB'.repeat(32) } }));
});

test('valid_from: a vector carries it; the builders write it only when given and refuse it above valid_until', () => {
  const v = vectors.find((x) => x.intent.valid_from !== undefined);
  assert.ok(v, 'a vector with valid_from');
  assert.ok(v.canonical.includes(`"valid_from":${v.intent.valid_from}`));
  const { valid_from, ...without } = v.intent;
  assert.ok(!jcs(transfer(without)).includes('valid_from'), 'absent stays absent');
  assert.notEqual(intentId(transfer(without)), v.digest, 'valid_from is signed');
  assert.throws(() => transfer({ ...v.intent, valid_from: v.intent.valid_until + 1 }), /valid_from/);
  assert.throws(() => swap({ ...without, kind: 'swap', sell_asset: 'ETH', buy_asset: 'USDC', side: 'sell',
    sell_amount: '1', buy_amount: '1', valid_from: -1 }), /valid_from/);
});

test('locked asset symbols parse only in their canonical form', () => {
  assert.deepEqual(parseLockedSymbol('COMPUTE@120'), { base: 'COMPUTE', until: 120 });
  for (const bad of ['COMPUTE', 'COMPUTE@0', 'COMPUTE@012', 'compute@5', 'COMPUTE@9007199254740992']) {
    assert.equal(parseLockedSymbol(bad), null, bad);
  }
});

test('the burn vector\'s request is the compute request hash the doc states', () => {
  const v = vectors.find((x) => x.name === 'burn');
  assert.ok(v, 'a burn vector');
  const m = doc.match(/compute request hash of core `([0-9a-f]{64})`, units (\d+), nonce (\d+)/);
  assert.ok(m, 'doc states the request preimage');
  assert.equal(computeRequestHash(m[1], Number(m[2]), Number(m[3])), v.intent.request);
});

test('SHA256 of the intent tag', () => {
  assert.equal(hex(sha256(new TextEncoder().encode('pactum/intent/v1'))),
    'f7beb81ed6c75a6ee3d0eb7d47134ebad3d188a7940ab375607a8b6455919136');
  const m = doc.match(/`SHA256\("pactum\/intent\/v1"\)` = `([0-9a-f]{64})`/);
  assert.ok(m, 'doc states SHA256 of the tag');
  assert.equal(hex(sha256(new TextEncoder().encode('pactum/intent/v1'))), m[1]);
});

test('dev key table', () => {
  const rows = [...doc.matchAll(/^\|\s*(\d+)\s*\|\s*`([0-9a-f]{64})`\s*\|\s*`([0-9a-f]{64})`\s*\|\s*$/gm)];
  assert.ok(rows.length >= 3, `found ${rows.length} dev key rows`);
  for (const [, i, sk, pk] of rows) {
    assert.equal(hex(devSecret(Number(i))), sk, `secret_${i}`);
    assert.equal(Key.dev(Number(i)).account, pk, `account_${i}`);
    assert.ok(isValidAccount(pk));
  }
  const p = doc.match(/Producer: secret `([0-9a-f]{64})`, public `([0-9a-f]{64})`/);
  assert.ok(p, 'producer line');
  assert.equal(hex(producerSecret()), p[1]);
  assert.equal(Key.producer().account, p[2]);
  assert.equal(new TextEncoder().encode('pactum/devnet/key/12').length, 20);
});

test('JCS string escaping as section 3 describes', () => {
  assert.equal(jcs('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(jcs('\b\t\n\f\r'), '"\\b\\t\\n\\f\\r"');
  assert.equal(jcs('\u0000\u001f\u000b'), '"\\u0000\\u001f\\u000b"');
  assert.equal(jcs('é€😀/'), '"é€😀/"'); // raw UTF-8, "/" not escaped
  assert.equal(jcs({ b: 1, a: [true, false, null], c: { y: '1', x: 0 } }), '{"a":[true,false,null],"b":1,"c":{"x":0,"y":"1"}}');
  // Agrees with JSON.stringify (which is what RFC 8785 builds on) for these values.
  for (const s of ['\u007f', '\u2028', 'x\u0001y', '']) assert.equal(jcs(s), JSON.stringify(s));
});

test('BIP-340 sanity: noble verifies a signature made with zero aux', () => {
  const k = Key.dev(5);
  const m = taggedHash('pactum/intent/v1', new Uint8Array([1, 2, 3]));
  const sig = k.sign(m);
  assert.ok(schnorr.verify(unhex(sig), m, unhex(k.account)));
});

test('list_root shapes (section 5)', () => {
  const h = (n) => sha256(Uint8Array.of(n));
  const node = (a, b) => taggedHash('pactum/list/v1', a, b);
  assert.equal(hex(listRoot([])), '0'.repeat(64));
  assert.equal(hex(listRoot([h(1)])), hex(h(1)));
  assert.equal(hex(listRoot([h(1), h(2)])), hex(node(h(1), h(2))));
  // odd last element moves up unchanged
  assert.equal(hex(listRoot([h(1), h(2), h(3)])), hex(node(node(h(1), h(2)), h(3))));
  assert.equal(hex(listRoot([h(1), h(2), h(3), h(4), h(5)])),
    hex(node(node(node(h(1), h(2)), node(h(3), h(4))), h(5))));
});

test('state proof verifier on a hand-built two-leaf tree (section 6)', () => {
  // Two leaves whose paths differ at bit 0 sit at depth 1; the root is node(left, right).
  const keys = [];
  for (let i = 0; keys.length < 2 && i < 100; i++) {
    const k = balanceKey(Key.dev(i).account, 'USDC');
    const bit0 = sha256(k)[0] >> 7;
    if (!keys.some((x) => x.bit0 === bit0)) keys.push({ k, bit0 });
  }
  const val = (n) => { const b = new Uint8Array(32); b[31] = n; return b; };
  const [a, b] = keys.sort((x, y) => x.bit0 - y.bit0);
  const la = leafHash(sha256(a.k), sha256(val(1)));
  const lb = leafHash(sha256(b.k), sha256(val(2)));
  const root = hex(nodeHash(la, lb));
  assert.ok(verifyStateProof({ key: hex(a.k), present: true, value: hex(val(1)), siblings: [hex(lb)] }, root).ok);
  assert.ok(verifyStateProof({ key: hex(b.k), present: true, value: hex(val(2)), siblings: [hex(la)] }, root).ok);
  assert.ok(!verifyStateProof({ key: hex(b.k), present: true, value: hex(val(3)), siblings: [hex(la)] }, root).ok);
  // A single-leaf tree: the root is the leaf hash, with no siblings.
  assert.ok(verifyStateProof({ key: hex(a.k), present: true, value: hex(val(1)), siblings: [] }, hex(la)).ok);
  // Absence in the single-leaf tree of `a`: another key's path ends at a's leaf.
  assert.ok(verifyStateProof({ key: hex(b.k), present: false, siblings: [],
    other_leaf_path: hex(sha256(a.k)), other_leaf_value_hash: hex(sha256(val(1))) }, hex(la)).ok);
  // Absence in the empty tree.
  assert.ok(verifyStateProof({ key: hex(b.k), present: false, siblings: [] }, '0'.repeat(64)).ok);
});

// ---------------------------------------------------------------------------
// Block, receipt, proof and genesis vectors (sections 5, 6 and 7).

function taggedBlocks(md, tag) {
  const out = [];
  const re = new RegExp('^```json ' + tag + '[ \\t]*\\n([\\s\\S]*?)^```[ \\t]*$', 'gm');
  let m;
  while ((m = re.exec(md)) !== null) out.push(JSON.parse(m[1]));
  return out;
}
const blockVectors = taggedBlocks(doc, 'block-vector');
const proofVectors = taggedBlocks(doc, 'proof-vector');
const genesisDocs = taggedBlocks(doc, 'genesis');
const genesisBlocks = taggedBlocks(doc, 'genesis-block');

test('block vector: hash, roots, receipts and producer signature recompute (section 5)', () => {
  assert.equal(blockVectors.length, 1, 'one block vector');
  const { block, receipt_canonical: canon, receipt_hashes: hashes } = blockVectors[0];
  assert.deepEqual(checkBlock(block), []);
  assert.equal(blockHash(block), block.hash);
  assert.equal(intentsRoot(block.intents), block.intents_root);
  assert.equal(receiptsRoot(block.receipts), block.receipts_root);
  assert.ok(verifySig(block.producer, unhex(block.hash, 32), block.sig), 'producer signature');
  assert.equal(block.producer, Key.producer().account, 'the devnet producer');
  assert.equal(block.receipts.length, canon.length);
  block.receipts.forEach((r, i) => {
    assert.equal(jcs(r), canon[i], `receipt ${i} JCS`);
    assert.equal(hex(receiptHash(r)), hashes[i], `receipt ${i} hash`);
    // Every member of section 4 is there, price only where it may be.
    for (const k of ['intent', 'status', 'reason', 'message', 'sold_asset', 'sold', 'bought_asset', 'bought', 'partial_fill']) {
      assert.ok(k in r, `receipts[${i}].${k}`);
    }
  });
  // Every intent's signature verifies, and a tampered receipt or header breaks the roots.
  for (const it of block.intents) assert.ok(verifyIntentSig(it));
  const r0 = { ...block.receipts[0], message: block.receipts[0].message + ' ' };
  assert.notEqual(receiptsRoot([r0, ...block.receipts.slice(1)]), block.receipts_root, 'message is hashed');
  assert.notEqual(blockHash({ ...block, timestamp: block.timestamp + 1 }), block.hash);
  // full=false form: ids only, same intents_root.
  assert.equal(intentsRoot(block.intents.map(intentId)), block.intents_root);
  // It follows the genesis block of section 7.
  assert.equal(block.height, 1);
  assert.equal(block.parent, genesisBlocks[0].hash);
  assert.ok(block.timestamp >= genesisBlocks[0].timestamp);
});

test('receipt proof vectors verify against their receipts_root (section 5)', () => {
  const vs = taggedBlocks(doc, 'receipt-proof-vector');
  assert.ok(vs.length >= 2);
  for (const v of vs) {
    assert.equal(listRoot(v.receipt_hashes).length, 32);
    assert.equal(hex(listRoot(v.receipt_hashes)), v.receipts_root, `${v.name}: root of the hashes`);
    assert.equal(hex(receiptHash(v.receipt)), v.receipt_hashes[v.proof.index], `${v.name}: receipt hash`);
    assert.ok(verifyReceiptProof(v.receipts_root, v.receipt, v.proof), v.name);
    assert.ok(!verifyReceiptProof(v.receipts_root, { ...v.receipt, sold: '1' }, v.proof), `${v.name}: tampered`);
    assert.ok(!verifyReceiptProof(v.receipts_root, v.receipt, { ...v.proof, index: (v.proof.index + 1) % v.proof.count }));
  }
});

test('proof vectors verify against the block vector state_root (section 6)', () => {
  assert.ok(proofVectors.length >= 2, 'a presence and an absence proof');
  const block = blockVectors[0].block;
  const seen = new Set();
  for (const { name, result } of proofVectors) {
    assert.equal(result.height, block.height, name);
    assert.equal(result.state_root, block.state_root, name);
    assert.equal(result.block_hash, block.hash, name);
    const v = verifyBalanceProof(result, block.state_root);
    assert.ok(v.ok, `${name}: ${v.error}`);
    assert.equal(v.balance.toString(), result.balance);
    seen.add(result.proof.present);
    // Members are omitted, never null.
    for (const [k, val] of Object.entries(result.proof)) assert.notEqual(val, null, `${name}: proof.${k}`);
    if (!result.proof.present) assert.ok(!('value' in result.proof), `${name}: no value when absent`);
    // A wrong root does not verify.
    assert.ok(!verifyBalanceProof(result, block.parent).ok);
  }
  assert.deepEqual([...seen].sort(), [false, true]);
});

// Builds the section 6 state of a genesis (section 7) and its root, from nothing but the doc.
function genesisLeaves(g) {
  const te = new TextEncoder();
  const u32 = (n) => bigIntToBytes(BigInt(n), 4);
  const u256 = (s) => bigIntToBytes(BigInt(s), 32);
  const leaves = [];
  const put = (key, value) => leaves.push({ path: sha256(key), vh: sha256(value) });
  // A burnable asset's leaf ends in a flag byte 0x01; its supply leaf 0x07 || symbol holds
  // the genesis total of its balances and reserves (32 bytes big-endian).
  const supply = new Map();
  const add = (sym, amt, copies = 1n) => supply.set(sym, (supply.get(sym) ?? 0n) + BigInt(amt) * copies);
  for (const a of g.assets) {
    const flag = a.burnable ? Uint8Array.of(1) : new Uint8Array(0);
    put(concatBytes(Uint8Array.of(0), te.encode(a.symbol)), concatBytes(u32(a.decimals), flag));
  }
  for (const p of g.pools ?? []) {
    const swapped = p.assets[0] > p.assets[1];
    const [a, b] = swapped ? [p.assets[1], p.assets[0]] : p.assets;
    const [ra, rb] = swapped ? [p.reserves[1], p.reserves[0]] : p.reserves;
    put(concatBytes(Uint8Array.of(3), te.encode(a), Uint8Array.of(0x2f), te.encode(b)), concatBytes(u256(ra), u256(rb), u32(p.fee_bps)));
  }
  for (const l of g.lending_pools ?? []) put(concatBytes(Uint8Array.of(4), te.encode(l.asset)), concatBytes(u256(l.reserve), u32(l.fee_bps)));
  const accounts = [];
  for (let i = 0; i < (g.dev_accounts?.count ?? 0); i++) accounts.push({ account: Key.dev(i).account, balances: g.dev_accounts.balances ?? {} });
  for (const a of g.accounts ?? []) accounts.push({ account: a.account, balances: a.balances ?? {} });
  for (const { account: acc, balances } of accounts) {
    for (const [sym, amt] of Object.entries(balances)) {
      put(balanceKey(acc, sym), u256(amt));
      add(sym, amt);
    }
  }
  for (const p of g.pools ?? []) p.assets.forEach((sym, k) => add(sym, p.reserves[k]));
  for (const l of g.lending_pools ?? []) add(l.asset, l.reserve);
  for (const a of g.assets) {
    if (a.burnable) put(concatBytes(Uint8Array.of(7), te.encode(a.symbol)), u256(supply.get(a.symbol) ?? 0n));
  }
  return leaves;
}
function pathBitOf(p, d) { return (p[d >> 3] >> (7 - (d & 7))) & 1; }
function treeRoot(leaves, depth = 0) {
  if (leaves.length === 0) return new Uint8Array(32);
  if (leaves.length === 1) return leafHash(leaves[0].path, leaves[0].vh);
  const left = leaves.filter((l) => pathBitOf(l.path, depth) === 0);
  const right = leaves.filter((l) => pathBitOf(l.path, depth) === 1);
  return nodeHash(treeRoot(left, depth + 1), treeRoot(right, depth + 1));
}

test('devnet genesis: the documented JSON is genesis/devnet.json and gives the documented block 0 (sections 5, 7)', () => {
  assert.equal(genesisDocs.length, 1);
  assert.equal(genesisBlocks.length, 1);
  const g = genesisDocs[0];
  const file = join(here, '..', '..', 'genesis', 'devnet.json');
  if (!process.env.PACTUM_PROTOCOL_MD) assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), g, 'doc == genesis/devnet.json');
  const b0 = genesisBlocks[0];
  assert.equal(b0.height, 0);
  assert.equal(b0.parent, ZERO32_HEX);
  assert.equal(b0.timestamp, g.timestamp);
  assert.equal(b0.producer, Key.producer().account, '"producer": "dev"');
  assert.equal(b0.sig, '0'.repeat(128));
  assert.equal(b0.intents_root, ZERO32_HEX);
  assert.equal(b0.receipts_root, ZERO32_HEX);
  assert.deepEqual([b0.intents, b0.prices, b0.receipts], [[], [], []]);
  assert.equal(hex(treeRoot(genesisLeaves(g))), b0.state_root, 'state root of the genesis state');
  assert.equal(blockHash(b0), b0.hash);
  const stated = doc.match(/block 0 hash `([0-9a-f]{64})`/);
  assert.ok(stated, 'doc states the block 0 hash');
  assert.equal(stated[1], b0.hash);
});

test('price and pool arithmetic as section 4 states it', () => {
  // MECHANISMS.md worked example: price 211/110 BBB per AAA, Alice sells 100 AAA.
  const [num, den] = [211n, 110n];
  assert.equal((100n * num) / den, 191n);
  // Single swap against a pool: the constant-product formula with the fee on the input
  // equals floor(S * p) at the uniform price p = (10000-f)*Rq / (10000*Rb + (10000-f)*S).
  const [Rb, Rq, f, S] = [1000n * 10n ** 18n, 3000000n * 10n ** 6n, 30n, 10n ** 17n];
  const out = (S * (10000n - f) * Rq) / (10000n * Rb + (10000n - f) * S);
  const pNum = (10000n - f) * Rq; const pDen = 10000n * Rb + (10000n - f) * S;
  assert.equal(out, (S * pNum) / pDen);
});

test('receipt vector: JCS and hash, price rounding, single-swap pool formula (section 4)', () => {
  const rvs = taggedBlocks(doc, 'receipt-vector');
  assert.ok(rvs.length >= 1);
  for (const v of rvs) {
    assert.equal(jcs(v.receipt), v.canonical, v.name);
    assert.equal(hex(receiptHash(v.receipt)), v.hash, v.name);
    assert.equal(hex(taggedHash('pactum/receipt/v1', new TextEncoder().encode(v.canonical))), v.hash);
  }
  const swapR = rvs.find((v) => v.name === 'swap-settled').receipt;
  const { num, den } = swapR.price;
  assert.equal((BigInt(swapR.sold) * BigInt(num)) / BigInt(den), BigInt(swapR.bought), 'bought = floor(sold * num / den)');
  // The genesis ETH/USDC pool (the swap was alone in its block): R_in ETH, R_out USDC, 30 bps.
  const pool = genesisDocs[0].pools.find((p) => p.assets.join('/') === 'ETH/USDC');
  const [Rin, Rout, f, S] = [BigInt(pool.reserves[0]), BigInt(pool.reserves[1]), BigInt(pool.fee_bps), BigInt(swapR.sold)];
  assert.equal((S * (10000n - f) * Rout) / (10000n * Rin + (10000n - f) * S), BigInt(swapR.bought));
  // The price is the reduced fraction (10000-f)*Rq / (10000*Rb + (10000-f)*S).
  const gcd = (a, b) => (b === 0n ? a : gcd(b, a % b));
  const [pn, pd] = [(10000n - f) * Rout, 10000n * Rin + (10000n - f) * S];
  const g = gcd(pn, pd);
  assert.deepEqual([(pn / g).toString(), (pd / g).toString()], [num, den], 'reduced price');
});
