//! The requester's status page (`/request-status`), as a pure core: a form for the
//! reference and the e-mail address used (`GET /request-status?ref=&lang=`, so the
//! address can be bookmarked and put in mails), and, after `POST /request-status`
//! with the matching address, where the request stands and what happens next.
//!
//! What it shows is a [`StatusView`], built from the record without its personal
//! fields (name, e-mail, order number, details) and without any owner note or
//! reason, so the page cannot leak them whatever the template does.

use protocol::{Lang, Right};

use crate::http::form::encode_component;
use crate::mail::requester::AP_URL;
use maud::{html, Markup};

use crate::owner::html::{long_date, requester_page, Chrome};
use crate::store::{Status, StoredRequest};
use crate::time::Date;

/// The page's path.
pub const PATH: &str = "/request-status";

/// `/request-status?ref=<ref>&lang=<lang>` (no `ref=` when `reference` is empty).
pub fn status_path(reference: &str, lang: Lang) -> String {
    if reference.is_empty() {
        format!("{PATH}?lang={}", lang.code())
    } else {
        format!(
            "{PATH}?ref={}&lang={}",
            encode_component(reference),
            lang.code()
        )
    }
}

/// The link in the requester's mails: `<origin>/request-status?ref=<ref>&lang=<lang>`.
pub fn status_url(origin: &str, reference: &str, lang: Lang) -> String {
    format!(
        "{}{}",
        origin.trim_end_matches('/'),
        status_path(reference, lang)
    )
}

/// Where a request stands, in the requester's terms.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Progress {
    /// Open; the requester has not confirmed their address (or was never asked to).
    Received,
    /// Open; the requester confirmed their address.
    EmailVerified,
    /// Open; the owner checked the requester's identity.
    IdentityVerified,
    Completed,
    Refused,
    /// Closed because the address was never confirmed.
    ClosedUnverified,
}

impl Progress {
    pub fn of(record: &StoredRequest) -> Progress {
        match record.status {
            Status::Completed => Progress::Completed,
            Status::Refused => Progress::Refused,
            Status::Expired => Progress::ClosedUnverified,
            Status::Received if record.case.identity_verified_at.is_some() => {
                Progress::IdentityVerified
            }
            Status::Received => match &record.case.email {
                Some(check) if check.verified_at.is_some() => Progress::EmailVerified,
                _ => Progress::Received,
            },
        }
    }

    fn is_open(self) -> bool {
        matches!(
            self,
            Progress::Received | Progress::EmailVerified | Progress::IdentityVerified
        )
    }
}

/// Everything the status page may show. No personal data, no owner text.
#[derive(Clone, PartialEq, Eq)]
pub struct StatusView {
    pub reference: String,
    pub shop_name: String,
    pub right: Right,
    /// RFC 3339 time of receipt.
    pub received_at: String,
    /// `YYYY-MM-DD`, after any extension.
    pub due_date: String,
    /// The due date before the extension, if extended.
    pub original_due_date: Option<String>,
    /// RFC 3339 time the request was closed.
    pub closed_at: Option<String>,
    pub progress: Progress,
    /// Open and still waiting for the requester to confirm their address.
    pub awaiting_email: bool,
}

impl StatusView {
    pub fn of(record: &StoredRequest, shop_name: &str) -> StatusView {
        let progress = Progress::of(record);
        StatusView {
            reference: record.reference.clone(),
            shop_name: shop_name.to_owned(),
            right: record.right,
            received_at: record.received_at.clone(),
            due_date: record.due_date.clone(),
            original_due_date: record.case.original_due_date.clone(),
            closed_at: record.case.closed_at.clone(),
            progress,
            awaiting_email: progress == Progress::Received && record.case.awaiting_requester(),
        }
    }
}

#[derive(Clone, Copy)]
enum S {
    Title,
    Intro,
    Reference,
    ReferenceHint,
    Email,
    EmailHint,
    Show,
    NotFound,
    Shop,
    Type,
    Received,
    Due,
    Extended,
    Status,
    Closed,
    Next,
    Bookmark,
    Another,
}

