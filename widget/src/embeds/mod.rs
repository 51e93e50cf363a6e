//! Embeds held back until consent, as a module of its own (feature `embeds`:
//! `www/w/embeds.js` + `embeds_bg.wasm`), which the loader fetches only when the
//! parsed page has an `<iframe data-src data-category [data-service]>`. Such an
//! iframe has no `src`, so it loads nothing; in its place, in the same box, a
//! placeholder in the page's language says which service it is and why it waits
//! (the purpose from the shop's configuration), with "Load once" (this iframe
//! only, nothing stored) and "Always allow <service>" (`PrivacyDesk.acceptService`,
//! or `acceptCategory` when the embed names no service the shop configured). On every
//! `privacydesk:consent` and `privacydesk:ready`, each waiting embed that the
//! choice in force allows is loaded; an embed is never unloaded in place: when
//! the consent it was loaded under is withdrawn, the page reloads (as the
//! preferences dialog says it does), and the reloaded page holds it back again. Iframes added to the page later are
//! found by a `MutationObserver`. The consent state is the consent module's: this
//! module only asks `window.PrivacyDesk` (`crate::page_api`).
//!
//! Styles: zero-specificity `:where` rules in a constructed stylesheet on the
//! document (not subject to a CSP's `style-src`), so the shop's own rules win; the
//! placeholder's size is set through the CSSOM (`element.style`), which a CSP does
//! not restrict either, as no `style` attribute is written.

use crate::prelude::*;

mod text;

use core::cell::RefCell;

use protocol::Lang;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

use crate::core::text::{t, Msg};
use crate::dom::{self, El, Listener};
use crate::page_api;
use text::{join, part, Part};

/// The embeds this module manages (the loader uses the same selector).
const EMBED: &str = "iframe[data-src][data-category]";
/// Set on an iframe once this module has taken it over.
const TAKEN: &str = "data-pd-embed";

const STYLES: &str = "\
:where(.pd-embed){box-sizing:border-box;display:flex;flex-direction:column;justify-content:center;gap:.6em;max-width:100%;padding:1em;background:#f2f2f2;color:#1a1a1a;border:1px solid #6f6f6f}\
:where(.pd-embed p){margin:0}\
:where(.pd-embed-actions){display:flex;flex-wrap:wrap;gap:.5em}\
:where(.pd-embed button){font:inherit;padding:.45em .9em;cursor:pointer}";

/// One held-back iframe and its placeholder.
struct Embed {
    frame: HtmlElement,
    placeholder: Element,
    category: String,
    service: Option<String>,
    _buttons: [Listener; 2],
}

struct State {
    doc: Document,
    lang: Lang,
    /// The shop's configuration as parsed JSON (or `null`): only a service's name
    /// and purpose are read, with `Reflect`, rather than the whole of it.
    config: JsValue,
    waiting: Vec<Embed>,
    /// (category, configured service) of each embed loaded because the choice
    /// allowed it (not "Load once"): when that consent is withdrawn, the page
    /// reloads, as the preferences dialog says it does.
    consented: Vec<(String, Option<String>)>,
    /// For the placeholders' ids.
    count: u32,
    _events: [Listener; 2],
    _observer: Option<(web_sys::MutationObserver, dom::Callback)>,
}

static STATE: Local<RefCell<Option<State>>> = Local(RefCell::new(None));

/// Runs `f` on the state if the module runs and is not busy: `try_borrow_mut`
/// rather than `borrow_mut`, whose panic message would bring `core::fmt` along.
fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    STATE.with(|s| s.try_borrow_mut().ok()?.as_mut().map(f))
}

/// Takes over every held-back iframe of the page, now and later. `config` is the
/// shop's configuration (parsed JSON, or `null` when it could not be fetched).
pub fn mount(lang: Lang, config: &JsValue) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if with_state(|_| ()).is_some() {
        return;
    }
    dom::adopt_sheet(&doc, STYLES);
    let state = State {
        _events: page_api::on_change(&doc, changed),
        _observer: observe(&doc),
        doc,
        lang,
        config: config.clone(),
        waiting: Vec::new(),
        consented: Vec::new(),
        count: 0,
    };
    STATE.with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            *s = Some(state);
        }
    });
    scan();
}

