//! The form's DOM: [`Form::render`] builds the form (error summary, the right's
//! radio group, the text fields, the truth confirmation, honeypot, submit, status
//! and "Try again"), [`Form::show_success`] the acknowledgement that replaces it.

use crate::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use protocol::{Lang, RequestAccepted, Right};
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::model::{self, FormField};
use super::net::{hide, join, set_text};
use super::text::Text;
use super::{FieldView, Form, Session};
use crate::dom::{append, append_text, attr, el, El};

impl Form {
    pub(super) fn render(
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
                            .text(right.label(super::text::shown(lang))),
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
        set_text(host, "");
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

    pub(super) fn show_success(&self, accepted: &RequestAccepted) {
        let doc = &self.document;
        let lang = self.lang;
        let success = &self.success;
        set_text(success, "");

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

        hide(&self.form, true);
        hide(success, false);
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