fn s(lang: Lang, key: S) -> &'static str {
    match (lang, key) {
        (Lang::En, S::Title) => "Your privacy request",
        (Lang::En, S::Intro) => "Enter the reference from our e-mail and the e-mail address you used for the request to see where it stands.",
        (Lang::En, S::Reference) => "Reference",
        (Lang::En, S::ReferenceHint) => "For example PR-7KQ4-M2XD-9HTW.",
        (Lang::En, S::Email) => "Your e-mail address",
        (Lang::En, S::EmailHint) => "The address you used for the request. It is only used to find your request.",
        (Lang::En, S::Show) => "Show status",
        (Lang::En, S::NotFound) => "We could not find a request with that reference and e-mail address. Check both and try again.",
        (Lang::En, S::Shop) => "Shop",
        (Lang::En, S::Type) => "Type of request",
        (Lang::En, S::Received) => "Received",
        (Lang::En, S::Due) => "Answer due by",
        (Lang::En, S::Extended) => "extended; originally",
        (Lang::En, S::Status) => "Status",
        (Lang::En, S::Closed) => "Closed",
        (Lang::En, S::Next) => "What happens next",
        (Lang::En, S::Bookmark) => "To check again later, bookmark this link (you will need your e-mail address again):",
        (Lang::En, S::Another) => "Look up another request",
        (Lang::Nl, S::Title) => "Uw privacyverzoek",
        (Lang::Nl, S::Intro) => "Vul het kenmerk uit onze e-mail in en het e-mailadres waarmee u het verzoek deed, dan ziet u hoe het ervoor staat.",
        (Lang::Nl, S::Reference) => "Kenmerk",
        (Lang::Nl, S::ReferenceHint) => "Bijvoorbeeld PR-7KQ4-M2XD-9HTW.",
        (Lang::Nl, S::Email) => "Uw e-mailadres",
        (Lang::Nl, S::EmailHint) => "Het adres waarmee u het verzoek deed. Het wordt alleen gebruikt om uw verzoek te vinden.",
        (Lang::Nl, S::Show) => "Status tonen",
        (Lang::Nl, S::NotFound) => "Wij konden geen verzoek vinden met dat kenmerk en e-mailadres. Controleer beide en probeer het opnieuw.",
        (Lang::Nl, S::Shop) => "Winkel",
        (Lang::Nl, S::Type) => "Soort verzoek",
        (Lang::Nl, S::Received) => "Ontvangen",
        (Lang::Nl, S::Due) => "Antwoord uiterlijk op",
        (Lang::Nl, S::Extended) => "verlengd; oorspronkelijk",
        (Lang::Nl, S::Status) => "Status",
        (Lang::Nl, S::Closed) => "Gesloten",
        (Lang::Nl, S::Next) => "Wat gebeurt er nu",
        (Lang::Nl, S::Bookmark) => "Wilt u later nog eens kijken? Bewaar deze link (u heeft uw e-mailadres dan opnieuw nodig):",
        (Lang::Nl, S::Another) => "Een ander verzoek opzoeken",
    }
}

/// The status in plain words.
pub fn progress_label(lang: Lang, progress: Progress) -> &'static str {
    use Progress as P;
    match (lang, progress) {
        (Lang::En, P::Received) => "Received",
        (Lang::En, P::EmailVerified) => "E-mail address verified, being handled",
        (Lang::En, P::IdentityVerified) => "Identity verified, being handled",
        (Lang::En, P::Completed) => "Completed",
        (Lang::En, P::Refused) => "Refused",
        (Lang::En, P::ClosedUnverified) => "Closed: e-mail address not confirmed in time",
        (Lang::Nl, P::Received) => "Ontvangen",
        (Lang::Nl, P::EmailVerified) => "E-mailadres bevestigd, in behandeling",
        (Lang::Nl, P::IdentityVerified) => "Identiteit gecontroleerd, in behandeling",
        (Lang::Nl, P::Completed) => "Afgehandeld",
        (Lang::Nl, P::Refused) => "Geweigerd",
        (Lang::Nl, P::ClosedUnverified) => "Gesloten: e-mailadres niet op tijd bevestigd",
    }
}

