// The shop's widget configuration is cached by the browser and revalidated with
// its ETag: a returning visitor's browser asks with If-None-Match (in the
// background, stale-while-revalidate) and the real Worker answers 304 without a
// body, and the widget works from the cached copy.
// (That an edited configuration gets a new tag, and so comes in full, is a host
// test: desk/tests/routes.rs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser } from './harness.mjs';

let browser;
const workers = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const worker of workers) await worker.stop();
});

const CONFIG = '/api/shops/demo-en/config';

/** The config's answers as the page saw them, and what the browser sent. */
function watchConfig(page) {
  const seen = [];
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname !== CONFIG) return;
    const sent = await response.request().allHeaders();
    seen.push({ status: response.status(), ifNoneMatch: sent['if-none-match'] ?? null, etag: (await response.allHeaders()).etag ?? null });
  });
  return seen;
}

/** What wrangler logged for the config: its statuses, in order. */
const served = (worker) => [...worker.logs().matchAll(/GET \/api\/shops\/demo-en\/config (\d{3})/g)].map((m) => Number(m[1]));

async function visit(page, worker) {
  await page.goto(`${worker.url}/shop/en/`);
  await page.waitForFunction(() => window.__pdReady);
}

test('a returning visit revalidates the configuration and gets 304', async () => {
  const worker = await startWorker();
  workers.push(worker);
  const context = await browser.newContext();
  await context.addInitScript(() => document.addEventListener('privacydesk:ready', () => (window.__pdReady = true)));
  const page = await context.newPage();
  const seen = watchConfig(page);

  await visit(page, worker);
  await page.getByRole('region', { name: 'Cookie consent' }).getByRole('button', { name: 'Accept all', exact: true }).click();
  await page.getByRole('button', { name: 'Cookie settings', exact: true }).waitFor();
  assert.equal(seen.length, 1);
  assert.equal(seen[0].status, 200);
  assert.match(seen[0].etag ?? '', /^"[0-9a-f]{32}"$/);

  // The next page view: the browser uses its copy at once (stale-while-revalidate)
  // and asks in the background whether it is still current, with the tag it has;
  // the Worker says so without sending it again.
  await visit(page, worker);
  await page.getByRole('button', { name: 'Cookie settings', exact: true }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Cookie consent' }).count(), 0, 'the stored choice holds');
  for (let i = 0; i < 50 && served(worker).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(served(worker), [200, 304]);

  await context.close();
});
