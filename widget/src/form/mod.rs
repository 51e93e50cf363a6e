//! The rights-request form, rendered into every `[data-privacy-request-form]`
//! element of the page. (Owned by the form work; the entry in `lib.rs` only calls
//! [`mount_all`].)
//!
//! The form lives in the light DOM, not in a shadow root: `<label for>`, the error
//! summary's links to fields, browser autofill and the shop's own form styles then
//! work as everywhere else on the page. The few styles it brings are
//! zero-specificity (`:where`) and adopted as a constructed sheet (not subject to a
//! CSP's `style-src`), so the shop's rules win. This module only renders and
//! forwards events; the decisions are in [`model`].

use crate::prelude::*;

mod model;
mod text;

use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};

use js_sys::Reflect;
use protocol::{Lang, RequestAccepted, Right};
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, Event, HtmlElement, HtmlInputElement, Node, Response};

use crate::dom::{append, append_text, attr, el, El, Listener};

use model::{FormError, FormField, FormValues, Reply};
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
    fn render(
        document: &Document,
        host: &Element,
        number: u32,
        preceding_heading: Option<u8>,
        url: &str,
        shop: &str,
        lang: Lang,
    ) -> Rc<Form> {
        let doc = document;
        let mut prefix = String::from("pd-rf");
        model::push_decimal(&mut prefix, number);
        let id = |suffix: &str| join(&[prefix.as_str(), "-", suffix]);

        // Error summary: filled and focused on a failed submit.
        let summary_title_id = id("summary-title");
        let (mut summary, mut summary_list) = (None, None);
        let form: Element = El::new(doc, "form")
            .class("pd-rf")
            .attr("novalidate", "")
            .attr("lang", lang.code())
            .child(
                El::new(doc, "p")
                    .class("pd-rf-intro")
                    .text(Text::Intro.get(lang)),
            )
            .child(
                El::new(doc, "div")
                    .class("pd-rf-summary")
                    .attr("role", "alert")
                    .attr("tabindex", "-1")
                    .attr("aria-labelledby", &summary_title_id)
                    .child(
                        El::new(doc, model::heading_tag(preceding_heading, 1))
                            .class("pd-rf-summary-title")
                            .attr("id", &summary_title_id)
                            .text(Text::SummaryTitle.get(lang)),
                    )
                    .child(
                        El::new(doc, "ul")
                            .class("pd-rf-summary-list")
                            .keep(&mut summary_list),
                    )
                    .hidden(true)
                    .keep(&mut summary),
            )
            .into();
        let summary: HtmlElement = summary.unwrap_throw().unchecked_into();
        let summary_list = summary_list.unwrap_throw();

        // The right: a radio group in a fieldset.
        let right_error = error_element(doc, &id("right-error"));
        let mut group = El::new(doc, "fieldset")
            .class("pd-rf-field pd-rf-group")
            .child(
                El::new(doc, "legend")
                    .class("pd-rf-label")
                    .text(Text::RightLegend.get(lang)),
            )
            .child(right_error.clone());
        let group_name = id("right");
        let mut radios = Vec::with_capacity(Right::ALL.len());
        for right in Right::ALL {
            let radio_id = id(&join(&["right-", right.code()]));
            let mut radio = None;
            group = group.child(
                El::new(doc, "div")
                    .class("pd-rf-option")
                    .child(
                        El::new(doc, "input")
                            .class("pd-rf-radio")
                            .attr("type", "radio")
                            .attr("id", &radio_id)
                            .attr("name", &group_name)
                            .attr("value", right.code())
                            .attr("required", "")
                            .attr("data-field", FormField::Right.wire_name())
                            .keep(&mut radio),
                    )
                    .child(
                        El::new(doc, "label")
                            .class("pd-rf-option-label")
                            .attr("for", &radio_id)
                            .text(right.label(lang)),
                    ),
            );
            radios.push(radio.unwrap_throw().unchecked_into::<HtmlInputElement>());
        }
        let group: Element = group.into();
        append(&form, &group);
        let first_radio: HtmlElement = radios.first().cloned().unwrap_throw().unchecked_into();
        let right_view = FieldView {
            wrapper: group.clone(),
            error: right_error,
            described: group,
            hint_id: String::new(),
            error_id: id("right-error"),
            controls: radios
                .iter()
                .map(|radio| radio.clone().unchecked_into())
                .collect(),
            focus: first_radio,
        };

        let spec = |field, label, hint, may_be_optional, kind| TextSpec {
            field,
            label,
            hint,
            may_be_optional,
            kind,
        };
        let name = text_field(
            doc,
            &form,
            &prefix,
            lang,
            spec(
                FormField::Name,
                Text::NameLabel,
                Text::NameHint,
                false,
                TextControl::Input("text", "name"),
            ),
        );
        let email = text_field(
            doc,
            &form,
            &prefix,
            lang,
            spec(
                FormField::Email,
                Text::EmailLabel,
                Text::EmailHint,
                false,
                TextControl::Input("email", "email"),
            ),
        );
        attr(&email.focus, "spellcheck", "false");
        let order_number = text_field(
            doc,
            &form,
            &prefix,
            lang,
            spec(
                FormField::OrderNumber,
                Text::OrderNumberLabel,
                Text::OrderNumberHint,
                true,
                TextControl::Input("text", "off"),
            ),
        );
        let details = text_field(
            doc,
            &form,
            &prefix,
            lang,
            spec(
                FormField::Details,
                Text::DetailsLabel,
                Text::DetailsHint,
                true,
                TextControl::TextArea,
            ),
        );
        let (name_control, email_control) = (name.focus.clone(), email.focus.clone());
        let (order_control, details_control) = (order_number.focus.clone(), details.focus.clone());
        let details_optional = details.optional.clone().unwrap_throw();

        // The truth confirmation.
        let confirm_id = id(FormField::ConfirmTrue.wire_name());
        let confirm_error_id = join(&[confirm_id.as_str(), "-error"]);
        let confirm_error = error_element(doc, &confirm_error_id);
        let mut confirm = None;
        let check_outer: Element = El::new(doc, "div")
            .class("pd-rf-field")
            .child(confirm_error.clone())
            .child(
                El::new(doc, "div")
                    .class("pd-rf-field pd-rf-check")
                    .child(
                        El::new(doc, "input")
                            .class("pd-rf-checkbox")
                            .attr("type", "checkbox")
                            .attr("id", &confirm_id)
                            .attr("required", "")
                            .attr("data-field", FormField::ConfirmTrue.wire_name())
                            .keep(&mut confirm),
                    )
                    .child(
                        El::new(doc, "label")
                            .class("pd-rf-check-label")
                            .attr("for", &confirm_id)
                            .text(Text::ConfirmLabel.get(lang)),
                    ),
            )
            .into();
        let confirm = confirm.unwrap_throw();
        append(&form, &check_outer);
        let confirm_view = FieldView {
            wrapper: check_outer,
            error: confirm_error,
            described: confirm.clone(),
            hint_id: String::new(),
            error_id: confirm_error_id,
            controls: vec![confirm.clone()],
            focus: confirm.clone().unchecked_into(),
        };
        let fields = [
            right_view,
            name.view,
            email.view,
            order_number.view,
            details.view,
            confirm_view,
        ];

        // The honeypot, the submit button, the status line and "Try again".
        let trap_id = id("website");
        let (mut honeypot, mut submit, mut status) = (None, None, None);
        let (mut retry, mut retry_message, mut retry_button) = (None, None, None);
        let rest = [
            El::new(doc, "div")
                .class("pd-rf-hp")
                .attr("aria-hidden", "true")
                .child(
                    El::new(doc, "label")
                        .attr("for", &trap_id)
                        .text(Text::HoneypotLabel.get(lang)),
                )
                .child(
                    El::new(doc, "input")
                        .attr("type", "text")
                        .attr("id", &trap_id)
                        .attr("name", "website")
                        .attr("tabindex", "-1")
                        .attr("autocomplete", "off")
                        .keep(&mut honeypot),
                ),
            El::new(doc, "button")
                .class("pd-rf-submit")
                .attr("type", "submit")
                .text(Text::Submit.get(lang))
                .keep(&mut submit),
            El::new(doc, "p")
                .class("pd-rf-status")
                .attr("role", "status")
                .keep(&mut status),
            El::new(doc, "div")
                .class("pd-rf-retry")
                .attr("role", "alert")
                .child(
                    El::new(doc, "p")
                        .class("pd-rf-retry-message")
                        .keep(&mut retry_message),
                )
                .child(
                    El::new(doc, "button")
                        .class("pd-rf-retry-button")
                        .attr("type", "button")
                        .text(Text::TryAgain.get(lang))
                        .keep(&mut retry_button),
                )
                .hidden(true)
                .keep(&mut retry),
        ];
        for part in rest {
            append(&form, &part.into());
        }
        let (honeypot, submit, status) = (
            honeypot.unwrap_throw(),
            submit.unwrap_throw(),
            status.unwrap_throw(),
        );
        let retry: HtmlElement = retry.unwrap_throw().unchecked_into();
        let (retry_message, retry_button) =
            (retry_message.unwrap_throw(), retry_button.unwrap_throw());

        let success: HtmlElement = El::new(doc, "div")
            .class("pd-rf-success")
            .attr("tabindex", "-1")
            .attr("lang", lang.code())
            .hidden(true)
            .0
            .unchecked_into();

        // Whatever the shop put there (a no-JavaScript fallback) makes way for the form.
        host.replace_children_with_node_0();
        append(host, &form);
        append(host, &success);

        Rc::new_cyclic(|me| Form {
            me: me.clone(),
            lang,
            shop: shop.to_owned(),
            url: url.to_owned(),
            document: document.clone(),
            form: form.unchecked_into(),
            summary,
            summary_list,
            radios,
            name: name_control.unchecked_into(),
            email: email_control.unchecked_into(),
            order_number: order_control.unchecked_into(),
            details: details_control.unchecked_into(),
            details_optional,
            confirm: confirm.unchecked_into(),
            honeypot,
            turnstile: RefCell::new(None),
            fields,
            preceding_heading,
            submit,
            status,
            retry,
            retry_message,
            retry_button,
            success,
            session: RefCell::new(Session::default()),
            listeners: RefCell::new(Vec::new()),
        })
    }

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
            confirm_true: self.confirm.checked(),
        }
    }

    fn selected_right(&self) -> Option<Right> {
        Right::ALL
            .into_iter()
            .zip(&self.radios)
            .find(|(_, radio)| radio.checked())
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
        self.details_optional.set_hidden(required);
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
        self.retry.set_hidden(true);
        self.status
            .set_text_content(Some(Text::Sending.get(self.lang)));
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
        self.status.set_text_content(None);
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
        self.retry_message.set_text_content(Some(message));
        self.retry.set_hidden(false);
        if let Ok(button) = self.retry_button.clone().dyn_into::<HtmlElement>() {
            let _ = button.focus();
        }
    }

    fn clear_errors(&self) {
        for field in FormField::ALL {
            self.show_field_error(field, None);
        }
        self.summary.set_hidden(true);
        self.summary_list.replace_children_with_node_0();
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
        self.retry.set_hidden(true);
        self.summary.set_hidden(false);
        let _ = self.summary.focus();
    }

    fn show_field_error(&self, field: FormField, error: Option<&FormError>) {
        let view = &self.fields[field.index()];
        match error {
            Some(error) => {
                view.error.set_text_content(Some(&error.message));
                view.error.set_hidden(false);
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
                view.error.set_text_content(None);
                view.error.set_hidden(true);
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

    fn show_success(&self, accepted: &RequestAccepted) {
        let doc = &self.document;
        let lang = self.lang;
        let success = &self.success;
        success.replace_children_with_node_0();

        let title = el(
            doc,
            model::heading_tag(self.preceding_heading, 1),
            "pd-rf-success-title",
        );
        append_text(&title, Text::SuccessTitle.get(lang));
        append(success, &title);

        let reference = el(doc, "p", "pd-rf-reference");
        append_text(&reference, Text::ReferenceBefore.get(lang));
        let strong = el(doc, "strong", "");
        append_text(&strong, &accepted.reference);
        append(&reference, &strong);
        append_text(&reference, Text::ReferenceAfter.get(lang));
        append(success, &reference);

        let due = el(doc, "p", "pd-rf-due");
        append_text(&due, Text::DueBefore.get(lang));
        let strong = el(doc, "strong", "");
        let date = model::format_date(&accepted.due_date, lang)
            .unwrap_or_else(|| accepted.due_date.clone());
        append_text(&strong, &date);
        append(&due, &strong);
        append_text(&due, Text::DueAfter.get(lang));
        append(success, &due);

        let next_title = el(
            doc,
            model::heading_tag(self.preceding_heading, 2),
            "pd-rf-next-title",
        );
        append_text(&next_title, Text::NextTitle.get(lang));
        append(success, &next_title);
        let next = el(doc, "ul", "pd-rf-next");
        for step in [
            Text::NextConfirmation,
            Text::NextIdentity,
            Text::NextKnownAddress,
            Text::NextExtension,
        ] {
            let item = el(doc, "li", "");
            append_text(&item, step.get(lang));
            append(&next, &item);
        }
        append(success, &next);

        let status = el(doc, "p", "pd-rf-status-link");
        let link = el(doc, "a", "");
        attr(
            &link,
            "href",
            &model::status_url(&self.url, &accepted.reference, lang),
        );
        append_text(&link, Text::StatusLink.get(lang));
        append(&status, &link);
        append(success, &status);

        self.form.set_hidden(true);
        success.set_hidden(false);
        let _ = success.focus();
    }
}

/// The kind of control of a text field.
enum TextControl {
    /// `<input>` with its `type` and `autocomplete`.
    Input(&'static str, &'static str),
    TextArea,
}

struct TextField {
    view: FieldView,
    focus: HtmlElement,
    /// The "(optional)" marker in the label, for fields that may be optional.
    optional: Option<HtmlElement>,
}

/// What distinguishes one text field from another.
struct TextSpec {
    field: FormField,
    label: Text,
    hint: Text,
    /// May stay empty (always, or depending on the right): gets an "(optional)" marker.
    may_be_optional: bool,
    kind: TextControl,
}

/// Label, hint, error and control of one text field, appended to `form`.
fn text_field(
    doc: &Document,
    form: &Element,
    prefix: &str,
    lang: Lang,
    spec: TextSpec,
) -> TextField {
    let TextSpec {
        field,
        label: label_text,
        hint: hint_text,
        may_be_optional,
        kind,
    } = spec;
    let id = join(&[prefix, "-", field.wire_name()]);
    let hint_id = join(&[id.as_str(), "-hint"]);
    let error_id = join(&[id.as_str(), "-error"]);

    let mut optional = None;
    let mut label = El::new(doc, "label")
        .class("pd-rf-label")
        .attr("for", &id)
        .text(label_text.get(lang));
    if may_be_optional {
        label = label.child(
            El::new(doc, "span")
                .class("pd-rf-optional")
                .text(Text::Optional.get(lang))
                .keep(&mut optional),
        );
    }
    let optional = optional.map(|marker| marker.unchecked_into::<HtmlElement>());
    let error = error_element(doc, &error_id);
    let mut control = match kind {
        TextControl::Input(input_type, autocomplete) => El::new(doc, "input")
            .class("pd-rf-input")
            .attr("type", input_type)
            .attr("autocomplete", autocomplete),
        TextControl::TextArea => El::new(doc, "textarea")
            .class("pd-rf-input")
            .attr("rows", "5"),
    }
    .attr("id", &id)
    .attr("name", field.wire_name())
    .attr("data-field", field.wire_name())
    .attr("aria-describedby", &hint_id);
    if !may_be_optional {
        control = control.attr("required", "");
    }
    let control = control.0;
    let wrapper: Element = El::new(doc, "div")
        .class("pd-rf-field")
        .child(label)
        .child(
            El::new(doc, "p")
                .class("pd-rf-hint")
                .attr("id", &hint_id)
                .text(hint_text.get(lang)),
        )
        .child(error.clone())
        .child(control.clone())
        .into();
    append(form, &wrapper);

    let focus: HtmlElement = control.clone().unchecked_into();
    TextField {
        view: FieldView {
            wrapper,
            error,
            described: control.clone(),
            hint_id,
            error_id,
            controls: vec![control],
            focus: focus.clone(),
        },
        focus,
        optional,
    }
}

fn error_element(doc: &Document, id: &str) -> HtmlElement {
    El::new(doc, "p")
        .class("pd-rf-error")
        .attr("id", id)
        .hidden(true)
        .0
        .unchecked_into()
}

/// POSTs the JSON body and hands `done` the status and the parsed JSON body
/// (`undefined` if it is not JSON); `Err` only when no HTTP answer arrived at all.
/// Promise callbacks, not futures: the module carries no async runtime.
fn post(url: &str, body: &str, done: impl FnOnce(Result<(u16, JsValue), JsValue>) + 'static) {
    let headers = crate::dom::object(&[("content-type", &"application/json".into())]);
    let init = crate::dom::object(&[
        ("method", &"POST".into()),
        ("mode", &"cors".into()),
        ("body", &body.into()),
        ("headers", &headers),
    ]);
    let window = web_sys::window().unwrap_throw();
    let fetched: JsValue = window
        .fetch_with_str_and_init(url, init.unchecked_ref())
        .into();
    // Exactly one of the two runs; whichever does takes `done`.
    let done = Rc::new(Cell::new(Some(done)));
    let failed = done.clone();
    let on_response = crate::dom::once(move |response: JsValue| {
        let response: Response = response.unchecked_into();
        let status = response.status();
        let finish = move |json: JsValue| {
            if let Some(done) = done.take() {
                done(Ok((status, json)));
            }
        };
        match response.json() {
            Ok(json) => {
                // A body that is not JSON (a proxy's error page) is the same as no body.
                let finish = Rc::new(Cell::new(Some(finish)));
                let no_json = finish.clone();
                let parsed = crate::dom::once(move |json: JsValue| {
                    if let Some(finish) = finish.take() {
                        finish(json);
                    }
                });
                let unparsed = crate::dom::once(move |_: JsValue| {
                    if let Some(finish) = no_json.take() {
                        finish(JsValue::UNDEFINED);
                    }
                });
                crate::dom::then(&json.into(), &parsed, &unparsed);
            }
            Err(_) => finish(JsValue::UNDEFINED),
        }
    });
    let on_error = crate::dom::once(move |error: JsValue| {
        if let Some(done) = failed.take() {
            done(Err(error));
        }
    });
    crate::dom::then(&fetched, &on_response, &on_error);
}

/// The edge's `RequestAccepted`, read with `Reflect` rather than serde (smaller,
/// and a field added later does not break it); `None` without a reference.
fn accepted_from(json: &JsValue) -> Option<RequestAccepted> {
    let reference = string_at(json, "reference").filter(|reference| !reference.is_empty())?;
    Some(RequestAccepted {
        reference,
        due_date: string_at(json, "due_date").unwrap_or_default(),
        status: string_at(json, "status").unwrap_or_default(),
    })
}

/// The edge's `{"error":{"field","message"}}`, read leniently: any error body,
/// even with a code this widget does not know yet, yields a message.
fn error_from(json: &JsValue, fallback: &'static str) -> FormError {
    let error = if json.is_object() {
        Reflect::get(json, &JsValue::from_str("error")).ok()
    } else {
        None
    };
    let error = error.unwrap_or(JsValue::UNDEFINED);
    model::api_error(
        string_at(&error, "field").as_deref(),
        string_at(&error, "message").as_deref(),
        fallback,
    )
}

/// `object[key]` if `object` is an object and the value a string.
fn string_at(object: &JsValue, key: &str) -> Option<String> {
    if !object.is_object() {
        return None;
    }
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .and_then(|value| value.as_string())
}

fn random_key() -> String {
    let mut bytes = [0u8; model::KEY_BYTES];
    let crypto = web_sys::window().unwrap_throw().crypto().unwrap_throw();
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .unwrap_throw();
    model::base64url(&bytes)
}

/// `value` of an input or a textarea.
fn value_of(control: &Element) -> String {
    string_at(control, "value").unwrap_or_default()
}

/// Concatenates `parts` (like `concat`, without its generic join machinery).
fn join(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}