/// Takes over the iframes not seen yet: loads the allowed ones, puts a placeholder
/// in the place of the others.
fn scan() {
    let consent = page_api::call("getConsent", &[]);
    let Some(found) = with_state(|state| state.doc.query_selector_all(EMBED).ok()).flatten() else {
        return;
    };
    for i in 0..found.length() {
        let Some(frame) = found.item(i) else {
            continue;
        };
        let frame: HtmlElement = frame.unchecked_into();
        if frame.has_attribute(TAKEN) || frame.has_attribute("src") {
            continue;
        }
        dom::attr(&frame, TAKEN, "");
        let category = frame.get_attribute("data-category").unwrap_or_default();
        let named = frame.get_attribute("data-service");
        // Only a service of the shop's configuration has a choice of its own.
        let service = named.clone().filter(|name| {
            with_state(|state| configured(&state.config, name).is_some()).unwrap_or(false)
        });
        if page_api::granted(&consent, &category, service.as_deref()) {
            load(&frame);
            with_state(|state| state.consented.push((category, service)));
            continue;
        }
        with_state(|state| {
            let embed = state.placeholder(frame, category, named, service);
            state.waiting.push(embed);
        });
    }
}

/// The configured service called `name`, as parsed JSON.
fn configured(config: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Array::from(&dom::get(config, "services"))
        .iter()
        .find(|s| dom::string(s, "name").as_deref() == Some(name))
}

/// After a choice (or once the consent module is ready), with the choice in force:
/// reloads the page when an embed was loaded under a consent that is now
/// withdrawn (what runs in its frame stops only so), else loads every waiting
/// embed that it allows (its configured service's choice, else its category's).
fn changed(consent: &JsValue) {
    let granted = |(category, service): (&String, &Option<String>)| {
        page_api::granted(consent, category, service.as_deref())
    };
    let (withdrawn, now) = with_state(|state| {
        let withdrawn = state.consented.iter().any(|(c, s)| !granted((c, s)));
        let now: Vec<usize> = (0..state.waiting.len())
            .filter(|&i| granted((&state.waiting[i].category, &state.waiting[i].service)))
            .collect();
        (withdrawn, now)
    })
    .unwrap_or_default();
    if withdrawn {
        if let Some(window) = web_sys::window() {
            let location = dom::get(&window, "location");
            if let Ok(reload) = dom::get(&location, "reload").dyn_into::<js_sys::Function>() {
                let _ = reload.call0(&location);
            }
        }
        return;
    }
    // From the back, so that the indexes stay right while removing.
    for i in now.into_iter().rev() {
        if let Some(embed) = show(i) {
            with_state(|state| state.consented.push(embed));
        }
    }
}

/// Replaces the placeholder at `index` by its iframe, loaded; returns its
/// (category, service). The focus, if it was in the placeholder (a button of it),
/// moves to the iframe.
fn show(index: usize) -> Option<(String, Option<String>)> {
    let embed =
        with_state(|state| (index < state.waiting.len()).then(|| state.waiting.remove(index)));
    let embed = embed.flatten()?;
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|active| embed.placeholder.contains(Some(&active)));
    set_style(&embed.frame, "display", &"".into());
    embed.placeholder.remove();
    load(&embed.frame);
    if focused {
        let _ = embed.frame.focus();
    }
    Some((embed.category, embed.service))
}

/// Sets `src` from `data-src`: the only moment the third party is contacted.
fn load(frame: &Element) {
    if let Some(src) = frame.get_attribute("data-src") {
        dom::attr(frame, "src", &src);
    }
}

/// Keeps taking over held-back iframes that the page adds later.
fn observe(doc: &Document) -> Option<(web_sys::MutationObserver, dom::Callback)> {
    let callback = dom::callback(|_| {
        scan();
        JsValue::UNDEFINED
    });
    let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let init = dom::object(&[("childList", &JsValue::TRUE), ("subtree", &JsValue::TRUE)]);
    let root: web_sys::Node = dom::get(doc, "documentElement").dyn_into().ok()?;
    observer
        .observe_with_options(&root, init.unchecked_ref())
        .ok()?;
    Some((observer, callback))
}

