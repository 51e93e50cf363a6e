// One bad record never stops the scheduled run. Requests sealed with a data key
// that was later removed (not kept in DATA_KEYS_OLD) cannot be read any more; the
// cron must still mail, expire and purge every other request, log the bad ones
// without personal data, and the owner's export must name them instead of failing.
//
// To have mail left for the cron to send, the first two Workers cannot mail:
// demo-en's privacy contact is an address send_email may not write to, and the
// requester mail goes to an HTTP mail API nobody listens on. The third Worker has
// the real configuration.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configuredShops, freePort, startWorker } from './harness.mjs';
import { rawHeader, scheduledAt, sentTo } from './mail.mjs';

const DAY = 86_400_000;
const REMOVED_KEY = Buffer.alloc(32, 9).toString('base64');
const persistDir = await mkdtemp(path.join(os.tmpdir(), 'pd-cron-'));
// At least 32 characters: a shorter ADMIN_TOKEN is never accepted.
const adminToken = `cron-isolation-owner-secret-${Date.now().toString(36)}`;
const workers = [];
after(async () => {
  for (const w of workers) await w.stop();
  await rm(persistDir, { recursive: true, force: true });
});

async function withWorker(vars, body) {
  const worker = await startWorker({ persistDir, adminToken, vars: { RATE_LIMIT: 'off', ...vars } });
  workers.push(worker);
  try {
    return await body(worker);
  } finally {
    await worker.stop({ keepState: true });
  }
}

let serial = 0;
async function file(worker, name) {
  serial += 1;
  const email = `cron-${serial}-${Date.now()}@example.org`;
  const response = await fetch(`${worker.url}/api/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: worker.url },
    body: JSON.stringify({
      shop: 'demo-en', right: 'access', name, email, confirm_true: true, lang: 'en',
      idempotency_key: `cron-isolation-${serial}-${Date.now()}`,
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return { ...(await response.json()), email, name };
}

async function exportJson(worker) {
  const response = await worker.admin('/api/admin/export/requests.json?shop=demo-en');
  assert.equal(response.status, 200, 'the export works with unreadable records in KV');
  return response.json();
}

test('records nobody can read are skipped and named; every other request is still mailed, expired and purged', async () => {
  const cannotMail = configuredShops();
  cannotMail.find((s) => s.id === 'demo-en').privacy_contact = 'privacy-unverified@mountandco.example';
  const failingMail = {
    SHOPS: JSON.stringify(cannotMail),
    REQUESTER_MAILER: 'http',
    MAIL_API_URL: `http://127.0.0.1:${await freePort()}/emails`,
    MAIL_API_KEY: 'unused',
  };

  // Sealed with a key that will be gone.
  const bad = await withWorker({ ...failingMail, DATA_KEY: REMOVED_KEY }, async (worker) => [
    await file(worker, 'Bad Record One'),
    await file(worker, 'Bad Record Two'),
  ]);
  // Sealed with the key in force. KV lists keys in order, and the cron visits them
  // in that order: make sure good requests come after a bad one, where the old cron
  // stopped.
  const firstBad = bad.map((r) => r.reference).sort()[0];
  const good = await withWorker(failingMail, async (worker) => {
    const filed = [];
    while (filed.length < 3 || !filed.some((r) => r.reference > firstBad)) {
      assert.ok(filed.length < 20, 'references are random: one sorts after the first bad one soon');
      filed.push(await file(worker, `Good Record ${filed.length + 1}`));
    }
    return filed;
  });

  await withWorker({}, async (worker) => {
    // Now: the outbox and the requester queue are retried, each entry on its own.
    const now = Date.now();
    assert.equal((await scheduledAt(worker, now)).status, 200);
    for (const r of good) {
      await worker.waitForEmail((m) => sentTo(m.raw, 'privacy@mountandco.example') && rawHeader(m.raw, 'X-Privacy-Desk-Reference') === r.reference);
      await worker.waitForEmail((m) => sentTo(m.raw, r.email) && m.raw.includes('/verify?'));
    }
    const afterMail = await exportJson(worker);
    assert.deepEqual([...afterMail.unreadable].sort(), bad.map((r) => r.reference).sort(), 'the export names the unreadable records');
    const listed = afterMail.requests.map((r) => r.reference);
    for (const r of good) assert.ok(listed.includes(r.reference));
    assert.ok(afterMail.requests.every((r) => !r.mail_pending), 'nothing readable left in the outbox');

    // Day 14: every readable unverified request is closed as expired.
    assert.equal((await scheduledAt(worker, now + 14 * DAY + 3_600_000)).status, 200);
    const expired = await exportJson(worker);
    for (const r of good) {
      assert.equal(expired.requests.find((x) => x.reference === r.reference)?.status, 'expired', r.reference);
    }

    // Two years later: purged, an anonymised record stays; the bad ones are still named.
    assert.equal((await scheduledAt(worker, now + 746 * DAY)).status, 200);
    const purged = await exportJson(worker);
    for (const r of good) assert.equal(purged.requests.find((x) => x.reference === r.reference), undefined, `${r.reference} purged`);
    assert.ok(purged.anonymised.filter((a) => a.outcome === 'expired').length >= good.length);
    assert.deepEqual([...purged.unreadable].sort(), bad.map((r) => r.reference).sort());

    // Each skipped record was logged by reference, nothing personal.
    const logs = worker.logs();
    assert.match(logs, /cron \w+: (outbox\/|notify\/)?\S*PR-\S+ skipped/);
    for (const r of [...bad, ...good]) {
      assert.ok(!logs.includes(r.email) && !logs.includes(r.name), 'no personal data in the log');
    }
  });
});
