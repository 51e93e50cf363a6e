// Fuzz-style test of the public POST endpoints against a real `wrangler dev`: a few
// thousand random and malformed bodies (wrong types, huge strings, invalid UTF-8,
// deeply nested JSON, header injection, unknown and missing fields, random bytes,
// wrong media types), mixed with valid ones. Every malformed body must get a 4xx
// with a stable error code, never a 5xx; every valid one a 201; and KV must then
// hold exactly the valid ones. Deterministic: FUZZ_SEED picks the sequence
// (printed, so a failure can be replayed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './harness.mjs';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const MALFORMED = Number(process.env.FUZZ_COUNT ?? 2500);
const VALID = 60;
const CONCURRENCY = 32;

// Every code a rejection may carry (protocol/src/error.rs; docs/ERRORS.md).
const CODES = new Set([
  'body_too_large', 'unsupported_media_type', 'invalid_json', 'unknown_field', 'missing_field',
  'invalid_field', 'unknown_shop', 'origin_not_allowed', 'spam_suspected', 'challenge_failed',
]);

let worker;

before(async () => {
  // The limiter would refuse most of this burst from one client: switched off here
  // (hardening.test.mjs proves the 429).
  worker = await startWorker({ vars: { RATE_LIMIT: 'off' } });
});

after(async () => {
  await worker?.stop();
});

