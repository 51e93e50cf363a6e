//! The owner page and the requester's verification page as server-rendered HTML:
//! plain forms, no script, one stylesheet (so `default-src 'none'` holds), labels
//! on every control, headings and landmarks for keyboard and screen-reader users.
//! Every text is an exhaustive `match` per language.

use protocol::{Lang, Right};

use crate::config::Shops;
use crate::http::form::encode_component;
use maud::{html, Markup, PreEscaped};

use crate::owner::case::{self, Filter, Row, StatusFilter, VerifyOutcome};
use crate::store::Status;
use crate::time::{Date, Timestamp};

pub use super::detail::{detail, Flash};
pub use super::texts::{action_error, status_label};
use super::texts::{t, T};

/// Content-Security-Policy of every page rendered here.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The stylesheet, served by the Worker at `/admin/admin.css`.
pub const STYLESHEET: &str = include_str!("admin.css");

/// What every owner page needs besides its content.
pub struct Chrome<'a> {
    pub lang: Lang,
    /// The current path and query with `lang=en` / `lang=nl` set, for the toggle.
    pub self_en: &'a str,
    pub self_nl: &'a str,
    /// Signed in (shows "Sign out").
    pub signed_in: bool,
}

/// Who a page is for: the owner's pages link the brand to the list; the
/// requester's pages have no owner link at all.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Audience {
    Owner,
    Requester,
}

fn page(chrome: &Chrome, title: &str, main: Markup, audience: Audience) -> String {
    let lang = chrome.lang;
    let brand = t(lang, T::Brand);
    let current = |l: Lang| (l == lang).then_some("true");
    let signed_in = chrome.signed_in && audience == Audience::Owner;
    let markup = html! {
        // A constant, the one thing here that is not escaped.
        (PreEscaped("<!doctype html>\n"))
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                link rel="icon" href="/favicon.svg";
                title { (title) " · " (brand) }
                link rel="stylesheet" href="/admin/admin.css";
            }
            body {
                header class="top" {
                    p class="brand" {
                        @if audience == Audience::Owner {
                            a href="/admin/" { (brand) }
                        } @else {
                            (brand)
                        }
                    }
                    nav aria-label=(t(lang, T::LangNav)) {
                        ul class="langs" {
                            li { a href=(chrome.self_en) lang="en" hreflang="en" aria-current=[current(Lang::En)] { "English" } }
                            li { a href=(chrome.self_nl) lang="nl" hreflang="nl" aria-current=[current(Lang::Nl)] { "Nederlands" } }
                        }
                    }
                    @if signed_in {
                        form method="post" action="/admin/logout" class="signout" {
                            button type="submit" { (t(lang, T::SignOut)) }
                        }
                    }
                }
                main id="main" { (main) }
            }
        }
    };
    let mut out = markup.into_string();
    out.push('\n');
    out
}

/// An owner page.
pub(crate) fn owner_page(chrome: &Chrome, title: &str, main: Markup) -> String {
    page(chrome, title, main, Audience::Owner)
}

/// A page for the requester (verification, status): the same chrome as the owner
/// page without owner navigation, only the language toggle.
pub(crate) fn requester_page(chrome: &Chrome, title: &str, main: Markup) -> String {
    page(chrome, title, main, Audience::Requester)
}

/// Why the login page is shown again (or, for the secret, shown with a warning).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LoginProblem {
    WrongSecret,
    /// `ADMIN_TOKEN` is missing or shorter than 32 characters: nothing is accepted.
    WeakSecret,
    /// The name typed is one of the automatic actors' ("system", ...).
    ReservedName,
}

