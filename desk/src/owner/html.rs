//! The owner page and the requester's verification page as server-rendered HTML:
//! plain forms, no script, one stylesheet (so `default-src 'none'` holds), labels
//! on every control, headings and landmarks for keyboard and screen-reader users.
//! Every text is an exhaustive `match` per language.

use protocol::{Lang, Right};

use crate::config::Shops;
use crate::http::form::encode_component;
use crate::owner::case::{
    ActionError, CaseEvent, EventKind, Filter, Row, StatusFilter, VerifyOutcome,
};
use crate::store::{self, Status, StoredRequest};
use crate::time::{Date, Timestamp};

/// Content-Security-Policy of every page rendered here.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The stylesheet, served by the Worker at `/admin/admin.css`.
pub const STYLESHEET: &str = include_str!("admin.css");

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Copy)]
enum T {
    Brand,
    LangNav,
    SignOut,
    SignInTitle,
    SignInIntro,
    Secret,
    YourName,
    YourNameHint,
    SignIn,
    WrongSecret,
    ListTitle,
    Filters,
    Shop,
    Status,
    Type,
    All,
    Open,
    Closed,
    OverdueOnly,
    Apply,
    Export,
    ExportJson,
    ExportCsv,
    ExportConsent,
    Reference,
    Received,
    Due,
    NoMatches,
    Overdue,
    EmailUnverified,
    Extended,
    RequestTitle,
    Back,
    Details,
    Name,
    Email,
    OrderNumber,
    Language,
    Text,
    OriginalDue,
    EmailVerified,
    IdentityVerified,
    Yes,
    No,
    NotRequired,
    History,
    Actions,
    VerifyIdentityTitle,
    VerifyIdentityHelp,
    VerifyIdentityButton,
    ExtendTitle,
    ExtendHelp,
    OneMonth,
    TwoMonths,
    Reason,
    ExtendButton,
    CompleteTitle,
    CompleteHelp,
    MessageOptional,
    CompleteButton,
    RefuseTitle,
    RefuseHelp,
    RefuseButton,
    NoteTitle,
    Note,
    NoteButton,
    Done,
    MailNotSent,
    ClosedNote,
    NotFound,
    VerifyTitle,
    VerifyIntro,
    VerifyButton,
    VerifyDone,
    VerifyAlready,
    VerifyExpired,
    VerifyInvalid,
    Requester,
    System,
}