/** mulberry32: small, fast, good enough to pick cases reproducibly. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const int = (n) => Math.floor(random() * n);
const pick = (items) => items[int(items.length)];
let serial = 0;
const key = () => `fuzz${SEED.toString(36)}k${(++serial).toString(36).padStart(12, '0')}`;

function validRequest() {
  const shop = pick(['demo-en', 'demo-nl']);
  return {
    shop,
    right: pick(['access', 'erasure', 'portability', 'restriction', 'withdraw_consent']),
    name: pick(['Anna de Vries', 'Sam Lee', 'Jürgen Ölçer', 'Ma Li 马力']),
    email: pick(['anna@example.nl', 'sam@example.com', 'j.olcer@bücher.de']),
    confirm_true: true,
    lang: shop === 'demo-nl' ? 'nl' : 'en',
    idempotency_key: key(),
  };
}

function validConsent() {
  const shop = pick(['demo-en', 'demo-nl']);
  return {
    shop,
    consent_id: key(),
    policy_version: '2026-11-01',
    choices: { analytics: random() < 0.5, marketing: random() < 0.5 },
    source: pick(['banner', 'preferences']),
    lang: shop === 'demo-nl' ? 'nl' : 'en',
    gpc: false,
  };
}

const WEIRD_VALUES = [
  null, 0, -1, 1e308, true, false, [], {}, [1, 2], { a: 1 }, '', ' ', 'x'.repeat(300),
  '\u0000', '\u202e', 'a\r\nBcc: victim@example.com', 'a\nSubject: hi', '\u2028', '<script>alert(1)</script>',
  "'; DROP TABLE requests; --", '../../etc/passwd', '%0d%0aBcc:x@y.z', '\ud800', '💥'.repeat(100),
];

const INJECTIONS = [
  'Anna\r\nBcc: victim@example.com', 'Anna\nContent-Type: text/html', 'Anna\u2028Bcc: x@y.z',
  'anna@example.nl\r\nBcc: victim@example.com', 'anna@example.nl>\r\nTo: x@y.z', 'Anna\u0000', 'Anna\u001b[31m',
  'Anna\u202eRLO', 'anna@exa\tmple.nl',
];

/** One malformed case: `{path, body (string|Buffer), contentType}`. */
function malformed() {
  const consent = random() < 0.3;
  const path = consent ? '/api/consent' : '/api/requests';
  const base = consent ? validConsent() : validRequest();
  const fields = Object.keys(base);
  const json = (value) => ({ path, body: JSON.stringify(value), kind: 'json' });
  switch (int(14)) {
    case 0: { // wrong type for one field
      const field = pick(fields);
      return { ...json({ ...base, [field]: pick(WEIRD_VALUES.filter((v) => typeof v !== typeof base[field])) }), kind: 'wrong type' };
    }
    case 1: { // huge string in one field, sometimes over the body cap
      const field = pick(fields);
      return { ...json({ ...base, [field]: 'A'.repeat(pick([201, 255, 5001, 17_000, 70_000])) }), kind: 'huge string' };
    }
    case 2: { // invalid UTF-8 inside a string
      const text = JSON.stringify(base);
      const at = text.indexOf('"', text.indexOf(':') + 1) + 1;
      const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]])), Buffer.from(text.slice(at))]);
      return { path, body: bytes, kind: 'invalid utf-8' };
    }
    case 3: { // deeply nested JSON, alone or in a field
      const depth = pick([200, 1000, 5000]);
      const nested = '['.repeat(depth) + ']'.repeat(depth);
      if (random() < 0.5) return { path, body: nested, kind: 'deep nesting' };
      const field = pick(fields);
      return { path, body: JSON.stringify({ ...base, [field]: 0 }).replace(`"${field}":0`, `"${field}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), kind: 'deep nesting' };
    }
    case 4: { // header injection in text fields
      if (consent) return { ...json({ ...base, policy_version: pick(INJECTIONS) }), kind: 'header injection' };
      const field = pick(['name', 'email', 'order_number']);
      return { ...json({ ...base, [field]: pick(INJECTIONS) }), kind: 'header injection' };
    }
    case 5: { // unknown fields
      const extra = pick(['ip', '__proto__', 'constructor', 'admin', 'status', 'reference', 'sealed', 'Shop', 'necessary']);
      return { path, body: JSON.stringify(base).replace(/}$/, `,"${extra}":${JSON.stringify(pick(WEIRD_VALUES))}}`), kind: 'unknown field' };
    }
    case 6: { // a required field missing
      const copy = { ...base };
      delete copy[pick(fields.filter((f) => !['order_number', 'details'].includes(f)))];
      return { ...json(copy), kind: 'missing field' };
    }
    case 7: { // random bytes
      return { path, body: Buffer.from(Array.from({ length: int(600) }, () => int(256))), kind: 'random bytes' };
    }
    case 8: { // truncated JSON
      const text = JSON.stringify(base);
      return { path, body: text.slice(0, int(text.length - 1)), kind: 'truncated' };
    }
    case 9: { // wrong media type
      return { ...json(base), contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', '']), kind: 'media type' };
    }
    case 10: { // invalid enum values or ids
      const edits = consent
        ? [{ source: 'popup' }, { lang: 'de' }, { shop: 'Demo!' }, { shop: 'no-such-shop' }, { consent_id: 'short' }, { consent_id: 'x y'.repeat(8) }]
        : [{ right: 'delete_everything' }, { lang: 'fr' }, { shop: 'no-such-shop' }, { email: 'not-an-address' }, { confirm_true: false }, { idempotency_key: 'short' }, { right: 'rectification' }];
      return { ...json({ ...base, ...pick(edits) }), kind: 'invalid value' };
    }
    case 11: { // not an object at all
      return { path, body: pick(['null', '[]', '"text"', '42', 'true', '{}', '', ' ', '{"a":1}{"b":2}', '\ufeff{}', 'NaN']), kind: 'not an object' };
    }
    case 12: { // duplicate keys
      const field = pick(fields);
      return { path, body: JSON.stringify(base).replace(/}$/, `,"${field}":${JSON.stringify(base[field])}}`), kind: 'duplicate key' };
    }
    default: { // the honeypot filled in (requests only)
      if (consent) return { ...json({ ...base, gpc: 'yes' }), kind: 'wrong type' };
      return { ...json({ ...base, honeypot: 'http://spam.example' }), kind: 'honeypot' };
    }
  }
}

async function send({ path, body, contentType = 'application/json' }) {
  const headers = contentType ? { 'content-type': contentType } : {};
  const response = await fetch(`${worker.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let code = null;
  try {
    code = JSON.parse(text)?.error?.code ?? null;
  } catch {
    /* not JSON */
  }
  return { status: response.status, code, text };
}

async function inBatches(items, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  }));
  return results;
}

