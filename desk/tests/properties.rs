//! Property tests of every edge-side parser of untrusted or operator input that has
//! no property test next to it: shop configuration, headers (bearer token,
//! content type and length, Accept-Language), dates, stored records, envelopes and
//! siteverify answers never panic, and the ones with an inverse round-trip.
//! (Routes, references, CORS, mail, crypto and abuse decisions have theirs in
//! their own modules; protocol's body parsers in `protocol/src/json.rs`.)

use desk::config::{normalize_origin, validate_mail_from, validate_shops, ShopEntry};
use desk::http::reply;
use desk::intake::abuse;
use desk::redact;
use desk::store::crypto::Keyring;
use desk::store::digest;
use desk::store::{self, StoredRequest};
use desk::time::{Date, Timestamp};
use proptest::prelude::*;
use protocol::{ErrorCode, Lang};

fn keyring() -> Keyring {
    Keyring::from_secrets(
        Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
        None,
        Some("QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="),
    )
    .ok()
    .unwrap()
}

/// A shop entry with arbitrary values in its text fields.
fn shop_entry_json(id: &str, contact: &str, origin: &str, days: u32) -> String {
    serde_json::json!([{
        "id": id, "name": "Shop", "origins": [origin], "privacy_contact": contact,
        "reply_days": days, "policy_version": "1", "languages": ["en"],
        "retention_days": days, "privacy_policy_url": "/p"
    }])
    .to_string()
}

proptest! {
    #[test]
    fn shop_configuration_never_panics(id in "\\PC{0,70}", contact in "\\PC{0,80}", origin in "\\PC{0,80}", days in 0u32..5000) {
        let json = shop_entry_json(&id, &contact, &origin, days);
        if let Ok(entries) = serde_json::from_str::<Vec<ShopEntry>>(&json) {
            if let Ok(shops) = validate_shops(entries) {
                // What validation accepts is usable: a well-formed id and a plain contact.
                let shop = shops.iter().next().unwrap();
                prop_assert!(protocol::validate::shop_id(&shop.id).is_ok());
                prop_assert!(desk::config::is_plain_address(&shop.privacy_contact));
            }
        }
        let _ = normalize_origin(&origin);
        let _ = validate_mail_from(&contact);
    }

    #[test]
    fn arbitrary_config_json_never_panics(json in "\\PC{0,300}") {
        if let Ok(entries) = serde_json::from_str::<Vec<ShopEntry>>(&json) {
            let _ = validate_shops(entries);
        }
    }

    #[test]
    fn header_parsers_never_panic(value in "\\PC{0,120}") {
        let _ = reply::bearer_token(Some(&value));
        let _ = reply::is_json_content_type(Some(&value));
        let _ = reply::check_content_length(Some(&value), Lang::Nl);
        let _ = reply::request_lang(Some(&value));
        let _ = Lang::from_tag(&value);
        let _ = redact::addresses(&value);
        let _ = digest::user_agent_fingerprint(&value);
        let _ = digest::secret_matches(&value, "expected-secret");
    }

    #[test]
    fn bearer_token_round_trips(token in "[A-Za-z0-9._~+/=-]{1,80}") {
        let header = format!("Bearer {token}");
        prop_assert_eq!(reply::bearer_token(Some(&header)), Some(token.as_str()));
    }

    #[test]
    fn content_length_over_the_cap_is_refused(extra in 1u64..1_000_000) {
        let length = (protocol::MAX_BODY_BYTES as u64 + extra).to_string();
        let refused = reply::check_content_length(Some(&length), Lang::En).err();
        prop_assert!(refused.is_some_and(|e| e.error.code == ErrorCode::BodyTooLarge));
    }

    #[test]
    fn redacted_text_has_no_address(local in "[a-z0-9.]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}", before in "[^@ ]{0,20}") {
        let text = format!("{before} send to {local}@{domain} failed");
        let redacted = redact::addresses(&text);
        prop_assert!(!redacted.contains('@'));
    }

    #[test]
    fn dates_never_panic(text in "\\PC{0,40}", ms in 0u64..8_000_000_000_000) {
        let _ = Timestamp::parse_rfc3339(&text);
        let _ = Date::parse_iso(&text);
        let now = Timestamp(ms);
        prop_assert_eq!(Timestamp::parse_rfc3339(&now.rfc3339()), Some(now));
        prop_assert_eq!(Date::parse_iso(&now.date().iso()), Some(now.date()));
    }

    #[test]
    fn stored_records_never_panic(text in "\\PC{0,300}") {
        let keys = keyring();
        let _ = store::open_record::<StoredRequest>(&text, "req/demo-en/PR-2222-2222-2222", &keys);
        let wrapped = format!("{{\"sealed\":{}}}", serde_json::Value::String(text.clone()));
        let _ = store::open_record::<StoredRequest>(&wrapped, "req/demo-en/PR-2222-2222-2222", &keys);
        let _ = abuse::turnstile_verdict(200, text.as_bytes());
    }

    #[test]
    fn blind_index_is_case_and_space_insensitive(local in "[a-zA-Z0-9.]{1,20}", domain in "[a-zA-Z]{1,20}\\.[a-z]{2,6}") {
        let keys = keyring();
        let address = format!("{local}@{domain}");
        let index = keys.email_index("demo-en", &address);
        prop_assert_eq!(&index, &keys.email_index("demo-en", &format!("  {}  ", address.to_uppercase())));
        prop_assert!(!index.contains('@'));
        prop_assert_eq!(index.len(), 32);
    }
}
