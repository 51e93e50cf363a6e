// The cookie declaration (`<div data-cookie-declaration>`) on both demo shops'
// privacy pages, against the real Worker, in Chromium, under the strict CSP: it
// lists exactly the services the shop's configuration endpoint serves (so the
// policy cannot disagree with what the banner gates), in the page's language,
// with the visitor's current choice, which follows every change; its button opens
// the preferences; axe-core finds nothing. Only pages with a mount point fetch
// the module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations } from './harness.mjs';
import { SHOPS, startShops, watch } from './demo-shops.mjs';

// What the declaration says in each language (widget/src/declaration/text.rs).
const WORDS = {
  en: {
    privacy: '/shop/en/privacy',
    categories: ['Necessary', 'Preferences', 'Analytics', 'Marketing'],
    choiceCell: 'Your choice',
    allowed: 'Allowed',
    notAllowed: 'Not allowed',
    notChosen: 'Not chosen yet',
    alwaysOn: 'Always on',
    change: 'Change cookie settings',
    services: ': services',
  },
  nl: {
    privacy: '/shop/nl/privacy',
    categories: ['Noodzakelijk', 'Voorkeuren', 'Analytisch', 'Marketing'],
    choiceCell: 'Uw keuze',
    allowed: 'Toegestaan',
    notAllowed: 'Niet toegestaan',
    notChosen: 'Nog niet gekozen',
    alwaysOn: 'Altijd aan',
    change: 'Cookie-instellingen wijzigen',
    services: ': diensten',
  },
};

let worker;
let browser;
const config = {};

before(async () => {
  ({ worker, browser } = await startShops());
  for (const s of Object.values(SHOPS)) {
    config[s.shop] = await (await fetch(`${worker.url}/api/shops/${s.shop}/config`)).json();
  }
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

async function visit(pagePath) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    document.addEventListener('privacydesk:ready', () => {
      window.__pdReady = true;
    });
  });
  const page = await context.newPage();
  const { requests, problems } = watch(page, { pathOnly: true });
  await page.goto(worker.url + pagePath);
  await page.waitForFunction(() => window.__pdReady);
  return { context, page, requests, problems };
}

const declaration = (v) => v.page.locator('[data-cookie-declaration]');
const rendered = (v) => declaration(v).locator('table').first().waitFor();

/** Every service row of the declaration: {name, provider, purpose, cookies, retention, choice, link}. */
function rows(v) {
  return declaration(v).evaluate((root) =>
    [...root.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.children];
      const link = cells[0].querySelector('a');
      return {
        table: tr.closest('[role="region"]').getAttribute('aria-label'),
        name: cells[0].firstChild.textContent,
        link: link ? link.getAttribute('href') : null,
        provider: cells[1].textContent,
        purpose: cells[2].textContent,
        cookies: [...cells[3].querySelectorAll('code')].map((c) => c.textContent),
        retention: cells[4].textContent,
        choice: cells[5].textContent,
      };
    }),
  );
}

