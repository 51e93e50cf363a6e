//! What the widget does on page load and on every choice: show the banner or not,
//! which Consent Mode state to signal, what to store and what to log. Inputs are
//! plain values (the shop's config, the stored cookie, the GPC flag, today's date).

use crate::prelude::*;

use protocol::{Category, Choices, ConsentRecord, ConsentSource, Lang, Service, ServiceChoice};

pub use super::consent::{Consent, GOOGLE_ADS, GOOGLE_ANALYTICS};

use super::stored::StoredConsent;

pub const NOTHING: Choices = Choices {
    analytics: false,
    marketing: false,
    preferences: false,
};
pub const EVERYTHING: Choices = Choices {
    analytics: true,
    marketing: true,
    preferences: true,
};

/// What the page-load decision needs to know.
pub struct Context<'a> {
    pub stored: Option<&'a StoredConsent>,
    /// The shop's current policy version (from its config).
    pub policy_version: &'a str,
    pub max_age_days: u32,
    /// `navigator.globalPrivacyControl`.
    pub gpc: bool,
    /// Today, in days since the epoch.
    pub today: i32,
}

/// The outcome of a page load.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum OnLoad {
    /// A valid choice is stored: apply it, no banner.
    Keep,
    /// No valid choice, but the browser sends GPC: reject every optional
    /// category, store and log that as a GPC choice, and do not put the banner in
    /// the way.
    RejectByGpc,
    /// No valid choice: everything stays denied and the banner asks.
    Ask,
}

pub fn on_load(ctx: &Context) -> OnLoad {
    match ctx.stored {
        Some(stored) if is_current(stored, ctx) => OnLoad::Keep,
        _ if ctx.gpc => OnLoad::RejectByGpc,
        _ => OnLoad::Ask,
    }
}

/// A stored choice counts if it was made under the current policy, is not older
/// than the shop's consent lifetime (nor dated in the future), and - if it only
/// came from GPC - the browser still sends GPC. `widget/loader.js` applies the
/// same policy and age rules before it restores a grant.
fn is_current(stored: &StoredConsent, ctx: &Context) -> bool {
    let age = i64::from(ctx.today) - i64::from(stored.day);
    stored.policy_version == ctx.policy_version
        && (-1..i64::from(ctx.max_age_days)).contains(&age)
        && (stored.source != ConsentSource::Gpc || ctx.gpc)
}

/// The Consent Mode v2 state for a choice, in the order the tags expect.
/// `security_storage` is always granted (strictly necessary).
pub fn consent_mode(consent: &Consent, services: &[Service]) -> [(&'static str, bool); 7] {
    let ads = consent.google(GOOGLE_ADS, Category::Marketing, services);
    let analytics = consent.google(GOOGLE_ANALYTICS, Category::Analytics, services);
    let preferences = consent.choices.preferences;
    [
        ("ad_storage", ads),
        ("ad_user_data", ads),
        ("ad_personalization", ads),
        ("analytics_storage", analytics),
        ("functionality_storage", preferences),
        ("personalization_storage", preferences),
        ("security_storage", true),
    ]
}

/// The cookie to store for a new choice. A visitor keeps one consent id, so that
/// every later change is linked to the first choice in the shop's log.
pub fn new_stored(
    previous: Option<&StoredConsent>,
    consent: Consent,
    source: ConsentSource,
    policy_version: &str,
    today: i32,
    fresh_id: impl FnOnce() -> String,
) -> StoredConsent {
    let consent_id = match previous {
        Some(p) => p.consent_id.clone(),
        None => fresh_id(),
    };
    StoredConsent {
        consent,
        source,
        day: today,
        consent_id,
        policy_version: policy_version.into(),
    }
}

/// What a new choice takes away compared with the one in force before: Google's
/// two signals (their cookies go) and the configured services no longer accepted
/// (their listed cookies and `localStorage` keys go).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Withdrawn<'a> {
    pub analytics: bool,
    pub marketing: bool,
    pub services: Vec<&'a Service>,
}

