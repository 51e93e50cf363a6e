//! The consent widget's DOM: banner, preferences dialog and the floating
//! "Cookie settings" button, built once inside an open Shadow DOM root and shown
//! or hidden afterwards. Text is set with `textContent` only (never HTML), and
//! every handler forwards to [`crate::app`].

use js_sys::Array;
use protocol::{Category, Choices, Lang, WidgetConfig};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent, ShadowRoot};

use crate::app;
use crate::core::text::{t, Msg};
use crate::dom::{self, Listener};

pub struct Ui {
    pub host: Element,
    root: ShadowRoot,
    banner: Element,
    backdrop: Element,
    dialog: Element,
    fab: Element,
    analytics: Element,
    marketing: Element,
    /// Where focus was before the dialog opened, to return it there.
    return_focus: Option<Element>,
    _listeners: Vec<Listener>,
}

fn el(doc: &Document, tag: &str, class: &str) -> Element {
    let e = doc.create_element(tag).unwrap_throw();
    if !class.is_empty() {
        attr(&e, "class", class);
    }
    e
}

fn text(doc: &Document, tag: &str, class: &str, content: &str) -> Element {
    let e = el(doc, tag, class);
    set_text(&e, content);
    e
}

fn set_text(e: &Element, content: &str) {
    dom::set(e, "textContent", &content.into());
}

fn attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

fn hide(e: &Element, hidden: bool) {
    dom::set(e, "hidden", &hidden.into());
}

fn hidden(e: &Element) -> bool {
    dom::is(e, "hidden")
}

fn focus(e: &Element) {
    let _ = e.unchecked_ref::<HtmlElement>().focus();
}

fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

fn button(doc: &Document, class: &str, label: &str) -> Element {
    let b = text(doc, "button", class, label);
    attr(&b, "type", "button");
    b
}

fn on_click(target: &Element, listeners: &mut Vec<Listener>, handler: impl Fn() + 'static) {
    listeners.push(Listener::new(target, "click", move |_| handler()));
}

/// Attaches the stylesheet without anything a strict CSP would block: a constructed
/// stylesheet, or a `<style>` element where those are not supported.
///
/// `style.css` is shipped as written, so it carries no comments: it lives in the
/// Shadow DOM root, and shops theme it with the `--pd-*` custom properties on any
/// ancestor, e.g. `:root { --pd-accent: #0a7; }`.
fn adopt_style(doc: &Document, root: &ShadowRoot) {
    const CSS: &str = include_str!("style.css");
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(CSS).is_ok() {
            dom::set(root, "adoptedStyleSheets", &Array::of1(&sheet));
            return;
        }
    }
    let style = text(doc, "style", "", CSS);
    let _ = root.append_child(&style);
}