impl State {
    /// Hides `frame` and puts a placeholder of the same box before it. `named` is
    /// its `data-service`, `service` the same when the shop configured it.
    fn placeholder(
        &mut self,
        frame: HtmlElement,
        category: String,
        named: Option<String>,
        service: Option<String>,
    ) -> Embed {
        let (doc, lang) = (&self.doc, self.lang);
        self.count += 1;
        let mut id = String::from("pd-embed-");
        protocol::date::push_uint(&mut id, u64::from(self.count));
        let purpose = service
            .as_deref()
            .and_then(|name| configured(&self.config, name))
            .and_then(|s| dom::string(&dom::get(&s, "purpose"), lang.code()));
        let who = named.as_deref().unwrap_or(part(lang, Part::AnotherSite));
        let title = match frame.get_attribute("title").filter(|t| !t.is_empty()) {
            Some(title) => join(&[&title, " (", who, ")"]),
            None => join(&[part(lang, Part::ContentFrom), who]),
        };
        let purpose = match &purpose {
            Some(text) => text.as_str(),
            None => match category.as_str() {
                "preferences" => t(lang, Msg::PreferencesDesc),
                "analytics" => t(lang, Msg::AnalyticsDesc),
                _ => t(lang, Msg::MarketingDesc),
            },
        };
        // Without a configured service, "Always allow" grants the category (its
        // name as label): only a configured service has a choice of its own.
        let allow_what = match &service {
            Some(name) => name.as_str(),
            None => match category.as_str() {
                "preferences" => t(lang, Msg::Preferences),
                "analytics" => t(lang, Msg::Analytics),
                _ => t(lang, Msg::Marketing),
            },
        };
        let always = join(&[
            part(lang, Part::AlwaysBefore),
            allow_what,
            part(lang, Part::AlwaysAfter),
        ]);
        let mut load_once = None;
        let mut always_allow = None;
        let placeholder: Element = El::new(doc, "div")
            .class("pd-embed")
            .attr("role", "group")
            .attr("aria-labelledby", &id)
            .child(
                El::new(doc, "p")
                    .attr("id", &id)
                    .child(El::new(doc, "strong").text(&title)),
            )
            .child(El::new(doc, "p").text(&join(&[
                part(lang, Part::WhyBefore),
                who,
                part(lang, Part::WhyAfter),
                " ",
                part(lang, Part::Purpose),
                purpose,
            ])))
            .child(
                El::new(doc, "p")
                    .class("pd-embed-actions")
                    .child(button(doc, part(lang, Part::LoadOnce), &id).keep(&mut load_once))
                    .child(button(doc, &always, &id).keep(&mut always_allow)),
            )
            .into();
        size_like(&placeholder, &frame);
        set_style(&frame, "display", &"none".into());
        let _ = frame.before_with_node_1(&placeholder);
        let once_frame = frame.clone();
        let grant = match &service {
            Some(name) => ("acceptService", name.clone()),
            None => ("acceptCategory", category.clone()),
        };
        let listen = |el: Option<Element>, f: Box<dyn Fn()>| {
            Listener::new(&el.unwrap_or_else(|| unreachable!()), "click", move |_| f())
        };
        Embed {
            _buttons: [
                listen(
                    load_once,
                    Box::new(move || {
                        let i = with_state(|state| {
                            state.waiting.iter().position(|e| e.frame == once_frame)
                        })
                        .flatten();
                        if let Some(i) = i {
                            show(i);
                        }
                    }),
                ),
                listen(
                    always_allow,
                    Box::new(move || {
                        page_api::call(grant.0, &[grant.1.as_str().into()]);
                    }),
                ),
            ],
            frame,
            placeholder,
            category,
            service,
        }
    }
}

/// A button described by the placeholder's title, so that each "Load once" on a
/// page with several embeds says which one it loads.
fn button(doc: &Document, label: &str, described_by: &str) -> El {
    El::new(doc, "button")
        .attr("type", "button")
        .attr("aria-describedby", described_by)
        .text(label)
}

/// Gives the placeholder the iframe's box as laid out now (its width and height
/// attributes when it is not rendered), to the fraction of a pixel, keeping the
/// ratio when the page gets narrower: the page does not move when one replaces
/// the other. Where the text does not fit (a small video on a phone), the box
/// grows taller (`aspect-ratio` with visible overflow) rather than hiding the
/// buttons.
fn size_like(placeholder: &Element, frame: &HtmlElement) {
    let rect = frame.get_bounding_client_rect();
    let (mut width, mut height) = (rect.width(), rect.height());
    if width <= 0.0 || height <= 0.0 {
        let number = |name: &str| {
            frame
                .get_attribute(name)
                .and_then(|v| v.parse::<u16>().ok())
                .map_or(0.0, f64::from)
        };
        (width, height) = (number("width"), number("height"));
    }
    if width <= 0.0 || height <= 0.0 {
        return;
    }
    let number = |n: f64| {
        js_sys::Number::from(n)
            .to_string_with_radix(10)
            .unwrap_or_else(|_| "0".into())
    };
    set_style(placeholder, "width", &number(width).concat(&"px".into()));
    let ratio = number(width).concat(&" / ".into()).concat(&number(height));
    set_style(placeholder, "aspectRatio", &ratio);
}

/// `element.style[property] = value`: the CSSOM, which a CSP's `style-src` does not
/// restrict (a `style` attribute it would).
fn set_style(element: &Element, property: &str, value: &JsValue) {
    dom::set(&dom::get(element, "style"), property, value);
}
