//! The rights-request form, rendered into every `[data-privacy-request-form]`
//! element of the page. (Owned by the form work; the entry in `lib.rs` only calls
//! [`mount_all`].)
//!
//! The form lives in the light DOM, not in a shadow root: `<label for>`, the error
//! summary's links to fields, browser autofill and the shop's own form styles then
//! work as everywhere else on the page. The few styles it brings are
//! zero-specificity (`:where`) and adopted as a constructed sheet (not subject to a
//! CSP's `style-src`), so the shop's rules win. This module only renders and
//! forwards events; the decisions are in [`model`], the DOM it builds in [`render`],
//! the traffic with the edge in [`net`].

use crate::prelude::*;

mod model;
mod net;
mod render;
mod text;

use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};

use js_sys::Reflect;
use protocol::{Lang, Right};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, HtmlElement, HtmlInputElement, Node};

use crate::dom::{append, append_text, attr, el, Listener};

use model::{FormError, FormField, FormValues, Reply};
use net::{accepted_from, error_from, hide, join, post, random_key, set_text, value_of};
use text::Text;

/// The attribute that marks a mount point.
const MOUNT_SELECTOR: &str = "[data-privacy-request-form]";
/// Set on a mount point once rendered, so a second `mount_all` leaves it alone.
const MOUNTED_ATTR: &str = "data-pd-mounted";
/// Cloudflare Turnstile's script. It renders every `.cf-turnstile` element once
/// loaded and puts the token into a hidden `cf-turnstile-response` input there,
/// so the form needs no callbacks. A shop with a CSP allows
/// `https://challenges.cloudflare.com` in `script-src` and `frame-src`.
const TURNSTILE_SCRIPT: &str = "https://challenges.cloudflare.com/turnstile/v0/api.js";

const STYLES: &str = "\
:where(.pd-rf [hidden],.pd-rf[hidden],.pd-rf-success[hidden],.pd-rf-success [hidden]){display:none!important}\
:where(.pd-rf-field){margin:0 0 1.25em;padding:0;border:0;min-width:0}\
:where(.pd-rf-field[data-invalid]){border-left:4px solid #b00020;padding-left:.75em}\
:where(.pd-rf-label){display:block;font-weight:bold;margin:0 0 .25em;padding:0}\
:where(.pd-rf-hint){margin:0 0 .35em}\
:where(.pd-rf-error){margin:0 0 .35em;color:#b00020;font-weight:bold}\
:where(.pd-rf-option,.pd-rf-check){display:flex;gap:.5em;align-items:baseline;margin:.3em 0}\
:where(.pd-rf-input){box-sizing:border-box;width:100%;max-width:32em;font:inherit;padding:.4em}\
:where(.pd-rf-summary){border:4px solid #b00020;padding:.75em 1em;margin:0 0 1.5em}\
:where(.pd-rf-summary a){color:#b00020;font-weight:bold}\
:where(.pd-rf-retry){border-left:4px solid #b00020;padding:.25em .75em;margin:1em 0}\
:where(.pd-rf-success){border:4px solid #00703c;padding:.75em 1em}\
:where(.pd-rf-summary:focus,.pd-rf-success:focus){outline:3px solid #ffbf47;outline-offset:2px}\
.pd-rf-hp{position:absolute!important;left:-9999px!important;width:1px;height:1px;overflow:hidden}";

/// Every mounted form; they live as long as the page.
static FORMS: Local<RefCell<Vec<Rc<Form>>>> = Local(RefCell::new(Vec::new()));
static MOUNTED: Local<Cell<u32>> = Local(Cell::new(0));

