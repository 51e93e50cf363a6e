//! The returning-visit rules as data, the one source of truth for their JS twin in
//! `widget/loader.js`: cookie values (formats 1 and 2, with per-service
//! exceptions, outdated, broken), shop configurations, GPC, cookies and
//! `localStorage` keys present and held-back scripts go in; what the core decides
//! comes out (restored or not, the Consent Mode update, the Google tag, the scripts
//! that may run, `getConsent()`, `acceptedCategory`/`acceptedService`, whether the
//! module's clean-up at start has anything to do). The test fails when that differs
//! from the committed `widget/tests/returning-cases.json`; `UPDATE_RETURNING_CASES=1
//! cargo test -p widget returning_cases` rewrites it. `tests/e2e/consent-returning
//! .test.mjs` runs the loader in Chromium on every case and checks it against the
//! same file.

use protocol::{Category, Choices, ConsentSource, Service};
use serde_json::{json, Map, Value};

use super::consent::{Consent, GOOGLE_ADS, GOOGLE_ANALYTICS};
use super::decide::{self, Context, OnLoad, EVERYTHING, NOTHING};
use super::fixtures::{golden_file, service_storing as service, ANALYTICS_ONLY, MARKETING_ONLY};
use super::stored::{self, StoredConsent};
use super::{date, ga_cookies, json as widget_json};

/// "Today" of the generated cases; the file writes dates as `{date}` (the day of
/// the choice, `age` days before the day the test runs) so the e2e test holds on
/// any day.
pub(super) const TODAY: i32 = 20_787;
pub(super) const ID: &str = "q3xTLdT0mO4p4rKQyL7Z1w";
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/returning-cases.json");

pub(super) struct Shop {
    pub(super) id: &'static str,
    pub(super) policy: &'static str,
    pub(super) max_age_days: u32,
    pub(super) services: Vec<Service>,
}

pub(super) fn shops() -> Vec<Shop> {
    vec![
        // The Dutch demo shop's kind of services, with a preferences one.
        Shop {
            id: "cases-a",
            policy: "2026-11-01",
            max_age_days: 183,
            services: vec![
                service(
                    GOOGLE_ANALYTICS,
                    Category::Analytics,
                    &["_ga", "_ga_<container-id>"],
                    &[],
                ),
                service(
                    "Meta Pixel",
                    Category::Marketing,
                    &["_fbp", "fr"],
                    &["_fbq_*"],
                ),
                service("YouTube", Category::Marketing, &["VISITOR_INFO1_LIVE"], &[]),
                service("Chat", Category::Preferences, &["chat_id"], &["chat_*"]),
            ],
        },
        // No services; a policy version with dots; a short consent lifetime.
        Shop {
            id: "cases-b",
            policy: "v1.2.3",
            max_age_days: 30,
            services: Vec::new(),
        },
        // Google's services declared as marketing, and "Google Ads" on its own.
        Shop {
            id: "cases-c",
            policy: "p/1 (ü)",
            max_age_days: 183,
            services: vec![
                service(GOOGLE_ANALYTICS, Category::Marketing, &["_ga"], &[]),
                service(GOOGLE_ADS, Category::Marketing, &["_gcl_au"], &[]),
            ],
        },
    ]
}

/// The held-back scripts every case page carries, in document order.
const SCRIPTS: [(&str, Option<&str>); 10] = [
    ("analytics", None),
    ("analytics", Some(GOOGLE_ANALYTICS)),
    ("marketing", None),
    ("marketing", Some("Meta Pixel")),
    ("marketing", Some("YouTube")),
    ("preferences", Some("Chat")),
    ("analytics", Some("Chat")),
    ("marketing", Some("Unknown")),
    ("necessary", None),
    ("functional", None),
];

/// One case's inputs. `cookie` is the `pd_consent` value with `{date}` for the day
/// of the choice, `age` days before today.
struct Input {
    name: &'static str,
    shop: &'static str,
    cookie: String,
    age: i32,
    gpc: bool,
    cookies: &'static [&'static str],
    storage: &'static [&'static str],
}

