// The block explorer end to end: a real `pactum node` on a free loopback port with a
// temporary data dir, real intents signed and submitted with the `pactum` CLI, and the page
// at GET / in headless Chromium. Every value the page shows is checked against the node's
// JSON-RPC answers (amounts in display units are formatted here, independently of the
// page); the page must load nothing from anywhere but the node, and text from intents
// (a room's issue names) must stay text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const BIN = process.env.PACTUM_BINARY;
const CHROMIUM = process.env.PACTUM_CHROMIUM || '/usr/bin/chromium';
const ETH = '1000000000000000000';
const XSS = '<img src=x onerror=window.__pwned=1>';  // no ':' ',' ';' (the CLI's --issues separators)

let node, base, dataDir, profileDir, context, page;
const requests = [];
const problems = [];  // page errors and console errors (a CSP violation is one)

async function rpc(method, params = []) {
  const r = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const j = await r.json();
  if (j.error) throw new Error(`${method}: ${j.error.message}`);
  return j.result;
}
function cli(args, input) {
  return execFileSync(BIN, args, { input, env: { ...process.env, PACTUM_RPC: base }, encoding: 'utf8' }).trim();
}
const sign = (...args) => JSON.parse(cli(['sign', ...args]));
const submit = (intents) => cli(['submit', '-'], JSON.stringify(intents)).split(/\s+/).filter((s) => /^[0-9a-f]{64}$/.test(s));
async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function mineTo(h) {
  while ((await rpc('pactum_blockNumber')) < h) await rpc('pactum_mine', [1]);
}

// Display units, written here from docs/PROTOCOL.md (amounts in base units, `decimals`).
let decimals;
function units(a, asset) {
  const d = decimals[asset];
  const s = String(a).padStart(d + 1, '0');
  const frac = s.slice(s.length - d).replace(/0+$/, '');
  const int = s.slice(0, s.length - d);
  return (frac ? `${int}.${frac}` : int) + ' ' + asset;
}
// num/den to 8 significant digits, rounded down.
function decimal(num, den) {
  let int = num / den, rem = num % den, frac = '', sig = int === 0n ? 0 : String(int).length;
  while (rem !== 0n && sig < 8 && frac.length < 40) {
    rem *= 10n;
    const d = rem / den;
    rem %= den;
    frac += String(d);
    if (sig > 0 || d !== 0n) sig++;
  }
  frac = frac.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : String(int);
}
const scale = (asset) => 10n ** BigInt(decimals[asset]);

const ids = {};
let room, groupRoom;

