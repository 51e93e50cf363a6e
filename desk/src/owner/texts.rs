//! Every fixed text of the owner's pages and the verification page, one exhaustive
//! `match` per table, so a missing Dutch string does not compile.

use protocol::Lang;

use crate::owner::case::{ActionError, EventKind};
use crate::store::{self, Status};

#[derive(Clone, Copy)]
pub(crate) enum T {
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
    WeakSecret,
    ReservedName,
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
    VerifyInvalid,
    Requester,
    System,
}

pub(crate) fn t(lang: Lang, key: T) -> &'static str {
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
        (Lang::En, T::WeakSecret) => "No sign-in is accepted: this Worker's owner secret (ADMIN_TOKEN) must be at least 32 characters long, and it is missing or shorter (a short secret can be guessed). Set a long random one with: npx wrangler secret put ADMIN_TOKEN (for example the output of: openssl rand -hex 24; locally, ADMIN_TOKEN in .dev.vars).",
        (Lang::En, T::ReservedName) => "That name is reserved for the automatic entries of the history (such as \"system\"). Sign in with your own name.",
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
        (Lang::En, T::VerifyInvalid) => "This link is not valid, or no longer: it may have expired. If so, please send your request again.",
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
        (Lang::Nl, T::WeakSecret) => "Er wordt geen aanmelding geaccepteerd: het beheergeheim van deze Worker (ADMIN_TOKEN) moet minstens 32 tekens lang zijn, en het ontbreekt of is korter (een kort geheim is te raden). Stel een lang willekeurig geheim in met: npx wrangler secret put ADMIN_TOKEN (bijvoorbeeld de uitvoer van: openssl rand -hex 24; lokaal: ADMIN_TOKEN in .dev.vars).",
        (Lang::Nl, T::ReservedName) => "Die naam is gereserveerd voor de automatische regels in de geschiedenis (zoals \"system\"). Log in met uw eigen naam.",
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
        (Lang::Nl, T::VerifyInvalid) => "Deze link is niet (meer) geldig: misschien is hij verlopen. Stuur uw verzoek dan alstublieft opnieuw.",
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

pub(crate) fn event_label(lang: Lang, kind: EventKind) -> &'static str {
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

pub(crate) fn intake_label(lang: Lang, kind: store::EventKind) -> &'static str {
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