pub(super) fn format2(
    shop: &Shop,
    consent: Consent,
    source: ConsentSource,
    policy: &str,
) -> String {
    let stored = StoredConsent {
        consent: consent.normalized(&shop.services),
        source,
        day: 0,
        consent_id: ID.into(),
        policy_version: policy.into(),
    };
    stored
        .to_cookie_value(&shop.services)
        .replace(&date::compact(0), "{date}")
}

fn inputs(shops: &[Shop]) -> Vec<Input> {
    let [a, b, c] = shops else { unreachable!() };
    let case = |name, shop: &Shop, cookie: String, age| Input {
        name,
        shop: shop.id,
        cookie,
        age,
        gpc: false,
        cookies: &[],
        storage: &[],
    };
    let with =
        |consent: Consent, shop: &Shop| format2(shop, consent, ConsentSource::Banner, shop.policy);
    let exceptions = |choices, services: &[(&str, bool)]| Consent {
        choices,
        services: services.iter().map(|(n, on)| ((*n).into(), *on)).collect(),
    };
    let prefs_only = Choices {
        preferences: true,
        ..NOTHING
    };
    vec![
        case("everything", a, with(Consent::of(EVERYTHING), a), 3),
        Input {
            cookies: &["_ga", "_ga_ABC123", "_fbp", "cart"],
            ..case(
                "nothing, with Google's and Meta's cookies left over",
                a,
                with(Consent::of(NOTHING), a),
                0,
            )
        },
        Input {
            cookies: &["_ga", "_gid", "chat_id"],
            ..case(
                "everything, nothing to clean up",
                a,
                with(Consent::of(EVERYTHING), a),
                1,
            )
        },
        case(
            "analytics without Google Analytics",
            a,
            with(exceptions(ANALYTICS_ONLY, &[(GOOGLE_ANALYTICS, false)]), a),
            10,
        ),
        Input {
            cookies: &["_ga"],
            ..case(
                "Google Analytics alone",
                a,
                with(exceptions(NOTHING, &[(GOOGLE_ANALYTICS, true)]), a),
                2,
            )
        },
        Input {
            cookies: &["fr", "VISITOR_INFO1_LIVE"],
            storage: &["chat_history"],
            ..case(
                "marketing but Meta Pixel, and Chat",
                a,
                with(
                    exceptions(MARKETING_ONLY, &[("Meta Pixel", false), ("Chat", true)]),
                    a,
                ),
                5,
            )
        },
        Input {
            storage: &["_fbq_1"],
            ..case(
                "preferences only, Meta's storage left",
                a,
                with(Consent::of(prefs_only), a),
                0,
            )
        },
        case(
            "a service no longer configured",
            a,
            format!("2.10100.p.{{date}}.{ID}.+Gone!-Chat.{}", a.policy),
            4,
        ),
        case(
            "format 1: analytics",
            a,
            format!("1.10.p.{{date}}.{ID}.{}", a.policy),
            7,
        ),
        case(
            "format 1: a policy with dots",
            b,
            format!("1.11.b.{{date}}.{ID}.v1.2.3"),
            29,
        ),
        case(
            "format 2: a policy with dots, from the API",
            b,
            format!("2.11111.a.{{date}}.{ID}..v1.2.3"),
            0,
        ),
        case(
            "expired (shop b: 30 days)",
            b,
            format!("1.11.b.{{date}}.{ID}.v1.2.3"),
            30,
        ),
        case(
            "last day of the lifetime",
            a,
            with(Consent::of(EVERYTHING), a),
            182,
        ),
        case(
            "expired (183 days)",
            a,
            with(Consent::of(EVERYTHING), a),
            183,
        ),
        case(
            "a day in the future",
            a,
            with(Consent::of(EVERYTHING), a),
            -1,
        ),
        case(
            "two days in the future",
            a,
            with(Consent::of(EVERYTHING), a),
            -2,
        ),
        case(
            "an older policy",
            a,
            format2(
                a,
                Consent::of(EVERYTHING),
                ConsentSource::Banner,
                "2026-01-01",
            ),
            3,
        ),
        Input {
            gpc: true,
            ..case(
                "GPC's choice, GPC on",
                a,
                format2(a, Consent::of(NOTHING), ConsentSource::Gpc, a.policy),
                20,
            )
        },
        case(
            "GPC's choice, GPC off",
            a,
            format2(a, Consent::of(NOTHING), ConsentSource::Gpc, a.policy),
            20,
        ),
        Input {
            gpc: true,
            ..case(
                "an explicit choice beats GPC",
                a,
                with(Consent::of(ANALYTICS_ONLY), a),
                1,
            )
        },
        case(
            "format 2 with two flags",
            a,
            format!("2.10.b.{{date}}.{ID}..{}", a.policy),
            1,
        ),
        case(
            "a short consent id",
            a,
            format!("2.10000.b.{{date}}.abc..{}", a.policy),
            1,
        ),
        case(
            "no such month",
            a,
            format!("2.10000.b.20261301.{ID}..{}", a.policy),
            0,
        ),
        case(
            "a broken escape in the policy",
            a,
            format!("2.10000.b.{{date}}.{ID}..2026%ZZ"),
            0,
        ),
        case(
            "a service without a sign",
            a,
            format!("2.10000.b.{{date}}.{ID}.Chat.{}", a.policy),
            0,
        ),
        case(
            "Google's services as marketing: analytics alone",
            c,
            with(Consent::of(ANALYTICS_ONLY), c),
            1,
        ),
        Input {
            cookies: &["_gcl_au", "_ga"],
            ..case(
                "Google's services as marketing: marketing but Google Ads",
                c,
                with(exceptions(MARKETING_ONLY, &[(GOOGLE_ADS, false)]), c),
                1,
            )
        },
    ]
}

