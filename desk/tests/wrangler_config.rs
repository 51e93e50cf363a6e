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
        processing.processors.iter().map(|p| p.name.clone()).collect()
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
