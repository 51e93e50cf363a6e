//! The consent module's script API (`window.PrivacyDesk`, see ARCHITECTURE.md
//! "Contracts") as the embed and declaration modules use it: they ask it what is
//! accepted, ask it to accept, and follow its events, so the consent state has one
//! owner. Nothing here stores or decides a choice.

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

/// `PrivacyDesk[name](arg) === true`.
#[cfg_attr(not(feature = "embeds"), allow(dead_code))]
pub fn ask(name: &str, arg: &str) -> bool {
    call(name, &[arg.into()]) == JsValue::TRUE
}

/// Calls `f` on every `privacydesk:consent` (a choice changed) and
/// `privacydesk:ready` (the consent module runs) on `doc`, for as long as the
/// returned listeners live.
pub fn on_change(doc: &web_sys::Document, f: fn()) -> [Listener; 2] {
    [
        Listener::new(doc, "privacydesk:consent", move |_| f()),
        Listener::new(doc, "privacydesk:ready", move |_| f()),
    ]
}
