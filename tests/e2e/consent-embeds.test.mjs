// Embeds held back until consent (`<iframe data-src data-category data-service>`)
// and per-service consent on the demo shops, against the real Worker, in Chromium,
// under the shops' strict CSP. The Dutch shop's YouTube video points at
// https://www.youtube-nocookie.com, which every test routes to a local stand-in
// (www/shop/stand-ins/youtube-embed.html) and records, so "no request to the
// stand-in" is "no request to YouTube". The Meta Pixel and the English shop's
// review badge are held-back scripts on local stand-ins (see consent-scripts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, axeViolations } from './harness.mjs';
import { SHOPS, startShops, watch } from './demo-shops.mjs';

const YOUTUBE_HOST = 'www.youtube-nocookie.com';
const VIDEO = `https://${YOUTUBE_HOST}/embed/bh0demo0001`;
const PRODUCT = '/shop/nl/products/slanke-tv-muurbeugel';
const STAND_IN = readFileSync(path.join(ROOT, 'www/shop/stand-ins/youtube-embed.html'), 'utf8');
const nl = SHOPS.nl;
const en = SHOPS.en;
// The placeholder's words (widget/src/embeds/text.rs).
const LOAD_ONCE = 'Eén keer laden';
const ALWAYS_YOUTUBE = 'YouTube altijd toestaan';

let worker;
let browser;
let policyVersion = {};
let nlConfig;

before(async () => {
  ({ worker, browser, policyVersion } = await startShops());
  nlConfig = await (await fetch(`${worker.url}/api/shops/demo-nl/config`)).json();
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

/**
 * A visitor on `pagePath`: YouTube routed to the stand-in; records every request,
 * CSP and script errors, and layout shifts.
 */
async function visit(pagePath, { cookies = [] } = {}) {
  const context = await browser.newContext();
  if (cookies.length) await context.addCookies(cookies.map((c) => ({ url: worker.url, ...c })));
  await context.addInitScript(() => {
    document.addEventListener('privacydesk:ready', () => {
      window.__pdReady = true;
    });
    window.__layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__layoutShift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await context.route((url) => url.hostname === YOUTUBE_HOST, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: STAND_IN }),
  );
  const page = await context.newPage();
  const { requests, problems } = watch(page);
  await page.goto(worker.url + pagePath);
  await page.waitForFunction(() => window.__pdReady);
  const youtube = () => requests.filter((u) => new URL(u).hostname === YOUTUBE_HOST);
  const fetched = (p) => requests.filter((u) => new URL(u).pathname === p);
  const cookieJar = async () => Object.fromEntries((await context.cookies()).map((c) => [c.name, c.value]));
  return { context, page, requests, problems, youtube, fetched, cookieJar };
}

const placeholder = (v, name = /YouTube/) => v.page.getByRole('group', { name });
const settle = (v) => v.page.waitForTimeout(300);
const today = () => new Date().toISOString().slice(0, 10).replaceAll('-', '');
const banner = (v, s) => v.page.getByRole('region', { name: s.banner });
/** Waits until the page has asked YouTube for `n` documents (a `src` is fetched a moment after it is set). */
async function youtubeRequests(v, n) {
  for (let i = 0; i < 100 && v.youtube().length < n; i++) await v.page.waitForTimeout(50);
  return v.youtube();
}

/** A second YouTube embed, added by the page after it was parsed. */
async function addSecondVideo(v) {
  await v.page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.title = 'Tweede video';
    frame.width = '320';
    frame.height = '180';
    frame.dataset.src = src;
    frame.dataset.category = 'marketing';
    frame.dataset.service = 'YouTube';
    document.querySelector('main').append(frame);
  }, `${VIDEO}?second`);
  await placeholder(v, /Tweede video/).waitFor();
}

