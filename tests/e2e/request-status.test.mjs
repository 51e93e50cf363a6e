// The requester's bookmarkable status page (/request-status), in Chromium against a
// real `wrangler dev`: the link in every requester mail; the form (reference
// prefilled, the e-mail address by its label, posted in the body and never in a
// URL); status, type and dates in EN and NL (by `lang` and by Accept-Language);
// one answer for a wrong address and an unknown reference; the owner's extension,
// completion and refusal showing up; no personal data or owner text on the page;
// the owner pages' security headers; keyboard use; axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser, axeViolations, calendar } from './harness.mjs';
import { decodeMail } from './mail.mjs';

let worker;
let browser;

before(async () => {
  worker = await startWorker({ vars: { RATE_LIMIT: 'off' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

let counter = 0;
async function fileRequest({ shop = 'demo-en', lang = 'en', right = 'access', name = 'Anna de Vries', details } = {}) {
  counter += 1;
  const email = `status${counter}-${Date.now()}@example.nl`;
  const response = await fetch(`${worker.url}/api/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({
      shop, right, name, email, confirm_true: true, lang,
      order_number: 'ORD-PRIVATE-77',
      idempotency_key: `status-test-key-${counter}-${Date.now()}`,
      ...(details ? { details } : {}),
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return { ...(await response.json()), email, name, shop, lang };
}


const mailTo = (address, extra = () => true) => (mail) =>
  mail.raw.split(/\r?\n/).includes(`To: <${address}>`) && extra(decodeMail(mail.raw).body);

/** The status link in a requester's mail (the one for `filed`, matching `extra`). */
async function statusLinkIn(filed, extra = () => true) {
  const mail = await worker.waitForEmail(mailTo(filed.email, (body) => body.includes('/request-status?') && extra(body)));
  const body = decodeMail(mail.raw).body;
  const link = body.match(/(http:\/\/\S+\/request-status\?ref=[^&\s]+&lang=(?:en|nl))/);
  assert.ok(link, body);
  assert.equal(link[1], `${worker.url}/request-status?ref=${filed.reference}&lang=${filed.lang}`);
  return { link: link[1], body };
}

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
};
const longDate = (iso, lang) => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[lang][m - 1]} ${y}`;
};

const LABELS = {
  en: { email: 'Your e-mail address', reference: 'Reference', show: 'Show status', notFound: 'We could not find a request with that reference and e-mail address' },
  nl: { email: 'Uw e-mailadres', reference: 'Kenmerk', show: 'Status tonen', notFound: 'Wij konden geen verzoek vinden met dat kenmerk en e-mailadres' },
};

/** Fills the e-mail address by its label and submits; returns the page's main text. */
async function lookUp(page, email, lang) {
  await page.getByLabel(LABELS[lang].email).fill(email);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(`${worker.url}/request-status`) && r.request().method() === 'POST'),
    page.getByRole('button', { name: LABELS[lang].show }).click(),
  ]);
  await page.waitForLoadState();
  assert.equal(response.status(), 200);
  assert.ok(!response.url().includes('@') && !response.url().includes('email'), `no address in ${response.url()}`);
  assert.match(response.request().postData(), /email=/, 'the address goes in the POST body');
  return page.locator('main').innerText();
}

function assertNoPersonalData(text, filed) {
  for (const personal of [filed.email, filed.name, 'ORD-PRIVATE-77', 'Private details', 'OWNER TEXT']) {
    assert.ok(!text.includes(personal), `${personal} must not be on the status page:\n${text}`);
  }
}

test('EN: the link from the verification mail, the form, the status with its dates; headers and axe', async () => {
  const filed = await fileRequest({ right: 'erasure', details: 'Private details about me' });
  const { link } = await statusLinkIn(filed, (body) => body.includes('/verify?'));
  const page = await browser.newPage();
  const response = await page.goto(link);
  assert.equal(response.status(), 200);
  const headers = response.headers();
  assert.match(headers['content-security-policy'], /default-src 'none'; style-src 'self'/);
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['cache-control'], 'no-store');
  assert.equal(headers['referrer-policy'], 'same-origin');
  assert.equal(headers['set-cookie'], undefined, 'no cookie for the requester');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByLabel(LABELS.en.reference).inputValue(), filed.reference);
  assert.deepEqual(await axeViolations(page), [], 'form (EN)');
  assert.equal(await page.getByRole('link', { name: 'Nederlands' }).getAttribute('href'), `/request-status?ref=${filed.reference}&lang=nl`);

  const text = await lookUp(page, filed.email.toUpperCase(), 'en');
  assert.match(text, new RegExp(filed.reference));
  assert.match(text, /Type of request\s+Erasure of my data/);
  assert.match(text, new RegExp(`Received\\s+${longDate(new Date().toISOString(), 'en')}`));
  assert.match(text, new RegExp(`Answer due by\\s+${longDate(filed.due_date, 'en')}`));
  assert.match(text, /Status\s+Received/);
  assert.match(text, /What happens next/);
  assert.match(text, /link to confirm your e-mail address/);
  assertNoPersonalData(text, filed);
  assert.deepEqual(await axeViolations(page), [], 'status (EN)');
  const html = await page.content();
  assert.ok(!html.includes(filed.email), 'the address is not echoed on the result page');
  await page.close();
});

test('NL: by lang= and by Accept-Language; keyboard only', async () => {
  const filed = await fileRequest({ shop: 'demo-nl', lang: 'nl', right: 'portability', name: 'Jan Jansen' });
  const { body } = await statusLinkIn(filed);
  assert.match(body, /U kunt altijd zien hoe uw verzoek ervoor staat/);

  // No lang= in the URL: the browser's language decides.
  const context = await browser.newContext({ locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(`${worker.url}/request-status?ref=${filed.reference}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
  await page.getByRole('heading', { name: 'Uw privacyverzoek', level: 1 }).waitFor();

  // Keyboard: Tab into the form, type the address, Enter submits.
  await page.getByLabel(LABELS.nl.reference).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
  await page.keyboard.type(filed.email);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const text = await page.locator('main').innerText();
  assert.match(text, /Soort verzoek\s+Een machineleesbare kopie van mijn gegevens \(overdraagbaarheid\)/);
  assert.match(text, new RegExp(`Antwoord uiterlijk op\\s+${longDate(filed.due_date, 'nl')}`));
  assert.match(text, /Status\s+Ontvangen/);
  assert.match(text, /Wat gebeurt er nu/);
  assertNoPersonalData(text, filed);
  assert.deepEqual(await axeViolations(page), [], 'status (NL)');
  // The focused control shows where focus is.
  await page.getByRole('link', { name: 'English' }).focus();
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');
  await context.close();

  // lang=en wins over the browser's language.
  const en = await browser.newContext({ locale: 'nl-NL' });
  const enPage = await en.newPage();
  await enPage.goto(`${worker.url}/request-status?ref=${filed.reference}&lang=en`);
  assert.equal(await enPage.locator('html').getAttribute('lang'), 'en');
  const enText = await lookUp(enPage, filed.email, 'en');
  assert.match(enText, new RegExp(`Answer due by\\s+${longDate(filed.due_date, 'en')}`));
  await en.close();
});

test('a wrong address and an unknown reference get the same answer: the form again, 200', async () => {
  const filed = await fileRequest();
  const page = await browser.newPage();
  const answers = [];
  for (const [reference, email] of [
    [filed.reference, 'someone.else@example.nl'],
    ['PR-2222-2222-2222', filed.email],
    ['not a reference', filed.email],
    [filed.reference, ''],
  ]) {
    await page.goto(`${worker.url}/request-status?lang=en`);
    await page.getByLabel(LABELS.en.reference).fill(reference);
    if (email) {
      const text = await lookUp(page, email, 'en');
      assert.match(text, new RegExp(LABELS.en.notFound));
      assert.ok(!/Status\s|Answer due by/.test(text), text);
      await page.getByRole('alert').filter({ hasText: LABELS.en.notFound }).waitFor();
      assert.equal(await page.getByLabel(LABELS.en.email).getAttribute('aria-invalid'), 'true');
      answers.push(text.replace(reference, '').replace(email, ''));
    } else {
      // The browser itself asks for the address first (required field).
      await page.getByRole('button', { name: LABELS.en.show }).click();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
    }
  }
  assert.equal(new Set(answers).size, 1, 'no hint which of the two was wrong');
  assert.deepEqual(await axeViolations(page), [], 'not found (EN)');
  // The API answer without a form (as a script would post it) is the same too.
  const direct = await fetch(`${worker.url}/request-status`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: worker.url },
    body: `ref=${filed.reference}&email=wrong%40example.nl&lang=nl`,
  });
  assert.equal(direct.status, 200);
  assert.match(await direct.text(), new RegExp(LABELS.nl.notFound));
  // Another site cannot post the form.
  const forged = await fetch(`${worker.url}/request-status`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    body: `ref=${filed.reference}&email=${encodeURIComponent(filed.email)}`,
  });
  assert.equal(forged.status, 403);
  await page.close();
});

/** Signs in as the owner in a fresh context; returns its page. */
async function owner() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${worker.url}/admin/login?lang=en`);
  await page.getByLabel('Owner secret').fill(worker.adminToken);
  await page.getByLabel('Your name').fill('Olivia');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Privacy requests', level: 1 }).waitFor();
  return page;
}

async function act(ownerPage, filed, form) {
  const response = await ownerPage.request.post(`${worker.url}/admin/requests/${filed.shop}/${filed.reference}`, {
    form,
    // A form post from the owner page is a top-level navigation; the session
    // cookie counts only on one.
    headers: { origin: worker.url, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'same-origin' },
    maxRedirects: 0,
  });
  assert.equal(response.status(), 303, await response.text());
}

async function statusText(filed, lang = filed.lang) {
  const page = await browser.newPage();
  await page.goto(`${worker.url}/request-status?ref=${filed.reference}&lang=${lang}`);
  const text = await lookUp(page, filed.email, lang);
  await page.close();
  return text;
}

test('after the owner verifies, extends, completes or refuses, the page says so; the mails link to it', async () => {
  const extended = await fileRequest({ right: 'access' });
  const completed = await fileRequest({ shop: 'demo-nl', lang: 'nl', right: 'erasure' });
  const refused = await fileRequest({ right: 'objection', details: 'Private details: newsletter' });
  // The requester confirms their address (the verification link's token, by the API).
  const verifyMail = decodeMail((await worker.waitForEmail(mailTo(extended.email, (b) => b.includes('/verify?')))).raw).body;
  const token = verifyMail.match(/token=([0-9a-f]+)/)[1];
  const verified = await fetch(`${worker.url}/api/requests/${extended.reference}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ token }),
  });
  assert.equal(verified.status, 200);
  assert.match(await statusText(extended), /Status\s+E-mail address verified, being handled/);

  const ownerPage = await owner();
  await act(ownerPage, extended, { action: 'verify_identity' });
  assert.match(await statusText(extended), /Status\s+Identity verified, being handled/);
  await act(ownerPage, extended, { action: 'note', text: 'OWNER TEXT: called Anna' });
  await act(ownerPage, extended, { action: 'extend', months: '1', text: 'OWNER TEXT: twelve orders' });
  const newDue = calendar('add-months', extended.due_date, 1);
  const text = await statusText(extended);
  assert.match(text, new RegExp(`Answer due by\\s+${longDate(newDue, 'en')} \\(extended; originally ${longDate(extended.due_date, 'en')}\\)`));
  assert.match(text, /article 12\(3\)/);
  assertNoPersonalData(text, extended);
  const nlText = await statusText(extended, 'nl');
  assert.match(nlText, new RegExp(`${longDate(newDue, 'nl')} \\(verlengd; oorspronkelijk ${longDate(extended.due_date, 'nl')}\\)`));
  await statusLinkIn(extended, (body) => body.includes('more time'));

  await act(ownerPage, completed, { action: 'complete', text: 'OWNER TEXT: done' });
  const done = await statusText(completed);
  assert.match(done, /Status\s+Afgehandeld/);
  assert.match(done, new RegExp(`Gesloten\\s+${longDate(new Date().toISOString(), 'nl')}`));
  assertNoPersonalData(done, completed);
  await statusLinkIn(completed, (body) => body.includes('afgehandeld'));

  await act(ownerPage, refused, { action: 'refuse', text: 'OWNER TEXT: no data' });
  const page = await browser.newPage();
  await page.goto(`${worker.url}/request-status?ref=${refused.reference}&lang=en`);
  const refusedText = await lookUp(page, refused.email, 'en');
  assert.match(refusedText, /Status\s+Refused/);
  assert.ok(await page.getByRole('link', { name: 'Autoriteit Persoonsgegevens' }).isVisible());
  assertNoPersonalData(refusedText, refused);
  assert.deepEqual(await axeViolations(page), [], 'refused (EN)');
  await page.close();
  await statusLinkIn(refused, (body) => body.includes('cannot grant'));
  await ownerPage.context().close();
});
