// Benchmarks, run by `cargo xtask bench`: prints figures, next to a peer measured
// in the same run, and never asserts timings.
//   1. transfer sizes of the widget vs vanilla-cookieconsent 3.1.0;
//   2. in headless Chromium, the English demo shop the way shops use us: the shop's
//      page on its own origin (a small Node server on another port, which also
//      serves the shop's CSS and images and, self-hosted, the peer), our widget
//      from the Worker's origin. Same page, same shop CSS for both; only the consent
//      tool differs. Two network profiles: loopback, and Lighthouse's slow mobile
//      profile (150 ms latency, 1.6 Mbps down, 750 kbps up) through the DevTools
//      protocol; the HTTP cache is disabled in both. Two visits: a first visit
//      (banner visible, bytes before it, opening the preferences, TBT, CLS, the
//      click on Accept) and a returning visit with a valid choice stored (bytes,
//      and when the stored choice has been applied);
//   3. the edge: p50/p90 of the config, consent and rights endpoints against a
//      static asset of the same Worker as the baseline, interleaved, at concurrency 1
//      (the headline) and N, in several rounds.
// Options: --runs N (browser runs per page and profile, default 9), --requests N
// (per edge endpoint and round, default 200), --concurrency N (default 8), --rounds N
// (edge rounds, default 3), --only browser|edge,
// --timeline (also print one cold slow-profile load of each: every request's start
// and end, and when the banner showed).
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ROOT, startWorker, launchBrowser, freePort } from '../e2e/harness.mjs';
import { sizes, WIDGET_FILES, PREFS_FILES, FORM_FILES } from './size.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const RUNS = Number(option('runs', 9));
const REQUESTS = Number(option('requests', 200));
const CONCURRENCY = Number(option('concurrency', 8));
const ROUNDS = Number(option('rounds', 3));
const ONLY = option('only', '');
const TIMELINE = args.includes('--timeline');

const PEER_VENDOR = path.join(ROOT, 'node_modules', 'vanilla-cookieconsent', 'dist');
const PEER_FILES = [path.join(PEER_VENDOR, 'cookieconsent.umd.js'), path.join(PEER_VENDOR, 'cookieconsent.css')];

