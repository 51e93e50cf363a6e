// Correctness found by reading the code, each written as the request that showed it:
// e-mail addresses in URLs, the Allow header, Accept-Language q-values, cookies on
// the requester's pages, addresses the product cannot mail, the verification
// mail's expiry, and RFC 2047 headers for a shop whose name is long and not ASCII.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { calendar, configuredShops, startWorker } from './harness.mjs';
import { decodeHeader, decodeMail, rawHeader, scheduledAt, sentTo } from './mail.mjs';

const DAY = 86_400_000;
const LONG_NAME = 'Beugelhuis · Ærø Støtter & Zonen, wandbeugels en tv-meubels';
let worker;

before(async () => {
  const shops = configuredShops();
  shops.find((s) => s.id === 'demo-nl').name = LONG_NAME;
  worker = await startWorker({ vars: { RATE_LIMIT: 'off', SHOPS: JSON.stringify(shops) } });
});

after(async () => {
  await worker?.stop();
});

let serial = 0;
function requestBody(overrides = {}) {
  serial += 1;
  return {
    shop: 'demo-en', right: 'access', name: 'Anna de Vries', email: `correct-${serial}-${Date.now()}@example.nl`,
    confirm_true: true, lang: 'en', idempotency_key: `correctness-${serial}-${Date.now()}`, ...overrides,
  };
}

