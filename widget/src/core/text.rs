//! Every text the consent widget shows, as an exhaustive `match` per language:
//! a message without a Dutch (or English) text does not compile.

use protocol::banner::{self, BannerMsg};
use protocol::Lang;

#[derive(Clone, Copy)]
pub enum Msg {
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
}

/// Inlined everywhere, so that each module only carries the texts it shows
/// instead of one table of all of them. The banner's own words come with the
/// shop's configuration (`protocol::banner`); the loader draws the banner.
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
        // The words the dialog shares with the banner are the banner's.
        AcceptAll => banner::text(Lang::En, BannerMsg::AcceptAll),
        RejectAll => banner::text(Lang::En, BannerMsg::RejectAll),
        Preferences => banner::text(Lang::En, BannerMsg::Preferences),
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
    }
}

#[inline(always)]
fn nl(msg: Msg) -> &'static str {
    use Msg::*;
    match msg {
        // The words the dialog shares with the banner are the banner's.
        AcceptAll => banner::text(Lang::Nl, BannerMsg::AcceptAll),
        RejectAll => banner::text(Lang::Nl, BannerMsg::RejectAll),
        Preferences => banner::text(Lang::Nl, BannerMsg::Preferences),
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
    }
}