/// Renders the form into every mount point on the page. `api_base` is the edge
/// origin (no trailing slash), `shop` the shop id from `data-shop`.
pub fn mount_all(api_base: &str, shop: &str, lang: protocol::Lang, turnstile: Option<&str>) {
    // A one-language build shows (and sends) its own language: the loader chose it
    // by the same rule as `lang`.
    let lang = text::shown(lang);
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Ok(mounts) = document.query_selector_all(MOUNT_SELECTOR) else {
        return;
    };
    let url = join(&[api_base.trim_end_matches('/'), "/api/requests"]);
    for i in 0..mounts.length() {
        let Some(host) = mounts
            .item(i)
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            continue;
        };
        if host.has_attribute(MOUNTED_ATTR) {
            continue;
        }
        attr(&host, MOUNTED_ATTR, "");
        let number = MOUNTED.with(|count| {
            count.set(count.get() + 1);
            count.get()
        });
        if number == 1 {
            adopt_styles(&document);
        }
        let headings = preceding_heading(&document, &host);
        let form = Form::render(&document, &host, number, headings, &url, shop, lang);
        if let Some(sitekey) = turnstile {
            form.add_turnstile(sitekey, number == 1);
        }
        Form::listen(&form);
        FORMS.with(|forms| forms.borrow_mut().push(form));
    }
}

/// The level of the last heading before `host` in document order, so that the
/// form's own headings nest under it.
fn preceding_heading(document: &Document, host: &Element) -> Option<u8> {
    let headings = document.query_selector_all("h1,h2,h3,h4,h5,h6").ok()?;
    let mut level = None;
    for i in 0..headings.length() {
        let Some(heading) = headings.item(i) else {
            continue;
        };
        if host.compare_document_position(&heading) & Node::DOCUMENT_POSITION_PRECEDING == 0 {
            break;
        }
        level = heading
            .dyn_into::<Element>()
            .ok()
            .and_then(|heading| model::heading_level(&heading.tag_name()));
    }
    level
}

fn adopt_styles(document: &Document) {
    // Older browsers without constructed sheets get the form unstyled, which is fine.
    crate::dom::adopt_sheet(document, STYLES);
}

/// One field's error display: where the message goes and which elements announce it.
struct FieldView {
    wrapper: Element,
    error: HtmlElement,
    /// Carries `aria-describedby` (the control, or the fieldset of the radios).
    described: Element,
    /// The hint's id, always part of `aria-describedby`; empty if none.
    hint_id: String,
    error_id: String,
    /// Get `aria-invalid` while the error shows.
    controls: Vec<Element>,
    /// Where a summary link sends the focus.
    focus: HtmlElement,
}

#[derive(Default)]
struct Session {
    /// Made once per filled form and reused on every attempt.
    idempotency_key: Option<String>,
    /// The last body sent, for "Try again".
    body: Option<String>,
    sending: bool,
}

struct Form {
    /// This form itself, for the listeners and the pending fetch (which must not
    /// keep it alive: `FORMS` does).
    me: Weak<Form>,
    lang: Lang,
    shop: String,
    url: String,
    document: Document,
    form: HtmlElement,
    summary: HtmlElement,
    summary_list: Element,
    radios: Vec<HtmlInputElement>,
    name: Element,
    email: Element,
    order_number: Element,
    details: Element,
    details_optional: HtmlElement,
    confirm: HtmlInputElement,
    /// The honeypot: hidden from people (off-screen), from assistive technology
    /// (`aria-hidden`) and from the keyboard (`tabindex=-1`); bots fill it.
    honeypot: Element,
    /// Where Turnstile renders, when the tag has `data-turnstile-sitekey`.
    turnstile: RefCell<Option<Element>>,
    /// Indexed by [`FormField::index`].
    fields: [FieldView; 6],
    /// Level of the page's heading before the form.
    preceding_heading: Option<u8>,
    submit: Element,
    status: Element,
    retry: HtmlElement,
    retry_message: Element,
    retry_button: Element,
    success: HtmlElement,
    session: RefCell<Session>,
    listeners: RefCell<Vec<Listener>>,
}

impl Form {
    /// Adds the Turnstile container before the submit button; the first form also
    /// loads Turnstile's script, which renders every container once loaded.
    fn add_turnstile(&self, sitekey: &str, load_script: bool) {
        let container = el(&self.document, "div", "cf-turnstile");
        attr(&container, "data-sitekey", sitekey);
        attr(&container, "data-language", self.lang.code());
        let _ = self.form.insert_before(&container, Some(&self.submit));
        *self.turnstile.borrow_mut() = Some(container);
        if load_script {
            let script = el(&self.document, "script", "");
            attr(&script, "src", TURNSTILE_SCRIPT);
            attr(&script, "async", "");
            if let Some(head) = self.document.head() {
                let _ = head.append_child(&script);
            }
        }
    }

