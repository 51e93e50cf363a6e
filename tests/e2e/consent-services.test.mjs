// Per-service consent, the preferences category, the script API and withdrawal
// (issue 16, parts 3-6 and 8) on the demo shops against the real Worker. The Dutch
// shop's configuration gets two more services for these tests (a marketing video
// and a preferences chat, with cookies and localStorage keys), so that a category
// has more than one service and withdrawal has storage to clear. Every Consent
// Mode entry is recorded from the first script of the page on (an init script
// wraps `dataLayer.push`), so "never granted" covers the time before the module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { configuredShops } from './harness.mjs';
import { SHOPS, consentRecordsUntil, startShops } from './demo-shops.mjs';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const EXTRA = [
  {
    name: 'Test Video',
    category: 'marketing',
    cookies: ['video_pref'],
    local_storage: ['video_*'],
    policy_url: 'https://video.example/privacy',
    purpose: { en: 'Plays videos.', nl: "Speelt video's af." },
    retention: { en: '6 months', nl: '6 maanden' },
  },
  {
    name: 'Test Chat',
    category: 'preferences',
    cookies: ['chat_id'],
    local_storage: ['chat_*'],
    policy_url: 'https://chat.example/privacy',
    purpose: { en: 'Keeps a chat you started.', nl: 'Bewaart een chat die u begon.' },
    retention: { en: '1 month', nl: '1 maand' },
  },
];

let worker;
let browser;
let policy = {};

before(async () => {
  const shops = configuredShops();
  const nl = shops.find((s) => s.id === 'demo-nl');
  nl.services = nl.services.map((s) => (s.name === 'Meta Pixel' ? { ...s, local_storage: ['_fbq_*'] } : s)).concat(EXTRA);
  ({ worker, browser, policyVersion: policy } = await startShops({ vars: { RATE_LIMIT: 'off', SHOPS: JSON.stringify(shops) } }));
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

/**
 * A visitor on a shop page. `early` is a script served right after our tag (the
 * shop's own code, run before the module can be ready).
 */
async function visit(s, { cookies = [], early } = {}) {
  const context = await browser.newContext();
  if (cookies.length) await context.addCookies(cookies.map((c) => ({ url: worker.url, ...c })));
  await context.addInitScript(() => {
    window.__pushes = [];
    const layer = (window.dataLayer = []);
    const push = layer.push.bind(layer);
    layer.push = (...items) => {
      for (const item of items) window.__pushes.push(JSON.parse(JSON.stringify(Array.from(item))));
      return push(...items);
    };
    window.__events = [];
    document.addEventListener('privacydesk:consent', (e) => window.__events.push(e.detail));
    document.addEventListener('privacydesk:ready', () => {
      window.__pushesAtReady = window.__pushes.length;
      window.__pdReady = true;
    });
  });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  // The real Google tag is not fetched from the test machine.
  await page.route((url) => url.hostname === 'www.googletagmanager.com', (route) => route.abort());
  if (early) {
    await page.route((url) => url.pathname === s.path, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/(<script\b[^>]*src="\/widget\.js"[^>]*><\/script>)/, '$1<script src="/__test/early.js"></script>');
      await route.fulfill({ response, body: html });
    });
    await page.route((url) => url.pathname === '/__test/early.js', (route) => route.fulfill({ contentType: 'text/javascript', body: early }));
  }
  await page.goto(worker.url + s.path);
  await page.waitForFunction(() => window.__pdReady);
  const cookieJar = async () => Object.fromEntries((await context.cookies()).map((c) => [c.name, c.value]));
  const consentStates = () => page.evaluate(() => window.__pushes.filter((p) => p[0] === 'consent').map((p) => p[2]));
  const ran = () => page.evaluate(() => window.__standIns ?? []);
  const api = (method, ...args) => page.evaluate(([m, a]) => window.PrivacyDesk[m](...a), [method, args]);
  return { context, page, problems, requests, cookieJar, consentStates, ran, api };
}

const today = () => new Date().toISOString().slice(0, 10).replaceAll('-', '');
const dayOffset = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
const settle = (v) => v.page.waitForTimeout(300);
const dialogOf = (v, s) => v.page.getByRole('dialog', { name: s.dialog });

const recordsUntil = (shop, predicate) => consentRecordsUntil(worker, shop, predicate);

