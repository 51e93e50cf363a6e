//! The shop-side widget, as five WASM modules from one crate: the consent banner
//! (feature `consent`, entry [`start`]), the cookie preferences dialog (feature
//! `prefs`, entry `prefs::preferences`, fetched when idle after the banner or on
//! first use), the rights-request form (feature `form`, entry [`mount_forms`]),
//! the placeholders of held-back embeds (feature `embeds`, entry
//! [`mount_embeds`]) and the cookie declaration (feature `declaration`, entry
//! [`mount_declaration`]). `widget/loader.js` always loads the first and the last
//! three only on pages with their mount points.
//! The decisions live in the pure [`core`] and `form::model`, the DOM work in the
//! other modules.

// The modules `cargo xtask build` makes (feature `bare`) carry no `std`: its panic
// handler formats the message and the location (`core::fmt`, 1.3 to 2.2 KB gzip per
// module) only to abort. Tests and host builds keep `std`.
#![cfg_attr(feature = "bare", no_std)]

extern crate alloc;

/// What the standard prelude would bring, from `alloc`, for the `no_std` builds;
/// and [`prelude::Local`], `thread_local!` without `std`.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;

    /// A value for the module's one thread (WASM without threads), used like a
    /// `thread_local!` key: `static X: Local<RefCell<T>> = Local(RefCell::new(..));`
    /// then `X.with(|x| ..)`.
    #[allow(dead_code)]
    pub struct Local<T>(pub T);

    // SAFETY: the widget's WASM modules run on one thread (no `atomics` target
    // feature), so a `Local` is never reached from two threads; the host tests
    // (threads) test the pure core and never touch one.
    unsafe impl<T> Sync for Local<T> {}

    #[allow(dead_code)]
    impl<T> Local<T> {
        pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
            f(&self.0)
        }
    }
}

pub mod core;
#[cfg(feature = "embeds")]
mod embeds;
#[cfg(feature = "form")]
pub mod form;
pub mod heap;

#[cfg(feature = "consent")]
mod app;
#[cfg(feature = "consent")]
mod browser;
#[cfg(any(feature = "consent", feature = "prefs"))]
mod config;
#[cfg(feature = "declaration")]
mod declaration;
#[cfg_attr(not(feature = "consent"), allow(dead_code))]
mod dom;
#[cfg(any(feature = "embeds", feature = "declaration"))]
mod page_api;
#[cfg(feature = "prefs")]
pub mod prefs;
#[cfg(feature = "consent")]
mod ui;

#[cfg(all(test, target_arch = "wasm32", feature = "consent", feature = "prefs"))]
mod browser_tests;

#[allow(unused_imports)]
use prelude::*;
#[cfg(any(
    feature = "consent",
    feature = "form",
    feature = "embeds",
    feature = "declaration"
))]
use {js_sys::Reflect, protocol::Lang, wasm_bindgen::prelude::*, wasm_bindgen::JsCast};

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: heap::Heap = heap::Heap::new();

/// What the loader passes to both entry points: `{api, shop, ga, gtagSrc, lang,
/// turnstile}` (strings; all but `shop` optional; `api` is the edge origin), and for
/// the consent module `config` (a promise of the shop's configuration as parsed
/// JSON, or `null`, fetched by the loader in parallel with this module) and `queue`
/// (calls of `PrivacyDesk.open()` made before the module was ready).
#[cfg(any(
    feature = "consent",
    feature = "form",
    feature = "embeds",
    feature = "declaration"
))]
struct LoaderOptions(JsValue);

#[cfg(any(
    feature = "consent",
    feature = "form",
    feature = "embeds",
    feature = "declaration"
))]
impl LoaderOptions {
    fn get(&self, key: &str) -> Option<String> {
        Reflect::get(&self.0, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    }

    /// The edge origin without a trailing slash.
    #[cfg(any(feature = "consent", feature = "form"))]
    fn api(&self) -> String {
        let api = self.get("api").unwrap_or_default();
        api.trim_end_matches('/').to_owned()
    }

    /// `data-lang`, else `<html lang>`.
    fn lang(&self) -> Lang {
        let tag = self
            .get("lang")
            .or_else(|| {
                let html = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|doc| Reflect::get(&doc, &"documentElement".into()).ok())?;
                html.dyn_into::<web_sys::Element>()
                    .ok()?
                    .get_attribute("lang")
            })
            .unwrap_or_default();
        Lang::from_tag(&tag)
    }
}

