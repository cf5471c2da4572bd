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
  transfer, swap, cancel, isValidAccount, ZERO32, balanceKey,
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
  const build = { transfer, swap, cancel };
  for (const v of vectors) {
    const built = build[v.intent.kind](v.intent);
    assert.equal(jcs(built), v.canonical, v.name);
  }
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
