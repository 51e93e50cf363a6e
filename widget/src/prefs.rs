//! The cookie preferences dialog, as a module of its own (feature `prefs`:
//! `www/w/prefs.js` + `prefs_bg.wasm`): the consent module asks the loader for it
//! while the browser is idle after showing the banner, or when a returning visitor
//! first opens the settings, so neither the first view of the banner nor a
//! returning visit downloads it. It only builds the dialog (categories, the shop's
//! services, buttons marked with `data-act`); the consent module inserts it into
//! its shadow root and handles every click and key.

use crate::prelude::*;

use protocol::{Category, Lang, WidgetConfig};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::core::text::{t, Msg};
use crate::dom::{self, El};

/// Entry point: the dialog in `lang` (a language tag) for the shop's configuration
/// (the parsed JSON the loader fetched, or `null`), inside a hidden backdrop; its
/// styles (`prefs.css`) are added to `root`, the consent widget's shadow root.
#[wasm_bindgen]
pub fn preferences(lang: &str, config: JsValue, root: web_sys::ShadowRoot) -> Element {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("no document");
    crate::dom::style_shadow_root(&doc, &root, include_str!("prefs.css"));
    let config = crate::config::from_js(&config);
    build(&doc, Lang::from_tag(lang), config.as_ref())
}

const CATEGORIES: [(Category, &str, Msg, Msg); 3] = [
    (
        Category::Preferences,
        "preferences",
        Msg::Preferences,
        Msg::PreferencesDesc,
    ),
    (
        Category::Analytics,
        "analytics",
        Msg::Analytics,
        Msg::AnalyticsDesc,
    ),
    (
        Category::Marketing,
        "marketing",
        Msg::Marketing,
        Msg::MarketingDesc,
    ),
];

/// The backdrop with the dialog in it, hidden. Besides building, the dialog
/// module keeps it in step by itself (listeners that live as long as the page):
/// a category's "Services" button shows or hides its services, a category's
/// switch sets its services' switches, and a category's switch is on when all
/// its services are, mixed when some are (also after `pd-sync`, which the consent
/// module sends when it has set the switches to the choice in force).
pub fn build(doc: &Document, lang: Lang, config: Option<&WidgetConfig>) -> Element {
    let button = |act: &str, label: &str| {
        El::new(doc, "button")
            .class("btn")
            .attr("type", "button")
            .attr("data-act", act)
            .text(label)
    };
    let mut dialog = El::new(doc, "div")
        .class("dialog")
        .attr("role", "dialog")
        .attr("aria-modal", "true")
        .attr("aria-labelledby", "pd-prefs-title")
        .child(
            El::new(doc, "div")
                .class("head")
                .child(
                    El::new(doc, "h2")
                        .attr("id", "pd-prefs-title")
                        .text(t(lang, Msg::PrefsTitle)),
                )
                .child(
                    El::new(doc, "button")
                        .class("x")
                        .attr("type", "button")
                        .attr("data-act", "close")
                        .attr("aria-label", t(lang, Msg::Close))
                        .text("×"),
                ),
        )
        .child(El::new(doc, "p").text(t(lang, Msg::PrefsIntro)))
        .child(category(
            doc,
            lang,
            config,
            None,
            Msg::Necessary,
            Msg::NecessaryDesc,
        ));
    for (which, _, name, description) in CATEGORIES {
        dialog = dialog.child(category(doc, lang, config, Some(which), name, description));
    }
    let dialog: Element = dialog
        .child(
            El::new(doc, "p")
                .class("note")
                .text(t(lang, Msg::ReloadNote)),
        )
        .child(
            El::new(doc, "div")
                .class("actions")
                .child(button("p-all", t(lang, Msg::AcceptAll)))
                .child(button("p-none", t(lang, Msg::RejectAll)))
                .child(button("save", t(lang, Msg::SaveChoices))),
        )
        .into();
    // One listener for the dialog's three event kinds, of a `Fn` closure type (as
    // `dom::Callback`): invoking an `FnMut` borrows it, and that check's panic
    // message brings `core::fmt` (2 KB) into a module. Lives as long as the page.
    let target = dialog.clone();
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        in_step(&target, &event)
    });
    for kind in ["click", "change", "pd-sync"] {
        let _ = dialog.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
    }
    listener.forget();
    El::new(doc, "div")
        .class("backdrop")
        .hidden(true)
        .child(dialog)
        .into()
}