test('nl: the YouTube video loads nothing before a choice or after Reject all; its placeholder says which service and why, in the video’s box', async () => {
  const v = await visit(PRODUCT);
  const group = placeholder(v);
  await group.waitFor();
  await settle(v);
  assert.deepEqual(v.youtube(), []);
  assert.equal(await v.page.locator('iframe.video').getAttribute('src'), null);
  // Which service, why (the purpose from the shop's configuration), and two labelled buttons.
  const youtube = nlConfig.services.find((s) => s.name === 'YouTube');
  assert.ok(youtube, 'YouTube is in the Dutch shop’s configuration');
  const text = await group.innerText();
  assert.match(text, /Installatievideo: de slanke tv-muurbeugel ophangen \(YouTube\)/);
  assert.ok(text.includes(youtube.purpose.nl), text);
  assert.ok(text.includes('alleen met uw toestemming'), text);
  await group.getByRole('button', { name: LOAD_ONCE, exact: true }).waitFor();
  await group.getByRole('button', { name: ALWAYS_YOUTUBE, exact: true }).waitFor();
  // The same box as the iframe (560 x 315 at most, 16:9), and nothing moved.
  const box = await group.boundingBox();
  const expected = await v.page.evaluate(() => {
    const main = document.querySelector('.video').parentElement;
    const width = Math.min(560, main.getBoundingClientRect().width);
    return { width, height: (width * 9) / 16 };
  });
  assert.ok(Math.abs(box.width - expected.width) < 1, `${box.width} vs ${expected.width}`);
  assert.ok(Math.abs(box.height - expected.height) < 1, `${box.height} vs ${expected.height}`);
  assert.equal(await v.page.evaluate(() => window.__layoutShift), 0);
  // Reject all: still nothing, also after a reload.
  await banner(v, nl).getByRole('button', { name: nl.reject, exact: true }).click();
  await v.page.getByRole('button', { name: nl.settings, exact: true }).waitFor();
  await settle(v);
  assert.deepEqual(v.youtube(), []);
  await v.page.reload();
  await v.page.waitForFunction(() => window.__pdReady);
  await placeholder(v).waitFor();
  await settle(v);
  assert.deepEqual(v.youtube(), []);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: the placeholder is keyboard-usable: "Load once" loads only that embed, moves the focus to it and stores nothing', async () => {
  const v = await visit(PRODUCT);
  await placeholder(v).waitFor();
  await addSecondVideo(v);
  await banner(v, nl).getByRole('button', { name: nl.reject, exact: true }).click();
  await v.page.getByRole('button', { name: nl.settings, exact: true }).waitFor();
  const before = await v.cookieJar();
  // Tab to the first placeholder's "Load once" and press Enter.
  const first = placeholder(v, /Installatievideo/).getByRole('button', { name: LOAD_ONCE, exact: true });
  await first.focus();
  await v.page.keyboard.press('Enter');
  await v.page.waitForFunction(() => document.querySelector('iframe.video').getAttribute('src'));
  await settle(v);
  assert.deepEqual(await youtubeRequests(v, 1), [VIDEO]);
  assert.equal(await v.page.locator('iframe.video').getAttribute('src'), VIDEO);
  assert.equal(await v.page.evaluate(() => document.activeElement?.className), 'video');
  // The other embed still waits, and no choice was stored or changed.
  assert.equal(await placeholder(v, /Tweede video/).count(), 1);
  assert.deepEqual(await v.cookieJar(), before);
  assert.equal(await v.page.evaluate(() => PrivacyDesk.getConsent().marketing), false);
  // A reload holds it back again.
  await v.page.reload();
  await v.page.waitForFunction(() => window.__pdReady);
  await placeholder(v).waitFor();
  await settle(v);
  assert.deepEqual(v.youtube(), [VIDEO]);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: axe-core finds no violations with the placeholders shown', async () => {
  const v = await visit(PRODUCT);
  await placeholder(v).waitFor();
  await addSecondVideo(v);
  // (axe's own injection is an inline script, which the CSP refuses and logs.)
  assert.deepEqual(v.problems, []);
  assert.deepEqual(await axeViolations(v.page), [], 'with the banner');
  await banner(v, nl).getByRole('button', { name: nl.reject, exact: true }).click();
  await v.page.getByRole('button', { name: nl.settings, exact: true }).waitFor();
  assert.deepEqual(await axeViolations(v.page), [], 'after a choice');
  await v.context.close();
});

