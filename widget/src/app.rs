//! The consent widget's state and entry points: [`start`] (called by the loader),
//! the handlers the UI forwards to and the JS API `window.PrivacyDesk`. It applies
//! what [`crate::core::decide`] decides. The loader (`widget/loader.js`) does the
//! rest on every page from the events this module dispatches: the Google tag, the
//! held-back scripts and the reload when a choice no longer allows one that ran,
//! the `data-cc="open"` hook, the Shopify mirror of each choice, and putting the
//! widget back when a single-page app replaces the body; it also draws the banner
//! and does its Accept all and Reject all (and GPC's rejection) on a first visit,
//! and restores the choice and draws the settings button on a returning visit,
//! before this module is fetched (see [`start`]).

use crate::prelude::*;

use core::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use protocol::{ConsentSource, Lang, Service, WidgetConfig};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;

use crate::browser;
use crate::core::decide::{self, Consent, OnLoad, NOTHING};
use crate::core::stored::{self, StoredConsent};
use crate::core::{date, json};
use crate::dom;
use crate::ui::Ui;

struct App {
    api: String,
    shop: String,
    lang: Lang,
    gpc: bool,
    config: WidgetConfig,
    /// The valid choice in force, if any.
    stored: Option<StoredConsent>,
    /// An outdated choice (expired, older policy): not in force, but its consent id
    /// links the next choice to the visitor's history.
    outdated: Option<StoredConsent>,
    /// The shop's configuration as the loader fetched it, for the dialog module.
    config_js: JsValue,
    /// The loader's options object: `dialog(lang, config, root)` loads the dialog
    /// module and builds the preferences dialog, `idle()` fetches that module once
    /// the browser is idle.
    loader: JsValue,
    /// The dialog module has been asked for and has not answered yet.
    dialog_pending: bool,
    /// The banner and settings button the loader drew (none without a configuration).
    ui: Option<Ui>,
}

static APP: Local<RefCell<Option<App>>> = Local(RefCell::new(None));

/// Runs `f` on the app if it is running and not busy (a re-entrant call from a
/// handler of our own event is ignored rather than panicking).
fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|cell| {
        cell.try_borrow_mut()
            .ok()
            .and_then(|mut app| app.as_mut().map(f))
    })
}

/// Options passed by the loader (see `widget/loader.js`).
pub struct Options {
    /// The loader's options object itself.
    pub loader: JsValue,
    pub api: String,
    pub shop: String,
    pub lang: Lang,
}

/// Decides and renders, once the shop's config has been fetched (`None`: the edge
/// could not be reached) and the DOM is parsed. `queue` is the loader's list of
/// `PrivacyDesk` calls made before now (`[method, argument]`), replayed in order.
///
/// Whenever the configuration came, the loader has already dispatched
/// `privacydesk:ready` (`ready`) and applied what it found: on a returning visit it
/// restored the choice (signalled it, loaded the Google tag, ran the held-back
/// scripts, drew its settings button); on a first visit it drew the banner and
/// does Accept all, Reject all and GPC's rejection itself (so the module may find
/// the cookie it wrote: the choice in force, `OnLoad::Keep`), and signalled an
/// outdated choice as nothing. The module starts when idle after the banner, on
/// first use or to clean up, and adopts all that: no second signal or event. On
/// every visit the banner and the settings button are the loader's, taken over
/// here (`Ui::adopt`), so nothing moves.
pub fn start(options: Options, config_js: JsValue, queue: JsValue) {
    let config = crate::config::from_js(&config_js);
    let cookie = browser::cookie_header();
    let found = stored::find_cookie(&cookie, stored::COOKIE_NAME).and_then(StoredConsent::parse);
    let config = config.unwrap_or_else(|| fallback_config(&options.shop, found.as_ref()));
    let gpc = browser::gpc();
    let today = date::day_from_millis(browser::now_millis());
    let outcome = decide::on_load(&decide::Context {
        stored: found.as_ref(),
        policy_version: &config.policy_version,
        max_age_days: config.consent_max_age_days,
        gpc,
        today,
    });
    let doc = browser::document();
    let ui = Ui::adopt(&doc);
    let ready = dom::is(&options.loader, "ready");
    let found_any = found.is_some();
    let (stored, outdated) = match outcome {
        OnLoad::Keep => (found, None),
        _ => (None, found),
    };
    let in_force = stored
        .as_ref()
        .map(|s| s.consent.clone())
        .unwrap_or_default();
    if found_any && !ready {
        // The loader could not check the choice (no configuration): signal it (or,
        // outdated, nothing) now.
        browser::consent_update(&in_force, &config.services);
    }
    // Cookies and storage the visitor has not (or no longer) allowed do not stay.
    browser::delete_cookies(&decide::withdrawn(None, &in_force, &config.services));

    let mut app = App {
        api: options.api,
        shop: options.shop,
        lang: options.lang,
        gpc,
        config,
        stored,
        outdated,
        config_js,
        loader: options.loader,
        dialog_pending: false,
        ui,
    };
    match outcome {
        OnLoad::Keep => {
            if let Some(ui) = &mut app.ui {
                ui.show_chosen();
            }
        }
        OnLoad::Ask => {
            if let Some(ui) = &app.ui {
                ui.show_banner();
            }
        }
        OnLoad::RejectByGpc => {}
    }
    let detail = app.consent_js();
    let options_loader = app.loader.clone();
    APP.with(|cell| *cell.borrow_mut() = Some(app));
    let api = dom::callback(js_api);
    dom::set(&options_loader, "call", api.as_ref());
    // The API lives as long as the page.
    api.forget();
    // The loader's `privacydesk:ready` already told the page; without the
    // configuration it did not, nor did it do GPC's rejection.
    if !ready {
        browser::dispatch_event("privacydesk:ready", &detail);
    }
    if outcome == OnLoad::RejectByGpc {
        choose(Consent::default(), ConsentSource::Gpc);
    }
    // Calls made before the module was ready, in order.
    for call in Array::from(&queue).iter() {
        js_api(call);
    }
}

