//! The client against an in-process fake of Shopify that replays recorded,
//! documentation-shaped answers and records what it was asked.

use std::cell::RefCell;
use std::collections::VecDeque;

use serde_json::{json, Value};

use super::*;
use crate::{DataCategory, RecordKind};

pub(super) const EMAIL: &str = "anna@example.nl";
pub(super) const NOW: u64 = 1_800_000_000_000;

/// One request the fake received: URL, headers, body.
type Asked = (String, Vec<(String, String)>, String);

#[derive(Default)]
pub(super) struct FakeShopify {
    replies: RefCell<VecDeque<Result<HttpAnswer, HttpError>>>,
    pub(super) asked: RefCell<Vec<Asked>>,
}

impl FakeShopify {
    pub(super) fn replying(replies: Vec<Result<HttpAnswer, HttpError>>) -> FakeShopify {
        FakeShopify {
            replies: RefCell::new(replies.into()),
            asked: RefCell::default(),
        }
    }

    fn header(&self, request: usize, name: &str) -> Option<String> {
        self.asked.borrow()[request]
            .1
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    fn body(&self, request: usize) -> String {
        self.asked.borrow()[request].2.clone()
    }

    fn url(&self, request: usize) -> String {
        self.asked.borrow()[request].0.clone()
    }
}

impl Http for &FakeShopify {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<HttpAnswer, HttpError> {
        self.asked.borrow_mut().push((
            url.to_owned(),
            headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body.to_owned(),
        ));
        self.replies
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(HttpError::Network("no more recorded answers".into())))
    }
}

pub(super) fn ok(body: Value) -> Result<HttpAnswer, HttpError> {
    answer(200, &[], &body.to_string())
}

