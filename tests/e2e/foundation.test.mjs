// The first end-to-end slice: one server serves the pages, the loader and the API;
// a visitor's Reject on the Dutch shop lands in KV; a malformed consent POST is
// refused with a JSON error code and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, groupAlive } from './harness.mjs';

let worker;
let browser;

before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

async function storedConsent(shop) {
  const response = await worker.admin(`/api/admin/consent?shop=${shop}`);
  assert.equal(response.status, 200);
  return response.json();
}

test('one server serves the landing page, both shops, the loader and the API', async () => {
  for (const [path, type] of [
    ['/', 'text/html'],
    ['/shop/en/', 'text/html'],
    ['/shop/nl/', 'text/html'],
    ['/shop/en/privacy', 'text/html'],
    ['/shop/nl/privacy', 'text/html'],
    ['/widget.js', 'javascript'],
    ['/w/widget_bg.wasm', 'application/wasm'],
    ['/api/shops/demo-nl/config', 'application/json'],
  ]) {
    const response = await fetch(worker.url + path);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type') ?? '', new RegExp(type), path);
  }
  const nl = await (await fetch(`${worker.url}/shop/nl/`)).text();
  assert.match(nl, /<html lang="nl"/);
  const tags = nl.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(tags.some((tag) => /src="\/widget\.js"/.test(tag) && /data-shop="demo-nl"/.test(tag)), 'the shop embeds the widget with one tag');
});

test('Reject on the Dutch shop stores a consent record in KV', async () => {
  const before = await storedConsent('demo-nl');
  const page = await browser.newPage();
  await page.goto(`${worker.url}/shop/nl/`);
  const reject = page.getByRole('button', { name: /weigeren|alles weigeren/i });
  await reject.click();
  let records;
  for (let i = 0; i < 50; i++) {
    records = await storedConsent('demo-nl');
    if (records.length > before.length) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(records.length, before.length + 1);
  const record = records.at(-1);
  const body = record.record ?? record;
  assert.equal(body.shop, 'demo-nl');
  assert.equal(body.lang, 'nl');
  assert.deepEqual(body.choices, { analytics: false, marketing: false, preferences: false });
  assert.deepEqual(body.services, [
    { name: 'Google Analytics', granted: false },
    { name: 'Meta Pixel', granted: false },
    { name: 'YouTube', granted: false },
  ]);
  assert.equal(body.source, 'banner');
  assert.ok(!JSON.stringify(record).includes('127.0.0.1'), 'no IP address is stored');
  await page.close();
});

test('a malformed consent POST gets 400 with a code and writes nothing', async () => {
  const before = await storedConsent('demo-en');
  const valid = {
    shop: 'demo-en',
    consent_id: 'Zx8fP2kLq9Wm4Tr7aB3cD4',
    policy_version: '2026-11-01',
    choices: { analytics: true, marketing: false },
    source: 'banner',
    lang: 'en',
    gpc: false,
  };
  const cases = [
    ['not json', '{"shop":', 'invalid_json'],
    ['unknown field', JSON.stringify({ ...valid, ip: '1.2.3.4' }), 'unknown_field'],
    ['missing field', JSON.stringify({ shop: 'demo-en' }), 'missing_field'],
    ['wrong type', JSON.stringify({ ...valid, gpc: 'yes' }), 'invalid_field'],
    ['unknown shop', JSON.stringify({ ...valid, shop: 'no-such-shop' }), 'unknown_shop'],
  ];
  for (const [name, body, code] of cases) {
    const response = await fetch(`${worker.url}/api/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: worker.url },
      body,
    });
    assert.equal(response.status, 400, name);
    const json = await response.json();
    assert.equal(json.error.code, code, name);
    assert.ok(json.error.message.length > 0, name);
  }
  const huge = await fetch(`${worker.url}/api/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ ...valid, policy_version: 'x'.repeat(100_000) }),
  });
  assert.equal(huge.status, 413);
  assert.equal((await huge.json()).error.code, 'body_too_large');
  assert.deepEqual(await storedConsent('demo-en'), before);

  // The same body, valid, is accepted: the cases above failed for their own reason.
  const ok = await fetch(`${worker.url}/api/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify(valid),
  });
  assert.equal(ok.status, 201);
  assert.equal((await storedConsent('demo-en')).length, before.length + 1);
});

test('stopping a worker leaves no wrangler or workerd process behind', async () => {
  const second = await startWorker();
  assert.ok(groupAlive(second.pid));
  await second.stop();
  assert.equal(groupAlive(second.pid), false);
});

test('a test process that crashes still takes its wrangler and workerd down', async () => {
  // A child Node process starts a worker, reports its pid and dies of an uncaught error.
  const { spawn } = await import('node:child_process');
  const script = `
    import { startWorker } from ${JSON.stringify(new URL('./harness.mjs', import.meta.url).href)};
    const w = await startWorker();
    process.stdout.write(String(w.pid) + '\\n');
    setTimeout(() => { throw new Error('crash on purpose'); }, 50);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.notEqual(code, 0, 'the child crashed');
  const pid = Number(out.trim());
  assert.ok(pid > 0, `the child reported a pid: ${out}`);
  // The kill is immediate; a loaded machine can take a few seconds to reap the group.
  for (let i = 0; i < 100 && groupAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(groupAlive(pid), false, 'no process of the crashed test is left');
});
