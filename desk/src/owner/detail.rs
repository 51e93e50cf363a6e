//! A request's page for the owner: its details, the actions still possible (as
//! plain forms) and one history of intake and owner-side events.

use maud::{html, Markup};
use protocol::Lang;

use super::case::{self, ActionError, CaseEvent};
use super::html::{long_date, long_time, owner_page, Chrome};
use super::texts::{action_error, event_label, intake_label, status_label, t, T};
use crate::http::form::encode_component;
use crate::store::{self, Status, StoredRequest};
use crate::time::Date;

/// A message shown above the detail page after an action.
pub enum Flash {
    Done,
    DoneMailPending,
    Error(ActionError),
    /// Why an answer could not be prepared or sent, in the owner's language.
    Problem(String),
}

/// One entry of a request's history, intake and owner side alike.
struct Moment {
    at: String,
    actor: String,
    label: String,
    text: Option<String>,
}

/// One timeline: the intake's own events and the owner-side ones, by time.
fn timeline(lang: Lang, record: &StoredRequest, events: &[CaseEvent]) -> Vec<Moment> {
    let mut timeline: Vec<Moment> = record
        .events
        .iter()
        .map(|e| Moment {
            at: e.at.clone(),
            // The request itself is the requester's act; mail attempts are the system's.
            actor: t(
                lang,
                if e.kind == store::EventKind::Received {
                    T::Requester
                } else {
                    T::System
                },
            )
            .to_owned(),
            label: intake_label(lang, e.kind).to_owned(),
            text: None,
        })
        .collect();
    for e in events {
        let actor = match e.actor.as_str() {
            case::SYSTEM => t(lang, T::System).to_owned(),
            case::REQUESTER => t(lang, T::Requester).to_owned(),
            name => name.to_owned(),
        };
        let mut label = event_label(lang, e.kind).to_owned();
        if let Some(due) = &e.due_date {
            label.push_str(": ");
            label.push_str(&long_date(due, lang));
        }
        timeline.push(Moment {
            at: e.at.clone(),
            actor,
            label,
            text: e.text.clone(),
        });
    }
    timeline.sort_by(|a, b| a.at.cmp(&b.at));
    timeline
}

/// One of the detail page's action forms.
struct ActionForm<'a> {
    id: &'a str,
    action: &'a str,
    title: T,
    help: Option<T>,
    fields: Markup,
    button: T,
}

fn action_form(lang: Lang, url: &str, form: ActionForm) -> Markup {
    let ActionForm {
        id,
        action,
        title,
        help,
        fields,
        button,
    } = form;
    html! {
        section class="action" aria-labelledby={ (id) "-title" } {
            h3 id={ (id) "-title" } { (t(lang, title)) }
            @if let Some(help) = help {
                p class="hint" id={ (id) "-help" } { (t(lang, help)) }
            }
            form method="post" action=(url) class="stack" {
                input type="hidden" name="action" value=(action);
                (fields)
                button type="submit" { (t(lang, button)) }
            }
        }
    }
}

/// The text field of an action form; `help` names the hint it is described by.
fn textarea(lang: Lang, id: &str, label: T, required: bool, help: Option<&str>) -> Markup {
    html! {
        div class="field" {
            label for=(id) { (t(lang, label)) }
            textarea id=(id) name="text" rows="3" maxlength="4000" required[required] aria-describedby=[help] {}
        }
    }
}

