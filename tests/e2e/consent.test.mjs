// The consent widget as a visitor and Google see it, on both demo shops, against
// the real Worker: the banner and its accessible names, Consent Mode entries in
// `dataLayer` in order, no Google tag and no `_ga*` cookie before consent or after
// Reject, the tag after Accept, withdrawal deleting cookies, GPC, policy re-ask,
// keyboard use, axe-core, the strict CSP, no layout shift, Shopify mirroring and
// the JS API, and the consent records the owner can read back.
//
// The demo shops' CSP only allows same-origin scripts, so the Google tag is
// replaced by a same-origin fake: the shop page is rewritten on its way to the
// browser to carry `data-gtag-src="/__test/gtag.js"`, which the test serves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations } from './harness.mjs';
import { SHOPS, consentRecordsUntil, startShops, watch } from './demo-shops.mjs';

const FAKE_GTAG = '/__test/gtag.js';
// Sets cookies the way gtag.js would, so that withdrawal has something to delete.
const fakeGtagBody = (gaId) => `
  window.__gtagLoads = (window.__gtagLoads || 0) + 1;
  document.cookie = '_ga=GA1.1.123.456; Path=/; Max-Age=63072000';
  document.cookie = '_ga_${gaId.slice(2)}=GS1.1.1; Path=/; Max-Age=63072000';
  document.cookie = '_gid=GA1.1.9; Path=/; Max-Age=86400';
  document.cookie = '_gcl_au=1.1.1; Path=/; Max-Age=7776000';`;

let worker;
let browser;
let policyVersion = {};

before(async () => {
  ({ worker, browser, policyVersion } = await startShops());
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

/**
 * A fresh visitor on a shop page. Records every request, console CSP report and
 * layout shift; serves the fake Google tag. `gpc` sets navigator.globalPrivacyControl.
 */
async function visit(s, { gpc = false, cookies = [], fakeTag = true, path = s.path } = {}) {
  const context = await browser.newContext();
  if (cookies.length) await context.addCookies(cookies.map((c) => ({ url: worker.url, ...c })));
  await context.addInitScript((gpcOn) => {
    if (gpcOn) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    document.addEventListener('privacydesk:ready', (e) => {
      window.__ready = e.detail;
      window.__pdReady = true;
    });
    window.__layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__layoutShift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  }, gpc);
  const page = await context.newPage();
  const { requests, problems } = watch(page);
  if (fakeTag) {
    await page.route((url) => url.pathname === path, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/(<script\b[^>]*src="\/widget\.js")/, `$1 data-gtag-src="${FAKE_GTAG}"`);
      await route.fulfill({ response, body: html });
    });
    await page.route((url) => url.pathname === FAKE_GTAG, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: fakeGtagBody(s.gaId) }),
    );
  }
  const response = await page.goto(worker.url + path);
  const csp = (await response.allHeaders())['content-security-policy'] ?? '';
  await page.waitForFunction(() => window.__pdReady);
  const tagRequests = () => requests.filter((u) => u.includes(FAKE_GTAG) || u.includes('googletagmanager.com/gtag/js'));
  const cookieJar = async () => Object.fromEntries((await context.cookies()).map((c) => [c.name, c.value]));
  const googleCookies = async () => Object.keys(await cookieJar()).filter((n) => /^(_ga|_gid|_gat|_gcl_)/.test(n));
  // Consent Mode states and tag commands; `set ads_data_redaction` follows every
  // state and is checked in consent-services.test.mjs.
  const dataLayer = () => page.evaluate(() => window.dataLayer.map((entry) => Array.from(entry)).filter((e) => e[0] !== 'set'));
  return { context, page, csp, requests, problems, tagRequests, cookieJar, googleCookies, dataLayer };
}

const DENIED_ALL = {
  ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
  functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted',
};
const GRANTED_ALL = {
  ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted',
  functionality_storage: 'granted', personalization_storage: 'granted', security_storage: 'granted',
};
const DEFAULT_ENTRY = ['consent', 'default', { ...DENIED_ALL, wait_for_update: 500 }];

const recordsUntil = (shop, predicate) => consentRecordsUntil(worker, shop, predicate);

const flat = (r) => ({ ...r, ...(r.record ?? {}) });

