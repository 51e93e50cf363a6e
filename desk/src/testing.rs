//! The platform in memory, for host tests: a store that lists in key order (with
//! small pages, so cursors are exercised), a mailer that records what it sends, a
//! guard that lets everything through, counting randomness, a log to inspect, and
//! a `block_on` for the core's futures (which never wait on anything here).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use serde_json::Value;

use crate::platform::{
    Entropy, Envelope, Fetched, Guard, HttpAnswer, HttpError, Level, ListPage, Listed, Log, Mailer,
    Outbound, PlatformError, Put, Store, Vars,
};

/// Runs a future that never waits on I/O to completion.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A stored value with its metadata and expiry (seconds of TTL asked for).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub value: String,
    pub metadata: Option<Value>,
    pub ttl_seconds: Option<u64>,
}

/// An in-memory [`Store`]. `fail_puts_under` makes writes under a prefix fail,
/// `fail_deletes_under` deletes.
#[derive(Default)]
pub struct MemoryStore {
    pub entries: RefCell<BTreeMap<String, Entry>>,
    pub fail_puts_under: RefCell<Option<String>>,
    pub fail_deletes_under: RefCell<Option<String>>,
}

/// Keys per listing page: small, so that every listing follows a cursor.
const PAGE: usize = 3;

impl MemoryStore {
    pub fn keys_under(&self, prefix: &str) -> Vec<String> {
        self.entries
            .borrow()
            .keys()
            .filter(|key| key.starts_with(prefix))
            .cloned()
            .collect()
    }

    pub fn value(&self, key: &str) -> Option<String> {
        self.entries.borrow().get(key).map(|e| e.value.clone())
    }

    /// Lets `seconds` pass for the keys under `prefix`: those written with a TTL of
    /// at most that long are gone, as KV forgets them (the store has no clock).
    pub fn let_pass(&self, prefix: &str, seconds: u64) {
        self.entries.borrow_mut().retain(|key, entry| {
            !key.starts_with(prefix) || entry.ttl_seconds.is_none_or(|ttl| ttl > seconds)
        });
    }
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, PlatformError> {
        Ok(self.value(key))
    }

    async fn put(&self, key: &str, value: &str, options: Put) -> Result<(), PlatformError> {
        if let Some(prefix) = self.fail_puts_under.borrow().as_deref() {
            if key.starts_with(prefix) {
                return Err(PlatformError("KV put failed: 500".into()));
            }
        }
        let entry = Entry {
            value: value.to_owned(),
            metadata: options.metadata,
            ttl_seconds: options.ttl_seconds,
        };
        self.entries.borrow_mut().insert(key.to_owned(), entry);
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), PlatformError> {
        if let Some(prefix) = self.fail_deletes_under.borrow().as_deref() {
            if key.starts_with(prefix) {
                return Err(PlatformError("KV delete failed: 500".into()));
            }
        }
        self.entries.borrow_mut().remove(key);
        Ok(())
    }

    async fn list(&self, prefix: &str, cursor: Option<&str>) -> Result<ListPage, PlatformError> {
        let skip: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
        let entries = self.entries.borrow();
        let matching: Vec<Listed> = entries
            .iter()
            .filter(|(key, _)| key.starts_with(prefix))
            .map(|(key, entry)| Listed {
                name: key.clone(),
                metadata: entry.metadata.clone(),
            })
            .collect();
        let keys: Vec<Listed> = matching.iter().skip(skip).take(PAGE).cloned().collect();
        let next = skip + keys.len();
        Ok(ListPage {
            keys,
            cursor: (next < matching.len()).then(|| next.to_string()),
        })
    }
}

/// A [`Mailer`] that keeps every envelope; `failing` makes every send fail.
#[derive(Default)]
pub struct RecordingMailer {
    pub sent: RefCell<Vec<Envelope>>,
    pub failing: Cell<bool>,
}

impl RecordingMailer {
    /// The raw MIME or HTTP body of every mail sent to `to` (HTTP: any).
    pub fn texts(&self) -> Vec<String> {
        self.sent
            .borrow()
            .iter()
            .map(|envelope| match envelope {
                Envelope::Binding { raw, .. } => raw.clone(),
                Envelope::Http { body, .. } => body.clone(),
            })
            .collect()
    }
}

