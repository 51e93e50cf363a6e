// The banner comes with the shop's configuration, not after the consent module:
// the loader draws it from the words the edge sends (`banner` in the
// configuration) as soon as the configuration and the page are there, and it is
// usable at once: Accept all and Reject all (and GPC's rejection, without a
// banner) are done by the loader (the cookie, Consent Mode, the record the owner
// sees, the event, the Google tag) while every module file is still held back.
// The consent module, arriving later (idle, or first use), takes the banner over
// and adds nothing: no second record, signal or event. Without a configuration
// there is nothing to ask with: no banner, nothing granted, no error. In Chromium
// against the real Worker, on both demo shops, under their strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOPS, consentRecordsUntil, startShops, watch } from './demo-shops.mjs';

let worker;
let browser;

before(async () => {
  ({ worker, browser } = await startShops());
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

const recordsUntil = (shop, predicate) => consentRecordsUntil(worker, shop, predicate);

/**
 * A fresh visitor (GPC on with `gpc`) whose every module file (`/w/*`) is held
 * back until `release()`; the Google tag is answered locally (an empty script) and
 * counted; `privacydesk:*` events are recorded.
 */
async function visitWithModulesHeld(s, { gpc = false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { requests, problems } = watch(page, { pathOnly: true });
  let release;
  const released = new Promise((resolve) => (release = resolve));
  const held = [];
  await page.route((url) => url.pathname.startsWith('/w/'), async (route) => {
    held.push(new URL(route.request().url()).pathname);
    await released;
    await route.continue();
  });
  const tags = [];
  await context.route('https://www.googletagmanager.com/**', (route) => {
    tags.push(route.request().url());
    return route.fulfill({ contentType: 'text/javascript', body: '' });
  });
  await page.addInitScript((gpc) => {
    if (gpc) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    window.__events = [];
    for (const name of ['ready', 'consent']) document.addEventListener(`privacydesk:${name}`, (e) => window.__events.push([name, e.detail]));
  }, gpc);
  await page.goto(worker.url + s.path);
  const dataLayer = () => page.evaluate(() => window.dataLayer.filter((e) => e[0] === 'consent').map((e) => [e[1], e[2].analytics_storage]));
  const consentCookie = async () => (await context.cookies()).find((c) => c.name === 'pd_consent')?.value;
  const events = () => page.evaluate(() => window.__events.map(([name, detail]) => [name, detail && detail.source]));
  // What of ours finished loading (a held request has not).
  const loaded = () => page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.startsWith('/w/')));
  return { context, page, requests, problems, release, held, tags, dataLayer, consentCookie, events, loaded };
}

for (const [code, s] of Object.entries(SHOPS)) {
  for (const [button, granted] of [[s.accept, true], [s.reject, false]]) {
    test(`${code}: "${button}" is done by the loader while every module is held back: cookie, Consent Mode, record, event${granted ? ', Google tag' : ''}; the module adds nothing`, async () => {
      const v = await visitWithModulesHeld(s);
      const banner = v.page.getByRole('region', { name: s.banner });
      await banner.waitFor();
      assert.deepEqual(await v.events(), [['ready', null]], 'the loader says the widget is ready');
      for (const name of [s.accept, s.reject, s.prefs]) assert.ok(await banner.getByRole('button', { name, exact: true }).isVisible(), name);
      assert.equal(await banner.getByRole('link', { name: s.policy }).count(), 1, 'the privacy policy link');
      assert.equal(await banner.evaluate((e) => getComputedStyle(e).position), 'fixed', 'styled under the strict CSP');
      await banner.getByRole('button', { name: button, exact: true }).click();
      const settings = v.page.getByRole('button', { name: s.settings, exact: true });
      await settings.waitFor();
      assert.equal(await banner.isVisible(), false);
      assert.equal(await settings.evaluate((b) => b.getRootNode().activeElement === b), true, 'focus on the settings button');
      const cookie = await v.consentCookie();
      assert.match(cookie, granted ? /^2\.11111\.b\.\d{8}\.[\w-]{22}\.\./ : /^2\.00000\.b\.\d{8}\.[\w-]{22}\.\./);
      const consentId = cookie.split('.')[4];
      assert.deepEqual(await v.dataLayer(), [['default', 'denied'], ['update', granted ? 'granted' : 'denied']]);
      assert.deepEqual(await v.events(), [['ready', null], ['consent', 'banner']]);
      const [record] = await recordsUntil(s.shop, (r) => r.consent_id === consentId);
      assert.deepEqual(record.choices, { analytics: granted, marketing: granted, preferences: granted });
      assert.equal(record.source, 'banner');
      assert.equal(record.lang, code);
      if (granted) await v.page.waitForFunction(() => window.dataLayer.some((e) => e[0] === 'config'));
      assert.equal(v.tags.length, granted ? 1 : 0, 'the Google tag after Accept all only');
      assert.equal(await v.page.evaluate(() => window.PrivacyDesk.acceptedCategory('analytics')), granted);
      assert.deepEqual(await v.loaded(), [], 'no module file has arrived');
      // The module, once it arrives (when idle, or now for the dialog), adopts the
      // choice: no second record, signal or event; the dialog shows it.
      v.release();
      await settings.click();
      const dialog = v.page.getByRole('dialog', { name: s.dialog });
      await dialog.waitFor();
      assert.equal(await dialog.getByRole('checkbox', { name: s.analytics }).isChecked(), granted);
      await v.page.keyboard.press('Escape');
      await v.page.waitForTimeout(300);
      assert.deepEqual(await v.dataLayer(), [['default', 'denied'], ['update', granted ? 'granted' : 'denied']], 'signalled once');
      assert.deepEqual(await v.events(), [['ready', null], ['consent', 'banner']], 'one event each');
      assert.equal(v.requests.filter((p) => p === '/api/consent').length, 1, 'recorded once');
      assert.equal(await v.consentCookie(), cookie);
      assert.deepEqual(v.problems, []);
      await v.context.close();
    });
  }

  test(`${code}: GPC is honoured by the loader without a banner while every module is held back, and recorded as GPC`, async () => {
    const v = await visitWithModulesHeld(s, { gpc: true });
    await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    await v.page.waitForFunction(() => window.__events.length >= 2);
    assert.equal(await v.page.getByRole('region', { name: s.banner }).isVisible(), false);
    const cookie = await v.consentCookie();
    assert.match(cookie, /^2\.00000\.g\.\d{8}\.[\w-]{22}\.\./);
    assert.deepEqual(await v.events(), [['ready', null], ['consent', 'gpc']]);
    assert.deepEqual(await v.dataLayer(), [['default', 'denied'], ['update', 'denied']]);
    const [record] = await recordsUntil(s.shop, (r) => r.consent_id === cookie.split('.')[4]);
    assert.equal(record.source, 'gpc');
    assert.equal(record.gpc, true);
    assert.equal(v.tags.length, 0);
    await v.page.waitForTimeout(500);
    assert.deepEqual(v.held, [], 'no module asked for: nothing to clean up, no banner');
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
