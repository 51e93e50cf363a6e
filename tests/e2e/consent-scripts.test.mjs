// Scripts held back until consent (`<script type="text/plain" data-category>`), on
// both demo shops, against the real Worker and under the shops' strict CSP: the
// Dutch shop's Meta Pixel and the English shop's review badge are local stand-ins
// on the Worker's own assets (`/shop/stand-ins/`), so "no request to the stand-in"
// is "no request to the third party".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOPS as BASE_SHOPS, startShops, watch } from './demo-shops.mjs';

// What each shop holds back: its stand-in scripts in document order, what they
// record when they run, and the cookie they set.
const HELD_BACK = {
  en: {
    scripts: ['/shop/stand-ins/review-badge.js'],
    ran: ['review-badge'],
    cookie: '_rb_visitor',
  },
  nl: {
    scripts: ['/shop/stand-ins/meta-pixel.js', '/shop/nl/meta-pixel-init.js'],
    ran: ['meta-pixel', 'meta-pixel-init'],
    cookie: '_fbp',
  },
};
const SHOPS = Object.fromEntries(Object.entries(BASE_SHOPS).map(([code, s]) => [code, { ...s, ...HELD_BACK[code] }]));

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

/** A visitor on a shop page; records requests and CSP or script errors. */
async function visit(s, { cookies = [] } = {}) {
  const context = await browser.newContext();
  if (cookies.length) await context.addCookies(cookies.map((c) => ({ url: worker.url, ...c })));
  await context.addInitScript(() => {
    document.addEventListener('privacydesk:ready', () => {
      window.__pdReady = true;
    });
  });
  const page = await context.newPage();
  const { requests, problems } = watch(page, { pathOnly: true });
  await page.goto(worker.url + s.path);
  await page.waitForFunction(() => window.__pdReady);
  const standIns = () => requests.filter((p) => p.startsWith('/shop/stand-ins/') || p.endsWith('meta-pixel-init.js'));
  const ran = () => page.evaluate(() => window.__standIns ?? []);
  const cookieJar = async () => Object.fromEntries((await context.cookies()).map((c) => [c.name, c.value]));
  return { context, page, requests, problems, standIns, ran, cookieJar };
}

const banner = (v, s) => v.page.getByRole('region', { name: s.banner });
const settle = (v) => v.page.waitForTimeout(300);
const today = () => new Date().toISOString().slice(0, 10).replaceAll('-', '');

for (const [code, s] of Object.entries(SHOPS)) {
  test(`${code}: held-back scripts do not load before a choice or after Reject all`, async () => {
    const v = await visit(s);
    await banner(v, s).waitFor();
    await settle(v);
    assert.deepEqual(v.standIns(), []);
    await banner(v, s).getByRole('button', { name: s.reject, exact: true }).click();
    await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    await settle(v);
    assert.deepEqual(v.standIns(), []);
    assert.deepEqual(await v.ran(), []);
    assert.equal((await v.cookieJar())[s.cookie], undefined);
    // Still held back on the next page load.
    await v.page.reload();
    await v.page.waitForFunction(() => window.__pdReady);
    await settle(v);
    assert.deepEqual(v.standIns(), []);
    // They were there all along, held back: a later Accept all runs them.
    await v.page.getByRole('button', { name: s.settings, exact: true }).click();
    await v.page.getByRole('dialog', { name: s.dialog }).getByRole('button', { name: s.accept, exact: true }).click();
    await v.page.waitForFunction((n) => (window.__standIns ?? []).length === n, s.ran.length);
    assert.deepEqual(v.standIns(), s.scripts);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: Accept all runs the held-back scripts, in document order, under the strict CSP`, async () => {
    const v = await visit(s);
    // The first script answers late: the next one must still run after it.
    await v.page.route((url) => url.pathname === s.scripts[0], async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await banner(v, s).getByRole('button', { name: s.accept, exact: true }).click();
    await v.page.waitForFunction((n) => (window.__standIns ?? []).length === n, s.ran.length);
    assert.deepEqual(await v.ran(), s.ran);
    assert.deepEqual(v.standIns(), s.scripts);
    assert.ok((await v.cookieJar())[s.cookie], `${s.cookie} set by the stand-in`);
    // The originals are replaced, so nothing runs twice.
    assert.equal(await v.page.locator('script[type="text/plain"][data-category]').count(), 0);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: a choice of analytics only does not run a marketing script`, async () => {
    const v = await visit(s);
    await banner(v, s).getByRole('button', { name: s.prefs, exact: true }).click();
    const dialog = v.page.getByRole('dialog', { name: s.dialog });
    await dialog.getByRole('checkbox', { name: s.analytics }).check();
    await dialog.getByRole('button', { name: s.save, exact: true }).click();
    await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    await settle(v);
    assert.deepEqual(v.standIns(), []);
    assert.deepEqual(await v.ran(), []);
    // Granting marketing later runs them, without a reload.
    await v.page.getByRole('button', { name: s.settings, exact: true }).click();
    await dialog.getByRole('checkbox', { name: s.marketing }).check();
    await dialog.getByRole('button', { name: s.save, exact: true }).click();
    await v.page.waitForFunction((n) => (window.__standIns ?? []).length === n, s.ran.length);
    assert.deepEqual(await v.ran(), s.ran);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: a returning visitor with a marketing grant runs them on page load`, async () => {
    const value = `1.01.b.${today()}.AAAAAAAAAAAAAAAAAAAAAA.${encodeURIComponent(policyVersion[s.shop])}`;
    const v = await visit(s, { cookies: [{ name: 'pd_consent', value }] });
    await v.page.waitForFunction((n) => (window.__standIns ?? []).length === n, s.ran.length);
    assert.deepEqual(await v.ran(), s.ran);
    assert.equal(await banner(v, s).isVisible(), false);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });
}

test('en: a held-back script added to the page later runs once its category is granted', async () => {
  const s = SHOPS.en;
  const v = await visit(s);
  const add = () =>
    v.page.evaluate(() => {
      const script = document.createElement('script');
      script.type = 'text/plain';
      script.dataset.category = 'marketing';
      script.src = '/shop/stand-ins/meta-pixel.js';
      document.body.append(script);
    });
  await add();
  await settle(v);
  assert.deepEqual(v.standIns(), []);
  await banner(v, s).getByRole('button', { name: s.accept, exact: true }).click();
  await v.page.waitForFunction(() => (window.__standIns ?? []).includes('meta-pixel'));
  // And one added after the choice, too.
  await v.page.evaluate(() => {
    window.__standIns = [];
  });
  await add();
  await v.page.waitForFunction(() => (window.__standIns ?? []).includes('meta-pixel'));
  assert.deepEqual(v.problems, []);
  await v.context.close();
});
