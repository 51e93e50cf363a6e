// Hardening of the edge, against a real `wrangler dev`: the rate limiter answers
// 429 with Retry-After per client; Turnstile (against a local stand-in of
// siteverify that behaves like Cloudflare's documented always-pass / always-fail
// test secrets) and the honeypot refuse bots and store nothing; personal fields are
// encrypted in KV (no name, address, order number or details anywhere in the KV
// files, keys or metadata) and found again through the e-mail blind index;
// security headers are on every API answer; owner routes answer the same 401
// whether or not a shop or record exists; and nothing personal reaches the log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startWorker, freePort, launchBrowser, axeViolations } from './harness.mjs';

const ALWAYS_PASS = '1x0000000000000000000000000000000AA';
const ALWAYS_FAIL = '2x0000000000000000000000000000000AA';
const DUMMY_TOKEN = 'XXXX.DUMMY.TOKEN.XXXX';

let worker;
let siteverify;
let browser;
const verifyCalls = [];

/** Cloudflare's siteverify as its test secret keys behave (docs: Turnstile "Testing"). */
async function startSiteverify() {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      verifyCalls.push({ secret: form.get('secret'), response: form.get('response') });
      const answer = !form.get('response')
        ? { success: false, 'error-codes': ['missing-input-response'] }
        : form.get('secret') === ALWAYS_PASS
          ? { success: true, challenge_ts: new Date().toISOString(), hostname: 'example.com', 'error-codes': [] }
          : form.get('secret') === ALWAYS_FAIL
            ? { success: false, 'error-codes': ['invalid-input-response'] }
            : { success: false, 'error-codes': ['invalid-input-secret'] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/turnstile/v0/siteverify`, close: () => new Promise((r) => server.close(r)) };
}

before(async () => {
  siteverify = await startSiteverify();
  worker = await startWorker({
    vars: {
      // demo-en uses Turnstile with the always-pass secret, demo-nl with always-fail.
      TURNSTILE_SECRET_DEMO_EN: ALWAYS_PASS,
      TURNSTILE_SECRET_DEMO_NL: ALWAYS_FAIL,
      TURNSTILE_VERIFY_URL: siteverify.url,
    },
  });
});

after(async () => {
  await browser?.close();
  await worker?.stop();
  await siteverify?.close();
});

let clientCounter = 0;
/** A fresh client address, so that tests do not share a rate-limit bucket. */
const newClient = () => `198.51.100.${++clientCounter}`;

function post(pathname, body, { client = newClient(), headers = {} } = {}) {
  return fetch(`${worker.url}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': client, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const PERSON = {
  name: 'Wilhelmina Oosterhuis-Tjepkema',
  email: 'w.oosterhuis.tjepkema@voorbeeld-mail.nl',
  order: 'BH-778812',
  details: 'Mijn nieuwe adres is Zonnebloemstraat 77 in Harlingen.',
};

function rightsRequest(shop, extra = {}) {
  return {
    shop,
    right: 'rectification',
    name: PERSON.name,
    email: PERSON.email,
    order_number: PERSON.order,
    details: PERSON.details,
    confirm_true: true,
    lang: shop === 'demo-nl' ? 'nl' : 'en',
    idempotency_key: `hardening-${Math.random().toString(36).slice(2)}-${Date.now()}`,
    ...extra,
  };
}

async function storedRequests(shop, query = '') {
  const response = await worker.admin(`/api/admin/requests?shop=${shop}${query}`);
  assert.equal(response.status, 200);
  return response.json();
}

/** The owner's look-up of one person's requests: the address in a POST body. */
async function requestsByEmail(shop, email) {
  const response = await worker.admin('/api/admin/requests/by-email', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shop, email }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

/** Every file under a directory, as bytes (KV values, keys, metadata, SQLite). */
async function allFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(await readFile(path.join(entry.parentPath ?? entry.path, entry.name)));
  }
  return out;
}