/// "What happens next", one paragraph each.
fn next_steps(lang: Lang, view: &StatusView, today: Date) -> Vec<Markup> {
    let shop = view.shop_name.as_str();
    let due = long_date(&view.due_date, lang);
    let ap = html! { a href=(AP_URL) lang="nl" { "Autoriteit Persoonsgegevens" } };
    let mut out = Vec::new();
    match (lang, view.progress) {
        (Lang::En, Progress::Received) if view.awaiting_email => out.push(html! {
            "We sent you an e-mail with a link to confirm your e-mail address. Please open it: a request whose address is not confirmed is closed. Once you have confirmed it, " (shop) " answers by " (due) "."
        }),
        (Lang::Nl, Progress::Received) if view.awaiting_email => out.push(html! {
            "Wij hebben u een e-mail gestuurd met een link om uw e-mailadres te bevestigen. Open die alstublieft: een verzoek waarvan het adres niet is bevestigd, wordt gesloten. Na uw bevestiging antwoordt " (shop) " uiterlijk op " (due) "."
        }),
        (Lang::En, Progress::Received | Progress::EmailVerified) => out.push(html! {
            (shop) " is handling your request and will answer by " (due) ". Before sending you any personal data, the shop may ask you to show that the request is yours; it only sends data to the e-mail address it knows."
        }),
        (Lang::Nl, Progress::Received | Progress::EmailVerified) => out.push(html! {
            (shop) " behandelt uw verzoek en antwoordt uiterlijk op " (due) ". Voordat de winkel u persoonsgegevens stuurt, kan zij u vragen te laten zien dat het verzoek van u is; gegevens gaan alleen naar het e-mailadres dat zij kent."
        }),
        (Lang::En, Progress::IdentityVerified) => out.push(html! {
            (shop) " has checked that the request is yours and will answer by " (due) ", by e-mail."
        }),
        (Lang::Nl, Progress::IdentityVerified) => out.push(html! {
            (shop) " heeft gecontroleerd dat het verzoek van u is en antwoordt uiterlijk op " (due) ", per e-mail."
        }),
        (Lang::En, Progress::Completed) => out.push(html! {
            (shop) " has handled your request and sent you an e-mail about it. If you have questions, reply to that e-mail."
        }),
        (Lang::Nl, Progress::Completed) => out.push(html! {
            (shop) " heeft uw verzoek afgehandeld en u daarover een e-mail gestuurd. Heeft u vragen? Beantwoord dan die e-mail."
        }),
        (Lang::En, Progress::Refused) => out.push(html! {
            (shop) " cannot grant your request; the e-mail we sent you gives the reason. If you disagree, you have the right to complain to the Dutch data protection authority, the " (ap) ", and to go to court."
        }),
        (Lang::Nl, Progress::Refused) => out.push(html! {
            (shop) " kan uw verzoek niet inwilligen; de reden staat in de e-mail die wij u stuurden. Bent u het daar niet mee eens? Dan kunt u een klacht indienen bij de " (ap) " en naar de rechter stappen."
        }),
        (Lang::En, Progress::ClosedUnverified) => out.push(html! {
            "This request was closed because the e-mail address was not confirmed in time. If you still want it handled, please send the request again."
        }),
        (Lang::Nl, Progress::ClosedUnverified) => out.push(html! {
            "Dit verzoek is gesloten omdat het e-mailadres niet op tijd is bevestigd. Wilt u het toch laten behandelen? Stuur het verzoek dan opnieuw."
        }),
    }
    if view.progress.is_open() && view.original_due_date.is_some() {
        out.push(match lang {
            Lang::En => html! { (shop) " needed more time and extended the period to answer to " (due) ", as the GDPR allows for complex requests (article 12(3)). We sent you an e-mail with the reason." },
            Lang::Nl => html! { (shop) " had meer tijd nodig en heeft de termijn verlengd tot " (due) ", zoals de AVG toestaat bij ingewikkelde verzoeken (artikel 12 lid 3). Wij hebben u een e-mail gestuurd met de reden." },
        });
    }
    let overdue =
        view.progress.is_open() && Date::parse_iso(&view.due_date).is_some_and(|d| today > d);
    if overdue {
        out.push(match lang {
            Lang::En => html! { "The answer is late. You can remind " (shop) " by replying to one of its e-mails, or complain to the " (ap) "." },
            Lang::Nl => html! { "Het antwoord is te laat. U kunt " (shop) " een herinnering sturen door op een van haar e-mails te antwoorden, of een klacht indienen bij de " (ap) "." },
        });
    }
    out
}

