/*
 * Privacy Desk loader: the one script a shop embeds, in <head>, before any
 * Google tag, without async/defer:
 *
 *   <script src="https://HOST/widget.js" data-shop="demo-en" data-ga-id="G-..."
 *           [data-lang="nl"] [data-gtag-src="..."] [data-api="https://HOST"]
 *           [data-turnstile-sitekey="0x..."]></script>
 *
 * Synchronously: defines dataLayer/gtag and sets the Consent Mode v2 default (all
 * denied but security_storage, with ads_data_redaction). Then it starts, at once
 * and in parallel, the consent module's glue, its WASM and the shop's
 * configuration. When the configuration arrives (usually before the module), it
 * restores a stored choice from the first-party `pd_consent` cookie (formats 1
 * and 2, documented in widget/src/core/stored.rs) only if it was made under the
 * shop's current policy version and is younger than its consent lifetime: an
 * outdated grant is never signalled. The module shows the banner and loads the
 * Google tag only after analytics consent. Once the page is parsed, and only if it has a
 * `[data-privacy-request-form]`, an `iframe[data-src][data-category]` or a
 * `[data-cookie-declaration]`, it also loads the form, embeds or declaration
 * module. No
 * inline code, no eval: works under a strict CSP with 'wasm-unsafe-eval'.
 */
(function (w, d) {
  var script = d.currentScript;
  if (!script || w.__privacyDesk) return;
  w.__privacyDesk = 1;
  var data = script.dataset;
  var dataLayer = (w.dataLayer = w.dataLayer || []);
  var gtag = (w.gtag = w.gtag || function () { dataLayer.push(arguments); });
  // Consent Mode from the flags '1' (granted) or anything else (denied) of
  // analytics, ads and preferences: `consent` then `set ads_data_redaction`.
  function signal(type, analytics, ads, preferences, extra) {
    function state(flag) { return flag == 1 ? 'granted' : 'denied'; }
    var consent = {
      ad_storage: state(ads),
      ad_user_data: state(ads),
      ad_personalization: state(ads),
      analytics_storage: state(analytics),
      functionality_storage: state(preferences),
      personalization_storage: state(preferences),
      security_storage: 'granted'
    };
    gtag('consent', type, extra ? Object.assign(consent, extra) : consent);
    gtag('set', 'ads_data_redaction', ads != 1);
  }
  signal('default', 0, 0, 0, { wait_for_update: 500 });
  // pd_consent=<1|2>.<flags>.<source>.<yyyymmdd>.<id>[.<services>].<policy>; in
  // format 2 the flags end with Google's analytics and ad signals as the module
  // worked them out (core::decide::consent_mode), so no service list is read here.
  var stored = /(?:^|;\s*)pd_consent=([12])\.([01]{2}|[01]{5})\.([^;]*)/.exec(d.cookie);
  function restore(config) {
    var v2 = stored[1] == 2;
    var flags = stored[2];
    // <source>.<yyyymmdd>.<id>[.<services>].<policy>
    var field = stored[3].split('.');
    var day = field[1] || '';
    var policy = field.slice(v2 ? 4 : 3).join('.');
    var age = Date.now() / 864e5 - Date.UTC(day.slice(0, 4), day.slice(4, 6) - 1, day.slice(6)) / 864e5;
    try {
      policy = decodeURIComponent(policy);
    } catch (e) {
      return;
    }
    // The module's rules (core::decide::is_current): current policy, not expired.
    if (flags.length != (v2 ? 5 : 2) || policy != config.policy_version || !(age >= -1 && age < (config.consent_max_age_days || 183))) return;
    // Format 1: analytics and marketing were Google's signals; no preferences.
    signal('update', flags[v2 ? 3 : 0], flags[v2 ? 4 : 1], flags[2]);
    options.restored = true;
  }
  var api = (data.api || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var noop = function () {};
  // `window.PrivacyDesk`: each method calls the module's `options.call([method,
  // argument])` once it is ready (`privacydesk:ready`). Before that, `open()`,
  // `acceptCategory()` and `acceptService()` are queued and done in order when it
  // is; `getConsent()` answers null and nothing but `necessary` is accepted.
  var queue = [];
  var desk = (w.PrivacyDesk = w.PrivacyDesk || {});
  'open getConsent acceptedCategory acceptedService acceptCategory acceptService'.split(' ').forEach(function (method) {
    desk[method] = function (argument) {
      var call = [method, method == 'acceptCategory' ? [].concat(argument) : argument];
      return options.call ? options.call(call)
        : method == 'getConsent' ? null
        : method[6] == 'e' ? method == 'acceptedCategory' && argument == 'necessary'
        : void queue.push(call);
    };
  });
  // Everything the banner needs starts now, in parallel: the module's glue, its
  // WASM and the shop's configuration (handed to the module as promises), rather
  // than one after the other (loader, glue, WASM, configuration).
  var config = fetch(api + '/api/shops/' + encodeURIComponent(data.shop) + '/config')
    .then(function (response) { return response.ok ? response.json() : null; })
    .catch(noop);
  var options = { api: api, shop: data.shop, ga: data.gaId, gtagSrc: data.gtagSrc, lang: data.lang, turnstile: data.turnstileSitekey, config: config, queue: queue };
  if (stored) config.then(function (config) { if (config) restore(config); });
  // Each WASM module (www/w/<name>.js + <name>_bg.wasm) is fetched and started
  // once. A module that cannot be fetched (offline) leaves the defaults (denied)
  // in force, quietly: no unhandled rejection. Errors inside a module still surface.
  var modules = {};
  function get(name) {
    if (!modules[name]) {
      var wasm = fetch(api + '/w/' + name + '_bg.wasm');
      wasm.catch(noop);
      modules[name] = import(api + '/w/' + name + '.js').then(function (module) {
        return module.default({ module_or_path: wasm }).then(function () { return module; });
      });
      modules[name].catch(function () { modules[name] = 0; });
    }
    return modules[name];
  }
  function load(name, entry) {
    get(name).then(function (module) { module[entry](options); }, noop);
  }
  // The preferences dialog is a module of its own: the consent module asks for it
  // when the browser is idle after showing the banner, or on first use.
  options.dialog = function (lang, config, root) {
    return get('prefs').then(function (module) { return module.preferences(lang, config, root); });
  };
  options.idle = function () {
    (w.requestIdleCallback || setTimeout)(function () { get('prefs').catch(noop); });
  };
  load('widget', 'start');
  // The rights-request form (one module per language, its words only), the
  // placeholders of held-back embeds and the cookie declaration are modules of
  // their own, each fetched only by pages that have a mount point for it once
  // parsed (most shop pages have none). Embeds added later are found by the embeds
  // module once it runs.
  function mounts() {
    // The form's language by the rule of the module's own `lang`: data-lang, else
    // <html lang>; Dutch for "nl", English otherwise.
    var nl = /^\s*nl\s*([-_]|$)/i.test(data.lang || d.documentElement.lang);
    if (d.querySelector('[data-privacy-request-form]')) { options.form = fetch(api + '/api/shops/' + encodeURIComponent(data.shop) + '/form?lang=' + (nl ? 'nl' : 'en')).then(function (response) { return response.ok ? response.text() : void 0; }).catch(noop); load(nl ? 'form_nl' : 'form_en', 'mount_forms'); }
    if (d.querySelector('iframe[data-src][data-category]')) load('embeds', 'mount_embeds');
    if (d.querySelector('[data-cookie-declaration]')) load('declaration', 'mount_declaration');
  }
  if (d.readyState == 'loading') d.addEventListener('DOMContentLoaded', mounts);
  else mounts();
})(window, document);
