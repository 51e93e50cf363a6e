//! Failures of the Shopify client (each its typed error and owner message), the
//! configuration checks, and properties of the parsers of Shopify's answers.

use proptest::prelude::*;
use protocol::Lang;
use serde_json::{json, Value};

use super::tests::{answer, client, ok, token, FakeShopify, EMAIL, NOW};
use super::*;

#[test]
fn every_failure_has_its_typed_error() {
    let throttled_body = json!({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED",
        "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
        "extensions": {"cost": {"requestedQueryCost": 752, "actualQueryCost": null,
        "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": 666, "restoreRate": 50.0}}}});
    let denied = |message: &str, path: Value| {
        json!({"data": null, "errors": [{"message": message,
        "path": path, "extensions": {"code": "ACCESS_DENIED"}}]})
    };
    let cases: Vec<(&str, Result<HttpAnswer, HttpError>, ShopifyError)> = vec![
        ("timeout", Err(HttpError::Timeout), ShopifyError::Timeout),
        (
            "network",
            Err(HttpError::Network("reset".into())),
            ShopifyError::Network,
        ),
        (
            "401",
            answer(
                401,
                &[],
                r#"{"errors":"[API] Invalid API key or access token"}"#,
            ),
            ShopifyError::Unauthorized,
        ),
        (
            "403",
            answer(403, &[], ""),
            ShopifyError::AccessDenied { scope: None },
        ),
        (
            "404",
            answer(404, &[], "Not Found"),
            ShopifyError::Http { status: 404 },
        ),
        (
            "503",
            answer(503, &[], "<html>"),
            ShopifyError::Http { status: 503 },
        ),
        (
            "429 with Retry-After",
            answer(429, &[("retry-after", "2.0")], ""),
            ShopifyError::Throttled {
                retry_after_seconds: 2,
                requested_cost: None,
                available: None,
            },
        ),
        (
            "THROTTLED with cost",
            ok(throttled_body.clone()),
            ShopifyError::Throttled {
                retry_after_seconds: 2,
                requested_cost: Some(752),
                available: Some(666),
            },
        ),
        (
            "429 with THROTTLED body",
            answer(429, &[], &throttled_body.to_string()),
            ShopifyError::Throttled {
                retry_after_seconds: 2,
                requested_cost: Some(752),
                available: Some(666),
            },
        ),
        (
            "scope in the message",
            ok(denied(
                "Access denied for orders field. Required access: `read_orders` access scope.",
                json!(["customerByIdentifier", "orders"]),
            )),
            ShopifyError::AccessDenied {
                scope: Some("read_orders".into()),
            },
        ),
        (
            "scope from the path",
            ok(denied("Access denied", json!(["customerByIdentifier"]))),
            ShopifyError::AccessDenied {
                scope: Some("read_customers".into()),
            },
        ),
        (
            "guest checkout",
            ok(json!({"data": {"customerByIdentifier": null}})),
            ShopifyError::NoCustomer,
        ),
        (
            "other GraphQL error, address redacted",
            ok(
                json!({"errors": [{"message": format!("Variable $email invalid: {EMAIL}"), "extensions": {"code": "BAD_USER_INPUT"}}]}),
            ),
            ShopifyError::GraphQl {
                code: "BAD_USER_INPUT".into(),
                message: "Variable $email invalid: <e-mail>".into(),
            },
        ),
        (
            "error without code",
            ok(json!({"errors": [{"message": "Field 'x' doesn't exist"}]})),
            ShopifyError::GraphQl {
                code: "ERROR".into(),
                message: "Field 'x' doesn't exist".into(),
            },
        ),
        (
            "not JSON",
            answer(200, &[], "<html>"),
            ShopifyError::Malformed,
        ),
        (
            "no data",
            ok(json!({"extensions": {}})),
            ShopifyError::Malformed,
        ),
        (
            "wrong data shape",
            ok(json!({"data": {"customerByIdentifier": {"id": 5}}})),
            ShopifyError::Malformed,
        ),
    ];
    for (name, reply, expected) in cases {
        let fake = FakeShopify::replying(vec![reply]);
        let result = pollster::block_on(client(&fake, token(), None).customer_by_email(EMAIL, NOW));
        assert_eq!(result.err(), Some(expected), "{name}");
    }
}

