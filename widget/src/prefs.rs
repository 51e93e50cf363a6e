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
use web_sys::{Document, Element};

use crate::core::text::{t, Msg};
use crate::dom::El;

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

/// The backdrop with the dialog in it, hidden.
pub fn build(doc: &Document, lang: Lang, config: Option<&WidgetConfig>) -> Element {
    let button = |act: &str, label: &str| {
        El::new(doc, "button")
            .class("btn")
            .attr("type", "button")
            .attr("data-act", act)
            .text(label)
    };
    let dialog = El::new(doc, "div")
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
        ))
        .child(category(
            doc,
            lang,
            config,
            Some(Category::Analytics),
            Msg::Analytics,
            Msg::AnalyticsDesc,
        ))
        .child(category(
            doc,
            lang,
            config,
            Some(Category::Marketing),
            Msg::Marketing,
            Msg::MarketingDesc,
        ))
        .child(
            El::new(doc, "div")
                .class("actions")
                .child(button("p-all", t(lang, Msg::AcceptAll)))
                .child(button("p-none", t(lang, Msg::RejectAll)))
                .child(button("save", t(lang, Msg::SaveChoices))),
        );
    El::new(doc, "div")
        .class("backdrop")
        .hidden(true)
        .child(dialog)
        .into()
}

/// One category: a labelled checkbox (disabled and on for "necessary", id
/// `pd-cat-<key>`), its description and the services the shop configured for it.
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
    let mut list = El::new(doc, "ul");
    let services = config.map_or(&[][..], |c| &c.services[..]);
    let mut any = false;
    for service in services.iter().filter(|s| s.category == category) {
        any = true;
        let mut item = El::new(doc, "li")
            .child(El::new(doc, "strong").text(&service.name))
            .append_text(" — ")
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
        list = list.child(El::new(doc, "li").text(t(lang, Msg::NoServices)));
    }
    section.child(list)
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
