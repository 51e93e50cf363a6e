//! A new rights request's five keys are written at once: when one write fails the
//! requester gets an error and nothing of the request is left to be mailed,
//! listed or replayed; the retry is stored afresh. Faults injected into the
//! in-memory store (`fail_puts_under`, `fail_deletes_under`).

mod common;

use common::*;

/// Every kind of key a new request writes.
const KINDS: [&str; 5] = ["outbox/", "req/", "email/", "idem/", "notify/"];

const BODY: &str = r#"{"shop":"demo-en","right":"access","name":"Anna de Vries",
    "email":"anna@example.nl","confirm_true":true,"lang":"en",
    "idempotency_key":"idem-key-partial-failure-0001"}"#;

fn kept(world: &World) -> Vec<String> {
    KINDS
        .iter()
        .flat_map(|kind| world.store.keys_under(kind))
        .collect()
}

fn reference(answer: &Answer) -> String {
    let value: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    value["reference"].as_str().unwrap().to_owned()
}

#[test]
fn a_failed_write_takes_the_whole_request_back_and_the_retry_is_stored() {
    for kind in KINDS {
        let world = World::new();
        *world.store.fail_puts_under.borrow_mut() = Some(kind.into());
        let failed = world.json("POST", "/api/requests", BODY);
        assert_eq!(failed.status, 500, "{kind}: {}", failed.body);
        assert!(
            failed.body.contains(r#""code":"internal""#),
            "{}",
            failed.body
        );
        assert_eq!(kept(&world), Vec::<String>::new(), "{kind}: left behind");
        assert!(world.mailer.sent.borrow().is_empty(), "{kind}: mailed");
        // Nothing for the cron to send either.
        block_on(desk::scheduled(&world.app(), NOW));
        assert!(
            world.mailer.sent.borrow().is_empty(),
            "{kind}: mailed by the cron"
        );

        *world.store.fail_puts_under.borrow_mut() = None;
        let retry = world.json("POST", "/api/requests", BODY);
        assert_eq!(retry.status, 201, "{kind}: {}", retry.body);
        let reference = reference(&retry);
        assert_eq!(
            world.store.keys_under("req/"),
            vec![format!("req/demo-en/{reference}")],
            "{kind}"
        );
        assert_eq!(world.store.keys_under("email/").len(), 1, "{kind}");
        // The privacy contact's mail and the verification, both for this request.
        let texts = world.mailer.texts();
        assert_eq!(texts.len(), 2, "{kind}");
        assert!(texts.iter().all(|t| t.contains(&reference)), "{kind}");
        assert!(
            !world.logs().contains("anna@example.nl"),
            "{}",
            world.logs()
        );
    }
}

#[test]
fn an_idempotency_key_left_by_a_failed_batch_never_answers_for_it() {
    let world = World::new();
    // The record is not stored, and taking the idempotency key back fails too.
    *world.store.fail_puts_under.borrow_mut() = Some("req/".into());
    *world.store.fail_deletes_under.borrow_mut() = Some("idem/".into());
    let failed = world.json("POST", "/api/requests", BODY);
    assert_eq!(failed.status, 500, "{}", failed.body);
    assert_eq!(world.store.keys_under("idem/").len(), 1);
    assert!(world.logs().contains("left behind"), "{}", world.logs());

    *world.store.fail_puts_under.borrow_mut() = None;
    // Not a replay (200) of a reference that was never stored: a new request.
    let retry = world.json("POST", "/api/requests", BODY);
    assert_eq!(retry.status, 201, "{}", retry.body);
    let reference = reference(&retry);
    assert!(world
        .store
        .value(&format!("req/demo-en/{reference}"))
        .is_some());
    // From now on the key answers for the stored request.
    let replay = world.json("POST", "/api/requests", BODY);
    assert_eq!((replay.status, replay.body), (200, retry.body));
}

#[test]
fn the_cron_keeps_a_fresh_queue_entry_whose_record_it_cannot_read_yet() {
    let world = World::new();
    // A verification queue entry without its record: written at the same time, a
    // cron run may see it first (here the record's write failed and the entry
    // could not be taken back, which the cron must clean up in the end).
    *world.store.fail_puts_under.borrow_mut() = Some("req/".into());
    *world.store.fail_deletes_under.borrow_mut() = Some("notify/".into());
    assert_eq!(world.json("POST", "/api/requests", BODY).status, 500);
    *world.store.fail_deletes_under.borrow_mut() = None;
    let queued = world.store.keys_under("notify/");
    assert_eq!(queued.len(), 1);

    block_on(desk::scheduled(&world.app(), NOW));
    assert_eq!(world.store.keys_under("notify/"), queued);
    let a_day_later = Timestamp(NOW.0 + 25 * 3600 * 1000);
    block_on(desk::scheduled(&world.app(), a_day_later));
    assert!(world.store.keys_under("notify/").is_empty());
    assert!(world.mailer.sent.borrow().is_empty());
}