fn t(lang: Lang, key: T) -> &'static str {
    match (lang, key) {
        (Lang::En, T::Brand) => "Privacy Desk",
        (Lang::En, T::LangNav) => "Language",
        (Lang::En, T::SignOut) => "Sign out",
        (Lang::En, T::SignInTitle) => "Owner page: sign in",
        (Lang::En, T::SignInIntro) => "Sign in with the owner secret (the ADMIN_TOKEN of this Worker).",
        (Lang::En, T::Secret) => "Owner secret",
        (Lang::En, T::YourName) => "Your name",
        (Lang::En, T::YourNameHint) => "Recorded with everything you do, in each request's history.",
        (Lang::En, T::SignIn) => "Sign in",
        (Lang::En, T::WrongSecret) => "That secret is not right. Try again.",
        (Lang::En, T::ListTitle) => "Privacy requests",
        (Lang::En, T::Filters) => "Filter requests",
        (Lang::En, T::Shop) => "Shop",
        (Lang::En, T::Status) => "Status",
        (Lang::En, T::Type) => "Type",
        (Lang::En, T::All) => "All",
        (Lang::En, T::Open) => "Open",
        (Lang::En, T::Closed) => "Closed",
        (Lang::En, T::OverdueOnly) => "Overdue only",
        (Lang::En, T::Apply) => "Show",
        (Lang::En, T::Export) => "Export",
        (Lang::En, T::ExportJson) => "Requests (JSON)",
        (Lang::En, T::ExportCsv) => "Requests (CSV)",
        (Lang::En, T::ExportConsent) => "Consent records (CSV)",
        (Lang::En, T::Reference) => "Reference",
        (Lang::En, T::Received) => "Received",
        (Lang::En, T::Due) => "Answer by",
        (Lang::En, T::NoMatches) => "No requests match these filters.",
        (Lang::En, T::Overdue) => "Overdue",
        (Lang::En, T::EmailUnverified) => "E-mail not verified",
        (Lang::En, T::Extended) => "Extended",
        (Lang::En, T::RequestTitle) => "Request",
        (Lang::En, T::Back) => "All requests",
        (Lang::En, T::Details) => "Details",
        (Lang::En, T::Name) => "Name",
        (Lang::En, T::Email) => "E-mail",
        (Lang::En, T::OrderNumber) => "Order number",
        (Lang::En, T::Language) => "Language",
        (Lang::En, T::Text) => "Details given",
        (Lang::En, T::OriginalDue) => "originally",
        (Lang::En, T::EmailVerified) => "E-mail address verified",
        (Lang::En, T::IdentityVerified) => "Identity verified",
        (Lang::En, T::Yes) => "yes",
        (Lang::En, T::No) => "no",
        (Lang::En, T::NotRequired) => "not asked (older request)",
        (Lang::En, T::History) => "History",
        (Lang::En, T::Actions) => "Actions",
        (Lang::En, T::VerifyIdentityTitle) => "Identity",
        (Lang::En, T::VerifyIdentityHelp) => "Mark the requester's identity as verified once you are sure who you are dealing with (for example: the request came from the address you know for this customer).",
        (Lang::En, T::VerifyIdentityButton) => "Mark identity verified",
        (Lang::En, T::ExtendTitle) => "Extend the deadline",
        (Lang::En, T::ExtendHelp) => "Only once, by at most two months, for a complex request or many requests (GDPR art. 12(3)). The requester gets an e-mail with the new date and your reason.",
        (Lang::En, T::OneMonth) => "by one month",
        (Lang::En, T::TwoMonths) => "by two months",
        (Lang::En, T::Reason) => "Reason (required, sent to the requester)",
        (Lang::En, T::ExtendButton) => "Extend deadline",
        (Lang::En, T::CompleteTitle) => "Complete",
        (Lang::En, T::CompleteHelp) => "The requester gets an e-mail that the request has been handled.",
        (Lang::En, T::MessageOptional) => "Message to the requester (optional)",
        (Lang::En, T::CompleteButton) => "Mark completed",
        (Lang::En, T::RefuseTitle) => "Refuse",
        (Lang::En, T::RefuseHelp) => "The requester gets an e-mail with your reason and their right to complain to the Autoriteit Persoonsgegevens.",
        (Lang::En, T::RefuseButton) => "Refuse request",
        (Lang::En, T::NoteTitle) => "Add a note",
        (Lang::En, T::Note) => "Note (only for you, kept in the history)",
        (Lang::En, T::NoteButton) => "Add note",
        (Lang::En, T::Done) => "Done.",
        (Lang::En, T::MailNotSent) => "The e-mail to the requester could not be sent yet; it will be retried automatically.",
        (Lang::En, T::ClosedNote) => "This request is closed.",
        (Lang::En, T::NotFound) => "This request does not exist (any more).",
        (Lang::En, T::VerifyTitle) => "Confirm your e-mail address",
        (Lang::En, T::VerifyIntro) => "Confirm that this e-mail address belongs to you, so that we can handle your privacy request",
        (Lang::En, T::VerifyButton) => "Confirm my e-mail address",
        (Lang::En, T::VerifyDone) => "Thank you. Your e-mail address is confirmed; we will handle your request.",
        (Lang::En, T::VerifyAlready) => "Your e-mail address was already confirmed. Nothing else to do.",
        (Lang::En, T::VerifyExpired) => "This link has expired. Please send your request again.",
        (Lang::En, T::VerifyInvalid) => "This link is not valid (any more).",
        (Lang::En, T::Requester) => "requester",
        (Lang::En, T::System) => "automatic",
        (Lang::Nl, T::Brand) => "Privacy Desk",
        (Lang::Nl, T::LangNav) => "Taal",
        (Lang::Nl, T::SignOut) => "Uitloggen",
        (Lang::Nl, T::SignInTitle) => "Beheerpagina: inloggen",
        (Lang::Nl, T::SignInIntro) => "Log in met het beheergeheim (de ADMIN_TOKEN van deze Worker).",
        (Lang::Nl, T::Secret) => "Beheergeheim",
        (Lang::Nl, T::YourName) => "Uw naam",
        (Lang::Nl, T::YourNameHint) => "Wordt bij alles wat u doet vastgelegd, in de geschiedenis van elk verzoek.",
        (Lang::Nl, T::SignIn) => "Inloggen",
        (Lang::Nl, T::WrongSecret) => "Dat geheim klopt niet. Probeer het opnieuw.",
        (Lang::Nl, T::ListTitle) => "Privacyverzoeken",
        (Lang::Nl, T::Filters) => "Verzoeken filteren",
        (Lang::Nl, T::Shop) => "Winkel",
        (Lang::Nl, T::Status) => "Status",
        (Lang::Nl, T::Type) => "Soort",
        (Lang::Nl, T::All) => "Alle",
        (Lang::Nl, T::Open) => "Open",
        (Lang::Nl, T::Closed) => "Gesloten",
        (Lang::Nl, T::OverdueOnly) => "Alleen te laat",
        (Lang::Nl, T::Apply) => "Tonen",
        (Lang::Nl, T::Export) => "Exporteren",
        (Lang::Nl, T::ExportJson) => "Verzoeken (JSON)",
        (Lang::Nl, T::ExportCsv) => "Verzoeken (CSV)",
        (Lang::Nl, T::ExportConsent) => "Toestemmingen (CSV)",
        (Lang::Nl, T::Reference) => "Kenmerk",
        (Lang::Nl, T::Received) => "Ontvangen",
        (Lang::Nl, T::Due) => "Antwoorden voor",
        (Lang::Nl, T::NoMatches) => "Geen verzoeken gevonden met deze filters.",
        (Lang::Nl, T::Overdue) => "Te laat",
        (Lang::Nl, T::EmailUnverified) => "E-mail niet bevestigd",
        (Lang::Nl, T::Extended) => "Verlengd",
        (Lang::Nl, T::RequestTitle) => "Verzoek",
        (Lang::Nl, T::Back) => "Alle verzoeken",
        (Lang::Nl, T::Details) => "Gegevens",
        (Lang::Nl, T::Name) => "Naam",
        (Lang::Nl, T::Email) => "E-mail",
        (Lang::Nl, T::OrderNumber) => "Ordernummer",
        (Lang::Nl, T::Language) => "Taal",
        (Lang::Nl, T::Text) => "Toelichting",
        (Lang::Nl, T::OriginalDue) => "oorspronkelijk",
        (Lang::Nl, T::EmailVerified) => "E-mailadres bevestigd",
        (Lang::Nl, T::IdentityVerified) => "Identiteit gecontroleerd",
        (Lang::Nl, T::Yes) => "ja",
        (Lang::Nl, T::No) => "nee",
        (Lang::Nl, T::NotRequired) => "niet gevraagd (ouder verzoek)",
        (Lang::Nl, T::History) => "Geschiedenis",
        (Lang::Nl, T::Actions) => "Acties",
        (Lang::Nl, T::VerifyIdentityTitle) => "Identiteit",
        (Lang::Nl, T::VerifyIdentityHelp) => "Markeer de identiteit als gecontroleerd zodra u zeker weet met wie u te maken heeft (bijvoorbeeld: het verzoek kwam van het adres dat u van deze klant kent).",
        (Lang::Nl, T::VerifyIdentityButton) => "Identiteit gecontroleerd",
        (Lang::Nl, T::ExtendTitle) => "Termijn verlengen",
        (Lang::Nl, T::ExtendHelp) => "Eén keer, met hoogstens twee maanden, bij een ingewikkeld verzoek of veel verzoeken (AVG art. 12 lid 3). De aanvrager krijgt een e-mail met de nieuwe datum en uw reden.",
        (Lang::Nl, T::OneMonth) => "met één maand",
        (Lang::Nl, T::TwoMonths) => "met twee maanden",
        (Lang::Nl, T::Reason) => "Reden (verplicht, gaat naar de aanvrager)",
        (Lang::Nl, T::ExtendButton) => "Termijn verlengen",
        (Lang::Nl, T::CompleteTitle) => "Afhandelen",
        (Lang::Nl, T::CompleteHelp) => "De aanvrager krijgt een e-mail dat het verzoek is afgehandeld.",
        (Lang::Nl, T::MessageOptional) => "Bericht aan de aanvrager (niet verplicht)",
        (Lang::Nl, T::CompleteButton) => "Markeren als afgehandeld",
        (Lang::Nl, T::RefuseTitle) => "Weigeren",
        (Lang::Nl, T::RefuseHelp) => "De aanvrager krijgt een e-mail met uw reden en het recht om een klacht in te dienen bij de Autoriteit Persoonsgegevens.",
        (Lang::Nl, T::RefuseButton) => "Verzoek weigeren",
        (Lang::Nl, T::NoteTitle) => "Notitie toevoegen",
        (Lang::Nl, T::Note) => "Notitie (alleen voor u, blijft in de geschiedenis)",
        (Lang::Nl, T::NoteButton) => "Notitie toevoegen",
        (Lang::Nl, T::Done) => "Gedaan.",
        (Lang::Nl, T::MailNotSent) => "De e-mail aan de aanvrager kon nog niet worden verstuurd; dat wordt automatisch opnieuw geprobeerd.",
        (Lang::Nl, T::ClosedNote) => "Dit verzoek is gesloten.",
        (Lang::Nl, T::NotFound) => "Dit verzoek bestaat niet (meer).",
        (Lang::Nl, T::VerifyTitle) => "Bevestig uw e-mailadres",
        (Lang::Nl, T::VerifyIntro) => "Bevestig dat dit e-mailadres van u is, zodat wij uw privacyverzoek kunnen afhandelen",
        (Lang::Nl, T::VerifyButton) => "Mijn e-mailadres bevestigen",
        (Lang::Nl, T::VerifyDone) => "Dank u. Uw e-mailadres is bevestigd; wij handelen uw verzoek af.",
        (Lang::Nl, T::VerifyAlready) => "Uw e-mailadres was al bevestigd. U hoeft niets meer te doen.",
        (Lang::Nl, T::VerifyExpired) => "Deze link is verlopen. Stuur uw verzoek alstublieft opnieuw.",
        (Lang::Nl, T::VerifyInvalid) => "Deze link is niet (meer) geldig.",
        (Lang::Nl, T::Requester) => "aanvrager",
        (Lang::Nl, T::System) => "automatisch",
    }
}