/// When the edge cannot be reached: keep a stored choice working, ask otherwise.
fn fallback_config(shop: &str, found: Option<&StoredConsent>) -> WidgetConfig {
    WidgetConfig {
        shop: shop.into(),
        shop_name: String::new(),
        policy_version: found.map_or_else(|| "unknown".into(), |s| s.policy_version.clone()),
        consent_max_age_days: 183,
        privacy_policy_url: String::new(),
        services: Vec::new(),
    }
}

impl App {
    /// The choice in force (nothing granted before a choice).
    fn current(&self) -> &Consent {
        in_force(&self.stored)
    }

    /// What `getConsent()` returns and the event carries.
    fn consent_js(&self) -> JsValue {
        let Some(s) = &self.stored else {
            return JsValue::NULL;
        };
        let o = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&o, &k.into(), &v);
        };
        let c = s.consent.choices;
        set("necessary", JsValue::TRUE);
        set("preferences", c.preferences.into());
        set("analytics", c.analytics.into());
        set("marketing", c.marketing.into());
        let services = Object::new();
        for service in &self.config.services {
            dom::set(&services, &service.name, &s.consent.service(service).into());
        }
        set("services", services.into());
        set("source", json::source_name(s.source).into());
        set("date", date::iso(s.day).into());
        set("policyVersion", s.policy_version.as_str().into());
        set("consentId", s.consent_id.as_str().into());
        set("gpc", self.gpc.into());
        o.into()
    }
}

/// The choice in force (nothing granted before a choice), borrowed: a field
/// function rather than a method, so that the UI can be borrowed beside it.
fn in_force(stored: &Option<StoredConsent>) -> &Consent {
    static NO_CHOICE: Consent = Consent {
        choices: NOTHING,
        services: Vec::new(),
    };
    stored.as_ref().map_or(&NO_CHOICE, |s| &s.consent)
}

/// A choice from the dialog, the API or the banner once this module runs (and
/// GPC's without a configuration): store it, signal it, clean up, log it, tell
/// the page (the loader's answer to `privacydesk:consent` mirrors it to Shopify,
/// loads the Google tag, runs the scripts now allowed, or reloads when one that
/// ran no longer is). The banner's two choices before this module runs are the
/// loader's twin of this (`widget/loader.js` `choose`).
pub fn choose(consent: Consent, source: ConsentSource) {
    let outcome = with_app(|app| {
        let services = &app.config.services;
        let today = date::day_from_millis(browser::now_millis());
        let before = app.current().clone();
        let previous = app.stored.as_ref().or(app.outdated.as_ref());
        let stored = decide::new_stored(
            previous,
            consent.normalized(services),
            source,
            &app.config.policy_version,
            today,
            browser::random_id,
        );
        browser::store_consent(&stored, app.config.consent_max_age_days, services);
        browser::consent_update(&stored.consent, services);
        browser::delete_cookies(&decide::withdrawn(Some(&before), &stored.consent, services));
        browser::post_record(
            &app.api,
            &decide::record(&app.shop, &stored, app.lang, app.gpc, services),
        );
        app.stored = Some(stored);
        app.outdated = None;
        if let Some(ui) = &mut app.ui {
            ui.show_chosen();
        }
        app.consent_js()
    });
    // Outside the borrow: page code reacting to this may call our JS API.
    if let Some(detail) = outcome {
        browser::dispatch_event("privacydesk:consent", &detail);
    }
}