async function listed(kind, shop) {
  const response = await worker.admin(`/api/admin/${kind}?shop=${shop}`);
  assert.equal(response.status, 200);
  return response.json();
}

test(`${MALFORMED} malformed bodies each get a 4xx with a code; KV holds exactly the ${VALID} valid ones (seed ${SEED})`, async () => {
  const cases = [];
  for (let i = 0; i < MALFORMED; i += 1) cases.push({ ...malformed(), valid: false });
  // Valid ones, interleaved.
  for (let i = 0; i < VALID; i += 1) {
    const consent = i % 3 === 0;
    const body = consent ? validConsent() : validRequest();
    cases.splice(int(cases.length + 1), 0, { path: consent ? '/api/consent' : '/api/requests', body: JSON.stringify(body), kind: 'valid', valid: true, shop: body.shop });
  }

  const started = Date.now();
  const results = await inBatches(cases, send);
  const seconds = (Date.now() - started) / 1000;

  const byKind = {};
  const failures = [];
  results.forEach((result, index) => {
    const c = cases[index];
    const tally = (byKind[c.kind] ??= { tried: 0, statuses: {} });
    tally.tried += 1;
    tally.statuses[result.status] = (tally.statuses[result.status] ?? 0) + 1;
    if (c.valid) {
      if (result.status !== 201) failures.push(`valid ${c.path} got ${result.status} ${result.text.slice(0, 200)}`);
    } else if (result.status < 400 || result.status > 499 || !CODES.has(result.code)) {
      const shown = Buffer.isBuffer(c.body) ? c.body.toString('hex').slice(0, 120) : String(c.body).slice(0, 160);
      failures.push(`${c.kind} ${c.path} got ${result.status} ${result.text.slice(0, 200)} for ${shown}`);
    }
  });
  console.log(`fuzz: seed ${SEED}; ${MALFORMED} malformed + ${VALID} valid bodies in ${seconds.toFixed(1)} s`);
  for (const [kind, { tried, statuses }] of Object.entries(byKind)) {
    console.log(`fuzz:   ${kind.padEnd(16)} ${String(tried).padStart(5)} tried, statuses ${JSON.stringify(statuses)}`);
  }
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} unexpected answers`);

  // KV holds exactly the valid ones: the listed references / record ids are the
  // ones acknowledged, nothing more.
  const acknowledged = { requests: new Set(), consent: new Set() };
  results.forEach((result, index) => {
    if (!cases[index].valid) return;
    const body = JSON.parse(result.text);
    if (cases[index].path === '/api/consent') acknowledged.consent.add(body.record_id);
    else acknowledged.requests.add(body.reference);
  });
  const stored = { requests: new Set(), consent: new Set() };
  for (const shop of ['demo-en', 'demo-nl']) {
    for (const r of await listed('requests', shop)) stored.requests.add(r.reference);
    for (const c of await listed('consent', shop)) stored.consent.add(c.record_id);
  }
  console.log(`fuzz: acknowledged ${acknowledged.requests.size} requests + ${acknowledged.consent.size} consent records; in KV ${stored.requests.size} + ${stored.consent.size}; rejected inputs tried ${MALFORMED}`);
  assert.deepEqual([...stored.requests].sort(), [...acknowledged.requests].sort());
  assert.deepEqual([...stored.consent].sort(), [...acknowledged.consent].sort());
  assert.equal(acknowledged.requests.size + acknowledged.consent.size, VALID);
  // And the Worker never fell over.
  assert.ok(!/internal error on/.test(worker.logs()), 'no internal error was logged');
});
