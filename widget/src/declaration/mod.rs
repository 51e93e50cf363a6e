//! The cookie declaration, as a module of its own (feature `declaration`:
//! `www/w/declaration.js` + `declaration_bg.wasm`), which the loader fetches only
//! when the parsed page has a `<div data-cookie-declaration>`. It renders, in the
//! page's language and from the same configuration the banner gates with, every
//! category with its services (provider, purpose, cookies, retention, privacy
//! policy), the visitor's current choice per category and service, and a button
//! that opens the preferences (`PrivacyDesk.open()`). The choices follow every
//! `privacydesk:consent`; the rest is rendered once. Light DOM, so the shop's own
//! table and heading styles apply; the few styles it brings are zero-specificity
//! `:where` rules in a constructed stylesheet (not subject to a CSP's `style-src`).

use crate::prelude::*;

mod text;

use core::cell::RefCell;

use protocol::Lang;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Node};

use crate::core::text::{t, Msg};
use crate::dom::{self, El, Listener};
use crate::page_api;
use text::{choice, word, Word};

const MOUNT: &str = "[data-cookie-declaration]";
/// Set on a mount point once rendered.
const RENDERED: &str = "data-pd-rendered";

const STYLES: &str = "\
:where(.pd-decl-scroll){overflow-x:auto;margin:0 0 1.5em}\
:where(.pd-decl table){border-collapse:collapse;width:100%}\
:where(.pd-decl th,.pd-decl td){text-align:left;vertical-align:top;padding:.4em .6em;border-bottom:1px solid #8a8a8a}\
:where(.pd-decl button){font:inherit;padding:.45em .9em;cursor:pointer}";

/// An element that shows a choice: a category's (`service` is `None`) or a
/// service's. The necessary category has none (always on).
struct Shown {
    element: Element,
    category: &'static str,
    service: Option<String>,
}

struct State {
    lang: Lang,
    shown: Vec<Shown>,
    _listeners: Vec<Listener>,
}

static STATE: Local<RefCell<Option<State>>> = Local(RefCell::new(None));

/// The optional categories in the order the preferences show them, by their key
/// in the configuration and in `getConsent()`.
const CATEGORIES: [(&str, Msg, Msg); 3] = [
    ("preferences", Msg::Preferences, Msg::PreferencesDesc),
    ("analytics", Msg::Analytics, Msg::AnalyticsDesc),
    ("marketing", Msg::Marketing, Msg::MarketingDesc),
];

/// One row of a category's table: a configured service, or the consent cookie.
struct Row {
    name: String,
    provider: String,
    purpose: String,
    cookies: Vec<String>,
    retention: String,
    policy_url: String,
}

impl Row {
    /// A service of the configuration (parsed JSON) in `lang`, read with
    /// `Reflect` rather than through `config::from_js` (smaller).
    fn from_js(service: &JsValue, lang: Lang) -> Row {
        let text = |key: &str| dom::string(service, key).unwrap_or_default();
        let localized =
            |key: &str| dom::string(&dom::get(service, key), lang.code()).unwrap_or_default();
        Row {
            name: text("name"),
            provider: text("provider"),
            purpose: localized("purpose"),
            cookies: js_sys::Array::from(&dom::get(service, "cookies"))
                .iter()
                .filter_map(|c| c.as_string())
                .collect(),
            retention: localized("retention"),
            policy_url: text("policy_url"),
        }
    }
}

/// Renders the declaration into every mount point; `config` is the shop's
/// configuration (parsed JSON, or `null` when it could not be fetched: then
/// nothing is rendered, rather than a declaration that lists nothing).
pub fn mount(lang: Lang, config: &JsValue) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if !js_sys::Array::is_array(&dom::get(config, "services")) {
        return;
    }
    let Ok(mounts) = doc.query_selector_all(MOUNT) else {
        return;
    };
    let mut state = State {
        lang,
        shown: Vec::new(),
        _listeners: Vec::new(),
    };
    for i in 0..mounts.length() {
        let Some(host) = mounts.item(i) else {
            continue;
        };
        let host: Element = host.unchecked_into();
        if host.has_attribute(RENDERED) {
            continue;
        }
        dom::attr(&host, RENDERED, "");
        if i == 0 {
            dom::adopt_sheet(&doc, STYLES);
        }
        let level = preceding_heading(&doc, &host).map_or(3, |l| (l + 1).min(6));
        let mut view = View {
            doc: &doc,
            lang,
            config,
            heading: heading_tag(level),
            state: &mut state,
        };
        let declaration = view.render();
        host.replace_children_with_node_1(&declaration);
    }
    state._listeners.extend(page_api::on_change(&doc, refresh));
    STATE.with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            *s = Some(state);
        }
    });
    refresh(&page_api::call("getConsent", &[]));
}