#[test]
fn owner_messages_exist_in_both_languages_and_say_what_to_do() {
    let all = [
        ShopifyError::InvalidStore,
        ShopifyError::InvalidOrigin,
        ShopifyError::InvalidApiVersion,
        ShopifyError::Timeout,
        ShopifyError::Network,
        ShopifyError::Http { status: 503 },
        ShopifyError::Unauthorized,
        ShopifyError::Grant { status: 400 },
        ShopifyError::AccessDenied {
            scope: Some("read_orders".into()),
        },
        ShopifyError::Throttled {
            retry_after_seconds: 7,
            requested_cost: None,
            available: None,
        },
        ShopifyError::GraphQl {
            code: "X".into(),
            message: "y".into(),
        },
        ShopifyError::NoCustomer,
        ShopifyError::Malformed,
    ];
    let codes: std::collections::BTreeSet<_> = all.iter().map(ShopifyError::code).collect();
    assert_eq!(codes.len(), all.len(), "codes are distinct");
    for error in &all {
        let (en, nl) = (error.message(Lang::En), error.message(Lang::Nl));
        assert!(!en.is_empty() && !nl.is_empty() && en != nl, "{error:?}");
    }
    let denied = all[8].message(Lang::Nl);
    assert!(
        denied.contains("read_orders")
            && denied.contains("read_all_orders")
            && denied.contains("60 dagen"),
        "{denied}"
    );
    assert!(all[9].message(Lang::En).contains("7 seconds"));
    let costly = ShopifyError::Throttled {
        retry_after_seconds: 2,
        requested_cost: Some(752),
        available: Some(666),
    };
    assert!(
        costly
            .message(Lang::Nl)
            .contains("kost 752 punten, er zijn er 666 beschikbaar"),
        "{}",
        costly.message(Lang::Nl)
    );
    assert!(!all[9].message(Lang::En).contains("points"));
    assert!(all[11].message(Lang::En).contains("guest checkout"));
    let transient: Vec<bool> = all.iter().map(ShopifyError::is_transient).collect();
    assert_eq!(
        transient,
        [false, false, false, true, true, true, false, false, false, true, false, false, false]
    );
}

#[test]
fn configuration_is_checked() {
    for (input, expected) in [
        ("mount-co", Some("mount-co")),
        ("Mount-Co.myshopify.com", Some("mount-co")),
        (" shop1 ", Some("shop1")),
        ("", None),
        ("-shop", None),
        ("shop-", None),
        ("shop.example.com", None),
        ("sh op", None),
        ("evil.com/x", None),
        ("x.myshopify.com.evil.com", None),
    ] {
        assert_eq!(parse_store(input).as_deref(), expected, "{input}");
    }
    for (input, ok) in [
        ("https://mount-co.myshopify.com", true),
        ("https://shopify.example:8443", true),
        ("http://127.0.0.1:8788", true),
        ("http://localhost:9000", true),
        ("http://[::1]:9000", true),
        ("http://example.com", false),
        ("http://10.0.0.1:80", false),
        ("http://127.0.0.1.evil.com", false),
        ("https://x.example/", false),
        ("https://x.example/path", false),
        ("https://user@x.example", false),
        ("https://x.example:", false),
        ("https://x.example:123456", false),
        ("ftp://x.example", false),
        ("https://[2001:db8::1]", false),
        ("https://", false),
    ] {
        assert_eq!(parse_origin(input).is_some(), ok, "{input}");
    }
    for (version, ok) in [
        ("2026-10", true),
        ("2025-04", true),
        ("unstable", true),
        ("2026-11", false),
        ("2026-1", false),
        ("latest", false),
    ] {
        let result = ShopifyConfig::new("shop", version, token());
        assert_eq!(result.is_ok(), ok, "{version}");
    }
    let local = ShopifyConfig::with_origin("http://127.0.0.1:8788", "2026-10", token()).unwrap();
    assert_eq!(
        local.graphql_url(),
        "http://127.0.0.1:8788/admin/api/2026-10/graphql.json"
    );
    assert_eq!(
        local.token_url(),
        "http://127.0.0.1:8788/admin/oauth/access_token"
    );
    assert_eq!(
        ShopifyConfig::with_origin("http://shop.example", "2026-10", token()).err(),
        Some(ShopifyError::InvalidOrigin)
    );
    assert_eq!(
        ShopifyConfig::new("a b", "2026-10", token()).err(),
        Some(ShopifyError::InvalidStore)
    );
}

