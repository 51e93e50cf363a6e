// The banner comes with the shop's configuration, not after the consent module:
// the loader draws it from the words the edge sends (`banner` in the
// configuration) as soon as the configuration and the page are there, and the
// module, arriving later, takes it over. A click made before the module is there
// is done when it arrives (once, however often the visitor clicked), and nothing
// is granted before. Without a configuration there is nothing to ask with:
// no banner, nothing granted, no error. In Chromium against the real Worker,
// on both demo shops, under their strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOPS, startShops, watch } from './demo-shops.mjs';

let worker;
let browser;

before(async () => {
  ({ worker, browser } = await startShops());
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

/** A fresh visitor whose consent module's WASM is held back until `release()`. */
async function visitWithModuleHeld(s) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { requests, problems } = watch(page, { pathOnly: true });
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route((url) => url.pathname === '/w/widget_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  await page.addInitScript(() => {
    document.addEventListener('privacydesk:ready', () => (window.__pdReady = true));
  });
  await page.goto(worker.url + s.path);
  const dataLayer = () => page.evaluate(() => window.dataLayer.filter((e) => e[0] === 'consent').map((e) => e[1]));
  const consentCookie = async () => (await context.cookies()).find((c) => c.name === 'pd_consent')?.value;
  return { context, page, requests, problems, release, dataLayer, consentCookie };
}

for (const [code, s] of Object.entries(SHOPS)) {
  test(`${code}: the banner shows before the consent module has arrived; a click then is done once when it does`, async () => {
    const v = await visitWithModuleHeld(s);
    const banner = v.page.getByRole('region', { name: s.banner });
    await banner.waitFor();
    assert.equal(await v.page.evaluate(() => window.__pdReady ?? false), false, 'the module has not started');
    assert.ok(!v.requests.includes('/w/prefs_bg.wasm'), 'nor has the dialog module come');
    for (const name of [s.accept, s.reject, s.prefs]) assert.ok(await banner.getByRole('button', { name, exact: true }).isVisible(), name);
    assert.equal(await banner.getByRole('link', { name: s.policy }).count(), 1, 'the privacy policy link');
    assert.equal(await banner.evaluate((e) => getComputedStyle(e).position), 'fixed', 'styled under the strict CSP');
    // Clicked twice before the module is there: nothing granted or stored yet.
    await banner.getByRole('button', { name: s.accept, exact: true }).click();
    await banner.getByRole('button', { name: s.reject, exact: true }).click();
    assert.deepEqual(await v.dataLayer(), ['default']);
    assert.equal(await v.consentCookie(), undefined);
    v.release();
    await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    assert.equal(await banner.isVisible(), false);
    assert.match(await v.consentCookie(), /^2\.11111\.b\./, 'the first click, from the banner');
    assert.deepEqual(await v.dataLayer(), ['default', 'update'], 'one choice, signalled once');
    assert.equal(v.requests.filter((p) => p === '/api/consent').length, 1, 'recorded once');
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });
}

test('the configuration carries the banner words of every language, the same for every visitor', async () => {
  const config = await (await fetch(`${worker.url}/api/shops/demo-en/config`)).json();
  for (const [code, s] of Object.entries(SHOPS)) {
    const words = config.banner[code];
    assert.equal(words.label, s.banner);
    assert.equal(words.accept, s.accept);
    assert.equal(words.reject, s.reject);
    assert.equal(words.preferences, s.prefs);
    assert.equal(words.settings, s.settings);
    assert.equal(words.policy, s.policy);
    assert.ok(words.title && words.body, code);
  }
});

test('without the configuration there is nothing to ask with: no banner, nothing granted, no error', async () => {
  const s = SHOPS.en;
  const context = await browser.newContext();
  const page = await context.newPage();
  const { problems } = watch(page);
  await page.route((url) => url.pathname === `/api/shops/${s.shop}/config`, (route) => route.abort('connectionrefused'));
  await page.addInitScript(() => {
    document.addEventListener('privacydesk:ready', () => (window.__pdReady = true));
  });
  await page.goto(worker.url + s.path);
  await page.waitForFunction(() => window.__pdReady);
  assert.equal(await page.locator('#privacy-desk').count(), 0);
  assert.equal(await page.evaluate(() => window.PrivacyDesk.getConsent()), null);
  assert.deepEqual(await page.evaluate(() => window.dataLayer.filter((e) => e[0] === 'consent').map((e) => e[1])), ['default']);
  // Refused requests are reported in the console as network errors, not as problems of the page.
  assert.deepEqual(problems, []);
  await context.close();
});
