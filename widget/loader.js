/*
 * Privacy Desk loader: the one script a shop embeds, in <head>, before any
 * Google tag, without async/defer:
 *
 *   <script src="https://HOST/widget.js" data-shop="demo-en" data-ga-id="G-..."
 *           [data-lang="nl"] [data-gtag-src="..."] [data-api="https://HOST"]
 *           [data-turnstile-sitekey="0x..."]></script>
 *
 * Synchronously: defines dataLayer/gtag, sets the Consent Mode v2 default (all
 * denied), and restores a stored choice from the first-party `pd_consent` cookie
 * (format documented in widget/src/core/stored.rs; only its first two fields are
 * read here). Then it starts, at once and in parallel, the consent module's glue,
 * its WASM and the shop's configuration; the module validates the stored choice
 * against the shop's policy, shows the banner and loads the Google tag only after
 * analytics consent. Once the page is parsed, and only if it has a
 * `[data-privacy-request-form]`, it also loads the rights-request form module. No
 * inline code, no eval: works under a strict CSP with 'wasm-unsafe-eval'.
 */
(function (w, d) {
  var script = d.currentScript;
  if (!script || w.__privacyDesk) return;
  w.__privacyDesk = 1;
  var data = script.dataset;
  var dataLayer = (w.dataLayer = w.dataLayer || []);
  var gtag = (w.gtag = w.gtag || function () { dataLayer.push(arguments); });
  var DENIED = 'denied';
  var GRANTED = 'granted';
  gtag('consent', 'default', {
    ad_storage: DENIED,
    ad_user_data: DENIED,
    ad_personalization: DENIED,
    analytics_storage: DENIED,
    wait_for_update: 500
  });
  var stored = /(?:^|;\s*)pd_consent=1\.([01])([01])\./.exec(d.cookie);
  if (stored) {
    var marketing = stored[2] == '1' ? GRANTED : DENIED;
    gtag('consent', 'update', {
      ad_storage: marketing,
      ad_user_data: marketing,
      ad_personalization: marketing,
      analytics_storage: stored[1] == '1' ? GRANTED : DENIED
    });
  }
  var api = (data.api || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var noop = function () {};
  // `PrivacyDesk.open()` before the module runs is remembered and done once it
  // does; the module replaces this object (`privacydesk:ready` says when).
  var queue = [];
  w.PrivacyDesk = w.PrivacyDesk || {
    open: function () { queue.push('open'); },
    getConsent: function () { return null; }
  };
  // Everything the banner needs starts now, in parallel: the module's glue, its
  // WASM and the shop's configuration (handed to the module as promises), rather
  // than one after the other (loader, glue, WASM, configuration).
  var config = fetch(api + '/api/shops/' + encodeURIComponent(data.shop) + '/config')
    .then(function (response) { return response.ok ? response.json() : null; })
    .catch(noop);
  var options = { api: api, shop: data.shop, ga: data.gaId, gtagSrc: data.gtagSrc, lang: data.lang, turnstile: data.turnstileSitekey, config: config, queue: queue };
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
  // The rights-request form is a module of its own, fetched only by pages that
  // have a mount point for it (most shop pages do not).
  function forms() {
    // One module per language (its words only), by the rule of the module's own
    // `lang`: data-lang, else <html lang>; Dutch for "nl", English otherwise.
    var nl = /^\s*nl\s*([-_]|$)/i.test(data.lang || d.documentElement.lang);
    if (d.querySelector('[data-privacy-request-form]')) load(nl ? 'form_nl' : 'form_en', 'mount_forms');
  }
  if (d.readyState == 'loading') d.addEventListener('DOMContentLoaded', forms);
  else forms();
})(window, document);