pub fn status_label(lang: Lang, status: Status) -> &'static str {
    match (lang, status) {
        (Lang::En, Status::Received) => "Open",
        (Lang::En, Status::Completed) => "Completed",
        (Lang::En, Status::Refused) => "Refused",
        (Lang::En, Status::Expired) => "Closed: e-mail never verified",
        (Lang::Nl, Status::Received) => "Open",
        (Lang::Nl, Status::Completed) => "Afgehandeld",
        (Lang::Nl, Status::Refused) => "Geweigerd",
        (Lang::Nl, Status::Expired) => "Gesloten: e-mail nooit bevestigd",
    }
}

fn event_label(lang: Lang, kind: EventKind) -> &'static str {
    use EventKind as K;
    match (lang, kind) {
        (Lang::En, K::VerificationMailSent) => "Verification e-mail sent to the requester",
        (Lang::En, K::VerificationMailFailed) => {
            "Verification e-mail not sent yet (will be retried)"
        }
        (Lang::En, K::EmailVerified) => "Requester verified their e-mail address",
        (Lang::En, K::IdentityVerified) => "Identity marked as verified",
        (Lang::En, K::Note) => "Note",
        (Lang::En, K::Extended) => "Deadline extended",
        (Lang::En, K::Completed) => "Completed",
        (Lang::En, K::Refused) => "Refused",
        (Lang::En, K::Expired) => "Closed: e-mail address never verified",
        (Lang::En, K::Reminded) => "Reminder sent to the privacy contact",
        (Lang::En, K::RequesterNotified) => "E-mail sent to the requester",
        (Lang::En, K::RequesterNoticeFailed) => {
            "E-mail to the requester not sent yet (will be retried)"
        }
        (Lang::Nl, K::VerificationMailSent) => "Bevestigingsmail naar de aanvrager gestuurd",
        (Lang::Nl, K::VerificationMailFailed) => {
            "Bevestigingsmail nog niet verstuurd (wordt opnieuw geprobeerd)"
        }
        (Lang::Nl, K::EmailVerified) => "Aanvrager heeft het e-mailadres bevestigd",
        (Lang::Nl, K::IdentityVerified) => "Identiteit gemarkeerd als gecontroleerd",
        (Lang::Nl, K::Note) => "Notitie",
        (Lang::Nl, K::Extended) => "Termijn verlengd",
        (Lang::Nl, K::Completed) => "Afgehandeld",
        (Lang::Nl, K::Refused) => "Geweigerd",
        (Lang::Nl, K::Expired) => "Gesloten: e-mailadres nooit bevestigd",
        (Lang::Nl, K::Reminded) => "Herinnering naar de privacycontactpersoon gestuurd",
        (Lang::Nl, K::RequesterNotified) => "E-mail naar de aanvrager gestuurd",
        (Lang::Nl, K::RequesterNoticeFailed) => {
            "E-mail naar de aanvrager nog niet verstuurd (wordt opnieuw geprobeerd)"
        }
    }
}