test('nl: "Always allow YouTube" stores the service choice and loads every YouTube embed, not the Meta Pixel', async () => {
  const v = await visit(PRODUCT);
  await placeholder(v).waitFor();
  await addSecondVideo(v);
  await placeholder(v, /Installatievideo/).getByRole('button', { name: ALWAYS_YOUTUBE, exact: true }).click();
  await v.page.waitForFunction(() => document.querySelectorAll('iframe[src]').length === 2);
  assert.deepEqual((await youtubeRequests(v, 2)).sort(), [VIDEO, `${VIDEO}?second`]);
  assert.equal(await v.page.locator('.pd-embed').count(), 0);
  const consent = await v.page.evaluate(() => PrivacyDesk.getConsent());
  assert.equal(consent.services.YouTube, true);
  assert.equal(consent.services['Meta Pixel'], false);
  assert.ok((await v.cookieJar()).pd_consent, 'the choice is stored');
  // Stored: the next page load shows the video at once, and the Meta Pixel stays held back.
  await v.page.goto(worker.url + '/shop/nl/');
  await v.page.waitForFunction(() => window.__pdReady);
  await v.page.goto(worker.url + PRODUCT);
  await v.page.waitForFunction(() => document.querySelector('iframe.video').getAttribute('src'));
  assert.equal(await v.page.locator('.pd-embed').count(), 0);
  assert.deepEqual(v.fetched('/shop/stand-ins/meta-pixel.js'), []);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: Accept all in the banner loads the waiting video without a reload; withdrawing in the preferences reloads the page, which holds it back again', async () => {
  const v = await visit(PRODUCT);
  await placeholder(v).waitFor();
  await banner(v, nl).getByRole('button', { name: nl.accept, exact: true }).click();
  await v.page.waitForFunction(() => document.querySelector('iframe.video').getAttribute('src'));
  assert.deepEqual(await youtubeRequests(v, 1), [VIDEO]);
  assert.equal(await v.page.locator('.pd-embed').count(), 0);
  // Withdraw: what runs in the frame stops only with a reload, which the page gets.
  await v.page.getByRole('button', { name: nl.settings, exact: true }).click();
  const dialog = v.page.getByRole('dialog', { name: nl.dialog });
  await Promise.all([
    v.page.waitForEvent('load'),
    dialog.getByRole('button', { name: nl.reject, exact: true }).click(),
  ]);
  await v.page.waitForFunction(() => window.__pdReady);
  await placeholder(v).waitFor();
  await settle(v);
  assert.equal(await v.page.locator('iframe.video').getAttribute('src'), null);
  assert.deepEqual(v.youtube(), [VIDEO]);
  assert.equal(await v.page.evaluate(() => PrivacyDesk.acceptedService('YouTube')), false);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: a returning visitor with marketing granted (stored in the old cookie format) gets the video without a placeholder', async () => {
  const value = `1.01.b.${today()}.AAAAAAAAAAAAAAAAAAAAAA.${encodeURIComponent(policyVersion['demo-nl'])}`;
  const v = await visit(PRODUCT, { cookies: [{ name: 'pd_consent', value }] });
  await v.page.waitForFunction(() => document.querySelector('iframe.video').getAttribute('src'));
  assert.deepEqual(await youtubeRequests(v, 1), [VIDEO]);
  assert.equal(await v.page.locator('.pd-embed').count(), 0);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('en: the review badge runs after its own consent only (acceptService), and Google Analytics does not', async () => {
  const v = await visit(en.path);
  await banner(v, en).waitFor();
  await settle(v);
  assert.deepEqual(v.fetched('/shop/stand-ins/review-badge.js'), []);
  await v.page.evaluate(() => PrivacyDesk.acceptService('Review badge'));
  await v.page.waitForFunction(() => (window.__standIns ?? []).includes('review-badge'));
  assert.equal(v.fetched('/shop/stand-ins/review-badge.js').length, 1);
  const consent = await v.page.evaluate(() => PrivacyDesk.getConsent());
  assert.equal(consent.services['Review badge'], true);
  assert.equal(consent.services['Google Analytics'], false);
  assert.equal(consent.analytics, false);
  assert.deepEqual(v.requests.filter((u) => /googletagmanager|gtag/.test(u)), []);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('nl: the Meta Pixel runs after its own consent only; the video stays held back', async () => {
  const v = await visit(PRODUCT);
  await placeholder(v).waitFor();
  await v.page.evaluate(() => PrivacyDesk.acceptService('Meta Pixel'));
  await settle(v);
  assert.equal(await v.page.evaluate(() => PrivacyDesk.acceptedService('Meta Pixel')), true);
  assert.deepEqual(v.youtube(), []);
  assert.equal(await placeholder(v).count(), 1);
  // The pixel is on the home page: it runs there now, the video still waits here.
  await v.page.goto(worker.url + nl.path);
  await v.page.waitForFunction(() => (window.__standIns ?? []).includes('meta-pixel-init'));
  await v.page.goto(worker.url + PRODUCT);
  await placeholder(v).waitFor();
  await settle(v);
  assert.deepEqual(v.youtube(), []);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});
