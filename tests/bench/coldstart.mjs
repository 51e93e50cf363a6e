// Cold start of the Worker under local `wrangler dev`, run by `cargo xtask bench
// --coldstart`: prints figures, never asserts timings. Per run, a fresh wrangler dev
// (workerd) on a fresh KV directory:
//   - process start -> first answered request (the harness's readiness check,
//     GET / from the assets; workerd has loaded and compiled the Worker by then);
//   - the first GET /api/shops/demo-en/config (the first call into our WASM: reads
//     the shops from vars, validates them, answers JSON) and the first static asset
//     (GET /widget.js, served without the Worker), then the warm p50 of each over
//     --requests N sequential requests (default 40).
// Options: --runs N (default 5). What a local figure does not tell about
// Cloudflare's edge: see ARCHITECTURE.md, "Worker weight after access answers".
import { startWorker } from '../e2e/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = option('runs', 5);
const REQUESTS = option('requests', 40);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function timed(url) {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return performance.now() - started;
}

async function warm(url) {
  const times = [];
  for (let i = 0; i < REQUESTS; i += 1) times.push(await timed(url));
  return median(times);
}

const rows = { ready: [], firstConfig: [], warmConfig: [], firstStatic: [], warmStatic: [] };
for (let run = 0; run < RUNS; run += 1) {
  const started = performance.now();
  const worker = await startWorker();
  try {
    rows.ready.push(performance.now() - started);
    rows.firstConfig.push(await timed(`${worker.url}/api/shops/demo-en/config`));
    rows.firstStatic.push(await timed(`${worker.url}/widget.js`));
    rows.warmConfig.push(await warm(`${worker.url}/api/shops/demo-en/config`));
    rows.warmStatic.push(await warm(`${worker.url}/widget.js`));
  } finally {
    await worker.stop();
  }
}

const ms = (v) => `${v.toFixed(1)} ms`;
console.log(`\nWorker cold start, local wrangler dev, median of ${RUNS} runs (all runs in brackets)`);
for (const [label, key] of [
  ['process start -> first answered request (GET /)', 'ready'],
  ['first GET /api/shops/demo-en/config', 'firstConfig'],
  [`warm p50 GET /api/shops/demo-en/config (${REQUESTS} sequential)`, 'warmConfig'],
  ['first GET /widget.js (static asset)', 'firstStatic'],
  [`warm p50 GET /widget.js (${REQUESTS} sequential)`, 'warmStatic'],
]) {
  console.log(`  ${label.padEnd(62)} ${ms(median(rows[key])).padStart(10)}   [${rows[key].map((v) => v.toFixed(0)).join(', ')}]`);
}