fn intake_label(lang: Lang, kind: store::EventKind) -> &'static str {
    match (lang, kind) {
        (Lang::En, store::EventKind::Received) => "Request received",
        (Lang::En, store::EventKind::MailSent) => "E-mail sent to the privacy contact",
        (Lang::En, store::EventKind::MailFailed) => {
            "E-mail to the privacy contact not sent yet (will be retried)"
        }
        (Lang::Nl, store::EventKind::Received) => "Verzoek ontvangen",
        (Lang::Nl, store::EventKind::MailSent) => "E-mail naar de privacycontactpersoon gestuurd",
        (Lang::Nl, store::EventKind::MailFailed) => {
            "E-mail naar de privacycontactpersoon nog niet verstuurd (wordt opnieuw geprobeerd)"
        }
    }
}

pub fn action_error(lang: Lang, error: ActionError) -> &'static str {
    use ActionError as E;
    match (lang, error) {
        (Lang::En, E::UnknownAction) => "Unknown action.",
        (Lang::En, E::Closed) => "This request is closed; only notes can be added.",
        (Lang::En, E::AlreadyVerified) => "The identity was already marked as verified.",
        (Lang::En, E::AlreadyExtended) => {
            "The deadline was already extended once; the GDPR allows one extension."
        }
        (Lang::En, E::Overdue) => {
            "The deadline has passed; an extension must be announced before it."
        }
        (Lang::En, E::BadMonths) => "Choose an extension of one or two months.",
        (Lang::En, E::ReasonRequired) => "Give a reason; the requester will receive it.",
        (Lang::En, E::NoteRequired) => "Write a note first.",
        (Lang::En, E::TooLong) => "That text is too long.",
        (Lang::Nl, E::UnknownAction) => "Onbekende actie.",
        (Lang::Nl, E::Closed) => {
            "Dit verzoek is gesloten; alleen notities kunnen nog worden toegevoegd."
        }
        (Lang::Nl, E::AlreadyVerified) => "De identiteit was al gemarkeerd als gecontroleerd.",
        (Lang::Nl, E::AlreadyExtended) => {
            "De termijn is al een keer verlengd; de AVG staat één verlenging toe."
        }
        (Lang::Nl, E::Overdue) => {
            "De termijn is verstreken; een verlenging moet daarvoor worden gemeld."
        }
        (Lang::Nl, E::BadMonths) => "Kies een verlenging van één of twee maanden.",
        (Lang::Nl, E::ReasonRequired) => "Geef een reden; de aanvrager krijgt die te zien.",
        (Lang::Nl, E::NoteRequired) => "Schrijf eerst een notitie.",
        (Lang::Nl, E::TooLong) => "Die tekst is te lang.",
    }
}

/// What every owner page needs besides its content.
pub struct Chrome<'a> {
    pub lang: Lang,
    /// The current path and query with `lang=en` / `lang=nl` set, for the toggle.
    pub self_en: &'a str,
    pub self_nl: &'a str,
    /// Signed in (shows "Sign out").
    pub signed_in: bool,
}

