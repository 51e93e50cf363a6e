/*
 * Privacy Desk loader: the one script a shop embeds, in <head>, before any
 * Google tag, without async/defer:
 *
 *   <script src="https://HOST/widget.js" data-shop="demo-en" data-ga-id="G-..."
 *           [data-lang="nl"] [data-gtag-src="..."] [data-api="https://HOST"]
 *           [data-turnstile-sitekey="0x..."]></script>
 *
 * Synchronously: defines dataLayer/gtag and sets the Consent Mode v2 default (all
 * denied but security_storage, with ads_data_redaction), and fetches the shop's
 * configuration.
 *
 * A returning visitor (a `pd_consent` cookie, formats 1 and 2, documented in
 * widget/src/core/stored.rs) gets no WASM at load: once the configuration confirms
 * that the choice was made under the shop's current policy version, is younger than
 * its consent lifetime (and, if it came from GPC, that GPC is still on), the loader
 * signals it, answers `window.PrivacyDesk`'s questions from it, dispatches
 * `privacydesk:ready`, and draws the floating "Cookie settings" button. The consent
 * module comes on first use (the button, `[data-cc=open]`, `open()`,
 * `acceptCategory()`, `acceptService()`), or when the browser is idle if a cookie or
 * `localStorage` key of something the choice does not allow is there to clean up.
 * Without a valid choice (first visit, outdated, GPC) the loader draws the banner
 * as soon as the configuration (which carries its words) and the page are there,
 * dispatches `privacydesk:ready` (detail null) and does the banner's Accept all and
 * Reject all itself (`choose`: the cookie, Consent Mode, the record, the event),
 * as it does GPC's rejection without a banner: the twin of `core::decide::
 * new_stored`, `StoredConsent::to_cookie_value` and `decide::record`, tested
 * against them (widget/tests/choice-cases.json). The consent module is then needed
 * only for the preferences dialog, the API's changes and clean-up: it comes when
 * the browser is idle after the banner (with the dialog module, so that the
 * dialog opens at once), on first use, or at once when there is something to
 * clean up; it takes the banner over when it starts.
 *
 * On every page, whoever made the choice, the loader applies each choice in force
 * (`privacydesk:ready` and `privacydesk:consent`): it loads the Google tag once
 * analytics (Google Analytics' own switch, else the category) is granted, runs the
 * held-back `<script type="text/plain" data-category [data-service]>` the choice
 * allows, also those added later, and reloads the page when a choice no longer
 * allows one that ran. The module keeps no copy of these rules; they are the JS
 * twin of `core::decide::script_allowed`, tested against it
 * (widget/tests/returning-cases.json).
 *
 * Once the page is parsed, and only if it has a `[data-privacy-request-form]`, an
 * `iframe[data-src][data-category]` or a `[data-cookie-declaration]`, it also loads
 * the form, embeds or declaration module. No inline code, no eval: works under a
 * strict CSP with 'wasm-unsafe-eval'.
 */
// The widget's stylesheet (theme, banner, settings button), inlined as text when
// `cargo xtask build` bundles this file.
import css from './src/style.css';