    /// The token Turnstile left in its container, if any.
    fn turnstile_token(&self) -> Option<String> {
        let container = self.turnstile.borrow();
        let input = container
            .as_ref()?
            .query_selector("[name=\"cf-turnstile-response\"]")
            .ok()??;
        Some(value_of(&input)).filter(|token| !token.is_empty())
    }

    /// A token is single-use: after the edge refused one, Turnstile issues a new one.
    fn reset_turnstile(&self) {
        let Some(container) = self.turnstile.borrow().clone() else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(turnstile) = Reflect::get(&window, &JsValue::from_str("turnstile")) else {
            return;
        };
        if let Ok(reset) = Reflect::get(&turnstile, &JsValue::from_str("reset")) {
            if let Some(reset) = reset.dyn_ref::<js_sys::Function>() {
                let _ = reset.call1(&turnstile, &container);
            }
        }
    }

    fn listen(this: &Rc<Form>) {
        let on = |target: &Element, event: &'static str, handler: fn(&Form, &Event)| {
            let form = this.me.clone();
            Listener::new(target, event, move |event| {
                if let Some(form) = form.upgrade() {
                    handler(&form, event);
                }
            })
        };
        let listeners = vec![
            on(&this.form, "submit", |form, event| {
                event.prevent_default();
                form.submit();
            }),
            on(&this.form, "change", Form::changed),
            on(&this.summary, "click", Form::summary_clicked),
            on(&this.retry_button, "click", |form, _| form.retry()),
        ];
        *this.listeners.borrow_mut() = listeners;
    }

    fn values(&self) -> FormValues {
        FormValues {
            right: self.selected_right(),
            name: value_of(&self.name),
            email: value_of(&self.email),
            order_number: value_of(&self.order_number),
            details: value_of(&self.details),
            confirm_true: crate::dom::is(&self.confirm, "checked"),
        }
    }

    fn selected_right(&self) -> Option<Right> {
        Right::ALL
            .into_iter()
            .zip(&self.radios)
            .find(|(_, radio)| crate::dom::is(radio, "checked"))
            .map(|(right, _)| right)
    }

    /// Inline validation as the visitor leaves a changed field.
    fn changed(&self, event: &Event) {
        let Some(target) = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
        else {
            return;
        };
        let Some(field) = target
            .get_attribute("data-field")
            .and_then(|name| FormField::from_wire(&name))
        else {
            return;
        };
        let values = self.values();
        self.show_field_error(
            field,
            model::field_problem(&values, field, self.lang).as_ref(),
        );
        if field == FormField::Right {
            self.update_details_requirement(values.right);
            // Whether details are required just changed; re-check them if they were flagged.
            if self.fields[FormField::Details.index()]
                .wrapper
                .has_attribute("data-invalid")
            {
                let problem = model::field_problem(&values, FormField::Details, self.lang);
                self.show_field_error(FormField::Details, problem.as_ref());
            }
        }
    }

    fn update_details_requirement(&self, right: Option<Right>) {
        let required = right.is_some_and(Right::requires_details);
        hide(&self.details_optional, required);
        if required {
            attr(&self.details, "required", "");
        } else {
            let _ = self.details.remove_attribute("required");
        }
    }

    fn submit(&self) {
        if self.session.borrow().sending {
            return;
        }
        let key = self.idempotency_key();
        match model::checked_request(&self.values(), &self.shop, self.lang, &key) {
            Err(errors) => self.show_errors(&errors),
            Ok(mut request) => {
                request.honeypot = Some(value_of(&self.honeypot)).filter(|v| !v.is_empty());
                request.turnstile_token = self.turnstile_token();
                let body = crate::core::json::rights_request(&request);
                self.clear_errors();
                self.send(body);
            }
        }
    }

    fn retry(&self) {
        let body = {
            let session = self.session.borrow();
            if session.sending {
                return;
            }
            session.body.clone()
        };
        if let Some(body) = body {
            self.send(body);
        }
    }

    fn idempotency_key(&self) -> String {
        self.session
            .borrow_mut()
            .idempotency_key
            .get_or_insert_with(random_key)
            .clone()
    }

    fn send(&self, body: String) {
        {
            let mut session = self.session.borrow_mut();
            session.sending = true;
            session.body = Some(body.clone());
        }
        hide(&self.retry, true);
        set_text(&self.status, Text::Sending.get(self.lang));
        attr(&self.submit, "aria-disabled", "true");
        let form = self.me.clone();
        post(&self.url, &body, move |outcome| {
            if let Some(form) = form.upgrade() {
                form.finish(outcome);
            }
        });
    }

    fn finish(&self, outcome: Result<(u16, JsValue), JsValue>) {
        self.session.borrow_mut().sending = false;
        let _ = self.submit.remove_attribute("aria-disabled");
        set_text(&self.status, "");
        let lang = self.lang;
        let Ok((status, json)) = outcome else {
            self.offer_retry(Text::NetworkError.get(lang));
            return;
        };
        match model::classify(status) {
            Reply::Accepted => match accepted_from(&json) {
                Some(accepted) => self.show_success(&accepted),
                // An answer we cannot read: the same key makes a retry safe.
                None => self.offer_retry(Text::ServerError.get(lang)),
            },
            Reply::Rejected => {
                self.reset_turnstile();
                self.show_errors(&[error_from(&json, Text::Rejected.get(lang))]);
            }
            Reply::Retry => {
                self.offer_retry(&error_from(&json, Text::ServerError.get(lang)).message)
            }
        }
    }

    fn offer_retry(&self, message: &str) {
        set_text(&self.retry_message, message);
        hide(&self.retry, false);
        if let Ok(button) = self.retry_button.clone().dyn_into::<HtmlElement>() {
            let _ = button.focus();
        }
    }

    fn clear_errors(&self) {
        for field in FormField::ALL {
            self.show_field_error(field, None);
        }
        hide(&self.summary, true);
        set_text(&self.summary_list, "");
    }

    /// Marks each field's first error inline and lists all of them in the summary,
    /// which takes the focus.
    fn show_errors(&self, errors: &[FormError]) {
        self.clear_errors();
        let doc = &self.document;
        for (i, error) in errors.iter().enumerate() {
            let item = el(doc, "li", "");
            match error.field {
                Some(field) => {
                    if !errors
                        .iter()
                        .take(i)
                        .any(|earlier| earlier.field == error.field)
                    {
                        self.show_field_error(field, Some(error));
                    }
                    let link = el(doc, "a", "");
                    let target = self.fields[field.index()].focus.id();
                    attr(&link, "href", &join(&["#", target.as_str()]));
                    attr(&link, "data-field", field.wire_name());
                    append_text(&link, &error.message);
                    append(&item, &link);
                }
                None => append_text(&item, &error.message),
            }
            append(&self.summary_list, &item);
        }
        hide(&self.retry, true);
        hide(&self.summary, false);
        let _ = self.summary.focus();
    }

    fn show_field_error(&self, field: FormField, error: Option<&FormError>) {
        let view = &self.fields[field.index()];
        match error {
            Some(error) => {
                set_text(&view.error, &error.message);
                hide(&view.error, false);
                attr(&view.wrapper, "data-invalid", "");
                for control in &view.controls {
                    attr(control, "aria-invalid", "true");
                }
                let described = if view.hint_id.is_empty() {
                    view.error_id.clone()
                } else {
                    join(&[view.hint_id.as_str(), " ", view.error_id.as_str()])
                };
                attr(&view.described, "aria-describedby", &described);
            }
            None => {
                set_text(&view.error, "");
                hide(&view.error, true);
                let _ = view.wrapper.remove_attribute("data-invalid");
                for control in &view.controls {
                    let _ = control.remove_attribute("aria-invalid");
                }
                if view.hint_id.is_empty() {
                    let _ = view.described.remove_attribute("aria-describedby");
                } else {
                    attr(&view.described, "aria-describedby", &view.hint_id);
                }
            }
        }
    }

    /// A summary link focuses its field (and shows its label) instead of only
    /// scrolling to it.
    fn summary_clicked(&self, event: &Event) {
        let Some(target) = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
        else {
            return;
        };
        let Some(field) = target
            .get_attribute("data-field")
            .and_then(|name| FormField::from_wire(&name))
        else {
            return;
        };
        event.prevent_default();
        let view = &self.fields[field.index()];
        let _ = view.focus.focus();
        view.wrapper.scroll_into_view();
    }
}