fn page(chrome: &Chrome, title: &str, main: &str) -> String {
    let lang = chrome.lang;
    let current = |l: Lang| {
        if l == lang {
            " aria-current=\"true\""
        } else {
            ""
        }
    };
    let sign_out = if chrome.signed_in {
        format!(
            "<form method=\"post\" action=\"/admin/logout\" class=\"signout\"><button type=\"submit\">{}</button></form>",
            t(lang, T::SignOut)
        )
    } else {
        String::new()
    };
    format!(
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"same-origin\">\
         <link rel=\"icon\" href=\"/favicon.svg\">\
         <title>{title} · {brand}</title><link rel=\"stylesheet\" href=\"/admin/admin.css\"></head>\
         <body><header class=\"top\"><p class=\"brand\"><a href=\"/admin/\">{brand}</a></p>\
         <nav aria-label=\"{nav}\"><ul class=\"langs\">\
         <li><a href=\"{en}\" lang=\"en\" hreflang=\"en\"{cur_en}>English</a></li>\
         <li><a href=\"{nl}\" lang=\"nl\" hreflang=\"nl\"{cur_nl}>Nederlands</a></li></ul></nav>{sign_out}</header>\
         <main id=\"main\">{main}</main></body></html>\n",
        code = lang.code(),
        title = esc(title),
        brand = t(lang, T::Brand),
        nav = t(lang, T::LangNav),
        en = esc(chrome.self_en),
        nl = esc(chrome.self_nl),
        cur_en = current(Lang::En),
        cur_nl = current(Lang::Nl),
    )
}

pub fn login(chrome: &Chrome, wrong_secret: bool) -> String {
    let lang = chrome.lang;
    let error = if wrong_secret {
        format!(
            "<p class=\"error\" role=\"alert\" id=\"login-error\">{}</p>",
            t(lang, T::WrongSecret)
        )
    } else {
        String::new()
    };
    let described = if wrong_secret {
        " aria-describedby=\"login-error\" aria-invalid=\"true\""
    } else {
        ""
    };
    let main = format!(
        "<h1>{title}</h1><p>{intro}</p>{error}\
         <form method=\"post\" action=\"/admin/login\" class=\"stack\">\
         <div class=\"field\"><label for=\"token\">{secret}</label>\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required{described}></div>\
         <div class=\"field\"><label for=\"actor\">{name}</label>\
         <input id=\"actor\" name=\"actor\" type=\"text\" autocomplete=\"name\" maxlength=\"60\" aria-describedby=\"actor-hint\">\
         <p class=\"hint\" id=\"actor-hint\">{hint}</p></div>\
         <button type=\"submit\">{sign_in}</button></form>",
        title = t(lang, T::SignInTitle),
        intro = t(lang, T::SignInIntro),
        secret = t(lang, T::Secret),
        name = t(lang, T::YourName),
        hint = t(lang, T::YourNameHint),
        sign_in = t(lang, T::SignIn),
    );
    page(chrome, t(lang, T::SignInTitle), &main)
}

fn option(value: &str, label: &str, selected: bool) -> String {
    format!(
        "<option value=\"{}\"{}>{}</option>",
        esc(value),
        if selected { " selected" } else { "" },
        esc(label)
    )
}

