//! What the answer tests share: a world with the shops exactly as `wrangler.toml`
//! configures them (processing, Shopify store), the owner signed in, a verified
//! request, Shopify's documented answers, and the requester's download page.

use serde_json::{json, Value};

use super::*;

pub const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
pub const EMAIL_EN: &str = "olivia.byrne@example.com";
pub const EMAIL_NL: &str = "anna@example.nl";
/// The Dutch demo's order export, as the e2e tests upload it.
pub const JOUWWEB_CSV: &str = include_str!("../../../tests/e2e/fixtures/jouwweb-orders.csv");

/// The world with `wrangler.toml`'s shops and demo-en's Shopify client secrets.
pub fn wrangler_world() -> World {
    let mut world = World::new();
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../wrangler.toml")).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    let shops = serde_json::to_string(&config["vars"]["SHOPS"]).unwrap();
    world.vars.vars.insert("SHOPS".into(), shops);
    for (name, value) in [
        ("SHOPIFY_CLIENT_ID_DEMO_EN", "client-id-demo-en"),
        ("SHOPIFY_CLIENT_SECRET_DEMO_EN", "client-secret-demo-en"),
    ] {
        world.vars.secrets.insert(name.into(), value.into());
    }
    world
}

/// Signs the owner in; the session cookie (`name=value`).
pub fn sign_in(world: &World) -> String {
    let login = world.send(
        "POST",
        "/admin/login",
        &[FORM, ("Origin", ORIGIN)],
        &format!("token={ADMIN_TOKEN}&actor=Olivia"),
    );
    assert_eq!(login.status, 303, "{}", login.body);
    login
        .header("Set-Cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// The link's value after `marker` in the latest mail to anyone (quoted-printable undone).
pub fn from_last_mail(world: &World, marker: &str) -> String {
    let texts = world.mailer.texts();
    let raw = texts.last().unwrap();
    let unfolded = raw.replace("=\r\n", "").replace("=3D", "=");
    unfolded
        .split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no {marker} in {unfolded}"))
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// Files a request through the API and confirms its address through the mailed link.
pub fn verified_request(world: &World, shop: &str, right: &str, email: &str, lang: &str) -> String {
    let body = format!(
        r#"{{"shop":"{shop}","right":"{right}","name":"Anna de Vries","email":"{email}",
           "confirm_true":true,"lang":"{lang}","idempotency_key":"idem-answer-{}"}}"#,
        world.store.entries.borrow().len() + 1000
    );
    let origin = if shop == "demo-en" {
        SHOP_ORIGIN
    } else {
        "https://beugelhuis.example"
    };
    let filed = world.send(
        "POST",
        "/api/requests",
        &[("Content-Type", "application/json"), ("Origin", origin)],
        &body,
    );
    assert_eq!(filed.status, 201, "{}", filed.body);
    let value: Value = serde_json::from_str(&filed.body).unwrap();
    let reference = value["reference"].as_str().unwrap().to_owned();
    let token = from_last_mail(world, "token=");
    let confirm = world.send(
        "POST",
        "/verify",
        &[FORM, ("Origin", ORIGIN)],
        &format!("ref={reference}&token={token}"),
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    reference
}

/// An owner page request (a top-level navigation with the session cookie).
pub fn owner_get(world: &World, session: &str, path: &str) -> Answer {
    world.send("GET", path, &[("Cookie", session), NAV[0], NAV[1]], "")
}

/// An owner form post from the owner page itself.
pub fn owner_post(world: &World, session: &str, path: &str, body: &str) -> Answer {
    world.send(
        "POST",
        path,
        &[
            FORM,
            ("Origin", ORIGIN),
            ("Cookie", session),
            NAV[0],
            NAV[1],
        ],
        body,
    )
}

/// A `multipart/form-data` body with the file `orders` and a consent id.
pub fn upload_body(csv: &[u8], consent_id: &str) -> (String, Vec<u8>) {
    let boundary = "----PrivacyDeskTestBoundary7MA4YWxk";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"orders\"; filename=\"orders.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"consent_id\"\r\n\r\n{consent_id}\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts an upload as the owner's browser does.
pub fn owner_upload(
    world: &World,
    session: &str,
    path: &str,
    csv: &[u8],
    headers: &[(&str, &str)],
) -> Answer {
    let (content_type, body) = upload_body(csv, "");
    let mut all = vec![
        ("Content-Type", content_type.as_str()),
        ("Cookie", session),
        NAV[0],
        NAV[1],
    ];
    all.extend_from_slice(headers);
    if !headers.iter().any(|(name, _)| *name == "Origin") {
        all.push(("Origin", ORIGIN));
    }
    world.send_at(ORIGIN, "POST", path, &all, Body::Complete(body), NOW)
}

/// Shopify's client-credentials grant, as documented.
pub fn script_grant(world: &World) {
    world.outbound.answer_json(
        200,
        r#"{"access_token":"shpat_granted_token_0001","scope":"read_customers,read_orders,read_all_orders","expires_in":86399}"#,
    );
}

/// One page of `customerByIdentifier` with an address and an order, as documented.
pub fn script_customer(world: &World, email: &str) {
    let address = json!({"firstName": "Olivia", "lastName": "Byrne", "company": null,
        "address1": "14 Harbour View", "address2": "Apartment 3", "zip": "D02 X285", "city": "Dublin",
        "province": "Dublin", "countryCodeV2": "IE", "phone": "+353 86 123 4567"});
    let order = json!({"id": "gid://shopify/Order/5001", "name": "#1001", "createdAt": "2026-10-02T09:15:00Z",
        "email": email, "phone": null, "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "FULFILLED",
        "totalPriceSet": {"shopMoney": {"amount": "89.95", "currencyCode": "EUR"}},
        "shippingAddress": address, "billingAddress": null,
        "lineItems": {"nodes": [{"title": "Alpine Daypack 28L", "quantity": 1}]}});
    let done = |nodes: Value| json!({"nodes": nodes, "pageInfo": {"hasNextPage": false, "endCursor": null}});
    let body = json!({"data": {"customerByIdentifier": {
        "id": "gid://shopify/Customer/7240019148837", "firstName": "Olivia", "lastName": "Byrne",
        "createdAt": "2025-03-01T10:00:00Z", "locale": "en", "note": null, "tags": [],
        "defaultEmailAddress": {"emailAddress": email, "marketingState": "SUBSCRIBED"},
        "defaultPhoneNumber": null,
        "addressesV2": done(json!([address])), "orders": done(json!([order]))}},
        "extensions": {"cost": {"requestedQueryCost": 302, "actualQueryCost": 12,
            "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1988, "restoreRate": 100.0}}}});
    world.outbound.answer_json(200, &body.to_string());
}

/// The requester's `POST /access` at `now`.
pub fn open_access(
    world: &World,
    token: &str,
    email: &str,
    format: &str,
    now: Timestamp,
) -> Answer {
    let body = format!(
        "t={token}&email={}&format={format}",
        email.replace('@', "%40")
    );
    world.send_at(
        ORIGIN,
        "POST",
        "/access?lang=en",
        &[FORM, ("Origin", ORIGIN)],
        Body::Complete(body.into_bytes()),
        now,
    )
}