/// What the core makes of one case.
fn expect(input: &Input, shop: &Shop) -> Value {
    let today = TODAY;
    let day = today - input.age;
    let value = input.cookie.replace("{date}", &date::compact(day));
    let found = StoredConsent::parse(&value);
    let outcome = decide::on_load(&Context {
        stored: found.as_ref(),
        policy_version: shop.policy,
        max_age_days: shop.max_age_days,
        gpc: input.gpc,
        today,
    });
    let Some(stored) = found.filter(|_| outcome == OnLoad::Keep) else {
        return json!({ "restored": false });
    };
    let services = &shop.services;
    let consent = &stored.consent;
    let signals = consent_mode_json(consent, services);
    let scripts: Vec<usize> = SCRIPTS
        .iter()
        .enumerate()
        .filter(|(_, (category, service))| {
            decide::script_allowed(consent, category, *service, services)
        })
        .map(|(i, _)| i)
        .collect();
    let withdrawn = decide::withdrawn(None, consent, services);
    let header = input
        .cookies
        .iter()
        .map(|n| format!("{n}=1"))
        .collect::<Vec<_>>()
        .join("; ");
    let cleanup = !ga_cookies::to_delete(&header, &withdrawn).is_empty()
        || input
            .storage
            .iter()
            .any(|key| ga_cookies::storage_key_withdrawn(key, &withdrawn));
    let mut accepted_categories = Map::new();
    for name in [
        "necessary",
        "preferences",
        "analytics",
        "marketing",
        "functional",
        "gpc",
    ] {
        accepted_categories.insert(name.into(), (consent.category(name) == Some(true)).into());
    }
    let mut accepted_services = Map::new();
    for name in services
        .iter()
        .map(|s| s.name.as_str())
        .chain(["Unknown", "constructor"])
    {
        accepted_services.insert(name.into(), consent.service_named(name, services).into());
    }
    json!({
        "restored": true,
        "consent_mode": signals,
        "google_tag": decide::consent_mode(consent, services)[3].1,
        "scripts": scripts,
        "cleanup": cleanup,
        "get_consent": get_consent_json(&stored, services, input.gpc),
        "accepted_categories": accepted_categories,
        "accepted_services": accepted_services,
    })
}

