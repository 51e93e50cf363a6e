//! How many KV round trips stand between a request and its answer, and in which
//! order its keys are written: a store whose every operation takes one turn of the
//! executor (as a real KV call takes one network round trip) records which
//! operations were in flight together.

mod common;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use common::*;
use desk::platform::{ListPage, PlatformError, Put, Store};

/// Pending once, then ready: one round trip.
struct RoundTrip(bool);

impl Future for RoundTrip {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The in-memory store, one round trip per call. An operation that starts while
/// none is in flight opens a new round trip ("wave").
#[derive(Default)]
struct Latent {
    inner: MemoryStore,
    in_flight: RefCell<usize>,
    waves: RefCell<Vec<Vec<String>>>,
}

impl Latent {
    async fn trip(&self, op: &str, key: &str) {
        {
            let mut in_flight = self.in_flight.borrow_mut();
            let mut waves = self.waves.borrow_mut();
            if *in_flight == 0 {
                waves.push(Vec::new());
            }
            *in_flight += 1;
            // The key's kind (`outbox`, `req`, ...) is enough to tell the writes apart.
            let kind = key.split('/').next().unwrap_or(key);
            waves.last_mut().unwrap().push(format!("{op} {kind}"));
        }
        RoundTrip(false).await;
        *self.in_flight.borrow_mut() -= 1;
    }

    fn take_waves(&self) -> Vec<Vec<String>> {
        let mut waves = self.waves.take();
        for wave in &mut waves {
            wave.sort();
        }
        waves
    }
}

impl Store for Latent {
    async fn get(&self, key: &str) -> Result<Option<String>, PlatformError> {
        self.trip("get", key).await;
        self.inner.get(key).await
    }
    async fn put(&self, key: &str, value: &str, options: Put) -> Result<(), PlatformError> {
        self.trip("put", key).await;
        self.inner.put(key, value, options).await
    }
    async fn delete(&self, key: &str) -> Result<(), PlatformError> {
        self.trip("delete", key).await;
        self.inner.delete(key).await
    }
    async fn list(&self, prefix: &str, cursor: Option<&str>) -> Result<ListPage, PlatformError> {
        self.trip("list", prefix).await;
        self.inner.list(prefix, cursor).await
    }
}

fn latent<'a>(world: &'a World, store: &'a Latent) -> App<'a, Latent, RecordingMailer, TestGuard> {
    App {
        store,
        mailer: &world.mailer,
        guard: &world.guard,
        vars: &world.vars,
        entropy: &world.entropy,
        log: &world.log,
        outbound: &world.outbound,
    }
}

fn post(path: &str, body: &str) -> Request {
    Request {
        method: "POST".into(),
        origin: ORIGIN.into(),
        path: path.into(),
        query: String::new(),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Origin".into(), SHOP_ORIGIN.into()),
        ],
        body: Body::Complete(body.as_bytes().to_vec()),
    }
}

const RIGHTS_REQUEST: &str = r#"{"shop":"demo-en","right":"access","name":"Anna",
    "email":"anna@example.nl","confirm_true":true,"lang":"en",
    "idempotency_key":"idem-key-round-trips-0001"}"#;

fn waves(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter()
        .map(|wave| wave.iter().map(|op| (*op).to_owned()).collect())
        .collect()
}

#[test]
fn a_rights_request_is_answered_after_two_round_trips() {
    let world = World::new();
    let store = Latent::default();
    let app = latent(&world, &store);
    let (reply, followups) = block_on(desk::respond(
        &app,
        &post("/api/requests", RIGHTS_REQUEST),
        NOW,
    ));
    assert_eq!(reply.status, 201);
    assert_eq!(
        store.take_waves(),
        waves(&[
            // A replay is answered from its idempotency key.
            &["get idem"],
            // Then all of it at once, and the answer once all five are stored
            // (a batch that fails in part is taken back: tests/routes.rs).
            &[
                "put email",
                "put idem",
                "put notify",
                "put outbox",
                "put req"
            ],
        ])
    );

    // After the answer: the contact's mail and the verification at once.
    block_on(desk::follow_up(&app, followups, NOW));
    let after = store.take_waves();
    assert_eq!(world.mailer.sent.borrow().len(), 2);
    assert!(
        after[0].contains(&"delete outbox".to_owned())
            && after[0].iter().any(|op| op.starts_with("get mailcount")),
        "the outbox entry goes while the verification's hold is read: {after:?}"
    );
}

#[test]
fn a_replay_costs_two_reads_and_a_consent_one_write() {
    let world = World::new();
    let store = Latent::default();
    let app = latent(&world, &store);
    let request = post("/api/requests", RIGHTS_REQUEST);
    let (first, followups) = block_on(desk::respond(&app, &request, NOW));
    block_on(desk::follow_up(&app, followups, NOW));
    store.take_waves();
    let (replay, followups) = block_on(desk::respond(&app, &request, NOW));
    assert_eq!((first.status, replay.status), (201, 200));
    assert_eq!(first.body, replay.body);
    assert!(followups.is_empty());
    // The key, then whether its record was stored (the key is written with it).
    assert_eq!(store.take_waves(), waves(&[&["get idem"], &["get req"]]));

    let consent = r#"{"shop":"demo-en","consent_id":"c0ffee00c0ffee00c0ffee00","policy_version":"1",
        "choices":{"analytics":true,"marketing":false},"source":"banner","lang":"en","gpc":false}"#;
    let (reply, _) = block_on(desk::respond(&app, &post("/api/consent", consent), NOW));
    assert_eq!(reply.status, 201);
    assert_eq!(store.take_waves(), waves(&[&["put consent"]]));
}