impl Ui {
    pub fn build(doc: &Document, lang: Lang, config: &WidgetConfig) -> Ui {
        let host = el(doc, "div", "");
        attr(&host, "id", "privacy-desk");
        let init = dom::object(&[("mode", &"open".into())]);
        let root = host.attach_shadow(init.unchecked_ref()).unwrap_throw();
        adopt_style(doc, &root);
        let wrap = el(doc, "div", "pd");
        attr(&wrap, "lang", lang.code());
        let _ = root.append_child(&wrap);
        let mut listeners = Vec::new();

        // First layer.
        let banner = el(doc, "section", "banner");
        attr(&banner, "aria-label", t(lang, Msg::BannerLabel));
        append(&banner, &text(doc, "h2", "", t(lang, Msg::BannerTitle)));
        let body = text(doc, "p", "", t(lang, Msg::BannerBody));
        if !config.privacy_policy_url.is_empty() {
            let _ = body.append_with_str_1(" ");
            let link = text(doc, "a", "", t(lang, Msg::PrivacyPolicy));
            attr(&link, "href", &config.privacy_policy_url);
            append(&body, &link);
        }
        append(&banner, &body);
        let actions = el(doc, "div", "actions");
        // Accept and Reject look the same and sit side by side: equal prominence.
        let accept = button(doc, "btn", t(lang, Msg::AcceptAll));
        let reject = button(doc, "btn", t(lang, Msg::RejectAll));
        let prefs = button(doc, "btn", t(lang, Msg::Preferences));
        on_click(&accept, &mut listeners, || {
            app::choose(
                crate::core::decide::EVERYTHING,
                protocol::ConsentSource::Banner,
            )
        });
        on_click(&reject, &mut listeners, || {
            app::choose(
                crate::core::decide::NOTHING,
                protocol::ConsentSource::Banner,
            )
        });
        on_click(&prefs, &mut listeners, app::open_preferences);
        append(&actions, &accept);
        append(&actions, &reject);
        append(&actions, &prefs);
        append(&banner, &actions);
        hide(&banner, true);
        append(&wrap, &banner);

        // Preferences dialog.
        let backdrop = el(doc, "div", "backdrop");
        let dialog = el(doc, "div", "dialog");
        attr(&dialog, "role", "dialog");
        attr(&dialog, "aria-modal", "true");
        attr(&dialog, "aria-labelledby", "pd-prefs-title");
        let head = el(doc, "div", "head");
        let title = text(doc, "h2", "", t(lang, Msg::PrefsTitle));
        attr(&title, "id", "pd-prefs-title");
        append(&head, &title);
        let close = button(doc, "x", "×");
        attr(&close, "aria-label", t(lang, Msg::Close));
        on_click(&close, &mut listeners, app::close_preferences);
        append(&head, &close);
        append(&dialog, &head);
        append(&dialog, &text(doc, "p", "", t(lang, Msg::PrefsIntro)));

        let (necessary, _) = category(
            doc,
            lang,
            config,
            None,
            "necessary",
            Msg::Necessary,
            Msg::NecessaryDesc,
        );
        append(&dialog, &necessary);
        let (section, analytics) = category(
            doc,
            lang,
            config,
            Some(Category::Analytics),
            "analytics",
            Msg::Analytics,
            Msg::AnalyticsDesc,
        );
        append(&dialog, &section);
        let (section, marketing) = category(
            doc,
            lang,
            config,
            Some(Category::Marketing),
            "marketing",
            Msg::Marketing,
            Msg::MarketingDesc,
        );
        append(&dialog, &section);

        let actions = el(doc, "div", "actions");
        let accept = button(doc, "btn", t(lang, Msg::AcceptAll));
        let reject = button(doc, "btn", t(lang, Msg::RejectAll));
        let save = button(doc, "btn", t(lang, Msg::SaveChoices));
        on_click(&accept, &mut listeners, || {
            app::choose(
                crate::core::decide::EVERYTHING,
                protocol::ConsentSource::Preferences,
            )
        });
        on_click(&reject, &mut listeners, || {
            app::choose(
                crate::core::decide::NOTHING,
                protocol::ConsentSource::Preferences,
            )
        });
        on_click(&save, &mut listeners, app::save_preferences);
        append(&actions, &accept);
        append(&actions, &reject);
        append(&actions, &save);
        append(&dialog, &actions);
        append(&backdrop, &dialog);
        listeners.push(Listener::new(&dialog, "keydown", |event| {
            app::dialog_key(event.unchecked_ref())
        }));
        hide(&backdrop, true);
        append(&wrap, &backdrop);

        let fab = button(doc, "fab", t(lang, Msg::CookieSettings));
        on_click(&fab, &mut listeners, app::open_preferences);
        hide(&fab, true);
        append(&wrap, &fab);

        Ui {
            host,
            root,
            banner,
            backdrop,
            dialog,
            fab,
            analytics: analytics.expect_throw("analytics box"),
            marketing: marketing.expect_throw("marketing box"),
            return_focus: None,
            _listeners: listeners,
        }
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

    /// After a choice: banner and dialog away, the settings button back.
    pub fn show_chosen(&mut self) {
        let focus_was_inside = self.active().is_some();
        hide(&self.banner, true);
        hide(&self.backdrop, true);
        hide(&self.fab, false);
        self.restore_focus(focus_was_inside);
    }

    pub fn open_preferences(&mut self, current: Option<Choices>) {
        self.attach();
        if !hidden(&self.backdrop) {
            return;
        }
        self.return_focus = if self.active().is_some() {
            None
        } else {
            dom::get(&crate::browser::document(), "activeElement")
                .dyn_into()
                .ok()
        };
        // No pre-ticked boxes: without a choice every optional category is off.
        let current = current.unwrap_or(crate::core::decide::NOTHING);
        dom::set(&self.analytics, "checked", &current.analytics.into());
        dom::set(&self.marketing, "checked", &current.marketing.into());
        hide(&self.banner, true);
        hide(&self.fab, true);
        hide(&self.backdrop, false);
        if let Some(first) = self.focusables().first() {
            focus(first);
        }
    }

    /// Closes the dialog without a choice; `chosen` says whether a choice exists
    /// (then the settings button comes back, otherwise the banner).
    pub fn close_preferences(&mut self, chosen: bool) {
        if hidden(&self.backdrop) {
            return;
        }
        hide(&self.backdrop, true);
        hide(&self.banner, chosen);
        hide(&self.fab, !chosen);
        self.restore_focus(true);
    }

    pub fn checked(&self) -> Choices {
        Choices {
            analytics: dom::is(&self.analytics, "checked"),
            marketing: dom::is(&self.marketing, "checked"),
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
        let list = self
            .dialog
            .query_selector_all("button,a[href],input:not([disabled])")
            .unwrap_throw();
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

/// One category: a labelled checkbox (disabled and on for "necessary"), its
/// description and the services the shop configured for it.
fn category(
    doc: &Document,
    lang: Lang,
    config: &WidgetConfig,
    which: Option<Category>,
    key: &str,
    name: Msg,
    description: Msg,
) -> (Element, Option<Element>) {
    let section = el(doc, "div", "cat");
    let mut id = String::from("pd-cat-");
    id.push_str(key);
    let mut desc_id = id.clone();
    desc_id.push_str("-desc");
    let label = el(doc, "label", "");
    attr(&label, "for", &id);
    let input = el(doc, "input", "");
    attr(&input, "type", "checkbox");
    attr(&input, "id", &id);
    attr(&input, "aria-describedby", &desc_id);
    append(&label, &input);
    let _ = label.append_with_str_1(t(lang, name));
    if which.is_none() {
        attr(&input, "checked", "");
        attr(&input, "disabled", "");
        let _ = label.append_with_str_1(" ");
        append(&label, &text(doc, "span", "on", t(lang, Msg::AlwaysOn)));
    }
    append(&section, &label);
    let desc = text(doc, "p", "", t(lang, description));
    attr(&desc, "id", &desc_id);
    append(&section, &desc);
    if let Some(category) = which {
        let list = el(doc, "ul", "");
        let mut any = false;
        for service in config.services.iter().filter(|s| s.category == category) {
            any = true;
            let item = el(doc, "li", "");
            append(&item, &text(doc, "strong", "", &service.name));
            let _ = item.append_with_str_1(" — ");
            line(doc, &item, t(lang, Msg::Purpose), service.purpose.get(lang));
            line(
                doc,
                &item,
                t(lang, Msg::Cookies),
                &service.cookies.join(", "),
            );
            line(
                doc,
                &item,
                t(lang, Msg::Retention),
                service.retention.get(lang),
            );
            if !service.policy_url.is_empty() {
                let link = el(doc, "a", "");
                let mut label = String::from(t(lang, Msg::ProviderPolicy));
                label.push(' ');
                label.push_str(&service.name);
                set_text(&link, &label);
                attr(&link, "href", &service.policy_url);
                attr(&link, "target", "_blank");
                attr(&link, "rel", "noopener");
                append(&item, &link);
            }
            append(&list, &item);
        }
        if !any {
            append(&list, &text(doc, "li", "", t(lang, Msg::NoServices)));
        }
        append(&section, &list);
    }
    (section, if which.is_some() { Some(input) } else { None })
}

fn line(doc: &Document, item: &Element, label: &str, value: &str) {
    let mut s = String::from(label);
    s.push_str(": ");
    s.push_str(value.trim_end());
    // Shop-provided texts may already end a sentence; do not print "..".
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s.push(' ');
    let span = text(doc, "span", "", &s);
    append(item, &span);
}
