//! The consent module's script API (`window.PrivacyDesk`, see ARCHITECTURE.md
//! "Contracts") as the embed and declaration modules use it: they read the choice
//! in force (`getConsent()` and the events' `detail`), ask it to accept and to open
//! the preferences, and follow its events, so the consent state has one owner.
//! Nothing here stores or decides a choice.

use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};

use crate::dom::{self, Listener};

/// `PrivacyDesk[name](...args)`, or `undefined` when the API or the method is not
/// there (yet).
pub fn call(name: &str, args: &[JsValue]) -> JsValue {
    let Some(window) = web_sys::window() else {
        return JsValue::UNDEFINED;
    };
    let api = dom::get(&window, "PrivacyDesk");
    let Ok(f) = dom::get(&api, name).dyn_into::<Function>() else {
        return JsValue::UNDEFINED;
    };
    let args: Array = args.iter().collect();
    f.apply(&api, &args).unwrap_or(JsValue::UNDEFINED)
}

/// Whether `consent` (what `getConsent()` returns and the events carry, or
/// `null`) grants `service` when it is given (one of the shop's configured
/// services), else `category`.
#[cfg_attr(not(feature = "embeds"), allow(dead_code))]
pub fn granted(consent: &JsValue, category: &str, service: Option<&str>) -> bool {
    let answer = match service {
        Some(name) => dom::get(&dom::get(consent, "services"), name),
        None => dom::get(consent, category),
    };
    answer == JsValue::TRUE
}

/// Calls `f` with the choice in force on every `privacydesk:consent` (a choice
/// changed) and `privacydesk:ready` (the consent module runs) on `doc`, for as
/// long as the returned listeners live. The choice is the event's `detail` (the
/// same object as `getConsent()`), not asked again: it is what the event reports,
/// and one call fewer into the consent module.
pub fn on_change(doc: &web_sys::Document, f: fn(&JsValue)) -> [Listener; 2] {
    [
        Listener::new(doc, "privacydesk:consent", move |e| {
            f(&dom::get(e, "detail"))
        }),
        Listener::new(doc, "privacydesk:ready", move |e| f(&dom::get(e, "detail"))),
    ]
}
