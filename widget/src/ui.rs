//! The consent widget's DOM: the banner and the floating "Cookie settings" button,
//! which the loader draws inside an open Shadow DOM root from the words that come
//! with the shop's configuration (`protocol::banner`), taken over here, and the
//! preferences dialog, which
//! comes from the `prefs` module ([`crate::prefs`]) the first time it is needed and
//! is then kept. Text is set with `textContent` only (never HTML). One delegated
//! click listener serves every button: each carries its action in `data-act`.

use crate::prelude::*;

use protocol::{Choices, Service};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent, ShadowRoot};

use crate::app;
use crate::core::decide::{Consent, EVERYTHING, NOTHING};
use crate::dom::{self, Listener};
use protocol::ConsentSource;

pub struct Ui {
    pub host: Element,
    root: ShadowRoot,
    wrap: Element,
    banner: Element,
    fab: Element,
    dialog: Option<Dialog>,
    /// Where focus was before the dialog opened, to return it there.
    return_focus: Option<Element>,
    _listeners: Vec<Listener>,
}

/// The preferences dialog once the `prefs` module has built it.
struct Dialog {
    backdrop: Element,
    dialog: Element,
    /// The category switches: preferences, analytics, marketing.
    categories: [Element; 3],
    _keys: Listener,
}

fn hide(e: &Element, hidden: bool) {
    dom::set(e, "hidden", &hidden.into());
}

fn hidden(e: &Element) -> bool {
    dom::is(e, "hidden")
}

/// The per-service switches of the dialog (`input[data-service]`).
fn service_inputs(dialog: &Element) -> impl Iterator<Item = Element> {
    let list = dialog.query_selector_all("input[data-service]").ok();
    let length = list.as_ref().map_or(0, |l| l.length());
    (0..length).filter_map(move |i| list.as_ref()?.item(i)?.dyn_into().ok())
}

fn focus(e: &Element) {
    let _ = e.unchecked_ref::<HtmlElement>().focus();
}

/// What a click on a `data-act` button does.
fn act(event: &web_sys::Event) {
    let Ok(target) = dom::get(event, "target").dyn_into::<Element>() else {
        return;
    };
    let Some(act) = target
        .closest("[data-act]")
        .ok()
        .flatten()
        .and_then(|b| b.get_attribute("data-act"))
    else {
        return;
    };
    // Before this module runs, the loader does the banner's buttons itself.
    match act.as_str() {
        "all" => app::choose(Consent::of(EVERYTHING), ConsentSource::Banner),
        "none" => app::choose(Consent::of(NOTHING), ConsentSource::Banner),
        "p-all" => app::choose(Consent::of(EVERYTHING), ConsentSource::Preferences),
        "p-none" => app::choose(Consent::of(NOTHING), ConsentSource::Preferences),
        "save" => app::save_preferences(),
        "close" => app::close_preferences(),
        _ => app::open_preferences(),
    }
}

impl Ui {
    /// Takes over the banner and the settings button the loader drew (`widget/loader.js`
    /// `draw`: `#privacy-desk`, its open shadow root, `.pd` with `.banner` and
    /// `.fab`). `None` when there is none: the configuration did not come, so there
    /// is nothing to ask with (nothing is granted) and no button to show.
    pub fn adopt(doc: &Document) -> Option<Ui> {
        let host = doc.get_element_by_id("privacy-desk")?;
        let root = host.shadow_root()?;
        let find = |selector: &str| root.query_selector(selector).ok().flatten();
        let (wrap, banner, fab) = (find(".pd")?, find(".banner")?, find(".fab")?);
        let listeners = vec![Listener::new(&wrap, "click", act)];
        Some(Ui {
            host,
            root,
            wrap,
            banner,
            fab,
            dialog: None,
            return_focus: None,
            _listeners: listeners,
        })
    }

    /// Takes the dialog the `prefs` module built (hidden, not yet in the page).
    pub fn set_dialog(&mut self, backdrop: Element) {
        let find = |selector: &str| backdrop.query_selector(selector).ok().flatten();
        let (Some(dialog), Some(preferences), Some(analytics), Some(marketing)) = (
            find("[role=dialog]"),
            find("#pd-cat-preferences"),
            find("#pd-cat-analytics"),
            find("#pd-cat-marketing"),
        ) else {
            return;
        };
        let keys = Listener::new(&dialog, "keydown", |event| {
            app::dialog_key(event.unchecked_ref())
        });
        let _ = self.wrap.insert_before(&backdrop, Some(&self.fab));
        self.dialog = Some(Dialog {
            backdrop,
            dialog,
            categories: [preferences, analytics, marketing],
            _keys: keys,
        });
    }

