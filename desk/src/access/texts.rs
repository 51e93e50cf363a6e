//! Every text of the answer flow, the owner's section and the requester's download
//! pages, as exhaustive matches (EN and NL): a missing Dutch string does not compile.

use answer::orders_csv::CsvError;
use answer::shopify::ShopifyError;
use protocol::Lang;

/// Why an answer could not be prepared or sent. The request itself is untouched.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Problem {
    Shopify(ShopifyError),
    Csv(CsvError),
    /// The shop's Shopify secrets are not set.
    NoCredentials(String),
    /// Not open, or the requester's address is not verified.
    NotAnswerable,
    /// The shop's processing is not configured: no package can be built.
    NoProcessing,
    /// "Send" without a prepared draft.
    NoDraft,
    /// The upload form had no file, or was not a form at all.
    NoFile,
    /// The mail with the link could not be sent; nothing was stored.
    MailFailed,
}

impl Problem {
    /// A stable code for logs (no personal data).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Shopify(error) => error.code(),
            Problem::Csv(error) => error.code(),
            Problem::NoCredentials(_) => "shopify_credentials_missing",
            Problem::NotAnswerable => "not_answerable",
            Problem::NoProcessing => "processing_missing",
            Problem::NoDraft => "no_draft",
            Problem::NoFile => "no_file",
            Problem::MailFailed => "mail_failed",
        }
    }

    /// The status of the page that shows it.
    pub fn status(&self) -> u16 {
        match self {
            Problem::Shopify(error) if error.is_transient() => 503,
            Problem::Shopify(_) | Problem::NoCredentials(_) | Problem::MailFailed => 502,
            Problem::NoProcessing => 500,
            Problem::NotAnswerable | Problem::NoDraft => 409,
            Problem::Csv(CsvError::TooLarge { .. }) => 413,
            Problem::Csv(_) | Problem::NoFile => 422,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::Shopify(error), _) => error.message(lang),
            (Problem::Csv(error), _) => error.message(lang),
            (Problem::NoCredentials(names), Lang::En) => format!("Shopify is not connected for this shop: set the Worker secrets {names} (see the documentation, \"Connect Shopify\")."),
            (Problem::NoCredentials(names), Lang::Nl) => format!("Shopify is voor deze winkel niet gekoppeld: zet de Worker-secrets {names} (zie de documentatie, \"Shopify koppelen\")."),
            (Problem::NotAnswerable, Lang::En) => "This request cannot be answered now: it is closed, or the requester has not confirmed their e-mail address yet.".into(),
            (Problem::NotAnswerable, Lang::Nl) => "Dit verzoek kan nu niet beantwoord worden: het is gesloten, of de aanvrager heeft het e-mailadres nog niet bevestigd.".into(),
            (Problem::NoProcessing, Lang::En) => "The shop's processing (processors, purposes, retention) is not configured, so no copy of the data can be put together. Add [vars.SHOPS.processing] to wrangler.toml.".into(),
            (Problem::NoProcessing, Lang::Nl) => "De verwerkingen van de winkel (verwerkers, doelen, bewaartermijnen) zijn niet ingesteld, dus er kan geen kopie van de gegevens worden samengesteld. Voeg [vars.SHOPS.processing] toe aan wrangler.toml.".into(),
            (Problem::NoDraft, Lang::En) => "Prepare the answer first.".into(),
            (Problem::NoDraft, Lang::Nl) => "Bereid het antwoord eerst voor.".into(),
            (Problem::NoFile, Lang::En) => "Choose the CSV file with the shop's orders, then upload it.".into(),
            (Problem::NoFile, Lang::Nl) => "Kies het CSV-bestand met de bestellingen van de winkel en upload het dan.".into(),
            (Problem::MailFailed, Lang::En) => "The e-mail with the download link could not be sent, so nothing was sent. The request and the prepared answer are kept; try again later.".into(),
            (Problem::MailFailed, Lang::Nl) => "De e-mail met de downloadlink kon niet worden verstuurd, dus er is niets verstuurd. Het verzoek en het voorbereide antwoord blijven bewaard; probeer het later opnieuw.".into(),
        }
    }
}