before(async () => {
  assert.ok(BIN, 'PACTUM_BINARY must point to the pactum binary');
  dataDir = mkdtempSync(join(tmpdir(), 'pactum-explorer-'));
  profileDir = mkdtempSync(join(tmpdir(), 'pactum-explorer-chromium-'));
  node = spawn(BIN, ['node', '--data-dir', join(dataDir, 'chain'), '--rpc', '127.0.0.1:0', '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    node.once('exit', (c) => reject(new Error('pactum node exited with ' + c)));
    createInterface({ input: node.stdout }).on('line', (l) => {
      const m = /^rpc: (http:\/\/\S+)$/.exec(l);
      if (m) resolve(m[1] + '/');
    });
  });
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  decimals = Object.fromEntries((await rpc('pactum_getAssets')).map((a) => [a.symbol, a.decimals]));

  // Block 1, one batch: a swap that fills against the pool, a transfer, a swap whose limit
  // no pool reaches (it stays pending: limit_not_reached) and one like it that may only
  // join block 1 (then it expires).
  const batch = [
    sign('--dev', '0', '--kind', 'swap', '--sell', 'ETH', '--buy', 'USDC', '--side', 'sell', '--sell-amount', ETH, '--buy-amount', '2900000000'),
    sign('--dev', '1', '--kind', 'transfer', '--asset', 'USDC', '--to', 'dev:2', '--amount', '2500000'),
    sign('--dev', '3', '--kind', 'swap', '--sell', 'ETH', '--buy', 'USDC', '--side', 'sell', '--sell-amount', ETH, '--buy-amount', '9000000000'),
    sign('--dev', '4', '--kind', 'swap', '--sell', 'ETH', '--buy', 'USDC', '--side', 'sell', '--sell-amount', ETH, '--buy-amount', '9500000000', '--valid-until', '1'),
  ];
  [ids.swap, ids.transfer, ids.waiting, ids.expiring] = submit(batch);
  assert.ok(ids.expiring, 'four ids from one submission');
  await until('block 1', async () => (await rpc('pactum_getIntent', [ids.expiring])).status === 'expired');

  // A price room that closes with a deal (README's example): open, seal both sides, mine to the close.
  const close = (await rpc('pactum_blockNumber')) + 6;
  room = submit(JSON.parse(cli(['room', 'open', '--dev', '5', '--seller', 'dev:5', '--buyer', 'dev:6', '--asset', 'ETH',
    '--amount', ETH, '--pay', 'USDC', '--range', '2000000000,4000000000', '--close-height', String(close)])))[0];
  await until('the room', async () => (await rpc('pactum_getRooms')).length === 1);
  submit(JSON.parse(cli(['room', 'seal', '--dev', '5', '--room', room, '--reservation', '2800000000'])));
  submit(JSON.parse(cli(['room', 'seal', '--dev', '6', '--room', room, '--reservation', '3200000000'])));
  await until('both positions', async () => {
    const r = await rpc('pactum_getRoom', [room]);
    return r.seller.sealed && r.buyer.sealed;
  });
  await mineTo(close);
  // A multi-issue room whose issue names are markup: they must show as text.
  groupRoom = submit(JSON.parse(cli(['room', 'open', '--dev', '7', '--mechanism', 'multi_issue', '--parties', 'dev:7,dev:8',
    '--issues', `${XSS}:<b>bold</b>,two`, '--close-height', String(close + 50)])))[0];
  await until('the second room', async () => (await rpc('pactum_getRooms')).length === 2);

  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.setDefaultTimeout(10000);
});

