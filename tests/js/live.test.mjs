// Live checks against a running pactum node, written from docs/PROTOCOL.md alone.
// Needs PACTUM_BINARY=/path/to/pactum; skipped otherwise.
import { describe, it, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import {
  Rpc, RpcError, Key, transfer, swap, cancel, burn, computeRequestHash, verifyReceiptProof, verifyStateProof, signIntent, intentId, checkBlock, blockHash,
  intentsRoot, verifyBalanceProof, hex, sha256, ZERO32_HEX,
} from './client.mjs';

const BIN = process.env.PACTUM_BINARY;
const skip = !BIN ? 'PACTUM_BINARY is not set' : (!existsSync(BIN) ? `PACTUM_BINARY ${BIN} does not exist` : false);

const T = { timeout: 60000 };

function liveSuite() {
  let proc; let dir; let rpc; let chain; let stderr = ''; const stdoutLines = [];
  const alice = Key.dev(0);
  const bob = Key.dev(1);
  let nonce = 100 + Math.floor(Math.random() * 1e6);
  const nextNonce = () => nonce++;

  async function validUntil(ahead = 1000) { return (await rpc.blockNumber()) + ahead; }
  async function bal(acc, asset) {
    const s = await rpc.getBalance(acc, asset);
    assert.equal(typeof s, 'string', 'getBalance returns a decimal string');
    assert.match(s, /^(0|[1-9][0-9]*)$/);
    return BigInt(s);
  }
  async function expectRpcError(p, reason, code) {
    try {
      const r = await p;
      assert.fail(`expected ${reason}, got result ${JSON.stringify(r)}`);
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      assert.equal(e.reason, reason, e.message);
      if (code !== undefined) assert.equal(e.code, code, e.message);
      return e;
    }
  }
  /** Fetch the block with `height` full, check every commitment, and return it. */
  async function checkedBlock(height) {
    const block = await rpc.getBlock(height, true);
    assert.ok(block, `block ${height} exists`);
    assert.deepEqual(checkBlock(block), [], `block ${height} commitments`);
    const slim = await rpc.getBlock(height, false);
    assert.equal(slim.hash, block.hash);
    assert.ok(slim.intents.every((x) => typeof x === 'string'), 'full=false lists ids');
    assert.equal(intentsRoot(slim.intents), block.intents_root);
    const byHash = await rpc.getBlock(block.hash, true);
    assert.equal(byHash.height, height);
    return block;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pactum-js-'));
    proc = spawn(BIN, ['node', '--data-dir', dir, '--rpc', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 20000) stderr = stderr.slice(-20000); });
    const rl = createInterface({ input: proc.stdout });
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "rpc:" line within 20 s; stdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`)), 20000);
      proc.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`node exited (${code ?? sig}) before serving; stderr:\n${stderr}`)); });
      rl.on('line', (line) => {
        stdoutLines.push(line);
        const m = line.match(/^rpc: (http:\/\/127\.0\.0\.1:\d+)\/?\s*$/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
    });
    rpc = new Rpc(url);
  });

  after(async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves health, chain id, node info, assets and pools', T, async () => {
    const h = await rpc.health();
    assert.equal(h.ok, true);
    assert.ok(Number.isSafeInteger(h.height));
    chain = await rpc.chainId();
    assert.equal(chain, 'pactum-devnet');
    const info = await rpc.nodeInfo();
    for (const k of ['chain_id', 'height', 'head', 'genesis', 'producer', 'block_time_ms', 'mempool', 'halted', 'halt_reason', 'version']) {
      assert.ok(k in info, `nodeInfo.${k}`);
    }
    assert.equal(info.chain_id, chain);
    assert.equal(info.producer, Key.producer().account, 'devnet producer key of section 1');
    assert.equal(info.halted, false);
    const assets = await rpc.getAssets();
    const dec = Object.fromEntries(assets.map((a) => [a.symbol, a.decimals]));
    assert.deepEqual(dec, { USDC: 6, ETH: 18, BTC: 8, DAI: 18, COMPUTE: 0 });
    assert.deepEqual(assets.filter((a) => a.burnable).map((a) => a.symbol), ['COMPUTE']);
    const pools = await rpc.getPools();
    const pairs = pools.map((p) => p.assets.join('/')).sort();
    assert.deepEqual(pairs, ['BTC/ETH', 'BTC/USDC', 'DAI/USDC', 'ETH/USDC']);
    const fees = Object.fromEntries(pools.map((p) => [p.assets.join('/'), p.fee_bps]));
    assert.deepEqual(fees, { 'BTC/ETH': 30, 'BTC/USDC': 30, 'DAI/USDC': 5, 'ETH/USDC': 30 });
    // getPool accepts either order and answers with the byte-ordered pair.
    const p = await rpc.getPool('USDC', 'ETH');
    assert.deepEqual(p.assets, ['ETH', 'USDC']);
    await expectRpcError(rpc.getPool('DAI', 'ETH'), 'unknown_pool', -32012);
    // Dev accounts are prefunded.
    for (const i of [0, 1, 19]) assert.ok((await bal(Key.dev(i).account, 'USDC')) > 0n, `dev ${i} has USDC`);
  });

  it('genesis block 0 commitments', T, async () => {
    const b0 = await rpc.getBlock(0, true);
    assert.equal(b0.height, 0);
    assert.equal(b0.parent, ZERO32_HEX);
    assert.deepEqual(b0.intents, []);
    assert.equal(b0.intents_root, ZERO32_HEX);
    assert.equal(b0.receipts_root, ZERO32_HEX);
    assert.equal(blockHash(b0), b0.hash, 'block 0 hash');
    assert.equal((await rpc.nodeInfo()).genesis, b0.hash, 'nodeInfo.genesis is block 0 hash');
    // Section 7 states the default devnet's block 0; this node runs that genesis.
    const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'PROTOCOL.md'), 'utf8');
    assert.equal(b0.hash, doc.match(/block 0 hash `([0-9a-f]{64})`/)[1], 'block 0 hash of section 7');
    assert.equal(b0.state_root, doc.match(/- state root `([0-9a-f]{64})`/)[1], 'state root of section 7');
    assert.equal(await rpc.getBlock(1e9), null, 'missing block is null');
  });

  let transferBlockHeight;
  let cancelledSwap;
  it('transfers USDC and waits for settlement', T, async () => {
    const amount = 2_500_000n;
    const [a0, b0] = [await bal(alice.account, 'USDC'), await bal(bob.account, 'USDC')];
    const intent = signIntent(transfer({
      chain, signer: alice.account, nonce: nextNonce(), valid_until: await validUntil(),
      asset: 'USDC', to: bob.account, amount,
    }), alice);
    const id = intentId(intent);
    const res = await rpc.call('pactum_submitIntent', { intent }); // params by name
    assert.deepEqual(res, { id, status: 'pending' });
    const got = await rpc.waitIntent(id);
    assert.equal(got.status, 'settled', JSON.stringify(got));
    assert.equal(got.id, id);
    assert.deepEqual(got.intent, intent);
    assert.equal(got.receipt.intent, id);
    assert.equal(got.receipt.status, 'settled');
    assert.equal(got.receipt.reason, '');
    // Section 4: the top-level reason is the newest receipt's reason, "" when settled in full.
    assert.equal(got.reason, '', `top-level reason ${JSON.stringify(got.reason)}`);
    assert.equal(got.receipt.sold_asset, 'USDC');
    assert.equal(got.receipt.sold, amount.toString());
    assert.equal(await bal(alice.account, 'USDC'), a0 - amount);
    assert.equal(await bal(bob.account, 'USDC'), b0 + amount);
    assert.equal(await rpc.nonceUsed(alice.account, intent.nonce), true);
    const av = await rpc.getAvailableBalance(alice.account, 'USDC');
    assert.equal(av.balance, (a0 - amount).toString());
    // The block that holds it
    assert.ok(Number.isSafeInteger(got.block), `getIntent.block is a height: ${JSON.stringify(got.block)}`);
    transferBlockHeight = got.block;
    const block = await checkedBlock(got.block);
    const idx = block.intents.findIndex((x) => intentId(x) === id);
    assert.ok(idx >= 0, 'block holds the intent');
    assert.deepEqual(block.receipts[idx], got.receipt);
    // Replaying it is refused.
    await expectRpcError(rpc.submitIntent(intent), 'duplicate', -32002);
  });

  it('burns COMPUTE: balance and supply fall by the amount, the receipt and supply proofs verify (sections 2, 5, 6)', T, async () => {
    const amount = 250n;
    const core = Key.dev(7).account;
    const request = computeRequestHash(core, 250, 1);
    const [a0, s0] = [await bal(alice.account, 'COMPUTE'), await rpc.call('pactum_getSupply', ['COMPUTE'])];
    const intent = signIntent(burn({
      chain, signer: alice.account, nonce: nextNonce(), valid_until: await validUntil(), asset: 'COMPUTE', amount, request,
    }), alice);
    const id = intentId(intent);
    await rpc.submitIntent(intent);
    const got = await rpc.waitIntent(id);
    assert.equal(got.status, 'settled', JSON.stringify(got));
    assert.equal(got.receipt.sold, '250');
    assert.equal(await bal(alice.account, 'COMPUTE'), a0 - amount);
    const s1 = await rpc.call('pactum_getSupply', ['COMPUTE']);
    assert.equal(BigInt(s1.supply), BigInt(s0.supply) - amount);
    // The supply leaf proves against the head's state root, independently of the node.
    assert.ok(verifyStateProof(s1.proof, s1.state_root).ok, 'supply proof');
    assert.equal(BigInt('0x' + s1.proof.value), BigInt(s1.supply));
    const rp = await rpc.call('pactum_getReceiptProof', { block: got.block, intent: id });
    assert.equal(blockHash(rp.header), rp.header.hash);
    assert.ok(verifyReceiptProof(rp.header.receipts_root, rp.receipt, rp.proof), 'receipt proof');
    assert.deepEqual(rp.receipt, got.receipt);
    const burns = await rpc.call('pactum_getBurns', { account: alice.account, asset: 'COMPUTE' });
    assert.deepEqual(burns.burns.map((b) => [b.intent, b.amount, b.request]), [[id, '250', request]]);
    const usdc = signIntent(burn({
      chain, signer: alice.account, nonce: nextNonce(), valid_until: await validUntil(), asset: 'USDC', amount: 1n, request,
    }), alice);
    await expectRpcError(rpc.submitIntent(usdc), 'not_burnable', -32024);
  });

  it('balance proofs verify against the block header state_root', T, async () => {
    for (const [acc, asset] of [[bob.account, 'USDC'], [alice.account, 'ETH'], [Key.dev(7).account, 'BTC']]) {
      const pr = await rpc.getBalanceProof(acc, asset);
      assert.equal(pr.account, acc);
      assert.equal(pr.asset, asset);
      const block = await rpc.getBlock(pr.height, false);
      assert.equal(block.state_root, pr.state_root, 'proof state_root is the header\'s');
      assert.equal(block.hash, pr.block_hash, 'proof block_hash is the header\'s');
      assert.equal(blockHash(block), block.hash);
      const v = verifyBalanceProof(pr, block.state_root);
      assert.ok(v.ok, v.error);
      assert.equal(pr.proof.present, true);
      assert.equal(v.balance, await bal(acc, asset));
      // A wrong root or a wrong value must not verify.
      assert.ok(!verifyBalanceProof(pr, hex(sha256(new Uint8Array(1)))).ok);
      const bad = structuredClone(pr);
      bad.proof.value = (BigInt('0x' + pr.proof.value) + 1n).toString(16).padStart(64, '0');
      bad.balance = undefined;
      assert.ok(!verifyBalanceProof(bad, block.state_root).ok);
    }
    // Absence: an account that was never written.
    const stranger = new Key(sha256(new TextEncoder().encode('js-client/stranger'))).account;
    const pr = await rpc.getBalanceProof(stranger, 'USDC');
    assert.equal(pr.proof.present, false);
    const block = await rpc.getBlock(pr.height, false);
    const v = verifyBalanceProof(pr, block.state_root);
    assert.ok(v.ok, v.error);
    assert.equal(v.balance, 0n);
    assert.equal(pr.balance, '0');
  });

  it('refuses a tampered intent with bad_signature, and other refusals', T, async () => {
    const vu = await validUntil();
    const good = signIntent(transfer({ chain, signer: alice.account, nonce: nextNonce(), valid_until: vu, asset: 'USDC', to: bob.account, amount: 1000n }), alice);
    await expectRpcError(rpc.submitIntent({ ...good, amount: '1000000' }), 'bad_signature', -32001);
    const flipped = good.sig.slice(0, 127) + (good.sig[127] === '0' ? '1' : '0');
    await expectRpcError(rpc.submitIntent({ ...good, sig: flipped }), 'bad_signature', -32001);
    // signed by someone else
    const byBob = signIntent({ ...good, signer: bob.account }, bob);
    await expectRpcError(rpc.submitIntent({ ...byBob, signer: alice.account }), 'bad_signature', -32001);
    // form errors name the field
    const e = await expectRpcError(rpc.submitIntent({ ...good, amount: 1000 }), 'invalid_params', -32602);
    assert.equal(e.field, 'amount');
    await expectRpcError(rpc.submitIntent({ ...good, extra: 1 }), 'invalid_params', -32602);
    // wrong chain (signature valid)
    await expectRpcError(rpc.submitIntent(signIntent({ ...good, chain: 'other-chain' }, alice)), 'wrong_chain', -32011);
    // unknown asset
    await expectRpcError(rpc.submitIntent(signIntent({ ...good, asset: 'NOPE' }, alice)), 'unknown_asset', -32005);
    // expired
    await expectRpcError(rpc.submitIntent(signIntent({ ...good, valid_until: 0 }, alice)), 'expired', -32004);
    // insufficient balance
    await expectRpcError(rpc.submitIntent(signIntent({ ...good, amount: (10n ** 70n).toString() }, alice)), 'insufficient_balance', -32006);
    // A refused intent leaves no trace.
    await expectRpcError(rpc.getIntent(intentId(good)), 'not_found', -32009);
    assert.equal(await rpc.nonceUsed(alice.account, good.nonce), false);
    // JSON-RPC envelope errors
    const r = await rpc.raw('{not json');
    assert.equal(r.json.error.code, -32700);
    const r2 = await rpc.raw({ jsonrpc: '2.0', id: 9, method: 'pactum_nope', params: [] });
    assert.equal(r2.json.error.code, -32601);
    const r3 = await rpc.raw([]);
    assert.equal(r3.json.error.code, -32600);
    const r4 = await rpc.raw([{ jsonrpc: '2.0', id: 1, method: 'pactum_chainId' }, { jsonrpc: '2.0', id: 2, method: 'pactum_blockNumber' }]);
    assert.ok(Array.isArray(r4.json) && r4.json.length === 2);
  });

  it('HTTP statuses, batch order, error data and named params (section 8)', T, async () => {
    // A notification is executed and not answered: 204, empty body.
    const n = await rpc.raw({ jsonrpc: '2.0', method: 'pactum_blockNumber' });
    assert.equal(n.status, 204);
    assert.equal(n.text, '');
    const nb = await rpc.raw([{ jsonrpc: '2.0', method: 'pactum_blockNumber' }]);
    assert.equal(nb.status, 204);
    // Errors are HTTP 200; data.field is omitted when there is no field.
    const e = await rpc.raw({ jsonrpc: '2.0', id: 'x', method: 'pactum_nope' });
    assert.equal(e.status, 200);
    assert.equal(e.json.id, 'x');
    assert.deepEqual(Object.keys(e.json.error.data), ['reason']);
    // Batch answers in request order, skipping notifications; a non-object item gets id null.
    const b = await rpc.raw([
      { jsonrpc: '2.0', id: 3, method: 'pactum_chainId' },
      { jsonrpc: '2.0', method: 'pactum_chainId' },
      7,
      { jsonrpc: '2.0', id: 1, method: 'pactum_blockNumber' },
    ]);
    assert.equal(b.status, 200);
    assert.deepEqual(b.json.map((r) => r.id), [3, null, 1]);
    assert.equal(b.json[1].error.code, -32600);
    // Unknown request member: invalid_request naming it.
    const u = await rpc.raw({ jsonrpc: '2.0', id: 1, method: 'pactum_chainId', extra: 1 });
    assert.equal(u.json.error.data.field, 'extra');
    // Over the body limit: HTTP 413 with request_too_large.
    const big = await rpc.raw('[' + ' '.repeat(8 * 1024 * 1024) + ']');
    assert.equal(big.status, 413);
    assert.equal(big.json.error.data.reason, 'request_too_large');
    // Named parameters, with the names of the methods table.
    const acc = Key.dev(3).account;
    assert.equal(await rpc.call('pactum_getBalance', { account: acc, asset: 'USDC' }), await rpc.getBalance(acc, 'USDC'));
    assert.equal((await rpc.call('pactum_getBlock', { block: 0, full: false })).height, 0);
    assert.deepEqual((await rpc.call('pactum_getPool', { asset_x: 'USDC', asset_y: 'ETH' })).assets, ['ETH', 'USDC']);
    assert.equal(await rpc.call('pactum_nonceUsed', { account: acc, nonce: 123456789 }), false);
    const m = await expectRpcError(rpc.call('pactum_getBalance', { account: acc }), 'invalid_params');
    assert.equal(m.field, 'asset');
    assert.equal(await rpc.call('pactum_getBlock', { block: 'f'.repeat(64) }), null, 'unknown hash is null');
    await expectRpcError(rpc.getIntent('f'.repeat(64)), 'not_found', -32009);
    const stranger = new Key(sha256(new TextEncoder().encode('js-client/nobody'))).account;
    assert.equal(await rpc.getBalance(stranger, 'USDC'), '0');
    await expectRpcError(rpc.getBalance(stranger, 'NOPE'), 'unknown_asset', -32005);
    await expectRpcError(rpc.getBalance(stranger, 'usdc'), 'invalid_params', -32602);
  });

  it('intent form errors name the member (section 2)', T, async () => {
    const base = transfer({ chain, signer: alice.account, nonce: nextNonce(), valid_until: await validUntil(), asset: 'USDC', to: bob.account, amount: 5n });
    const cases = [
      [{ ...base, extra: 1 }, 'extra'],
      [{ ...base, amount: '0' }, 'amount'],
      [{ ...base, amount: '05' }, 'amount'],
      [{ ...base, nonce: 1.5 }, 'nonce'],
      [{ ...base, nonce: -1 }, 'nonce'],
      [{ ...base, chain: '' }, 'chain'],
      [{ ...base, chain: 'x'.repeat(65) }, 'chain'],
      [{ ...base, asset: 'usdc' }, 'asset'],
      [{ ...base, to: base.to.toUpperCase() }, 'to'],
      [{ ...base, kind: 'mint' }, 'kind'],
    ];
    for (const [bad, field] of cases) {
      const e = await expectRpcError(rpc.submitIntent(signIntent(bad, alice)), 'invalid_params', -32602);
      assert.equal(e.field, field, JSON.stringify(bad));
    }
    // A 64-byte UTF-8 chain passes the form check and is only a wrong chain.
    await expectRpcError(rpc.submitIntent(signIntent({ ...base, chain: 'é'.repeat(32) }, alice)), 'wrong_chain', -32011);
    // A lone surrogate cannot be sent as JSON text the node accepts.
    const r = await rpc.raw('{"jsonrpc":"2.0","id":1,"method":"pactum_chainId","params":["\\ud800"]}');
    assert.equal(r.json.error.code, -32700);
    // Cancel ids keep their order in the digest.
    const ids = ['a'.repeat(64), 'b'.repeat(64)];
    const c1 = cancel({ chain, signer: alice.account, nonce: 1, valid_until: 1, ids });
    const c2 = cancel({ chain, signer: alice.account, nonce: 1, valid_until: 1, ids: [...ids].reverse() });
    assert.notEqual(intentId(c1), intentId(c2));
  });

  it('swaps ETH -> USDC against the pool within the limit', T, async () => {
    const pool = await rpc.getPool('ETH', 'USDC');
    const [rEth, rUsdc] = pool.reserves.map(BigInt);
    const sell = 10n ** 17n; // 0.1 ETH
    // Limit: 90% of the pool's spot price (the pricing formula lives in MECHANISMS.md).
    const minOut = (sell * rUsdc * 9n) / (rEth * 10n);
    const [e0, u0] = [await bal(alice.account, 'ETH'), await bal(alice.account, 'USDC')];
    const intent = signIntent(swap({
      chain, signer: alice.account, nonce: nextNonce(), valid_until: await validUntil(),
      sell_asset: 'ETH', buy_asset: 'USDC', side: 'sell', sell_amount: sell, buy_amount: minOut, partial: false,
    }), alice);
    const id = intentId(intent);
    assert.deepEqual(await rpc.submitIntent(intent), { id, status: 'pending' });
    const got = await rpc.waitIntent(id);
    assert.equal(got.status, 'settled', JSON.stringify(got));
    const rc = got.receipt;
    assert.equal(rc.status, 'settled');
    assert.equal(rc.reason, '');
    assert.equal(rc.sold_asset, 'ETH');
    assert.equal(rc.bought_asset, 'USDC');
    assert.equal(BigInt(rc.sold), sell, 'side sell sells exactly sell_amount');
    assert.ok(BigInt(rc.bought) >= minOut, `bought ${rc.bought} >= limit ${minOut}`);
    assert.ok(BigInt(rc.bought) * sell >= minOut * BigInt(rc.sold), 'limit ratio holds');
    assert.ok(!rc.partial_fill, 'fill-or-kill is not partial');
    assert.ok(rc.price, 'swap receipt has a price');
    const block = await checkedBlock(got.block);
    assert.equal(rc.price.base, 'ETH');
    assert.equal(rc.price.quote, 'USDC');
    // Section 4: a full side-sell fill of base receives floor(sell_amount * num / den), and
    // alone against the pool that is the constant-product formula with the fee on the input.
    assert.equal(BigInt(rc.bought), (BigInt(rc.sold) * BigInt(rc.price.num)) / BigInt(rc.price.den));
    const f = BigInt(pool.fee_bps);
    const alone = (sell * (10000n - f) * rUsdc) / (10000n * rEth + (10000n - f) * sell);
    if (block.intents.length === 1) assert.equal(BigInt(rc.bought), alone, 'single-swap pool formula');
    assert.ok('price' in rc && rc.partial_fill === false);
    assert.equal(await bal(alice.account, 'ETH'), e0 - BigInt(rc.sold));
    assert.equal(await bal(alice.account, 'USDC'), u0 + BigInt(rc.bought));
    assert.ok(block.prices.some((p) => p.base === 'ETH' && p.quote === 'USDC'), 'block lists the pair price');
    // The proof of alice's new ETH balance verifies against this block's state_root
    const pr = await rpc.getBalanceProof(alice.account, 'ETH');
    const hb = await rpc.getBlock(pr.height, false);
    const v = verifyBalanceProof(pr, hb.state_root);
    assert.ok(v.ok, v.error);
    assert.equal(v.balance, e0 - BigInt(rc.sold));
  });

  it('an unreachable swap waits, then a cancel cancels it', T, async () => {
    const pool = await rpc.getPool('ETH', 'USDC');
    const [rEth, rUsdc] = pool.reserves.map(BigInt);
    const sell = 10n ** 16n;
    const absurd = (sell * rUsdc * 100n) / rEth; // 100x spot
    const vu = await validUntil();
    const sw = signIntent(swap({ chain, signer: bob.account, nonce: nextNonce(), valid_until: vu,
      sell_asset: 'ETH', buy_asset: 'USDC', side: 'sell', sell_amount: sell, buy_amount: absurd }), bob);
    const swId = intentId(sw);
    await rpc.submitIntent(sw);
    // wait for a receipt saying it did not fill
    const deadline = Date.now() + 20000;
    let st;
    for (;;) {
      st = await rpc.getIntent(swId);
      if (st.receipt) break;
      if (Date.now() > deadline) assert.fail(`no receipt: ${JSON.stringify(st)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(st.status, 'pending', JSON.stringify(st));
    assert.equal(st.receipt.status, 'unfilled');
    assert.equal(st.receipt.reason, 'limit_not_reached');
    assert.ok((await rpc.pendingIntents()).includes(swId));
    const av = await rpc.getAvailableBalance(bob.account, 'ETH');
    assert.equal(BigInt(av.reserved), sell, 'the pending swap reserves its sell_amount');
    assert.equal(BigInt(av.available), BigInt(av.balance) - sell);
    const cn = signIntent(cancel({ chain, signer: bob.account, nonce: nextNonce(), valid_until: vu, ids: [swId] }), bob);
    const cnId = intentId(cn);
    await rpc.submitIntent(cn);
    const cg = await rpc.waitIntent(cnId);
    assert.equal(cg.status, 'settled', JSON.stringify(cg));
    assert.equal(cg.reason, '');
    const sg = await rpc.waitIntent(swId);
    assert.equal(sg.status, 'cancelled', JSON.stringify(sg));
    // Section 4 "Cancels": the target is in the cancel's block with a `cancelled` receipt.
    assert.equal(sg.reason, 'cancelled');
    assert.equal(sg.block, cg.block, 'the target is in the block of the cancel');
    assert.equal(sg.receipt.status, 'cancelled');
    assert.equal(sg.receipt.reason, 'cancelled');
    assert.ok(!('price' in sg.receipt), 'no price on a cancelled receipt');
    assert.equal(sg.receipt.sold, '0');
    assert.equal(sg.receipt.bought, '0');
    const cb = await checkedBlock(cg.block);
    const idx = cb.intents.findIndex((x) => intentId(x) === swId);
    assert.ok(idx >= 0, 'block holds the cancelled swap');
    assert.deepEqual(cb.receipts[idx], sg.receipt);
    cancelledSwap = sw;
    // Cancelling something that is no longer pending is refused.
    const cn2 = signIntent(cancel({ chain, signer: bob.account, nonce: nextNonce(), valid_until: vu, ids: [swId] }), bob);
    await expectRpcError(rpc.submitIntent(cn2), 'not_cancellable', -32013);
  });

  it('a cancelled intent\'s nonce is used and it cannot come back (section 4)', T, async () => {
    assert.ok(cancelledSwap, 'the cancel test ran');
    assert.equal(await rpc.nonceUsed(bob.account, cancelledSwap.nonce), true);
    await expectRpcError(rpc.submitIntent(cancelledSwap), 'duplicate', -32002);
  });

  it('every block up to the head is well formed and chained', T, async () => {
    const head = await rpc.blockNumber();
    let parent = ZERO32_HEX;
    for (let h = 0; h <= Math.min(head, 50); h++) {
      const b = await rpc.getBlock(h, true);
      assert.equal(b.parent, parent, `block ${h} parent`);
      assert.deepEqual(checkBlock(b), [], `block ${h}`);
      if (h > 0) assert.equal(b.producer, Key.producer().account);
      parent = b.hash;
    }
    assert.ok(transferBlockHeight > 0);
  });
}

if (skip) test('live node', { skip }, () => {});
else describe('live node', liveSuite);
