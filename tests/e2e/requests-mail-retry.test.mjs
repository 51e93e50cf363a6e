// Nothing accepted is lost: when the mail to the privacy contact cannot be sent,
// the request is still stored and acknowledged, marked mail_pending, and the next
// cron run sends it — once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, startWorker } from './harness.mjs';

/** The shops exactly as wrangler.toml configures them, as JSON. */
function configuredShops() {
  const json = execFileSync('python3', ['-c', 'import json,sys,tomllib; print(json.dumps(tomllib.load(open(sys.argv[1],"rb"))["vars"]["SHOPS"]))', path.join(ROOT, 'wrangler.toml')]);
  return JSON.parse(json);
}

const persistDir = await mkdtemp(path.join(os.tmpdir(), 'pd-retry-'));
const workers = [];
after(async () => {
  for (const w of workers) await w.stop();
  await rm(persistDir, { recursive: true, force: true });
});

async function requestsOf(worker, shop) {
  const response = await worker.admin(`/api/admin/requests?shop=${shop}`);
  assert.equal(response.status, 200);
  return response.json();
}

test('a request whose mail fails is kept, and the next cron run mails it exactly once', async () => {
  const shops = configuredShops();
  const shop = shops.find((s) => s.id === 'demo-en');
  const contact = shop.privacy_contact;
  // An address that send_email may not write to (not in allowed_destination_addresses),
  // like a privacy contact whose Email Routing verification lapsed.
  shop.privacy_contact = 'not-verified@mountandco.example';
  const adminToken = randomBytes(24).toString('base64url'); // 32 characters: shorter is never accepted
  const broken = await startWorker({ persistDir, adminToken, vars: { SHOPS: JSON.stringify(shops) } });
  workers.push(broken);

  const name = `Retry Tester ${randomBytes(3).toString('hex')}`;
  const response = await fetch(`${broken.url}/api/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: broken.url },
    body: JSON.stringify({
      shop: 'demo-en',
      right: 'erasure',
      name,
      email: 'retry.tester@example.com',
      confirm_true: true,
      lang: 'en',
      idempotency_key: randomBytes(16).toString('base64url'),
    }),
  });
  assert.equal(response.status, 201, 'acknowledged although the mail could not be sent');
  const { reference } = await response.json();
  // Mail about this request to the privacy contact (the requester may get mail of their own).
  const toContact = (m) => m.raw.includes(reference) && /^To: .*privacy@mountandco\.example|^To: .*not-verified@/im.test(m.raw);

  const [stored] = (await requestsOf(broken, 'demo-en')).filter((r) => r.reference === reference);
  assert.ok(stored, 'the request is in KV');
  assert.equal(stored.mail_pending, true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await broken.emails()).filter(toContact).length, 0, 'no mail reached the privacy contact');
  await broken.stop();

  // The contact is fixed (normal configuration), same KV state: the cron delivers.
  const fixed = await startWorker({ persistDir, adminToken });
  workers.push(fixed);
  assert.equal((await requestsOf(fixed, 'demo-en')).find((r) => r.reference === reference)?.mail_pending, true);
  assert.equal((await fixed.scheduled()).status, 200);
  const mail = await fixed.waitForEmail(toContact);
  assert.match(mail.raw, new RegExp(`^To: .*${contact.replace('.', '\\.')}`, 'mi'));
  assert.match(mail.raw, /^Reply-To: .*retry\.tester@example\.com/im);

  let pending = true;
  for (let i = 0; i < 30 && pending; i++) {
    pending = (await requestsOf(fixed, 'demo-en')).find((r) => r.reference === reference).mail_pending;
    if (pending) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(pending, false, 'no longer pending once sent');

  await fixed.scheduled();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal((await fixed.emails()).filter(toContact).length, 1, 'a second cron run sends nothing again');
});
