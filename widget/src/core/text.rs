//! Every text the consent widget shows, as an exhaustive `match` per language:
//! a message without a Dutch (or English) text does not compile.

use protocol::Lang;

#[derive(Clone, Copy)]
pub enum Msg {
    /// Accessible name of the banner region.
    BannerLabel,
    BannerTitle,
    BannerBody,
    AcceptAll,
    RejectAll,
    Preferences,
    PrefsTitle,
    PrefsIntro,
    SaveChoices,
    Close,
    Necessary,
    NecessaryDesc,
    Analytics,
    AnalyticsDesc,
    Marketing,
    MarketingDesc,
    PreferencesDesc,
    /// "Services in <category>": the button that shows a category's services.
    ServicesIn,
    /// Under the categories: a withdrawal reloads the page.
    ReloadNote,
    AlwaysOn,
    NoServices,
    Purpose,
    Cookies,
    Retention,
    ProviderPolicy,
    PrivacyPolicy,
    CookieSettings,
}

/// Inlined everywhere, so that each module only carries the texts it shows (the
/// banner's in the consent module, the dialog's in the dialog module) instead of
/// one table of all of them.
#[inline(always)]
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::En => en(msg),
        Lang::Nl => nl(msg),
    }
}

#[inline(always)]
fn en(msg: Msg) -> &'static str {
    use Msg::*;
    match msg {
        BannerLabel => "Cookie consent",
        BannerTitle => "Cookies on this shop",
        BannerBody => "We use necessary cookies to make the shop work. With your permission we also use preference cookies to remember your settings, analytics cookies to understand how visitors use the shop, and marketing cookies to measure our ads. Nothing optional is used until you choose. You can change your choice at any time under “Cookie settings”.",
        AcceptAll => "Accept all",
        RejectAll => "Reject all",
        Preferences => "Preferences",
        PrefsTitle => "Cookie preferences",
        PrefsIntro => "Choose which optional cookies this shop may use. Necessary cookies are always on, because the shop does not work without them.",
        SaveChoices => "Save choices",
        Close => "Close",
        Necessary => "Necessary",
        NecessaryDesc => "Keep the shop working: your basket, security, and remembering this cookie choice.",
        Analytics => "Analytics",
        AnalyticsDesc => "Count visits and see which pages are used, so we can improve the shop.",
        Marketing => "Marketing",
        MarketingDesc => "Measure the results of our advertising and show you relevant ads.",
        PreferencesDesc => "Remember your settings and choices, such as your language or a chat you started.",
        ServicesIn => "Services in",
        ReloadNote => "If you withdraw a consent, the page reloads, so that what already runs under it stops.",
        AlwaysOn => "Always on",
        NoServices => "No services in this category.",
        Purpose => "Purpose",
        Cookies => "Cookies",
        Retention => "Retention",
        ProviderPolicy => "Privacy policy of",
        PrivacyPolicy => "Privacy policy",
        CookieSettings => "Cookie settings",
    }
}

#[inline(always)]
fn nl(msg: Msg) -> &'static str {
    use Msg::*;
    match msg {
        BannerLabel => "Cookietoestemming",
        BannerTitle => "Cookies in deze winkel",
        BannerBody => "Wij gebruiken noodzakelijke cookies om de winkel te laten werken. Met uw toestemming gebruiken we ook voorkeurscookies om uw instellingen te onthouden, analytische cookies om te begrijpen hoe bezoekers de winkel gebruiken, en marketingcookies om onze advertenties te meten. Niets optioneels wordt gebruikt voordat u kiest. U kunt uw keuze altijd wijzigen via ‘Cookie-instellingen’.",
        AcceptAll => "Alles accepteren",
        RejectAll => "Alles weigeren",
        Preferences => "Voorkeuren",
        PrefsTitle => "Cookievoorkeuren",
        PrefsIntro => "Kies welke optionele cookies deze winkel mag gebruiken. Noodzakelijke cookies staan altijd aan, omdat de winkel zonder ze niet werkt.",
        SaveChoices => "Keuze opslaan",
        Close => "Sluiten",
        Necessary => "Noodzakelijk",
        NecessaryDesc => "Houden de winkel werkend: uw winkelmandje, beveiliging en het onthouden van deze cookiekeuze.",
        Analytics => "Analytisch",
        AnalyticsDesc => "Bezoeken tellen en zien welke pagina’s gebruikt worden, zodat we de winkel kunnen verbeteren.",
        Marketing => "Marketing",
        MarketingDesc => "De resultaten van onze advertenties meten en u relevante advertenties tonen.",
        PreferencesDesc => "Uw instellingen en keuzes onthouden, zoals uw taal of een chat die u begon.",
        ServicesIn => "Diensten in",
        ReloadNote => "Trekt u een toestemming in, dan wordt de pagina opnieuw geladen, zodat wat daaronder al draait stopt.",
        AlwaysOn => "Altijd aan",
        NoServices => "Geen diensten in deze categorie.",
        Purpose => "Doel",
        Cookies => "Cookies",
        Retention => "Bewaartermijn",
        ProviderPolicy => "Privacybeleid van",
        PrivacyPolicy => "Privacybeleid",
        CookieSettings => "Cookie-instellingen",
    }
}