impl Mailer for RecordingMailer {
    async fn send(&self, mail: &Envelope) -> Result<(), PlatformError> {
        if self.failing.get() {
            return Err(PlatformError(
                "send_email failed for anna@example.nl".into(),
            ));
        }
        self.sent.borrow_mut().push(mail.clone());
        Ok(())
    }
}

/// A [`Guard`] whose limiters allow `limit` requests in all (or, for a binding
/// named in `limits`, that many of its own), which records every count, and
/// whose siteverify answers `verdict` (status and body).
pub struct TestGuard {
    pub limit: Cell<u32>,
    pub limits: RefCell<HashMap<&'static str, u32>>,
    /// Every request counted: the binding and the client key.
    pub counted: RefCell<Vec<(&'static str, String)>>,
    pub verdict: RefCell<(u16, Vec<u8>)>,
}

impl Default for TestGuard {
    fn default() -> TestGuard {
        TestGuard {
            limit: Cell::new(u32::MAX),
            limits: RefCell::new(HashMap::new()),
            counted: RefCell::new(Vec::new()),
            verdict: RefCell::new((200, br#"{"success":true}"#.to_vec())),
        }
    }
}

impl TestGuard {
    /// The client keys counted against `binding`, in order.
    pub fn counted_against(&self, binding: &str) -> Vec<String> {
        self.counted
            .borrow()
            .iter()
            .filter(|(name, _)| *name == binding)
            .map(|(_, client)| client.clone())
            .collect()
    }
}

impl Guard for TestGuard {
    async fn within_limit(
        &self,
        binding: &'static str,
        client: &str,
    ) -> Result<bool, PlatformError> {
        self.counted.borrow_mut().push((binding, client.to_owned()));
        if let Some(left) = self.limits.borrow_mut().get_mut(binding) {
            let within = *left > 0;
            *left = left.saturating_sub(1);
            return Ok(within);
        }
        let left = self.limit.get();
        self.limit.set(left.saturating_sub(1));
        Ok(left > 0)
    }

    async fn siteverify(&self, _: &str, _: &str) -> Result<(u16, Vec<u8>), PlatformError> {
        Ok(self.verdict.borrow().clone())
    }
}

/// Deterministic "randomness": a counter, so every id differs and tests repeat.
#[derive(Default)]
pub struct CountingEntropy(Cell<u8>);

impl Entropy for CountingEntropy {
    fn fill(&self, out: &mut [u8]) -> Result<(), PlatformError> {
        for byte in out {
            let next = self.0.get().wrapping_add(37);
            self.0.set(next);
            *byte = next;
        }
        Ok(())
    }
}

/// Log lines, kept.
#[derive(Default)]
pub struct MemoryLog(pub RefCell<Vec<(Level, String)>>);

impl Log for MemoryLog {
    fn log(&self, level: Level, line: &str) {
        self.0.borrow_mut().push((level, line.to_owned()));
    }
}

/// One outbound request as the core made it.
#[derive(Clone, Debug)]
pub struct Sent {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub timeout_ms: u32,
}

/// An [`Outbound`] that answers from a queue (an empty queue is a network error)
/// and records every request.
#[derive(Default)]
pub struct ScriptedOutbound {
    pub answers: RefCell<VecDeque<Result<HttpAnswer, HttpError>>>,
    pub sent: RefCell<Vec<Sent>>,
}

impl ScriptedOutbound {
    /// Queues a JSON answer with this status.
    pub fn answer_json(&self, status: u16, body: &str) {
        self.answers.borrow_mut().push_back(Ok(HttpAnswer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_owned(),
        }));
    }
}

impl Outbound for ScriptedOutbound {
    fn post<'a>(
        &'a self,
        url: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: &'a str,
        timeout_ms: u32,
    ) -> Fetched<'a> {
        self.sent.borrow_mut().push(Sent {
            url: url.to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
            timeout_ms,
        });
        let answer = self
            .answers
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(HttpError::Network("nothing scripted".into())));
        Box::pin(async move { answer })
    }
}

/// Vars and secrets from maps.
#[derive(Default)]
pub struct MapVars {
    pub vars: HashMap<String, String>,
    pub secrets: HashMap<String, String>,
}

impl Vars for MapVars {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn secret(&self, name: &str) -> Option<String> {
        self.secrets.get(name).cloned()
    }
}
