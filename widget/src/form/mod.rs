//! The rights-request form in every `[data-privacy-request-form]` element of the
//! page: the edge renders its markup in the visitor's language (`GET
//! /api/shops/<shop>/form`, fetched by the loader in parallel with this module),
//! this module puts it in place and enhances it: validation as the visitor goes,
//! the error summary, sending, "Try again" and the acknowledgement. (Owned by the
//! form work; the entry in `lib.rs` only calls [`mount_all`].)
//!
//! The form lives in the light DOM, not in a shadow root: `<label for>`, the error
//! summary's links to fields, browser autofill and the shop's own form styles then
//! work as everywhere else on the page. The few styles it brings are
//! zero-specificity (`:where`) and adopted as a constructed sheet (not subject to a
//! CSP's `style-src`), so the shop's rules win. This module only forwards events;
//! the decisions are in [`model`], the markup's parts in [`markup`], the traffic
//! with the edge in [`net`].

use crate::prelude::*;

mod markup;
mod model;
mod net;
mod text;

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use js_sys::{JsString, Reflect};
use protocol::{Lang, Right};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, HtmlElement};

use crate::dom::{append, append_text, attr, el};

use model::{FormError, FormField, FormValues, Reply};
use net::{accepted_from, error_from, hide, join, post, random_key, set_text, value_of};

/// The mount points (`[data-privacy-request-form]`) and the page's headings.
const MOUNTS_AND_HEADINGS: &str = "[data-privacy-request-form],h1,h2,h3,h4,h5,h6";
/// Set on a mount point once rendered, so a second `mount_all` leaves it alone.
const MOUNTED_ATTR: &str = "data-pd-mounted";
/// Cloudflare Turnstile's script. It renders every `.cf-turnstile` element once
/// loaded and puts the token into a hidden `cf-turnstile-response` input there,
/// so the form needs no callbacks. A shop with a CSP allows
/// `https://challenges.cloudflare.com` in `script-src` and `frame-src`.
const TURNSTILE_SCRIPT: &str = "https://challenges.cloudflare.com/turnstile/v0/api.js";

/// How many forms the page has.
static MOUNTED: Local<Cell<u32>> = Local(Cell::new(0));

/// Puts the form into every mount point on the page once the loader's fetch of its
/// markup (`markup`, a promise of the HTML or `undefined`: it never rejects) has
/// settled and the page is parsed. Without markup (the edge unreachable, an unknown
/// shop) the mount points keep what the shop put there. `api_base` is the edge
/// origin (no trailing slash), `shop` the shop id from `data-shop`.
pub fn mount_all(
    markup: &JsValue,
    api_base: String,
    shop: String,
    lang: protocol::Lang,
    turnstile: Option<String>,
) {
    // The loader calls this once the page is parsed, so the mount points are there.
    let ready = crate::dom::once(move |markup: JsValue| {
        if let Ok(markup) = markup.dyn_into::<JsString>() {
            mount(&markup, &api_base, &shop, lang, turnstile.as_deref());
        }
    });
    if markup.is_object() {
        net::then(markup, &ready, &JsValue::UNDEFINED);
    }
}

fn mount(markup: &JsString, api_base: &str, shop: &str, lang: Lang, turnstile: Option<&str>) {
    // A one-language build shows (and sends) its own language: the loader chose it
    // by the same rule as `lang`.
    let lang = text::shown(lang);
    let document = net::document();
    let root: Element = crate::dom::get(&document, "documentElement").unchecked_into();
    // The mount points and the headings in document order: the last heading before
    // a form is the one its own headings nest under.
    let Ok(nodes) = root.query_selector_all(MOUNTS_AND_HEADINGS) else {
        return;
    };
    let url = join(&[api_base, "/api/requests"]);
    let mut heading = None;
    for i in 0..nodes.length() {
        let Some(node) = nodes.item(i) else {
            continue;
        };
        let host: Element = node.unchecked_into();
        let tag = crate::dom::string(&host, "tagName").unwrap_or_default();
        if let Some(level) = model::heading_level(&tag) {
            heading = Some(level);
            continue;
        }
        if host.get_attribute(MOUNTED_ATTR).is_some() {
            continue;
        }
        attr(&host, MOUNTED_ATTR, "");
        let number = MOUNTED.with(|count| {
            count.set(count.get() + 1);
            count.get()
        });
        markup::insert(&host, markup, number, heading);
        if number == 1 {
            markup::adopt_styles(&host);
        }
        let form = Form::new(&host, number, &url, shop, lang);
        if let Some(sitekey) = turnstile {
            form.add_turnstile(&document, sitekey, number == 1);
        }
        Form::listen(&form);
    }
}

#[derive(Default)]
struct Session {
    /// Made once per filled form and reused on every attempt.
    idempotency_key: Option<String>,
    /// The last body sent, for "Try again".
    body: Option<String>,
    sending: bool,
}

/// One form. It keeps its mount point and finds the parts of the edge's markup
/// there when it needs them (see [`markup`]) rather than holding a handle to each.
struct Form {
    lang: Lang,
    shop: String,
    url: String,
    /// The mount point: the form and its acknowledgement.
    host: Element,
    /// `pd-rf<n>-`, the start of every id of the page's `n`th form.
    prefix: String,
    session: RefCell<Session>,
}

