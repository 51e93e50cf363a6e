// Abuse of the desk's mail, written as the attacks that worked (issue 13), against
// a real `wrangler dev` with the rate limiter on: mail to strangers in an
// attacker's words, a flood of mail from the shop's sender, links that follow the
// Host header, and an idempotency key reused for another request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startWorker } from './harness.mjs';
import { rightsApi } from './rights-api.mjs';
import { decodeMail, scheduledAt, sentTo } from './mail.mjs';

const HOUR = 3_600_000;
const SPAM_NAME = 'Your refund of EUR 500 is ready - claim it at https://evil.example/claim';
const SPAM_DETAILS = 'Log in at https://evil.example/login to receive your money.';
const MAIL_PER_HOUR = 4;
let worker;

before(async () => {
  worker = await startWorker();
});

after(async () => {
  await worker?.stop();
});

const { newClient, requestBody, post, file } = rightsApi(() => worker, 'abuse');

const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
const mailsTo = async (address) => (await worker.emails()).filter((m) => sentTo(m.raw, address));


test('mail to an address nobody has verified carries nothing the requester typed, and at most one a day', async () => {
  const victim = `victim-${Date.now()}@example.org`;
  const filed = [];
  for (let i = 0; i < 5; i += 1) {
    filed.push(await file({ email: victim, name: SPAM_NAME, details: SPAM_DETAILS, right: 'rectification' }));
  }
  await worker.waitForEmail((m) => sentTo(m.raw, victim));
  await settle();
  const mails = await mailsTo(victim);
  assert.equal(mails.length, 1, 'one verification mail per address per shop per 24 h');
  const { body } = decodeMail(mails[0].raw);
  for (const typed of ['evil.example', 'EUR 500', 'refund', 'Log in']) {
    assert.ok(!body.includes(typed) && !mails[0].raw.includes(typed), `"${typed}" is not in the mail`);
  }
  // Every request was stored all the same, and the owner sees them.
  const listed = await (await worker.admin('/api/admin/requests?shop=demo-en')).json();
  for (const r of filed) assert.ok(listed.some((x) => x.reference === r.reference));
});

test('a per-shop hourly cap on mail to requesters: what is over it stays queued and goes out later', async () => {
  const capped = await startWorker({
    vars: { REQUESTS: JSON.stringify({ verify_link_days: 7, unverified_close_days: 14, remind_before_days: 7, closed_retention_days: 730, requester_mail_per_hour: MAIL_PER_HOUR }) },
  });
  try {
    const start = Date.now();
    const filed = [];
    for (let i = 0; i < MAIL_PER_HOUR + 2; i += 1) {
      const body = requestBody({ shop: 'demo-nl', lang: 'nl' });
      const response = await fetch(`${capped.url}/api/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: capped.url, 'cf-connecting-ip': newClient() },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 201, await response.clone().text());
      filed.push(body);
    }
    await settle();
    const all = await capped.emails();
    const mailed = filed.filter((r) => all.some((m) => sentTo(m.raw, r.email))).length;
    assert.equal(mailed, MAIL_PER_HOUR, 'the cap this hour, and nothing lost');
    assert.equal((await scheduledAt(capped, start + HOUR + 60_000)).status, 200);
    for (const r of filed) await capped.waitForEmail((m) => sentTo(m.raw, r.email));
  } finally {
    await capped.stop();
  }
});

test('links in mail come from the configured public origin, never from the Host header', async () => {
  const body = JSON.stringify(requestBody());
  const email = JSON.parse(body).email;
  const status = await new Promise((resolve, reject) => {
    const req = http.request(`${worker.url}/api/requests`, {
      method: 'POST',
      headers: { host: 'evil.example', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cf-connecting-ip': newClient() },
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(status, 201);
  const mail = await worker.waitForEmail((m) => sentTo(m.raw, email));
  const text = decodeMail(mail.raw).body;
  assert.ok(!text.includes('evil.example'), text);
  assert.ok(text.includes(`${worker.url}/verify?`), text);
});


test('an idempotency key reused with a different body is a conflict, not the first answer', async () => {
  const first = requestBody({ shop: 'demo-nl', lang: 'nl' });
  assert.equal((await post('/api/requests', first)).status, 201);
  const conflict = await post('/api/requests', { ...first, right: 'erasure' });
  assert.equal(conflict.status, 409);
  const { error } = await conflict.json();
  assert.equal(error.code, 'idempotency_conflict');
  assert.match(error.message, /sleutel/);
  assert.equal((await post('/api/requests', first)).status, 200, 'the same body is still a replay');
});