fn form(lang: Lang, reference: &str, email: &str, not_found: bool) -> Markup {
    let invalid = not_found.then_some("true");
    let error_id = if not_found { " status-error" } else { "" };
    html! {
        @if not_found {
            p class="error" role="alert" id="status-error" { (s(lang, S::NotFound)) }
        }
        form method="post" action=(PATH) class="stack" {
            input type="hidden" name="lang" value=(lang.code());
            div class="field" {
                label for="ref" { (s(lang, S::Reference)) }
                input id="ref" name="ref" type="text" value=(reference) required maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby={ "ref-hint" (error_id) } aria-invalid=[invalid];
                p class="hint" id="ref-hint" { (s(lang, S::ReferenceHint)) }
            }
            div class="field" {
                label for="email" { (s(lang, S::Email)) }
                input id="email" name="email" type="email" value=(email) required maxlength="254" autocomplete="email" spellcheck="false" aria-describedby={ "email-hint" (error_id) } aria-invalid=[invalid];
                p class="hint" id="email-hint" { (s(lang, S::EmailHint)) }
            }
            button type="submit" { (s(lang, S::Show)) }
        }
    }
}

/// The form: reference prefilled from the link; with `not_found`, the one answer
/// for an unknown reference and a wrong address alike, and what was typed kept.
pub fn form_page(chrome: &Chrome, reference: &str, email: &str, not_found: bool) -> String {
    let lang = chrome.lang;
    let main = html! {
        h1 { (s(lang, S::Title)) }
        p { (s(lang, S::Intro)) }
        (form(lang, reference, email, not_found))
    };
    requester_page(chrome, s(lang, S::Title), main)
}

