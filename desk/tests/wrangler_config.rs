//! The shops as `wrangler.toml` configures them pass the start-up validation,
//! processing and Shopify store included: what the Worker would refuse (with the
//! field named) never reaches a deploy.

use desk::config::{validate_shops, ShopEntry};

#[test]
fn wrangler_toml_shops_validate() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../wrangler.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    let shops = serde_json::to_value(&config["vars"]["SHOPS"]).unwrap();
    let entries: Vec<ShopEntry> = serde_json::from_value(shops).unwrap();
    let shops = validate_shops(entries).unwrap_or_else(|e| panic!("{e}"));
    let en = shops.get("demo-en").unwrap();
    let nl = shops.get("demo-nl").unwrap();
    let names = |shop: &desk::config::Shop| -> Vec<String> {
        let processing = shop.processing.as_ref().expect("processing configured");
        processing
            .processors
            .iter()
            .map(|p| p.name.clone())
            .collect()
    };
    for name in ["Shopify", "Shopify Payments", "PostNL", "DHL"] {
        assert!(names(en).iter().any(|n| n == name), "{name}");
    }
    for name in ["JouwWeb", "Mollie", "PostNL"] {
        assert!(names(nl).iter().any(|n| n == name), "{name}");
    }
    assert_eq!(en.shopify.as_ref().unwrap().store, "mount-and-co");
    assert!(nl.shopify.is_none());
}

const SHOP: &str = r#"{"id":"demo-en","name":"Mount & Co","privacy_contact":"privacy@mountandco.example",
    "policy_version":"1","languages":["en"],"retention_days":730,"privacy_policy_url":"/shop/en"}"#;

fn parse(extra: &str) -> Result<desk::config::Shops, String> {
    let json = format!("[{}]", SHOP.replacen('}', &format!(",{extra}}}"), 1));
    let entries: Vec<ShopEntry> = serde_json::from_str(&json).map_err(|e| format!("serde: {e}"))?;
    validate_shops(entries).map_err(|e| e.to_string())
}

/// A shop's processing and Shopify store are checked at start-up, and the error
/// names the field to fix.
#[test]
fn processing_and_shopify_are_validated_with_the_field_named() {
    let processing = r#""processing":{"processors":[{"name":"Shopify","role":{"en":"Platform","nl":"Platform"},
        "categories":["order"],"purpose":{"en":"Shop","nl":"Winkel"},"country":"US"}],
        "purposes":[{"description":{"en":"Orders","nl":"Bestellingen"},"legal_basis":"contract","categories":["order"]}],
        "retention":[{"category":"order","period":{"en":"7 years","nl":"7 jaar"}}],
        "automated_decisions":{"made":false}}"#;
    assert_eq!(
        parse(processing).err().as_deref(),
        Some("configuration of shop demo-en: processing.processors[0].safeguard: required: the country is outside the EEA (adequacy_decision, standard_contractual_clauses or binding_corporate_rules)")
    );
    let valid = processing.replacen(
        r#""country":"US""#,
        r#""country":"US","safeguard":"standard_contractual_clauses""#,
        1,
    );
    let shops = parse(&valid).unwrap();
    let shop = shops.get("demo-en").unwrap();
    assert!(shop.processing.is_some());
    assert_eq!(shop.package_link_days, 14, "the default");
    let shopify = |value: &str| parse(&format!(r#""shopify":{value}"#));
    assert!(shopify(r#"{"store":"mount-and-co"}"#).is_ok());
    assert!(shopify(r#"{"store":"Mount-And-Co.myshopify.com","api_version":"2026-07"}"#).is_ok());
    for (value, field) in [
        (r#"{"store":"evil.example/x"}"#, "shopify.store"),
        (
            r#"{"store":"mount-and-co","api_version":"latest"}"#,
            "shopify.api_version",
        ),
        (
            r#"{"store":"mount-and-co","token":"x"}"#,
            "unknown field `token`",
        ),
    ] {
        let error = shopify(value).err().unwrap_or_default();
        assert!(error.contains(field), "{value}: {error}");
    }
    let days = parse(r#""package_link_days":0"#).err().unwrap_or_default();
    assert!(days.contains("package_link_days"), "{days}");
    assert!(parse(r#""package_link_days":30"#).is_ok());
}