/// Entry point of the consent module, called once by the loader.
#[cfg(feature = "consent")]
#[wasm_bindgen]
pub fn start(options: JsValue) {
    let options_raw = options.clone();
    let options = LoaderOptions(options);
    let Some(shop) = options.get("shop") else {
        return;
    };
    let (api, lang) = (options.api(), options.lang());
    let options = app::Options {
        loader: options_raw.clone(),
        api,
        shop,
        lang,
    };
    let config = options_js(&options_raw, "config");
    let queue = options_js(&options_raw, "queue");
    browser::config_from(&config, move |config| {
        when_dom_ready(move || app::start(options, config, queue));
    });
}

#[cfg(feature = "consent")]
fn options_js(options: &JsValue, key: &str) -> JsValue {
    Reflect::get(options, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Entry point of the form module, called by the loader once the page is parsed
/// and has a mount point: puts the form (its markup from the edge, `options.form`,
/// a promise the loader started in parallel with this module) into each.
#[cfg(feature = "form")]
#[wasm_bindgen]
pub fn mount_forms(options: JsValue) {
    let options = LoaderOptions(options);
    let Some(shop) = options.get("shop") else {
        return;
    };
    // A one-language build (what ships) has its language fixed; the loader picked
    // it by `lang`'s rule and passes the edge origin without a trailing slash.
    let (api, lang) = if cfg!(any(feature = "only-en", feature = "only-nl")) {
        (options.get("api").unwrap_or_default(), Lang::En)
    } else {
        (options.api(), options.lang())
    };
    // `data-turnstile-sitekey`: the shop uses Cloudflare Turnstile on the form.
    let turnstile = options.get("turnstile").filter(|key| !key.is_empty());
    form::mount_all(&dom::get(&options.0, "form"), api, shop, lang, turnstile);
}

/// Entry point of the embeds module, called by the loader once the page is parsed
/// and has an `iframe[data-src][data-category]`: holds back every such iframe
/// behind a placeholder until its service or category is accepted.
#[cfg(feature = "embeds")]
#[wasm_bindgen]
pub fn mount_embeds(options: JsValue) {
    let lang = LoaderOptions(options.clone()).lang();
    with_config(&options, move |config| {
        when_dom_ready(move || embeds::mount(lang, &config))
    });
}

/// Entry point of the cookie declaration module, called by the loader once the
/// page is parsed and has a `[data-cookie-declaration]`: renders the shop's
/// configured categories and services, with the visitor's choice, into each.
#[cfg(feature = "declaration")]
#[wasm_bindgen]
pub fn mount_declaration(options: JsValue) {
    let lang = LoaderOptions(options.clone()).lang();
    with_config(&options, move |config| {
        when_dom_ready(move || declaration::mount(lang, &config))
    });
}

/// Calls `f` with the shop's configuration (parsed JSON, or `null`) once the
/// loader's fetch of it (`options.config`, a promise that never rejects) has
/// settled.
#[cfg(any(feature = "embeds", feature = "declaration"))]
fn with_config(options: &JsValue, f: impl FnOnce(JsValue) + 'static) {
    let promise = js_sys::Promise::resolve(&dom::get(options, "config"));
    dom::then(&promise, &dom::once(f), &JsValue::UNDEFINED);
}

/// Runs `f` once the document is parsed (at once if it already is). A callback,
/// not a future: the consent module carries no async runtime.
#[cfg(any(feature = "consent", feature = "embeds", feature = "declaration"))]
pub(crate) fn when_dom_ready(f: impl FnOnce() + 'static) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let state = Reflect::get(&doc, &"readyState".into()).unwrap_or(JsValue::UNDEFINED);
    if state != "loading" {
        f();
        return;
    }
    // The event comes once; the one-shot closure frees itself when it runs.
    let callback = dom::once(move |_| f());
    let _ = doc.add_event_listener_with_callback("DOMContentLoaded", callback.unchecked_ref());
}

/// A panic stops the module where it is (`unreachable`), as `panic = "abort"` did
/// with `std`, without formatting a message nobody reads.
#[cfg(all(feature = "bare", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
