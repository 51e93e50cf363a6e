// The owner's side end to end, in Chromium against a real `wrangler dev`: the
// requester's verification link; signing in (a wrong secret is refused, a POST from
// another origin too); the list with filters; a request's detail, history and
// actions (extend once with a recorded reason, refuse with the Autoriteit
// Persoonsgegevens named, complete, note) with the requester's mails; exports (JSON,
// injection-safe CSV, consent CSV); axe-core on list and detail in both languages;
// and scheduled runs at chosen times (miniflare's /cdn-cgi/local/scheduled?time=)
// proving reminders (once a day), expiry of unverified requests and the purge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startWorker, launchBrowser, axeViolations, calendar } from './harness.mjs';
import { decodeMail, sentTo, scheduledAt as scheduledAtTime } from './mail.mjs';

let worker;
let browser;
const DAY = 86_400_000;

before(async () => {
  // This file makes dozens of POSTs a minute from one client; the rate limiter has
  // its own tests (hardening), here it would only make the owner's test flaky.
  worker = await startWorker({ vars: { RATE_LIMIT: 'off' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

let counter = 0;
/** Files a rights request through the API, as the widget does. */
async function fileRequest({ shop = 'demo-en', lang = 'en', right = 'access', name = 'Anna de Vries', email, details } = {}) {
  counter += 1;
  const address = email ?? `requester${counter}-${Date.now()}@example.nl`;
  const response = await fetch(`${worker.url}/api/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({
      shop, right, name, email: address, confirm_true: true, lang,
      idempotency_key: `owner-test-key-${counter}-${Date.now()}`,
      ...(details ? { details } : {}),
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const accepted = await response.json();
  return { ...accepted, email: address };
}


/**
 * What the browser sends when the owner clicks a link or posts a form: requests
 * made here outside the page (Playwright's request API) say the same, since the
 * session cookie counts only on a top-level navigation.
 */
const NAVIGATION = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'same-origin' };

const mailTo = (address, extra = () => true) => (mail) => sentTo(mail.raw, address) && extra(decodeMail(mail.raw));

async function verificationLink(email) {
  const mail = await worker.waitForEmail(mailTo(email, ({ body }) => body.includes('/verify?')));
  const { body } = decodeMail(mail.raw);
  // The link carries the requester's language: the page looks nothing up.
  const link = body.match(/(http:\/\/\S+\/verify\?ref=[^&\s]+&token=[0-9a-f]+&lang=[a-z]+)/);
  assert.ok(link, body);
  return link[1];
}

async function verifyByApi(filed) {
  const link = new URL(await verificationLink(filed.email));
  const response = await fetch(`${worker.url}/api/requests/${filed.reference}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ token: link.searchParams.get('token') }),
  });
  assert.equal(response.status, 200, await response.clone().text());
}

async function signIn(page, { secret = worker.adminToken, name = 'Olivia', lang = 'en' } = {}) {
  await page.goto(`${worker.url}/admin/?lang=${lang}`);
  assert.match(page.url(), /\/admin\/login$/, 'signed out: the owner page sends to the login');
  await page.getByLabel(lang === 'nl' ? 'Beheergeheim' : 'Owner secret').fill(secret);
  await page.getByLabel(lang === 'nl' ? 'Uw naam' : 'Your name').fill(name);
  await page.getByRole('button', { name: lang === 'nl' ? 'Inloggen' : 'Sign in' }).click();
}

async function exportJson(shop) {
  const response = await worker.admin(`/api/admin/export/requests.json${shop ? `?shop=${shop}` : ''}`);
  assert.equal(response.status, 200);
  return response.json();
}

const scheduledAt = (ms) => scheduledAtTime(worker, ms);

test('the requester verifies their address with a single-use link; the privacy contact still gets the request', async () => {
  const filed = await fileRequest({ shop: 'demo-nl', lang: 'nl', right: 'erasure' });
  await worker.waitForEmail(mailTo('privacy@beugelhuis.example', ({ head }) => head.includes(filed.reference)));
  const verifyMail = await worker.waitForEmail(mailTo(filed.email));
  const { head, body } = decodeMail(verifyMail.raw);
  assert.match(head, /Subject: Bevestig uw e-mailadres/);
  assert.match(head, /Reply-To: <privacy@beugelhuis\.example>/);
  // The address is nobody's until verified: nothing the requester typed (issue 13).
  assert.match(body, /^Hallo,/);
  assert.ok(!body.includes('Anna de Vries'), body);
  const link = await verificationLink(filed.email);
  const token = new URL(link).searchParams.get('token');

  // Only a hash of the token is stored.
  const stored = (await exportJson('demo-nl')).requests.find((r) => r.reference === filed.reference);
  assert.equal(stored.case.email.verified_at, undefined);
  assert.ok(!JSON.stringify(stored).includes(token));

  const page = await browser.newPage();
  await page.goto(link);
  assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
  // Opening the link changes nothing (mail scanners open links); the button does.
  assert.equal((await exportJson('demo-nl')).requests.find((r) => r.reference === filed.reference).case.email.verified_at, undefined);
  await page.getByRole('button', { name: 'Mijn e-mailadres bevestigen' }).click();
  await page.getByText('Uw e-mailadres is bevestigd').waitFor();
  assert.deepEqual(await axeViolations(page), []);

  // Single use: the same link again is not valid any more; a wrong token neither.
  await page.goto(link);
  await page.getByRole('button', { name: 'Mijn e-mailadres bevestigen' }).click();
  await page.getByText('Uw e-mailadres was al bevestigd').waitFor();
  const wrong = await fetch(`${worker.url}/api/requests/${filed.reference}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ token: 'ff'.repeat(24) }),
  });
  assert.equal(wrong.status, 404, 'a verified address does not make every token right');
  const other = await fileRequest();
  const wrongOther = await fetch(`${worker.url}/api/requests/${other.reference}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ token }),
  });
  assert.equal(wrongOther.status, 404, "one request's token does not verify another");
  const after = (await exportJson('demo-nl')).requests.find((r) => r.reference === filed.reference);
  assert.ok(after.case.email.verified_at);
  assert.ok(after.history.some((e) => e.kind === 'email_verified' && e.actor === 'requester'));
  await page.close();
});