/// The request list with its filter form and export links.
pub fn list(chrome: &Chrome, shops: &Shops, filter: &Filter, rows: &[Row], today: Date) -> String {
    let lang = chrome.lang;
    let mut shop_options = option("", t(lang, T::All), filter.shop.is_none());
    for shop in shops.iter() {
        shop_options.push_str(&option(
            &shop.id,
            &shop.name,
            filter.shop.as_deref() == Some(shop.id.as_str()),
        ));
    }
    let mut status_options = option("", t(lang, T::All), filter.status.is_none());
    status_options.push_str(&option(
        "open",
        t(lang, T::Open),
        filter.status == Some(StatusFilter::Open),
    ));
    status_options.push_str(&option(
        "closed",
        t(lang, T::Closed),
        filter.status == Some(StatusFilter::Closed),
    ));
    for status in Status::ALL.into_iter().skip(1) {
        status_options.push_str(&option(
            status.code(),
            status_label(lang, status),
            filter.status == Some(StatusFilter::Is(status)),
        ));
    }
    let mut type_options = option("", t(lang, T::All), filter.right.is_none());
    for right in Right::ALL {
        type_options.push_str(&option(
            right.code(),
            right.label(lang),
            filter.right == Some(right),
        ));
    }
    let shop_query = filter
        .shop
        .as_deref()
        .map(|s| format!("?shop={}", encode_component(s)))
        .unwrap_or_default();
    let mut body = String::new();
    for row in rows {
        let shop_name = shops
            .get(&row.shop)
            .map(|s| s.name.as_str())
            .unwrap_or(&row.shop);
        let mut badges = String::new();
        if crate::owner::case::is_overdue(&row.meta, today) {
            badges.push_str(&format!(
                " <span class=\"badge overdue\">{}</span>",
                t(lang, T::Overdue)
            ));
        }
        if row.meta.status == Status::Received && !row.meta.email_verified {
            badges.push_str(&format!(
                " <span class=\"badge\">{}</span>",
                t(lang, T::EmailUnverified)
            ));
        }
        if row.meta.extended {
            badges.push_str(&format!(
                " <span class=\"badge\">{}</span>",
                t(lang, T::Extended)
            ));
        }
        body.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"/admin/requests/{shop_id}/{reference}\">{reference}</a></th>\
             <td>{shop}</td><td>{right}</td><td>{received}</td><td>{due}</td><td>{status}{badges}</td></tr>",
            shop_id = encode_component(&row.shop),
            reference = esc(&row.reference),
            shop = esc(shop_name),
            right = esc(row.meta.right.label(lang)),
            received = long_date(&row.meta.received, lang),
            due = long_date(&row.meta.due_date, lang),
            status = status_label(lang, row.meta.status),
        ));
    }
    let table = if rows.is_empty() {
        format!("<p class=\"empty\">{}</p>", t(lang, T::NoMatches))
    } else {
        format!(
            "<div class=\"scroll\" role=\"region\" aria-labelledby=\"list-caption\" tabindex=\"0\"><table>\
             <caption id=\"list-caption\">{title} ({count})</caption>\
             <thead><tr><th scope=\"col\">{reference}</th><th scope=\"col\">{shop}</th><th scope=\"col\">{kind}</th>\
             <th scope=\"col\">{received}</th><th scope=\"col\">{due}</th><th scope=\"col\">{status}</th></tr></thead>\
             <tbody>{body}</tbody></table></div>",
            title = t(lang, T::ListTitle),
            count = rows.len(),
            reference = t(lang, T::Reference),
            shop = t(lang, T::Shop),
            kind = t(lang, T::Type),
            received = t(lang, T::Received),
            due = t(lang, T::Due),
            status = t(lang, T::Status),
        )
    };
    let main = format!(
        "<h1>{title}</h1>\
         <form method=\"get\" action=\"/admin/\" class=\"filters\" aria-labelledby=\"filters-title\">\
         <h2 id=\"filters-title\">{filters}</h2><div class=\"row\">\
         <div class=\"field\"><label for=\"f-shop\">{shop}</label><select id=\"f-shop\" name=\"shop\">{shop_options}</select></div>\
         <div class=\"field\"><label for=\"f-status\">{status}</label><select id=\"f-status\" name=\"status\">{status_options}</select></div>\
         <div class=\"field\"><label for=\"f-type\">{kind}</label><select id=\"f-type\" name=\"type\">{type_options}</select></div>\
         <div class=\"field check\"><input id=\"f-overdue\" name=\"overdue\" type=\"checkbox\" value=\"1\"{overdue}>\
         <label for=\"f-overdue\">{overdue_only}</label></div>\
         <button type=\"submit\">{apply}</button></div></form>\
         {table}\
         <section aria-labelledby=\"export-title\"><h2 id=\"export-title\">{export}</h2><ul class=\"exports\">\
         <li><a href=\"/api/admin/export/requests.json{shop_query}\">{json}</a></li>\
         <li><a href=\"/api/admin/export/requests.csv{shop_query}\">{csv}</a></li>\
         <li><a href=\"/api/admin/export/consent.csv{shop_query}\">{consent}</a></li></ul></section>",
        title = t(lang, T::ListTitle),
        filters = t(lang, T::Filters),
        shop = t(lang, T::Shop),
        status = t(lang, T::Status),
        kind = t(lang, T::Type),
        overdue = if filter.overdue { " checked" } else { "" },
        overdue_only = t(lang, T::OverdueOnly),
        apply = t(lang, T::Apply),
        export = t(lang, T::Export),
        json = t(lang, T::ExportJson),
        csv = t(lang, T::ExportCsv),
        consent = t(lang, T::ExportConsent),
        shop_query = esc(&shop_query),
    );
    page(chrome, t(lang, T::ListTitle), &main)
}

/// `24 November 2026` / `24 november 2026` from `YYYY-MM-DD` or an RFC 3339 time.
pub(crate) fn long_date(iso: &str, lang: Lang) -> String {
    Date::parse_iso(iso.get(..10).unwrap_or(iso))
        .map(|d| d.long(lang))
        .unwrap_or_else(|| esc(iso))
}

/// `24 November 2026, 09:05 UTC`.
fn long_time(rfc3339: &str, lang: Lang) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{}, {} UTC", long_date(day, lang), esc(time)),
        _ => esc(rfc3339),
    }
}

/// A message shown above the detail page after an action.
pub enum Flash {
    Done,
    DoneMailPending,
    Error(ActionError),
}

