//! A rights request is answered as soon as it is stored; its mail goes after the
//! answer (`desk::respond` then `desk::follow_up`, the Worker's waitUntil), and if
//! the follow-up never runs, the cron sends what it would have.

mod common;

use common::*;

fn filed(world: &World) -> (Answer, Vec<desk::Followup>) {
    let body = r#"{"shop":"demo-en","right":"access","name":"Anna","email":"anna@example.nl",
        "confirm_true":true,"lang":"en","idempotency_key":"idem-key-answer-first-01"}"#;
    let request = Request {
        method: "POST".into(),
        origin: ORIGIN.into(),
        path: "/api/requests".into(),
        query: String::new(),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Origin".into(), SHOP_ORIGIN.into()),
        ],
        body: Body::Complete(body.as_bytes().to_vec()),
    };
    let (reply, followups) = block_on(desk::respond(&world.app(), &request, NOW));
    let answer = Answer {
        status: reply.status,
        body: reply.body.unwrap_or_default(),
        headers: reply.headers,
    };
    (answer, followups)
}

#[test]
fn the_answer_comes_before_the_mail_and_both_mails_are_queued_by_then() {
    let world = World::new();
    let (answer, followups) = filed(&world);
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert!(
        world.mailer.sent.borrow().is_empty(),
        "nothing sent before the answer"
    );
    assert_eq!(
        world.store.keys_under("outbox/").len(),
        1,
        "the contact's mail is queued"
    );
    assert_eq!(
        world.store.keys_under("notify/").len(),
        1,
        "the verification is queued"
    );
    assert_eq!(followups.len(), 1);

    block_on(desk::follow_up(&world.app(), followups, NOW));
    assert_eq!(
        world.mailer.sent.borrow().len(),
        2,
        "contact and verification"
    );
    assert!(world.store.keys_under("outbox/").is_empty());
    assert!(world.store.keys_under("notify/").is_empty());
}

#[test]
fn if_the_follow_up_never_runs_the_cron_sends_both_mails() {
    let world = World::new();
    let (answer, followups) = filed(&world);
    assert_eq!(answer.status, 201);
    drop(followups); // the Worker stopped right after answering
    block_on(desk::scheduled(
        &world.app(),
        Timestamp(NOW.0 + 15 * 60_000),
    ));
    let sent = world.mailer.sent.borrow().clone();
    let to: Vec<&str> = sent
        .iter()
        .filter_map(|m| match m {
            Envelope::Binding { to, .. } => Some(to.as_str()),
            Envelope::Http { .. } => None,
        })
        .collect();
    assert!(to.contains(&"privacy@mountandco.example"), "{to:?}");
    assert!(to.contains(&"anna@example.nl"), "{to:?}");
    assert!(world.store.keys_under("outbox/").is_empty());
    assert!(world.store.keys_under("notify/").is_empty());
}