    pub fn root(&self) -> &ShadowRoot {
        &self.root
    }

    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// Puts the widget into the page again if a single-page app removed it.
    pub fn attach(&self) {
        if dom::is(&self.host, "isConnected") {
            return;
        }
        let doc = crate::browser::document();
        // Last in the body: the banner is a fixed overlay and a labelled region,
        // so it needs no early place in the DOM, and the page's skip links and
        // its own first link stay first (axe's skip-link rule relies on that).
        // Shift+Tab from the top of the page reaches it at once.
        let mut parent = dom::get(&doc, "body");
        if parent.is_null() {
            parent = dom::get(&doc, "documentElement");
        }
        if let Some(parent) = parent.dyn_ref::<web_sys::Node>() {
            let _ = parent.append_child(&self.host);
        }
    }

    pub fn show_banner(&self) {
        self.attach();
        hide(&self.banner, false);
        hide(&self.fab, true);
    }

    fn dialog_open(&self) -> bool {
        self.dialog.as_ref().is_some_and(|d| !hidden(&d.backdrop))
    }

    /// After a choice: banner and dialog away, the settings button back.
    pub fn show_chosen(&mut self) {
        let focus_was_inside = self.active().is_some();
        hide(&self.banner, true);
        if let Some(d) = &self.dialog {
            hide(&d.backdrop, true);
        }
        hide(&self.fab, false);
        self.restore_focus(focus_was_inside);
    }

    /// Opens the dialog (the caller has made sure there is one) showing `current`
    /// (nothing ticked without a choice). The dialog module keeps each category's
    /// switch in step with its services' (`pd-sync`).
    pub fn open_preferences(&mut self, current: &Consent, services: &[Service]) {
        self.attach();
        if self.dialog_open() {
            return;
        }
        self.return_focus = if self.active().is_some() {
            None
        } else {
            dom::get(&crate::browser::document(), "activeElement")
                .dyn_into()
                .ok()
        };
        let Some(d) = &self.dialog else {
            return;
        };
        let c = current.choices;
        for (input, on) in d
            .categories
            .iter()
            .zip([c.preferences, c.analytics, c.marketing])
        {
            dom::set(input, "checked", &on.into());
        }
        for input in service_inputs(&d.dialog) {
            let name = input.get_attribute("data-service").unwrap_or_default();
            let on = current.service_named(&name, services);
            dom::set(&input, "checked", &on.into());
        }
        crate::browser::dispatch_event_on(&d.dialog, "pd-sync", &JsValue::NULL);
        hide(&self.banner, true);
        hide(&self.fab, true);
        hide(&d.backdrop, false);
        if let Some(first) = self.focusables().first() {
            focus(first);
        }
    }

    /// Closes the dialog without a choice; `chosen` says whether a choice exists
    /// (then the settings button comes back, otherwise the banner).
    pub fn close_preferences(&mut self, chosen: bool) {
        let Some(d) = self.dialog.as_ref().filter(|d| !hidden(&d.backdrop)) else {
            return;
        };
        hide(&d.backdrop, true);
        hide(&self.banner, chosen);
        hide(&self.fab, !chosen);
        self.restore_focus(true);
    }

    /// The dialog's switches as a choice (categories, then every service).
    pub fn checked(&self) -> Consent {
        let Some(d) = &self.dialog else {
            return Consent::default();
        };
        let on = |e: &Element| dom::is(e, "checked");
        let [preferences, analytics, marketing] = &d.categories;
        Consent {
            choices: Choices {
                analytics: on(analytics),
                marketing: on(marketing),
                preferences: on(preferences),
            },
            services: service_inputs(&d.dialog)
                .map(|input| {
                    (
                        input.get_attribute("data-service").unwrap_or_default(),
                        on(&input),
                    )
                })
                .collect(),
        }
    }

    /// Keeps Tab and Shift+Tab inside the open dialog; Escape closes it.
    pub fn trap_tab(&self, event: &KeyboardEvent) {
        let items = self.focusables();
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = self.active();
        let at = |e: &Element| active.as_ref() == Some(e);
        let shift = dom::is(event, "shiftKey");
        if shift && (at(first) || active.is_none()) {
            event.prevent_default();
            focus(last);
        } else if !shift && at(last) {
            event.prevent_default();
            focus(first);
        }
    }

    /// The focused element inside the shadow root, if any.
    fn active(&self) -> Option<Element> {
        dom::get(&self.root, "activeElement").dyn_into().ok()
    }

    fn focusables(&self) -> Vec<Element> {
        let Some(list) = self.dialog.as_ref().and_then(|d| {
            d.dialog
                .query_selector_all("button,a[href],input:not([disabled])")
                .ok()
        }) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into().ok())
            .collect()
    }

    fn restore_focus(&mut self, focus_was_inside: bool) {
        if !focus_was_inside {
            return;
        }
        match self.return_focus.take() {
            Some(e) if dom::is(&e, "isConnected") => focus(&e),
            _ if !hidden(&self.fab) => focus(&self.fab),
            _ if !hidden(&self.banner) => {
                if let Some(first) = self.banner.query_selector("button").ok().flatten() {
                    focus(&first);
                }
            }
            _ => {}
        }
    }
}