/// One request with its history and the actions that are still possible.
pub fn detail(
    chrome: &Chrome,
    shop_name: &str,
    record: &StoredRequest,
    events: &[CaseEvent],
    flash: Option<Flash>,
    today: Date,
) -> String {
    let lang = chrome.lang;
    let yes_no = |b: bool| t(lang, if b { T::Yes } else { T::No });
    let flash = match flash {
        None => String::new(),
        Some(Flash::Done) => format!("<p class=\"ok\" role=\"status\">{}</p>", t(lang, T::Done)),
        Some(Flash::DoneMailPending) => format!(
            "<p class=\"error\" role=\"alert\">{} {}</p>",
            t(lang, T::Done),
            t(lang, T::MailNotSent)
        ),
        Some(Flash::Error(error)) => format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            action_error(lang, error)
        ),
    };
    let open = record.status == Status::Received;
    let mut due = long_date(&record.due_date, lang);
    if let Some(original) = &record.case.original_due_date {
        due.push_str(&format!(
            " ({} {})",
            t(lang, T::OriginalDue),
            long_date(original, lang)
        ));
    }
    let overdue = open && Date::parse_iso(&record.due_date).is_some_and(|d| today > d);
    if overdue {
        due.push_str(&format!(
            " <span class=\"badge overdue\">{}</span>",
            t(lang, T::Overdue)
        ));
    }
    let email_verified = match &record.case.email {
        None => t(lang, T::NotRequired).to_owned(),
        Some(check) => match &check.verified_at {
            Some(at) => format!("{} ({})", yes_no(true), long_time(at, lang)),
            None => yes_no(false).to_owned(),
        },
    };
    let identity = match &record.case.identity_verified_at {
        Some(at) => format!("{} ({})", yes_no(true), long_time(at, lang)),
        None => yes_no(false).to_owned(),
    };
    let rows: [(T, String); 11] = [
        (T::Shop, esc(shop_name)),
        (T::Type, esc(record.right.label(lang))),
        (T::Status, status_label(lang, record.status).to_owned()),
        (T::Received, long_time(&record.received_at, lang)),
        (T::Due, due),
        (T::EmailVerified, email_verified),
        (T::IdentityVerified, identity),
        (T::Name, esc(&record.name)),
        (T::Email, esc(&record.email)),
        (
            T::OrderNumber,
            esc(record.order_number.as_deref().unwrap_or("-")),
        ),
        (T::Language, record.lang.code().to_owned()),
    ];
    let mut details = String::new();
    for (key, value) in rows {
        details.push_str(&format!(
            "<div><dt>{}</dt><dd>{value}</dd></div>",
            t(lang, key)
        ));
    }
    if let Some(text) = &record.details {
        details.push_str(&format!(
            "<div class=\"wide\"><dt>{}</dt><dd class=\"text\">{}</dd></div>",
            t(lang, T::Text),
            esc(text)
        ));
    }
    // One timeline: the intake's own events and the owner-side ones, by time.
    let mut timeline: Vec<(String, String, String, Option<String>)> = record
        .events
        .iter()
        .map(|e| {
            (
                e.at.clone(),
                // The request itself is the requester's act; mail attempts are the system's.
                t(
                    lang,
                    if e.kind == store::EventKind::Received {
                        T::Requester
                    } else {
                        T::System
                    },
                )
                .to_owned(),
                intake_label(lang, e.kind).to_owned(),
                None,
            )
        })
        .collect();
    for e in events {
        let actor = match e.actor.as_str() {
            crate::owner::case::SYSTEM => t(lang, T::System).to_owned(),
            crate::owner::case::REQUESTER => t(lang, T::Requester).to_owned(),
            name => name.to_owned(),
        };
        let mut label = event_label(lang, e.kind).to_owned();
        if let Some(due) = &e.due_date {
            label.push_str(&format!(": {}", long_date(due, lang)));
        }
        timeline.push((e.at.clone(), actor, label, e.text.clone()));
    }
    timeline.sort_by(|a, b| a.0.cmp(&b.0));
    let mut history = String::new();
    for (at, actor, label, text) in &timeline {
        history.push_str(&format!(
            "<li><p><time datetime=\"{at_attr}\">{when}</time> · {actor} · <strong>{label}</strong></p>{text}</li>",
            at_attr = esc(at),
            when = long_time(at, lang),
            actor = esc(actor),
            label = esc(label),
            text = text
                .as_deref()
                .map(|t| format!("<p class=\"text\">{}</p>", esc(t)))
                .unwrap_or_default(),
        ));
    }
    let action_url = format!(
        "/admin/requests/{}/{}",
        encode_component(&record.shop),
        encode_component(&record.reference)
    );
    let form = |id: &str, action: &str, title: T, help: Option<T>, fields: String, button: T| {
        format!(
            "<section class=\"action\" aria-labelledby=\"{id}-title\"><h3 id=\"{id}-title\">{title}</h3>{help}\
             <form method=\"post\" action=\"{url}\" class=\"stack\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
             {fields}<button type=\"submit\">{button}</button></form></section>",
            title = t(lang, title),
            help = help.map(|h| format!("<p class=\"hint\" id=\"{id}-help\">{}</p>", t(lang, h))).unwrap_or_default(),
            url = esc(&action_url),
            button = t(lang, button),
        )
    };
    let textarea = |id: &str, label: T, required: bool| {
        format!(
            "<div class=\"field\"><label for=\"{id}\">{label}</label><textarea id=\"{id}\" name=\"text\" rows=\"3\" maxlength=\"4000\"{req} aria-describedby=\"{help}\"></textarea></div>",
            label = t(lang, label),
            req = if required { " required" } else { "" },
            help = id.trim_end_matches("-text").to_owned() + "-help",
        )
    };
    let mut actions = String::new();
    if open {
        if record.case.identity_verified_at.is_none() {
            actions.push_str(&form(
                "identity",
                "verify_identity",
                T::VerifyIdentityTitle,
                Some(T::VerifyIdentityHelp),
                String::new(),
                T::VerifyIdentityButton,
            ));
        }
        if record.case.original_due_date.is_none() && !overdue {
            let months = format!(
                "<fieldset><legend>{legend}</legend>\
                 <div class=\"check\"><input type=\"radio\" id=\"months-1\" name=\"months\" value=\"1\" required><label for=\"months-1\">{one}</label></div>\
                 <div class=\"check\"><input type=\"radio\" id=\"months-2\" name=\"months\" value=\"2\"><label for=\"months-2\">{two}</label></div></fieldset>{reason}",
                legend = t(lang, T::ExtendTitle),
                one = t(lang, T::OneMonth),
                two = t(lang, T::TwoMonths),
                reason = textarea("extend-text", T::Reason, true),
            );
            actions.push_str(&form(
                "extend",
                "extend",
                T::ExtendTitle,
                Some(T::ExtendHelp),
                months,
                T::ExtendButton,
            ));
        }
        actions.push_str(&form(
            "complete",
            "complete",
            T::CompleteTitle,
            Some(T::CompleteHelp),
            textarea("complete-text", T::MessageOptional, false),
            T::CompleteButton,
        ));
        actions.push_str(&form(
            "refuse",
            "refuse",
            T::RefuseTitle,
            Some(T::RefuseHelp),
            textarea("refuse-text", T::Reason, true),
            T::RefuseButton,
        ));
    } else {
        actions.push_str(&format!("<p>{}</p>", t(lang, T::ClosedNote)));
    }
    actions.push_str(
        &form(
            "note",
            "note",
            T::NoteTitle,
            None,
            textarea("note-text", T::Note, true),
            T::NoteButton,
        )
        .replace(" aria-describedby=\"note-help\"", ""),
    );
    let title = format!("{} {}", t(lang, T::RequestTitle), record.reference);
    let main = format!(
        "<p class=\"back\"><a href=\"/admin/\">{back}</a></p><h1>{title}</h1>{flash}\
         <section aria-labelledby=\"details-title\"><h2 id=\"details-title\">{details_title}</h2><dl class=\"details\">{details}</dl></section>\
         <section aria-labelledby=\"actions-title\"><h2 id=\"actions-title\">{actions_title}</h2>{actions}</section>\
         <section aria-labelledby=\"history-title\"><h2 id=\"history-title\">{history_title}</h2><ol class=\"history\">{history}</ol></section>",
        back = t(lang, T::Back),
        title = esc(&title),
        details_title = t(lang, T::Details),
        actions_title = t(lang, T::Actions),
        history_title = t(lang, T::History),
    );
    page(chrome, &title, &main)
}

