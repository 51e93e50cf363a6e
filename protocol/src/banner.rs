//! The banner's words and the settings button's, in every language, as an
//! exhaustive `match` (a message without a Dutch or English text does not
//! compile). The edge sends them with the shop's configuration (`banner` in `GET
//! /api/shops/<shop>/config`), so that the loader (`widget/loader.js`) draws the
//! banner as soon as the configuration is there, before the consent module has
//! arrived; the widget's dialog takes the button words it shares from here.

use serde::Serialize;

use crate::Lang;

#[derive(Clone, Copy)]
pub enum BannerMsg {
    /// Accessible name of the banner region.
    Label,
    Title,
    Body,
    /// The link to the shop's privacy policy after the body.
    PrivacyPolicy,
    AcceptAll,
    RejectAll,
    Preferences,
    /// The floating button that reopens the preferences after a choice.
    CookieSettings,
}

/// Inlined, so that a WASM module carries only the words it uses.
#[inline(always)]
pub fn text(lang: Lang, msg: BannerMsg) -> &'static str {
    use BannerMsg::*;
    match (lang, msg) {
        (Lang::En, Label) => "Cookie consent",
        (Lang::En, Title) => "Cookies on this shop",
        (Lang::En, Body) => "We use necessary cookies to make the shop work. With your permission we also use preference cookies to remember your settings, analytics cookies to understand how visitors use the shop, and marketing cookies to measure our ads. Nothing optional is used until you choose. You can change your choice at any time under “Cookie settings”.",
        (Lang::En, PrivacyPolicy) => "Privacy policy",
        (Lang::En, AcceptAll) => "Accept all",
        (Lang::En, RejectAll) => "Reject all",
        (Lang::En, Preferences) => "Preferences",
        (Lang::En, CookieSettings) => "Cookie settings",
        (Lang::Nl, Label) => "Cookietoestemming",
        (Lang::Nl, Title) => "Cookies in deze winkel",
        (Lang::Nl, Body) => "Wij gebruiken noodzakelijke cookies om de winkel te laten werken. Met uw toestemming gebruiken we ook voorkeurscookies om uw instellingen te onthouden, analytische cookies om te begrijpen hoe bezoekers de winkel gebruiken, en marketingcookies om onze advertenties te meten. Niets optioneels wordt gebruikt voordat u kiest. U kunt uw keuze altijd wijzigen via ‘Cookie-instellingen’.",
        (Lang::Nl, PrivacyPolicy) => "Privacybeleid",
        (Lang::Nl, AcceptAll) => "Alles accepteren",
        (Lang::Nl, RejectAll) => "Alles weigeren",
        (Lang::Nl, Preferences) => "Voorkeuren",
        (Lang::Nl, CookieSettings) => "Cookie-instellingen",
    }
}

/// The words of one language, as the loader reads them.
#[derive(Clone, Copy, Serialize)]
pub struct BannerText {
    pub label: &'static str,
    pub title: &'static str,
    pub body: &'static str,
    pub policy: &'static str,
    pub accept: &'static str,
    pub reject: &'static str,
    pub preferences: &'static str,
    pub settings: &'static str,
}

impl BannerText {
    pub fn of(lang: Lang) -> BannerText {
        use BannerMsg::*;
        BannerText {
            label: text(lang, Label),
            title: text(lang, Title),
            body: text(lang, Body),
            policy: text(lang, PrivacyPolicy),
            accept: text(lang, AcceptAll),
            reject: text(lang, RejectAll),
            preferences: text(lang, Preferences),
            settings: text(lang, CookieSettings),
        }
    }
}

/// `banner` in the configuration: `{"en": {...}, "nl": {...}}`, every language,
/// so that the configuration stays one cacheable answer for all visitors.
#[derive(Clone, Copy, Serialize)]
pub struct Banner {
    pub en: BannerText,
    pub nl: BannerText,
}

impl Banner {
    pub fn standard() -> Banner {
        Banner {
            en: BannerText::of(Lang::En),
            nl: BannerText::of(Lang::Nl),
        }
    }
}
