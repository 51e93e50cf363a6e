// Bounded load test on loopback: LOAD_COUNT (>= 500) valid rights requests posted
// at once to a real `wrangler dev`, within a fixed time budget. Every acknowledged
// request must be in KV exactly once (found by its unique name through the owner's
// decrypted listing); replays of a sample with the same idempotency key must
// answer the same reference and file nothing new. Prints the figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';

const COUNT = Math.max(500, Number(process.env.LOAD_COUNT ?? 600));
const REPLAYS = 50;
const BUDGET_MS = 90_000;

let worker;

before(async () => {
  // One client posting hundreds of requests a second would be rate limited; the
  // limiter is switched off here (hardening.test.mjs proves the 429).
  worker = await startWorker({ vars: { RATE_LIMIT: 'off' } });
});

after(async () => {
  await worker?.stop();
});

const run = Date.now().toString(36);

function body(i) {
  const shop = i % 2 ? 'demo-nl' : 'demo-en';
  return {
    shop,
    right: ['access', 'erasure', 'portability', 'restriction'][i % 4],
    name: `Load Tester ${run} ${String(i).padStart(5, '0')}`,
    email: `load.${i}@example.com`,
    confirm_true: true,
    lang: shop === 'demo-nl' ? 'nl' : 'en',
    idempotency_key: `load${run}k${String(i).padStart(12, '0')}`,
  };
}

async function post(payload, signal) {
  try {
    const response = await fetch(`${worker.url}/api/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal,
    });
    const text = await response.text();
    return { status: response.status, body: response.ok ? JSON.parse(text) : text };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

test(`${COUNT} concurrent valid requests: every acknowledged one is in KV exactly once`, async () => {
  const signal = AbortSignal.timeout(BUDGET_MS);
  const payloads = Array.from({ length: COUNT }, (_, i) => body(i));
  const started = Date.now();
  const results = await Promise.all(payloads.map((payload) => post(payload, signal)));
  const seconds = (Date.now() - started) / 1000;

  const acknowledged = new Map(); // name -> reference
  const statuses = {};
  results.forEach((result, i) => {
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    if (result.status === 201) acknowledged.set(payloads[i].name, result.body.reference);
  });

  // Replays of a sample (a widget's "Try again"): same reference, nothing new filed.
  const sample = payloads.filter((p) => acknowledged.has(p.name)).slice(0, REPLAYS);
  const replays = await Promise.all(sample.map((payload) => post(payload, signal)));
  replays.forEach((replay, i) => {
    assert.equal(replay.status, 200, `replay of ${sample[i].name}: ${replay.body}`);
    assert.equal(replay.body.reference, acknowledged.get(sample[i].name));
  });

  const stored = [];
  for (const shop of ['demo-en', 'demo-nl']) {
    const response = await worker.admin(`/api/admin/requests?shop=${shop}`);
    assert.equal(response.status, 200);
    stored.push(...(await response.json()));
  }
  const mine = stored.filter((r) => r.name.startsWith(`Load Tester ${run} `));
  const timesFound = new Map();
  for (const record of mine) timesFound.set(record.name, (timesFound.get(record.name) ?? 0) + 1);
  const lost = [...acknowledged.keys()].filter((name) => !timesFound.has(name));
  const duplicated = [...timesFound].filter(([, n]) => n > 1).map(([name]) => name);
  const wrongReference = mine.filter((r) => acknowledged.has(r.name) && acknowledged.get(r.name) !== r.reference);

  console.log(
    `load: sent ${COUNT} at once in ${seconds.toFixed(1)} s (${(COUNT / seconds).toFixed(0)} req/s); statuses ${JSON.stringify(statuses)}; ` +
      `acknowledged ${acknowledged.size}; found in KV ${mine.length}; lost ${lost.length}; duplicated ${duplicated.length}; ` +
      `replays ${replays.length} (all the same reference)`,
  );
  assert.ok(seconds * 1000 < BUDGET_MS, 'within the time budget');
  assert.equal(acknowledged.size, COUNT, `every request acknowledged (${JSON.stringify(statuses)})`);
  assert.deepEqual(lost, []);
  assert.deepEqual(duplicated, []);
  assert.deepEqual(wrongReference, []);
  assert.equal(mine.length, acknowledged.size, 'KV holds exactly the acknowledged requests');
});