pub fn login(chrome: &Chrome, problem: Option<LoginProblem>) -> String {
    let lang = chrome.lang;
    let text = problem.map(|problem| match problem {
        LoginProblem::WrongSecret => T::WrongSecret,
        LoginProblem::WeakSecret => T::WeakSecret,
        LoginProblem::ReservedName => T::ReservedName,
    });
    let blames = |field: LoginProblem| (problem == Some(field)).then_some("login-error");
    let invalid = |field: LoginProblem| (problem == Some(field)).then_some("true");
    let main = html! {
        h1 { (t(lang, T::SignInTitle)) }
        p { (t(lang, T::SignInIntro)) }
        @if let Some(text) = text {
            p class="error" role="alert" id="login-error" { (t(lang, text)) }
        }
        form method="post" action="/admin/login" class="stack" {
            div class="field" {
                label for="token" { (t(lang, T::Secret)) }
                input id="token" name="token" type="password" autocomplete="current-password" required
                    aria-describedby=[blames(LoginProblem::WrongSecret)]
                    aria-invalid=[invalid(LoginProblem::WrongSecret)];
            }
            div class="field" {
                label for="actor" { (t(lang, T::YourName)) }
                input id="actor" name="actor" type="text" autocomplete="name" maxlength="60"
                    aria-describedby={ "actor-hint" @if let Some(id) = blames(LoginProblem::ReservedName) { " " (id) } }
                    aria-invalid=[invalid(LoginProblem::ReservedName)];
                p class="hint" id="actor-hint" { (t(lang, T::YourNameHint)) }
            }
            button type="submit" { (t(lang, T::SignIn)) }
        }
    };
    owner_page(chrome, t(lang, T::SignInTitle), main)
}

fn option(value: &str, label: &str, selected: bool) -> Markup {
    html! { option value=(value) selected[selected] { (label) } }
}

/// The request list with its filter form and export links.
pub fn list(chrome: &Chrome, shops: &Shops, filter: &Filter, rows: &[Row], today: Date) -> String {
    let lang = chrome.lang;
    let all = t(lang, T::All);
    let shop_query = filter
        .shop
        .as_deref()
        .map(|s| format!("?shop={}", encode_component(s)))
        .unwrap_or_default();
    let row_markup = |row: &Row| {
        let shop_name = shops
            .get(&row.shop)
            .map(|s| s.name.as_str())
            .unwrap_or(&row.shop);
        let href = format!(
            "/admin/requests/{}/{}",
            encode_component(&row.shop),
            row.reference
        );
        html! {
            tr {
                th scope="row" { a href=(href) { (row.reference) } }
                td { (shop_name) }
                td { (row.meta.right.label(lang)) }
                td { (long_date(&row.meta.received, lang)) }
                td { (long_date(&row.meta.due_date, lang)) }
                td {
                    (status_label(lang, row.meta.status))
                    @if case::is_overdue(&row.meta, today) {
                        " " span class="badge overdue" { (t(lang, T::Overdue)) }
                    }
                    @if row.meta.status == Status::Received && !row.meta.email_verified {
                        " " span class="badge" { (t(lang, T::EmailUnverified)) }
                    }
                    @if row.meta.extended {
                        " " span class="badge" { (t(lang, T::Extended)) }
                    }
                }
            }
        }
    };
    let main = html! {
        h1 { (t(lang, T::ListTitle)) }
        form method="get" action="/admin/" class="filters" aria-labelledby="filters-title" {
            h2 id="filters-title" { (t(lang, T::Filters)) }
            div class="row" {
                div class="field" {
                    label for="f-shop" { (t(lang, T::Shop)) }
                    select id="f-shop" name="shop" {
                        (option("", all, filter.shop.is_none()))
                        @for shop in shops.iter() {
                            (option(&shop.id, &shop.name, filter.shop.as_deref() == Some(shop.id.as_str())))
                        }
                    }
                }
                div class="field" {
                    label for="f-status" { (t(lang, T::Status)) }
                    select id="f-status" name="status" {
                        (option("", all, filter.status.is_none()))
                        (option("open", t(lang, T::Open), filter.status == Some(StatusFilter::Open)))
                        (option("closed", t(lang, T::Closed), filter.status == Some(StatusFilter::Closed)))
                        @for status in Status::ALL.into_iter().skip(1) {
                            (option(status.code(), status_label(lang, status), filter.status == Some(StatusFilter::Is(status))))
                        }
                    }
                }
                div class="field" {
                    label for="f-type" { (t(lang, T::Type)) }
                    select id="f-type" name="type" {
                        (option("", all, filter.right.is_none()))
                        @for right in Right::ALL {
                            (option(right.code(), right.label(lang), filter.right == Some(right)))
                        }
                    }
                }
                div class="field check" {
                    input id="f-overdue" name="overdue" type="checkbox" value="1" checked[filter.overdue];
                    label for="f-overdue" { (t(lang, T::OverdueOnly)) }
                }
                button type="submit" { (t(lang, T::Apply)) }
            }
        }
        @if rows.is_empty() {
            p class="empty" { (t(lang, T::NoMatches)) }
        } @else {
            div class="scroll" role="region" aria-labelledby="list-caption" tabindex="0" {
                table {
                    caption id="list-caption" { (t(lang, T::ListTitle)) " (" (rows.len()) ")" }
                    thead {
                        tr {
                            th scope="col" { (t(lang, T::Reference)) }
                            th scope="col" { (t(lang, T::Shop)) }
                            th scope="col" { (t(lang, T::Type)) }
                            th scope="col" { (t(lang, T::Received)) }
                            th scope="col" { (t(lang, T::Due)) }
                            th scope="col" { (t(lang, T::Status)) }
                        }
                    }
                    tbody {
                        @for row in rows { (row_markup(row)) }
                    }
                }
            }
        }
        section aria-labelledby="export-title" {
            h2 id="export-title" { (t(lang, T::Export)) }
            ul class="exports" {
                li { a href={ "/api/admin/export/requests.json" (shop_query) } { (t(lang, T::ExportJson)) } }
                li { a href={ "/api/admin/export/requests.csv" (shop_query) } { (t(lang, T::ExportCsv)) } }
                li { a href={ "/api/admin/export/consent.csv" (shop_query) } { (t(lang, T::ExportConsent)) } }
            }
        }
    };
    owner_page(chrome, t(lang, T::ListTitle), main)
}

