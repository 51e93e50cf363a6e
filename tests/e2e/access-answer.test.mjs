// Issue 14 end to end, in Chromium against a real `wrangler dev`, for both demo
// shops: an access request filed through the privacy page's form, verified through
// the mailed link; the owner prepares the answer (the English shop from Shopify,
// the real client against the local stand-in with the client-credentials grant;
// the Dutch shop by uploading JouwWeb's order export), reviews and sends it; the
// requester opens the mailed link, types their address again (a wrong one is
// refused), and finds their orders and the shop's processors in the page, the JSON
// and the CSV. After the link's expiry (the cron pinned to that time) the link no
// longer opens anything and the package is gone from KV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startWorker, launchBrowser, axeViolations, ROOT } from './harness.mjs';
import { decodeMail, sentTo, scheduledAt } from './mail.mjs';
import { startShopifyStandin } from './shopify-standin.mjs';
import { shopifyDemo, CUSTOMER_EMAIL } from './fixtures/shopify-demo.mjs';

const DAY = 86_400_000;
const CSV = path.join(ROOT, 'tests', 'e2e', 'fixtures', 'jouwweb-orders.csv');
const NL_EMAIL = 'anna@example.nl';

let worker;
let browser;
let standin;
let persistDir;

before(async () => {
  standin = await startShopifyStandin({ ...shopifyDemo() });
  persistDir = await mkdtemp(path.join(os.tmpdir(), 'pd-answer-'));
  worker = await startWorker({
    persistDir,
    vars: {
      RATE_LIMIT: 'off',
      // The English demo shop's Admin API: the stand-in on loopback, with the
      // Dev Dashboard app's client id and secret as Worker secrets.
      SHOPIFY_ORIGIN: standin.origin,
      SHOPIFY_CLIENT_ID_DEMO_EN: standin.clientId,
      SHOPIFY_CLIENT_SECRET_DEMO_EN: standin.clientSecret,
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
  await standin?.close();
  for (const file of shots) await copyFile(file, path.join(ROOT, 'www', 'docs', 'img', path.basename(file)));
  if (persistDir) await rm(persistDir, { recursive: true, force: true });
});

const WORDS = {
  en: {
    right: 'Access to my data', name: 'Your name', email: 'Your e-mail address', submit: 'Send request',
    confirm: 'I confirm that the information I have given is true.', reject: 'Reject all',
    reference: /Your reference is ([A-Z0-9-]+)\./, verify: 'Confirm my e-mail address',
    secret: 'Owner secret', actor: 'Your name', signIn: 'Sign in',
    send: 'Send to the requester', address: 'E-mail address', open: 'Open',
    failed: 'This link does not open an answer', processors: 'Shopify Payments',
  },
  nl: {
    right: 'Inzage in mijn gegevens', name: 'Uw naam', email: 'Uw e-mailadres', submit: 'Verzoek versturen',
    confirm: 'Ik bevestig dat de gegevens die ik heb ingevuld kloppen.', reject: 'Alles weigeren',
    reference: /Uw referentienummer is ([A-Z0-9-]+)\./, verify: 'Mijn e-mailadres bevestigen',
    secret: 'Beheergeheim', actor: 'Uw naam', signIn: 'Inloggen',
    send: 'Naar de aanvrager sturen', address: 'E-mailadres', open: 'Openen',
    failed: 'Deze link opent geen antwoord', processors: 'Mollie',
  },
};

/**
 * With PRIVACY_DESK_DOC_SHOTS=1, the owner's steps are saved as the docs'
 * screenshots (www/docs/img/answer-*.png, 1000x700), scrolled to `selector`. They
 * are copied there once the Worker has stopped: a file written under www/ while
 * `wrangler dev` runs makes it restart mid-request.
 */
const shots = [];
async function docShot(page, name, selector) {
  if (!process.env.PRIVACY_DESK_DOC_SHOTS) return;
  await page.setViewportSize({ width: 1000, height: 700 });
  if (selector) await page.locator(selector).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const file = path.join(persistDir, `${name}.png`);
  await page.screenshot({ path: file });
  shots.push(file);
}

/** Waits for `locator`; on a timeout, says what the page showed and the Worker logged. */
async function seen(page, locator) {
  await locator.waitFor({ timeout: 15_000 }).catch(async (error) => {
    const shown = await page.locator('body').innerText().catch(() => '(no page)');
    throw new Error(`${error.message}\nURL ${page.url()}\n${shown.slice(0, 3000)}\n--- worker log ---\n${worker.logs().slice(-3000)}`);
  });
}

/** The keys of the Worker's local KV under `prefix`, read by wrangler from disk. */
function kvKeys(prefix) {
  const out = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'wrangler'), [
    'kv', 'key', 'list', '--binding', 'KV', '--local', '--persist-to', persistDir, '--prefix', prefix,
  ], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`, WRANGLER_SEND_METRICS: 'false' },
  });
  return JSON.parse(out.toString()).map((key) => key.name);
}

/** The visitor files an access request through the shop's privacy page. */
async function fileThroughForm(lang, name, email) {
  const w = WORDS[lang];
  const page = await browser.newPage();
  await page.goto(`${worker.url}/shop/${lang}/privacy`);
  await page.getByRole('button', { name: w.reject }).click({ timeout: 5000 }).catch(() => {});
  await page.getByRole('radio', { name: w.right, exact: true }).check();
  await page.getByLabel(w.name, { exact: true }).fill(name);
  await page.getByLabel(w.email, { exact: true }).fill(email);
  await page.getByLabel(w.confirm).check();
  await page.getByRole('button', { name: w.submit }).click();
  const success = page.locator('.pd-rf-success');
  await success.waitFor({ timeout: 15_000 });
  const reference = (await success.innerText()).match(w.reference)?.[1];
  assert.ok(reference, 'the form shows the reference');
  await page.close();
  return reference;
}

/** The body of the newest mail to `address` that contains `marker`. */
async function mailBody(address, marker) {
  const mail = await worker.waitForEmail((m) => sentTo(m.raw, address) && decodeMail(m.raw).body.includes(marker));
  return decodeMail(mail.raw).body;
}

async function verifyThroughMail(lang, email) {
  const body = await mailBody(email, '/verify?');
  const link = body.match(/(http:\/\/\S+\/verify\?\S+)/)[1];
  const page = await browser.newPage();
  await page.goto(link);
  await page.getByRole('button', { name: WORDS[lang].verify }).click();
  await page.getByRole('status').waitFor();
  await page.close();
}

async function ownerPage(lang) {
  const w = WORDS[lang];
  const page = await browser.newPage();
  await page.goto(`${worker.url}/admin/?lang=${lang}`);
  // The browser keeps one profile: signed in already after the first test.
  if (/\/admin\/login$/.test(page.url())) {
    await page.goto(`${worker.url}/admin/login?lang=${lang}`);
    await page.getByLabel(w.secret).fill(worker.adminToken);
    await page.getByLabel(w.actor).fill('Olivia');
    await page.getByRole('button', { name: w.signIn }).click();
    await page.waitForURL(/\/admin\/$/);
  }
  return page;
}

/** Opens the mailed link, types the address, and checks the page and both downloads. */
async function requesterDownloads(lang, email, expected) {
  const w = WORDS[lang];
  const body = await mailBody(email, '/access?t=');
  const link = body.match(/(http:\/\/\S+\/access\?t=[0-9a-f]{64}&lang=[a-z]{2})/)?.[1];
  assert.ok(link, body);
  assert.ok(!link.includes('@') && !link.includes('email'), 'no address in the link');
  const page = await browser.newPage();
  await page.goto(link);
  assert.deepEqual(await axeViolations(page), [], 'the address form passes axe');
  await page.getByLabel(w.address).fill('someone.else@example.com');
  await page.getByRole('button', { name: w.open }).click();
  await page.getByRole('alert').filter({ hasText: w.failed }).waitFor();

  await page.getByLabel(w.address).fill(email);
  await page.getByRole('button', { name: w.open }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  if (lang === 'en') await docShot(page, 'answer-4-requester', '#data');
  assert.deepEqual(await axeViolations(page), [], 'the package page passes axe');
  const text = await page.locator('main').innerText();
  for (const value of [...expected, w.processors, 'Autoriteit Persoonsgegevens']) {
    assert.ok(text.includes(value), `the page shows ${value}`);
  }
  const download = async (label) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
    return readFile(await file.path(), 'utf8');
  };
  const json = JSON.parse(await download('Download JSON'));
  assert.equal(json.format, 'privacy-desk/access-package/1');
  const values = JSON.stringify(json.data);
  for (const value of expected) assert.ok(values.includes(value), `the JSON holds ${value}`);
  assert.ok(json.recipients.some((r) => r.name === w.processors), 'the JSON names the processors');
  const csv = await download('Download CSV');
  for (const value of expected) assert.ok(csv.includes(value), `the CSV holds ${value}`);
  await page.close();
  return link;
}

/** The link after expiry: the same refusal, and nothing left in KV. */
async function afterExpiry(lang, email, link) {
  assert.equal(kvKeys('package/').length > 0, true, 'the package is in KV while the link works');
  const at = Date.now() + 15 * DAY;
  assert.equal((await scheduledAt(worker, at)).status, 200);
  const until = Date.now() + 15_000;
  while (kvKeys('package/').length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(kvKeys('package/'), [], 'the cron deleted the expired package');
  const page = await browser.newPage();
  await page.goto(link);
  await page.getByLabel(WORDS[lang].address).fill(email);
  await page.getByRole('button', { name: WORDS[lang].open }).click();
  await page.getByRole('alert').filter({ hasText: WORDS[lang].failed }).waitFor();
  await page.close();
}

test('English shop: an access request answered from Shopify (the stand-in) and downloaded by the requester', async () => {
  const reference = await fileThroughForm('en', 'Olivia Byrne', CUSTOMER_EMAIL);
  await verifyThroughMail('en', CUSTOMER_EMAIL);
  const owner = await ownerPage('en');
  await owner.goto(`${worker.url}/admin/requests/demo-en/${reference}`);
  await docShot(owner, 'answer-1-prepare', 'h1');
  await owner.getByRole('button', { name: 'Prepare answer' }).click();
  await seen(owner, owner.locator('#answer-customer').filter({ hasText: 'Known customer' }));
  await docShot(owner, 'answer-2-draft', '#answer-title');
  assert.deepEqual(await axeViolations(owner, 'section.answer'), [], 'the draft passes axe');
  const preview = await owner.locator('section.answer').innerText();
  for (const order of ['#1008', '#1013', '#1019']) assert.ok(preview.includes(order), `the draft shows order ${order}`);
  assert.ok(!preview.includes('#1015'), "another customer's order is not in it");
  // The real client-credentials grant, then GraphQL pages with the granted token.
  assert.equal(standin.requests[0].path, '/admin/oauth/access_token');
  assert.ok(standin.requests.filter((r) => r.operationName).length >= 2, 'paged through the orders');
  await owner.getByRole('button', { name: 'Send to the requester' }).click();
  await seen(owner, owner.getByRole('status').filter({ hasText: 'Done' }));
  assert.match(await owner.locator('main').innerText(), /Answer sent/);
  await docShot(owner, 'answer-3-sent', '#history-title');
  await owner.close();

  const link = await requesterDownloads('en', CUSTOMER_EMAIL, ['#1008', '#1019', '14 Harbour View']);
  const history = await (await worker.admin('/api/admin/export/requests.json?shop=demo-en')).json();
  const request = history.requests.find((r) => r.reference === reference);
  assert.equal(request.status, 'completed');
  assert.equal(JSON.stringify(request).match(/package_downloaded/g)?.length, 3, 'page, JSON and CSV each recorded');
  await afterExpiry('en', CUSTOMER_EMAIL, link);
});

test('Dutch shop: an access request answered from an uploaded JouwWeb order export', async () => {
  const reference = await fileThroughForm('nl', 'Anna de Vries', NL_EMAIL);
  await verifyThroughMail('nl', NL_EMAIL);
  const owner = await ownerPage('nl');
  await owner.goto(`${worker.url}/admin/requests/demo-nl/${reference}`);
  assert.deepEqual(await axeViolations(owner, 'section.answer'), [], 'the upload form passes axe');
  // A file that is not an order export: a clear message, the request kept.
  await owner.getByLabel('Bestellingenexport (CSV)').setInputFiles({ name: 'notities.csv', mimeType: 'text/csv', buffer: Buffer.from('Naam;Opmerking\nAnna;hallo\n') });
  await owner.getByRole('button', { name: 'Uploaden en antwoord voorbereiden' }).click();
  await owner.getByRole('alert').filter({ hasText: 'geen kolom met e-mailadressen' }).waitFor();
  assert.ok((await owner.locator('main').innerText()).includes(reference));

  await owner.getByLabel('Bestellingenexport (CSV)').setInputFiles(CSV);
  await owner.getByRole('button', { name: 'Uploaden en antwoord voorbereiden' }).click();
  await owner.locator('#answer-customer').filter({ hasText: 'Bekende klant' }).waitFor();
  const preview = await owner.locator('section.answer').innerText();
  assert.ok(preview.includes('HDMI-kabel 2 meter') && !preview.includes('Sanne'), 'only the requester\'s rows');
  await owner.getByRole('button', { name: WORDS.nl.send }).click();
  await owner.getByRole('status').waitFor();
  await owner.close();

  const link = await requesterDownloads('nl', NL_EMAIL, ['2026-0418', 'HDMI-kabel 2 meter', 'Voorbeeldweg']);
  await afterExpiry('nl', NL_EMAIL, link);
});
