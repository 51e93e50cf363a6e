//! Scripts held back until consent: `<script type="text/plain" data-category="…"
//! [data-service="…"] [src]>`, vanilla-cookieconsent's markup. A `text/plain`
//! script never runs, and changing its `type` does not run it either, so an allowed
//! one is replaced by a fresh `<script>` with the same attributes except `type`
//! (`data-type="module"` becomes `type="module"`). One at a time in document order:
//! an external script is waited for (`load` or `error`) before the next, as the
//! parser would. Which scripts may run is `core::decide::script_allowed`'s decision.

use crate::prelude::*;

use core::cell::Cell;

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser;
use crate::dom;

const HELD_BACK: &str = "script[type=\"text/plain\"][data-category]";

/// An external script is loading: the next one waits for it, and a scan asked for
/// meanwhile (a new choice, a script added to the page) happens after it.
static WAITING: Local<Cell<bool>> = Local(Cell::new(false));

/// Runs every held-back script that `allowed(category, service)` lets through, in
/// document order. Called on a choice, on page load with a choice in force, and
/// when the page adds elements; outside the app's borrow (an inline script may
/// call our JS API).
pub fn run_allowed(allowed: impl Fn(&str, Option<&str>) -> bool) {
    if WAITING.with(Cell::get) {
        return;
    }
    let doc = browser::document();
    let Ok(found) = doc.query_selector_all(HELD_BACK) else {
        return;
    };
    for i in 0..found.length() {
        let Some(script) = found.item(i) else {
            continue;
        };
        // `querySelectorAll` finds elements only.
        let script: Element = script.unchecked_into();
        let category = script.get_attribute("data-category").unwrap_or_default();
        let service = script.get_attribute("data-service");
        if !allowed(&category, service.as_deref()) {
            continue;
        }
        if activate(&script) {
            // Continue after this one, with the choice in force then.
            WAITING.with(|w| w.set(true));
            return;
        }
    }
}

/// Replaces `held` by a runnable copy; `true` if the copy is external and the
/// next script has to wait for it. A clone keeps every attribute, the inline text
/// and the nonce (which the parser hides from attributes, so a CSP with a nonce
/// lets the copy run); a `text/plain` script was never started, so its clone runs
/// once its `type` is a script's.
fn activate(held: &Element) -> bool {
    let Ok(script) = held.clone_node_with_deep(true) else {
        return false;
    };
    let script: Element = script.unchecked_into();
    // `text/javascript` rather than no `type`: one DOM import fewer, same script.
    let kind = match script.get_attribute("data-type").as_deref() {
        Some("module") => "module",
        _ => "text/javascript",
    };
    let _ = script.set_attribute("type", kind);
    let external = script.get_attribute("src").is_some();
    if external {
        // Inserted scripts are async by default; the order is kept by waiting.
        let next = dom::once(|_| {
            WAITING.with(|w| w.set(false));
            crate::app::run_allowed_scripts();
        });
        dom::set(&script, "onload", &next);
        dom::set(&script, "onerror", &next);
    }
    let _ = held.replace_with_with_node_1(&script);
    external
}
