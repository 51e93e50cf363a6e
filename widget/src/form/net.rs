//! The form's traffic with the edge and the page: the POST (promise callbacks,
//! no async runtime), reading the edge's answers with `Reflect`, the idempotency
//! key's randomness, and small string helpers.

use crate::prelude::*;

use alloc::rc::Rc;
use core::cell::Cell;

use js_sys::Reflect;
use protocol::RequestAccepted;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, Response};

// The page's globals, imported by name rather than through `web_sys::window()`,
// which brings the search for the global object (four accessors and a type check
// in the glue, their shims in the module): -0.5 KB gzip.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    static DOCUMENT: Document;
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = crypto)]
    static CRYPTO: web_sys::Crypto;
    /// A promise, as far as the form needs one.
    type Thenable;
    #[wasm_bindgen(method, js_name = then)]
    fn then_call(this: &Thenable, on_ok: &JsValue, on_err: &JsValue);
    /// The global `fetch(url, init)`.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &JsValue) -> JsValue;
}

/// `promise.then(on_ok, on_err)`: one import rather than `dom::then`'s look-up of
/// `then` through `Reflect`.
pub(super) fn then(promise: &JsValue, on_ok: &JsValue, on_err: &JsValue) {
    promise.unchecked_ref::<Thenable>().then_call(on_ok, on_err);
}

/// `globalThis[key]`, or `undefined`.
pub(super) fn global(key: &str) -> JsValue {
    GLOBAL.with(|global| crate::dom::get(global, key))
}

/// The page's `document`.
pub(super) fn document() -> Document {
    DOCUMENT.with(Document::clone)
}

use super::model::{self, FormError};

/// POSTs the JSON body and hands `done` the status and the parsed JSON body
/// (`undefined` if it is not JSON); `Err` only when no HTTP answer arrived at all.
/// Promise callbacks, not futures: the module carries no async runtime.
pub(super) fn post(
    url: &str,
    body: &str,
    done: impl FnOnce(Result<(u16, JsValue), JsValue>) + 'static,
) {
    let headers = crate::dom::object(&[("content-type", &"application/json".into())]);
    let init = crate::dom::object(&[
        ("method", &"POST".into()),
        ("mode", &"cors".into()),
        ("body", &body.into()),
        ("headers", &headers),
    ]);
    let fetched = global_fetch(url, &init);
    // Exactly one of the two runs; whichever does takes `done`.
    let done = Rc::new(Cell::new(Some(done)));
    let failed = done.clone();
    let on_response = crate::dom::once(move |response: JsValue| {
        let response: Response = response.unchecked_into();
        let status = response.status();
        let finish = move |json: JsValue| {
            if let Some(done) = done.take() {
                done(Ok((status, json)));
            }
        };
        match response.json() {
            Ok(json) => {
                // A body that is not JSON (a proxy's error page) is the same as no body.
                let finish = Rc::new(Cell::new(Some(finish)));
                let no_json = finish.clone();
                let parsed = crate::dom::once(move |json: JsValue| {
                    if let Some(finish) = finish.take() {
                        finish(json);
                    }
                });
                let unparsed = crate::dom::once(move |_: JsValue| {
                    if let Some(finish) = no_json.take() {
                        finish(JsValue::UNDEFINED);
                    }
                });
                then(&json.into(), &parsed, &unparsed);
            }
            Err(_) => finish(JsValue::UNDEFINED),
        }
    });
    let on_error = crate::dom::once(move |error: JsValue| {
        if let Some(done) = failed.take() {
            done(Err(error));
        }
    });
    then(&fetched, &on_response, &on_error);
}

/// The edge's `RequestAccepted`, read with `Reflect` rather than serde (smaller,
/// and a field added later does not break it); `None` without a reference.
pub(super) fn accepted_from(json: &JsValue) -> Option<RequestAccepted> {
    let reference = string_at(json, "reference").filter(|reference| !reference.is_empty())?;
    Some(RequestAccepted {
        reference,
        due_date: string_at(json, "due_date").unwrap_or_default(),
        status: string_at(json, "status").unwrap_or_default(),
    })
}

/// The edge's `{"error":{"field","message"}}`, read leniently: any error body,
/// even with a code this widget does not know yet, yields a message.
pub(super) fn error_from(json: &JsValue, fallback: &str) -> FormError {
    let error = if json.is_object() {
        Reflect::get(json, &JsValue::from_str("error")).ok()
    } else {
        None
    };
    let error = error.unwrap_or(JsValue::UNDEFINED);
    model::api_error(
        string_at(&error, "field").as_deref(),
        string_at(&error, "message").as_deref(),
        fallback,
    )
}

/// `object[key]` if `object` is an object and the value a string.
pub(super) fn string_at(object: &JsValue, key: &str) -> Option<String> {
    if !object.is_object() {
        return None;
    }
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .and_then(|value| value.as_string())
}

pub(super) fn random_key() -> String {
    let mut bytes = [0u8; model::KEY_BYTES];
    CRYPTO
        .with(|crypto| crypto.get_random_values_with_u8_array(&mut bytes))
        .unwrap_throw();
    model::base64url(&bytes)
}

/// `value` of an input or a textarea.
pub(super) fn value_of(control: &Element) -> String {
    string_at(control, "value").unwrap_or_default()
}

/// Concatenates `parts` (like `concat`, without its generic join machinery).
pub(super) fn join(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `element.hidden = hidden`, through `Reflect` (one import for every property the
/// form sets, instead of one typed setter each: smaller module).
pub(super) fn hide(element: &JsValue, hidden: bool) {
    crate::dom::set(element, "hidden", &JsValue::from_bool(hidden));
}

/// `element.textContent = text`: the text, or (empty) no children at all.
pub(super) fn set_text(element: &JsValue, text: &str) {
    crate::dom::set(element, "textContent", &JsValue::from_str(text));
}