impl Form {
    /// Adds the Turnstile container before the submit button; the first form also
    /// loads Turnstile's script, which renders every container once loaded.
    fn add_turnstile(&self, document: &Document, sitekey: &str, load_script: bool) {
        let container = el(document, "div", "cf-turnstile");
        attr(&container, "data-sitekey", sitekey);
        attr(&container, "data-language", self.lang.code());
        let _ = self
            .part("form")
            .insert_before(&container, Some(&self.part(".pd-rf-submit")));
        if load_script {
            let script = el(document, "script", "");
            attr(&script, "src", TURNSTILE_SCRIPT);
            attr(&script, "async", "");
            let head: Element = crate::dom::get(document, "head").unchecked_into();
            let _ = head.append_child(&script);
        }
    }

    /// The token Turnstile left in its container, if any.
    fn turnstile_token(&self) -> Option<String> {
        let input = self
            .host
            .query_selector(".cf-turnstile [name=\"cf-turnstile-response\"]")
            .ok()??;
        Some(value_of(&input)).filter(|token| !token.is_empty())
    }

    /// A token is single-use: after the edge refused one, Turnstile issues a new one.
    fn reset_turnstile(&self) {
        let Ok(Some(container)) = self.host.query_selector(".cf-turnstile") else {
            return;
        };
        let turnstile = net::global("turnstile");
        if let Ok(reset) = Reflect::get(&turnstile, &JsValue::from_str("reset")) {
            if let Some(reset) = reset.dyn_ref::<js_sys::Function>() {
                let _ = reset.call1(&turnstile, &container);
            }
        }
    }

    /// The form's listeners, for as long as the page lives: each holds the form
    /// and is never removed, so nothing else needs to keep either.
    fn listen(this: &Rc<Form>) {
        let on = |target: &Element, event: &str, handler: fn(&Rc<Form>, &Event)| {
            let form = this.clone();
            let callback = crate::dom::callback(move |event: JsValue| {
                handler(&form, event.unchecked_ref());
                JsValue::UNDEFINED
            });
            let _ =
                target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
            callback.forget();
        };
        let form = this.part("form");
        on(&form, "submit", |form, event| {
            event.prevent_default();
            form.submit();
        });
        on(&form, "change", |form, event| form.changed(event));
        on(&this.part(".pd-rf-summary"), "click", |form, event| {
            form.summary_clicked(event)
        });
        on(&this.part(".pd-rf-retry-button"), "click", |form, _| {
            form.retry()
        });
    }

    /// A message the edge put into the form's attribute `name` (`data-...`).
    fn said(&self, name: &str) -> String {
        self.part("form").get_attribute(name).unwrap_or_default()
    }

    fn values(&self) -> FormValues {
        let text = |field| value_of(&self.control(field));
        FormValues {
            right: self.selected_right(),
            name: text(FormField::Name),
            email: text(FormField::Email),
            order_number: text(FormField::OrderNumber),
            details: text(FormField::Details),
            confirm_true: crate::dom::is(&self.control(FormField::ConfirmTrue), "checked"),
        }
    }

    /// The radios are in the order of `Right::ALL`.
    fn selected_right(&self) -> Option<Right> {
        let radios = self.view(FormField::Right).controls;
        Right::ALL
            .into_iter()
            .zip(0..)
            .find(|(_, i)| {
                radios
                    .item(*i)
                    .is_some_and(|radio| crate::dom::is(&radio, "checked"))
            })
            .map(|(right, _)| right)
    }

    /// Inline validation as the visitor leaves a changed field.
    fn changed(&self, event: &Event) {
        let Some(field) = field_of(event) else {
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
            if self
                .view(FormField::Details)
                .wrapper
                .get_attribute("data-invalid")
                .is_some()
            {
                let problem = model::field_problem(&values, FormField::Details, self.lang);
                self.show_field_error(FormField::Details, problem.as_ref());
            }
        }
    }

    fn update_details_requirement(&self, right: Option<Right>) {
        let required = right.is_some_and(Right::requires_details);
        let optional = self
            .view(FormField::Details)
            .wrapper
            .query_selector(".pd-rf-optional");
        if let Ok(Some(optional)) = optional {
            hide(&optional, required);
        }
        let details = self.control(FormField::Details);
        if required {
            attr(&details, "required", "");
        } else {
            let _ = details.remove_attribute("required");
        }
    }

    fn submit(self: &Rc<Self>) {
        if self.session.borrow().sending {
            return;
        }
        let key = self.idempotency_key();
        match model::checked_request(&self.values(), &self.shop, self.lang, &key) {
            Err(errors) => self.show_errors(&errors),
            Ok(mut request) => {
                let honeypot = self.host.query_selector("[name=website]").ok().flatten();
                request.honeypot = honeypot
                    .map(|trap| value_of(&trap))
                    .filter(|v| !v.is_empty());
                request.turnstile_token = self.turnstile_token();
                let body = crate::core::json::rights_request(&request);
                self.clear_errors();
                self.send(body);
            }
        }
    }

