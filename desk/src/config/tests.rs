//! Table tests of the shop configuration's validation: each bad entry is refused
//! with its shop and field named.

use super::*;

const VALID: &str = r#"[
    {"id":"demo-en","name":"Mount & Co","origins":["https://mountandco.example"],
     "privacy_contact":"privacy@mountandco.example","reply_days":30,"policy_version":"2026-11-01",
     "languages":["en"],"ga_measurement_id":"G-MOUNTCO01","consent_max_age_days":183,
     "retention_days":730,"privacy_policy_url":"/shop/en/privacy",
     "services":[{"name":"Google Analytics","category":"analytics","purpose":{"en":"Statistics","nl":"Statistieken"},
                  "cookies":["_ga"],"retention":{"en":"2 years","nl":"2 jaar"},"policy_url":"https://policies.google.com/privacy"}]},
    {"id":"demo-nl","name":"Beugelhuis","privacy_contact":"privacy@beugelhuis.example","policy_version":"1",
     "languages":["nl","en"],"retention_days":730,"privacy_policy_url":"/shop/nl/privacy"}
]"#;

fn parse(json: &str) -> Result<Shops, String> {
    let entries: Vec<ShopEntry> = serde_json::from_str(json).map_err(|e| format!("serde: {e}"))?;
    validate_shops(entries).map_err(|e| e.to_string())
}

/// Replaces `from` with `to` in the valid config and checks the outcome.
fn check(from: &str, to: &str, want_error: Option<&str>) {
    assert!(
        from.is_empty() || VALID.contains(from),
        "{from} is not in the fixture"
    );
    let json = if from.is_empty() {
        VALID.to_owned()
    } else {
        VALID.replacen(from, to, 1)
    };
    match (parse(&json), want_error) {
        (Ok(_), None) => {}
        (Err(got), Some(want)) => assert!(got.contains(want), "{from} -> {to}: {got}"),
        (got, want) => panic!("{from} -> {to}: got {:?}, want error {want:?}", got.err()),
    }
}

#[test]
fn config_table() {
    check("", "", None);
    check(
        r#""id":"demo-nl""#,
        r#""id":"demo-en""#,
        Some("demo-en: id: another shop has the same id"),
    );
    check(r#""id":"demo-en""#, r#""id":"Demo EN""#, Some("#0: id"));
    check(
        r#""reply_days":30"#,
        r#""reply_days":0"#,
        Some("reply_days"),
    );
    check(
        r#""reply_days":30"#,
        r#""reply_days":91"#,
        Some("reply_days"),
    );
    check(r#""reply_days":30"#, r#""reply_days":90"#, None);
    check(r#""reply_days":30"#, r#""reply_days":-1"#, Some("serde"));
    check(
        "privacy@mountandco.example",
        "privacy@mountandco",
        Some("privacy_contact"),
    );
    check(
        "privacy@mountandco.example",
        r"privacy@mountandco.example\r\nBcc: x@y.z",
        Some("privacy_contact"),
    );
    check(
        "privacy@mountandco.example",
        "prïvacy@mountandco.example",
        Some("privacy_contact"),
    );
    check(
        "privacy@mountandco.example",
        " privacy@mountandco.example",
        Some("privacy_contact"),
    );
    check(
        r#""languages":["en"]"#,
        r#""languages":[]"#,
        Some("languages"),
    );
    check(
        r#""languages":["en"]"#,
        r#""languages":["de"]"#,
        Some("serde"),
    );
    check("G-MOUNTCO01", "UA-1234", Some("ga_measurement_id"));
    check(
        r#""consent_max_age_days":183"#,
        r#""consent_max_age_days":400"#,
        Some("consent_max_age_days"),
    );
    check(
        r#""retention_days":730"#,
        r#""retention_days":0"#,
        Some("retention_days"),
    );
    check(
        "https://mountandco.example\"",
        "https://mountandco.example/shop\"",
        Some("origins"),
    );
    check(
        "https://mountandco.example\"",
        "mountandco.example\"",
        Some("origins"),
    );
    check(
        "https://mountandco.example\"",
        "http://127.0.0.1:8787\"",
        None,
    );
    check(
        "/shop/en/privacy",
        "javascript:alert(1)",
        Some("privacy_policy_url"),
    );
    check(
        "/shop/en/privacy",
        "//evil.example/",
        Some("privacy_policy_url"),
    );
    check(
        r#""retention_days":730,"privacy_policy_url":"/shop/en"#,
        r#""retention_days":730,"ip":1,"privacy_policy_url":"/shop/en"#,
        Some("serde: unknown field `ip`"),
    );
    check(
        r#""en":"Statistics""#,
        r#""en":"  ""#,
        Some("services.purpose"),
    );
    check(
        "https://policies.google.com/privacy",
        "http://policies.google.com/privacy",
        Some("services.policy_url"),
    );
    check(
        r#""name":"Google Analytics","#,
        r#""name":"Google Analytics","provider":"Google Ireland Ltd","#,
        None,
    );
    check(
        r#""name":"Google Analytics","#,
        r#""name":"Google Analytics","provider":"","#,
        Some("services.provider"),
    );
    // Issue 16: a preferences category and localStorage keys per service.
    check(
        r#""category":"analytics""#,
        r#""category":"preferences""#,
        None,
    );
    check(
        r#""category":"analytics""#,
        r#""category":"analytics","local_storage":["_hj*","chat_state"]"#,
        None,
    );
    check(
        r#""category":"analytics""#,
        r#""category":"analytics","local_storage":["a\nb"]"#,
        Some("services.local_storage"),
    );
    check(
        r#""category":"analytics""#,
        r#""category":"functional""#,
        Some("serde"),
    );
    assert!(parse("[]")
        .err()
        .is_some_and(|e| e.contains("at least one shop")));
}

#[test]
fn defaults_and_lookup() {
    let Ok(shops) = parse(VALID) else {
        panic!("valid config")
    };
    let nl = shops.get("demo-nl").unwrap();
    assert_eq!(nl.reply_days, 30);
    assert_eq!(nl.consent_max_age_days, 183);
    assert!(nl.mail_lang() == Lang::Nl);
    assert!(nl.origins.is_empty());
    assert_eq!(nl.consent_ttl_seconds(), 730 * 86_400);
    assert!(shops.get("demo-de").is_none());
    let config = shops.get("demo-en").unwrap().widget_config();
    assert_eq!(config.services.len(), 1);
    assert_eq!(config.shop_name, "Mount & Co");
}

#[test]
fn origins_normalize() {
    for (input, want) in [
        ("https://Shop.Example", Some("https://shop.example")),
        ("http://127.0.0.1:8787", Some("http://127.0.0.1:8787")),
        ("https://shop.example/", None),
        ("https://shop.example:", None),
        ("https://shop.example:99999x", None),
        ("ftp://shop.example", None),
        ("https://", None),
        ("https://a b", None),
    ] {
        assert_eq!(normalize_origin(input).as_deref(), want, "{input}");
    }
}

#[test]
fn mail_from() {
    assert!(validate_mail_from("privacy-desk@privacy-desk.example").is_ok());
    assert!(validate_mail_from("Privacy Desk <a@b.example>").is_err());
    assert!(validate_mail_from("").is_err());
}