/// A change through the JS API (`acceptCategory`, `acceptService`): added to the
/// choice in force; nothing is stored or logged when it changes nothing.
fn accept_by_api(change: impl FnOnce(&Consent, &[Service]) -> Consent) {
    let next = with_app(|app| {
        let current = app.current();
        let next = change(current, &app.config.services);
        // Before a choice, `current` is "nothing": a call that grants nothing
        // (an unknown name) is not taken as a rejection either.
        (next != *current).then_some(next)
    });
    if let Some(next) = next.flatten() {
        choose(next, ConsentSource::Api);
    }
}

/// Opens the preferences; the first time, once the loader has brought the dialog
/// module and it has built the dialog.
pub fn open_preferences() {
    let request = with_app(|app| {
        let ui = app.ui.as_mut()?;
        if ui.has_dialog() {
            ui.open_preferences(in_force(&app.stored), &app.config.services);
            return None;
        }
        if app.dialog_pending {
            return None;
        }
        let promise = call(
            &app.loader,
            "dialog",
            &[
                app.lang.code().into(),
                app.config_js.clone(),
                ui.root().into(),
            ],
        );
        app.dialog_pending = promise.is_some();
        promise
    });
    let Some(promise) = request.flatten() else {
        return;
    };
    let built = dom::once(|backdrop: JsValue| {
        let opened = with_app(|app| {
            app.dialog_pending = false;
            if let Ok(backdrop) = backdrop.dyn_into() {
                if let Some(ui) = &mut app.ui {
                    ui.set_dialog(backdrop);
                }
            }
            app.ui.as_ref().is_some_and(Ui::has_dialog)
        });
        if opened == Some(true) {
            open_preferences();
        }
    });
    // Offline: the settings stay closed, and the next click asks again.
    let failed = dom::once(|_: JsValue| {
        with_app(|app| app.dialog_pending = false);
    });
    browser::then(&promise, &built, &failed);
}

use dom::call;

pub fn close_preferences() {
    with_app(|app| {
        let chosen = app.stored.is_some();
        if let Some(ui) = &mut app.ui {
            ui.close_preferences(chosen);
        }
    });
}

pub fn save_preferences() {
    if let Some(consent) = with_app(|app| app.ui.as_ref().map(Ui::checked)).flatten() {
        choose(consent, ConsentSource::Preferences);
    }
}

pub fn dialog_key(event: &KeyboardEvent) {
    match dom::string(event, "key").unwrap_or_default().as_str() {
        "Escape" => {
            event.prevent_default();
            close_preferences();
        }
        "Tab" => {
            with_app(|app| app.ui.as_ref().map(|ui| ui.trap_tab(event)));
        }
        _ => {}
    }
}

/// The module's side of `window.PrivacyDesk` (defined by the loader, which turns
/// each method call into `call([method, argument])`, an array of names for
/// `acceptCategory`): `open()` shows the preferences; `getConsent()` returns
/// `{necessary, preferences, analytics, marketing, services: {name: bool}, source,
/// date, policyVersion, consentId, gpc}` or `null` before a choice;
/// `acceptedCategory(name)` and `acceptedService(name)` answer from the choice in
/// force; `acceptCategory(name or [names])` and `acceptService(name)` add to it
/// (source `api`). Changes are announced as `privacydesk:consent` on `document`
/// with `getConsent()` as `detail`; `privacydesk:ready` says the API is there (its
/// `detail` is the choice in force, or `null`). One callback for all six methods
/// rather than six closures: each closure costs a shim and an export.
fn js_api(call: JsValue) -> JsValue {
    let method = dom::string(&call, "0").unwrap_or_default();
    let argument = dom::get(&call, "1");
    let name = argument.as_string().unwrap_or_default();
    match method.as_str() {
        "open" => open_preferences(),
        "getConsent" => return with_app(|app| app.consent_js()).unwrap_or(JsValue::NULL),
        "acceptedCategory" => {
            return with_app(|app| app.current().category(&name) == Some(true))
                .unwrap_or(false)
                .into()
        }
        "acceptedService" => {
            return with_app(|app| app.current().service_named(&name, &app.config.services))
                .unwrap_or(false)
                .into()
        }
        "acceptCategory" => accept_by_api(|consent, services| {
            Array::from(&argument).iter().fold(consent.clone(), |c, n| {
                c.accept_category(&n.as_string().unwrap_or_default(), services)
            })
        }),
        "acceptService" => {
            accept_by_api(|consent, services| consent.accept_service(&name, services))
        }
        _ => {}
    }
    JsValue::UNDEFINED
}