/// `24 November 2026` / `24 november 2026` from `YYYY-MM-DD` or an RFC 3339 time
/// (as given when it is neither).
pub(crate) fn long_date(iso: &str, lang: Lang) -> String {
    Date::parse_iso(iso.get(..10).unwrap_or(iso))
        .map(|d| d.long(lang))
        .unwrap_or_else(|| iso.to_owned())
}

/// `24 November 2026, 09:05 UTC`.
pub(crate) fn long_time(rfc3339: &str, lang: Lang) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{}, {time} UTC", long_date(day, lang)),
        _ => rfc3339.to_owned(),
    }
}

/// A page with a heading and one message (not found, and the like).
pub fn message(chrome: &Chrome, not_found: bool) -> String {
    let lang = chrome.lang;
    let text = t(lang, if not_found { T::NotFound } else { T::Done });
    let main = html! {
        p class="back" { a href="/admin/" { (t(lang, T::Back)) } }
        h1 { (text) }
    };
    owner_page(chrome, text, main)
}

/// The status of the verification page showing `outcome`: one for every failure.
pub fn verify_page_status(outcome: VerifyOutcome) -> u16 {
    match outcome {
        VerifyOutcome::Verified | VerifyOutcome::AlreadyVerified => 200,
        VerifyOutcome::Expired | VerifyOutcome::Invalid => 404,
    }
}

