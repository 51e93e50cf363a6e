//! The shop-side widget: consent banner, preference centre and rights-request form.
//! `widget/loader.js` loads this module and calls [`start`]; the decisions live in
//! the pure [`core`], the DOM work in the other modules.

pub mod core;
pub mod form;

mod app;
mod browser;
mod ui;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

use js_sys::Reflect;
use protocol::Lang;
use wasm_bindgen::prelude::*;

/// Entry point, called once by the loader with
/// `{api, shop, ga, gtagSrc, lang}` (strings; all but `shop` optional).
#[wasm_bindgen]
pub fn start(options: JsValue) {
    let get = |key: &str| {
        Reflect::get(&options, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    let Some(shop) = get("shop") else { return };
    let api = get("api")
        .unwrap_or_else(|| browser::window().location().origin().unwrap_or_default())
        .trim_end_matches('/')
        .to_owned();
    let doc = browser::document();
    let tag = get("lang")
        .or_else(|| {
            doc.document_element()
                .and_then(|html| html.get_attribute("lang"))
        })
        .unwrap_or_default();
    let lang = Lang::from_tag(&tag);
    let form_api = api.clone();
    let form_shop = shop.clone();
    wasm_bindgen_futures::spawn_local(async move {
        dom_ready().await;
        form::mount_all(&form_api, &form_shop, lang);
    });
    let options = app::Options {
        api,
        shop,
        ga_id: get("ga"),
        gtag_src: get("gtagSrc"),
        lang,
    };
    wasm_bindgen_futures::spawn_local(app::start(options));
}

/// Resolves once the document is parsed (at once if it already is).
pub(crate) async fn dom_ready() {
    let doc = browser::document();
    if doc.ready_state() != "loading" {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let listener = gloo_events::EventListener::once(&doc, "DOMContentLoaded", move |_| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        listener.forget();
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
