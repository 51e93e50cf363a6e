// Benchmarks, run by `cargo xtask bench`: prints figures, next to a peer measured
// in the same run, and never asserts timings.
//   1. transfer sizes of the widget vs vanilla-cookieconsent 3.1.0;
//   2. in headless Chromium, the English demo shop with our tag vs the same page
//      with the peer: banner visible, total blocking time, CLS, click -> consent update;
//   3. the edge: requests/s and p50/p99 for the consent and rights endpoints,
//      against a static asset served by the same Worker as the baseline.
// Options: --runs N (browser runs per page, default 15), --requests N (per edge
// endpoint, default 400), --concurrency N (default 8).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, startWorker, launchBrowser } from '../e2e/harness.mjs';
import { sizes, WIDGET_FILES, FORM_FILES } from './size.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = option('runs', 15);
const REQUESTS = option('requests', 400);
const CONCURRENCY = option('concurrency', 8);

const PEER_DIR = path.join(ROOT, 'www', 'bench');
const PEER_VENDOR = path.join(ROOT, 'node_modules', 'vanilla-cookieconsent', 'dist');
const PEER_FILES = ['www/bench/cookieconsent.umd.js', 'www/bench/cookieconsent.css', 'www/bench/peer-head.js', 'www/bench/peer-init.js'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ratio = (ours, peer) => (peer > 0 ? (ours / peer).toFixed(2) : ours === 0 ? '1.00' : 'n/a');
const fmt = (n, unit = '') => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 1)}${unit}` : 'n/a');

/** The peer page: our English shop's home page with vanilla-cookieconsent instead of our tag. */
function writePeerPage() {
  rmSync(PEER_DIR, { recursive: true, force: true });
  mkdirSync(PEER_DIR, { recursive: true });
  for (const file of ['cookieconsent.umd.js', 'cookieconsent.css']) copyFileSync(path.join(PEER_VENDOR, file), path.join(PEER_DIR, file));
  for (const file of ['peer-head.js', 'peer-init.js']) copyFileSync(path.join(ROOT, 'tests', 'bench', 'peer', file), path.join(PEER_DIR, file));
  const shop = readFileSync(path.join(ROOT, 'www', 'shop', 'en', 'index.html'), 'utf8');
  const ourTag = /<script\s+src="\/widget\.js"[^>]*><\/script>/;
  if (!ourTag.test(shop)) throw new Error('www/shop/en/index.html has no widget tag to swap');
  const peer = shop
    .replace(ourTag, '<link rel="stylesheet" href="/bench/cookieconsent.css"><script src="/bench/peer-head.js"></script>')
    .replace('</body>', '<script defer src="/bench/cookieconsent.umd.js"></script><script defer src="/bench/peer-init.js"></script></body>')
    .replace(/(href|src)="(?!\/|https?:|#|data:)([^"]+)"/g, '$1="/shop/en/$2"');
  writeFileSync(path.join(PEER_DIR, 'peer.html'), peer);
}

// Runs in the page before any of its scripts: records when an "Accept all" button
// first becomes visible (in the document or any open shadow root), long tasks,
// layout shifts, the Accept click and the following consent update.
const PROBE = () => {
  const b = (window.__bench = { bannerAt: null, clickAt: null, updateAt: null, longTasks: [], cls: 0 });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => b.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => { if (!e.hadRecentInput) b.cls += e.value; })).observe({ type: 'layout-shift', buffered: true });
  let layer;
  Object.defineProperty(window, 'dataLayer', {
    configurable: true,
    get: () => layer,
    set(value) {
      layer = value;
      const push = value.push.bind(value);
      value.push = (...items) => {
        for (const item of items) {
          if (item && item[0] === 'consent' && item[1] === 'update' && b.clickAt !== null && b.updateAt === null) b.updateAt = performance.now();
        }
        return push(...items);
      };
    },
  });
  addEventListener('click', () => { if (b.clickAt === null) b.clickAt = performance.now(); }, true);
  const find = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.tagName === 'BUTTON' && /^\s*accept all\s*$/i.test(el.textContent) && el.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) && el.getBoundingClientRect().width > 0) return el;
      if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) return inner; }
    }
    return null;
  };
  const poll = () => { if (find(document)) b.bannerAt = performance.now(); else requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
};

async function measurePage(browser, url) {
  const context = await browser.newContext();
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__bench.bannerAt !== null, null, { timeout: 15_000 });
  await page.waitForTimeout(300); // let late long tasks and shifts be observed
  await page.getByRole('button', { name: /^accept all$/i }).first().click();
  await page.waitForFunction(() => window.__bench.updateAt !== null, null, { timeout: 10_000 });
  const b = await page.evaluate(() => window.__bench);
  await context.close();
  return {
    banner: b.bannerAt,
    tbt: b.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    cls: b.cls,
    update: b.updateAt - b.clickAt,
  };
}

async function load(url, makeInit, count, concurrency) {
  const latencies = [];
  const statuses = new Map();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const response = await fetch(url, makeInit(i));
        await response.arrayBuffer();
        latencies.push(performance.now() - t);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rps: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses: Object.fromEntries(statuses) };
}

function printRows(title, header, rows) {
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main() {
  writePeerPage();
  const ours = sizes(WIDGET_FILES);
  const form = sizes(FORM_FILES);
  const peer = sizes(PEER_FILES.slice(0, 2));
  const total = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const kb = (n) => (n / 1024).toFixed(1);
  const [o, p] = [total(ours), total(peer)];
  printRows('Transfer size (KB; gzip -9, brotli q11)', ['what', 'raw', 'gzip', 'brotli'], [
    ...ours.map((r) => [`ours: ${r.file.replace('www/', '/')}`, kb(r.raw), kb(r.gzip), kb(r.brotli)]),
    ['ours: total', kb(o.raw), kb(o.gzip), kb(o.brotli)],
    ...peer.map((r) => [`peer: ${path.basename(r.file)}`, kb(r.raw), kb(r.gzip), kb(r.brotli)]),
    ['peer: total (vanilla-cookieconsent 3.1.0)', kb(p.raw), kb(p.gzip), kb(p.brotli)],
    ['ratio ours/peer', ratio(o.raw, p.raw), ratio(o.gzip, p.gzip), ratio(o.brotli, p.brotli)],
    ...form.map((r) => [`ours, privacy page only: ${r.file.replace('www/', '/')}`, kb(r.raw), kb(r.gzip), kb(r.brotli)]),
  ]);
  console.log('(the peer has no rights-request form; ours loads its form module only on pages that show the form)');

  const worker = await startWorker({ vars: { RATE_LIMIT: 'off' } });
  const browser = await launchBrowser();
  try {
    const samples = { ours: [], peer: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so that any drift of the machine hits both alike.
      samples.ours.push(await measurePage(browser, `${worker.url}/shop/en/`));
      samples.peer.push(await measurePage(browser, `${worker.url}/bench/peer`));
    }
    const m = (who, key) => median(samples[who].map((s) => s[key]));
    printRows(`Browser, median of ${RUNS} runs each (headless Chromium, same Worker, same page)`, ['metric', 'ours', 'peer', 'ratio'], [
      ['banner visible after navigation start', fmt(m('ours', 'banner'), ' ms'), fmt(m('peer', 'banner'), ' ms'), ratio(m('ours', 'banner'), m('peer', 'banner'))],
      ['total blocking time', fmt(m('ours', 'tbt'), ' ms'), fmt(m('peer', 'tbt'), ' ms'), ratio(m('ours', 'tbt'), m('peer', 'tbt'))],
      ['cumulative layout shift', fmt(m('ours', 'cls')), fmt(m('peer', 'cls')), ratio(m('ours', 'cls'), m('peer', 'cls'))],
      ["click Accept -> gtag('consent','update')", fmt(m('ours', 'update'), ' ms'), fmt(m('peer', 'update'), ' ms'), ratio(m('ours', 'update'), m('peer', 'update'))],
    ]);

    const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: worker.url }, body: JSON.stringify(body) });
    const token = () => randomBytes(16).toString('base64url');
    const baseline = await load(`${worker.url}/widget.js`, () => ({}), REQUESTS, CONCURRENCY);
    const consent = await load(`${worker.url}/api/consent`, () => json({ shop: 'demo-en', consent_id: token(), policy_version: '2026-11-01', choices: { analytics: true, marketing: false }, source: 'banner', lang: 'en', gpc: false }), REQUESTS, CONCURRENCY);
    const requests = await load(`${worker.url}/api/requests`, (i) => json({ shop: 'demo-en', right: 'access', name: `Bench ${i}`, email: `bench${i}@example.com`, confirm_true: true, lang: 'en', idempotency_key: token() }), REQUESTS, CONCURRENCY);
    printRows(`Edge, local wrangler dev, ${REQUESTS} requests each at concurrency ${CONCURRENCY} (loopback)`, ['endpoint', 'req/s', 'p50', 'p99', 'p50 / static', 'statuses'], [
      ['GET /widget.js (static asset, baseline)', baseline.rps.toFixed(0), fmt(baseline.p50, ' ms'), fmt(baseline.p99, ' ms'), '1.00', JSON.stringify(baseline.statuses)],
      ['POST /api/consent', consent.rps.toFixed(0), fmt(consent.p50, ' ms'), fmt(consent.p99, ' ms'), ratio(consent.p50, baseline.p50), JSON.stringify(consent.statuses)],
      ['POST /api/requests', requests.rps.toFixed(0), fmt(requests.p50, ' ms'), fmt(requests.p99, ' ms'), ratio(requests.p50, baseline.p50), JSON.stringify(requests.statuses)],
    ]);
    console.log('\nWorker CPU time per request: not reported by local wrangler dev (see the Cloudflare dashboard in production).');
  } finally {
    await browser.close();
    await worker.stop();
    rmSync(PEER_DIR, { recursive: true, force: true });
  }
}

await main();