function post(pathname, body, headers = {}) {
  return fetch(`${worker.url}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function file(overrides) {
  const body = requestBody(overrides);
  const response = await post('/api/requests', body);
  assert.equal(response.status, 201, await response.clone().text());
  return { ...(await response.json()), email: body.email };
}

test('no e-mail address in any URL: the status API and the owner look-up take it in a POST body', async () => {
  const filed = await file();
  for (const url of [
    `/api/requests/${filed.reference}/status?email=${encodeURIComponent(filed.email)}`,
    `/api/admin/requests?shop=demo-en&email=${encodeURIComponent(filed.email)}`,
  ]) {
    const response = await worker.admin(url, { headers: { 'accept-language': 'nl' } });
    assert.equal(response.status, 400, url);
    const { error } = await response.json();
    assert.equal(error.code, 'email_in_url');
    assert.match(error.message, /e-mailadres mag niet in een webadres/);
  }
  const status = (email, reference = filed.reference) => post(`/api/requests/${reference}/status`, { email });
  const found = await status(filed.email.toUpperCase());
  assert.equal(found.status, 200);
  assert.equal((await found.json()).reference, filed.reference);
  // A wrong address and an unknown reference get the very same answer.
  const wrong = await status('someone-else@example.nl');
  const unknown = await status(filed.email, 'PR-2222-2222-2222');
  assert.equal(wrong.status, 404);
  assert.equal(unknown.status, 404);
  assert.equal(await wrong.text(), await unknown.text());

  const byEmail = await worker.admin('/api/admin/requests/by-email', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shop: 'demo-en', email: filed.email }),
  });
  assert.equal(byEmail.status, 200);
  assert.deepEqual((await byEmail.json()).map((r) => r.reference), [filed.reference]);
  const anonymous = await post('/api/admin/requests/by-email', { shop: 'demo-en', email: filed.email });
  assert.equal(anonymous.status, 401);
});

test('405 names the methods of the route that was asked', async () => {
  for (const [method, pathname, allow] of [
    ['DELETE', '/api/consent', 'POST, OPTIONS'],
    ['GET', '/api/requests', 'POST, OPTIONS'],
    ['GET', '/api/requests/PR-2222-2222-2222/status', 'POST, OPTIONS'],
    ['POST', '/api/shops/demo-en/config', 'GET, HEAD, OPTIONS'],
    ['GET', '/api/requests/PR-2222-2222-2222/verify', 'POST'],
    ['PUT', '/admin/login', 'GET, HEAD, POST'],
  ]) {
    const response = await fetch(`${worker.url}${pathname}`, {
      method,
      headers: { origin: worker.url, 'content-type': 'application/json', authorization: `Bearer ${worker.adminToken}` },
      body: method === 'GET' ? undefined : '{}',
    });
    assert.equal(response.status, 405, `${method} ${pathname}`);
    assert.equal(response.headers.get('allow'), allow, `${method} ${pathname}`);
    if (pathname.startsWith('/api/')) {
      assert.equal((await response.json()).error.code, 'method_not_allowed');
    } else {
      // A page answers as a page, in the visitor's language, with the same code.
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await response.text(), /method_not_allowed|niet toegestaan|not allowed/);
    }
  }
});

test('Accept-Language honours q-values: nl;q=0 is not Dutch', async () => {
  const message = async (acceptLanguage) => {
    const response = await post('/api/requests', '{"shop":', { 'accept-language': acceptLanguage });
    assert.equal(response.status, 400);
    return (await response.json()).error.message;
  };
  assert.equal(await message('nl;q=0, en'), 'The request is not valid JSON.');
  assert.equal(await message('en;q=0.4, nl;q=0.9'), 'Het verzoek is geen geldige JSON.');
  assert.equal(await message('nl-NL'), 'Het verzoek is geen geldige JSON.');
});

test("the requester's pages set no cookie, whatever their language", async () => {
  for (const pathname of ['/verify?ref=PR-2222-2222-2222&token=00&lang=nl', '/request-status?ref=PR-2222-2222-2222&lang=nl']) {
    const response = await fetch(`${worker.url}${pathname}`);
    assert.ok([200, 404].includes(response.status), `${pathname}: ${response.status}`);
    assert.equal(response.headers.get('set-cookie'), null, pathname);
    assert.match(await response.text(), /<html lang="nl"/, pathname);
  }
  // The owner's login page still remembers the owner's choice.
  const login = await fetch(`${worker.url}/admin/login?lang=nl`);
  assert.match(login.headers.get('set-cookie') ?? '', /pd_owner_lang=nl/);
});

test('addresses: an internationalised domain is mailed in its ASCII form; a local part the mail services cannot take is refused in the visitor’s language', async () => {
  const filed = await file({ email: 'anna.idn@bücher.example' });
  const mail = await worker.waitForEmail((m) => sentTo(m.raw, 'privacy@mountandco.example') && rawHeader(m.raw, 'X-Privacy-Desk-Reference') === filed.reference);
  assert.equal(rawHeader(mail.raw, 'Reply-To'), '<anna.idn@xn--bcher-kva.example>');
  await worker.waitForEmail((m) => sentTo(m.raw, 'anna.idn@xn--bcher-kva.example'));
  // Found again however it is typed.
  const found = await post(`/api/requests/${filed.reference}/status`, { email: 'Anna.IDN@BÜCHER.example' });
  assert.equal(found.status, 200);

  const before = (await (await worker.admin('/api/admin/requests?shop=demo-nl')).json()).length;
  const refused = await post('/api/requests', requestBody({ shop: 'demo-nl', lang: 'nl', email: 'jürgen@bücher.example' }));
  assert.equal(refused.status, 400);
  const { error } = await refused.json();
  assert.equal(error.code, 'invalid_field');
  assert.equal(error.field, 'email');
  assert.match(error.message, /kunnen niet mailen naar een adres met letters met accenten/);
  assert.equal((await (await worker.admin('/api/admin/requests?shop=demo-nl')).json()).length, before, 'nothing stored');
});

test('the verification mail says to the minute until when its link works', async () => {
  const filed = await file({ shop: 'demo-nl', lang: 'nl' });
  const mail = await worker.waitForEmail((m) => sentTo(m.raw, filed.email));
  const { body } = decodeMail(mail.raw);
  const exported = await (await worker.admin('/api/admin/export/requests.json?shop=demo-nl')).json();
  const expires = exported.requests.find((r) => r.reference === filed.reference).case.email.expires_at;
  const [date, time] = [expires.slice(0, 10), expires.slice(11, 16)];
  const [y, m, d] = date.split('-').map(Number);
  const months = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
  assert.ok(body.includes(`De link werkt één keer, tot ${d} ${months[m - 1]} ${y}, ${time} uur UTC.`), body);
  assert.equal(date, calendar('add-days', exported.requests.find((r) => r.reference === filed.reference).received_at.slice(0, 10), 7));
});

test('RFC 2047: a long shop name that is not ASCII travels in encoded words of at most 75 characters, on folded lines', async () => {
  const filed = await file({ shop: 'demo-nl', lang: 'nl', right: 'erasure' });
  const link = decodeMail((await worker.waitForEmail((m) => sentTo(m.raw, filed.email) && m.raw.includes('/verify?'))).raw).body.match(/\/verify\?ref=[^&\s]+&token=([0-9a-f]+)/);
  const verified = await post(`/api/requests/${filed.reference}/verify`, { token: link[1] });
  assert.equal(verified.status, 200);
  // Five days before the due date the privacy contact gets the daily reminder,
  // whose subject names the shop.
  const dueSoon = Date.parse(`${filed.due_date}T08:00:00Z`) - 5 * DAY;
  assert.equal((await scheduledAt(worker, dueSoon)).status, 200);
  const reminder = await worker.waitForEmail((m) => sentTo(m.raw, 'privacy@beugelhuis.example') && decodeMail(m.raw).body.startsWith('Deze privacyverzoeken') && decodeMail(m.raw).body.includes(filed.reference));
  const head = reminder.raw.split(/\r\n\r\n/)[0];
  for (const line of head.split('\r\n')) assert.ok(line.length <= 78, `header line of ${line.length}: ${line}`);
  for (const word of head.match(/=\?[^?]+\?[BQ]\?[^?]*\?=/g) ?? []) assert.ok(word.length <= 75, word);
  const subject = decodeHeader(rawHeader(reminder.raw, 'Subject'));
  assert.equal(subject, `Privacyverzoeken te beantwoorden: 1 (0 te laat) bij ${LONG_NAME}`);
});