/// The dialog's own behaviour (see [`build`]).
fn in_step(dialog: &Element, event: &web_sys::Event) {
    let find = |selector: &str| dialog.query_selector(selector).ok().flatten();
    let switches = |key: &str| {
        let mut selector = String::from("input[data-category=");
        selector.push_str(key);
        selector.push(']');
        let list = dialog.query_selector_all(&selector).ok();
        let length = list.as_ref().map_or(0, |l| l.length());
        (0..length)
            .filter_map(|i| list.as_ref()?.item(i)?.dyn_into::<Element>().ok())
            .collect::<Vec<_>>()
    };
    let target = dom::get(event, "target").dyn_into::<Element>().ok();
    let attr = |name: &str| target.as_ref().and_then(|t| t.get_attribute(name));
    if event.type_() == "click" {
        let Some(controls) = attr("aria-controls") else {
            return;
        };
        let mut selector = String::from("#");
        selector.push_str(&controls);
        if let (Some(button), Some(list)) = (&target, find(&selector)) {
            let open = dom::is(&list, "hidden");
            dom::set(&list, "hidden", &(!open).into());
            let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
        }
        return;
    }
    // A category's own switch sets its services' switches.
    if let Some(key) = attr("id").and_then(|id| id.strip_prefix("pd-cat-").map(String::from)) {
        let on = target.as_ref().is_some_and(|t| dom::is(t, "checked"));
        for input in switches(&key) {
            dom::set(&input, "checked", &on.into());
        }
    }
    for (_, key, _, _) in CATEGORIES {
        let inputs = switches(key);
        let mut id = String::from("#pd-cat-");
        id.push_str(key);
        let (Some(category), false) = (find(&id), inputs.is_empty()) else {
            continue;
        };
        let on = inputs.iter().filter(|i| dom::is(i, "checked")).count();
        dom::set(&category, "checked", &(on == inputs.len()).into());
        dom::set(
            &category,
            "indeterminate",
            &(on > 0 && on < inputs.len()).into(),
        );
    }
}

/// One category: a labelled checkbox (disabled and on for "necessary", id
/// `pd-cat-<key>`), its description and, behind a "Services in <category>"
/// button, the services the shop configured for it, each with its own switch
/// (`data-service`, `data-category`).
fn category(
    doc: &Document,
    lang: Lang,
    config: Option<&WidgetConfig>,
    which: Option<Category>,
    name: Msg,
    description: Msg,
) -> El {
    let key = match which {
        None => "necessary",
        Some(Category::Preferences) => "preferences",
        Some(Category::Analytics) => "analytics",
        Some(Category::Marketing) => "marketing",
    };
    let mut id = String::from("pd-cat-");
    id.push_str(key);
    let mut desc_id = id.clone();
    desc_id.push_str("-desc");
    let mut input = El::new(doc, "input")
        .attr("type", "checkbox")
        .attr("id", &id)
        .attr("aria-describedby", &desc_id);
    let mut label = El::new(doc, "label").attr("for", &id);
    if which.is_none() {
        input = input.attr("checked", "").attr("disabled", "");
        label = label
            .child(input)
            .append_text(t(lang, name))
            .append_text(" ")
            .child(
                El::new(doc, "span")
                    .class("on")
                    .text(t(lang, Msg::AlwaysOn)),
            );
    } else {
        label = label.child(input).append_text(t(lang, name));
    }
    let section = El::new(doc, "div").class("cat").child(label).child(
        El::new(doc, "p")
            .attr("id", &desc_id)
            .text(t(lang, description)),
    );
    let Some(category) = which else {
        return section;
    };
    let mut list_id = String::from("pd-svcs-");
    list_id.push_str(key);
    let mut list = El::new(doc, "ul").attr("id", &list_id).hidden(true);
    let services = config.map_or(&[][..], |c| &c.services[..]);
    let mut any = false;
    for service in services.iter().filter(|s| s.category == category) {
        any = true;
        // Labelled by wrapping: no id to number.
        let mut item = El::new(doc, "li")
            .child(
                El::new(doc, "label")
                    .child(
                        El::new(doc, "input")
                            .attr("type", "checkbox")
                            .attr("data-service", &service.name)
                            .attr("data-category", key),
                    )
                    .append_text(&service.name),
            )
            .child(line(doc, t(lang, Msg::Purpose), service.purpose.get(lang)))
            .child(line(
                doc,
                t(lang, Msg::Cookies),
                &service.cookies.join(", "),
            ))
            .child(line(
                doc,
                t(lang, Msg::Retention),
                service.retention.get(lang),
            ));
        if !service.policy_url.is_empty() {
            let mut label = String::from(t(lang, Msg::ProviderPolicy));
            label.push(' ');
            label.push_str(&service.name);
            item = item.child(
                El::new(doc, "a")
                    .attr("href", &service.policy_url)
                    .attr("target", "_blank")
                    .attr("rel", "noopener")
                    .text(&label),
            );
        }
        list = list.child(item);
    }
    if !any {
        return section.child(El::new(doc, "p").text(t(lang, Msg::NoServices)));
    }
    let mut more = String::from(t(lang, Msg::ServicesIn));
    more.push(' ');
    more.push_str(t(lang, name));
    section
        .child(
            El::new(doc, "button")
                .class("more")
                .attr("type", "button")
                .attr("aria-expanded", "false")
                .attr("aria-controls", &list_id)
                .text(&more),
        )
        .child(list)
}
/// `Label: value. ` for one fact about a service.
fn line(doc: &Document, label: &str, value: &str) -> El {
    let mut s = String::from(label);
    s.push_str(": ");
    s.push_str(value.trim_end());
    // Shop-provided texts may already end a sentence; do not print "..".
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s.push(' ');
    El::new(doc, "span").text(&s)
}
