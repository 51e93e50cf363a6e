// The rights-request form end to end, on both demo shops: a visitor fills the form
// on the privacy page and submits it; the request is in KV and the privacy contact's
// .eml has the right headers and body; inline validation speaks Dutch on the Dutch
// shop; a 4xx from the edge lands at its field with the visitor's input kept; a
// network failure offers "Try again", and retrying never files a second request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, axeViolations, calendar } from './harness.mjs';

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

const SHOPS = {
  en: {
    id: 'demo-en',
    contact: 'privacy@mountandco.example',
    words: {
      name: 'Your name',
      email: 'Your e-mail address',
      order: /^Order number/,
      details: /^Details/,
      confirm: 'I confirm that the information I have given is true.',
      submit: 'Send request',
      success: 'Your request has been received',
      reference: /Your reference is ([A-Z0-9-]+)\./,
      answerBy: 'We will answer by',
      reject: 'Reject all',
    },
  },
  nl: {
    id: 'demo-nl',
    contact: 'privacy@beugelhuis.example',
    words: {
      name: 'Uw naam',
      email: 'Uw e-mailadres',
      order: /^Ordernummer/,
      details: /^Toelichting/,
      confirm: 'Ik bevestig dat de gegevens die ik heb ingevuld kloppen.',
      submit: 'Verzoek versturen',
      success: 'Uw verzoek is ontvangen',
      reference: /Uw referentienummer is ([A-Z0-9-]+)\./,
      answerBy: 'Wij antwoorden uiterlijk op',
      reject: 'Alles weigeren',
    },
  },
};

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
};

