//! The world the host tests drive `desk::handle` in: the in-memory platform with
//! the two demo shops, and requests as plain data.

// Each test file uses its own part of it.
#![allow(dead_code, unused_imports)]

pub mod answers;

pub use desk::platform::Envelope;
pub use desk::testing::{
    block_on, CountingEntropy, MapVars, MemoryLog, MemoryStore, RecordingMailer, ScriptedOutbound,
    TestGuard,
};
pub use desk::time::Timestamp;
pub use desk::{App, Body, Request};

pub const ORIGIN: &str = "http://127.0.0.1:8787";
pub const SHOP_ORIGIN: &str = "https://mountandco.example";
/// Where links in mail point (`PUBLIC_ORIGIN`), unlike the `Host` requests arrive with.
pub const PUBLIC: &str = "https://desk.example";
/// The owner's secret in these tests (at least 32 characters, or nothing is accepted).
pub const ADMIN_TOKEN: &str = "s3cret-owner-token-long-enough-0123";
/// What a browser sends with a top-level navigation: the only requests on which
/// the session cookie counts.
pub const NAV: [(&str, &str); 2] = [
    ("Sec-Fetch-Mode", "navigate"),
    ("Sec-Fetch-Dest", "document"),
];
/// 2026-11-30T10:00:00Z
pub const NOW: Timestamp = Timestamp(1_796_032_800_000);

pub struct World {
    pub store: MemoryStore,
    pub mailer: RecordingMailer,
    pub guard: TestGuard,
    pub vars: MapVars,
    pub entropy: CountingEntropy,
    pub log: MemoryLog,
    pub outbound: ScriptedOutbound,
}

impl World {
    pub fn new() -> World {
        let mut vars = MapVars::default();
        let shops = r#"[
          {"id":"demo-en","name":"Mount & Co","origins":["https://mountandco.example"],
           "privacy_contact":"privacy@mountandco.example","policy_version":"1","languages":["en"],
           "retention_days":730,"privacy_policy_url":"/p"},
          {"id":"demo-nl","name":"Beugelhuis","origins":["https://beugelhuis.example"],
           "privacy_contact":"privacy@beugelhuis.example","policy_version":"1","languages":["nl"],
           "retention_days":730,"privacy_policy_url":"/p"}]"#;
        vars.vars.insert("SHOPS".into(), shops.into());
        vars.vars
            .insert("MAIL_FROM".into(), "desk@privacy-desk.example".into());
        vars.vars.insert("PUBLIC_ORIGIN".into(), PUBLIC.into());
        for (name, value) in [
            ("ADMIN_TOKEN", ADMIN_TOKEN),
            ("DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
            ("INDEX_KEY", "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="),
        ] {
            vars.secrets.insert(name.into(), value.into());
        }
        World {
            store: MemoryStore::default(),
            mailer: RecordingMailer::default(),
            guard: TestGuard::default(),
            vars,
            entropy: CountingEntropy::default(),
            log: MemoryLog::default(),
            outbound: ScriptedOutbound::default(),
        }
    }

    pub fn app(&self) -> App<'_, MemoryStore, RecordingMailer, TestGuard> {
        App {
            store: &self.store,
            mailer: &self.mailer,
            guard: &self.guard,
            vars: &self.vars,
            entropy: &self.entropy,
            log: &self.log,
            outbound: &self.outbound,
        }
    }

    pub fn send(&self, method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let body = Body::Complete(body.as_bytes().to_vec());
        self.send_at(ORIGIN, method, target, headers, body, NOW)
    }

    /// A request to the Worker at `origin` (http or https), with the body as the
    /// shell read it, at `now`.
    pub fn send_at(
        &self,
        origin: &str,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Body,
        now: Timestamp,
    ) -> Answer {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let request = Request {
            method: method.into(),
            origin: origin.into(),
            path: path.into(),
            query: query.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body,
        };
        let reply = block_on(desk::handle(&self.app(), &request, now));
        Answer {
            status: reply.status,
            body: reply.body.unwrap_or_default(),
            headers: reply.headers,
        }
    }

    pub fn json(&self, method: &str, target: &str, body: &str) -> Answer {
        let headers = [
            ("Content-Type", "application/json"),
            ("Origin", SHOP_ORIGIN),
        ];
        self.send(method, target, &headers, body)
    }

    pub fn file_request(&self, email: &str) -> String {
        let body = format!(
            r#"{{"shop":"demo-en","right":"access","name":"Anna de Vries","email":"{email}",
               "confirm_true":true,"lang":"en","idempotency_key":"idem-key-0000000000-{}"}}"#,
            self.store.entries.borrow().len()
        );
        let answer = self.json("POST", "/api/requests", &body);
        assert_eq!(answer.status, 201, "{}", answer.body);
        let value: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        value["reference"].as_str().unwrap().to_owned()
    }

    pub fn logs(&self) -> String {
        let lines = self.log.0.borrow();
        lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub struct Answer {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
