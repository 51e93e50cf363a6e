// The loader (`widget/loader.js`) at the edges of its life, in Chromium against the
// real Worker: a visitor whose connection drops after the page and the loader
// arrived gets no unhandled promise rejection (the Consent Mode defaults simply
// stay denied), and `PrivacyDesk.open()` called by the shop right after the tag,
// long before the module has arrived, opens the preferences once it has; and a
// returning visitor gets the preferences dialog's module only when opening it.
//
// Both run under the demo shop's strict CSP, so the shop's own early call is a
// same-origin script the test serves, placed right after our tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, launchBrowser } from './harness.mjs';

let worker;
let browser;

before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

/** A fresh visitor; records page errors and unhandled rejections as they happen. */
async function freshPage() {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.__rejections = [];
    addEventListener('unhandledrejection', (e) => window.__rejections.push(String(e.reason)));
    document.addEventListener('privacydesk:ready', () => (window.__pdReady = true));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

test('offline after the loader: no unhandled rejection, Consent Mode stays denied', async () => {
  const { context, page, errors } = await freshPage();
  // The page and the loader came through; the module, its WASM and the shop's
  // configuration do not (the connection dropped).
  await page.route((url) => url.pathname.startsWith('/w/') || url.pathname.startsWith('/api/'), (route) => route.abort('internetdisconnected'));
  const glueFailed = page.waitForEvent('requestfailed', (r) => new URL(r.url()).pathname === '/w/widget.js');
  await page.goto(`${worker.url}/shop/en/`);
  await glueFailed;
  // Import the same module URL in the page: it settles after the loader's own
  // import() (same module map entry), and one task later any rejection the loader
  // left unhandled has been reported.
  const again = await page.evaluate(async (url) => {
    const outcome = await import(url).then(() => 'loaded', () => 'failed');
    await new Promise((resolve) => setTimeout(resolve, 0));
    return outcome;
  }, `${worker.url}/w/widget.js`);
  assert.equal(again, 'failed');
  assert.deepEqual(await page.evaluate(() => window.__rejections), []);
  assert.deepEqual(errors, []);
  const dataLayer = await page.evaluate(() => window.dataLayer.map((entry) => Array.from(entry)));
  assert.deepEqual(dataLayer, [
    ['consent', 'default', {
      ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
      functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted', wait_for_update: 500,
    }],
    ['set', 'ads_data_redaction', true],
  ]);
  await context.close();
});

test('PrivacyDesk.open() before the module is ready is queued and opens the preferences', async () => {
  const { context, page, errors } = await freshPage();
  const EARLY = '/__test/open-early.js';
  await page.route((url) => url.pathname === '/shop/en/', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/(<script\b[^>]*src="\/widget\.js"[^>]*><\/script>)/, `$1<script src="${EARLY}"></script>`);
    await route.fulfill({ response, body: html });
  });
  // The shop's own script, run synchronously right after our tag.
  await page.route((url) => url.pathname === EARLY, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: 'window.__earlyReady = !!window.__pdReady; window.PrivacyDesk.open();' }),
  );
  await page.goto(`${worker.url}/shop/en/`);
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => window.__earlyReady), false, 'open() was called before the module was ready');
  assert.equal(await dialog.getByRole('checkbox', { name: 'Analytics' }).isChecked(), false);
  // The module's own API has replaced the loader's stand-in.
  await page.waitForFunction(() => window.__pdReady);
  assert.equal(await page.evaluate(() => window.PrivacyDesk.getConsent()), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a returning visit fetches the consent and dialog modules only when the settings are opened', async () => {
  const { context, page, errors } = await freshPage();
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(`${worker.url}/shop/en/`);
  await page.getByRole('region', { name: 'Cookie consent' }).getByRole('button', { name: 'Reject all', exact: true }).click();
  const settings = page.getByRole('button', { name: 'Cookie settings', exact: true });
  await settings.waitFor();
  // The next page view: a valid choice is stored, so no banner and no module: the
  // loader draws the settings button itself.
  await page.reload();
  await page.waitForFunction(() => window.__pdReady);
  await settings.waitFor();
  await page.waitForTimeout(300);
  const afterReload = requested.slice(requested.lastIndexOf('/shop/en/'));
  assert.deepEqual(afterReload.filter((p) => p.startsWith('/w/')), []);
  // First use: the modules come, the dialog opens with the stored choice.
  await settings.click();
  const dialog = page.getByRole('dialog', { name: 'Cookie preferences' });
  await dialog.waitFor();
  assert.deepEqual(requested.slice(requested.lastIndexOf('/shop/en/')).filter((p) => p.startsWith('/w/')).sort(), ['/w/prefs.js', '/w/prefs_bg.wasm', '/w/widget.js', '/w/widget_bg.wasm']);
  assert.equal(await dialog.getByRole('checkbox', { name: 'Analytics' }).isChecked(), false);
  assert.deepEqual(errors, []);
  await context.close();
});