/** `2026-12-24` as the visitor should read it: "24 December 2026" / "24 december 2026". */
function longDate(iso, lang) {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day} ${MONTHS[lang][month - 1]} ${year}`;
}

/** Opens a shop's privacy page with the banner answered and the form rendered. */
async function openForm(lang) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The shops serve a strict CSP (no inline styles or scripts): the form must not trip it.
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) errors.push(message.text());
  });
  page.errors = errors;
  const response = await page.goto(`${worker.url}/shop/${lang}/privacy`);
  assert.match(response.headers()['content-security-policy'] ?? '', /style-src 'self'/);
  // Answer the consent banner so it covers nothing; the form does not depend on it.
  const reject = page.getByRole('button', { name: SHOPS[lang].words.reject });
  await reject.click({ timeout: 5000 }).catch(() => {});
  await page.getByLabel(SHOPS[lang].words.name, { exact: true }).waitFor();
  return page;
}

/**
 * axe-core's violations inside the form. The harness injects axe as an inline
 * script first, which the shop's CSP reports; that report is the test's, not the
 * page's, so it is dropped.
 */
async function formViolations(page) {
  const seen = page.errors.length;
  const violations = await axeViolations(page, '[data-privacy-request-form]');
  page.errors.splice(seen);
  return violations;
}

/** Fills every field; `right` is the radio's label (`Right::label`). */
async function fill(page, lang, { right, name, email, order, details, confirm = true }) {
  const w = SHOPS[lang].words;
  if (right) await page.getByRole('radio', { name: right, exact: true }).check();
  if (name !== undefined) await page.getByLabel(w.name, { exact: true }).fill(name);
  if (email !== undefined) await page.getByLabel(w.email, { exact: true }).fill(email);
  if (order !== undefined) await page.getByLabel(w.order).fill(order);
  if (details !== undefined) await page.getByLabel(w.details).fill(details);
  if (confirm) await page.getByLabel(w.confirm).check();
}

async function submit(page, lang) {
  await page.getByRole('button', { name: SHOPS[lang].words.submit }).click();
}

/** Waits for the success message; returns the reference it shows. */
async function successReference(page, lang) {
  const w = SHOPS[lang].words;
  // The privacy pages introduce the form with an <h3>: the form's headings nest under it.
  await page.getByRole('heading', { name: w.success, level: 4 }).waitFor({ timeout: 15_000 });
  const panel = page.locator('.pd-rf-success');
  const text = await panel.innerText();
  const match = text.match(w.reference);
  assert.ok(match, `the success message shows the reference: ${text}`);
  const focused = await page.evaluate(() => document.activeElement?.classList.contains('pd-rf-success'));
  assert.ok(focused, 'focus moves to the success message');
  return { reference: match[1], text };
}

/** The requests of a shop as the owner route lists them. */
async function storedRequests(shop) {
  const response = await worker.admin(`/api/admin/requests?shop=${shop}`);
  assert.equal(response.status, 200);
  const body = await response.json();
  const items = Array.isArray(body) ? body : body.requests ?? body.items ?? [];
  return items.map((item) => item.record ?? item.request ?? item);
}

async function storedRequest(shop, reference) {
  const found = (await storedRequests(shop)).find((r) => r.reference === reference);
  assert.ok(found, `request ${reference} is in KV`);
  return found;
}

/** Headers (unfolded, RFC 2047 words decoded) and the quoted-printable body of a raw mail. */
function parseMail(raw) {
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  let body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) body = decodeQuotedPrintable(body);
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

function decodeWords(value) {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind, text) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

for (const [lang, shop, input] of [
  [
    'en',
    SHOPS.en,
    {
      right: 'Erasure of my data',
      name: 'Emma Walsh',
      email: 'emma.walsh@example.com',
      order: 'MC-1042',
      details: 'Please delete my account and order history.\nKeep only what the tax office requires.',
      rightCode: 'erasure',
    },
  ],
  [
    'nl',
    SHOPS.nl,
    {
      right: 'Correctie van mijn gegevens',
      name: 'Jürgen de Vries',
      email: 'jurgen@voorbeeld.nl',
      order: '',
      details: 'Mijn adres klopt niet.\nNieuw: Dorpsstraat 1, 1234 AB Ëxloo',
      rightCode: 'rectification',
    },
  ],
]) {
  test(`${lang}: the form files a request, stored in KV and mailed to the privacy contact`, async () => {
    const page = await openForm(lang);
    await fill(page, lang, input);
    await submit(page, lang);
    const { reference, text } = await successReference(page, lang);

    // KV holds the request as typed, with its due date.
    const stored = await storedRequest(shop.id, reference);
    assert.equal(stored.shop, shop.id);
    assert.equal(stored.right, input.rightCode);
    assert.equal(stored.name, input.name);
    assert.equal(stored.email, input.email);
    assert.equal(stored.order_number ?? '', input.order);
    assert.equal(stored.details, input.details);
    assert.equal(stored.lang, lang);
    assert.equal(stored.status, 'received');
    assert.equal(stored.confirm_true, true);
    const received = (stored.received_at ?? new Date().toISOString()).slice(0, 10);
    assert.equal(stored.due_date, calendar('due', received, 30), 'due in 30 days or one month, whichever is earlier');

    // The visitor sees that date in their language, and what happens next.
    assert.ok(text.includes(`${shop.words.answerBy} ${longDate(stored.due_date, lang)}`), text);
    assert.match(text, lang === 'en' ? /only send your data to the e-mail address we know/ : /alleen naar het e-mailadres dat bij ons bekend is/);
    assert.deepEqual(await formViolations(page), []);

    // A bookmarkable link to the status page, with the reference but never the e-mail.
    const statusLink = page.getByRole('link', { name: lang === 'en' ? /Check the status of your request/ : /Bekijk de status van uw verzoek/ });
    const href = await statusLink.getAttribute('href');
    assert.equal(href, `${worker.url}/request-status?ref=${reference}&lang=${lang}`);
    assert.ok(!href.includes(encodeURIComponent(input.email)) && !href.includes(input.email));

    // The privacy contact's mail: fixed From, the contact in To, the requester in
    // Reply-To, type and reference in the subject, the request in the body.
    // (The requester gets a verification mail about the same reference: pick the contact's.)
    const mail = await worker.waitForEmail((m) => m.raw.includes(reference) && new RegExp(`^To: .*${shop.contact.replace(/\./g, '\\.')}`, 'im').test(m.raw));
    const { headers, body } = parseMail(mail.raw);
    assert.match(headers.to, new RegExp(shop.contact.replace(/\./g, '\\.')));
    assert.match(headers['reply-to'], new RegExp(input.email.replace(/\./g, '\\.')));
    assert.match(headers.from, /privacy-desk@privacy-desk\.example/);
    assert.ok(headers.subject.includes(reference), headers.subject);
    assert.ok(headers.subject.includes(input.right), headers.subject);
    for (const part of [reference, input.name, input.email, ...input.details.split('\n'), input.order]) {
      assert.ok(body.includes(part), `the mail body has ${JSON.stringify(part)}:\n${body}`);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('nl: inline validation and the error summary speak Dutch; nothing is stored', async () => {
  const before = (await storedRequests('demo-nl')).length;
  const page = await openForm('nl');
  const w = SHOPS.nl.words;

  // An empty submit: a summary with a link per problem, focused and announced.
  await submit(page, 'nl');
  const summary = page.getByRole('alert').filter({ hasText: 'Er is een probleem' });
  await summary.waitFor();
  const links = await summary.getByRole('link').allInnerTexts();
  assert.deepEqual(links, [
    'Kies welk recht u wilt uitoefenen.',
    'Vul uw naam in.',
    'Vul uw e-mailadres in.',
    'Bevestig dat de gegevens die u heeft ingevuld kloppen.',
  ]);
  assert.ok(await summary.evaluate((el) => el === document.activeElement), 'focus moves to the summary');

  // Each problem is also at its field, tied to the control.
  const name = page.getByLabel(w.name, { exact: true });
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  const described = await name.evaluate((el) =>
    el.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id).textContent),
  );
  assert.ok(described.includes('Vul uw naam in.'), described.join(' | '));
  assert.deepEqual(await formViolations(page), []);

  // A summary link takes the visitor to the field.
  await summary.getByRole('link', { name: 'Vul uw naam in.' }).click();
  assert.ok(await name.evaluate((el) => el === document.activeElement), 'the link focuses the field');

  // Leaving a field with a bad value explains it there, in Dutch.
  const email = page.getByLabel(w.email, { exact: true });
  await email.fill('anna@voorbeeld');
  await email.blur();
  const emailError = page.locator('#' + (await email.evaluate((el) => el.id)) + '-error');
  assert.equal(await emailError.innerText(), 'Vul een e-mailadres in zoals naam@voorbeeld.nl.');
  await email.fill('anna@voorbeeld.nl');
  await email.blur();
  assert.equal(await email.getAttribute('aria-invalid'), null, 'a fixed field is no longer invalid');
  assert.ok(!(await emailError.isVisible()));

  // Rectification needs details.
  await fill(page, 'nl', { right: 'Correctie van mijn gegevens', name: 'Anna de Vries' });
  await submit(page, 'nl');
  await summary.getByRole('link', { name: 'Beschrijf wat er gecorrigeerd moet worden of waartegen u bezwaar maakt.' }).waitFor();
  assert.equal(await page.getByLabel(w.details).getAttribute('aria-invalid'), 'true');

  assert.equal((await storedRequests('demo-nl')).length, before, 'a refused form stores nothing');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("en: the edge's refusal is shown at its field and what was typed is kept", async () => {
  const page = await openForm('en');
  await page.route('**/api/requests', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_field', message: 'We cannot deliver mail to this address.', field: 'email' } }),
    }),
  );
  await fill(page, 'en', { right: 'Access to my data', name: 'Emma Walsh', email: 'emma@example.com', details: 'All of it.' });
  await submit(page, 'en');
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.getByRole('link', { name: 'We cannot deliver mail to this address.' }).waitFor();
  const email = page.getByLabel(SHOPS.en.words.email, { exact: true });
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.equal(await email.inputValue(), 'emma@example.com');
  assert.equal(await page.getByLabel(SHOPS.en.words.name, { exact: true }).inputValue(), 'Emma Walsh');
  assert.equal(await page.getByLabel(SHOPS.en.words.details).inputValue(), 'All of it.');
  await page.close();
});

/**
 * Submits with the first POST failing as `failFirst` decides, then presses
 * "Try again"; returns the reference and the bodies the browser sent.
 */
async function submitThroughFailure(lang, input, failFirst) {
  const page = await openForm(lang);
  const bodies = [];
  await page.route('**/api/requests', async (route) => {
    bodies.push(JSON.parse(route.request().postData()));
    if (bodies.length === 1) await failFirst(route);
    else await route.continue();
  });
  await fill(page, lang, input);
  await submit(page, lang);
  const retry = page.getByRole('button', { name: lang === 'en' ? 'Try again' : 'Opnieuw proberen' });
  await retry.waitFor();
  assert.ok(await retry.evaluate((el) => el === document.activeElement), 'focus moves to "Try again"');
  const alert = await page.getByRole('alert').filter({ has: retry }).innerText();
  assert.match(alert, lang === 'en' ? /could not reach our server/ : /konden onze server niet bereiken/);
  assert.equal(await page.getByLabel(SHOPS[lang].words.name, { exact: true }).inputValue(), input.name, 'input is kept');
  await retry.click();
  const { reference } = await successReference(page, lang);
  assert.equal(bodies.length, 2);
  assert.deepEqual(bodies[1], bodies[0], 'the retry sends the same body');
  assert.match(bodies[0].idempotency_key, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(page.errors, []);
  await page.close();
  return reference;
}

test('en: a network failure offers "Try again", which files exactly one request', async () => {
  const before = await storedRequests('demo-en');
  const input = { right: 'Withdrawal of consent', name: 'Retry Once', email: 'retry.once@example.com' };
  const reference = await submitThroughFailure('en', input, (route) => route.abort('internetdisconnected'));
  const after = await storedRequests('demo-en');
  assert.equal(after.length, before.length + 1);
  assert.equal(after.filter((r) => r.email === input.email).length, 1);
  assert.ok(after.some((r) => r.reference === reference));
});

test('nl: when the answer is lost after the edge stored the request, "Try again" does not file it twice', async () => {
  const before = await storedRequests('demo-nl');
  const input = { right: 'Inzage in mijn gegevens', name: 'Verloren Antwoord', email: 'verloren@voorbeeld.nl' };
  const reference = await submitThroughFailure('nl', input, async (route) => {
    await route.fetch(); // reaches the edge, which stores the request...
    await route.abort('connectionreset'); // ...but the browser never sees the answer
  });
  const after = await storedRequests('demo-nl');
  assert.equal(after.length, before.length + 1, 'one request, not two');
  const mine = after.filter((r) => r.email === input.email);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].reference, reference, 'the retry shows the reference of the stored request');
});

test("nl: the form's markup comes from the edge in the page's language, fetched by the loader alongside the module", async () => {
  const page = await browser.newPage();
  const events = [];
  page.on('request', (request) => events.push(['start', new URL(request.url()).pathname + new URL(request.url()).search]));
  page.on('requestfinished', (request) => events.push(['end', new URL(request.url()).pathname]));
  await page.goto(`${worker.url}/shop/nl/privacy`);
  await page.getByLabel(SHOPS.nl.words.name, { exact: true }).waitFor();
  const markup = events.findIndex(([kind, path]) => kind === 'start' && path === '/api/shops/demo-nl/form?lang=nl');
  assert.ok(markup >= 0, `the markup is requested: ${JSON.stringify(events)}`);
  // Started before the module had even arrived, not by the module once running.
  const moduleArrived = events.findIndex(([kind, path]) => kind === 'end' && path === '/w/form_nl_bg.wasm');
  assert.ok(moduleArrived >= 0 && markup < moduleArrived, JSON.stringify(events));
  assert.ok(!events.some(([, path]) => path.includes('form_en')), 'only the Dutch module');
  await page.close();
});

test('en: two mount points on one page get two forms with their own ids, under the page outline', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(`${worker.url}/shop/en/privacy`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      '<div class="request-form" data-privacy-request-form></div>',
      '<div class="request-form" data-privacy-request-form></div><h2>Another way</h2><div data-privacy-request-form></div>',
    );
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${worker.url}/shop/en/privacy`);
  await page.getByRole('button', { name: SHOPS.en.words.reject }).click({ timeout: 5000 }).catch(() => {});
  const names = page.getByLabel(SHOPS.en.words.name, { exact: true });
  await names.nth(1).waitFor();
  assert.equal(await names.count(), 2);
  const ids = await page.evaluate(() => [...document.querySelectorAll('[data-privacy-request-form] [id]')].map((el) => el.id));
  assert.equal(new Set(ids).size, ids.length, `unique ids: ${ids}`);
  assert.ok(ids.includes('pd-rf2-name'), ids.join(' '));
  // The second form follows an <h2>: its summary title is an <h3>.
  await page.getByRole('button', { name: SHOPS.en.words.submit }).nth(1).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.getByRole('link', { name: 'Enter your name.' }).waitFor();
  assert.equal(await summary.getByRole('heading', { level: 3 }).count(), 1);
  await summary.getByRole('link', { name: 'Enter your name.' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pd-rf2-name');
  assert.deepEqual(await formViolations(Object.assign(page, { errors })), []);
  assert.deepEqual(errors, []);
  await page.close();
});