/// Shows `consent` (the choice in force, as `PrivacyDesk.getConsent()` returns it)
/// in every choice cell.
fn refresh(consent: &JsValue) {
    STATE.with(|s| {
        // `try_borrow`: `borrow`'s panic message would bring `core::fmt` along.
        let Some(state) = s.try_borrow().ok() else {
            return;
        };
        let Some(state) = state.as_ref() else {
            return;
        };
        let chosen = consent.is_object();
        let services = dom::get(consent, "services");
        for shown in &state.shown {
            let granted = match &shown.service {
                // A service's own choice; a choice stored before there were
                // per-service choices has only its category's.
                Some(name) => dom::get(&services, name)
                    .as_bool()
                    .or_else(|| dom::get(consent, shown.category).as_bool()),
                None => dom::get(consent, shown.category).as_bool(),
            };
            let text = choice(state.lang, granted.filter(|_| chosen));
            dom::set(&shown.element, "textContent", &text.into());
        }
    });
}

struct View<'a> {
    doc: &'a Document,
    lang: Lang,
    /// The shop's configuration, parsed JSON.
    config: &'a JsValue,
    heading: &'static str,
    state: &'a mut State,
}

impl View<'_> {
    fn render(&mut self) -> Element {
        let (doc, lang) = (self.doc, self.lang);
        let mut root = El::new(doc, "div").class("pd-decl");
        // Necessary: the consent cookie itself, always on.
        let mut days = String::new();
        let max_age = dom::get(self.config, "consent_max_age_days")
            .as_f64()
            .unwrap_or(0.0);
        protocol::date::push_uint(&mut days, max_age as u64);
        days.push_str(word(lang, Word::Days));
        let necessary = Row {
            name: word(lang, Word::ConsentCookie).into(),
            provider: dom::string(self.config, "shop_name").unwrap_or_default(),
            purpose: word(lang, Word::ConsentCookiePurpose).into(),
            cookies: vec![String::from(crate::core::stored::COOKIE_NAME)],
            retention: days,
            policy_url: String::new(),
        };
        let mut always = None;
        root = root
            .child(self.heading(t(lang, Msg::Necessary)))
            .child(El::new(doc, "p").text(t(lang, Msg::NecessaryDesc)))
            .child(
                your_choice(doc, lang).child(
                    El::new(doc, "strong")
                        .text(t(lang, Msg::AlwaysOn))
                        .keep(&mut always),
                ),
            )
            .child(self.table(
                t(lang, Msg::Necessary),
                "",
                core::slice::from_ref(&necessary),
            ));
        let all = js_sys::Array::from(&dom::get(self.config, "services"));
        for (key, name, description) in CATEGORIES {
            let services: Vec<Row> = all
                .iter()
                .filter(|s| dom::string(s, "category").as_deref() == Some(key))
                .map(|s| Row::from_js(&s, lang))
                .collect();
            let mut shown = None;
            root = root
                .child(self.heading(t(lang, name)))
                .child(El::new(doc, "p").text(t(lang, description)))
                .child(your_choice(doc, lang).child(El::new(doc, "strong").keep(&mut shown)));
            if let Some(element) = shown {
                self.state.shown.push(Shown {
                    element,
                    category: key,
                    service: None,
                });
            }
            root = if services.is_empty() {
                root.child(El::new(doc, "p").text(t(lang, Msg::NoServices)))
            } else {
                root.child(self.table(t(lang, name), key, &services))
            };
        }
        let open = El::new(doc, "button")
            .attr("type", "button")
            .text(word(lang, Word::ChangeSettings))
            .on("click", &mut self.state._listeners, |_| {
                page_api::call("open", &[]);
            });
        root.child(El::new(doc, "p").child(open)).into()
    }

    fn heading(&self, text: &str) -> El {
        El::new(self.doc, self.heading).text(text)
    }

    /// One category's services as a table in a scrollable, focusable region (a
    /// wide table on a phone scrolls sideways, and a keyboard can scroll it).
    /// `key` is the category's key in `getConsent()`, empty for "necessary" (its
    /// choice is always on).
    fn table(&mut self, category: &str, key: &'static str, services: &[Row]) -> El {
        let (doc, lang) = (self.doc, self.lang);
        let mut label = String::from(category);
        label.push_str(word(lang, Word::ServicesOf));
        let th = |text: &str| El::new(doc, "th").attr("scope", "col").text(text);
        let head = El::new(doc, "thead").child(
            El::new(doc, "tr")
                .child(th(word(lang, Word::Service)))
                .child(th(word(lang, Word::Provider)))
                .child(th(t(lang, Msg::Purpose)))
                .child(th(t(lang, Msg::Cookies)))
                .child(th(t(lang, Msg::Retention)))
                .child(th(word(lang, Word::YourChoice))),
        );
        let mut body = El::new(doc, "tbody");
        for service in services {
            let mut name = El::new(doc, "th").attr("scope", "row").text(&service.name);
            if !service.policy_url.is_empty() {
                let mut link = String::from(t(lang, Msg::ProviderPolicy));
                link.push(' ');
                link.push_str(&service.name);
                name = name.child(El::new(doc, "br")).child(
                    El::new(doc, "a")
                        .attr("href", &service.policy_url)
                        .attr("rel", "noopener")
                        .text(&link),
                );
            }
            let mut cookies = El::new(doc, "td");
            for (i, cookie) in service.cookies.iter().enumerate() {
                if i > 0 {
                    cookies = cookies.append_text(", ");
                }
                cookies = cookies.child(El::new(doc, "code").text(cookie));
            }
            let mut shown = None;
            let choice_cell = if key.is_empty() {
                El::new(doc, "td").text(t(lang, Msg::AlwaysOn))
            } else {
                El::new(doc, "td").keep(&mut shown)
            };
            if let Some(element) = shown {
                self.state.shown.push(Shown {
                    element,
                    category: key,
                    service: Some(service.name.clone()),
                });
            }
            body = body.child(
                El::new(doc, "tr")
                    .child(name)
                    .child(El::new(doc, "td").text(&service.provider))
                    .child(El::new(doc, "td").text(&service.purpose))
                    .child(cookies)
                    .child(El::new(doc, "td").text(&service.retention))
                    .child(choice_cell),
            );
        }
        El::new(doc, "div")
            .class("pd-decl-scroll")
            .attr("role", "region")
            .attr("tabindex", "0")
            .attr("aria-label", &label)
            .child(El::new(doc, "table").child(head).child(body))
    }
}

/// "Your choice: " before the choice itself.
fn your_choice(doc: &Document, lang: Lang) -> El {
    let mut label = String::from(word(lang, Word::YourChoice));
    label.push_str(": ");
    El::new(doc, "p").text(&label)
}

fn heading_tag(level: u8) -> &'static str {
    match level {
        1 | 2 => "h2",
        3 => "h3",
        4 => "h4",
        5 => "h5",
        _ => "h6",
    }
}

/// The level of the last heading before `host` in document order, so that the
/// declaration's headings nest under it.
fn preceding_heading(doc: &Document, host: &Element) -> Option<u8> {
    let headings = doc.query_selector_all("h1,h2,h3,h4,h5,h6").ok()?;
    let mut level = None;
    for i in 0..headings.length() {
        let heading = headings.item(i)?;
        if host.compare_document_position(&heading) & Node::DOCUMENT_POSITION_PRECEDING == 0 {
            break;
        }
        let heading: Element = heading.unchecked_into();
        level = match heading.tag_name().as_bytes() {
            [b'H' | b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
            _ => level,
        };
    }
    level
}