test('Turnstile: a token that passes siteverify files the request; none, or a failing one, is refused and nothing stored', async () => {
  const before = await storedRequests('demo-en');
  const missing = await post('/api/requests', rightsRequest('demo-en'));
  assert.equal(missing.status, 403);
  assert.equal((await missing.json()).error.code, 'challenge_failed');

  const passing = await post('/api/requests', rightsRequest('demo-en', { turnstile_token: DUMMY_TOKEN }));
  assert.equal(passing.status, 201, await passing.clone().text());
  const { reference } = await passing.json();
  assert.deepEqual(verifyCalls.at(-1), { secret: ALWAYS_PASS, response: DUMMY_TOKEN });

  const failing = await post('/api/requests', rightsRequest('demo-nl', { turnstile_token: DUMMY_TOKEN }));
  assert.equal(failing.status, 403);
  const body = await failing.json();
  assert.equal(body.error.code, 'challenge_failed');
  assert.match(body.error.message, /persoon/);

  const after = await storedRequests('demo-en');
  assert.equal(after.length, before.length + 1);
  assert.ok(after.some((r) => r.reference === reference));
  assert.equal((await storedRequests('demo-nl')).length, 0);
});

test('honeypot: a filled-in honeypot is refused as spam and stores nothing', async () => {
  const before = (await storedRequests('demo-en')).length;
  const response = await post('/api/requests', rightsRequest('demo-en', { honeypot: 'https://cheap-pills.example', turnstile_token: DUMMY_TOKEN }));
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.code, 'spam_suspected');
  assert.equal((await storedRequests('demo-en')).length, before);
  // An empty honeypot (what the widget sends) is fine.
  const human = await post('/api/requests', rightsRequest('demo-en', { honeypot: '', turnstile_token: DUMMY_TOKEN }));
  assert.equal(human.status, 201);
});

test('personal fields are encrypted in KV, found again through the blind index, and decrypted for the owner', async () => {
  const response = await post('/api/requests', rightsRequest('demo-en', { turnstile_token: DUMMY_TOKEN }));
  assert.equal(response.status, 201);
  const { reference } = await response.json();

  const files = await allFiles(worker.persistDir);
  assert.ok(files.length > 0, 'KV files exist');
  const haystack = Buffer.concat(files);
  for (const secret of [PERSON.name, PERSON.email, PERSON.order, 'Zonnebloemstraat', 'Oosterhuis', 'voorbeeld-mail']) {
    assert.equal(haystack.indexOf(Buffer.from(secret)), -1, `"${secret}" is not in the KV files`);
  }
  assert.ok(haystack.indexOf(Buffer.from('"sealed":"pd1.')) >= 0, 'records carry a sealed envelope');

  // The owner sees the decrypted request, also when looking it up by address (any case).
  const mine = await requestsByEmail('demo-en', PERSON.email.toUpperCase());
  assert.ok(mine.length >= 3, `blind index finds every request of this person (${mine.length})`);
  const found = mine.find((r) => r.reference === reference);
  assert.equal(found.name, PERSON.name);
  assert.equal(found.email, PERSON.email);
  assert.equal(found.order_number, PERSON.order);
  assert.equal(found.details, PERSON.details);
  assert.deepEqual(await requestsByEmail('demo-en', 'someone-else@example.com'), []);
  // The requester's status look-up (the address in the body) works and is not logged.
  const status = await post(`/api/requests/${reference}/status`, JSON.stringify({ email: PERSON.email }));
  assert.equal(status.status, 200);
});

