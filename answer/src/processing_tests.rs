//! Tests of the processing configuration: the demo shops' file, and one refusal per
//! rule, each naming its field.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

const DEMO: &str = include_str!("../demo-processing.toml");

#[derive(Deserialize)]
struct Wrangler {
    vars: Vars,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Vars {
    SHOPS: Vec<ShopEntry>,
}

#[derive(Deserialize)]
struct ShopEntry {
    id: String,
    processing: Processing,
}

pub(crate) fn demo(shop: &str) -> Processing {
    let wrangler: Wrangler = toml::from_str(DEMO).expect("demo-processing.toml parses");
    wrangler
        .vars
        .SHOPS
        .into_iter()
        .find(|entry| entry.id == shop)
        .map(|entry| entry.processing)
        .expect("shop in demo-processing.toml")
}

/// The processors the English reference shop's policy names, in order.
pub(crate) const EN_PROCESSORS: [&str; 7] = [
    "Shopify",
    "YourHosting",
    "Shopify Payments",
    "WebwinkelKeur",
    "Bol.com",
    "PostNL",
    "DHL",
];

#[test]
fn demo_shops_name_the_processors_of_their_policies_and_validate() {
    for (shop, names) in [
        ("demo-en", &EN_PROCESSORS[..]),
        (
            "demo-nl",
            &["JouwWeb", "MijnDomein", "Mollie", "PostNL", "Moneybird"][..],
        ),
    ] {
        let processing = demo(shop);
        processing
            .validate()
            .unwrap_or_else(|e| panic!("{shop}: {e}"));
        let found: Vec<&str> = processing
            .processors
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(found, names, "{shop}");
        // The same configuration as JSON (how the Worker receives `SHOPS`).
        let as_json = serde_json::to_string(&processing).unwrap();
        let back: Processing = serde_json::from_str(&as_json).unwrap();
        assert!(back == processing, "{shop}: JSON round trip");
    }
}

/// A small valid configuration as JSON, to break one rule at a time.
fn base() -> Value {
    json!({
        "processors": [
            {"name": "JouwWeb", "role": {"en": "Platform", "nl": "Platform"},
             "categories": ["identity", "order"], "purpose": {"en": "Shop", "nl": "Winkel"},
             "country": "NL"},
            {"name": "Shopify", "role": {"en": "Platform", "nl": "Platform"},
             "categories": ["order"], "purpose": {"en": "Shop", "nl": "Winkel"},
             "country": "CA", "safeguard": "adequacy_decision"}
        ],
        "purposes": [
            {"description": {"en": "Orders", "nl": "Bestellingen"}, "legal_basis": "contract",
             "categories": ["identity", "order"]},
            {"description": {"en": "Fraud", "nl": "Fraude"}, "legal_basis": "legitimate_interests",
             "legitimate_interest": {"en": "No fraud", "nl": "Geen fraude"},
             "categories": ["order"]}
        ],
        "retention": [
            {"category": "identity", "period": {"en": "2 years", "nl": "2 jaar"}},
            {"category": "order", "period": {"en": "7 years", "nl": "7 jaar"}}
        ],
        "sources": [],
        "automated_decisions": {"made": false}
    })
}

fn check(name: &str, change: impl FnOnce(&mut Value), field: Option<&str>) {
    let mut config = base();
    change(&mut config);
    let processing: Processing = serde_json::from_value(config).expect(name);
    let got = processing.validate().err().map(|e| e.field);
    assert_eq!(got.as_deref(), field, "{name}");
}

#[test]
fn each_rule_names_its_field() {
    check("valid", |_| {}, None);
    check(
        "no processors",
        |c| c["processors"] = json!([]),
        Some("processors"),
    );
    check(
        "empty name",
        |c| c["processors"][0]["name"] = json!("  "),
        Some("processors[0].name"),
    );
    check(
        "same name twice",
        |c| c["processors"][1]["name"] = json!("jouwweb"),
        Some("processors[1].name"),
    );
    check(
        "empty role",
        |c| c["processors"][1]["role"]["nl"] = json!(""),
        Some("processors[1].role.nl"),
    );
    check(
        "no categories",
        |c| c["processors"][0]["categories"] = json!([]),
        Some("processors[0].categories"),
    );
    check(
        "category twice",
        |c| c["processors"][0]["categories"] = json!(["order", "identity", "order"]),
        Some("processors[0].categories[2]"),
    );
    check(
        "lower-case country",
        |c| c["processors"][0]["country"] = json!("nl"),
        Some("processors[0].country"),
    );
    check(
        "not a country",
        |c| c["processors"][0]["country"] = json!("UK"),
        Some("processors[0].country"),
    );
    check(
        "outside the EEA without safeguard",
        |c| {
            c["processors"][1]["country"] = json!("US");
            c["processors"][1]
                .as_object_mut()
                .unwrap()
                .remove("safeguard");
        },
        Some("processors[1].safeguard"),
    );
    check(
        "US with a safeguard",
        |c| c["processors"][1]["country"] = json!("US"),
        None,
    );
    check(
        "safeguard inside the EEA",
        |c| c["processors"][0]["safeguard"] = json!("standard_contractual_clauses"),
        Some("processors[0].safeguard"),
    );
    check(
        "details without safeguard",
        |c| c["processors"][0]["safeguard_details"] = json!({"en": "x", "nl": "y"}),
        Some("processors[0].safeguard_details"),
    );
    check(
        "empty details",
        |c| c["processors"][1]["safeguard_details"] = json!({"en": "x", "nl": " "}),
        Some("processors[1].safeguard_details.nl"),
    );
    check(
        "no purposes",
        |c| c["purposes"] = json!([]),
        Some("purposes"),
    );
    check(
        "empty description",
        |c| c["purposes"][0]["description"]["en"] = json!(""),
        Some("purposes[0].description.en"),
    );
    check(
        "legitimate interests without the interest",
        |c| {
            c["purposes"][1]
                .as_object_mut()
                .unwrap()
                .remove("legitimate_interest");
        },
        Some("purposes[1].legitimate_interest"),
    );
    check(
        "interest on another basis",
        |c| c["purposes"][0]["legitimate_interest"] = json!({"en": "x", "nl": "y"}),
        Some("purposes[0].legitimate_interest"),
    );
    check(
        "retention twice",
        |c| c["retention"][1]["category"] = json!("identity"),
        Some("retention[1].category"),
    );
    check(
        "empty period",
        |c| c["retention"][0]["period"]["en"] = json!(""),
        Some("retention[0].period.en"),
    );
    check(
        "category without retention",
        |c| c["purposes"][0]["categories"] = json!(["identity", "payment"]),
        Some("retention"),
    );
    check(
        "processor category without retention",
        |c| c["processors"][1]["categories"] = json!(["review"]),
        Some("retention"),
    );
    check(
        "source without categories",
        |c| c["sources"] = json!([{"categories": [], "source": {"en": "x", "nl": "y"}}]),
        Some("sources[0].categories"),
    );
    check(
        "empty source",
        |c| c["sources"] = json!([{"categories": ["order"], "source": {"en": "x", "nl": ""}}]),
        Some("sources[0].source.nl"),
    );
    check(
        "automated decisions without logic",
        |c| c["automated_decisions"] = json!({"made": true}),
        Some("automated_decisions.logic"),
    );
    check(
        "logic without decisions",
        |c| c["automated_decisions"] = json!({"made": false, "logic": {"en": "x", "nl": "y"}}),
        Some("automated_decisions.logic"),
    );
    check(
        "automated decisions explained",
        |c| c["automated_decisions"] = json!({"made": true, "logic": {"en": "x", "nl": "y"}}),
        None,
    );
}

#[test]
fn unknown_fields_and_bad_values_are_refused_by_the_parser() {
    for (name, change) in [
        ("unknown top-level field", json!({"extra": 1})),
        (
            "unknown legal basis",
            json!({"purposes": [{"description": {"en": "a", "nl": "b"}, "legal_basis": "g", "categories": ["order"]}]}),
        ),
    ] {
        let mut config = base();
        for (key, value) in change.as_object().unwrap() {
            config[key] = value.clone();
        }
        assert!(
            serde_json::from_value::<Processing>(config).is_err(),
            "{name}"
        );
    }
    let mut config = base();
    config["processors"][0]["colour"] = json!("blue");
    assert!(
        serde_json::from_value::<Processing>(config).is_err(),
        "unknown processor field"
    );
}

#[test]
fn the_error_message_names_field_and_problem() {
    let mut config = base();
    config["processors"][1]["country"] = json!("XX");
    let processing: Processing = serde_json::from_value(config).unwrap();
    let message = processing.validate().unwrap_err().to_string();
    assert!(message.starts_with("processors[1].country: "), "{message}");
    assert!(message.contains("ISO 3166-1"), "{message}");
}

proptest! {
    #[test]
    fn any_country_is_accepted_exactly_when_assigned(code in "[A-Za-z]{0,3}") {
        let mut config = base();
        config["processors"][0]["country"] = json!(code);
        let processing: Processing = serde_json::from_value(config).unwrap();
        let result = processing.validate();
        if !country::is_assigned(&code) {
            prop_assert_eq!(result.unwrap_err().field, "processors[0].country");
        } else if country::in_eea(&code) {
            prop_assert!(result.is_ok());
        } else {
            prop_assert_eq!(result.unwrap_err().field, "processors[0].safeguard");
        }
    }
}