/// `before` is the state in force (`None`: on page load, anything not allowed
/// now counts as withdrawn, so leftovers are cleaned up).
pub fn withdrawn<'a>(
    before: Option<&Consent>,
    after: &Consent,
    services: &'a [Service],
) -> Withdrawn<'a> {
    let all = Consent::of(EVERYTHING);
    let before = before.unwrap_or(&all);
    let [ads, _, _, analytics, ..] = consent_mode(before, services);
    let [ads_now, _, _, analytics_now, ..] = consent_mode(after, services);
    Withdrawn {
        analytics: analytics.1 && !analytics_now.1,
        marketing: ads.1 && !ads_now.1,
        services: services
            .iter()
            .filter(|s| before.service(s) && !after.service(s))
            .collect(),
    }
}

/// Whether a held-back `<script type="text/plain" data-category data-service>` (or
/// a held-back embed) may run: when `data-service` names one of the shop's
/// configured services, that service's choice decides (its own category, or its
/// own switch: a script marked "analytics" cannot bring in a service the shop
/// declares as marketing); otherwise its category's. An unknown category never
/// runs.
pub fn script_allowed(
    consent: &Consent,
    category: &str,
    service: Option<&str>,
    services: &[Service],
) -> bool {
    let Some(granted) = consent
        .category(category)
        .filter(|_| category != "necessary")
    else {
        return false;
    };
    match services.iter().find(|s| Some(s.name.as_str()) == service) {
        Some(s) => consent.service(s),
        None => granted,
    }
}