pub(super) fn answer(
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<HttpAnswer, HttpError> {
    Ok(HttpAnswer {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_owned(),
    })
}

fn address(first: &str, city: &str) -> Value {
    json!({"firstName": first, "lastName": "de Vries", "company": null, "address1": "Voorbeeldweg 8",
           "address2": "", "zip": "8011 AB", "city": city, "province": null, "countryCodeV2": "NL",
           "phone": "+31612345678"})
}

fn order(name: &str) -> Value {
    json!({"id": "gid://shopify/Order/1", "name": name, "createdAt": "2026-10-02T09:15:00Z",
           "email": EMAIL, "phone": null, "displayFinancialStatus": "PAID",
           "displayFulfillmentStatus": "FULFILLED",
           "totalPriceSet": {"shopMoney": {"amount": "89.95", "currencyCode": "EUR"}},
           "shippingAddress": address("Anna", "Zwolle"), "billingAddress": null,
           "lineItems": {"nodes": [{"title": "TV wall mount 55\"", "quantity": 1},
                                    {"title": "HDMI cable", "quantity": 2}]}})
}

pub(super) fn page(
    addresses: Option<(Vec<Value>, Option<&str>)>,
    orders: Option<(Vec<Value>, Option<&str>)>,
) -> Value {
    let connection = |(nodes, cursor): (Vec<Value>, Option<&str>)| json!({"nodes": nodes, "pageInfo": {"hasNextPage": cursor.is_some(), "endCursor": cursor}});
    let mut customer = json!({
        "id": "gid://shopify/Customer/544365967", "firstName": "Anna", "lastName": "de Vries",
        "createdAt": "2025-03-01T10:00:00Z", "locale": "nl", "note": null, "tags": ["vip"],
        "defaultEmailAddress": {"emailAddress": EMAIL, "marketingState": "NOT_SUBSCRIBED"},
        "defaultPhoneNumber": null
    });
    if let Some(addresses) = addresses {
        customer["addressesV2"] = connection(addresses);
    }
    if let Some(orders) = orders {
        customer["orders"] = connection(orders);
    }
    json!({"data": {"customerByIdentifier": customer},
           "extensions": {"cost": {"requestedQueryCost": 302, "actualQueryCost": 12,
               "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1988, "restoreRate": 100.0}}}})
}

pub(super) fn client(
    fake: &FakeShopify,
    credentials: Credentials,
    cached: Option<CachedToken>,
) -> Shopify<&FakeShopify> {
    let config = ShopifyConfig::new("mount-co", DEFAULT_API_VERSION, credentials).unwrap();
    Shopify::new(fake, config, cached)
}

pub(super) fn token() -> Credentials {
    Credentials::AccessToken("shpat_test".into())
}

fn fields(found: &Found, kind: RecordKind) -> Vec<(DataCategory, String, String)> {
    found
        .records
        .iter()
        .filter(|r| r.kind == kind)
        .flat_map(|r| &r.fields)
        .map(|f| (f.category, f.key.clone(), f.value.clone()))
        .collect()
}

#[test]
fn finds_the_customer_with_addresses_and_orders_labelled_by_category() {
    let fake = FakeShopify::replying(vec![ok(page(
        Some((vec![address("Anna", "Zwolle")], None)),
        Some((vec![order("#1001")], None)),
    ))]);
    let found =
        pollster::block_on(client(&fake, token(), None).customer_by_email(EMAIL, NOW)).unwrap();

    assert_eq!(
        fake.url(0),
        "https://mount-co.myshopify.com/admin/api/2026-10/graphql.json"
    );
    assert_eq!(
        fake.header(0, "X-Shopify-Access-Token").as_deref(),
        Some("shpat_test")
    );
    let body: Value = serde_json::from_str(&fake.body(0)).unwrap();
    assert!(body["query"]
        .as_str()
        .unwrap()
        .contains("customerByIdentifier(identifier: {emailAddress: $email})"));
    assert_eq!(
        body["variables"],
        json!({"email": EMAIL, "addressesAfter": null, "ordersAfter": null,
                                          "withAddresses": true, "withOrders": true})
    );

    assert!(!found.truncated);
    let profile = fields(&found, RecordKind::Customer);
    for expected in [
        (DataCategory::Identity, "customer_id", "544365967"),
        (DataCategory::Identity, "first_name", "Anna"),
        (DataCategory::Contact, "email", EMAIL),
        (DataCategory::Marketing, "email_marketing", "NOT_SUBSCRIBED"),
        (DataCategory::Other, "tags", "vip"),
    ] {
        assert!(
            profile.contains(&(expected.0, expected.1.into(), expected.2.into())),
            "{expected:?} in {profile:?}"
        );
    }
    assert!(
        !profile
            .iter()
            .any(|(_, key, _)| key == "note" || key == "phone"),
        "empty values are left out"
    );
    let addresses = fields(&found, RecordKind::Address);
    assert!(addresses.contains(&(DataCategory::Address, "zip".into(), "8011 AB".into())));
    assert!(addresses.contains(&(DataCategory::Contact, "phone".into(), "+31612345678".into())));
    assert!(
        !addresses.iter().any(|(_, key, _)| key == "address2"),
        "blank address line left out"
    );
    let orders = fields(&found, RecordKind::Order);
    for expected in [
        (DataCategory::Order, "order", "#1001"),
        (DataCategory::Payment, "total", "89.95 EUR"),
        (DataCategory::Payment, "payment_status", "PAID"),
        (DataCategory::Order, "item", "2 × HDMI cable"),
        (
            DataCategory::Address,
            "shipping_address",
            "Anna de Vries, Voorbeeldweg 8, 8011 AB Zwolle, NL",
        ),
    ] {
        assert!(
            orders.contains(&(expected.0, expected.1.into(), expected.2.into())),
            "{expected:?} in {orders:?}"
        );
    }
    let order_record = found
        .records
        .iter()
        .find(|r| r.kind == RecordKind::Order)
        .unwrap();
    assert_eq!(order_record.title.nl, "Bestelling #1001");
}

#[test]
fn pages_through_orders_with_cursors_and_skips_finished_connections() {
    let fake = FakeShopify::replying(vec![
        ok(page(
            Some((vec![address("Anna", "Zwolle")], None)),
            Some((vec![order("#1001")], Some("c1"))),
        )),
        ok(page(None, Some((vec![order("#1002")], Some("c2"))))),
        ok(page(None, Some((vec![order("#1003")], None)))),
    ]);
    let found =
        pollster::block_on(client(&fake, token(), None).customer_by_email(EMAIL, NOW)).unwrap();
    assert_eq!(fake.asked.borrow().len(), 3);
    let second: Value = serde_json::from_str(&fake.body(1)).unwrap();
    assert_eq!(second["variables"]["ordersAfter"], "c1");
    assert_eq!(second["variables"]["withAddresses"], false);
    assert_eq!(second["variables"]["withOrders"], true);
    let third: Value = serde_json::from_str(&fake.body(2)).unwrap();
    assert_eq!(third["variables"]["ordersAfter"], "c2");
    let names: Vec<String> = found
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::Order)
        .map(|r| r.title.en.clone())
        .collect();
    assert_eq!(names, ["Order #1001", "Order #1002", "Order #1003"]);
    assert_eq!(
        found.count(crate::SourceKind::Shopify, RecordKind::Customer),
        1,
        "profile once"
    );
    assert_eq!(
        found.count(crate::SourceKind::Shopify, RecordKind::Address),
        1
    );
}

#[test]
fn stops_after_the_page_cap_and_says_the_copy_is_truncated() {
    let endless: Vec<_> = (0..MAX_PAGES + 5)
        .map(|i| {
            ok(page(
                Some((vec![], None)),
                Some((vec![order(&format!("#{i}"))], Some("more"))),
            ))
        })
        .collect();
    let fake = FakeShopify::replying(endless);
    let found =
        pollster::block_on(client(&fake, token(), None).customer_by_email(EMAIL, NOW)).unwrap();
    assert_eq!(fake.asked.borrow().len(), MAX_PAGES);
    assert!(found.truncated);
}

#[test]
fn a_next_page_without_cursor_is_refused_rather_than_looped() {
    let mut reply = page(Some((vec![], None)), Some((vec![], None)));
    reply["data"]["customerByIdentifier"]["orders"]["pageInfo"] =
        json!({"hasNextPage": true, "endCursor": null});
    let fake = FakeShopify::replying(vec![ok(reply)]);
    let result = pollster::block_on(client(&fake, token(), None).customer_by_email(EMAIL, NOW));
    assert_eq!(result.err(), Some(ShopifyError::Malformed));
}

fn grant(expires_in: Option<u64>, scope: &str) -> Result<HttpAnswer, HttpError> {
    let mut body = json!({"access_token": "shpat_granted", "scope": scope});
    if let Some(seconds) = expires_in {
        body["expires_in"] = json!(seconds);
    }
    ok(body)
}

pub(super) fn one_page() -> Result<HttpAnswer, HttpError> {
    ok(page(Some((vec![], None)), Some((vec![], None))))
}

const SCOPES: &str = "read_customers,read_orders,read_all_orders";

#[test]
fn client_credentials_are_exchanged_once_and_the_token_cached_until_it_expires() {
    let credentials = Credentials::ClientCredentials {
        client_id: "id&1".into(),
        client_secret: "s3cr=t".into(),
    };
    let fake = FakeShopify::replying(vec![grant(Some(86399), SCOPES), one_page(), one_page()]);
    let shopify = client(&fake, credentials.clone(), None);
    pollster::block_on(shopify.customer_by_email(EMAIL, NOW)).unwrap();
    assert_eq!(
        fake.url(0),
        "https://mount-co.myshopify.com/admin/oauth/access_token"
    );
    assert_eq!(
        fake.header(0, "Content-Type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        fake.body(0),
        "grant_type=client_credentials&client_id=id%261&client_secret=s3cr%3Dt"
    );
    assert_eq!(
        fake.header(1, "X-Shopify-Access-Token").as_deref(),
        Some("shpat_granted")
    );
    let cached = shopify.cached_token().unwrap();
    assert_eq!(cached.expires_at_ms, NOW + 86_399_000);

    // An hour later: the cached token is used, no second grant.
    pollster::block_on(shopify.customer_by_email(EMAIL, NOW + 3_600_000)).unwrap();
    assert_eq!(fake.asked.borrow().len(), 3);
    assert!(fake.url(2).ends_with("/graphql.json"));

    // The cache decision at its edges.
    assert!(cached.usable_at(cached.expires_at_ms - TOKEN_MARGIN_MS - 1));
    assert!(!cached.usable_at(cached.expires_at_ms - TOKEN_MARGIN_MS));
    assert!(!cached.usable_at(u64::MAX));

    // A client started with a stale cached token asks for a new one.
    let fake = FakeShopify::replying(vec![grant(None, SCOPES), one_page()]);
    let stale = CachedToken {
        expires_at_ms: NOW + TOKEN_MARGIN_MS,
        ..cached
    };
    let shopify = client(&fake, credentials, Some(stale));
    pollster::block_on(shopify.customer_by_email(EMAIL, NOW)).unwrap();
    assert!(fake.url(0).ends_with("/admin/oauth/access_token"));
    assert_eq!(
        shopify.cached_token().unwrap().expires_at_ms,
        NOW + TOKEN_DEFAULT_LIFETIME_MS
    );
}

#[test]
fn grant_refusals_and_missing_scopes_are_named() {
    let credentials = Credentials::ClientCredentials {
        client_id: "a".into(),
        client_secret: "b".into(),
    };
    for (reply, expected) in [
        (
            answer(400, &[], r#"{"error":"invalid_client"}"#),
            ShopifyError::Grant { status: 400 },
        ),
        (answer(502, &[], ""), ShopifyError::Http { status: 502 }),
        (
            grant(Some(60), "read_customers"),
            ShopifyError::AccessDenied {
                scope: Some("read_orders".into()),
            },
        ),
        (
            grant(Some(60), "read_orders,read_all_orders"),
            ShopifyError::AccessDenied {
                scope: Some("read_customers".into()),
            },
        ),
        (ok(json!({"scope": SCOPES})), ShopifyError::Malformed),
    ] {
        let fake = FakeShopify::replying(vec![reply]);
        let shopify = client(&fake, credentials.clone(), None);
        assert_eq!(
            pollster::block_on(shopify.customer_by_email(EMAIL, NOW)).err(),
            Some(expected.clone())
        );
        assert!(
            shopify.cached_token().is_none(),
            "{expected:?}: nothing cached"
        );
    }
}

#[test]
fn tells_whether_a_customer_has_the_address() {
    for (reply, expected) in [
        (
            ok(json!({"data": {"customerByIdentifier": {"id": "gid://shopify/Customer/1"}}})),
            Ok(true),
        ),
        (
            ok(json!({"data": {"customerByIdentifier": null}})),
            Ok(false),
        ),
        (answer(401, &[], ""), Err(ShopifyError::Unauthorized)),
    ] {
        let fake = FakeShopify::replying(vec![reply]);
        let result = pollster::block_on(client(&fake, token(), None).has_customer(EMAIL, NOW));
        assert_eq!(result, expected);
        let body: Value = serde_json::from_str(&fake.body(0)).unwrap();
        assert!(body["query"]
            .as_str()
            .unwrap()
            .contains("customerByIdentifier(identifier: {emailAddress: $email}) { id }"));
        assert_eq!(body["variables"], json!({"email": EMAIL}));
    }
}

#[test]
fn a_grant_without_read_all_orders_is_flagged() {
    for (scope, limited) in [
        ("read_customers,read_orders", true),
        ("read_customers, read_orders, read_all_orders", false),
        ("read_customers", false),
        ("", false),
    ] {
        let token = CachedToken {
            access_token: "t".into(),
            scope: scope.into(),
            expires_at_ms: 0,
        };
        assert_eq!(token.orders_limited_to_60_days(), limited, "{scope}");
    }
}

#[test]
fn guest_orders_are_found_by_the_orders_own_address_and_checked_again() {
    let orders_page = |orders: Vec<Value>, cursor: Option<&str>| {
        ok(json!({"data": {"orders": {"nodes": orders,
            "pageInfo": {"hasNextPage": cursor.is_some(), "endCursor": cursor}}}}))
    };
    let with_email = |name: &str, email: Value| {
        let mut order = order(name);
        order["email"] = email;
        order
    };
    let fake = FakeShopify::replying(vec![
        orders_page(
            vec![
                with_email("#1001", json!("ANNA@example.nl ")),
                with_email("#1002", json!("anna@example.nl.evil.com")),
                with_email("#1003", Value::Null),
            ],
            Some("c1"),
        ),
        orders_page(vec![with_email("#1004", json!(EMAIL))], None),
    ]);
    let found =
        pollster::block_on(client(&fake, token(), None).orders_by_email(EMAIL, NOW)).unwrap();
    let names: Vec<&str> = found.records.iter().map(|r| r.title.en.as_str()).collect();
    assert_eq!(names, ["Order #1001", "Order #1004"]);
    assert!(!found.truncated);
    let first: Value = serde_json::from_str(&fake.body(0)).unwrap();
    assert!(first["query"]
        .as_str()
        .unwrap()
        .contains("orders(first: 10, after: $after, query: $query)"));
    assert_eq!(
        first["variables"],
        json!({"query": "email:\"anna@example.nl\"", "after": null})
    );
    let second: Value = serde_json::from_str(&fake.body(1)).unwrap();
    assert_eq!(second["variables"]["after"], "c1");
}

#[test]
fn search_terms_quote_and_escape_the_address() {
    for (email, term) in [
        ("anna@example.nl", r#"email:"anna@example.nl""#),
        (" anna@example.nl ", r#"email:"anna@example.nl""#),
        (r#"a"b\c@x.nl"#, r#"email:"a\"b\\c@x.nl""#),
        ("x OR email:*", r#"email:"x OR email:*""#),
    ] {
        assert_eq!(guest::search_term(email), term, "{email}");
    }
}

proptest::proptest! {
    #[test]
    fn a_search_term_is_one_quoted_value_holding_the_address(email in "\\PC{0,30}") {
        let term = guest::search_term(&email);
        let inner = term.strip_prefix("email:\"").and_then(|t| t.strip_suffix('"')).unwrap();
        let mut unescaped = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => unescaped.push(chars.next().expect("an escape is followed by a character")),
                '"' => proptest::prop_assert!(false, "unescaped quote in {}", term),
                c => unescaped.push(c),
            }
        }
        proptest::prop_assert_eq!(unescaped, email.trim());
    }
}
