//! What the widget does on page load and on every choice: show the banner or not,
//! which Consent Mode state to signal, what to store and what to log. Inputs are
//! plain values (the shop's config, the stored cookie, the GPC flag, today's date).

use crate::prelude::*;

use protocol::{Choices, ConsentRecord, ConsentSource, Lang};

use super::stored::StoredConsent;

pub const NOTHING: Choices = Choices {
    analytics: false,
    marketing: false,
};
pub const EVERYTHING: Choices = Choices {
    analytics: true,
    marketing: true,
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
pub enum OnLoad {
    /// A valid choice is stored: apply it, no banner.
    Keep(Choices),
    /// No valid choice, but the browser sends GPC: reject analytics and marketing,
    /// store and log that as a GPC choice, and do not put the banner in the way.
    RejectByGpc,
    /// No valid choice: everything stays denied and the banner asks.
    Ask,
}

pub fn on_load(ctx: &Context) -> OnLoad {
    match ctx.stored {
        Some(stored) if is_current(stored, ctx) => OnLoad::Keep(stored.choices),
        _ if ctx.gpc => OnLoad::RejectByGpc,
        _ => OnLoad::Ask,
    }
}

/// A stored choice counts if it was made under the current policy, is not older
/// than the shop's consent lifetime (nor dated in the future), and - if it only
/// came from GPC - the browser still sends GPC.
fn is_current(stored: &StoredConsent, ctx: &Context) -> bool {
    let age = i64::from(ctx.today) - i64::from(stored.day);
    stored.policy_version == ctx.policy_version
        && (-1..i64::from(ctx.max_age_days)).contains(&age)
        && (stored.source != ConsentSource::Gpc || ctx.gpc)
}

/// The Consent Mode v2 state for a choice, in the order the tags expect.
pub fn consent_mode(choices: Choices) -> [(&'static str, bool); 4] {
    [
        ("ad_storage", choices.marketing),
        ("ad_user_data", choices.marketing),
        ("ad_personalization", choices.marketing),
        ("analytics_storage", choices.analytics),
    ]
}

/// The cookie to store for a new choice. A visitor keeps one consent id, so that
/// every later change is linked to the first choice in the shop's log.
pub fn new_stored(
    previous: Option<&StoredConsent>,
    choices: Choices,
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
        choices,
        source,
        day: today,
        consent_id,
        policy_version: policy_version.into(),
    }
}

/// What a new choice takes away compared with the one in force before.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(test, derive(Debug))]
pub struct Withdrawn {
    pub analytics: bool,
    pub marketing: bool,
}

/// `before` is the state in force (denied everywhere when nothing was chosen).
pub fn withdrawn(before: Choices, after: Choices) -> Withdrawn {
    Withdrawn {
        analytics: before.analytics && !after.analytics,
        marketing: before.marketing && !after.marketing,
    }
}

/// Whether a held-back `<script type="text/plain" data-category data-service>` may
/// run: its category is granted and, when `data-service` names one of the shop's
/// configured services, that service's category too (a script marked "analytics"
/// cannot bring in a service the shop declares as marketing). Until the widget has
/// a `preferences` category of its own, it is granted only with everything else,
/// as Shopify's `preferences` is. An unknown category never runs.
pub fn script_allowed(
    choices: Choices,
    category: &str,
    service: Option<&str>,
    services: &[protocol::Service],
) -> bool {
    let granted = match category {
        "analytics" => choices.analytics,
        "marketing" => choices.marketing,
        "preferences" => choices.analytics && choices.marketing,
        _ => false,
    };
    let service_granted = match services.iter().find(|s| Some(s.name.as_str()) == service) {
        Some(s) => match s.category {
            protocol::Category::Analytics => choices.analytics,
            protocol::Category::Marketing => choices.marketing,
        },
        None => true,
    };
    granted && service_granted
}

/// The proof-of-consent record for a stored choice.
pub fn record(shop: &str, stored: &StoredConsent, lang: Lang, gpc: bool) -> ConsentRecord {
    ConsentRecord {
        shop: shop.into(),
        consent_id: stored.consent_id.clone(),
        policy_version: stored.policy_version.clone(),
        choices: stored.choices,
        source: stored.source,
        lang,
        gpc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: i32 = 20_781;
    const ANALYTICS_ONLY: Choices = Choices {
        analytics: true,
        marketing: false,
    };

    fn stored(choices: Choices, source: ConsentSource, day: i32, policy: &str) -> StoredConsent {
        StoredConsent {
            choices,
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
            (
                Some(stored(EVERYTHING, Banner, TODAY, "v1")),
                false,
                Keep(EVERYTHING),
            ),
            (
                Some(stored(NOTHING, Banner, TODAY, "v1")),
                false,
                Keep(NOTHING),
            ),
            // an explicit choice beats GPC
            (
                Some(stored(ANALYTICS_ONLY, Preferences, TODAY, "v1")),
                true,
                Keep(ANALYTICS_ONLY),
            ),
            (
                Some(stored(EVERYTHING, Banner, TODAY, "v1")),
                true,
                Keep(EVERYTHING),
            ),
            // a GPC choice holds while GPC is on, and is asked again when it is off
            (
                Some(stored(NOTHING, Gpc, TODAY - 3, "v1")),
                true,
                Keep(NOTHING),
            ),
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
                Keep(EVERYTHING),
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
                Keep(EVERYTHING),
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
            assert!(on_load(&ctx) == *want, "case {i}");
        }
    }

    #[test]
    fn consent_mode_maps_categories() {
        assert_eq!(
            consent_mode(ANALYTICS_ONLY),
            [
                ("ad_storage", false),
                ("ad_user_data", false),
                ("ad_personalization", false),
                ("analytics_storage", true)
            ]
        );
        assert!(consent_mode(EVERYTHING).iter().all(|(_, on)| *on));
        assert!(consent_mode(NOTHING).iter().all(|(_, on)| !*on));
    }

    #[test]
    fn consent_id_is_kept_across_changes() {
        let first = new_stored(None, EVERYTHING, ConsentSource::Banner, "v1", TODAY, || {
            "fresh-id-0123456789ab".into()
        });
        assert_eq!(first.consent_id, "fresh-id-0123456789ab");
        let second = new_stored(
            Some(&first),
            NOTHING,
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
        assert_eq!(
            withdrawn(EVERYTHING, NOTHING),
            Withdrawn {
                analytics: true,
                marketing: true
            }
        );
        assert_eq!(
            withdrawn(EVERYTHING, ANALYTICS_ONLY),
            Withdrawn {
                analytics: false,
                marketing: true
            }
        );
        assert_eq!(withdrawn(NOTHING, EVERYTHING), Withdrawn::default());
    }

    #[test]
    fn record_carries_the_choice() {
        let s = stored(NOTHING, ConsentSource::Gpc, TODAY, "v1");
        let r = record("demo-nl", &s, Lang::Nl, true);
        assert_eq!(r.consent_id, s.consent_id);
        assert!(r.source == ConsentSource::Gpc);
        assert!(r.gpc);
        assert!(protocol::validate::consent_record(&r).is_empty());
    }

    #[test]
    fn held_back_scripts() {
        let meta = protocol::Service {
            name: "Meta Pixel".into(),
            provider: None,
            category: protocol::Category::Marketing,
            purpose: protocol::Localized {
                en: String::new(),
                nl: String::new(),
            },
            cookies: Vec::new(),
            retention: protocol::Localized {
                en: String::new(),
                nl: String::new(),
            },
            policy_url: String::new(),
        };
        let analytics_only = Choices {
            analytics: true,
            marketing: false,
        };
        let marketing_only = Choices {
            analytics: false,
            marketing: true,
        };
        let cases: &[(Choices, &str, Option<&str>, bool)] = &[
            (NOTHING, "analytics", None, false),
            (NOTHING, "marketing", None, false),
            (NOTHING, "preferences", None, false),
            (EVERYTHING, "analytics", None, true),
            (EVERYTHING, "marketing", Some("Meta Pixel"), true),
            (EVERYTHING, "preferences", None, true),
            (EVERYTHING, "functional", None, false),
            (EVERYTHING, "", None, false),
            (analytics_only, "analytics", None, true),
            (analytics_only, "marketing", None, false),
            (analytics_only, "preferences", None, false),
            // The configured service's own category counts too.
            (analytics_only, "analytics", Some("Meta Pixel"), false),
            (marketing_only, "marketing", Some("Meta Pixel"), true),
            (marketing_only, "marketing", Some("Unlisted Chat"), true),
            (marketing_only, "analytics", Some("Unlisted Chat"), false),
        ];
        for (i, &(choices, category, service, expected)) in cases.iter().enumerate() {
            assert_eq!(
                script_allowed(choices, category, service, core::slice::from_ref(&meta)),
                expected,
                "case {i}: {category} {service:?}"
            );
        }
    }
}