/// The fixed texts of the answer pages.
#[derive(Clone, Copy)]
pub(crate) enum A {
    Heading,
    NotYet,
    PrepareShopify,
    PrepareShopifyHelp,
    PrepareUpload,
    PrepareUploadHelp,
    OrdersFile,
    ConsentId,
    ConsentIdHelp,
    KnownCustomer,
    UnknownCustomer,
    KnownInExport,
    UnknownInExport,
    OrdersLimited,
    Truncated,
    Preview,
    Recipients,
    NothingFound,
    SendPackage,
    SendPackageHelp,
    Reply,
    SendReply,
    SendReplyHelp,
    PrepareAgain,
    AccessTitle,
    AccessIntro,
    Email,
    Open,
    LinkFailed,
}

pub(crate) fn a(lang: Lang, key: A) -> &'static str {
    match (lang, key) {
        (Lang::En, A::Heading) => "Answer",
        (Lang::En, A::NotYet) => "An answer can be prepared once the requester has confirmed their e-mail address (or you have verified their identity).",
        (Lang::En, A::PrepareShopify) => "Prepare answer",
        (Lang::En, A::PrepareShopifyHelp) => "Looks up the verified e-mail address in Shopify (customer, addresses, orders) and adds what Privacy Desk holds about this person. Nothing is sent yet.",
        (Lang::En, A::PrepareUpload) => "Upload and prepare answer",
        (Lang::En, A::PrepareUploadHelp) => "Upload your shop's order export (CSV, at most 4 MB). Only the rows with the requester's e-mail address are kept, encrypted; the rest of the file is not stored. Nothing is sent yet.",
        (Lang::En, A::OrdersFile) => "Order export (CSV)",
        (Lang::En, A::ConsentId) => "Consent id (optional)",
        (Lang::En, A::ConsentIdHelp) => "If the requester gave the consent id from the cookie settings, their cookie choices are added.",
        (Lang::En, A::KnownCustomer) => "Known customer: the verified address matches a customer in Shopify.",
        (Lang::En, A::UnknownCustomer) => "Not a Shopify customer: no customer record has this address (orders placed as a guest are still included).",
        (Lang::En, A::KnownInExport) => "Known customer: the verified address appears in the order export.",
        (Lang::En, A::UnknownInExport) => "The verified address does not appear in the order export.",
        (Lang::En, A::OrdersLimited) => "The Shopify app lacks read_all_orders: orders older than 60 days are missing.",
        (Lang::En, A::Truncated) => "Not everything could be fetched; the copy says it is incomplete.",
        (Lang::En, A::Preview) => "What the requester will receive",
        (Lang::En, A::Recipients) => "Processors and other recipients",
        (Lang::En, A::NothingFound) => "No personal data was found; the answer says so and still explains the processing.",
        (Lang::En, A::SendPackage) => "Send to the requester",
        (Lang::En, A::SendPackageHelp) => "Mails the verified address a download link (the data as a page, JSON and CSV) and completes the request. The link asks for the e-mail address again.",
        (Lang::En, A::Reply) => "Reply (you can edit it)",
        (Lang::En, A::SendReply) => "Send reply and complete",
        (Lang::En, A::SendReplyHelp) => "Fill in the [bracketed] parts. The reply is mailed to the requester and the request is completed.",
        (Lang::En, A::PrepareAgain) => "Prepare again",
        (Lang::En, A::AccessTitle) => "Your data",
        (Lang::En, A::AccessIntro) => "To open the answer to your privacy request, enter the e-mail address you made the request with.",
        (Lang::En, A::Email) => "E-mail address",
        (Lang::En, A::Open) => "Open",
        (Lang::En, A::LinkFailed) => "This link does not open an answer: the e-mail address is not the one the request was made with, or the link has expired. Check the address and try again, or ask the shop for a new link.",
        (Lang::Nl, A::Heading) => "Antwoord",
        (Lang::Nl, A::NotYet) => "Een antwoord kan worden voorbereid zodra de aanvrager het e-mailadres heeft bevestigd (of u de identiteit hebt gecontroleerd).",
        (Lang::Nl, A::PrepareShopify) => "Antwoord voorbereiden",
        (Lang::Nl, A::PrepareShopifyHelp) => "Zoekt het bevestigde e-mailadres op in Shopify (klant, adressen, bestellingen) en voegt toe wat Privacy Desk over deze persoon heeft. Er wordt nog niets verstuurd.",
        (Lang::Nl, A::PrepareUpload) => "Uploaden en antwoord voorbereiden",
        (Lang::Nl, A::PrepareUploadHelp) => "Upload de bestellingenexport van uw winkel (CSV, maximaal 4 MB). Alleen de regels met het e-mailadres van de aanvrager worden bewaard, versleuteld; de rest van het bestand wordt niet opgeslagen. Er wordt nog niets verstuurd.",
        (Lang::Nl, A::OrdersFile) => "Bestellingenexport (CSV)",
        (Lang::Nl, A::ConsentId) => "Toestemmings-id (optioneel)",
        (Lang::Nl, A::ConsentIdHelp) => "Heeft de aanvrager het toestemmings-id uit de cookie-instellingen gegeven, dan worden de cookiekeuzes toegevoegd.",
        (Lang::Nl, A::KnownCustomer) => "Bekende klant: het bevestigde adres hoort bij een klant in Shopify.",
        (Lang::Nl, A::UnknownCustomer) => "Geen Shopify-klant: geen klantrecord heeft dit adres (bestellingen als gast zijn wel meegenomen).",
        (Lang::Nl, A::KnownInExport) => "Bekende klant: het bevestigde adres staat in de bestellingenexport.",
        (Lang::Nl, A::UnknownInExport) => "Het bevestigde adres staat niet in de bestellingenexport.",
        (Lang::Nl, A::OrdersLimited) => "De Shopify-app mist read_all_orders: bestellingen ouder dan 60 dagen ontbreken.",
        (Lang::Nl, A::Truncated) => "Niet alles kon worden opgehaald; de kopie vermeldt dat ze onvolledig is.",
        (Lang::Nl, A::Preview) => "Wat de aanvrager krijgt",
        (Lang::Nl, A::Recipients) => "Verwerkers en andere ontvangers",
        (Lang::Nl, A::NothingFound) => "Er zijn geen persoonsgegevens gevonden; het antwoord zegt dat en legt de verwerkingen toch uit.",
        (Lang::Nl, A::SendPackage) => "Naar de aanvrager sturen",
        (Lang::Nl, A::SendPackageHelp) => "Mailt het bevestigde adres een downloadlink (de gegevens als pagina, JSON en CSV) en handelt het verzoek af. De link vraagt opnieuw om het e-mailadres.",
        (Lang::Nl, A::Reply) => "Antwoord (u kunt het aanpassen)",
        (Lang::Nl, A::SendReply) => "Antwoord versturen en afhandelen",
        (Lang::Nl, A::SendReplyHelp) => "Vul de delen tussen [haken] in. Het antwoord wordt naar de aanvrager gemaild en het verzoek afgehandeld.",
        (Lang::Nl, A::PrepareAgain) => "Opnieuw voorbereiden",
        (Lang::Nl, A::AccessTitle) => "Uw gegevens",
        (Lang::Nl, A::AccessIntro) => "Vul het e-mailadres in waarmee u het verzoek deed om het antwoord op uw privacyverzoek te openen.",
        (Lang::Nl, A::Email) => "E-mailadres",
        (Lang::Nl, A::Open) => "Openen",
        (Lang::Nl, A::LinkFailed) => "Deze link opent geen antwoord: het e-mailadres is niet het adres waarmee het verzoek is gedaan, of de link is verlopen. Controleer het adres en probeer het opnieuw, of vraag de winkel om een nieuwe link.",
    }
}
