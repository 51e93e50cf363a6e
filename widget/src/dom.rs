//! Properties through `Reflect` for the consent module. Every distinct web-sys
//! getter, setter or dictionary constructor is a WASM import with its own piece of
//! JS glue (about 100 bytes each, and the glue is downloaded on every shop page);
//! `Reflect.get` and `Reflect.set` serve all of them with two imports. Methods
//! (`createElement`, `focus`, `fetch`, ...) stay typed web-sys calls. Also the
//! module's event listener type.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

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

/// A plain object from `(key, value)` pairs: dictionaries such as `RequestInit`.
pub fn object(pairs: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        set(&object, key, value);
    }
    object
}

/// An event listener that is removed when dropped, like gloo-events'
/// `EventListener` but without its options dictionary (three more imports):
/// a plain `addEventListener(type, callback)`, so `preventDefault` works.
pub struct Listener {
    target: web_sys::EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    pub fn new(
        target: &web_sys::EventTarget,
        kind: &'static str,
        mut handler: impl FnMut(&web_sys::Event) + 'static,
    ) -> Listener {
        let callback =
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| handler(&event));
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