/// One request with its history and the actions that are still possible.
pub fn detail(
    chrome: &Chrome,
    shop_name: &str,
    record: &StoredRequest,
    events: &[CaseEvent],
    flash: Option<Flash>,
    today: Date,
    answer: Markup,
) -> String {
    let lang = chrome.lang;
    let yes_no = |b: bool| t(lang, if b { T::Yes } else { T::No });
    let open = record.status == Status::Received;
    let overdue = open && Date::parse_iso(&record.due_date).is_some_and(|d| today > d);
    let when = |at: &Option<String>| match at {
        Some(at) => format!("{} ({})", yes_no(true), long_time(at, lang)),
        None => yes_no(false).to_owned(),
    };
    let email_verified = match &record.case.email {
        None => t(lang, T::NotRequired).to_owned(),
        Some(check) => when(&check.verified_at),
    };
    let due = html! {
        (long_date(&record.due_date, lang))
        @if let Some(original) = &record.case.original_due_date {
            " (" (t(lang, T::OriginalDue)) " " (long_date(original, lang)) ")"
        }
        @if overdue {
            " " span class="badge overdue" { (t(lang, T::Overdue)) }
        }
    };
    let rows: [(T, Markup); 11] = [
        (T::Shop, html! { (shop_name) }),
        (T::Type, html! { (record.right.label(lang)) }),
        (T::Status, html! { (status_label(lang, record.status)) }),
        (
            T::Received,
            html! { (long_time(&record.received_at, lang)) },
        ),
        (T::Due, due),
        (T::EmailVerified, html! { (email_verified) }),
        (
            T::IdentityVerified,
            html! { (when(&record.case.identity_verified_at)) },
        ),
        (T::Name, html! { (record.name) }),
        (T::Email, html! { (record.email) }),
        (
            T::OrderNumber,
            html! { (record.order_number.as_deref().unwrap_or("-")) },
        ),
        (T::Language, html! { (record.lang.code()) }),
    ];
    let url = format!(
        "/admin/requests/{}/{}",
        encode_component(&record.shop),
        encode_component(&record.reference)
    );
    let form = |form: ActionForm| action_form(lang, &url, form);
    let title = format!("{} {}", t(lang, T::RequestTitle), record.reference);
    let main = html! {
        p class="back" { a href="/admin/" { (t(lang, T::Back)) } }
        h1 { (title) }
        @match flash {
            None => {}
            Some(Flash::Done) => p class="ok" role="status" { (t(lang, T::Done)) },
            Some(Flash::DoneMailPending) => p class="error" role="alert" { (t(lang, T::Done)) " " (t(lang, T::MailNotSent)) },
            Some(Flash::Error(error)) => p class="error" role="alert" { (action_error(lang, error)) },
            Some(Flash::Problem(text)) => p class="error" role="alert" { (text) },
        }
        section aria-labelledby="details-title" {
            h2 id="details-title" { (t(lang, T::Details)) }
            dl class="details" {
                @for (key, value) in rows {
                    div { dt { (t(lang, key)) } dd { (value) } }
                }
                @if let Some(text) = &record.details {
                    div class="wide" { dt { (t(lang, T::Text)) } dd class="text" { (text) } }
                }
            }
        }
        (answer)
        section aria-labelledby="actions-title" {
            h2 id="actions-title" { (t(lang, T::Actions)) }
            @if open {
                @if record.case.identity_verified_at.is_none() {
                    (form(ActionForm {
                        id: "identity",
                        action: "verify_identity",
                        title: T::VerifyIdentityTitle,
                        help: Some(T::VerifyIdentityHelp),
                        fields: html! {},
                        button: T::VerifyIdentityButton,
                    }))
                }
                @if record.case.original_due_date.is_none() && !overdue {
                    (form(ActionForm {
                        id: "extend",
                        action: "extend",
                        title: T::ExtendTitle,
                        help: Some(T::ExtendHelp),
                        fields: html! {
                            fieldset {
                                legend { (t(lang, T::ExtendTitle)) }
                                div class="check" {
                                    input type="radio" id="months-1" name="months" value="1" required;
                                    label for="months-1" { (t(lang, T::OneMonth)) }
                                }
                                div class="check" {
                                    input type="radio" id="months-2" name="months" value="2";
                                    label for="months-2" { (t(lang, T::TwoMonths)) }
                                }
                            }
                            (textarea(lang, "extend-text", T::Reason, true, Some("extend-help")))
                        },
                        button: T::ExtendButton,
                    }))
                }
                (form(ActionForm {
                    id: "complete",
                    action: "complete",
                    title: T::CompleteTitle,
                    help: Some(T::CompleteHelp),
                    fields: textarea(lang, "complete-text", T::MessageOptional, false, Some("complete-help")),
                    button: T::CompleteButton,
                }))
                (form(ActionForm {
                    id: "refuse",
                    action: "refuse",
                    title: T::RefuseTitle,
                    help: Some(T::RefuseHelp),
                    fields: textarea(lang, "refuse-text", T::Reason, true, Some("refuse-help")),
                    button: T::RefuseButton,
                }))
            } @else {
                p { (t(lang, T::ClosedNote)) }
            }
            (form(ActionForm {
                id: "note",
                action: "note",
                title: T::NoteTitle,
                help: None,
                fields: textarea(lang, "note-text", T::Note, true, None),
                button: T::NoteButton,
            }))
        }
        section aria-labelledby="history-title" {
            h2 id="history-title" { (t(lang, T::History)) }
            ol class="history" {
                @for moment in timeline(lang, record, events) {
                    li {
                        p {
                            time datetime=(moment.at) { (long_time(&moment.at, lang)) }
                            " · " (moment.actor) " · "
                            strong { (moment.label) }
                        }
                        @if let Some(text) = &moment.text {
                            p class="text" { (text) }
                        }
                    }
                }
            }
        }
    };
    owner_page(chrome, &title, main)
}