for (const [code, s] of Object.entries(SHOPS)) {
  const w = WORDS[code];

  test(`${code}: the privacy page's declaration lists exactly the configured services, in the page's language`, async () => {
    const v = await visit(w.privacy);
    await rendered(v);
    const shop = config[s.shop];
    assert.ok(shop.services.length >= 2, 'the demo shop configures services');
    const headings = await declaration(v).locator('h3').allInnerTexts();
    assert.deepEqual(headings, w.categories);
    const all = await rows(v);
    // The necessary category: the consent cookie itself, always on.
    const [necessary, ...services] = all;
    assert.equal(necessary.table, `${w.categories[0]}${w.services}`);
    assert.deepEqual(necessary.cookies, ['pd_consent']);
    assert.equal(necessary.choice, w.alwaysOn);
    assert.match(necessary.retention, new RegExp(`^${shop.consent_max_age_days} `));
    // Every configured service once, under its category, with what the configuration says.
    const byCategory = { preferences: w.categories[1], analytics: w.categories[2], marketing: w.categories[3] };
    const expected = shop.services.map((svc) => ({
      table: `${byCategory[svc.category]}${w.services}`,
      name: svc.name,
      link: svc.policy_url,
      provider: svc.provider ?? '',
      purpose: svc.purpose[code],
      cookies: svc.cookies,
      retention: svc.retention[code],
      choice: w.notChosen,
    }));
    const key = (r) => `${r.table}/${r.name}`;
    assert.deepEqual([...services].sort((a, b) => key(a).localeCompare(key(b))), expected.sort((a, b) => key(a).localeCompare(key(b))));
    // Each provider's policy is a link named after its service.
    for (const svc of shop.services) {
      await declaration(v).getByRole('link', { name: `${s.providerPolicy} ${svc.name}`, exact: true }).waitFor();
    }
    // The hand-written tables are gone: no cookie named on the page that the configuration does not list.
    const text = await v.page.locator('main').innerText();
    assert.ok(!text.includes('_gid'), 'no cookie outside the configuration');
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: the declaration shows the current choice, follows every change and opens the preferences`, async () => {
    const v = await visit(w.privacy);
    await rendered(v);
    const choices = async () => (await rows(v)).slice(1).map((r) => r.choice);
    const categoryChoices = () =>
      declaration(v)
        .locator('p > strong')
        .allInnerTexts();
    assert.deepEqual(await categoryChoices(), [w.alwaysOn, w.notChosen, w.notChosen, w.notChosen]);
    // Accept all in the banner: every row says allowed, without a reload.
    await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.accept, exact: true }).click();
    await v.page.waitForFunction((allowed) => [...document.querySelectorAll('[data-cookie-declaration] tbody tr td:last-child')].slice(1).every((td) => td.textContent === allowed), w.allowed);
    assert.deepEqual(await categoryChoices(), [w.alwaysOn, w.allowed, w.allowed, w.allowed]);
    // The button opens the preferences; rejecting everything there shows up at once.
    const button = declaration(v).getByRole('button', { name: w.change, exact: true });
    await button.click();
    const dialog = v.page.getByRole('dialog', { name: s.dialog });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: s.reject, exact: true }).click();
    await v.page.waitForFunction((no) => [...document.querySelectorAll('[data-cookie-declaration] tbody tr td:last-child')].slice(1).every((td) => td.textContent === no), w.notAllowed);
    assert.deepEqual(await choices(), config[s.shop].services.map(() => w.notAllowed));
    assert.deepEqual(await categoryChoices(), [w.alwaysOn, w.notAllowed, w.notAllowed, w.notAllowed]);
    // One service on its own (the page's own "allow" button would do this): only its row changes.
    const one = config[s.shop].services.find((svc) => svc.category === 'marketing');
    await v.page.evaluate((name) => PrivacyDesk.acceptService(name), one.name);
    await v.page.waitForFunction((allowed) => [...document.querySelectorAll('[data-cookie-declaration] tbody tr td:last-child')].some((td) => td.textContent === allowed), w.allowed);
    const after = await rows(v);
    assert.deepEqual(
      after.slice(1).map((r) => [r.name, r.choice]),
      after.slice(1).map((r) => [r.name, r.name === one.name ? w.allowed : w.notAllowed]),
    );
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });

  test(`${code}: axe-core finds no violations with the declaration shown; pages without a mount point do not fetch the module`, async () => {
    const v = await visit(w.privacy);
    await rendered(v);
    // (axe's own injection is an inline script, which the CSP refuses and logs.)
    assert.deepEqual(v.problems, []);
    assert.deepEqual(await axeViolations(v.page), [], 'privacy page with the banner');
    await v.page.getByRole('region', { name: s.banner }).getByRole('button', { name: s.reject, exact: true }).click();
    await v.page.getByRole('button', { name: s.settings, exact: true }).waitFor();
    assert.deepEqual(await axeViolations(v.page), [], 'privacy page after a choice');
    assert.equal(v.requests.filter((p) => p.startsWith('/w/declaration')).length, 2, 'glue and WASM, once each');
    // The shop's home page has no declaration and no embed: neither module is fetched.
    const problems = v.problems.length;
    await v.page.goto(worker.url + s.path);
    await v.page.waitForFunction(() => window.__pdReady);
    await v.page.waitForTimeout(300);
    const home = v.requests.slice(v.requests.indexOf(s.path));
    // A returning visit: the loader alone, no module at all.
    assert.deepEqual(home.filter((p) => p.startsWith('/w/')), []);
    assert.deepEqual(v.problems.slice(problems), []);
    await v.context.close();
  });
}