/// Where the request stands and what happens next.
pub fn result_page(chrome: &Chrome, view: &StatusView, today: Date) -> String {
    let lang = chrome.lang;
    let due = html! {
        (long_date(&view.due_date, lang))
        @if let Some(original) = &view.original_due_date {
            " (" (s(lang, S::Extended)) " " (long_date(original, lang)) ")"
        }
    };
    let mut rows = vec![
        (S::Reference, html! { (view.reference) }),
        (S::Shop, html! { (view.shop_name) }),
        (S::Type, html! { (view.right.label(lang)) }),
        (S::Received, html! { (long_date(&view.received_at, lang)) }),
        (S::Due, due),
        (
            S::Status,
            html! { strong { (progress_label(lang, view.progress)) } },
        ),
    ];
    if let (false, Some(closed)) = (view.progress.is_open(), &view.closed_at) {
        rows.push((S::Closed, html! { (long_date(closed, lang)) }));
    }
    let link = status_path(&view.reference, lang);
    let main = html! {
        h1 { (s(lang, S::Title)) }
        dl class="details" {
            @for (key, value) in rows {
                div { dt { (s(lang, key)) } dd { (value) } }
            }
        }
        section aria-labelledby="next-title" {
            h2 id="next-title" { (s(lang, S::Next)) }
            @for paragraph in next_steps(lang, view, today) {
                p { (paragraph) }
            }
        }
        p { (s(lang, S::Bookmark)) " " a href=(link) { (view.reference) } }
        p { a href={ (PATH) "?lang=" (lang.code()) } { (s(lang, S::Another)) } }
    };
    let title = format!("{} {}", s(lang, S::Title), view.reference);
    requester_page(chrome, &title, main)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate_shops, ShopEntry};
    use crate::owner::case::{self, Action, EmailCheck};
    use crate::store::new_request;
    use crate::time::Timestamp;
    use protocol::NewRightsRequest;

    const NOW: Timestamp = Timestamp(1_795_511_103_042); // 2026-11-24

    fn record() -> StoredRequest {
        let json = r#"[{"id":"demo-en","name":"Mount & Co","privacy_contact":"privacy@mountandco.example","policy_version":"1",
             "languages":["en"],"retention_days":730,"privacy_policy_url":"/p"}]"#;
        let entries: Vec<ShopEntry> = serde_json::from_str(json).unwrap();
        let shops = validate_shops(entries).unwrap();
        let request: NewRightsRequest = serde_json::from_str(
            r#"{"shop":"demo-en","right":"erasure","name":"Anna Secretname","email":"anna.secret@example.nl",
                "order_number":"ORD-SECRET-9","details":"Secret details here","confirm_true":true,"lang":"en",
                "idempotency_key":"k7Yt2QmZp9wXc4Rb"}"#,
        )
        .unwrap();
        let mut record = new_request(
            request,
            shops.get("demo-en").unwrap(),
            "PR-7KQ4-M2XD-9HTW".into(),
            NOW,
        );
        record.case.email = Some(EmailCheck {
            token_hash: Some("x".into()),
            expires_at: "2026-12-01T09:05:03.042Z".into(),
            verified_at: None,
        });
        record
    }

    fn chrome(lang: Lang) -> Chrome<'static> {
        Chrome {
            lang,
            self_en: "/request-status?lang=en",
            self_nl: "/request-status?lang=nl",
            signed_in: false,
        }
    }

    fn act(record: &mut StoredRequest, action: Action) {
        case::apply(record, action, "Olivia", NOW).unwrap();
    }

    /// Each state of a request: its wording in both languages and what comes next.
    #[test]
    fn each_status_in_plain_words() {
        let received = record();
        let mut email_verified = record();
        email_verified.case.email.as_mut().unwrap().verified_at = Some(NOW.rfc3339());
        let mut identity = email_verified.clone();
        act(&mut identity, Action::VerifyIdentity);
        let mut completed = email_verified.clone();
        act(
            &mut completed,
            Action::Complete {
                message: Some("OWNER MESSAGE".into()),
            },
        );
        let mut refused = email_verified.clone();
        act(
            &mut refused,
            Action::Refuse {
                reason: "OWNER REASON".into(),
            },
        );
        let mut expired = record();
        case::expire_unverified(&mut expired, NOW).unwrap();
        let mut old = record();
        old.case.email = None;
        let today = NOW.date();
        for (record, progress, en, nl, next_en, next_nl) in [
            (
                &received,
                Progress::Received,
                "Received",
                "Ontvangen",
                "link to confirm your e-mail address",
                "link om uw e-mailadres te bevestigen",
            ),
            (
                &old,
                Progress::Received,
                "Received",
                "Ontvangen",
                "is handling your request and will answer by 24 December 2026",
                "antwoordt uiterlijk op 24 december 2026",
            ),
            (
                &email_verified,
                Progress::EmailVerified,
                "E-mail address verified",
                "E-mailadres bevestigd",
                "will answer by 24 December 2026",
                "uiterlijk op 24 december 2026",
            ),
            (
                &identity,
                Progress::IdentityVerified,
                "Identity verified",
                "Identiteit gecontroleerd",
                "checked that the request is yours",
                "gecontroleerd dat het verzoek van u is",
            ),
            (
                &completed,
                Progress::Completed,
                "Completed",
                "Afgehandeld",
                "has handled your request",
                "heeft uw verzoek afgehandeld",
            ),
            (
                &refused,
                Progress::Refused,
                "Refused",
                "Geweigerd",
                "Autoriteit Persoonsgegevens",
                "Autoriteit Persoonsgegevens",
            ),
            (
                &expired,
                Progress::ClosedUnverified,
                "Closed: e-mail address not confirmed in time",
                "Gesloten: e-mailadres niet op tijd bevestigd",
                "send the request again",
                "Stuur het verzoek dan opnieuw",
            ),
        ] {
            assert_eq!(Progress::of(record), progress);
            let view = StatusView::of(record, "Mount & Co");
            for (lang, label, next) in [(Lang::En, en, next_en), (Lang::Nl, nl, next_nl)] {
                let html = result_page(&chrome(lang), &view, today);
                assert!(progress_label(lang, progress).starts_with(label));
                assert!(
                    html.contains(&format!("<strong>{}", label)),
                    "{progress:?} {}: {html}",
                    lang.code()
                );
                assert!(
                    html.contains(next),
                    "{progress:?} {}: {next:?} missing in {html}",
                    lang.code()
                );
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
                assert!(html.contains("PR-7KQ4-M2XD-9HTW"));
                assert!(html.contains("Mount &amp; Co"));
                assert!(html.contains(match lang {
                    Lang::En => "24 November 2026",
                    Lang::Nl => "24 november 2026",
                }));
                // No personal data, no owner text, no owner navigation.
                for secret in [
                    "Secretname",
                    "anna.secret",
                    "ORD-SECRET",
                    "Secret details",
                    "OWNER",
                    "/admin/\"",
                ] {
                    assert!(!html.contains(secret), "{secret} leaked: {html}");
                }
                assert!(!html.contains("<script") && !html.contains("style="));
            }
        }
    }

    #[test]
    fn extension_and_overdue() {
        let mut record = record();
        record.case.email.as_mut().unwrap().verified_at = Some(NOW.rfc3339());
        act(
            &mut record,
            Action::Extend {
                months: 2,
                reason: "OWNER REASON".into(),
            },
        );
        let view = StatusView::of(&record, "Mount & Co");
        let html = result_page(&chrome(Lang::En), &view, NOW.date());
        assert!(
            html.contains("24 February 2027 (extended; originally 24 December 2026)"),
            "{html}"
        );
        assert!(html.contains("article 12(3)"));
        assert!(!html.contains("OWNER REASON") && !html.contains("The answer is late"));
        let nl = result_page(&chrome(Lang::Nl), &view, NOW.date());
        assert!(
            nl.contains("24 februari 2027 (verlengd; oorspronkelijk 24 december 2026)"),
            "{nl}"
        );
        let late = Date::parse_iso("2027-02-25").unwrap();
        assert!(result_page(&chrome(Lang::En), &view, late).contains("The answer is late"));
        // Closed requests are never late.
        let mut done = record.clone();
        act(&mut done, Action::Complete { message: None });
        let html = result_page(&chrome(Lang::En), &StatusView::of(&done, "M"), late);
        assert!(!html.contains("The answer is late"));
        assert!(
            html.contains("<dt>Closed</dt><dd>24 November 2026</dd>"),
            "{html}"
        );
    }

    #[test]
    fn form_escapes_and_keeps_what_was_typed() {
        for lang in [Lang::En, Lang::Nl] {
            let html = form_page(
                &chrome(lang),
                "PR-\"><script>x</script>",
                "a\"@<b>.nl",
                true,
            );
            assert!(
                !html.contains("<script>x") && !html.contains("<b>"),
                "{html}"
            );
            assert!(html.contains("value=\"PR-&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""));
            assert!(html.contains("role=\"alert\""));
            assert!(html.contains("aria-invalid=\"true\""));
            assert!(html.contains("<label for=\"email\">"));
            assert!(html.contains("type=\"email\""));
            assert!(html.contains(&format!("name=\"lang\" value=\"{}\"", lang.code())));
            assert!(html.contains("method=\"post\" action=\"/request-status\""));
            assert!(!html.contains("href=\"/admin/\""));
        }
        let clean = form_page(&chrome(Lang::Nl), "PR-7KQ4-M2XD-9HTW", "", false);
        assert!(!clean.contains("Wij konden") && !clean.contains("aria-invalid"));
        assert!(clean.contains("value=\"PR-7KQ4-M2XD-9HTW\""));
        assert!(clean.contains("Uw e-mailadres"));
        // The reference is escaped on the result page too (and in its links).
        let mut view = StatusView::of(&record(), "<i>Shop</i>");
        view.reference = "PR-<x>&\"".into();
        let html = result_page(&chrome(Lang::En), &view, NOW.date());
        assert!(!html.contains("<x>") && !html.contains("<i>"), "{html}");
        assert!(html.contains("ref=PR-%3Cx%3E%26%22&amp;lang=en"), "{html}");
    }

    #[test]
    fn links() {
        assert_eq!(
            status_url("https://pd.example/", "PR-7KQ4-M2XD-9HTW", Lang::Nl),
            "https://pd.example/request-status?ref=PR-7KQ4-M2XD-9HTW&lang=nl"
        );
        assert_eq!(status_path("", Lang::En), "/request-status?lang=en");
    }
}
