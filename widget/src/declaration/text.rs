//! The cookie declaration's own words, per language, as an exhaustive `match`: a
//! missing Dutch (or English) text does not compile. The category names and
//! descriptions are the banner's and dialog's (`core::text`), so the declaration
//! says what the preferences say.

use protocol::Lang;

#[derive(Clone, Copy)]
pub enum Word {
    Service,
    Provider,
    YourChoice,
    Allowed,
    NotAllowed,
    NotChosen,
    ChangeSettings,
    /// The necessary cookie Privacy Desk itself sets (`pd_consent`).
    ConsentCookie,
    ConsentCookiePurpose,
    Days,
    /// Accessible name of a category's table region: "<Category>: services".
    ServicesOf,
}

#[inline(always)]
pub fn word(lang: Lang, word: Word) -> &'static str {
    use Word::*;
    match lang {
        Lang::En => match word {
            Service => "Service",
            Provider => "Provider",
            YourChoice => "Your choice",
            Allowed => "Allowed",
            NotAllowed => "Not allowed",
            NotChosen => "Not chosen yet",
            ChangeSettings => "Change cookie settings",
            ConsentCookie => "Cookie choice",
            ConsentCookiePurpose => "Remembers your cookie choice (a random code, your choice and the date), so that we do not ask again on every page.",
            Days => " days",
            ServicesOf => ": services",
        },
        Lang::Nl => match word {
            Service => "Dienst",
            Provider => "Aanbieder",
            YourChoice => "Uw keuze",
            Allowed => "Toegestaan",
            NotAllowed => "Niet toegestaan",
            NotChosen => "Nog niet gekozen",
            ChangeSettings => "Cookie-instellingen wijzigen",
            ConsentCookie => "Cookiekeuze",
            ConsentCookiePurpose => "Onthoudt uw cookiekeuze (een willekeurige code, uw keuze en de datum), zodat we niet op elke pagina opnieuw vragen.",
            Days => " dagen",
            ServicesOf => ": diensten",
        },
    }
}

/// What a choice shows: allowed, not allowed, or no choice yet (`None`).
pub fn choice(lang: Lang, granted: Option<bool>) -> &'static str {
    match granted {
        Some(true) => word(lang, Word::Allowed),
        Some(false) => word(lang, Word::NotAllowed),
        None => word(lang, Word::NotChosen),
    }
}
