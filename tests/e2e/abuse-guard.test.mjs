// Abuse, part B of issue 13, written as the attacks that worked, each against a
// real `wrangler dev` with the rate limiter on: unlimited guessing, short owner
// secrets, sessions that outlive sign-out, owner data read by scripts on shop
// pages, and the smaller ones (enumeration through /verify, any token accepted
// after verification, form bodies read whole, CSV formulas, reserved names).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launchBrowser, startWorker } from './harness.mjs';
import { rightsApi } from './rights-api.mjs';
import { decodeMail, sentTo } from './mail.mjs';

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

const { newClient, requestBody, post, file } = rightsApi(() => worker, 'guard');

/**
 * A request as the browser sends a top-level navigation, with `cookie`. Over
 * node:http: Node's fetch always sends `Sec-Fetch-Mode: cors`, whatever it is told.
 */
function navigate(pathname, { cookie, method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${worker.url}${pathname}`, {
      method,
      headers: { cookie, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'same-origin', ...headers },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signIn(page, name = 'Olivia') {
  await page.goto(`${worker.url}/admin/login`);
  await page.getByLabel('Owner secret').fill(worker.adminToken);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin\/$/);
}

/**
 * POSTs a form body of 1 MiB, chunked, then holds the rest back: a server that
 * waits for the whole body never answers. The status, or null after 10 s.
 */
function hugeFormPost(target) {
  return new Promise((resolve) => {
    const req = http.request(`${target.url}/admin/login`, {
      method: 'POST',
      agent: false,
      headers: { origin: target.url, 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked', 'cf-connecting-ip': newClient() },
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
      req.destroy();
    });
    req.on('error', () => {});
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < 16 && req.write(chunk)) sent += 1;
      if (sent < 16) req.once('drain', pump);
    };
    req.write('token=');
    pump();
    setTimeout(() => {
      req.destroy();
      resolve(null);
    }, 10_000);
  });
}

// First in the file, and up to four more attempts, each on a Worker of its own,
// when an attempt gets no answer at all: the Worker answers 413 within
// milliseconds (its log says so), but wrangler dev's ProxyWorker now and then
// holds that early answer back, and then tends to for that Worker's later
// requests too (about 1 attempt in 5 here, JSON and form bodies alike).
// Production has no ProxyWorker. A Worker that waits for the whole body fails
// every attempt; so did 0c4b4f2 (a 500, or nothing, 4 runs of 4). Three attempts
// were not always enough on CI's machine (one run in six), hence five.
test('a huge form post is refused while it is still being sent', async () => {
  let refused = await hugeFormPost(worker);
  for (let retry = 0; retry < 4 && refused === null; retry += 1) {
    const fresh = await startWorker();
    try {
      refused = await hugeFormPost(fresh);
    } finally {
      await fresh.stop();
    }
  }
  assert.ok(refused !== null, 'no answer while the body was still coming');
  assert.equal(refused, 413);
});

test('guessing is limited: failed owner sign-ins and bearer tokens, /verify, the status page and API; IPv6 clients by /64', async () => {
  // 21 guesses for a limit of 10: the local limiter counts in windows aligned to
  // the clock's minutes, and 21 split over two windows still puts 11 in one.
  const statuses = [];
  for (let i = 0; i < 21; i += 1) {
    const response = await fetch(`${worker.url}/api/admin/requests?shop=demo-en`, {
      headers: { authorization: `Bearer guess-${i}`, 'cf-connecting-ip': `2001:db8:5:7::${i + 1}` },
    });
    statuses.push(response.status);
  }
  assert.ok(statuses.includes(429), `bearer guesses from one /64 are limited: ${statuses.join(',')}`);
  const other = await fetch(`${worker.url}/api/admin/requests?shop=demo-en`, {
    headers: { authorization: `Bearer ${worker.adminToken}`, 'cf-connecting-ip': '2001:db8:5:8::1' },
  });
  assert.equal(other.status, 200, 'the owner from another network is not locked out');

  for (const [pathname, init] of [
    ['/verify?ref=PR-2222-2222-2222&token=00', {}],
    ['/request-status?ref=PR-2222-2222-2222', {}],
    ['/api/requests/PR-2222-2222-2222/status', { method: 'POST', body: '{"email":"x@example.nl"}' }],
  ]) {
    const client = newClient();
    let limited = false;
    // Up to 121 for a limit of 60, for the same reason.
    for (let i = 0; i < 121 && !limited; i += 1) {
      const response = await fetch(`${worker.url}${pathname}`, {
        ...init,
        headers: { 'content-type': 'application/json', origin: worker.url, 'cf-connecting-ip': client },
      });
      limited = response.status === 429;
    }
    assert.ok(limited, `${pathname} is rate limited`);
  }
});

test('an ADMIN_TOKEN shorter than 32 characters is never accepted, and the owner page says why', async () => {
  const weak = await startWorker({ adminToken: 'short-but-real-secret' });
  try {
    const bearer = await fetch(`${weak.url}/api/admin/requests?shop=demo-en`, { headers: { authorization: 'Bearer short-but-real-secret' } });
    assert.equal(bearer.status, 401);
    const page = await browser.newPage();
    await page.goto(`${weak.url}/admin/login`);
    await page.getByLabel('Owner secret').fill('short-but-real-secret');
    await page.getByLabel('Your name').fill('Olivia');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(page.url(), /\/admin\/login/);
    await page.getByText(/at least 32 characters/).waitFor();
    await page.getByText(/wrangler secret put ADMIN_TOKEN/).waitFor();
    await page.close();
  } finally {
    await weak.stop();
  }
});

test('signing out ends the session everywhere: a copied cookie no longer opens anything', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  const cookie = (await context.cookies()).find((c) => c.name.includes('pd_owner') && !c.name.includes('lang'));
  assert.ok(cookie, 'signed in');
  const copied = `${cookie.name}=${cookie.value}`;
  const withCopy = (pathname, init = {}) => navigate(pathname, { ...init, cookie: copied });
  assert.equal((await withCopy('/admin/')).status, 200, 'the copy works while signed in');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/admin\/login$/);
  // The owner page redirects with 303 (See Other), as everywhere else.
  assert.equal((await withCopy('/admin/')).status, 303);
  assert.equal((await withCopy('/api/admin/export/requests.json')).status, 401);
  const filed = await file();
  const note = await withCopy(`/admin/requests/demo-en/${filed.reference}`, {
    method: 'POST',
    headers: { origin: worker.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=note&text=written+after+sign-out',
  });
  assert.ok([303, 401, 403].includes(note.status) && !(note.headers.get('location') ?? '').includes('done'), `note refused (${note.status})`);
  await context.close();
});

test("a script on a shop page cannot read the owner's data, even with the owner signed in", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await file({ email: `owner-data-${Date.now()}@example.nl` });
  await page.goto(`${worker.url}/shop/en/`);
  const stolen = await page.evaluate(async () => {
    const answers = {};
    for (const url of ['/api/admin/export/requests.json', '/api/admin/export/consent.csv', '/admin/']) {
      const response = await fetch(url, { credentials: 'include' });
      answers[url] = { status: response.status, text: await response.text() };
    }
    const popup = window.open('/admin/');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    try {
      answers.popup = popup && !popup.closed ? popup.document.body.innerText : null;
    } catch {
      answers.popup = null;
    }
    return answers;
  });
  for (const url of ['/api/admin/export/requests.json', '/api/admin/export/consent.csv', '/admin/']) {
    assert.ok(!stolen[url].text.includes('@example.nl'), `${url} gave no addresses`);
    assert.ok(stolen[url].status >= 400 || /login/i.test(stolen[url].text), `${url}: ${stolen[url].status}`);
  }
  assert.equal(stolen.popup, null, 'a window it opens on the owner page cannot be read');
  await context.close();
});

test('/verify answers the same whether or not the reference exists', async () => {
  const filed = await file();
  const real = await fetch(`${worker.url}/verify?ref=${filed.reference}&token=0000`);
  const unknown = await fetch(`${worker.url}/verify?ref=PR-2222-2222-2222&token=0000`);
  assert.equal(real.status, unknown.status);
  assert.equal((await real.text()).replaceAll(filed.reference, 'REF'), (await unknown.text()).replaceAll('PR-2222-2222-2222', 'REF'));
});

test('a verified request does not accept any token as proof', async () => {
  const filed = await file();
  const mail = await worker.waitForEmail((m) => sentTo(m.raw, filed.email) && m.raw.includes('/verify?'));
  const token = decodeMail(mail.raw).body.match(/token=([0-9a-f]+)/)[1];
  assert.equal((await post(`/api/requests/${filed.reference}/verify`, { token })).status, 200);
  const guessed = await post(`/api/requests/${filed.reference}/verify`, { token: '00'.repeat(24) });
  assert.equal(guessed.status, 404);
});

test('every consent.csv cell is defused, whichever column holds it', async () => {
  // A consent id may only hold A-Z a-z 0-9 - _ (protocol::validate), so the
  // formula in it starts with `-` rather than the `+` of the first draft.
  const consent = await post('/api/consent', {
    shop: 'demo-en', consent_id: '-2-3-cmd-calc-abcdef', policy_version: '=HYPERLINK("x")', choices: { analytics: true, marketing: false },
    source: 'banner', lang: 'en', gpc: false,
  });
  assert.equal(consent.status, 201, await consent.clone().text());
  const csv = await (await worker.admin('/api/admin/export/consent.csv?shop=demo-en')).text();
  const lines = csv.split(/\r?\n/).filter((l) => l.includes('cmd-calc'));
  assert.equal(lines.length, 1, csv);
  for (const line of lines) {
    for (const cell of line.split(',')) assert.ok(!/^"?[=+\-@\t\r]/.test(cell), `defused: ${cell}`);
  }
});

test('"system" is the automatic actor; nobody signs in as it', async () => {
  const page = await browser.newPage();
  await page.goto(`${worker.url}/admin/login`);
  await page.getByLabel('Owner secret').fill(worker.adminToken);
  await page.getByLabel('Your name').fill('System');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(page.url(), /\/admin\/login/);
  await page.getByText(/reserved/).waitFor();
  await page.close();
});
