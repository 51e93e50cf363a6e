//! The widget's small DOM toolkit, shared by its modules: properties through
//! `Reflect`, one event listener type, and [`El`], a builder shaped like the tree it
//! builds. Every distinct web-sys getter, setter or dictionary constructor is a
//! WASM import with its own piece of JS glue (about 100 bytes each, and the glue is
//! downloaded on every shop page); `Reflect.get` and `Reflect.set` serve all of
//! them with two imports. Methods (`createElement`, `focus`, ...) stay typed
//! web-sys calls.
//!
//! Error policy: creating an element cannot fail for the tag names we use, so it
//! throws if it does (`unwrap_throw`); every other DOM call's error is ignored, as
//! a widget on someone else's page must not stop halfway over a refused attribute.

use crate::prelude::*;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element};

/// `target[key]`, or `undefined`.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[key] === true`.
pub fn is(target: &JsValue, key: &str) -> bool {
    get(target, key) == JsValue::TRUE
}

/// `target[key]` if it is a string.
pub fn string(target: &JsValue, key: &str) -> Option<String> {
    get(target, key).as_string()
}

/// `target[key] = value`.
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// `target[name](...args)` if it is a function (and does not throw).
pub fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = get(target, name).dyn_into::<js_sys::Function>().ok()?;
    let args: js_sys::Array = args.iter().collect();
    f.apply(target, &args).ok()
}

/// A plain object from `(key, value)` pairs: dictionaries such as `RequestInit`.
pub fn object(pairs: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        set(&object, key, value);
    }
    object
}

/// The one closure type of every callback in the widget (listeners, the JS API,
/// promise callbacks, the MutationObserver): each distinct closure type costs a
/// shim in the WASM, a wrapper in the glue and an export, and each distinct
/// `FnOnce` passed to `Closure::once_into_js` one more adapter. `Fn`, not `FnMut`:
/// wasm-bindgen refuses to re-enter an `FnMut` closure ("closure invoked
/// recursively"), and page code may call the JS API back from a handler of the
/// event that an API call dispatches. State behind it lives in `RefCell`s that are
/// not borrowed across a dispatch (see `app::with_app`).
pub type Callback = Closure<dyn Fn(JsValue) -> JsValue>;

/// A long-lived callback.
pub fn callback(f: impl Fn(JsValue) -> JsValue + 'static) -> Callback {
    Closure::new(f)
}

/// A one-shot callback that frees itself when called (promise reactions, events
/// that come once). Boxed first, so every call site shares one adapter.
pub fn once(f: impl FnOnce(JsValue) + 'static) -> JsValue {
    let f: Box<dyn FnOnce(JsValue)> = Box::new(f);
    Closure::once_into_js(move |value: JsValue| -> JsValue {
        f(value);
        JsValue::UNDEFINED
    })
}

/// An event listener that is removed when dropped, like gloo-events'
/// `EventListener` but without its options dictionary (three more imports):
/// a plain `addEventListener(type, callback)`, so `preventDefault` works.
pub struct Listener {
    target: web_sys::EventTarget,
    kind: &'static str,
    callback: Callback,
}

impl Listener {
    pub fn new(
        target: &web_sys::EventTarget,
        kind: &'static str,
        handler: impl Fn(&web_sys::Event) + 'static,
    ) -> Listener {
        let callback = callback(move |event: JsValue| {
            handler(event.unchecked_ref());
            JsValue::UNDEFINED
        });
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// A new `tag` element with `class` (none if empty).
pub fn el(doc: &Document, tag: &str, class: &str) -> Element {
    let element = doc.create_element(tag).unwrap_throw();
    if !class.is_empty() {
        attr(&element, "class", class);
    }
    element
}

pub fn attr(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// Appends a text node.
pub fn append_text(parent: &Element, text: &str) {
    let _ = parent.append_with_str_1(text);
}

/// Adds `css` as a constructed stylesheet to `target` (a shadow root or the
/// document) after the ones it has: not subject to a CSP's `style-src`. `false`
/// where constructed stylesheets are not supported (the caller decides). Not used
/// by the consent module: the loader styles the banner.
#[allow(dead_code)]
pub fn adopt_sheet(target: &JsValue, css: &str) -> bool {
    let Ok(sheet) = web_sys::CssStyleSheet::new() else {
        return false;
    };
    if sheet.replace_sync(css).is_err() {
        return false;
    }
    let sheets = js_sys::Array::from(&get(target, "adoptedStyleSheets"));
    sheets.push(&sheet);
    set(target, "adoptedStyleSheets", &sheets);
    true
}

/// Styles a shadow root without anything a strict CSP would block: a constructed
/// stylesheet, or a `<style>` element where those are not supported.
#[allow(dead_code)]
pub fn style_shadow_root(doc: &Document, root: &web_sys::ShadowRoot, css: &str) {
    if !adopt_sheet(root, css) {
        let style: Element = El::new(doc, "style").text(css).into();
        let _ = root.append_child(&style);
    }
}

/// `promise.then(on_ok, on_err)` with one-shot callbacks (`Closure::once_into_js`
/// or `undefined`): the modules need no futures runtime for a few fetches.
pub fn then(promise: &JsValue, on_ok: &JsValue, on_err: &JsValue) -> JsValue {
    Reflect::get(promise, &JsValue::from_str("then"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call2(promise, on_ok, on_err).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// An element under construction: `El::new(doc, "p").class("hint").text(t).into()`.
/// A handle to a part that is needed later is taken with [`El::keep`].
pub struct El(pub Element);

impl El {
    pub fn new(doc: &Document, tag: &str) -> El {
        El(el(doc, tag, ""))
    }

    pub fn attr(self, name: &str, value: &str) -> El {
        attr(&self.0, name, value);
        self
    }

    pub fn class(self, class: &str) -> El {
        self.attr("class", class)
    }

    /// Sets `textContent` (never HTML).
    pub fn text(self, text: &str) -> El {
        set(&self.0, "textContent", &text.into());
        self
    }

    /// Appends a text node.
    pub fn append_text(self, text: &str) -> El {
        append_text(&self.0, text);
        self
    }

    pub fn child(self, child: impl Into<Element>) -> El {
        append(&self.0, &child.into());
        self
    }

    pub fn hidden(self, hidden: bool) -> El {
        set(&self.0, "hidden", &hidden.into());
        self
    }

    /// Listens for `kind` on this element for as long as `listeners` lives.
    pub fn on(
        self,
        kind: &'static str,
        listeners: &mut Vec<Listener>,
        handler: impl Fn(&web_sys::Event) + 'static,
    ) -> El {
        listeners.push(Listener::new(&self.0, kind, handler));
        self
    }

    /// Keeps a handle to this element in `slot`.
    pub fn keep(self, slot: &mut Option<Element>) -> El {
        *slot = Some(self.0.clone());
        self
    }
}

impl From<El> for Element {
    fn from(el: El) -> Element {
        el.0
    }
}
