//! Thin wrappers over the browser: cookies, `gtag`, the edge API, randomness,
//! GPC and DOM events (the loader mirrors each choice to Shopify's Customer
//! Privacy API). No decisions are made here; see [`crate::core`].

use crate::prelude::*;

use js_sys::{Array, Function, Object, Reflect};
use protocol::{ConsentRecord, Service};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Window};

use crate::core::decide::{self, Consent, Withdrawn};
use crate::core::{ga_cookies, stored::StoredConsent};
use crate::dom;

pub fn window() -> Window {
    web_sys::window().expect_throw("no window")
}

pub fn document() -> Document {
    window().document().expect_throw("no document")
}

pub fn cookie_header() -> String {
    dom::string(&document(), "cookie").unwrap_or_default()
}

fn set_cookie(line: &str) {
    dom::set(&document(), "cookie", &line.into());
}

/// `location[key]` (`protocol`, `hostname`).
fn location(key: &str) -> String {
    dom::string(&dom::get(&window(), "location"), key).unwrap_or_default()
}

fn is_https() -> bool {
    location("protocol") == "https:"
}

/// Writes the consent cookie (a strictly necessary, first-party cookie).
pub fn store_consent(stored: &StoredConsent, max_age_days: u32, services: &[Service]) {
    let mut line = String::from(crate::core::stored::COOKIE_NAME);
    line.push('=');
    line.push_str(&stored.to_cookie_value(services));
    line.push_str("; Path=/; SameSite=Lax; Max-Age=");
    crate::core::date::push_uint(&mut line, u64::from(max_age_days) * 86_400);
    if is_https() {
        line.push_str("; Secure");
    }
    set_cookie(&line);
}

/// Deletes every cookie that `withdrawn` covers (Google's and the ones the shop
/// lists for the withdrawn services), host-only and on each parent domain, and the
/// `localStorage` keys the withdrawn services list.
pub fn delete_cookies(withdrawn: &Withdrawn) {
    let header = cookie_header();
    let host = location("hostname");
    let domains = ga_cookies::domains(&host);
    for name in ga_cookies::to_delete(&header, withdrawn) {
        let mut base = String::from(name);
        base.push_str("=; Path=/; Max-Age=0");
        set_cookie(&base);
        for domain in &domains {
            let mut line = base.clone();
            line.push_str("; Domain=");
            line.push_str(domain);
            set_cookie(&line);
        }
    }
    if withdrawn
        .services
        .iter()
        .all(|s| s.local_storage.is_empty())
    {
        return;
    }
    // Through `Reflect`: reading `localStorage` throws where storage is blocked.
    let storage = dom::get(&window(), "localStorage");
    let length = dom::get(&storage, "length").as_f64().unwrap_or(0.0) as u32;
    // Backwards: removing a key renumbers the ones after it.
    for i in (0..length).rev() {
        let key = dom::call(&storage, "key", &[i.into()]).and_then(|k| k.as_string());
        if let Some(key) = key.filter(|k| ga_cookies::storage_key_withdrawn(k, withdrawn)) {
            dom::call(&storage, "removeItem", &[key.into()]);
        }
    }
}

/// Calls `window.gtag(...)` (defined by the loader).
fn gtag(args: &Array) {
    if let Ok(f) = Reflect::get(&window(), &"gtag".into()) {
        if let Some(f) = f.dyn_ref::<Function>() {
            let _ = f.apply(&JsValue::UNDEFINED, args);
        }
    }
}

/// `gtag('consent', 'update', {...})` for a choice, and `ads_data_redaction`
/// while Google's ad signals are denied.
pub fn consent_update(consent: &Consent, services: &[Service]) {
    let state = Object::new();
    let signals = decide::consent_mode(consent, services);
    for (key, granted) in signals {
        let _ = Reflect::set(
            &state,
            &key.into(),
            &(if granted { "granted" } else { "denied" }).into(),
        );
    }
    gtag(&Array::of3(&"consent".into(), &"update".into(), &state));
    gtag(&Array::of3(
        &"set".into(),
        &"ads_data_redaction".into(),
        &(!signals[0].1).into(),
    ));
}

/// 16 random bytes as a 22-character base64url consent id.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = dom::get(&window(), "crypto").dyn_into::<web_sys::Crypto>() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    crate::core::stored::base64url(&bytes)
}

/// `navigator.globalPrivacyControl === true`.
pub fn gpc() -> bool {
    dom::is(&dom::get(&window(), "navigator"), "globalPrivacyControl")
}

pub fn now_millis() -> f64 {
    js_sys::Date::now()
}

pub use crate::dom::then;

/// Hands the shop's configuration (parsed JSON; `null` or `undefined` when the
/// edge could not be reached or answered with an error) to `done` once the
/// loader's fetch of it settles. The loader starts that fetch in parallel with
/// this module's own download.
pub fn config_from(promise: &JsValue, done: impl FnOnce(JsValue) + 'static) {
    let on_ok = dom::once(done);
    // `Promise.resolve` also takes a plain value (or nothing: then `None`).
    let promise: JsValue = js_sys::Promise::resolve(promise).into();
    then(&promise, &on_ok, &JsValue::UNDEFINED);
}

/// Sends a consent record to the edge; fire and forget (`keepalive` lets it finish
/// when the visitor navigates away right after choosing).
pub fn post_record(api: &str, record: &ConsentRecord) {
    let headers = dom::object(&[("content-type", &"application/json".into())]);
    let init = dom::object(&[
        ("method", &"POST".into()),
        ("body", &crate::core::json::consent_record(record).into()),
        ("headers", &headers),
        ("keepalive", &JsValue::TRUE),
    ]);
    let mut url = String::from(api);
    url.push_str("/api/consent");
    let promise: JsValue = window()
        .fetch_with_str_and_init(&url, init.unchecked_ref())
        .into();
    // A failed log is not the visitor's problem: no unhandled rejection in the console.
    let ignore = dom::once(|_| {});
    then(&promise, &JsValue::UNDEFINED, &ignore);
}

/// Dispatches a `privacydesk:*` event on `document` with `detail`.
pub fn dispatch_event(name: &str, detail: &JsValue) {
    dispatch_event_on(&document(), name, detail);
}

/// Dispatches a custom event on `target` with `detail`.
pub fn dispatch_event_on(target: &web_sys::EventTarget, name: &str, detail: &JsValue) {
    let init = dom::object(&[("detail", detail)]);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, init.unchecked_ref()) {
        let _ = target.dispatch_event(&event);
    }
}
