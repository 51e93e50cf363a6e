// Mail to requesters through the production path: REQUESTER_MAILER = "http" posts
// JSON to MAIL_API_URL with the MAIL_API_KEY bearer, here a local stand-in of the
// mail provider. When the provider fails, the intake still answers 201 and the
// owner's action still happens (the owner is told the mail is pending); the next
// cron run sends what is queued, a verification mail with a fresh, working link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startWorker, launchBrowser, freePort } from './harness.mjs';

let worker;
let browser;
let provider;
let failing = false;
const received = [];

before(async () => {
  const port = await freePort();
  provider = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (failing) {
        res.writeHead(503).end('{"message":"try later"}');
        return;
      }
      received.push({ path: req.url, authorization: req.headers.authorization, type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"stand-in"}');
    });
  });
  await new Promise((resolve) => provider.listen(port, '127.0.0.1', resolve));
  worker = await startWorker({
    vars: { RATE_LIMIT: 'off', REQUESTER_MAILER: 'http', MAIL_API_URL: `http://127.0.0.1:${port}/emails`, MAIL_API_KEY: 'test-mail-key' },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
  await new Promise((resolve) => provider?.close(resolve));
});

let keys = 0;
async function fileRequest(email) {
  const response = await fetch(`${worker.url}/api/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ shop: 'demo-en', right: 'access', name: 'Mia Mailer', email, confirm_true: true, lang: 'en', idempotency_key: `mailer-${Date.now()}-${(keys += 1)}` }),
  });
  assert.equal(response.status, 201);
  return response.json();
}

async function waitFor(predicate, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const found = received.find(predicate);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no matching API mail; got ${JSON.stringify(received.map((r) => r.body.subject))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('the verification mail goes through the HTTP mail API with the key; the privacy contact still gets send_email', async () => {
  const email = `mia-${Date.now()}@example.nl`;
  const filed = await fileRequest(email);
  const mail = await waitFor((r) => r.body.to[0] === email);
  assert.equal(mail.path, '/emails');
  assert.equal(mail.authorization, 'Bearer test-mail-key');
  assert.match(mail.type, /application\/json/);
  assert.equal(mail.body.from, 'Privacy Desk <privacy-desk@privacy-desk.example>');
  assert.equal(mail.body.reply_to, 'privacy@mountandco.example');
  assert.equal(mail.body.subject, `Please confirm your e-mail address (${filed.reference})`);
  assert.match(mail.body.text, new RegExp(`/verify\\?ref=${filed.reference}&token=[0-9a-f]{48}`));
  await worker.waitForEmail((m) => m.raw.split(/\r?\n/).includes('To: <privacy@mountandco.example>') && m.raw.includes(filed.reference));
  const eml = await worker.emails();
  assert.ok(!eml.some((m) => m.raw.split(/\r?\n/).includes(`To: <${email}>`)), 'the requester is not mailed through send_email');
});

test('when the provider fails, nothing is lost: the cron sends the queued mails, a verification with a fresh link', async () => {
  failing = true;
  const email = `mia-fail-${Date.now()}@example.nl`;
  const filed = await fileRequest(email);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${worker.url}/admin/login`);
  await page.getByLabel('Owner secret').fill(worker.adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${worker.url}/admin/requests/demo-en/${filed.reference}`);
  assert.match(await page.locator('.history').innerText(), /Verification e-mail not sent yet/);
  const complete = page.locator('section.action', { has: page.getByRole('heading', { name: 'Complete' }) });
  await complete.getByLabel(/^Message to the requester/).fill('All done.');
  await complete.getByRole('button', { name: 'Mark completed' }).click();
  await page.getByRole('alert').filter({ hasText: 'could not be sent yet' }).waitFor();
  assert.match(await page.locator('.details').innerText(), /Completed/, 'the action itself is stored');

  failing = false;
  const before = received.length;
  const cron = await fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('*/15 * * * *')}&time=${Date.now()}`);
  assert.equal(cron.status, 200);
  const completion = await waitFor((r) => r.body.to[0] === email && /has been handled/.test(r.body.subject));
  assert.match(completion.body.text, /All done\./);
  // The request is closed, so its pending verification mail is dropped, not sent.
  assert.ok(!received.slice(before).some((r) => r.body.to[0] === email && /confirm/.test(r.body.subject)));
  await page.reload();
  assert.match(await page.locator('.history').innerText(), /E-mail sent to the requester/);
  await context.close();

  // An open request whose verification mail failed gets a fresh link that works.
  failing = true;
  const second = `mia-retry-${Date.now()}@example.nl`;
  const open = await fileRequest(second);
  failing = false;
  await fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('*/15 * * * *')}&time=${Date.now()}`);
  const retried = await waitFor((r) => r.body.to[0] === second);
  const token = retried.body.text.match(/token=([0-9a-f]+)/)[1];
  const verified = await fetch(`${worker.url}/api/requests/${open.reference}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({ token }),
  });
  assert.equal(verified.status, 200);
  assert.deepEqual(await verified.json(), { reference: open.reference, email_verified: true });
});