/// The requester's verification page: a button (so that a mail scanner opening
/// the link does not verify), or the outcome. It shows only what the link
/// carried, never anything looked up.
pub fn verify_page(
    chrome: &Chrome,
    reference: &str,
    token: &str,
    outcome: Option<VerifyOutcome>,
) -> String {
    let lang = chrome.lang;
    let action = format!("/verify?lang={}", lang.code());
    let main = html! {
        h1 { (t(lang, T::VerifyTitle)) }
        @match outcome {
            None => {
                p { (t(lang, T::VerifyIntro)) " (" (reference) ")." }
                form method="post" action=(action) {
                    input type="hidden" name="ref" value=(reference);
                    input type="hidden" name="token" value=(token);
                    button type="submit" { (t(lang, T::VerifyButton)) }
                }
            }
            Some(outcome) => {
                @let (class, text) = match outcome {
                    VerifyOutcome::Verified => ("ok", T::VerifyDone),
                    VerifyOutcome::AlreadyVerified => ("ok", T::VerifyAlready),
                    VerifyOutcome::Expired | VerifyOutcome::Invalid => ("error", T::VerifyInvalid),
                };
                p class=(class) role="status" { (t(lang, text)) }
            }
        }
    };
    requester_page(chrome, t(lang, T::VerifyTitle), main)
}

/// The page a page route answers when it refuses or fails: the code's message in
/// the visitor's language, and the stable code (as the API's JSON carries it).
pub fn error_page(lang: Lang, error: &protocol::ApiError) -> String {
    let chrome = Chrome {
        lang,
        self_en: "?lang=en",
        self_nl: "?lang=nl",
        signed_in: false,
    };
    let main = html! {
        h1 { (error.error.message) }
        p class="error" role="alert" { code { (error.error.code.code()) } }
    };
    requester_page(&chrome, &error.error.message, main)
}

/// `path?query` with `lang=` set to `lang` (other parameters kept, in order).
pub fn with_lang(path: &str, query: &crate::http::form::Form, lang: Lang) -> String {
    let mut pairs: Vec<String> = query
        .pairs()
        .iter()
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect();
    pairs.push(format!("lang={}", lang.code()));
    format!("{path}?{}", pairs.join("&"))
}

/// Today's date from `now`.
pub fn today(now: Timestamp) -> Date {
    now.date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::form::Form;

    #[test]
    fn escaping() {
        let chrome = Chrome {
            lang: Lang::Nl,
            self_en: "/admin/?lang=en",
            self_nl: "/admin/?lang=nl",
            signed_in: false,
        };
        let html = verify_page(&chrome, "PR-1\"<script>", "t\"><b>", None);
        // maud escapes text and attribute values (`'` needs none: attributes are
        // always double-quoted).
        let shop = verify_page(&chrome, "<a href=\"x\">'&'</a>", "t", None);
        assert!(
            shop.contains("&lt;a href=&quot;x&quot;&gt;'&amp;'&lt;/a&gt;"),
            "{shop}"
        );
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("<html lang=\"nl\">"));
        assert!(html.contains("Bevestig uw e-mailadres"));
        assert!(
            !html.contains("href=\"/admin/\""),
            "the requester sees no owner links"
        );
    }

    #[test]
    fn lang_links() {
        let query = Form::parse("status=open&lang=en&shop=demo+nl");
        assert_eq!(
            with_lang("/admin/", &query, Lang::Nl),
            "/admin/?status=open&shop=demo%20nl&lang=nl"
        );
        assert_eq!(
            with_lang("/admin/", &Form::default(), Lang::En),
            "/admin/?lang=en"
        );
    }

    #[test]
    fn login_page() {
        let chrome = Chrome {
            lang: Lang::En,
            self_en: "/admin/login?lang=en",
            self_nl: "/admin/login?lang=nl",
            signed_in: false,
        };
        let html = login(&chrome, Some(LoginProblem::WrongSecret));
        assert!(html.contains("role=\"alert\""));
        let weak = login(&chrome, Some(LoginProblem::WeakSecret));
        assert!(
            weak.contains("at least 32 characters")
                && weak.contains("npx wrangler secret put ADMIN_TOKEN")
        );
        let reserved = login(&chrome, Some(LoginProblem::ReservedName));
        assert!(
            reserved.contains("aria-describedby=\"actor-hint login-error\""),
            "{reserved}"
        );
        assert!(html.contains("type=\"password\""));
        assert!(!html.contains("<script"));
        assert!(!html.contains("style="), "no inline styles under the CSP");
    }
}
