//! The abuse rules of mail to requesters, through `desk::handle` and the cron on
//! the host: links from `PUBLIC_ORIGIN`, one verification mail per address a day,
//! the hourly cap, and idempotency conflicts.

mod common;

use common::*;

#[test]
fn links_in_mail_come_from_public_origin_never_from_host() {
    let world = World::new();
    let body = r#"{"shop":"demo-en","right":"access","name":"Anna","email":"anna@example.nl",
        "confirm_true":true,"lang":"en","idempotency_key":"idem-key-host-header-0001"}"#;
    let headers = [
        ("Content-Type", "application/json"),
        ("Origin", SHOP_ORIGIN),
    ];
    let answer = world.send_at(
        "http://evil.example",
        "POST",
        "/api/requests",
        &headers,
        Body::Complete(body.as_bytes().to_vec()),
        NOW,
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let sent = world.mailer.sent.borrow().clone();
    let Envelope::Binding { raw, .. } = sent.last().unwrap() else {
        panic!("send_email expected");
    };
    let unfolded = raw.replace("=\r\n", "").replace("=3D", "=");
    assert!(!unfolded.contains("evil.example"), "{unfolded}");
    assert!(
        unfolded.contains(&format!("{PUBLIC}/verify?ref=")),
        "{unfolded}"
    );
    assert!(
        unfolded.contains(&format!("{PUBLIC}/request-status?ref=")),
        "{unfolded}"
    );
}

#[test]
fn one_verification_mail_per_address_a_day_and_an_hourly_cap_the_rest_waits_for() {
    let world = World::new();
    let mails_to = |address: &str| {
        world
            .mailer
            .sent
            .borrow()
            .iter()
            .filter(|m| matches!(m, Envelope::Binding { to, .. } if to == address))
            .count()
    };
    for _ in 0..3 {
        world.file_request("victim@example.org");
    }
    assert_eq!(mails_to("victim@example.org"), 1, "one a day per address");
    assert_eq!(
        world.store.keys_under("notify/").len(),
        2,
        "the others wait, queued"
    );

    // Within the day the cron holds them too; the next day it sends one more,
    // and the day after the last.
    let day = 86_400_000;
    block_on(desk::scheduled(&world.app(), Timestamp(NOW.0 + 3_600_000)));
    assert_eq!(mails_to("victim@example.org"), 1);
    world.store.let_pass("", 86_400);
    block_on(desk::scheduled(
        &world.app(),
        Timestamp(NOW.0 + day + 60_000),
    ));
    assert_eq!(mails_to("victim@example.org"), 2, "{}", world.logs());
    world.store.let_pass("", 86_400);
    block_on(desk::scheduled(
        &world.app(),
        Timestamp(NOW.0 + 2 * day + 120_000),
    ));
    assert_eq!(mails_to("victim@example.org"), 3);
    assert!(world.store.keys_under("notify/").is_empty());
}

#[test]
fn an_idempotency_key_reused_for_another_request_is_a_conflict() {
    let world = World::new();
    let body = |right: &str| {
        format!(
            r#"{{"shop":"demo-en","right":"{right}","name":"Anna","email":"anna@example.nl",
               "confirm_true":true,"lang":"nl","idempotency_key":"idem-key-conflict-0001"}}"#
        )
    };
    assert_eq!(
        world.json("POST", "/api/requests", &body("access")).status,
        201
    );
    assert_eq!(
        world.json("POST", "/api/requests", &body("access")).status,
        200,
        "a retry replays"
    );
    let conflict = world.json("POST", "/api/requests", &body("erasure"));
    assert_eq!(conflict.status, 409);
    assert!(
        conflict.body.contains("idempotency_conflict"),
        "{}",
        conflict.body
    );
    assert!(
        conflict.body.contains("sleutel"),
        "in the request's language"
    );
    assert_eq!(
        world.store.keys_under("req/").len(),
        1,
        "nothing more stored"
    );
}

#[test]
fn the_hourly_cap_holds_mail_to_requesters_and_a_later_hour_sends_it() {
    let mut world = World::new();
    world
        .vars
        .vars
        .insert("REQUESTS".into(), r#"{"requester_mail_per_hour":2}"#.into());
    let addresses: Vec<String> = (0..4).map(|i| format!("person{i}@example.org")).collect();
    for address in &addresses {
        world.file_request(address);
    }
    let mailed = || {
        addresses
            .iter()
            .filter(|a| {
                world
                    .mailer
                    .sent
                    .borrow()
                    .iter()
                    .any(|m| matches!(m, Envelope::Binding { to, .. } if to == *a))
            })
            .count()
    };
    assert_eq!(mailed(), 2, "the cap this hour");
    assert_eq!(
        world.store.keys_under("notify/").len(),
        2,
        "the rest is queued, not dropped"
    );
    world.store.let_pass("mailcount/", 2 * 3600);
    block_on(desk::scheduled(&world.app(), Timestamp(NOW.0 + 3_600_000)));
    assert_eq!(mailed(), 4);
    assert!(world.store.keys_under("notify/").is_empty());
}
