//! An access request answered from Shopify, through `desk::handle` on the host:
//! the owner prepares (the client-credentials grant, then the customer look-up;
//! the token kept sealed), reviews, sends; the requester opens the link with their
//! address; the link dies with its package. And the attacks: a wrong address, a
//! guessed or malformed token, an expired link, a cross-site send, Shopify failing.

mod common;

use common::answers::*;
use common::*;

const DAY_MS: u64 = 86_400_000;

fn prepared(world: &World) -> (String, String, String) {
    let session = sign_in(world);
    let reference = verified_request(world, "demo-en", "access", EMAIL_EN, "en");
    let detail = format!("/admin/requests/demo-en/{reference}");
    script_grant(world);
    script_customer(world, EMAIL_EN);
    let prepared = owner_post(
        world,
        &session,
        &detail,
        "action=prepare_answer&consent_id=",
    );
    assert_eq!(prepared.status, 303, "{}", prepared.body);
    (session, reference, detail)
}

#[test]
fn the_owner_prepares_from_shopify_and_sends_a_link_only_the_requester_can_open() {
    let world = wrangler_world();
    let session = sign_in(&world);
    let reference = verified_request(&world, "demo-en", "access", EMAIL_EN, "en");
    let detail = format!("/admin/requests/demo-en/{reference}");
    let page = owner_get(&world, &session, &detail);
    assert!(
        page.body.contains("value=\"prepare_answer\""),
        "{}",
        page.body
    );

    script_grant(&world);
    script_customer(&world, EMAIL_EN);
    let prepared = owner_post(
        &world,
        &session,
        &detail,
        "action=prepare_answer&consent_id=",
    );
    assert_eq!(prepared.status, 303, "{}", prepared.body);
    // The grant, then the look-up with the granted token, both to the store's Admin API.
    let sent = world.outbound.sent.borrow().clone();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].url,
        "https://mount-and-co.myshopify.com/admin/oauth/access_token"
    );
    assert!(
        sent[0].body.contains("grant_type=client_credentials")
            && sent[0].body.contains("client_secret=client-secret-demo-en")
    );
    assert_eq!(
        sent[1].url,
        "https://mount-and-co.myshopify.com/admin/api/2026-10/graphql.json"
    );
    assert!(sent[1].headers.contains(&(
        "X-Shopify-Access-Token".into(),
        "shpat_granted_token_0001".into()
    )));
    assert!(sent.iter().all(|s| s.timeout_ms > 0));
    // The token is kept for the next look-up, sealed.
    let token_entry = world.store.value("shopify/token/demo-en").unwrap();
    assert!(!token_entry.contains("shpat_granted_token_0001"));
    // The draft is sealed too: nothing of the customer's in KV in clear.
    let draft = world
        .store
        .value(&format!("answer/demo-en/{reference}"))
        .unwrap();
    assert!(!draft.contains("Harbour View") && !draft.contains(EMAIL_EN));

    let page = owner_get(&world, &session, &detail);
    for expected in [
        "Known customer",
        "14 Harbour View",
        "#1001",
        "Shopify Payments",
        "PostNL",
        "value=\"send_answer\"",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
    // A second look-up uses the kept token: no second grant.
    script_customer(&world, EMAIL_EN);
    assert_eq!(
        owner_post(&world, &session, &detail, "action=prepare_answer").status,
        303
    );
    assert_eq!(world.outbound.sent.borrow().len(), 3);
    assert!(world.outbound.sent.borrow()[2]
        .url
        .ends_with("/graphql.json"));

    let mails_before = world.mailer.sent.borrow().len();
    let send = owner_post(&world, &session, &detail, "action=send_answer");
    assert_eq!(send.status, 303, "{}", send.body);
    assert_eq!(world.mailer.sent.borrow().len(), mails_before + 1);
    let Envelope::Binding { to, raw, .. } = world.mailer.sent.borrow().last().unwrap().clone()
    else {
        panic!("send_email expected");
    };
    assert_eq!(to, EMAIL_EN, "only to the verified address");
    assert!(!raw.contains("email="), "no address in the link");
    let token = from_last_mail(&world, "/access?t=");
    assert_eq!(token.len(), 64);
    // Only the token's hash is stored; the package is sealed and expires with the link.
    let packages = world.store.keys_under("package/");
    assert_eq!(packages.len(), 1);
    assert!(!packages[0].contains(&token));
    let entry = world.store.entries.borrow()[&packages[0]].clone();
    assert_eq!(entry.ttl_seconds, Some(14 * 86_400));
    assert!(!entry.value.contains("Harbour View") && !entry.value.contains(&token));
    assert!(
        world
            .store
            .keys_under(&format!("answer/demo-en/{reference}"))
            .is_empty(),
        "draft gone"
    );
    let page = owner_get(&world, &session, &detail);
    assert!(page.body.contains("Completed") && page.body.contains("Answer sent"));

    // The requester: the link asks for the address and looks nothing up.
    let form = world.send("GET", &format!("/access?t={token}&lang=en"), &[], "");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("type=\"email\"") && !form.body.contains("Harbour"));
    let wrong = open_access(&world, &token, "someone.else@example.com", "page", NOW);
    assert_eq!(wrong.status, 404);
    assert!(wrong.body.contains("This link does not open an answer"));
    let opened = open_access(&world, &token, "Olivia.Byrne@Example.com", "page", NOW);
    assert_eq!(opened.status, 200, "{}", opened.body);
    for expected in [
        "#1001",
        "Alpine Daypack 28L",
        "Shopify Payments",
        "DHL",
        "Autoriteit Persoonsgegevens",
        "name=\"format\" value=\"json\"",
    ] {
        assert!(opened.body.contains(expected), "{expected}");
    }
    let json = open_access(&world, &token, EMAIL_EN, "json", NOW);
    assert_eq!(
        json.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    assert!(json
        .header("Content-Disposition")
        .unwrap()
        .starts_with("attachment"));
    let value: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(value["format"], "privacy-desk/access-package/1");
    assert!(json.body.contains("#1001") && json.body.contains("\"Shopify Payments\""));
    let csv = open_access(&world, &token, EMAIL_EN, "csv", NOW);
    assert_eq!(csv.header("Content-Type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.contains("Alpine Daypack 28L"));
    // Each opening is in the audit trail.
    let page = owner_get(&world, &session, &detail);
    assert_eq!(page.body.matches("Requester opened the answer").count(), 3);

    // After expiry: the same page, and the cron deletes the package.
    let later = Timestamp(NOW.0 + 15 * DAY_MS);
    let expired = open_access(&world, &token, EMAIL_EN, "page", later);
    assert_eq!(expired.status, 404);
    assert_eq!(
        expired.body, wrong.body,
        "an expired link and a wrong address look the same"
    );
    block_on(desk::scheduled(&world.app(), later));
    assert!(world.store.keys_under("package/").is_empty());
    assert!(!world.logs().contains(EMAIL_EN));
}

#[test]
fn the_cron_deletes_a_package_once_its_link_expires_and_not_before() {
    let world = wrangler_world();
    let (session, _, detail) = prepared(&world);
    assert_eq!(
        owner_post(&world, &session, &detail, "action=send_answer").status,
        303
    );
    block_on(desk::scheduled(
        &world.app(),
        Timestamp(NOW.0 + 13 * DAY_MS),
    ));
    assert_eq!(world.store.keys_under("package/").len(), 1);
    let token = from_last_mail(&world, "/access?t=");
    assert_eq!(
        open_access(
            &world,
            &token,
            EMAIL_EN,
            "page",
            Timestamp(NOW.0 + 13 * DAY_MS)
        )
        .status,
        200
    );
    block_on(desk::scheduled(
        &world.app(),
        Timestamp(NOW.0 + 14 * DAY_MS),
    ));
    assert!(world.store.keys_under("package/").is_empty());
}

#[test]
fn guessed_and_malformed_tokens_get_the_same_page_and_look_nothing_up() {
    let world = wrangler_world();
    let (session, _, detail) = prepared(&world);
    assert_eq!(
        owner_post(&world, &session, &detail, "action=send_answer").status,
        303
    );
    let wrong_address = open_access(
        &world,
        &from_last_mail(&world, "/access?t="),
        "x@example.com",
        "page",
        NOW,
    );
    for token in [
        "a".repeat(64),
        "0".repeat(64),
        "short".into(),
        "A".repeat(64),
        String::new(),
    ] {
        let guessed = open_access(&world, &token, EMAIL_EN, "json", NOW);
        assert_eq!(guessed.status, 404, "{token}");
        assert!(guessed.body.contains("This link does not open an answer"));
        assert_eq!(
            guessed.body.replace(&token, ""),
            wrong_address
                .body
                .replace(&from_last_mail(&world, "/access?t="), "")
        );
    }
    // Dutch requesters read it in Dutch.
    let dutch = world.send_at(
        ORIGIN,
        "POST",
        "/access?lang=nl",
        &[FORM, ("Origin", ORIGIN)],
        Body::Complete(b"t=x&email=a%40b.nl".to_vec()),
        NOW,
    );
    assert_eq!(dutch.status, 404);
    assert!(dutch.body.contains("Deze link opent geen antwoord"));
}

#[test]
fn a_cross_site_send_is_refused_and_sends_nothing() {
    let world = wrangler_world();
    let (session, _, detail) = prepared(&world);
    let mails = world.mailer.sent.borrow().len();
    let forged = world.send(
        "POST",
        &detail,
        &[
            FORM,
            ("Origin", "https://evil.example"),
            ("Cookie", &session),
            NAV[0],
            NAV[1],
        ],
        "action=send_answer",
    );
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("origin_not_allowed"));
    assert_eq!(world.mailer.sent.borrow().len(), mails);
    assert!(world.store.keys_under("package/").is_empty());
    let no_session = world.send(
        "POST",
        &detail,
        &[FORM, ("Origin", ORIGIN)],
        "action=prepare_answer",
    );
    assert_eq!(no_session.status, 303);
    assert_eq!(no_session.header("Location"), Some("/admin/login"));
}

#[test]
fn shopify_failures_show_their_message_and_keep_the_request() {
    let world = wrangler_world();
    let session = sign_in(&world);
    let reference = verified_request(&world, "demo-en", "access", EMAIL_EN, "en");
    let detail = format!("/admin/requests/demo-en/{reference}");
    script_grant(&world);
    world.outbound.answers.borrow_mut().push_back(Ok(desk::platform::HttpAnswer {
        status: 429,
        headers: vec![("Retry-After".into(), "2.0".into())],
        body: r#"{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}"#.into(),
    }));
    let throttled = owner_post(&world, &session, &detail, "action=prepare_answer");
    assert_eq!(throttled.status, 503);
    assert!(
        throttled.body.contains("role=\"alert\""),
        "{}",
        throttled.body
    );
    assert!(throttled.body.contains(&reference) && throttled.body.contains("Anna de Vries"));
    assert!(world.store.keys_under("answer/").is_empty());
    // A timeout too (the token is cached now: one request).
    world
        .outbound
        .answers
        .borrow_mut()
        .push_back(Err(desk::platform::HttpError::Timeout));
    let slow = owner_post(&world, &session, &detail, "action=prepare_answer");
    assert_eq!(slow.status, 503);
    assert!(slow.body.contains("did not answer in time"));
    // Sending before preparing says so.
    let early = owner_post(&world, &session, &detail, "action=send_answer");
    assert_eq!(early.status, 409);
    assert!(early.body.contains("Prepare the answer first"));
}

#[test]
fn without_secrets_the_page_names_them_and_an_unverified_request_cannot_be_answered() {
    let mut world = wrangler_world();
    world
        .vars
        .secrets
        .retain(|name, _| !name.starts_with("SHOPIFY_"));
    let session = sign_in(&world);
    let reference = verified_request(&world, "demo-en", "access", EMAIL_EN, "en");
    let detail = format!("/admin/requests/demo-en/{reference}");
    let missing = owner_post(&world, &session, &detail, "action=prepare_answer");
    assert_eq!(missing.status, 502);
    assert!(missing.body.contains("SHOPIFY_CLIENT_ID_DEMO_EN"));
    assert!(world.outbound.sent.borrow().is_empty());

    // Filed but not confirmed: no answer yet.
    let body = r#"{"shop":"demo-en","right":"access","name":"Mallory","email":"victim@example.com",
        "confirm_true":true,"lang":"en","idempotency_key":"idem-answer-unverified-01"}"#;
    let filed = world.json("POST", "/api/requests", body);
    let value: serde_json::Value = serde_json::from_str(&filed.body).unwrap();
    let unverified = format!(
        "/admin/requests/demo-en/{}",
        value["reference"].as_str().unwrap()
    );
    assert!(owner_get(&world, &session, &unverified)
        .body
        .contains("once the requester has confirmed"));
    let refused = owner_post(&world, &session, &unverified, "action=prepare_answer");
    assert_eq!(refused.status, 409);
}

#[test]
fn other_rights_get_an_editable_reply_that_completes_the_request() {
    let world = wrangler_world();
    let session = sign_in(&world);
    let reference = verified_request(&world, "demo-en", "erasure", EMAIL_EN, "en");
    let detail = format!("/admin/requests/demo-en/{reference}");
    script_grant(&world);
    script_customer(&world, EMAIL_EN);
    assert_eq!(
        owner_post(&world, &session, &detail, "action=prepare_answer").status,
        303
    );
    let page = owner_get(&world, &session, &detail);
    assert!(page.body.contains("id=\"answer-reply\""));
    assert!(
        page.body.contains("Shopify"),
        "the reply names what was found"
    );
    assert!(!page.body.contains("value=\"send_answer\""));
    let send = owner_post(
        &world,
        &session,
        &detail,
        "action=complete&text=We+erased+your+data.",
    );
    assert_eq!(send.status, 303);
    assert!(world
        .mailer
        .texts()
        .last()
        .unwrap()
        .contains("We erased your data."));
    assert!(
        world.store.keys_under("answer/").is_empty(),
        "the draft goes with the request"
    );
}