test('nl: a held-back script of a service denied on its own stays held back in a granted category; its switch lets it run', async () => {
  const s = SHOPS.nl;
  // Marketing granted, the Meta Pixel denied on its own (format 2).
  const value = `2.01001.p.${today()}.${ID}.-Meta%20Pixel.${encodeURIComponent(policy[s.shop])}`;
  const v = await visit(s, { cookies: [{ name: 'pd_consent', value }] });
  await settle(v);
  assert.deepEqual(await v.ran(), []);
  assert.ok(!v.requests.includes('/shop/stand-ins/meta-pixel.js'), 'no request for the pixel');
  assert.equal(await v.api('acceptedCategory', 'marketing'), true);
  assert.equal(await v.api('acceptedService', 'Meta Pixel'), false);
  assert.equal(await v.api('acceptedService', 'Test Video'), true);
  assert.deepEqual((await v.api('getConsent')).services, { 'Google Analytics': false, 'Meta Pixel': false, YouTube: true, 'Test Video': true, 'Test Chat': false });

  // The dialog shows it: marketing mixed, its services behind a button (keyboard).
  await v.page.getByRole('button', { name: s.settings, exact: true }).click();
  const dialog = dialogOf(v, s);
  await dialog.waitFor();
  const marketing = dialog.getByRole('checkbox', { name: s.marketing, exact: true });
  assert.equal(await marketing.evaluate((e) => e.indeterminate), true, 'marketing shows mixed');
  const more = dialog.getByRole('button', { name: `${s.servicesIn} ${s.marketing}` });
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await more.focus();
  await v.page.keyboard.press('Enter');
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  const pixel = dialog.getByRole('checkbox', { name: 'Meta Pixel', exact: true });
  assert.equal(await pixel.isChecked(), false);
  assert.equal(await dialog.getByRole('checkbox', { name: 'Test Video', exact: true }).isChecked(), true);
  assert.ok(await dialog.getByRole('link', { name: `${s.providerPolicy} Meta Pixel` }).isVisible());
  await pixel.focus();
  await v.page.keyboard.press('Space');
  assert.equal(await marketing.isChecked(), true, 'all its services on: the category is on');
  assert.equal(await marketing.evaluate((e) => e.indeterminate), false);
  await dialog.getByRole('button', { name: s.save, exact: true }).click();
  await v.page.waitForFunction(() => (window.__standIns ?? []).length === 2);
  assert.deepEqual(await v.ran(), ['meta-pixel', 'meta-pixel-init']);
  const cookie = (await v.cookieJar()).pd_consent;
  assert.match(cookie, new RegExp(`^2\\.01001\\.p\\.\\d{8}\\.${ID}\\.\\.`), 'nothing set apart any more');
  const [record] = await recordsUntil(s.shop, (r) => r.consent_id === ID && r.services?.some((x) => x.name === 'Meta Pixel' && x.granted));
  assert.deepEqual(record.services, [
    { name: 'Google Analytics', granted: false },
    { name: 'Meta Pixel', granted: true },
    { name: 'YouTube', granted: true },
    { name: 'Test Video', granted: true },
    { name: 'Test Chat', granted: false },
  ]);
  assert.deepEqual(record.choices, { analytics: false, marketing: true, preferences: false });
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: API calls made before the module is ready are queued and done in order; answers and events', async () => {
  const s = SHOPS.nl;
  const early = `
    window.__early = [PrivacyDesk.getConsent(), PrivacyDesk.acceptedCategory('necessary'),
      PrivacyDesk.acceptedCategory('analytics'), PrivacyDesk.acceptedService('Meta Pixel'), !!window.__pdReady];
    PrivacyDesk.acceptService('No Such Service');
    PrivacyDesk.acceptService('Meta Pixel');
    PrivacyDesk.acceptCategory(['preferences']);`;
  const v = await visit(s, { early });
  assert.deepEqual(await v.page.evaluate(() => window.__early), [null, true, false, false, false]);
  await v.page.waitForFunction(() => (window.__standIns ?? []).length === 2);
  assert.deepEqual(await v.ran(), ['meta-pixel', 'meta-pixel-init']);
  assert.equal(await v.page.getByRole('region', { name: s.banner }).isVisible(), false, 'a choice was made');
  const events = await v.page.evaluate(() => window.__events);
  assert.deepEqual(events.map((e) => [e.source, e.marketing, e.preferences, e.services['Meta Pixel']]), [
    ['api', false, false, true],
    ['api', false, true, true],
  ]);
  const consent = await v.api('getConsent');
  assert.deepEqual(consent.services, { 'Google Analytics': false, 'Meta Pixel': true, YouTube: false, 'Test Video': false, 'Test Chat': true });
  assert.deepEqual(await Promise.all([
    v.api('acceptedCategory', 'preferences'), v.api('acceptedCategory', 'marketing'),
    v.api('acceptedService', 'Meta Pixel'), v.api('acceptedService', 'Test Video'), v.api('acceptedService', 'Unknown'),
  ]), [true, false, true, false, false]);
  assert.match((await v.cookieJar()).pd_consent, /^2\.00100\.a\.\d{8}\.[\w-]{22}\.\+Meta%20Pixel\./);
  // After ready: the same object answers directly; a change that changes nothing is not logged.
  await v.api('acceptService', 'Meta Pixel');
  await v.api('acceptCategory', 'marketing');
  const after = await v.page.evaluate(() => window.__events.map((e) => [e.marketing, e.services['Test Video']]));
  assert.deepEqual(after.slice(2), [[true, true]]);
  assert.equal(await v.api('acceptedService', 'Test Video'), true);
  const id = consent.consentId;
  const records = await recordsUntil(s.shop, (r) => r.consent_id === id && r.choices.marketing);
  assert.equal(records[0].source, 'api');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: a handler of privacydesk:consent may call the API back while the change that fired it is running', async () => {
  const s = SHOPS.nl;
  const v = await visit(s);
  await v.page.evaluate(() => {
    window.__answers = [];
    document.addEventListener('privacydesk:consent', () => {
      window.__answers.push([PrivacyDesk.acceptedService('Meta Pixel'), PrivacyDesk.acceptedCategory('marketing'), PrivacyDesk.getConsent().source]);
    });
  });
  await v.api('acceptService', 'Meta Pixel');
  await v.api('acceptCategory', 'marketing');
  // Changes made before the consent module runs (it comes when idle after the
  // banner) are queued and done in order when it starts.
  await v.page.waitForFunction(() => window.__answers.length >= 2);
  assert.deepEqual(await v.page.evaluate(() => window.__answers), [[true, false, 'api'], [true, true, 'api']]);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('en: the preferences category drives Consent Mode and Shopify; ads_data_redaction follows marketing', async () => {
  const s = SHOPS.en;
  const v = await visit(s);
  const pushes = () => v.page.evaluate(() => window.__pushes);
  assert.deepEqual((await pushes()).slice(0, 2), [
    ['consent', 'default', {
      ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
      functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted', wait_for_update: 500,
    }],
    ['set', 'ads_data_redaction', true],
  ]);
  await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.prefs, exact: true }).click();
  const dialog = dialogOf(v, s);
  await dialog.getByRole('checkbox', { name: s.preferences, exact: true }).check();
  await dialog.getByRole('button', { name: s.save, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  const denied = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', security_storage: 'granted' };
  assert.deepEqual((await pushes()).slice(-2), [
    ['consent', 'update', { ...denied, functionality_storage: 'granted', personalization_storage: 'granted' }],
    ['set', 'ads_data_redaction', true],
  ]);
  const shopify = () => v.page.evaluate(() => window.__shopifyConsentCalls.at(-1));
  assert.deepEqual(await shopify(), { analytics: false, marketing: false, preferences: true, sale_of_data: false });
  assert.match((await v.cookieJar()).pd_consent, /^2\.00100\.p\./);
  await v.api('acceptCategory', 'marketing');
  await v.page.waitForFunction(() => window.__events.length === 2);
  const ads = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' };
  assert.deepEqual((await pushes()).slice(-2), [
    ['consent', 'update', { ...denied, ...ads, functionality_storage: 'granted', personalization_storage: 'granted' }],
    ['set', 'ads_data_redaction', false],
  ]);
  assert.deepEqual(await shopify(), { analytics: false, marketing: true, preferences: true, sale_of_data: true });
  // The next page: the loader restores all of it from the cookie, before the module.
  await v.page.reload();
  await v.page.waitForFunction(() => window.__pdReady);
  const restored = await v.page.evaluate(() => window.__pushes.slice(0, window.__pushesAtReady));
  assert.deepEqual(restored.slice(2), [
    ['consent', 'update', { ...denied, ...ads, functionality_storage: 'granted', personalization_storage: 'granted' }],
    ['set', 'ads_data_redaction', false],
  ]);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: withdrawal deletes the withdrawn services\' cookies and localStorage and reloads (said in the dialog); nothing that ran, no reload', async () => {
  const s = SHOPS.nl;
  const v = await visit(s);
  await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.accept, exact: true }).click();
  await v.page.waitForFunction(() => (window.__standIns ?? []).length === 2);
  await v.page.evaluate(() => {
    for (const key of ['_fbq_events', 'chat_state', 'video_volume', 'keep']) localStorage.setItem(key, '1');
    document.cookie = 'fr=1; Path=/';
    document.cookie = 'chat_id=1; Path=/';
    document.cookie = 'video_pref=1; Path=/';
  });
  assert.ok((await v.cookieJar())._fbp, 'the pixel set its cookie');
  const storage = () => v.page.evaluate(() => Object.keys(localStorage).sort());

  await v.page.getByRole('button', { name: s.settings, exact: true }).click();
  const dialog = dialogOf(v, s);
  assert.ok(await dialog.getByText(s.reloadNote).isVisible(), 'the dialog says a withdrawal reloads');
  await dialog.getByRole('button', { name: `${s.servicesIn} ${s.marketing}` }).click();
  await dialog.getByRole('checkbox', { name: 'Meta Pixel', exact: true }).uncheck();
  const reloaded = v.page.waitForEvent('load');
  await dialog.getByRole('button', { name: s.save, exact: true }).click();
  await reloaded;
  await v.page.waitForFunction(() => window.__pdReady);
  const jar = await v.cookieJar();
  assert.equal(jar._fbp, undefined);
  assert.equal(jar.fr, undefined);
  assert.equal(jar.video_pref, '1', 'the video was not withdrawn');
  assert.deepEqual(await storage(), ['chat_state', 'keep', 'video_volume']);
  // Marketing is on only when all its services are: now the videos alone (the
  // shop's YouTube and the test's).
  assert.match(jar.pd_consent, /^2\.10110\.p\.\d{8}\.[\w-]{22}\.\+YouTube!\+Test%20Video\./);
  await settle(v);
  assert.deepEqual(await v.ran(), [], 'the pixel stays held back after the reload');

  // Withdrawing what never ran on this page clears its storage without a reload.
  await v.page.evaluate(() => (window.__sameDocument = true));
  await v.page.getByRole('button', { name: s.settings, exact: true }).click();
  await dialog.getByRole('checkbox', { name: s.preferences, exact: true }).uncheck();
  await dialog.getByRole('button', { name: s.save, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await settle(v);
  assert.equal(await v.page.evaluate(() => window.__sameDocument), true, 'no reload');
  assert.equal((await v.cookieJar()).chat_id, undefined);
  assert.deepEqual(await storage(), ['keep', 'video_volume']);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

for (const [code, s] of Object.entries(SHOPS)) {
  test(`${code}: a choice that no longer holds is never signalled as granted, not even before the module; Shopify is told`, async () => {
    const current = encodeURIComponent(policy[s.shop]);
    const outdated = [
      `1.11.b.${today()}.${ID}.old-policy`,
      `2.11111.b.${today()}.${ID}..old-policy`,
      `2.11111.b.20200101.${ID}..${current}`,
      `1.11.b.${dayOffset(-200)}.${ID}.${current}`,
      `2.11111.b.${dayOffset(30)}.${ID}.-Meta%20Pixel.${current}`,
    ];
    for (const value of outdated) {
      const v = await visit(s, { cookies: [{ name: 'pd_consent', value }] });
      await v.page.getByRole('region', { name: s.banner }).waitFor();
      await settle(v);
      const granted = (await v.consentStates()).flatMap((state) => Object.entries(state).filter(([k, on]) => on === 'granted' && k !== 'security_storage'));
      assert.deepEqual(granted, [], value);
      const redaction = await v.page.evaluate(() => window.__pushes.filter((p) => p[1] === 'ads_data_redaction').map((p) => p[2]));
      assert.ok(redaction.every((on) => on === true), value);
      if (code === 'en') {
        const calls = await v.page.evaluate(() => window.__shopifyConsentCalls);
        assert.deepEqual(calls.at(-1), { analytics: false, marketing: false, preferences: false, sale_of_data: false }, value);
      }
      assert.deepEqual(v.problems, []);
      await v.context.close();
    }
  });

  test(`${code}: a choice stored in the format before per-service choices is still read and restored by the loader`, async () => {
    const value = `1.11.b.${today()}.${ID}.${encodeURIComponent(policy[s.shop])}`;
    const v = await visit(s, { cookies: [{ name: 'pd_consent', value }] });
    const beforeModule = await v.page.evaluate(() => window.__pushes.slice(0, window.__pushesAtReady).filter((p) => p[0] === 'consent'));
    assert.deepEqual(beforeModule.at(-1), ['consent', 'update', {
      ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted',
      functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted',
    }]);
    const consent = await v.api('getConsent');
    assert.deepEqual([consent.analytics, consent.marketing, consent.preferences, consent.source], [true, true, false, 'banner']);
    assert.equal(consent.services['Google Analytics'], true);
    assert.equal(await v.page.getByRole('region', { name: s.banner }).isVisible(), false);
    assert.equal((await v.cookieJar()).pd_consent, value, 'read, not rewritten');
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });
}