/// The case shops as the Worker is configured with them in the e2e tests.
pub(super) fn shop_json(shops: &[Shop]) -> Map<String, Value> {
    shops
        .iter()
        .map(|s| {
            let services: Vec<Value> = s
                .services
                .iter()
                .map(|x| {
                    json!({
                        "name": x.name,
                        "category": serde_json::to_value(x.category).unwrap(),
                        "cookies": x.cookies,
                        "local_storage": x.local_storage,
                    })
                })
                .collect();
            let entry = json!({
                "policy_version": s.policy,
                "consent_max_age_days": s.max_age_days,
                "services": services,
            });
            (s.id.to_owned(), entry)
        })
        .collect()
}

fn generate() -> Value {
    let shops = shops();
    let shop_json = shop_json(&shops);
    let cases: Vec<Value> = inputs(&shops)
        .iter()
        .map(|input| {
            let shop = shops.iter().find(|s| s.id == input.shop).unwrap();
            json!({
                "name": input.name,
                "shop": input.shop,
                "cookie": input.cookie,
                "age": input.age,
                "gpc": input.gpc,
                "cookies": input.cookies,
                "storage": input.storage,
                "expect": expect(input, shop),
            })
        })
        .collect();
    let scripts: Vec<Value> = SCRIPTS.iter().map(|(c, s)| json!([c, s])).collect();
    json!({
        "about": "Generated by widget/src/core/returning_cases.rs (UPDATE_RETURNING_CASES=1 cargo test -p widget returning_cases); checked against widget/loader.js by tests/e2e/consent-returning.test.mjs. `{date}`: the day of the choice as YYYYMMDD, `age` days before today (UTC); `{iso}`: the same day as YYYY-MM-DD.",
        "cookie_name": stored::COOKIE_NAME,
        "shops": shop_json,
        "scripts": scripts,
        "cases": cases,
    })
}

/// Consent Mode's signals for `consent`, as the loader's `gtag('consent', ...)`
/// object.
pub(super) fn consent_mode_json(consent: &Consent, services: &[Service]) -> Map<String, Value> {
    let mut signals = Map::new();
    for (key, granted) in decide::consent_mode(consent, services) {
        signals.insert(
            key.into(),
            (if granted { "granted" } else { "denied" }).into(),
        );
    }
    signals
}

/// What `PrivacyDesk.getConsent()` answers for `stored` (`app::consent_js`), with
/// the date as `{iso}`.
pub(super) fn get_consent_json(stored: &StoredConsent, services: &[Service], gpc: bool) -> Value {
    let c = stored.consent.choices;
    let mut per_service = Map::new();
    for s in services {
        per_service.insert(s.name.clone(), stored.consent.service(s).into());
    }
    json!({
        "necessary": true,
        "preferences": c.preferences,
        "analytics": c.analytics,
        "marketing": c.marketing,
        "services": per_service,
        "source": widget_json::source_name(stored.source),
        "date": "{iso}",
        "policyVersion": stored.policy_version,
        "consentId": stored.consent_id,
        "gpc": gpc,
    })
}

#[test]
fn returning_cases_match_the_committed_file() {
    golden_file(FILE, &generate(), "returning_cases");
}

#[test]
fn the_cases_cover_both_outcomes_and_every_rule() {
    let all = generate();
    let cases = all["cases"].as_array().unwrap();
    let restored = |want: bool| {
        cases
            .iter()
            .filter(|c| c["expect"]["restored"] == want)
            .count()
    };
    assert!(restored(true) >= 10 && restored(false) >= 8);
    let some = |key: &str, want: Value| cases.iter().any(|c| c["expect"][key] == want);
    assert!(some("cleanup", true.into()) && some("cleanup", false.into()));
    assert!(some("google_tag", true.into()) && some("google_tag", false.into()));
}