/** Lighthouse's mobile profile, as DevTools applies it. */
const SLOW = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const PROFILES = { loopback: null, slow: SLOW };

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ratio = (ours, peer) => (!Number.isFinite(ours) || !Number.isFinite(peer) ? 'n/a' : peer > 0 ? (ours / peer).toFixed(2) : ours === 0 ? '1.00' : 'n/a');
const fmt = (n, unit = '') => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 1)}${unit}` : 'n/a');
const kb = (n) => (Number.isFinite(n) ? `${(n / 1024).toFixed(1)} KB` : 'n/a');

/**
 * The shop's own origin: serves www/ (the shop pages, their CSS and images) and the
 * peer's files, self-hosted as the peer's docs suggest. `/shop/en/` is the demo page
 * with our one tag pointing at the Worker; `/peer/` is the same page with
 * vanilla-cookieconsent instead. Compressed like a production host (gzip).
 */
async function startShop(workerUrl) {
  const shop = readFileSync(path.join(ROOT, 'www', 'shop', 'en', 'index.html'), 'utf8');
  const ourTag = /<script\s+src="\/widget\.js"[^>]*><\/script>/;
  if (!ourTag.test(shop)) throw new Error('www/shop/en/index.html has no widget tag to swap');
  const pages = {
    '/shop/en/': shop.replace('src="/widget.js"', `src="${workerUrl}/widget.js"`),
    '/peer/': shop
      .replace(ourTag, '<link rel="stylesheet" href="/peer/cookieconsent.css"><script src="/peer/peer-head.js"></script>')
      .replace('</body>', '<script defer src="/peer/cookieconsent.umd.js"></script><script defer src="/peer/peer-init.js"></script></body>'),
  };
  const files = {
    '/peer/cookieconsent.css': PEER_FILES[1],
    '/peer/cookieconsent.umd.js': PEER_FILES[0],
    '/peer/peer-head.js': path.join(ROOT, 'tests', 'bench', 'peer', 'peer-head.js'),
    '/peer/peer-init.js': path.join(ROOT, 'tests', 'bench', 'peer', 'peer-init.js'),
  };
  const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://shop');
    let body;
    let file = files[url.pathname];
    if (pages[url.pathname]) body = Buffer.from(pages[url.pathname]);
    else {
      file ??= path.join(ROOT, 'www', path.normalize(url.pathname).replace(/^\/+/, ''));
      if (!file.startsWith(path.join(ROOT, 'www')) && !Object.values(files).includes(file)) file = null;
      if (file && !path.extname(file) && existsSync(`${file}.html`)) file = `${file}.html`;
      if (file && existsSync(file) && statSync(file).isFile()) body = readFileSync(file);
    }
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const type = file ? (types[path.extname(file)] ?? 'application/octet-stream') : types['.html'];
    const headers = { 'content-type': type, 'cache-control': 'no-cache' };
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      body = gzipSync(body, { level: 9 });
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, headers).end(body);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://localhost:${port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

// Runs in the page before any of its scripts: records when an "Accept all" button
// first becomes visible (in the document or any open shadow root), when a dialog
// becomes visible after a click, long tasks, layout shifts, clicks, the consent
// updates pushed to dataLayer, and when the tool says a stored choice is applied
// (ours: `privacydesk:ready`; the peer: `cc:onConsent`).
const PROBE = () => {
  const b = (window.__bench = { bannerAt: null, clicks: [], dialogAt: null, updates: [], readyAt: null, longTasks: [], cls: 0 });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => b.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => list.getEntries().forEach((e) => { if (!e.hadRecentInput) b.cls += e.value; })).observe({ type: 'layout-shift', buffered: true });
  document.addEventListener('privacydesk:ready', () => (b.readyAt ??= performance.now()));
  window.addEventListener('cc:onConsent', () => (b.readyAt ??= performance.now()));
  let layer;
  Object.defineProperty(window, 'dataLayer', {
    configurable: true,
    get: () => layer,
    set(value) {
      layer = value;
      const push = value.push.bind(value);
      value.push = (...items) => {
        for (const item of items) if (item && item[0] === 'consent' && item[1] === 'update') b.updates.push(performance.now());
        return push(...items);
      };
    },
  });
  addEventListener('click', () => b.clicks.push(performance.now()), true);
  const visible = (el) => el.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) && el.getBoundingClientRect().width > 0;
  const find = (root, match) => {
    for (const el of root.querySelectorAll('*')) {
      if (match(el) && visible(el)) return el;
      if (el.shadowRoot) { const inner = find(el.shadowRoot, match); if (inner) return inner; }
    }
    return null;
  };
  const accept = (el) => el.tagName === 'BUTTON' && /^\s*accept all\s*$/i.test(el.textContent);
  // The preferences dialog, by its accessible name (the peer's banner is a dialog too).
  const dialog = (el) => {
    if (el.getAttribute('role') !== 'dialog') return false;
    const label = (el.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => el.getRootNode().getElementById?.(id)?.textContent ?? '').join(' ');
    return /cookie preferences/i.test(label + (el.getAttribute('aria-label') ?? ''));
  };
  const poll = () => {
    if (b.bannerAt === null && find(document, accept)) b.bannerAt = performance.now();
    if (b.clicks.length && b.dialogAt === null && find(document, dialog)) b.dialogAt = performance.now();
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

/** A browser context with the probe, the network profile and the cache off. */
async function newPage(browser, profile) {
  const context = await browser.newContext();
  await context.addInitScript(PROBE);
  // The Google tag is requested after Accept: answer it locally, the same for both.
  await context.route(/googletagmanager\.com/, (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (profile) await cdp.send('Network.emulateNetworkConditions', profile);
  return { context, page, cdp };
}

/**
 * Records the consent tool's responses (ours: everything from the Worker's origin;
 * the peer: its files under /peer/, the set-up scripts included), and their
 * bodies' gzip -9 size: what a compressing host sends, independent of how the
 * local servers compress.
 */
function watchTool(page, isTool) {
  const seen = [];
  page.on('response', async (response) => {
    if (!isTool(response.url())) return;
    const entry = { url: response.url(), gzip: NaN };
    seen.push(entry);
    try {
      entry.gzip = gzipSync(await response.body(), { level: 9 }).length;
    } catch {
      /* no body (redirect, aborted) */
    }
  });
  return {
    /** gzip bytes of the tool's responses whose request was made before `t` (page time). */
    bytesBefore: async (t) => {
      const times = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name, e.startTime]));
      const started = new Map();
      for (const [name, at] of times) if (!started.has(name)) started.set(name, at);
      return seen.filter((e) => (started.get(e.url) ?? 0) <= t).reduce((sum, e) => sum + (Number.isFinite(e.gzip) ? e.gzip : 0), 0);
    },
    all: () => seen.reduce((sum, e) => sum + (Number.isFinite(e.gzip) ? e.gzip : 0), 0),
    urls: () => seen.map((e) => e.url),
  };
}

const settle = (page, ms) => page.waitForTimeout(ms);

/** A first visit: banner, bytes before it, then Preferences, then Accept in the dialog. */
async function firstVisit(browser, url, profile, isTool, isOurs) {
  const { context, page, cdp } = await newPage(browser, profile);
  const tool = watchTool(page, isTool);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__bench.bannerAt !== null, null, { timeout: 30_000 });
  const bannerAt = await page.evaluate(() => window.__bench.bannerAt);
  const bytes = await tool.bytesBefore(bannerAt);
  await settle(page, profile ? 1500 : 300); // idle time after the banner: late long tasks, shifts, idle fetches
  // Usable: a click on the banner takes effect. Ours: the loader draws the banner
  // from the configuration and does Accept all / Reject all itself (the consent
  // module is not needed for them; tests/e2e/banner-first.test.mjs and
  // size-budget.test.mjs click them with every module held back), and dispatches
  // `privacydesk:ready` right after drawing it: usable at `privacydesk:ready`,
  // counting every file requested before it (the modules are fetched when the
  // browser is idle after it). The peer's banner is drawn by its script, so it is usable when
  // visible.
  if (isOurs) await page.waitForFunction(() => window.__bench.readyAt !== null, null, { timeout: 30_000 });
  const usable = Math.max(bannerAt, (await page.evaluate(() => window.__bench.readyAt)) ?? bannerAt);
  const usableBytes = await tool.bytesBefore(usable);
  await page.getByRole('button', { name: /^preferences$/i }).first().click();
  await page.waitForFunction(() => window.__bench.dialogAt !== null, null, { timeout: 30_000 });
  await settle(page, 100);
  await page.getByRole('dialog', { name: /cookie preferences/i }).getByRole('button', { name: /^accept all$/i }).click();
  await page.waitForFunction(() => window.__bench.updates.some((t) => t > window.__bench.clicks.at(-1)), null, { timeout: 30_000 });
  const b = await page.evaluate(() => window.__bench);
  const result = {
    banner: b.bannerAt,
    bytes,
    usable,
    usableBytes,
    dialog: b.dialogAt - b.clicks[0],
    tbt: b.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    cls: b.cls,
    update: b.updates.find((t) => t > b.clicks.at(-1)) - b.clicks.at(-1),
    allBytes: tool.all(),
  };
  // The returning visit: the same visitor (cookie stored) on the next page view.
  const before = tool.all();
  await page.evaluate(() => performance.clearResourceTimings());
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__bench.readyAt !== null, null, { timeout: 30_000 });
  await settle(page, profile ? 1000 : 200);
  const r = await page.evaluate(() => window.__bench);
  result.returnReady = r.readyAt;
  result.returnBytes = tool.all() - before;
  result.returnBanner = r.bannerAt !== null;
  // A returning visit with the HTTP cache kept (one page view to fill it, then the
  // measured one, within the cache lifetimes): the tool's bytes over the wire
  // (headers included) and how its configuration was answered.
  // Playwright's routing turns the HTTP cache off: the Google tag is blocked instead.
  await context.unrouteAll();
  await cdp.send('Network.setBlockedURLs', { urls: ['*googletagmanager.com*'] });
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__bench.readyAt !== null, null, { timeout: 30_000 });
  const wire = new Map();
  const onResponse = (e) => { if (isTool(e.response.url)) wire.set(e.requestId, { url: e.response.url, status: `${e.response.status}${e.response.fromDiskCache || e.response.fromMemoryCache ? ' from cache' : ''}`, bytes: 0 }); };
  const onFinished = (e) => { if (wire.has(e.requestId)) wire.get(e.requestId).bytes = e.encodedDataLength; };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__bench.readyAt !== null, null, { timeout: 30_000 });
  await settle(page, profile ? 1000 : 300);
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  result.cachedWire = [...wire.values()].reduce((sum, e) => sum + e.bytes, 0);
  result.cachedReady = await page.evaluate(() => window.__bench.readyAt);
  result.cachedConfig = [...wire.values()].filter((e) => e.url.includes('/config')).map((e) => e.status).join(',') || 'cache';
  await context.close();
  return result;
}

function printRows(title, header, rows) {
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function browserBench(worker) {
  const shop = await startShop(worker.url);
  const browser = await launchBrowser();
  try {
    const targets = {
      ours: { url: `${shop.url}/shop/en/`, isTool: (u) => u.startsWith(worker.url) },
      peer: { url: `${shop.url}/peer/`, isTool: (u) => u.startsWith(`${shop.url}/peer/`) && u !== `${shop.url}/peer/` },
    };
    if (TIMELINE) {
      for (const [who, target] of Object.entries(targets)) {
        const { context, page } = await newPage(browser, SLOW);
        await page.goto(target.url, { waitUntil: 'load' });
        await page.waitForFunction(() => window.__bench.bannerAt !== null, null, { timeout: 30_000 });
        await settle(page, 1500);
        const { entries, bannerAt } = await page.evaluate(() => ({
          bannerAt: window.__bench.bannerAt,
          entries: [{ name: location.href, startTime: 0, responseEnd: performance.getEntriesByType('navigation')[0].responseEnd }]
            .concat(performance.getEntriesByType('resource').map((e) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd }))),
        }));
        console.log(`\n${who}, one cold load on the slow profile (ms from navigation start):`);
        for (const e of entries.sort((a, b) => a.startTime - b.startTime)) {
          console.log(`  ${e.startTime.toFixed(0).padStart(5)} -> ${e.responseEnd.toFixed(0).padStart(5)}  ${e.name.replace(/^https?:\/\/[^/]+/, '')}`);
        }
        console.log(`  banner visible at ${bannerAt.toFixed(0)}`);
        await context.close();
      }
    }
    const rows = [];
    for (const [profileName, profile] of Object.entries(PROFILES)) {
      const samples = { ours: [], peer: [] };
      for (let i = 0; i < RUNS; i++) {
        // Alternate, so that any drift of the machine hits both alike.
        for (const who of ['ours', 'peer']) samples[who].push(await firstVisit(browser, targets[who].url, profile, targets[who].isTool, who === 'ours'));
      }
      const m = (who, key) => median(samples[who].map((s) => s[key]));
      const row = (label, key, show) => [`${label}, ${profileName}`, show(m('ours', key)), show(m('peer', key)), ratio(m('ours', key), m('peer', key))];
      const ms = (n) => fmt(n, ' ms');
      if (profileName === 'loopback') {
        rows.push(row('first visit: tool bytes before the banner (gzip)', 'bytes', kb));
        rows.push(row('first visit: tool bytes before the banner is usable (gzip)', 'usableBytes', kb));
        rows.push(row('first visit: all tool bytes incl. preferences (gzip)', 'allBytes', kb));
        rows.push(row('returning visit: tool bytes (gzip)', 'returnBytes', kb));
        // The peer is self-hosted here with `no-cache` and no validators, so it has
        // no cached case to compare with.
        rows.push([`returning visit, HTTP cache kept: tool bytes over the wire, ${profileName}`, `${m('ours', 'cachedWire')} B`, 'n/a', 'n/a']);
        rows.push([`returning visit, HTTP cache kept: config answered, ${profileName}`, [...new Set(samples.ours.map((x) => x.cachedConfig))].join(' / '), 'n/a', 'n/a']);
      }
      rows.push(row('first visit: banner visible', 'banner', ms));
      rows.push(row('first visit: banner usable (a click takes effect)', 'usable', ms));
      rows.push(row('first visit: click Preferences -> dialog visible', 'dialog', ms));
      rows.push(row('first visit: total blocking time', 'tbt', ms));
      rows.push(row('first visit: cumulative layout shift', 'cls', (n) => fmt(n)));
      rows.push(row("click Accept -> gtag('consent','update')", 'update', ms));
      rows.push(row('returning visit: stored choice applied', 'returnReady', ms));
      rows.push([`returning visit, HTTP cache kept: stored choice applied, ${profileName}`, ms(m('ours', 'cachedReady')), 'n/a', 'n/a']);
      const shown = samples.ours.filter((s) => s.returnBanner).length + samples.peer.filter((s) => s.returnBanner).length;
      if (shown) console.log(`warning: a banner was shown on ${shown} returning visits`);
    }
    printRows(
      `Browser, median of ${RUNS} runs each: shop page on its own origin (${shop.url}), our widget from the Worker (${worker.url}), the peer self-hosted; HTTP cache off; slow = 150 ms latency, 1.6 Mbps down, 750 kbps up`,
      ['metric', 'ours', 'peer', 'ratio'],
      rows,
    );
    console.log("(times from navigation start; 'stored choice applied' is our privacydesk:ready, the peer's cc:onConsent)");
  } finally {
    await browser.close();
    await shop.stop();
  }
}

/**
 * The edge, interleaved: every loop (one per connection) sends the endpoints in turn
 * (static, config, config revalidated, consent, rights request), each loop starting
 * at another endpoint, so machine load (other processes, the rights requests' mail
 * after the answer) hits every endpoint alike. `count` requests per endpoint.
 */
async function interleaved(endpoints, count, concurrency) {
  const latencies = endpoints.map(() => []);
  const statuses = endpoints.map(() => new Map());
  const next = endpoints.map(() => 0);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let turn = loop; next.some((n) => n < count); turn++) {
        const e = turn % endpoints.length;
        if (next[e] >= count) continue;
        const i = next[e]++;
        const t = performance.now();
        const response = await fetch(endpoints[e].url, endpoints[e].init(i));
        await response.arrayBuffer();
        latencies[e].push(performance.now() - t);
        statuses[e].set(response.status, (statuses[e].get(response.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return endpoints.map((_, e) => ({
    rps: (count * endpoints.length) / seconds,
    p50: percentile(latencies[e], 50),
    p90: percentile(latencies[e], 90),
    statuses: Object.fromEntries(statuses[e]),
  }));
}

/**
 * Concurrency 1 (one visitor at a time: what a small shop's visitor meets) is the
 * headline, concurrency CONCURRENCY (throughput of the one local KV simulator)
 * beside it; ROUNDS rounds of each, alternating, so the spread shows.
 */
async function edgeBench(worker) {
  const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: worker.url }, body: JSON.stringify(body) });
  const token = () => randomBytes(16).toString('base64url');
  const configUrl = `${worker.url}/api/shops/demo-en/config`;
  const first = await fetch(configUrl, { headers: { 'accept-encoding': 'gzip' } });
  const configBytes = gzipSync(Buffer.from(await first.arrayBuffer()), { level: 9 }).length;
  const etag = first.headers.get('etag');
  let n = 0;
  const endpoints = [
    { name: 'GET /widget.js (static asset, baseline)', url: `${worker.url}/widget.js`, init: () => ({}) },
    { name: `GET config (${(configBytes / 1024).toFixed(1)} KB gzip body)`, url: configUrl, init: () => ({}) },
    { name: 'GET config, If-None-Match (no body)', url: configUrl, init: () => ({ headers: { 'if-none-match': etag } }) },
    { name: 'POST /api/consent', url: `${worker.url}/api/consent`, init: () => json({ shop: 'demo-en', consent_id: token(), policy_version: '2026-11-01', choices: { analytics: true, marketing: false }, source: 'banner', lang: 'en', gpc: false }) },
    { name: 'POST /api/requests', url: `${worker.url}/api/requests`, init: () => (n++, json({ shop: 'demo-en', right: 'access', name: `Bench ${n}`, email: `bench${n}@example.com`, confirm_true: true, lang: 'en', idempotency_key: token() })) },
  ];
  // Warm-up: the isolate's start, the WASM's compilation, the KV simulator's files.
  await interleaved(endpoints, 10, 1);
  const levels = [1, CONCURRENCY];
  const runs = new Map(levels.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of levels) runs.get(c).push(await interleaved(endpoints, REQUESTS, c));
  }
  const ms = (n) => fmt(n, ' ms');
  const spread = (xs) => (xs.length > 1 ? ` (${xs.map((x) => x.toFixed(2)).join(' ')})` : '');
  for (const c of levels) {
    const rounds = runs.get(c);
    const ratios = (e, key) => rounds.map((r) => r[e][key] / r[0][key]);
    const rows = endpoints.map((endpoint, e) => {
      const p50s = rounds.map((r) => r[e].p50);
      const p90s = rounds.map((r) => r[e].p90);
      const statuses = {};
      for (const r of rounds) for (const [s, k] of Object.entries(r[e].statuses)) statuses[s] = (statuses[s] ?? 0) + k;
      return [
        endpoint.name,
        ms(median(p50s)),
        ms(median(p90s)),
        e === 0 ? '1.00' : `${median(ratios(e, 'p50')).toFixed(2)}${spread(ratios(e, 'p50'))}`,
        e === 0 ? '1.00' : median(ratios(e, 'p90')).toFixed(2),
        JSON.stringify(statuses),
      ];
    });
    rows.push(['all endpoints together, req/s', median(rounds.map((r) => r[0].rps)).toFixed(0), '', '', '', '']);
    printRows(
      `Edge, local wrangler dev, concurrency ${c}${c === 1 ? ' (headline: one visitor at a time)' : ' (throughput)'}: ${ROUNDS} rounds of ${REQUESTS} requests per endpoint, endpoints interleaved; median over rounds (each round's ratio in brackets)`,
      ['endpoint', 'p50', 'p90', 'p50 / static', 'p90 / static', 'statuses'],
      rows,
    );
  }
  // Local KV is one simulator whose every operation writes SQLite and a blob file
  // there: on this machine's shared disk that, not our code, sets the KV routes'
  // times (TMPDIR=/dev/shm takes the disk out; ARCHITECTURE.md, "The edge").
  console.log(`\nKV simulator files under ${process.env.TMPDIR ?? '/tmp'}. Worker CPU time per request: not reported by local wrangler dev (see the Cloudflare dashboard in production).`);
}

