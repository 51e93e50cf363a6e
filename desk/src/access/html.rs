//! The answer's HTML: the "Answer" section of the owner's request page (prepare,
//! the known-customer badge, the draft, send) and the requester's download pages.
//! maud escapes every value.

use answer::Package;
use maud::{html, Markup};
use protocol::Lang;

use super::texts::{a, A};
use super::{gets_package, Draft, DraftSource};
use crate::config::Shop;
use crate::http::form::encode_component;
use crate::owner::case::CaseEvent;
use crate::owner::html::{long_date, requester_page, Chrome};
use crate::owner::texts::{event_label, intake_label};
use crate::store::StoredRequest;

fn request_url(record: &StoredRequest) -> String {
    format!(
        "/admin/requests/{}/{}",
        encode_component(&record.shop),
        encode_component(&record.reference)
    )
}

fn section(lang: Lang, body: Markup) -> Markup {
    html! {
        section aria-labelledby="answer-title" class="answer" {
            h2 id="answer-title" { (a(lang, A::Heading)) }
            (body)
        }
    }
}

/// The requester has not confirmed their address yet.
pub(crate) fn not_yet(lang: Lang) -> Markup {
    section(lang, html! { p class="hint" { (a(lang, A::NotYet)) } })
}

fn consent_field(lang: Lang) -> Markup {
    html! {
        div class="field" {
            label for="answer-consent-id" { (a(lang, A::ConsentId)) }
            input id="answer-consent-id" name="consent_id" type="text" maxlength="64"
                autocomplete="off" aria-describedby="answer-consent-help";
            p class="hint" id="answer-consent-help" { (a(lang, A::ConsentIdHelp)) }
        }
    }
}

/// The form that prepares an answer: a Shopify look-up, or an order export upload.
fn prepare_form(lang: Lang, shop: &Shop, record: &StoredRequest, again: bool) -> Markup {
    let url = request_url(record);
    html! {
        @if shop.shopify.is_some() {
            p class="hint" id="answer-prepare-help" { (a(lang, A::PrepareShopifyHelp)) }
            form method="post" action=(url) class="stack" {
                input type="hidden" name="action" value="prepare_answer";
                (consent_field(lang))
                button type="submit" aria-describedby="answer-prepare-help" {
                    (a(lang, if again { A::PrepareAgain } else { A::PrepareShopify }))
                }
            }
        } @else {
            p class="hint" id="answer-prepare-help" { (a(lang, A::PrepareUploadHelp)) }
            form method="post" action={ (url) "/upload" } enctype="multipart/form-data" class="stack" {
                div class="field" {
                    label for="answer-orders" { (a(lang, A::OrdersFile)) }
                    input id="answer-orders" name="orders" type="file" accept=".csv,text/csv" required;
                }
                (consent_field(lang))
                button type="submit" aria-describedby="answer-prepare-help" {
                    (a(lang, if again { A::PrepareAgain } else { A::PrepareUpload }))
                }
            }
        }
    }
}

/// No draft yet: how to prepare one.
pub(crate) fn prepare(lang: Lang, shop: &Shop, record: &StoredRequest) -> Markup {
    section(lang, prepare_form(lang, shop, record, false))
}

/// The prepared draft: who the requester is on the platform, what they will get,
/// and the button that sends it (or the editable reply).
pub(crate) fn draft(
    lang: Lang,
    shop: &Shop,
    record: &StoredRequest,
    draft: &Draft,
    package: Option<&Package>,
    reply: Option<String>,
) -> Markup {
    let url = request_url(record);
    let badge = match (draft.source, draft.known_customer) {
        (DraftSource::Shopify, true) => A::KnownCustomer,
        (DraftSource::Shopify, false) => A::UnknownCustomer,
        (DraftSource::OrderExport, true) => A::KnownInExport,
        (DraftSource::OrderExport, false) => A::UnknownInExport,
    };
    let body = html! {
        p class={ "badge" @if draft.known_customer { " known" } } id="answer-customer" { (a(lang, badge)) }
        @if draft.orders_limited {
            p class="error" { (a(lang, A::OrdersLimited)) }
        }
        @if draft.found.truncated {
            p class="error" { (a(lang, A::Truncated)) }
        }
        @if gets_package(record.right) {
            @if let Some(package) = package {
                h3 { (a(lang, A::Preview)) }
                @if package.data.is_empty() {
                    p { (a(lang, A::NothingFound)) }
                }
                @for group in &package.data {
                    h4 { (group.label) }
                    table class="answer-data" {
                        tbody {
                            @for item in &group.items {
                                tr { td { (item.record) } th scope="row" { (item.field) } td { (item.value) } }
                            }
                        }
                    }
                }
                h3 { (a(lang, A::Recipients)) }
                ul class="answer-recipients" {
                    @for recipient in &package.recipients {
                        li { strong { (recipient.name) } " – " (recipient.role) " (" (recipient.country) ")" }
                    }
                }
                p class="hint" id="answer-send-help" { (a(lang, A::SendPackageHelp)) }
                form method="post" action=(url) class="stack" {
                    input type="hidden" name="action" value="send_answer";
                    button type="submit" aria-describedby="answer-send-help" { (a(lang, A::SendPackage)) }
                }
            } @else {
                p class="error" { (super::texts::Problem::NoProcessing.message(lang)) }
            }
        } @else if let Some(reply) = reply {
            p class="hint" id="answer-reply-help" { (a(lang, A::SendReplyHelp)) }
            form method="post" action=(url) class="stack" {
                input type="hidden" name="action" value="complete";
                div class="field" {
                    label for="answer-reply" { (a(lang, A::Reply)) }
                    textarea id="answer-reply" name="text" rows="14" maxlength="4000"
                        aria-describedby="answer-reply-help" { (reply) }
                }
                button type="submit" { (a(lang, A::SendReply)) }
            }
        }
        details {
            summary { (a(lang, A::PrepareAgain)) }
            (prepare_form(lang, shop, record, true))
        }
    };
    section(lang, body)
}

/// A request's history as (date, what happened) pairs in `lang`, oldest first.
pub(crate) fn history(
    lang: Lang,
    record: &StoredRequest,
    events: &[CaseEvent],
) -> Vec<(String, String)> {
    let mut moments: Vec<(String, String)> = record
        .events
        .iter()
        .map(|e| (e.at.clone(), intake_label(lang, e.kind).to_owned()))
        .chain(
            events
                .iter()
                .map(|e| (e.at.clone(), event_label(lang, e.kind).to_owned())),
        )
        .collect();
    moments.sort();
    moments
        .into_iter()
        .map(|(at, label)| (long_date(&at, lang), label))
        .collect()
}

/// The requester's page behind a download link: their address is asked for (and,
/// after a failure, the same message whatever went wrong).
pub(crate) fn access_form(chrome: &Chrome, token: &str, failed: bool) -> String {
    let lang = chrome.lang;
    let main = html! {
        h1 { (a(lang, A::AccessTitle)) }
        @if failed {
            p class="error" role="alert" { (a(lang, A::LinkFailed)) }
        }
        p { (a(lang, A::AccessIntro)) }
        form method="post" action={ "/access?lang=" (lang.code()) } class="stack" {
            input type="hidden" name="t" value=(token);
            div class="field" {
                label for="access-email" { (a(lang, A::Email)) }
                input id="access-email" name="email" type="email" autocomplete="email" required;
            }
            button type="submit" { (a(lang, A::Open)) }
        }
    };
    requester_page(chrome, a(lang, A::AccessTitle), main)
}