    fn retry(self: &Rc<Self>) {
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

    fn send(self: &Rc<Self>, body: String) {
        {
            let mut session = self.session.borrow_mut();
            session.sending = true;
            session.body = Some(body.clone());
        }
        hide(&self.part(".pd-rf-retry"), true);
        set_text(&self.part(".pd-rf-status"), &self.said("data-sending"));
        attr(&self.part(".pd-rf-submit"), "aria-disabled", "true");
        let form = self.clone();
        post(&self.url, &body, move |outcome| form.finish(outcome));
    }

    fn finish(&self, outcome: Result<(u16, JsValue), JsValue>) {
        self.session.borrow_mut().sending = false;
        let _ = self.part(".pd-rf-submit").remove_attribute("aria-disabled");
        set_text(&self.part(".pd-rf-status"), "");
        let Ok((status, json)) = outcome else {
            self.offer_retry(&self.said("data-network-error"));
            return;
        };
        match model::classify(status) {
            Reply::Accepted => match accepted_from(&json) {
                Some(accepted) => self.show_success(&accepted),
                // An answer we cannot read: the same key makes a retry safe.
                None => self.offer_retry(&self.said("data-server-error")),
            },
            Reply::Rejected => {
                self.reset_turnstile();
                self.show_errors(&[error_from(&json, &self.said("data-rejected"))]);
            }
            Reply::Retry => {
                self.offer_retry(&error_from(&json, &self.said("data-server-error")).message)
            }
        }
    }

    fn offer_retry(&self, message: &str) {
        set_text(&self.part(".pd-rf-retry-message"), message);
        hide(&self.part(".pd-rf-retry"), false);
        focus(&self.part(".pd-rf-retry-button"));
    }

    fn clear_errors(&self) {
        for field in FormField::ALL {
            self.show_field_error(field, None);
        }
        hide(&self.part(".pd-rf-summary"), true);
        set_text(&self.part(".pd-rf-summary-list"), "");
    }

    /// Marks each field's first error inline and lists all of them in the summary,
    /// which takes the focus.
    fn show_errors(&self, errors: &[FormError]) {
        self.clear_errors();
        let doc = net::document();
        let list = self.part(".pd-rf-summary-list");
        for (i, error) in errors.iter().enumerate() {
            let item = el(&doc, "li", "");
            match error.field {
                Some(field) => {
                    if !errors
                        .iter()
                        .take(i)
                        .any(|earlier| earlier.field == error.field)
                    {
                        self.show_field_error(field, Some(error));
                    }
                    let link = el(&doc, "a", "");
                    let target = id_of(&self.control(field));
                    attr(&link, "href", &join(&["#", target.as_str()]));
                    attr(&link, "data-field", field.wire_name());
                    append_text(&link, &error.message);
                    append(&item, &link);
                }
                None => append_text(&item, &error.message),
            }
            append(&list, &item);
        }
        hide(&self.part(".pd-rf-retry"), true);
        let summary = self.part(".pd-rf-summary");
        hide(&summary, false);
        focus(&summary);
    }

    fn show_field_error(&self, field: FormField, error: Option<&FormError>) {
        let view = self.view(field);
        let invalid = error.is_some();
        set_text(&view.error, error.map_or("", |error| &error.message));
        hide(&view.error, !invalid);
        // The hint's id is always part of `aria-describedby`, the error's while it shows.
        let mut described = view.hint_id;
        if invalid {
            attr(&view.wrapper, "data-invalid", "");
            if !described.is_empty() {
                described.push(' ');
            }
            described.push_str(&id_of(&view.error));
        } else {
            let _ = view.wrapper.remove_attribute("data-invalid");
        }
        for i in 0..view.controls.length() {
            if let Some(control) = view
                .controls
                .item(i)
                .map(|control| control.unchecked_into::<Element>())
            {
                if invalid {
                    attr(&control, "aria-invalid", "true");
                } else {
                    let _ = control.remove_attribute("aria-invalid");
                }
            }
        }
        if described.is_empty() {
            let _ = view.described.remove_attribute("aria-describedby");
        } else {
            attr(&view.described, "aria-describedby", &described);
        }
    }

    /// A summary link focuses its field (and shows its label) instead of only
    /// scrolling to it.
    fn summary_clicked(&self, event: &Event) {
        let Some(field) = field_of(event) else {
            return;
        };
        event.prevent_default();
        focus(&self.control(field));
        self.view(field).wrapper.scroll_into_view();
    }
}

/// The field named by the `data-field` of the event's target.
fn field_of(event: &Event) -> Option<FormField> {
    let target: Element = event.target()?.unchecked_into();
    FormField::from_wire(&target.get_attribute("data-field")?)
}

/// An element's `id`.
fn id_of(element: &Element) -> String {
    crate::dom::string(element, "id").unwrap_or_default()
}

/// Moves the focus to `element` (an HTML element).
fn focus(element: &Element) {
    let _ = element.unchecked_ref::<HtmlElement>().focus();
}