after(async () => {
  if (context) await context.close();
  if (node) node.kill('SIGTERM');
  for (const d of [dataDir, profileDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const text = (sel) => page.locator(sel).innerText();
const cell = (row, field) => page.locator(`${row} [data-field="${field}"]`).innerText();

test('the page is one self-contained document with a strict CSP', async () => {
  const r = await fetch(base);
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+={0,2}'/);
  assert.match(csp, /connect-src 'self'/);
  const html = await r.text();
  assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//i, 'no external resource');
});

test('latest blocks are listed and new ones appear live', async () => {
  await page.goto(base);
  const head = await rpc('pactum_blockNumber');
  await page.locator(`#blocks tr[data-height="${head}"]`).waitFor();
  await until('the live subscription', async () => (await text('#live')) === 'live');
  for (const b of await rpc('pactum_getBlocks', [null, 20])) {
    const row = `#blocks tr[data-height="${b.height}"]`;
    assert.equal(await cell(row, 'intents'), String(b.intents), `intents of block ${b.height}`);
    assert.equal(await cell(row, 'settled'), String(b.settled), `settled of block ${b.height}`);
  }
  // A new block shows up without a reload (the marker would be gone after one).
  await page.evaluate(() => { window.__sameDocument = true; });
  submit([sign('--dev', '9', '--kind', 'transfer', '--asset', 'USDC', '--to', 'dev:10', '--amount', '1000000')]);
  const row = `#blocks tr[data-height="${head + 1}"]`;
  await page.locator(row).waitFor();
  const [b] = await rpc('pactum_getBlocks', [head + 1, 1]);
  assert.equal(await cell(row, 'intents'), String(b.intents));
  assert.equal(await cell(row, 'settled'), String(b.settled));
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.equal(await page.locator('#blocks tbody tr').first().getAttribute('data-height'), String(head + 1));
});

test('a block shows its header, intents with receipts, and clearing prices as RPC has them', async () => {
  await page.goto(base);
  await page.locator('#blocks tr[data-height="1"] td a').first().click();
  await page.waitForURL(/#\/block\/1$/);
  const b = await rpc('pactum_getBlock', [1, true]);
  await page.locator('#intents').waitFor();
  assert.equal(await text('#header tr[data-key="hash"] td:last-child'), b.hash);
  assert.equal(await text('#header tr[data-key="state root"] td:last-child'), b.state_root);
  assert.equal(await page.locator('#intents tbody tr').count(), b.intents.length);
  const seen = new Set();
  for (const r of b.receipts) {
    const row = `#intents tr[data-intent="${r.intent}"]`;
    seen.add(r.status);
    assert.equal(await cell(row, 'status'), r.status);
    assert.equal(await cell(row, 'reason'), r.reason);
    assert.equal(await cell(row, 'message'), r.message);
    assert.equal(await cell(row, 'sold'), r.sold_asset ? units(r.sold, r.sold_asset) : '');
    assert.equal(await cell(row, 'bought'), r.bought_asset ? units(r.bought, r.bought_asset) : '');
  }
  assert.ok(seen.has('settled') && seen.has('unfilled'), 'block 1 has settled and unfilled receipts');
  const swap = b.receipts.find((r) => r.intent === ids.swap);
  assert.equal(swap.status, 'settled');
  assert.equal(await cell(`#intents tr[data-intent="${ids.swap}"]`, 'sold'), '1 ETH');
  assert.ok(b.prices.length >= 1 && b.asset_prices.length >= 2, 'ETH/USDC traded');
  for (const p of b.prices) {
    const row = `#prices tr[data-pair="${p.base}/${p.quote}"]`;
    assert.equal(await cell(row, 'num'), p.num);
    assert.equal(await cell(row, 'den'), p.den);
    const shown = decimal(BigInt(p.num) * scale(p.base), BigInt(p.den) * scale(p.quote));
    assert.equal(await cell(row, 'display'), `1 ${p.base} = ${shown} ${p.quote}`);
  }
  for (const p of b.asset_prices) {
    assert.equal(await cell(`#asset-prices tr[data-asset="${p.asset}"]`, 'num'), p.num);
    assert.equal(await cell(`#asset-prices tr[data-asset="${p.asset}"]`, 'den'), p.den);
  }
});

async function search(q) {
  await page.fill('#q', q);
  await page.press('#q', 'Enter');
}

// Searches an intent id and waits for its page (not the one shown before).
async function openIntent(id) {
  await search(id);
  await page.waitForURL(new RegExp(`#/intent/${id}$`));
  await page.locator('#intent tr[data-key="id"]').filter({ hasText: id }).waitFor();
}

test('the search box finds intents (status and reason in words), heights and block hashes', async () => {
  // The waiting swap's reason is its newest receipt's: limit_not_reached, or
  // fok_not_fillable in a block where its market traded; either way a reason to show.
  for (const [id, status, reasons] of [[ids.waiting, 'pending', ['limit_not_reached', 'fok_not_fillable']],
    [ids.expiring, 'expired', ['expired']], [ids.swap, 'settled', ['']]]) {
    await openIntent(id);
    const s = await rpc('pactum_getIntent', [id]);
    assert.equal(s.status, status);
    assert.ok(reasons.includes(s.reason), s.reason);
    const reason = s.reason;
    assert.equal(await text('#intent tr[data-key="status"] td:last-child'), status);
    assert.equal(await text('#intent tr[data-key="block"] td:last-child'), String(s.block));
    assert.equal(await cell('#plain', 'message'), s.message);
    if (reason) assert.match(await cell('#plain', 'reason-words'), new RegExp(`^${reason}: \\S`));
    assert.equal(await text('#receipt tr[data-key="status"] td:last-child'), s.receipt.status);
    assert.equal(await text('#receipt tr[data-key="reason"] td:last-child'), s.receipt.reason || '—');
    assert.equal(await text('#receipt tr[data-key="message"] td:last-child'), s.receipt.message);
  }
  // The expired swap's newest receipt is block 1's: unfilled (its market traded, without it).
  const expired = await rpc('pactum_getIntent', [ids.expiring]);
  assert.equal(expired.block, 1);
  assert.equal(expired.receipt.status, 'unfilled');
  await openIntent(ids.expiring);
  assert.equal(await text('#receipt tr[data-key="status"] td:last-child'), 'unfilled');
  assert.equal(await text('#receipt tr[data-key="reason"] td:last-child'), expired.receipt.reason);
  assert.ok(['limit_not_reached', 'fok_not_fillable'].includes(expired.receipt.reason));
  assert.match(await cell('#plain', 'reason-words'), /^expired: /);

  await search('2');
  await page.waitForURL(/#\/block\/2$/);
  await page.locator('h1', { hasText: 'Block 2' }).waitFor();
  const b3 = await rpc('pactum_getBlock', [3]);
  await search(b3.hash);
  await page.waitForURL(new RegExp(`#/block/${b3.hash}$`));
  await page.locator('h1', { hasText: 'Block 3' }).waitFor();
  await search('f'.repeat(64));
  await page.locator('h1', { hasText: 'Nothing found' }).waitFor();
});

test('pools and lending pools show reserves, fee and spot price', async () => {
  await page.click('header a[href="#/pools"]');
  await page.locator('#pools').waitFor();
  const pools = await rpc('pactum_getPools');
  assert.equal(await page.locator('#pools tbody tr').count(), pools.length);
  for (const p of pools) {
    const [a, b] = p.assets, row = `#pools tr[data-pair="${a}/${b}"]`;
    assert.equal(await cell(row, 'reserve-a'), units(p.reserves[0], a));
    assert.equal(await cell(row, 'reserve-b'), units(p.reserves[1], b));
    assert.equal(await cell(row, 'fee'), `${p.fee_bps} bps`);
    const spot = decimal(BigInt(p.reserves[1]) * scale(a), BigInt(p.reserves[0]) * scale(b));
    assert.equal(await cell(row, 'spot'), `1 ${a} = ${spot} ${b}`);
  }
  for (const l of await rpc('pactum_getLendingPools')) {
    assert.equal(await cell(`#lending tr[data-asset="${l.asset}"]`, 'reserve'), units(l.reserve, l.asset));
    assert.equal(await cell(`#lending tr[data-asset="${l.asset}"]`, 'fee'), `${l.fee_bps} bps`);
  }
});

test('rooms show outcomes only, and anyone\'s text stays text', async () => {
  await page.click('header a[href="#/rooms"]');
  await page.locator('#rooms').waitFor();
  const r = await rpc('pactum_getRoom', [room]);
  assert.equal(r.status, 'closed');
  assert.equal(r.outcome.deal, true);
  const row = `#rooms tr[data-room="${room}"]`;
  assert.equal(await cell(row, 'status'), 'closed');
  assert.equal(await cell(row, 'deal'), 'deal');
  assert.equal(await cell(row, 'band'), String(r.outcome.band));
  assert.equal(await cell(row, 'closed'), String(r.closed_height));
  assert.equal(await cell(row, 'outcome'), `deal at band ${r.outcome.band}: 1 ETH for ${units(r.outcome.price, 'USDC')}`);
  // Nothing sealed: the reservations appear nowhere in the page.
  const all = await page.locator('body').innerText();
  for (const secret of ['2800000000', '3200000000', '2800 USDC', '3200 USDC']) assert.ok(!all.includes(secret), secret);

  const g = `#rooms tr[data-room="${groupRoom}"]`;
  assert.equal(await cell(g, 'status'), 'open');
  assert.equal(await cell(g, 'deal'), '—');
  assert.ok((await page.locator(g).innerText()).includes(`${XSS} (<b>bold</b> / two)`));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main img, main b').count(), 0);
});

// Settled burns of COMPUTE by two dev accounts (each a compute core's own wallet): the
// compute view shows the supply fallen by exactly what was burned, and per core its count,
// total and first/last block, per block range too, and it follows new burns live.
const burn = (dev, amount, nonce) => sign('--dev', String(dev), '--kind', 'burn', '--asset', 'COMPUTE', '--amount', String(amount),
  '--core', `dev:${dev}`, '--units', String(amount), '--request-nonce', String(nonce));
async function until_settled(id) {
  return until('intent ' + id, async () => {
    const s = await rpc('pactum_getIntent', [id]);
    return s.status === 'settled' ? s : s.status === 'pending' ? null : assert.fail(`${id}: ${s.status} ${s.reason}`);
  });
}
async function settle(intents) {
  const got = submit(intents);
  assert.equal(got.length, intents.length, 'one id per burn');
  const done = [];
  for (const id of got) {
    done.push(await until('burn ' + id, async () => {
      const s = await rpc('pactum_getIntent', [id]);
      return s.status === 'settled' ? s : s.status === 'pending' ? null : assert.fail(`${id}: ${s.status} ${s.reason}`);
    }));
  }
  return done.map((s) => ({ id: s.id, height: s.block, account: s.intent.signer, amount: BigInt(s.intent.amount) }));
}

test('the compute view: the supply falls by exactly what was burned, burns per core and over time', async () => {
  const before = await rpc('pactum_getSupply', ['COMPUTE']);
  assert.equal(before.burnable, true);
  assert.equal(before.burned, '0', 'no burn before this test');
  const burns = [...await settle([burn(11, 300, 1), burn(12, 1000, 1)]), ...await settle([burn(11, 45, 2)])];
  const [a, b] = [burns[0].account, burns[1].account];
  assert.notEqual(a, b);
  assert.ok(burns[2].height > burns[0].height, 'two blocks');
  const burned = 1345n;

  await page.click('header a[href="#/compute"]');
  await page.waitForURL(/#\/compute$/);
  await page.locator('#cores-COMPUTE').waitFor();
  const after = await rpc('pactum_getSupply', ['COMPUTE']);
  assert.equal(BigInt(before.supply) - BigInt(after.supply), burned, 'the supply fell by exactly what was burned');
  assert.equal(after.burned, String(burned));
  const s = '#supply tr[data-asset="COMPUTE"]';
  assert.equal(await cell(s, 'genesis'), units(after.genesis_supply, 'COMPUTE'));
  assert.equal(await cell(s, 'supply'), units(after.supply, 'COMPUTE'));
  assert.equal(await cell(s, 'burned'), units(burned, 'COMPUTE'));
  assert.equal(await cell(s, 'listed'), units(burned, 'COMPUTE'));
  assert.equal(await cell(s, 'check'), 'agrees');
  assert.equal(await page.locator('#supply tbody tr').count(), 1, 'COMPUTE is the one burnable asset of the devnet');

  // Per core, biggest total first: dev 12 (1000) then dev 11 (300 + 45).
  const rows = page.locator('#cores-COMPUTE tbody tr');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getAttribute('data-account'), b);
  for (const [acct, count, total, first, last] of [[a, 2, 345n, burns[0].height, burns[2].height],
    [b, 1, 1000n, burns[1].height, burns[1].height]]) {
    const row = `#cores-COMPUTE tr[data-account="${acct}"]`;
    assert.equal(await cell(row, 'count'), String(count));
    assert.equal(await cell(row, 'total'), units(total, 'COMPUTE'));
    assert.equal(await cell(row, 'first'), String(first));
    assert.equal(await cell(row, 'last'), String(last));
    assert.equal(await page.locator(`${row} a[href="#/core/${acct}"]`).count(), 1);
  }

  // Over time: each block range holds exactly the burns of its blocks, per core (read in
  // one go: a new block re-renders the view).
  const ranges = await page.locator('#time-COMPUTE tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    from: Number(tr.dataset.from), to: Number(tr.dataset.to), total: tr.querySelector('[data-field="total"]').innerText,
    cores: Object.fromEntries([...tr.querySelectorAll('td[data-account]')].map((td) => [td.dataset.account, td.innerText])),
    widths: [...tr.querySelectorAll('.bar span')].map((e) => e.style.width) })));
  assert.ok(ranges.length >= 2 && ranges.length <= 30, `${ranges.length} block ranges`);
  let seen = 0n;
  for (const r of ranges) {
    const inside = burns.filter((x) => x.height >= r.from && x.height <= r.to);
    const sum = (acct) => inside.filter((x) => !acct || x.account === acct).reduce((t, x) => t + x.amount, 0n);
    assert.equal(r.total, units(sum(), 'COMPUTE'), `blocks ${r.from}-${r.to}`);
    for (const acct of [a, b]) assert.equal(r.cores[acct], sum(acct) === 0n ? '' : String(sum(acct)), `blocks ${r.from}-${r.to}`);
    assert.equal(r.widths.length, [a, b].filter((x) => sum(x) > 0n).length);
    seen += sum();
  }
  assert.equal(seen, burned, 'the ranges cover every burn');
  // Bar widths are relative to the biggest range, which fills its bar.
  const filled = ranges.map((r) => r.widths.reduce((t, w) => t + parseFloat(w), 0));
  assert.ok(filled.every((w) => w <= 100) && filled.some((w) => w > 99.99), filled.join());

  // A new burn while the view is shown: it follows live, without a reload.
  await page.evaluate(() => { window.__sameDocument = true; });
  const [more] = await settle([burn(12, 7, 2)]);
  await until('the new burn on the page', async () => (await cell(s, 'listed')) === units(burned + 7n, 'COMPUTE'));
  assert.equal(await cell(s, 'supply'), units(BigInt(after.supply) - 7n, 'COMPUTE'));
  assert.equal(await cell(`#cores-COMPUTE tr[data-account="${b}"]`, 'total'), units(1007n, 'COMPUTE'));
  assert.equal(await cell(`#cores-COMPUTE tr[data-account="${b}"]`, 'last'), String(more.height));
  assert.equal(await page.evaluate(() => window.__sameDocument), true);

  // One core's page: its balance and its burns, newest first.
  await page.click(`#cores-COMPUTE tr[data-account="${a}"] a[href="#/core/${a}"]`);
  await page.waitForURL(new RegExp(`#/core/${a}$`));
  await page.locator('#burns').waitFor();
  assert.equal(await text('#core tr[data-key="account"] td:last-child'), a);
  assert.equal(await text('#core tr[data-key="balance COMPUTE"] td:last-child'),
    units(await rpc('pactum_getBalance', [a, 'COMPUTE']), 'COMPUTE'));
  assert.equal(await text('#core tr[data-key="burns"] td:last-child'), '2');
  assert.deepEqual(await page.locator('#burns tbody tr').evaluateAll((trs) => trs.map((t) => t.dataset.intent)),
    [burns[2].id, burns[0].id]);
  assert.equal(await cell(`#burns tr[data-intent="${burns[0].id}"]`, 'amount'), '300 COMPUTE');
  const listed = await rpc('pactum_getBurns', { account: a });
  assert.equal(listed.total, 2);
});

// A lock (compute futures): its block lists it in words, and the locked asset COMPUTE@H
// shows its amount with COMPUTE's decimals.
test('a lock is shown in words in its block', async () => {
  const height = (await rpc('pactum_blockNumber')) + 50;
  const [id] = submit([sign('--dev', '13', '--kind', 'lock', '--asset', 'COMPUTE', '--amount', '400',
    '--until', String(height))]);
  const done = await until_settled(id);
  await page.goto(`${base}#/block/${done.block}`);
  const row = `#intents tr[data-intent="${id}"]`;
  await page.locator(row).waitFor();
  assert.equal(await cell(row, 'summary'),
    `lock ${units(400n, 'COMPUTE')} as COMPUTE@${height} until height ${height}`);
  assert.equal(await rpc('pactum_getBalance', [done.intent.signer, `COMPUTE@${height}`]), '400');
});

test('the page asked nothing of anyone but the node, and nothing failed', async () => {
  const origin = new URL(base);
  assert.ok(requests.length > 10, 'requests were recorded');
  for (const u of requests) {
    const url = new URL(u);
    assert.equal(url.hostname, '127.0.0.1', u);
    assert.equal(url.port, origin.port, u);
    assert.ok(['http:', 'ws:'].includes(url.protocol), u);
  }
  assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), []);
});