/// The proof-of-consent record for a stored choice: the categories and every
/// configured service's choice.
pub fn record(
    shop: &str,
    stored: &StoredConsent,
    lang: Lang,
    gpc: bool,
    services: &[Service],
) -> ConsentRecord {
    ConsentRecord {
        shop: shop.into(),
        consent_id: stored.consent_id.clone(),
        policy_version: stored.policy_version.clone(),
        choices: stored.consent.choices,
        source: stored.source,
        lang,
        gpc,
        services: services
            .iter()
            .map(|s| ServiceChoice {
                name: s.name.clone(),
                granted: stored.consent.service(s),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fixtures::*;

    const TODAY: i32 = 20_781;

    fn stored(choices: Choices, source: ConsentSource, day: i32, policy: &str) -> StoredConsent {
        StoredConsent {
            consent: Consent::of(choices),
            source,
            day,
            consent_id: "q3xTLdT0mO4p4rKQyL7Z1w".into(),
            policy_version: policy.into(),
        }
    }

    #[test]
    fn page_load_table() {
        use ConsentSource::*;
        use OnLoad::*;
        // (stored, gpc, expected)
        let cases: Vec<(Option<StoredConsent>, bool, OnLoad)> = vec![
            (None, false, Ask),
            (None, true, RejectByGpc),
            (Some(stored(EVERYTHING, Banner, TODAY, "v1")), false, Keep),
            (Some(stored(NOTHING, Banner, TODAY, "v1")), false, Keep),
            // an explicit choice beats GPC
            (
                Some(stored(ANALYTICS_ONLY, Preferences, TODAY, "v1")),
                true,
                Keep,
            ),
            (Some(stored(EVERYTHING, Banner, TODAY, "v1")), true, Keep),
            // a GPC choice holds while GPC is on, and is asked again when it is off
            (Some(stored(NOTHING, Gpc, TODAY - 3, "v1")), true, Keep),
            (Some(stored(NOTHING, Gpc, TODAY - 3, "v1")), false, Ask),
            // the shop bumped its policy version
            (Some(stored(EVERYTHING, Banner, TODAY, "v0")), false, Ask),
            (
                Some(stored(EVERYTHING, Banner, TODAY, "v0")),
                true,
                RejectByGpc,
            ),
            // lifetime: 183 days
            (
                Some(stored(EVERYTHING, Banner, TODAY - 182, "v1")),
                false,
                Keep,
            ),
            (
                Some(stored(EVERYTHING, Banner, TODAY - 183, "v1")),
                false,
                Ask,
            ),
            (
                Some(stored(EVERYTHING, Banner, TODAY - 5000, "v1")),
                false,
                Ask,
            ),
            // a clock a day off is tolerated, a date far in the future is not
            (
                Some(stored(EVERYTHING, Banner, TODAY + 1, "v1")),
                false,
                Keep,
            ),
            (
                Some(stored(EVERYTHING, Banner, TODAY + 30, "v1")),
                false,
                Ask,
            ),
        ];
        for (i, (stored, gpc, want)) in cases.iter().enumerate() {
            let ctx = Context {
                stored: stored.as_ref(),
                policy_version: "v1",
                max_age_days: 183,
                gpc: *gpc,
                today: TODAY,
            };
            assert_eq!(on_load(&ctx), *want, "case {i}");
        }
    }

    #[test]
    fn consent_mode_maps_categories_and_google_services() {
        let on = |c: &Consent, list: &[Service]| -> Vec<&'static str> {
            consent_mode(c, list)
                .iter()
                .filter(|(_, on)| *on)
                .map(|(k, _)| *k)
                .collect()
        };
        let ads = ["ad_storage", "ad_user_data", "ad_personalization"];
        let prefs = ["functionality_storage", "personalization_storage"];
        let list = services();
        let cases: Vec<(Consent, Vec<&str>)> = vec![
            (Consent::of(NOTHING), vec!["security_storage"]),
            (
                Consent::of(ANALYTICS_ONLY),
                vec!["analytics_storage", "security_storage"],
            ),
            (
                Consent::of(EVERYTHING),
                [
                    &ads[..],
                    &["analytics_storage"],
                    &prefs,
                    &["security_storage"],
                ]
                .concat(),
            ),
            (
                Consent::of(Choices {
                    preferences: true,
                    ..NOTHING
                }),
                [&prefs[..], &["security_storage"]].concat(),
            ),
            (
                Consent::of(MARKETING_ONLY),
                [&ads[..], &["security_storage"]].concat(),
            ),
            // Google Analytics switched off on its own, analytics kept for others.
            (
                consent(ANALYTICS_ONLY, &[(GOOGLE_ANALYTICS, false)]),
                vec!["security_storage"],
            ),
            // ... or on on its own, without the category.
            (
                consent(NOTHING, &[(GOOGLE_ANALYTICS, true)]),
                vec!["analytics_storage", "security_storage"],
            ),
            // Another marketing service does not move Google's ad signals.
            (
                consent(NOTHING, &[("Meta Pixel", true)]),
                vec!["security_storage"],
            ),
        ];
        for (i, (c, want)) in cases.iter().enumerate() {
            assert_eq!(on(c, &list), *want, "case {i}");
        }
    }

    #[test]
    fn consent_id_is_kept_across_changes() {
        let first = new_stored(
            None,
            Consent::of(EVERYTHING),
            ConsentSource::Banner,
            "v1",
            TODAY,
            || "fresh-id-0123456789ab".into(),
        );
        assert_eq!(first.consent_id, "fresh-id-0123456789ab");
        let second = new_stored(
            Some(&first),
            Consent::of(NOTHING),
            ConsentSource::Preferences,
            "v2",
            TODAY + 1,
            || unreachable!(),
        );
        assert_eq!(second.consent_id, first.consent_id);
        assert_eq!(second.policy_version, "v2");
        assert_eq!(second.day, TODAY + 1);
    }

    #[test]
    fn withdrawal() {
        let list = services();
        let names =
            |w: &Withdrawn| -> Vec<String> { w.services.iter().map(|s| s.name.clone()).collect() };
        let w = withdrawn(Some(&Consent::of(EVERYTHING)), &Consent::of(NOTHING), &list);
        assert!(w.analytics && w.marketing);
        assert_eq!(
            names(&w),
            [GOOGLE_ANALYTICS, "Meta Pixel", "YouTube", "Chat"]
        );
        let w = withdrawn(
            Some(&Consent::of(EVERYTHING)),
            &consent(EVERYTHING, &[("Meta Pixel", false)]),
            &list,
        );
        assert!(!w.analytics && !w.marketing);
        assert_eq!(names(&w), ["Meta Pixel"]);
        let w = withdrawn(
            Some(&Consent::of(EVERYTHING)),
            &consent(EVERYTHING, &[(GOOGLE_ANALYTICS, false)]),
            &list,
        );
        assert!(w.analytics && !w.marketing);
        let w = withdrawn(Some(&Consent::of(NOTHING)), &Consent::of(EVERYTHING), &list);
        assert!(w == Withdrawn::default());
        // On page load everything the choice does not allow counts as withdrawn.
        let w = withdrawn(None, &consent(MARKETING_ONLY, &[("YouTube", false)]), &list);
        assert!(w.analytics && !w.marketing);
        assert_eq!(names(&w), [GOOGLE_ANALYTICS, "YouTube", "Chat"]);
    }

    #[test]
    fn record_carries_the_choice_and_every_service() {
        let mut s = stored(MARKETING_ONLY, ConsentSource::Gpc, TODAY, "v1");
        s.consent.services.push(("YouTube".into(), false));
        let r = record("demo-nl", &s, Lang::Nl, true, &services());
        assert_eq!(r.consent_id, s.consent_id);
        assert!(r.source == ConsentSource::Gpc);
        assert!(r.gpc);
        let got: Vec<(&str, bool)> = r
            .services
            .iter()
            .map(|c| (c.name.as_str(), c.granted))
            .collect();
        assert_eq!(
            got,
            [
                (GOOGLE_ANALYTICS, false),
                ("Meta Pixel", true),
                ("YouTube", false),
                ("Chat", false)
            ]
        );
        assert!(protocol::validate::consent_record(&r).is_empty());
    }

    #[test]
    fn held_back_scripts() {
        let list = services();
        let denied_pixel = consent(MARKETING_ONLY, &[("Meta Pixel", false)]);
        let pixel_alone = consent(NOTHING, &[("Meta Pixel", true)]);
        let prefs_only = Consent::of(Choices {
            preferences: true,
            ..NOTHING
        });
        let cases: &[(&Consent, &str, Option<&str>, bool)] = &[
            (&Consent::of(NOTHING), "analytics", None, false),
            (&Consent::of(NOTHING), "marketing", None, false),
            (&Consent::of(NOTHING), "preferences", None, false),
            (&Consent::of(EVERYTHING), "analytics", None, true),
            (
                &Consent::of(EVERYTHING),
                "marketing",
                Some("Meta Pixel"),
                true,
            ),
            (&Consent::of(EVERYTHING), "preferences", None, true),
            (&Consent::of(EVERYTHING), "functional", None, false),
            (&Consent::of(EVERYTHING), "necessary", None, false),
            (&Consent::of(EVERYTHING), "", None, false),
            (&Consent::of(ANALYTICS_ONLY), "analytics", None, true),
            (&Consent::of(ANALYTICS_ONLY), "marketing", None, false),
            (&Consent::of(ANALYTICS_ONLY), "preferences", None, false),
            (&prefs_only, "preferences", None, true),
            (&prefs_only, "preferences", Some("Chat"), true),
            (&prefs_only, "marketing", None, false),
            // The configured service's own category counts, not the script's.
            (
                &Consent::of(ANALYTICS_ONLY),
                "analytics",
                Some("Meta Pixel"),
                false,
            ),
            (
                &Consent::of(MARKETING_ONLY),
                "marketing",
                Some("Meta Pixel"),
                true,
            ),
            (
                &Consent::of(MARKETING_ONLY),
                "marketing",
                Some("Unlisted Chat"),
                true,
            ),
            (
                &Consent::of(MARKETING_ONLY),
                "analytics",
                Some("Unlisted Chat"),
                false,
            ),
            // A service denied on its own stays held back in a granted category...
            (&denied_pixel, "marketing", Some("Meta Pixel"), false),
            (&denied_pixel, "marketing", Some("YouTube"), true),
            (&denied_pixel, "marketing", None, true),
            // ... and one granted on its own runs without its category.
            (&pixel_alone, "marketing", Some("Meta Pixel"), true),
            (&pixel_alone, "marketing", Some("YouTube"), false),
            (&pixel_alone, "marketing", None, false),
        ];
        for (i, &(c, category, service, expected)) in cases.iter().enumerate() {
            assert_eq!(
                script_allowed(c, category, service, &list),
                expected,
                "case {i}: {category} {service:?}"
            );
        }
    }
}
