// The two demo shops as the consent tests see them: their ids, paths and the
// accessible names of the banner's and dialog's parts in each language, and one
// start for a file's tests (the Worker, the browser and each shop's policy version).
import assert from 'node:assert/strict';
import { startWorker, launchBrowser } from './harness.mjs';

export const SHOPS = {
  en: {
    shop: 'demo-en',
    path: '/shop/en/',
    gaId: 'G-MOUNTCO01',
    banner: 'Cookie consent',
    dialog: 'Cookie preferences',
    accept: 'Accept all',
    reject: 'Reject all',
    prefs: 'Preferences',
    save: 'Save choices',
    settings: 'Cookie settings',
    close: 'Close',
    analytics: 'Analytics',
    marketing: 'Marketing',
    preferences: 'Preferences',
    servicesIn: 'Services in',
    reloadNote: 'If you withdraw a consent, the page reloads',
    necessary: 'Necessary',
    policy: 'Privacy policy',
    providerPolicy: 'Privacy policy of',
  },
  nl: {
    shop: 'demo-nl',
    path: '/shop/nl/',
    gaId: 'G-BEUGEL001',
    banner: 'Cookietoestemming',
    dialog: 'Cookievoorkeuren',
    accept: 'Alles accepteren',
    reject: 'Alles weigeren',
    prefs: 'Voorkeuren',
    save: 'Keuze opslaan',
    settings: 'Cookie-instellingen',
    close: 'Sluiten',
    analytics: 'Analytisch',
    marketing: 'Marketing',
    preferences: 'Voorkeuren',
    servicesIn: 'Diensten in',
    reloadNote: 'Trekt u een toestemming in, dan wordt de pagina opnieuw geladen',
    necessary: 'Noodzakelijk',
    policy: 'Privacybeleid',
    providerPolicy: 'Privacybeleid van',
  },
};

/**
 * A Worker (`options` as for `startWorker`, e.g. other `vars`), a browser, and each
 * demo shop's current policy version (by shop id).
 */
export async function startShops(options = {}) {
  const worker = await startWorker(options);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await worker.stop();
    throw e;
  }
  const policyVersion = {};
  for (const s of Object.values(SHOPS)) {
    const config = await (await fetch(`${worker.url}/api/shops/${s.shop}/config`)).json();
    policyVersion[s.shop] = config.policy_version;
  }
  return { worker, browser, policyVersion };
}

/**
 * What a consent test watches on a page: every request (full URL, or only its
 * path with `pathOnly`) and every problem a visitor would not see but a shop must
 * not have: uncaught errors, CSP refusals, and a WASM panic or trap in the console.
 */
export function watch(page, { pathOnly = false } = {}) {
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(pathOnly ? new URL(r.url()).pathname : r.url()));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|panicked|unreachable/i.test(m.text())) problems.push(m.text());
  });
  return { requests, problems };
}

/**
 * The owner's view: the consent records of a shop (each with its `record` fields
 * spread onto it), polled until `predicate` holds for some; those.
 */
export async function consentRecordsUntil(worker, shop, predicate) {
  let records = [];
  for (let i = 0; i < 60; i++) {
    const response = await worker.admin(`/api/admin/consent?shop=${shop}`);
    assert.equal(response.status, 200);
    const body = await response.json();
    records = (Array.isArray(body) ? body : (body.records ?? body.items ?? [])).map((r) => ({ ...r, ...(r.record ?? {}) }));
    const found = records.filter(predicate);
    if (found.length) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no matching consent record for ${shop}; have ${JSON.stringify(records).slice(0, 1000)}`);
}