async function main() {
  const ours = sizes(WIDGET_FILES);
  const prefs = sizes(PREFS_FILES);
  const form = sizes(FORM_FILES);
  const peer = sizes(PEER_FILES.map((f) => path.relative(ROOT, f)));
  const total = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const k = (n) => (n / 1024).toFixed(1);
  const [o, p] = [total(ours), total(peer)];
  printRows('Transfer size of the files (KB; gzip -9, brotli q11)', ['what', 'raw', 'gzip', 'brotli'], [
    ...ours.map((r) => [`ours: ${r.file.replace('www/', '/')}`, k(r.raw), k(r.gzip), k(r.brotli)]),
    ['ours: total', k(o.raw), k(o.gzip), k(o.brotli)],
    ...peer.map((r) => [`peer: ${path.basename(r.file)}`, k(r.raw), k(r.gzip), k(r.brotli)]),
    ['peer: total (vanilla-cookieconsent 3.1.0)', k(p.raw), k(p.gzip), k(p.brotli)],
    ['ratio ours/peer', ratio(o.raw, p.raw), ratio(o.gzip, p.gzip), ratio(o.brotli, p.brotli)],
    ...prefs.map((r) => [`ours, after the banner (idle) or on first use: ${r.file.replace('www/', '/')}`, k(r.raw), k(r.gzip), k(r.brotli)]),
    ...form.map((r) => [`ours, privacy page only: ${r.file.replace('www/', '/')}`, k(r.raw), k(r.gzip), k(r.brotli)]),
  ]);
  console.log('(ours: the preferences dialog is a module of its own; the peer has no rights-request form, ours loads its form module only on pages that show the form)');

  const worker = await startWorker({ vars: { RATE_LIMIT: 'off' } });
  try {
    if (ONLY !== 'edge') await browserBench(worker);
    if (ONLY === 'browser') return;
    await edgeBench(worker);
  } finally {
    await worker.stop();
  }
}

await main();
