//! Test fixtures shared by the host tests of the pure core.

use crate::config::{validate_shops, ShopEntry, Shops};

/// The two demo shops, with only the fields a test needs.
pub fn demo_shops() -> Shops {
    let json = r#"[
        {"id":"demo-en","name":"Mount & Co","privacy_contact":"privacy@mountandco.example","policy_version":"1",
         "languages":["en"],"retention_days":730,"privacy_policy_url":"/p"},
        {"id":"demo-nl","name":"Beugelhuis","privacy_contact":"privacy@beugelhuis.example","policy_version":"1",
         "languages":["nl"],"retention_days":730,"privacy_policy_url":"/p"}]"#;
    let entries: Vec<ShopEntry> = serde_json::from_str(json).expect("fixture parses");
    validate_shops(entries).expect("fixture is valid")
}