for (const [code, s] of Object.entries(SHOPS)) {
  test(`${code}: before any choice the banner asks, nothing from Google runs, layout does not move`, async () => {
    const v = await visit(s);
    const banner = v.page.getByRole('region', { name: s.banner });
    await banner.waitFor();
    for (const name of [s.accept, s.reject, s.prefs]) assert.ok(await banner.getByRole('button', { name, exact: true }).isVisible(), name);
    // Accept and Reject: equal prominence (same size, same look).
    const a = await banner.getByRole('button', { name: s.accept, exact: true });
    const r = await banner.getByRole('button', { name: s.reject, exact: true });
    const look = (l) => l.evaluate((e) => { const c = getComputedStyle(e); return [c.backgroundColor, c.color, c.fontSize, c.fontWeight, Math.round(e.getBoundingClientRect().height)].join('|'); });
    assert.equal(await look(a), await look(r));
    // Styled under the strict CSP (constructed stylesheet), as a fixed overlay.
    assert.match(v.csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(v.csp, /unsafe-inline|'unsafe-eval'/);
    assert.match(v.csp, /style-src 'self'/);
    assert.equal(await banner.evaluate((e) => getComputedStyle(e).position), 'fixed');
    assert.deepEqual(await v.dataLayer(), [DEFAULT_ENTRY]);
    assert.deepEqual(v.tagRequests(), []);
    assert.deepEqual(await v.googleCookies(), []);
    assert.equal((await v.cookieJar()).pd_consent, undefined);
    assert.equal(await v.page.evaluate(() => window.PrivacyDesk.getConsent()), null);
    assert.equal(await v.page.evaluate(() => window.__layoutShift), 0);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: Reject all keeps Google out and is recorded`, async () => {
    const v = await visit(s);
    await v.page.evaluate(() => {
      window.__events = [];
      document.addEventListener('privacydesk:consent', (e) => window.__events.push(e.detail));
    });
    await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.reject, exact: true }).click();
    await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    assert.deepEqual(await v.dataLayer(), [DEFAULT_ENTRY, ['consent', 'update', DENIED_ALL]]);
    const cookie = (await v.cookieJar()).pd_consent;
    assert.match(cookie, /^2\.00000\.b\.\d{8}\.[A-Za-z0-9_-]{22}\./);
    const consentId = cookie.split('.')[4];
    const events = await v.page.evaluate(() => window.__events);
    assert.equal(events.length, 1);
    assert.equal(events[0].analytics, false);
    assert.equal(events[0].source, 'banner');
    const [record] = await recordsUntil(s.shop, (r) => flat(r).consent_id === consentId);
    assert.deepEqual(flat(record).choices, { analytics: false, marketing: false, preferences: false });
    assert.equal(flat(record).source, 'banner');
    assert.equal(flat(record).lang, code);
    assert.equal(flat(record).policy_version, policyVersion[s.shop]);
    assert.equal(flat(record).gpc, false);
    assert.ok(!Number.isNaN(Date.parse(flat(record).recorded_at)), 'the edge adds the time');
    assert.doesNotMatch(JSON.stringify(record), /127\.0\.0\.1|HeadlessChrome/, 'no IP address, no raw user agent');
    // A next page view restores the choice before any tag, still without Google.
    await v.page.reload();
    await v.page.waitForFunction(() => window.__pdReady);
    assert.deepEqual(await v.dataLayer(), [DEFAULT_ENTRY, ['consent', 'update', DENIED_ALL]]);
    assert.equal(await v.page.getByRole('region', { name: s.banner }).isVisible(), false);
    assert.equal(await v.page.evaluate(() => window.__ready?.source), 'banner', 'privacydesk:ready carries the restored choice');
    assert.deepEqual(v.tagRequests(), []);
    assert.deepEqual(await v.googleCookies(), []);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: Accept all loads the Google tag after consent; withdrawal deletes its cookies`, async () => {
    const v = await visit(s);
    await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.accept, exact: true }).click();
    await v.page.waitForFunction(() => window.__gtagLoads === 1);
    const entries = await v.dataLayer();
    assert.deepEqual(entries[0], DEFAULT_ENTRY);
    assert.deepEqual(entries[1], ['consent', 'update', GRANTED_ALL]);
    assert.equal(entries[2][0], 'js');
    assert.deepEqual(entries[3], ['config', s.gaId]);
    assert.equal(v.tagRequests().length, 1);
    assert.ok((await v.googleCookies()).includes('_ga'));
    if (code === 'en') {
      // Shopify's Customer Privacy API (the demo's stand-in) gets the same choice.
      const calls = await v.page.evaluate(() => window.__shopifyConsentCalls);
      assert.deepEqual(calls.at(-1), { analytics: true, marketing: true, preferences: true, sale_of_data: true });
    }
    const consentId = (await v.cookieJar()).pd_consent.split('.')[4];

    // Next page: restored in the loader (before the tag), the tag is loaded again.
    await v.page.reload();
    await v.page.waitForFunction(() => window.__gtagLoads === 1);
    const restored = await v.dataLayer();
    assert.deepEqual(restored.slice(0, 2), [DEFAULT_ENTRY, ['consent', 'update', GRANTED_ALL]]);
    assert.deepEqual(restored[3], ['config', s.gaId]);

    // Withdraw through the floating "Cookie settings" control.
    await v.page.getByRole('button', { name: s.settings, exact: true }).click();
    const dialog = v.page.getByRole('dialog', { name: s.dialog });
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('checkbox', { name: s.analytics }).isChecked(), true);
    // The shop's held-back marketing script ran under Accept all, so the withdrawal
    // reloads the page; what Shopify was told is kept across it.
    await v.page.evaluate(() => document.addEventListener('privacydesk:consent', () => {
      sessionStorage.setItem('shopify', JSON.stringify(window.__shopifyConsentCalls?.at(-1) ?? null));
    }));
    const reloaded = v.page.waitForEvent('load');
    await dialog.getByRole('button', { name: s.reject, exact: true }).click();
    await reloaded;
    await v.page.waitForFunction(() => window.__pdReady);
    assert.deepEqual((await v.dataLayer()).at(-1), ['consent', 'update', DENIED_ALL]);
    assert.deepEqual(await v.googleCookies(), []);
    assert.match((await v.cookieJar()).pd_consent, new RegExp(`^2\\.00000\\.p\\.\\d{8}\\.${consentId}\\.`));
    const records = await recordsUntil(s.shop, (r) => flat(r).consent_id === consentId && flat(r).source === 'preferences');
    assert.deepEqual(flat(records[0]).choices, { analytics: false, marketing: false, preferences: false });
    if (code === 'en') {
      const mirrored = await v.page.evaluate(() => JSON.parse(sessionStorage.getItem('shopify')));
      assert.deepEqual(mirrored, { analytics: false, marketing: false, preferences: false, sale_of_data: false });
    }
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: preferences list the categories with nothing pre-ticked; a partial choice is honoured`, async () => {
    const v = await visit(s);
    await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.prefs, exact: true }).click();
    const dialog = v.page.getByRole('dialog', { name: s.dialog });
    await dialog.waitFor();
    const necessary = dialog.getByRole('checkbox', { name: s.necessary });
    assert.equal(await necessary.isChecked(), true);
    assert.equal(await necessary.isDisabled(), true);
    for (const name of [s.preferences, s.analytics, s.marketing]) assert.equal(await dialog.getByRole('checkbox', { name, exact: true }).isChecked(), false, name);
    // The services come from the shop's configuration, with a link to each
    // provider's policy, behind each category's "Services in" button.
    const config = await (await fetch(`${worker.url}/api/shops/${s.shop}/config`)).json();
    assert.ok(config.services.length > 0);
    const more = dialog.getByRole('button', { name: s.servicesIn });
    for (let i = 0; i < (await more.count()); i++) await more.nth(i).click();
    for (const service of config.services) {
      const link = dialog.getByRole('link', { name: `${s.providerPolicy} ${service.name}` });
      assert.equal(await link.getAttribute('href'), service.policy_url);
      const text = await dialog.innerText();
      for (const part of [service.purpose[code], service.retention[code], ...service.cookies]) assert.ok(text.includes(part), part);
    }
    assert.deepEqual(v.tagRequests(), []);
    await dialog.getByRole('checkbox', { name: s.analytics, exact: true }).check();
    await dialog.getByRole('button', { name: s.save, exact: true }).click();
    await v.page.waitForFunction(() => window.__gtagLoads === 1);
    assert.deepEqual((await v.dataLayer())[1], ['consent', 'update', { ...DENIED_ALL, analytics_storage: 'granted' }]);
    assert.match((await v.cookieJar()).pd_consent, /^2\.10010\.p\./);
    assert.deepEqual(await v.page.evaluate(() => { const c = window.PrivacyDesk.getConsent(); return [c.analytics, c.marketing, c.source]; }), [true, false, 'preferences']);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: Global Privacy Control rejects without a banner, is recorded as GPC, and a later choice wins`, async () => {
    const v = await visit(s, { gpc: true });
    await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    assert.equal(await v.page.getByRole('region', { name: s.banner }).isVisible(), false);
    assert.deepEqual(await v.dataLayer(), [DEFAULT_ENTRY, ['consent', 'update', DENIED_ALL]]);
    const cookie = (await v.cookieJar()).pd_consent;
    assert.match(cookie, /^2\.00000\.g\./);
    const consentId = cookie.split('.')[4];
    const [record] = await recordsUntil(s.shop, (r) => flat(r).consent_id === consentId);
    assert.equal(flat(record).source, 'gpc');
    assert.equal(flat(record).gpc, true);
    assert.deepEqual(v.tagRequests(), []);
    // An explicit choice through the JS API's open() beats the signal.
    await v.page.evaluate(() => window.PrivacyDesk.open());
    const dialog = v.page.getByRole('dialog', { name: s.dialog });
    await dialog.getByRole('button', { name: s.accept, exact: true }).click();
    await v.page.waitForFunction(() => window.__gtagLoads === 1);
    await v.page.reload();
    await v.page.waitForFunction(() => window.__gtagLoads === 1);
    assert.match((await v.cookieJar()).pd_consent, /^2\.11111\.p\./);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: a new policy version or an expired choice is asked again`, async () => {
    const id = 'AAAAAAAAAAAAAAAAAAAAAA';
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    for (const value of [`1.11.b.${today}.${id}.old-policy`, `1.11.b.20200101.${id}.${encodeURIComponent(policyVersion[s.shop])}`]) {
      const v = await visit(s, { cookies: [{ name: 'pd_consent', value }, { name: '_ga', value: 'GA1.1.1.1' }] });
      await v.page.getByRole('region', { name: s.banner }).waitFor();
      // The loader did not restore the outdated grant; the widget confirms the denial.
      assert.deepEqual(await v.dataLayer(), [DEFAULT_ENTRY, ['consent', 'update', DENIED_ALL]]);
      assert.deepEqual(v.tagRequests(), []);
      // The leftover Google cookie brings the consent module at once, which deletes it.
      await v.page.waitForFunction(() => !/(^|;\s*)_ga=/.test(document.cookie));
      assert.deepEqual(await v.googleCookies(), []);
      // The next choice keeps the visitor's consent id, linking the history.
      await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.reject, exact: true }).click();
      await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
      assert.match((await v.cookieJar()).pd_consent, new RegExp(`^2\\.00000\\.b\\.${today}\\.${id}\\.`));
      await v.context.close();
    }
  });

  test(`${code}: keyboard only: reach the banner, open preferences, focus stays inside, Escape closes`, async () => {
    const v = await visit(s);
    const banner = v.page.getByRole('region', { name: s.banner });
    await banner.waitFor();
    const focused = () => v.page.evaluate(() => {
      let e = document.activeElement;
      while (e?.shadowRoot?.activeElement) e = e.shadowRoot.activeElement;
      return e ? (e.getAttribute('aria-label') || e.textContent.trim()) : null;
    });
    // The banner is the last stop of the page: Shift+Tab from the top reaches it.
    await v.page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), s.prefs);
    await v.page.keyboard.press('Shift+Tab');
    await v.page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), s.accept);
    await v.page.keyboard.press('Tab');
    assert.equal(await focused(), s.reject);
    await v.page.keyboard.press('Tab');
    assert.equal(await focused(), s.prefs);
    // Visible focus indicator.
    const outline = await banner.getByRole('button', { name: s.prefs, exact: true }).evaluate((e) => getComputedStyle(e).outlineStyle);
    assert.notEqual(outline, 'none');
    await v.page.keyboard.press('Enter');
    const dialog = v.page.getByRole('dialog', { name: s.dialog });
    await dialog.waitFor();
    assert.equal(await focused(), s.close);
    const inside = () => v.page.evaluate(() => {
      const host = document.getElementById('privacy-desk');
      return document.activeElement === host && !!host.shadowRoot.activeElement?.closest('[role=dialog]');
    });
    for (let i = 0; i < 25; i++) {
      await v.page.keyboard.press(i % 3 === 0 ? 'Shift+Tab' : 'Tab');
      assert.ok(await inside(), `focus left the dialog after ${i + 1} presses`);
    }
    await v.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await banner.waitFor();
    // Space toggles a checkbox, Enter saves.
    await banner.getByRole('button', { name: s.prefs, exact: true }).focus();
    await v.page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('checkbox', { name: s.marketing, exact: true }).focus();
    await v.page.keyboard.press('Space');
    await dialog.getByRole('button', { name: s.save, exact: true }).focus();
    await v.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    assert.match((await v.cookieJar()).pd_consent, /^2\.01001\.p\./);
    assert.deepEqual(v.tagRequests(), [], 'marketing alone does not load Google Analytics');
    assert.equal(await focused(), s.settings, 'focus lands on the settings control');
    await v.context.close();
  });

  test(`${code}: axe-core finds no violations with the banner and with the preferences open`, async () => {
    for (const scheme of ['light', 'dark']) {
      const v = await visit(s);
      await v.page.emulateMedia({ colorScheme: scheme });
      await v.page.getByRole('region', { name: s.banner }).waitFor();
      assert.deepEqual(await axeViolations(v.page), [], `banner, ${scheme}`);
      await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.prefs, exact: true }).click();
      const dialog = v.page.getByRole('dialog', { name: s.dialog });
      await dialog.waitFor();
      assert.deepEqual(await axeViolations(v.page), [], `preferences, ${scheme}`);
      // Every category's services open, one with a mixed category switch.
      const more = dialog.getByRole('button', { name: s.servicesIn });
      for (let i = 0; i < (await more.count()); i++) await more.nth(i).click();
      await dialog.locator('input[data-service]').first().check();
      assert.deepEqual(await axeViolations(v.page), [], `preferences with services open, ${scheme}`);
      await v.context.close();
    }
  });
}

test('en: any data-cc="open" element reopens the preferences, also after single-page navigation', async () => {
  const s = SHOPS.en;
  const v = await visit(s);
  await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.reject, exact: true }).click();
  const link = v.page.locator('a[data-cc="open"]').first();
  await link.click();
  const dialog = v.page.getByRole('dialog', { name: s.dialog });
  await dialog.waitFor();
  assert.equal(new URL(v.page.url()).pathname, s.path, 'the link did not navigate');
  await v.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // A single-page app swaps the whole body; the widget puts itself back.
  await v.page.evaluate(() => {
    const body = document.createElement('body');
    const a = document.createElement('button');
    a.dataset.cc = 'open';
    a.textContent = 'Privacy choices';
    body.append(a);
    document.body.replaceWith(body);
    history.pushState({}, '', '/shop/en/#spa');
  });
  await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
  await v.page.getByRole('button', { name: 'Privacy choices' }).click();
  await dialog.waitFor();
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('en: without a test override the real Google tag URL is requested only after Accept', async () => {
  const s = SHOPS.en;
  const v = await visit(s, { fakeTag: false });
  const tagScripts = () => v.page.evaluate(() => [...document.querySelectorAll('script[src*="googletagmanager"]')].map((e) => e.src));
  await v.page.getByRole('region', { name: s.banner }).waitFor();
  assert.deepEqual(await tagScripts(), []);
  await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.accept, exact: true }).click();
  await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
  assert.deepEqual(await tagScripts(), [`https://www.googletagmanager.com/gtag/js?id=${s.gaId}`]);
  await v.context.close();
});

test('en: withdrawal deletes Google cookies set on the parent domain too', async () => {
  // A shop on www.shop.test (mapped to the local Worker), with GA cookies on
  // `.shop.test` as gtag.js sets them, and on the host itself.
  const { chromium } = await import('playwright-core');
  const mapped = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--host-resolver-rules=MAP *.shop.test 127.0.0.1'],
  });
  try {
    const s = SHOPS.en;
    const port = new URL(worker.url).port;
    const origin = `http://www.shop.test:${port}`;
    const context = await mapped.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}${s.path}`);
    await page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.accept, exact: true }).click();
    await page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    await page.evaluate(() => {
      document.cookie = '_ga=GA1.2.3.4; Path=/; Domain=shop.test; Max-Age=600';
      document.cookie = '_ga_MOUNTCO01=GS1.1; Path=/; Domain=shop.test; Max-Age=600';
      document.cookie = '_gid=GA1.2.5; Path=/; Domain=www.shop.test; Max-Age=600';
      document.cookie = '_gcl_au=1.1.1; Path=/; Max-Age=600';
    });
    const google = async () => (await context.cookies()).filter((c) => /^(_ga|_gid|_gcl_)/.test(c.name)).map((c) => `${c.name}@${c.domain}`);
    assert.equal((await google()).length, 4);
    await page.getByRole('button', { name: s.settings, exact: true }).click();
    await page.getByRole('dialog', { name: s.dialog }).getByRole('button', { name: s.reject, exact: true }).click();
    await page.getByRole('dialog', { name: s.dialog }).waitFor({ state: 'hidden' });
    assert.deepEqual(await google(), []);
    await context.close();
  } finally {
    await mapped.close();
  }
});