/// A page with a heading and one message (not found, and the like).
pub fn message(chrome: &Chrome, not_found: bool) -> String {
    let lang = chrome.lang;
    let text = if not_found {
        t(lang, T::NotFound)
    } else {
        t(lang, T::Done)
    };
    let main = format!(
        "<p class=\"back\"><a href=\"/admin/\">{}</a></p><h1>{text}</h1>",
        t(lang, T::Back)
    );
    page(chrome, text, &main)
}

/// The requester's verification page: a button (so that a mail scanner opening
/// the link does not verify), or the outcome.
pub fn verify_page(
    chrome: &Chrome,
    shop_name: &str,
    reference: &str,
    token: &str,
    outcome: Option<VerifyOutcome>,
) -> String {
    let lang = chrome.lang;
    let body = match outcome {
        None => format!(
            "<p>{intro} ({shop}, {reference}).</p>\
             <form method=\"post\" action=\"/verify\"><input type=\"hidden\" name=\"ref\" value=\"{reference}\">\
             <input type=\"hidden\" name=\"token\" value=\"{token}\"><button type=\"submit\">{button}</button></form>",
            intro = t(lang, T::VerifyIntro),
            shop = esc(shop_name),
            reference = esc(reference),
            token = esc(token),
            button = t(lang, T::VerifyButton),
        ),
        Some(outcome) => {
            let (class, text) = match outcome {
                VerifyOutcome::Verified => ("ok", T::VerifyDone),
                VerifyOutcome::AlreadyVerified => ("ok", T::VerifyAlready),
                VerifyOutcome::Expired => ("error", T::VerifyExpired),
                VerifyOutcome::Invalid => ("error", T::VerifyInvalid),
            };
            format!("<p class=\"{class}\" role=\"status\">{}</p>", t(lang, text))
        }
    };
    let main = format!("<h1>{}</h1>{body}", t(lang, T::VerifyTitle));
    requester_page(chrome, t(lang, T::VerifyTitle), &main)
}

/// A page for the requester (verification, status): the same chrome as the owner
/// page without owner navigation, only the language toggle.
pub(crate) fn requester_page(chrome: &Chrome, title: &str, main: &str) -> String {
    page(
        &Chrome {
            signed_in: false,
            ..*chrome
        },
        title,
        main,
    )
    .replace(
        "<p class=\"brand\"><a href=\"/admin/\">Privacy Desk</a></p>",
        "<p class=\"brand\">Privacy Desk</p>",
    )
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
    let main = format!(
        "<h1>{}</h1><p class=\"error\" role=\"alert\"><code>{}</code></p>",
        esc(&error.error.message),
        esc(error.error.code.code())
    );
    requester_page(&chrome, &error.error.message, &main)
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
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let chrome = Chrome {
            lang: Lang::Nl,
            self_en: "/admin/?lang=en",
            self_nl: "/admin/?lang=nl",
            signed_in: false,
        };
        let html = verify_page(&chrome, "<script>", "PR-1\"", "t\"><b>", None);
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
        let html = login(&chrome, true);
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("type=\"password\""));
        assert!(!html.contains("<script"));
        assert!(!html.contains("style="), "no inline styles under the CSP");
    }
}