(function (w, d) {
  var script = d.currentScript;
  if (!script || w.__privacyDesk) return;
  w.__privacyDesk = 1;
  var data = script.dataset;
  var dataLayer = (w.dataLayer = w.dataLayer || []);
  var gtag = (w.gtag = w.gtag || function () { dataLayer.push(arguments); });
  // Consent Mode from analytics, ads and preferences (truthy: granted):
  // `consent` then `set ads_data_redaction`.
  function signal(type, analytics, ads, preferences, extra) {
    function state(flag) { return flag ? 'granted' : 'denied'; }
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
    gtag('set', 'ads_data_redaction', !ads);
  }
  signal('default', 0, 0, 0, { wait_for_update: 500 });
  var api = (data.api || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var noop = function () {};
  // The widget's language, by the module's own rule: data-lang, else <html lang>;
  // Dutch for "nl", English otherwise.
  var nl = /^\s*nl\s*([-_]|$)/i.test(data.lang || d.documentElement.lang);
  var lang = nl ? 'nl' : 'en';
  function parsed(f) {
    if (d.readyState == 'loading') d.addEventListener('DOMContentLoaded', f);
    else f();
  }

  // The choice in force as `getConsent()` answers it (null before a choice):
  // the loader's own reading of the cookie, then each `privacydesk:ready` and
  // `privacydesk:consent` detail.
  var chosen = null;
  // `core::decide::script_allowed` over that object: an optional category, and a
  // configured service's own choice (every configured service is in `services`,
  // with its exception or its category's choice) before its category's.
  function allowed(category, service) {
    var own = chosen && service && chosen.services[service];
    return !!chosen && /^(preferences|analytics|marketing)$/.test(category) && (typeof own == 'boolean' ? own : chosen[category]);
  }
  // `window.PrivacyDesk`: each method calls the module's `options.call([method,
  // argument])` once it runs. Before that the questions answer from the cookie the
  // loader restored (or as for no choice), and `open()`, `acceptCategory()` and
  // `acceptService()` are queued, done in order once the module runs, and fetch it.
  var queue = [];
  var desk = (w.PrivacyDesk = w.PrivacyDesk || {});
  'open getConsent acceptedCategory acceptedService acceptCategory acceptService'.split(' ').forEach(function (method) {
    desk[method] = function (argument) {
      var call = [method, method == 'acceptCategory' ? [].concat(argument) : argument];
      return options.call ? options.call(call)
        : method == 'getConsent' ? chosen && JSON.parse(JSON.stringify(chosen))
        : method == 'acceptedCategory' ? argument == 'necessary' || allowed(argument)
        : method == 'acceptedService' ? !!chosen && chosen.services[argument] === true
        : void (queue.push(call), wake());
    };
  });
  // Any element with `data-cc="open"` opens the preferences (delegated, so it also
  // works for elements a single-page app adds later).
  d.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('[data-cc="open"]')) {
      event.preventDefault();
      desk.open();
    }
  });

  // Held-back scripts, one at a time in document order, each external one after
  // the previous one's `load` or `error`, as the parser would. A `text/plain`
  // script was never started, so its clone (attributes, inline text and nonce
  // kept) runs once its `type` is a script's. `ran` holds `[category, service]`
  // of each one run: only a reload stops a script that runs.
  var ran = [];
  var waiting;
  function run() {
    if (waiting || !chosen) return;
    [].some.call(d.querySelectorAll('script[type="text/plain"][data-category]'), function (held) {
      var category = held.getAttribute('data-category');
      var service = held.getAttribute('data-service');
      if (!allowed(category, service)) return;
      ran.push([category, service]);
      var copy = held.cloneNode(true);
      copy.type = held.getAttribute('data-type') == 'module' ? 'module' : 'text/javascript';
      // Inserted scripts are async: the order is kept by waiting.
      if ((waiting = held.hasAttribute('src'))) copy.onload = copy.onerror = function () { waiting = 0; run(); };
      held.replaceWith(copy);
      return waiting;
    });
  }
  // Each choice in force: reload if a script that ran is no longer allowed, else
  // the Google tag (once; `analytics_storage` is Google Analytics' own choice, else
  // the category's) and the held-back scripts it allows.
  var tagged;
  function follow(event) {
    chosen = event.detail;
    if (ran.some(function (r) { return !allowed(r[0], r[1]); })) return location.reload();
    if (data.gaId && !tagged && allowed('analytics', 'Google Analytics')) {
      tagged = d.createElement('script');
      tagged.async = true;
      tagged.src = data.gtagSrc || 'https://www.googletagmanager.com/gtag/js?id=' + encodeURIComponent(data.gaId);
      gtag('js', new Date());
      gtag('config', data.gaId);
      d.head.appendChild(tagged);
    }
    run();
  }
  d.addEventListener('privacydesk:ready', follow);
  d.addEventListener('privacydesk:consent', follow);
  // Each new choice, the loader's or the module's, mirrored to Shopify's Customer
  // Privacy API when the page is a Shopify store (loading its
  // `consent-tracking-api` feature first if needed); `preferences` is the
  // preferences category, `sale_of_data` follows marketing. The one copy: in the
  // loader it costs about 0.1 KB gzip on every page, in the module it cost more
  // (see ARCHITECTURE.md "The banner's two choices done by the loader").
  function mirror(choice) {
    var shopify = w.Shopify;
    function set() {
      var privacy = shopify.customerPrivacy;
      if (!privacy || !privacy.setTrackingConsent) return;
      privacy.setTrackingConsent({
        analytics: !!choice.analytics, marketing: !!choice.marketing, preferences: !!choice.preferences, sale_of_data: !!choice.marketing
      }, noop);
      return 1;
    }
    if (shopify && !set() && shopify.loadFeatures) {
      shopify.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], set);
    }
  }
  d.addEventListener('privacydesk:consent', function (event) { mirror(event.detail); });

  // The widget's host element in the page, drawn by the loader (`draw`) and taken
  // over by the module. Put back when a single-page app replaces the body; scripts
  // the page adds later are run.
  var host;
  function attach() {
    if (host && !host.isConnected) (d.body || d.documentElement).appendChild(host);
  }
  parsed(function () {
    new MutationObserver(function () { attach(); run(); }).observe(d.documentElement, { childList: true, subtree: true });
  });
  // The banner and the settings button, as the module's `ui.rs` takes them over,
  // from the words that come with the configuration (`banner`, every language):
  // an open shadow root styled by a constructed sheet (a strict CSP's style-src
  // does not apply to it), last in the body. `ask`: the banner shows (no valid
  // choice, no GPC); else the settings button does. Until the module has started
  // (`options.call`), Preferences and the settings button open the preferences
  // through the API (queued, and the module fetched), and Accept all and Reject
  // all are done here (`choose`).
  var banner, fab;
  function draw(config, ask) {
    var words = config.banner && config.banner[lang];
    if (!words || host) return;
    function el(parent, tag, text, className, act) {
      var e = parent.appendChild(d.createElement(tag));
      if (text) e.textContent = text;
      if (className) e.className = className;
      if (act) {
        e.type = 'button';
        e.setAttribute('data-act', act);
      }
      return e;
    }
    host = d.createElement('div');
    host.id = 'privacy-desk';
    var root = host.attachShadow({ mode: 'open' });
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      el(root, 'style', css);
    }
    var wrap = el(root, 'div', 0, 'pd');
    wrap.lang = lang;
    wrap.addEventListener('click', function (event) {
      var act = !options.call && event.target.closest('[data-act]');
      act = act && act.getAttribute('data-act');
      if (act == 'prefs') desk.open();
      else if (act) choose(config, act == 'all', 'b');
    });
    // Accept and Reject look the same and sit side by side: equal prominence.
    banner = el(wrap, 'section', 0, 'banner');
    banner.setAttribute('aria-label', words.label);
    banner.hidden = !ask;
    el(banner, 'h2', words.title);
    var body = el(banner, 'p', words.body);
    if (config.privacy_policy_url) {
      body.append(' ');
      el(body, 'a', words.policy).href = config.privacy_policy_url;
    }
    var actions = el(banner, 'div', 0, 'actions');
    el(actions, 'button', words.accept, 'btn', 'all');
    el(actions, 'button', words.reject, 'btn', 'none');
    el(actions, 'button', words.preferences, 'btn', 'prefs');
    fab = el(wrap, 'button', words.settings, 'fab', 'prefs');
    fab.hidden = ask;
    attach();
  }

  // `GET /api/shops/<shop><path>` read as `read` ('json' or 'text'): null when the
  // edge answers with an error, undefined when it cannot be reached.
  function shopGet(path, read) {
    return fetch(api + '/api/shops/' + encodeURIComponent(data.shop) + path)
      .then(function (response) { return response.ok ? response[read]() : null; })
      .catch(noop);
  }
  var config = shopGet('/config', 'json');
  // Everything the consent module needs it gets from here: the configuration as
  // a promise and the calls made before it ran.
  var options = {
    api: api, shop: data.shop, ga: data.gaId, gtagSrc: data.gtagSrc, lang: data.lang, turnstile: data.turnstileSitekey,
    config: config, queue: queue
  };
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
  // The consent module, started once; asked again after a failed fetch (offline).
  var woken;
  function wake() {
    woken = woken || get('widget').then(function (module) { module.start(options); }, function () { woken = 0; });
  }
  // The preferences dialog is a module of its own: fetched when the browser is
  // idle after the banner, or on first use.
  options.dialog = function (lang, config, root) {
    return get('prefs').then(function (module) { return module.preferences(lang, config, root); });
  };
  var idle = w.requestIdleCallback || setTimeout;

  // pd_consent=<1|2>.<flags>.<source>.<yyyymmdd>.<id>.[<services>.]<policy>
  function find(cookies) {
    return /(?:^|;\s*)pd_consent=([12])\.([01]+)\.([bpga])\.(\d{8})\.([\w-]{16,64})\.([^;]*)/.exec(cookies);
  }
  var stored = find(d.cookie);
  // The choice in a cookie (`find`) as `getConsent()` answers it, if it is in force
  // under `config` (or, with `outdated`, if it can be read at all): the module's
  // rules (core::stored::StoredConsent::parse and core::decide::is_current), else
  // nothing.
  function restore(config, stored, outdated) {
    var v2 = stored[1] == 2;
    var flags = stored[2];
    var day = stored[4];
    var rest = stored[6].split('.');
    var list = v2 ? rest.shift() : '';
    var date = new Date(Date.UTC(day.slice(0, 4), day.slice(4, 6) - 1, day.slice(6)));
    var age = (Date.now() - date) / 864e5;
    var gpc = navigator.globalPrivacyControl === true;
    var own = Object.create(null);
    try {
      var policy = decodeURIComponent(rest.join('.'));
      // Services set apart from their category: `+name` or `-name`, `!`-separated.
      list && list.split('!').forEach(function (item) {
        var name = decodeURIComponent(item.slice(1));
        if (!/^[+-]./.test(item) || !name) throw 0;
        if (!(name in own)) own[name] = item[0] == '+';
      });
    } catch (e) {
      return;
    }
    date = date.toISOString().slice(0, 10);
    if (flags.length != (v2 ? 5 : 2) || date.replace(/-/g, '') != day || !policy || !outdated && (policy != config.policy_version ||
      !(age >= -1 && age < (config.consent_max_age_days || 183)) || (stored[3] == 'g' && !gpc))) return;
    var choice = { necessary: true, preferences: v2 && flags[2] == 1, analytics: flags[0] == 1, marketing: flags[1] == 1, services: {} };
    (config.services || []).forEach(function (service) {
      choice.services[service.name] = service.name in own ? own[service.name] : choice[service.category];
    });
    choice.source = { b: 'banner', p: 'preferences', g: 'gpc', a: 'api' }[stored[3]];
    choice.date = date;
    choice.policyVersion = policy;
    choice.consentId = stored[5];
    choice.gpc = gpc;
    return choice;
  }
  // Whether the module's clean-up at start (`delete_cookies(withdrawn(None, ..))`)
  // has something to do: a Google cookie whose signal is denied, or a cookie or
  // `localStorage` key listed by a service the choice does not allow (a name, or
  // a prefix before `*` or `<placeholder>`, as in core::ga_cookies).
  function dirty(config) {
    function listed(name, key) {
      return (config.services || []).some(function (service) {
        return !(chosen && chosen.services[service.name]) && (service[key] || []).some(function (listed) {
          var i = listed.search(/[<*]/);
          return i < 0 ? name == listed : i > 0 && name.length > i && !name.indexOf(listed.slice(0, i));
        });
      });
    }
    var keys = [];
    try {
      keys = Object.keys(localStorage);
    } catch (e) {}
    return d.cookie.split(';').some(function (pair) {
      var name = pair.split('=')[0].trim();
      return (!allowed('analytics', 'Google Analytics') && /^_ga(_|$)|^_gid$|^_gat/.test(name)) ||
        (!allowed('marketing', 'Google Ads') && /^_gcl_/.test(name)) || listed(name, 'cookies');
    }) || keys.some(function (key) { return listed(key, 'local_storage'); });
  }
  // Accept all (`all`) or Reject all from the banner (`source` 'b'), or GPC's
  // rejection ('g'), before the module runs; as app::choose does it: the cookie
  // (core::decide::new_stored: the consent id of a readable older cookie is kept,
  // else 16 random bytes; written as StoredConsent::to_cookie_value and
  // browser::store_consent write it: all or nothing leaves no service set apart
  // after `Consent::normalized`, so Google's two flags are the categories' and the
  // list is empty), Consent Mode, the record (core::json::consent_record), the
  // banner away and the settings button back (focus on it if it was in the
  // banner), then `privacydesk:consent`, whose handlers load the Google tag, run
  // the scripts and mirror to Shopify. Nothing to clean up: nothing was allowed.
  function choose(config, all, source) {
    if (chosen) return;
    var old = stored && restore(config, stored, 1);
    var id = old ? old.consentId
      : btoa(String.fromCharCode.apply(0, crypto.getRandomValues(new Uint8Array(16)))).replace(/\+/g, '-').replace(/\//g, '_').slice(0, 22);
    // Every byte but A-Z a-z 0-9 - _ . ~ as %XX (encodeURIComponent leaves ! ' ( ) * too).
    var value = '2.' + (all ? '11111' : '00000') + '.' + source + '.' + new Date().toISOString().slice(0, 10).replace(/-/g, '') +
      '.' + id + '..' + encodeURIComponent(config.policy_version).replace(/[!'()*]/g, function (c) { return '%' + c.charCodeAt(0).toString(16).toUpperCase(); });
    d.cookie = (value = 'pd_consent=' + value) + '; Path=/; SameSite=Lax; Max-Age=' + (config.consent_max_age_days || 183) * 86400 +
      (location.protocol == 'https:' ? '; Secure' : '');
    var choice = restore(config, find(value));
    signal('update', all, all, all);
    fetch(api + '/api/consent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      keepalive: true,
      body: JSON.stringify({
        shop: data.shop, consent_id: id, policy_version: choice.policyVersion,
        choices: { analytics: all, marketing: all, preferences: all },
        source: choice.source, lang: lang, gpc: choice.gpc,
        services: (config.services || []).map(function (service) { return { name: service.name, granted: all }; })
      })
    }).catch(noop);
    if (banner) {
      var inside = host.shadowRoot.activeElement;
      banner.hidden = true;
      fab.hidden = false;
      if (inside) fab.focus();
    }
    chosen = choice;
    emit('consent');
  }
  // `privacydesk:<name>` on `document`, with the choice in force (null before one).
  function emit(name) {
    d.dispatchEvent(new CustomEvent('privacydesk:' + name, { detail: desk.getConsent() }));
  }
  config.then(function (config) {
    // Without the configuration the module decides with what it has.
    if (!config) return wake();
    var choice = stored && restore(config, stored);
    var gpc = navigator.globalPrivacyControl === true;
    // A choice in force is restored; without one, the banner asks, or GPC's
    // rejection is made without it (core::decide::on_load). An outdated choice is
    // not in force: Consent Mode and (below) Shopify hear "nothing" (Shopify keeps
    // its own copy of the last choice). The module, when it starts later, adopts
    // all this and the choice made here as the choice in force (`OnLoad::Keep`): no
    // second signal or event (`options.ready`).
    options.ready = true;
    if (choice) {
      chosen = choice;
      signal('update', allowed('analytics', 'Google Analytics'), allowed('marketing', 'Google Ads'), choice.preferences);
    } else if (stored && !gpc) signal('update');
    parsed(function () {
      var ask = !choice && !gpc;
      draw(config, ask);
      emit('ready');
      if (stored && ask) mirror({});
      if (!choice && gpc) choose(config, false, 'g');
      // The consent module (the preferences, the API's changes, clean-up) comes on
      // first use; to clean up, when idle on a returning visit, at once on a first
      // visit; else, after the banner, when the browser is idle, with the dialog
      // module, so that Preferences opens the dialog at once.
      if (dirty(config)) choice ? idle(wake) : wake();
      else if (ask) idle(function () {
        wake();
        get('prefs').catch(noop);
      });
    });
  });

  // The rights-request form (one module per language, its words only), the
  // placeholders of held-back embeds and the cookie declaration are modules of
  // their own, each fetched only by pages that have a mount point for it once
  // parsed (most shop pages have none). Embeds added later are found by the embeds
  // module once it runs.
  parsed(function () {
    // The form's markup comes from the edge (in the page's language), fetched
    // alongside the form module, which enhances it.
    if (d.querySelector('[data-privacy-request-form]')) {
      options.form = shopGet('/form?lang=' + lang, 'text');
      load(nl ? 'form_nl' : 'form_en', 'mount_forms');
    }
    if (d.querySelector('iframe[data-src][data-category]')) load('embeds', 'mount_embeds');
    if (d.querySelector('[data-cookie-declaration]')) load('declaration', 'mount_declaration');
  });
})(window, document);