test('a wrong secret is refused; so are a login from another origin and unauthenticated exports', async () => {
  const page = await browser.newPage();
  await signIn(page, { secret: 'not-the-secret' });
  await page.getByRole('alert').filter({ hasText: 'That secret is not right' }).waitFor();
  const cookies = await page.context().cookies();
  assert.ok(!cookies.some((c) => c.name === 'pd_owner'), 'no session without the secret');
  await page.goto(`${worker.url}/admin/`);
  assert.match(page.url(), /\/admin\/login$/);
  await page.close();

  const crossSite = await fetch(`${worker.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    body: `token=${encodeURIComponent(worker.adminToken)}`,
  });
  assert.equal(crossSite.status, 403);
  assert.equal(crossSite.headers.get('set-cookie'), null);
  for (const path of ['/api/admin/export/requests.json', '/api/admin/export/requests.csv', '/api/admin/export/consent.csv']) {
    assert.equal((await fetch(`${worker.url}${path}`)).status, 401, path);
    const wrongBearer = await fetch(`${worker.url}${path}`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrongBearer.status, 401, path);
  }
  // As a browser's navigation (over node:http: Node's fetch always says `Sec-Fetch-Mode: cors`).
  const forged = await new Promise((resolve, reject) => {
    http.get(`${worker.url}/admin/`, { headers: { cookie: 'pd_owner=99999999999999.6f.0.00', ...NAVIGATION } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    }).on('error', reject);
  });
  assert.equal(forged.status, 303, 'a forged session cookie is not a session');
});

test('the owner signs in, filters, opens, extends, refuses, completes and exports', async () => {
  const access = await fileRequest({ shop: 'demo-en', right: 'access', details: '=HYPERLINK("http://evil.example","x")' });
  const erasure = await fileRequest({ shop: 'demo-nl', lang: 'nl', right: 'erasure', name: 'Jan Jansen' });
  const portability = await fileRequest({ shop: 'demo-en', right: 'portability' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await page.getByRole('heading', { name: 'Privacy requests', level: 1 }).waitFor();
  const session = (await context.cookies()).find((c) => c.name === 'pd_owner');
  assert.ok(session.httpOnly && session.sameSite === 'Strict', JSON.stringify(session));
  assert.ok(!session.value.includes(worker.adminToken));
  const response = await page.reload();
  assert.match(response.headers()['content-security-policy'], /default-src 'none'; style-src 'self'/);

  // Filters.
  await page.getByLabel('Shop').selectOption('demo-nl');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/shop=demo-nl/);
  const nlRows = page.locator('tbody tr');
  assert.ok(await page.getByRole('link', { name: erasure.reference }).isVisible());
  assert.equal(await page.getByRole('link', { name: access.reference }).count(), 0);
  for (const text of await nlRows.allInnerTexts()) assert.match(text, /Beugelhuis/);
  await page.getByLabel('Shop').selectOption('');
  await page.getByLabel('Type').selectOption('portability');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/type=portability/);
  assert.ok(await page.getByRole('link', { name: portability.reference }).isVisible());
  assert.equal(await page.getByRole('link', { name: access.reference }).count(), 0);
  await page.getByLabel('Type').selectOption('');
  await page.getByLabel('Overdue only').check();
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/overdue=1/);
  assert.equal(await page.getByRole('link', { name: access.reference }).count(), 0, 'nothing is overdue yet');
  await page.goto(`${worker.url}/admin/`);
  assert.deepEqual(await axeViolations(page), [], 'list (EN)');
  await page.getByRole('link', { name: 'Nederlands' }).click();
  await page.getByRole('heading', { name: 'Privacyverzoeken', level: 1 }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'list (NL)');
  await page.getByRole('link', { name: 'English' }).click();

  // Open a request: its details and history.
  await page.getByRole('link', { name: access.reference }).click();
  await page.getByRole('heading', { name: `Request ${access.reference}` }).waitFor();
  const details = await page.locator('.details').innerText();
  assert.match(details, /Anna de Vries/);
  assert.match(details, new RegExp(access.email.replace(/[.]/g, '\\.')));
  assert.match(await page.locator('.history').innerText(), /Request received/);
  assert.deepEqual(await axeViolations(page), [], 'detail (EN)');

  // Keyboard only: focus the note, type, Tab to its button, Enter. Focus is visible.
  await page.locator('#note-text').focus();
  await page.keyboard.type('Called the customer back.');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return { tag: document.activeElement.tagName, outline: style.outlineStyle, width: style.outlineWidth };
  });
  assert.equal(outline.tag, 'BUTTON');
  assert.notEqual(outline.outline, 'none', 'the focused button shows where focus is');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor();
  assert.match(await page.locator('.history').innerText(), /Olivia · Note\s+Called the customer back\./);

  // Extend once by two months; the reason is required, recorded and mailed.
  const extend = page.locator('section.action', { has: page.getByRole('heading', { name: 'Extend the deadline' }) });
  await extend.getByLabel('by two months').check();
  await extend.getByLabel(/^Reason/).fill('Your request covers twelve orders in three systems.');
  await extend.getByRole('button', { name: 'Extend deadline' }).click();
  await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor();
  const due = calendar('add-months', access.due_date, 2);
  const history = await page.locator('.history').innerText();
  assert.match(history, /Olivia · Deadline extended/);
  assert.match(history, /twelve orders in three systems/);
  assert.equal(await page.getByRole('heading', { name: 'Extend the deadline' }).count(), 0, 'only one extension');
  const extendMail = await worker.waitForEmail(mailTo(access.email, ({ body }) => body.includes('more time')));
  const extendBody = decodeMail(extendMail.raw).body;
  assert.match(extendBody, /twelve orders in three systems/);
  assert.match(extendBody, /12\(3\)/);
  const record = (await exportJson('demo-en')).requests.find((r) => r.reference === access.reference);
  assert.equal(record.due_date, due);
  assert.equal(record.case.original_due_date, access.due_date);
  // A second extension is refused by the edge too, not only hidden.
  const again = await page.request.post(`${worker.url}/admin/requests/demo-en/${access.reference}`, {
    form: { action: 'extend', months: '1', text: 'again' },
    headers: { origin: worker.url, ...NAVIGATION },
  });
  assert.equal(again.status(), 422);
  assert.match(await again.text(), /already extended once/);

  // Refuse (Dutch requester): reason required, mail names the Autoriteit Persoonsgegevens.
  await page.goto(`${worker.url}/admin/requests/demo-nl/${erasure.reference}?lang=nl`);
  assert.deepEqual(await axeViolations(page), [], 'detail (NL)');
  const refuseNoReason = await page.request.post(`${worker.url}/admin/requests/demo-nl/${erasure.reference}`, {
    form: { action: 'refuse', text: ' ' },
    headers: { origin: worker.url, ...NAVIGATION },
  });
  assert.equal(refuseNoReason.status(), 422);
  const refuse = page.locator('section.action', { has: page.getByRole('heading', { name: 'Weigeren' }) });
  await refuse.getByLabel(/^Reden/).fill('Wij hebben geen gegevens van u.');
  await refuse.getByRole('button', { name: 'Verzoek weigeren' }).click();
  await page.getByRole('status').filter({ hasText: 'Gedaan.' }).waitFor();
  const refusal = decodeMail((await worker.waitForEmail(mailTo(erasure.email, ({ body }) => body.includes('niet inwilligen')))).raw);
  assert.match(refusal.body, /Autoriteit Persoonsgegevens/);
  assert.match(refusal.body, /Wij hebben geen gegevens van u\./);
  assert.match(refusal.head, /Subject: Uw privacyverzoek .*: ons besluit/);

  // Complete, with a message.
  await page.goto(`${worker.url}/admin/requests/demo-en/${portability.reference}?lang=en`);
  const complete = page.locator('section.action', { has: page.getByRole('heading', { name: 'Complete' }) });
  await complete.getByLabel(/^Message to the requester/).fill('Your data is attached to our e-mail of today.');
  await complete.getByRole('button', { name: 'Mark completed' }).click();
  await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor();
  assert.match(await page.locator('.details').innerText(), /Completed/);
  await worker.waitForEmail(mailTo(portability.email, ({ body }) => body.includes('attached to our e-mail')));

  // Cross-site action: refused, nothing recorded.
  const forged = await fetch(`${worker.url}/admin/requests/demo-en/${access.reference}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: `pd_owner=${session.value}` },
    body: 'action=note&text=forged',
  });
  assert.equal(forged.status, 403);

  // Exports: JSON with history, CSV defused, consent CSV; from the page and with the bearer token.
  await page.goto(`${worker.url}/admin/`);
  const jsonHref = await page.getByRole('link', { name: 'Requests (JSON)' }).getAttribute('href');
  const json = await (await page.request.get(`${worker.url}${jsonHref}`, { headers: NAVIGATION })).json();
  const exported = json.requests.find((r) => r.reference === access.reference);
  assert.ok(exported.history.some((e) => e.kind === 'extended' && e.actor === 'Olivia' && /twelve orders/.test(e.text)));
  assert.ok(exported.history.some((e) => e.kind === 'requester_notified'));
  const csvHref = await page.getByRole('link', { name: 'Requests (CSV)' }).getAttribute('href');
  const csvResponse = await page.request.get(`${worker.url}${csvHref}`, { headers: NAVIGATION });
  assert.match(csvResponse.headers()['content-type'], /text\/csv/);
  assert.match(csvResponse.headers()['content-disposition'], /attachment/);
  const csv = await csvResponse.text();
  assert.match(csv.split('\r\n')[0], /^reference,shop,type,status,/);
  assert.ok(csv.includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`), 'formula defused');
  assert.ok(!/(^|,)"?=/m.test(csv), 'no cell starts with =');
  await fetch(`${worker.url}/api/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ shop: 'demo-en', consent_id: 'Zx8fP2kLq9Wm4Tr7', policy_version: '2026-11-01', choices: { analytics: true, marketing: false }, source: 'banner', lang: 'en', gpc: false }),
  });
  const consentCsv = await (await worker.admin('/api/admin/export/consent.csv?shop=demo-en')).text();
  assert.match(consentCsv, /^record_id,recorded_at,shop,consent_id,/);
  assert.match(consentCsv, /Zx8fP2kLq9Wm4Tr7,2026-11-01,granted,denied,banner,en,no/);

  // Sign out ends the session.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/admin\/login$/);
  await page.goto(`${worker.url}/admin/`);
  assert.match(page.url(), /\/admin\/login$/);
  await context.close();
});

