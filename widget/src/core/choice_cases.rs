//! The banner's two choices and GPC's rejection as data, the one source of truth
//! for their JS twin in `widget/loader.js` (`choose`, done before the consent module
//! runs): for each case shop (those of [`super::returning_cases`]), Accept all,
//! Reject all and GPC, on a first visit, after an outdated choice (its consent id
//! is kept) and after an unreadable cookie (a new id), what the core makes of them
//! comes out: the cookie value (`decide::new_stored`, `Consent::normalized`,
//! `StoredConsent::to_cookie_value`), the Consent Mode update, the record's JSON
//! (`json::consent_record(decide::record(..))`) and `getConsent()`. The test fails
//! when that differs from the committed `widget/tests/choice-cases.json`;
//! `UPDATE_RETURNING_CASES=1 cargo test -p widget choice_cases` rewrites it.
//! `tests/e2e/consent-returning.test.mjs` runs the loader in Chromium on every case
//! and compares the cookie, `dataLayer`, the POSTed body and the event's detail.

use protocol::{ConsentSource, Lang};
use serde_json::{json, Map, Value};

use super::consent::Consent;
use super::decide::{self, EVERYTHING, NOTHING};
use super::returning_cases::{format2, shop_json, shops, Shop, ID, TODAY};
use super::stored::{self, StoredConsent};
use super::{date, json as widget_json};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/choice-cases.json");
/// Stands for the 22-character random consent id of a first choice.
const FRESH: &str = "{id}";

/// `act`: the banner button clicked (`all`, `none`), or `gpc` (no banner).
struct Input {
    act: &'static str,
    shop: &'static str,
    /// The `pd_consent` value before (`{date}`: 400 days ago), if any.
    before: Option<String>,
    lang: Lang,
}

fn inputs(shops: &[Shop]) -> Vec<(&'static str, Input)> {
    let mut out = Vec::new();
    for (i, shop) in shops.iter().enumerate() {
        let outdated = format2(
            shop,
            Consent::of(EVERYTHING),
            ConsentSource::Banner,
            "2020-01-01",
        );
        let befores = [
            ("first visit", None),
            ("after an outdated choice", Some(outdated)),
            (
                "after a format 1 choice of an older policy",
                Some(format!("1.10.p.{{date}}.{ID}.old")),
            ),
            (
                "after an unreadable cookie",
                Some(format!("2.11111.b.{{date}}.{ID}..old%ZZ")),
            ),
        ];
        for (j, (when, before)) in befores.into_iter().enumerate() {
            for act in ["all", "none", "gpc"] {
                out.push((
                    when,
                    Input {
                        act,
                        shop: shop.id,
                        before: before.clone(),
                        lang: if (i + j) % 2 == 0 { Lang::En } else { Lang::Nl },
                    },
                ));
            }
        }
    }
    out
}

/// What `app::choose` makes of one case, with `{date}`/`{iso}` for today and
/// [`FRESH`] for a new consent id.
fn expect(input: &Input, shop: &Shop) -> Value {
    let services = &shop.services;
    let previous = input
        .before
        .as_ref()
        .and_then(|v| StoredConsent::parse(&v.replace("{date}", &date::compact(TODAY - 400))));
    let (consent, source) = match input.act {
        "all" => (Consent::of(EVERYTHING), ConsentSource::Banner),
        "none" => (Consent::of(NOTHING), ConsentSource::Banner),
        _ => (Consent::default(), ConsentSource::Gpc),
    };
    let gpc = input.act == "gpc";
    let stored = decide::new_stored(
        previous.as_ref(),
        consent.normalized(services),
        source,
        shop.policy,
        TODAY,
        || FRESH.into(),
    );
    let mut signals = Map::new();
    for (key, granted) in decide::consent_mode(&stored.consent, services) {
        signals.insert(
            key.into(),
            (if granted { "granted" } else { "denied" }).into(),
        );
    }
    let record = decide::record(shop.id, &stored, input.lang, gpc, services);
    let c = stored.consent.choices;
    let mut per_service = Map::new();
    for s in services {
        per_service.insert(s.name.clone(), stored.consent.service(s).into());
    }
    json!({
        "cookie": stored
            .to_cookie_value(services)
            .replace(&date::compact(TODAY), "{date}"),
        "max_age": u64::from(shop.max_age_days) * 86_400,
        "consent_mode": signals,
        "record": widget_json::consent_record(&record),
        "get_consent": {
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
        },
    })
}

fn generate() -> Value {
    let shops = shops();
    let cases: Vec<Value> = inputs(&shops)
        .iter()
        .map(|(when, input)| {
            let shop = shops.iter().find(|s| s.id == input.shop).unwrap();
            json!({
                "name": format!("{}, {when}: {}", input.shop, input.act),
                "shop": input.shop,
                "act": input.act,
                "before": input.before,
                "lang": input.lang.code(),
                "expect": expect(input, shop),
            })
        })
        .collect();
    json!({
        "about": "Generated by widget/src/core/choice_cases.rs (UPDATE_RETURNING_CASES=1 cargo test -p widget choice_cases); checked against widget/loader.js by tests/e2e/consent-returning.test.mjs. `before`: the cookie before the choice, `{date}` 400 days before today (UTC); `{date}`/`{iso}` in `expect`: today as YYYYMMDD/YYYY-MM-DD; `{id}`: a new random consent id (22 base64url characters).",
        "cookie_name": stored::COOKIE_NAME,
        "shops": shop_json(&shops),
        "cases": cases,
    })
}

#[test]
fn choice_cases_match_the_committed_file() {
    let text = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
    if std::env::var_os("UPDATE_RETURNING_CASES").is_some() {
        std::fs::write(FILE, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        committed == text,
        "{FILE} differs from the core's rules: rewrite it with UPDATE_RETURNING_CASES=1 \
         cargo test -p widget choice_cases, and run tests/e2e/consent-returning.test.mjs"
    );
}

#[test]
fn the_choice_cases_keep_an_outdated_id_and_cover_every_shop() {
    let all = generate();
    let cases = all["cases"].as_array().unwrap();
    let ids = |id: &str| {
        cases
            .iter()
            .filter(|c| c["expect"]["get_consent"]["consentId"] == id)
            .count()
    };
    assert_eq!(ids(ID) + ids(FRESH), cases.len());
    assert!(ids(ID) >= 6 && ids(FRESH) >= 6);
    // All or nothing sets no service apart: the cookie's service list is empty.
    assert!(cases
        .iter()
        .all(|c| c["expect"]["cookie"].as_str().unwrap().contains("..")));
    assert_eq!(all["shops"].as_object().unwrap().len(), 3);
}