proptest! {
    #[test]
    fn any_answer_gives_data_or_a_typed_error(status in 100u16..600, body in "\\PC{0,200}", retry in "\\PC{0,8}") {
        let reply = HttpAnswer { status, headers: vec![("Retry-After".into(), retry)], body };
        let _ = answer::interpret(&reply, EMAIL);
        let _ = answer::granted_token(&reply, NOW);
    }

    #[test]
    fn json_answers_of_any_shape_do_not_panic(
        code in prop_oneof![Just("THROTTLED"), Just("ACCESS_DENIED"), Just("X"), Just("")],
        cost in proptest::option::of(-1e9f64..1e9), rate in proptest::option::of(-5f64..200.0),
        message in "\\PC{0,40}",
    ) {
        let body = json!({"errors": [{"message": message, "extensions": {"code": code}}],
            "extensions": {"cost": {"requestedQueryCost": cost, "throttleStatus": {"currentlyAvailable": 0, "restoreRate": rate}}}});
        let reply = HttpAnswer { status: 200, headers: vec![], body: body.to_string() };
        if let Err(ShopifyError::Throttled { retry_after_seconds, .. }) = answer::interpret(&reply, EMAIL) {
            prop_assert!((1..=3600).contains(&retry_after_seconds));
        }
    }

    #[test]
    fn plain_http_only_ever_reaches_loopback(origin in "(http|https)://[a-z0-9.:\\[\\]@/-]{0,30}") {
        if let Some(accepted) = parse_origin(&origin) {
            let host = accepted.split_once("://").unwrap().1;
            prop_assert!(!host.contains(['/', '@']));
            if accepted.starts_with("http://") {
                prop_assert!(host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]"), "{}", accepted);
            }
        }
    }

    #[test]
    fn store_names_are_safe_host_labels(input in "\\PC{0,40}") {
        if let Some(name) = parse_store(&input) {
            prop_assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!name.is_empty() && !name.starts_with('-'));
        }
    }
}

/// Any JSON value, a few levels deep, with Shopify's field names among the keys.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let key = prop_oneof![
            Just("customerByIdentifier".to_owned()),
            Just("orders".to_owned()),
            Just("addressesV2".to_owned()),
            Just("nodes".to_owned()),
            Just("pageInfo".to_owned()),
            Just("hasNextPage".to_owned()),
            Just("endCursor".to_owned()),
            Just("id".to_owned()),
            Just("email".to_owned()),
            "[a-z]{1,6}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(key, inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_data_gives_records_or_a_typed_error(data in any_json()) {
        let mut pages = customer::Pages::default();
        if pages.take(data.clone()).is_ok() {
            let found = pages.into_found(false);
            prop_assert!(found.records.iter().all(|r| r.source == crate::SourceKind::Shopify));
        }
        let mut guest = guest::GuestPages::default();
        if guest.take(data, EMAIL).is_ok() {
            // Generated strings are at most 8 characters: never the requester's address.
            prop_assert!(guest.into_found(false).records.is_empty());
        }
    }
}