test('scheduled runs at chosen times: reminders once a day, unverified requests expire, closed ones are purged', async () => {
  const now = Date.now();
  const open = await fileRequest({ shop: 'demo-en', right: 'objection', details: 'I object to newsletters.' });
  await verifyByApi(open);
  const unverified = await fileRequest({ shop: 'demo-nl', lang: 'nl', right: 'access', name: 'Piet Puk' });
  const closed = await fileRequest({ shop: 'demo-en', right: 'rectification', name: 'Carla Closed', details: 'New address: Kerkstraat 1' });
  await verifyByApi(closed);
  // Complete it as the owner.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${worker.url}/admin/requests/demo-en/${closed.reference}`);
  await page.getByRole('button', { name: 'Mark completed' }).click();
  await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor();
  await context.close();

  const reminders = async (contact) =>
    (await worker.emails()).filter((m) => sentTo(m.raw, contact) && /Subject: (Privacy requests to answer|Privacyverzoeken te beantwoorden)/.test(m.raw));
  const remindersBefore = (await reminders('privacy@mountandco.example')).length;

  // Day 14: the unverified request is closed as expired.
  assert.equal((await scheduledAt(now + 14 * DAY + 3_600_000)).status, 200);
  let nl = await exportJson('demo-nl');
  const expired = nl.requests.find((r) => r.reference === unverified.reference);
  assert.equal(expired.status, 'expired');
  assert.ok(expired.history.some((e) => e.kind === 'expired' && e.actor === 'system'));
  const openRecord = (await exportJson('demo-en')).requests.find((r) => r.reference === open.reference);
  assert.equal(openRecord.status, 'received', 'a verified request does not expire');

  // Day 25 (due in 5 days): one reminder to the privacy contact; a second run that day sends none.
  const dueSoonAt = new Date(`${open.due_date}T08:00:00Z`).getTime() - 5 * DAY;
  assert.equal((await scheduledAt(dueSoonAt)).status, 200);
  const first = await worker.waitForEmail((m) => sentTo(m.raw, 'privacy@mountandco.example') && decodeMail(m.raw).body.includes(open.reference) && /Subject: Privacy requests to answer/.test(m.raw));
  const firstBody = decodeMail(first.raw).body;
  assert.match(firstBody, new RegExp(`${open.reference}: Objection to processing \\(due `));
  assert.ok(!firstBody.includes('newsletters') && !firstBody.includes('@example.nl'), 'no personal data in the reminder');
  assert.equal((await scheduledAt(dueSoonAt + 3 * 3_600_000)).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal((await reminders('privacy@mountandco.example')).length, remindersBefore + 1, 'at most one reminder a day');

  // Past the due date: an overdue reminder.
  assert.equal((await scheduledAt(dueSoonAt + 6 * DAY)).status, 200);
  const overdue = await worker.waitForEmail((m) => sentTo(m.raw, 'privacy@mountandco.example') && decodeMail(m.raw).body.includes(`${open.reference}: Objection to processing (OVERDUE since`));
  assert.ok(overdue);

  // Two years and a day after closing (the expired one closed on day 14): personal
  // data gone, an anonymised record stays.
  assert.equal((await scheduledAt(now + 746 * DAY)).status, 200);
  const en = await exportJson('demo-en');
  assert.equal(en.requests.find((r) => r.reference === closed.reference), undefined, 'closed request purged');
  assert.ok(en.requests.find((r) => r.reference === open.reference), 'open requests are never purged');
  const anonymised = en.anonymised.filter((a) => a.right === 'rectification' && a.outcome === 'completed');
  assert.equal(anonymised.length, 1, JSON.stringify(en.anonymised));
  assert.equal(anonymised[0].received, new Date(now).toISOString().slice(0, 10));
  assert.equal(anonymised[0].email_verified, true);
  const text = JSON.stringify(en);
  for (const personal of ['Carla Closed', 'Kerkstraat', closed.email, closed.reference]) {
    assert.ok(!text.includes(personal), `${personal} is gone`);
  }
  nl = await exportJson('demo-nl');
  assert.equal(nl.requests.find((r) => r.reference === unverified.reference), undefined, 'expired request purged too');
  assert.ok(nl.anonymised.some((a) => a.outcome === 'expired' && a.email_verified === false));
  assert.ok(!JSON.stringify(nl).includes('Piet Puk'));
  // The detail page of a purged request is gone.
  const gone = await worker.admin(`/api/admin/export/requests.csv?shop=demo-en`);
  assert.ok(!(await gone.text()).includes(closed.reference));
});