test('rate limit: a client over the POST limit gets 429 rate_limited with Retry-After; other clients do not', async () => {
  const client = newClient();
  const statuses = [];
  let limited;
  for (let i = 0; i < 25; i += 1) {
    // Invalid bodies: the limiter counts every POST, before the body is read.
    const response = await post('/api/requests', '{}', { client });
    statuses.push(response.status);
    if (response.status === 429) {
      limited = response;
      break;
    }
  }
  assert.ok(limited, `429 within 25 POSTs (${statuses.join(',')})`);
  assert.equal(statuses.length, 21, 'the 21st POST in a minute is the first refused');
  assert.ok(statuses.slice(0, 20).every((s) => s === 400));
  assert.equal(limited.headers.get('retry-after'), '60');
  assert.equal(limited.headers.get('cache-control'), 'no-store');
  const body = await limited.json();
  assert.equal(body.error.code, 'rate_limited');
  // Another client is unaffected, and consent has its own budget.
  assert.equal((await post('/api/requests', '{}')).status, 400);
  assert.equal((await post('/api/consent', '{}', { client })).status, 400);
});

test('security headers on every API answer; personal data is never cacheable', async () => {
  const answers = {
    config: await fetch(`${worker.url}/api/shops/demo-en/config`),
    created: await post('/api/requests', rightsRequest('demo-en', { turnstile_token: DUMMY_TOKEN })),
    invalid: await post('/api/requests', '{"shop":'),
    notFound: await fetch(`${worker.url}/api/nothing-here`),
    preflight: await fetch(`${worker.url}/api/requests`, {
      method: 'OPTIONS',
      headers: { origin: 'https://mountandco.example', 'access-control-request-method': 'POST' },
    }),
    admin: await worker.admin('/api/admin/requests?shop=demo-en'),
  };
  for (const [name, response] of Object.entries(answers)) {
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', name);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', name);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'; frame-ancestors 'none'/, name);
    if (name !== 'config') assert.equal(response.headers.get('cache-control'), 'no-store', name);
  }
  // Public and the same for everyone: cached, revalidated with its ETag (config-cache.test.mjs).
  assert.equal(answers.config.headers.get('cache-control'), 'public, max-age=0, stale-while-revalidate=300');
  assert.match(answers.config.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
  assert.equal(answers.created.status, 201);
  // Strict CORS as before: an unknown origin is refused, a shop's own is echoed.
  const foreign = await post('/api/requests', rightsRequest('demo-en'), { headers: { origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  assert.equal(answers.preflight.headers.get('access-control-allow-origin'), 'https://mountandco.example');
});

test('owner routes: the same 401 whether or not the shop or record exists', async () => {
  const { reference } = (await storedRequests('demo-en'))[0];
  const paths = [
    '/api/admin/requests?shop=demo-en',
    '/api/admin/requests?shop=no-such-shop',
    `/api/admin/requests/${reference}?shop=demo-en`,
    '/api/admin/requests/PR-0000-0000-0000?shop=demo-en',
    '/api/admin/consent?shop=demo-nl',
  ];
  const answers = new Set();
  let client = 0;
  for (const pathname of paths) {
    for (const authorization of [undefined, 'Bearer wrong-secret', `Bearer ${worker.adminToken}x`, 'Basic YWRtaW46YWRtaW4=']) {
      // Each guess from its own client: failed owner authentication is rate limited
      // (AUTH_LIMITER, 10 a minute), and this test is about the answer, not the limit.
      client += 1;
      const headers = { 'cf-connecting-ip': `198.51.100.${client}`, ...(authorization ? { authorization } : {}) };
      const response = await fetch(`${worker.url}${pathname}`, { headers });
      // Routes that do not exist at all are 404 for everyone; every existing one is 401.
      if (response.status === 404) continue;
      answers.add(`${response.status} ${await response.text()}`);
    }
  }
  assert.equal(answers.size, 1, [...answers].join('\n'));
  assert.match([...answers][0], /^401 .*"code":"unauthorized"/);
});

/**
 * The English shop's privacy page as a shop using Turnstile would serve it: the tag
 * has data-turnstile-sitekey and the CSP allows Cloudflare's challenge host. The
 * Turnstile script is a stand-in that renders each container the way the real one
 * does (a hidden `cf-turnstile-response` input holding the token).
 */
async function openTurnstileForm() {
  browser ??= await launchBrowser();
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.route('https://challenges.cloudflare.com/turnstile/v0/api.js*', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `window.turnstile = { reset(el) { window.__resets = (window.__resets || 0) + 1; } };
        for (const el of document.querySelectorAll('.cf-turnstile')) {
          const input = document.createElement('input');
          input.type = 'hidden'; input.name = 'cf-turnstile-response'; input.value = ${JSON.stringify(DUMMY_TOKEN)};
          el.dataset.renderedFor = el.dataset.sitekey; el.append(input);
        }`,
    }),
  );
  await page.route(`${worker.url}/shop/en/privacy`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    headers['content-security-policy'] = headers['content-security-policy']
      .replace("script-src 'self'", "script-src 'self' https://challenges.cloudflare.com")
      .replace('frame-ancestors', 'frame-src https://challenges.cloudflare.com; frame-ancestors');
    const html = (await response.text()).replace('data-shop="demo-en"', 'data-shop="demo-en" data-turnstile-sitekey="1x00000000000000000000AA"');
    await route.fulfill({ response, headers, body: html });
  });
  await page.goto(`${worker.url}/shop/en/privacy`);
  await page.getByRole('button', { name: 'Reject all' }).click({ timeout: 5000 }).catch(() => {});
  await page.getByLabel('Your name', { exact: true }).waitFor();
  return page;
}

async function fillForm(page) {
  await page.getByRole('radio', { name: 'Access to my data', exact: true }).check();
  await page.getByLabel('Your name', { exact: true }).fill(PERSON.name);
  await page.getByLabel('Your e-mail address', { exact: true }).fill(PERSON.email);
  await page.getByLabel('I confirm that the information I have given is true.').check();
}

test('the form: the honeypot is out of sight, out of the accessibility tree and the tab order; the Turnstile token reaches siteverify', async () => {
  const page = await openTurnstileForm();
  const trap = page.locator('.pd-rf-hp');
  assert.equal(await trap.getAttribute('aria-hidden'), 'true');
  assert.equal(await trap.locator('input').getAttribute('tabindex'), '-1');
  const box = await trap.boundingBox();
  assert.ok(!box || box.x + box.width <= 0, `off-screen: ${JSON.stringify(box)}`);
  assert.equal(await page.getByRole('textbox', { name: 'Leave this field empty' }).count(), 0, 'not in the accessibility tree');
  assert.equal(await page.locator('.cf-turnstile').getAttribute('data-rendered-for'), '1x00000000000000000000AA');
  const seen = page.errors.length;
  assert.deepEqual(await axeViolations(page, '[data-privacy-request-form]'), []);
  page.errors.splice(seen);

  // Tabbing through the whole form never lands in the honeypot.
  await page.getByRole('radio', { name: 'Access to my data', exact: true }).focus();
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement?.name), 'website');
  }

  const calls = verifyCalls.length;
  await fillForm(page);
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByRole('heading', { name: 'Your request has been received' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(verifyCalls.slice(calls), [{ secret: ALWAYS_PASS, response: DUMMY_TOKEN }]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the form: a bot that fills the honeypot is refused with a message and nothing is stored', async () => {
  const before = (await storedRequests('demo-en')).length;
  const page = await openTurnstileForm();
  await fillForm(page);
  await page.locator('input[name="website"]').fill('https://cheap-pills.example', { force: true });
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.locator('.pd-rf-summary').getByText('automated submission').waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.__resets), 1, 'Turnstile was reset for a fresh token');
  assert.equal((await storedRequests('demo-en')).length, before);
  await page.close();
});

test('no personal data in the log', async () => {
  const logs = worker.logs();
  assert.ok(logs.length > 0);
  for (const secret of [PERSON.name, PERSON.email, PERSON.order, 'Zonnebloemstraat', 'Oosterhuis', 'voorbeeld-mail', '198.51.100.']) {
    assert.ok(!logs.includes(secret), `"${secret}" appears in the log`);
  }
});
