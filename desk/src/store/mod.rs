//! What the edge keeps in KV: key layout (the prefixes are the indexes) and the
//! stored shapes of consent records, rights requests, outbox entries and
//! idempotency keys. Building them is pure; the entry module only reads and writes.

use protocol::{
    Choices, ConsentRecord, ConsentSource, Lang, NewRightsRequest, Right, ServiceChoice,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::Shop;
use crate::time::{due_date, Timestamp};
use crypto::Keyring;

pub mod crypto;
pub mod digest;
pub mod keys;
pub mod records;

/// How long an idempotency key protects against a duplicate submission.
pub const IDEMPOTENCY_TTL_SECONDS: u64 = 24 * 3600;

/// A consent record as kept (proof of consent, GDPR art. 7(1)): the visitor's
/// choice plus server time. No IP address, no user agent, only its fingerprint.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConsent {
    pub record_id: String,
    pub recorded_at: String,
    pub shop: String,
    pub consent_id: String,
    pub policy_version: String,
    pub choices: Choices,
    pub source: ConsentSource,
    pub lang: Lang,
    pub gpc: bool,
    /// [`digest::user_agent_fingerprint`] of the browser, if it sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent_hash: Option<String>,
    /// Every configured service with its choice (none in records from before
    /// per-service choices).
    #[serde(default)]
    pub services: Vec<ServiceChoice>,
}

/// Builds the stored consent record. `random_hex` is fresh randomness for the id;
/// the id starts with the time so that a month's keys list in order.
pub fn new_consent(
    record: ConsentRecord,
    now: Timestamp,
    random_hex: &str,
    user_agent: Option<&str>,
) -> StoredConsent {
    StoredConsent {
        record_id: format!("{:012x}-{random_hex}", now.0),
        recorded_at: now.rfc3339(),
        shop: record.shop,
        consent_id: record.consent_id,
        policy_version: record.policy_version,
        choices: record.choices,
        source: record.source,
        lang: record.lang,
        gpc: record.gpc,
        user_agent_hash: user_agent
            .filter(|ua| !ua.is_empty())
            .map(digest::user_agent_fingerprint),
        services: record.services,
    }
}

/// Where a rights request stands.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Open: the shop has not answered yet.
    Received,
    /// Answered (owner page).
    Completed,
    /// Refused with a reason (owner page).
    Refused,
    /// Closed because the requester never verified their e-mail address (cron).
    Expired,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Received,
        Status::Completed,
        Status::Refused,
        Status::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Completed => "completed",
            Status::Refused => "refused",
            Status::Expired => "expired",
        }
    }
}

/// Something that happened to a request, in order.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Received,
    MailSent,
    MailFailed,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: String,
    pub kind: EventKind,
}

/// A rights request as kept under `req/<shop>/<ref>`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRequest {
    pub reference: String,
    pub shop: String,
    pub right: Right,
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    pub confirm_true: bool,
    pub lang: Lang,
    pub received_at: String,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    pub status: Status,
    /// The mail to the privacy contact has not gone out yet (it is in the outbox).
    pub mail_pending: bool,
    /// [`digest::email_proof`] of the requester's address, for the status page.
    pub email_proof: String,
    pub events: Vec<Event>,
    /// Owner-side state (e-mail verification, extension, closing); see `owner::case`.
    #[serde(default)]
    pub case: crate::owner::case::CaseState,
}

/// Small listing metadata kept on the KV key (no personal data).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestMeta {
    pub status: Status,
    pub due_date: String,
    pub right: Right,
    pub mail_pending: bool,
    /// Date of receipt, `YYYY-MM-DD` (the owner list and the cron need no record reads).
    #[serde(default)]
    pub received: String,
    #[serde(default = "yes")]
    pub email_verified: bool,
    #[serde(default)]
    pub extended: bool,
    /// Date closed, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
}

fn yes() -> bool {
    true
}

impl StoredRequest {
    pub fn meta(&self) -> RequestMeta {
        RequestMeta {
            status: self.status,
            due_date: self.due_date.clone(),
            right: self.right,
            mail_pending: self.mail_pending,
            received: self.received_at.get(..10).unwrap_or_default().to_owned(),
            email_verified: !self.case.awaiting_requester(),
            extended: self.case.original_due_date.is_some(),
            closed: self
                .case
                .closed_at
                .as_ref()
                .and_then(|at| at.get(..10))
                .map(str::to_owned),
        }
    }

    /// Records the outcome of a mail attempt.
    pub fn mail_outcome(&mut self, sent: bool, now: Timestamp) {
        self.mail_pending = !sent;
        let kind = if sent {
            EventKind::MailSent
        } else {
            EventKind::MailFailed
        };
        self.events.push(Event {
            at: now.rfc3339(),
            kind,
        });
    }

    /// The public acknowledgement (and status view) of this request.
    pub fn accepted(&self) -> protocol::RequestAccepted {
        protocol::RequestAccepted {
            reference: self.reference.clone(),
            due_date: self.due_date.clone(),
            status: self.status.code().to_owned(),
        }
    }
}

/// Builds the stored request from a validated one. Text is trimmed; empty optional
/// fields are dropped.
pub fn new_request(
    request: NewRightsRequest,
    shop: &Shop,
    reference: String,
    now: Timestamp,
) -> StoredRequest {
    let optional =
        |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let email = request.email.trim().to_owned();
    StoredRequest {
        email_proof: digest::email_proof(&reference, &email),
        reference,
        shop: shop.id.clone(),
        right: request.right,
        name: request.name.trim().to_owned(),
        email,
        order_number: optional(request.order_number),
        details: optional(request.details),
        confirm_true: request.confirm_true,
        lang: request.lang,
        received_at: now.rfc3339(),
        due_date: due_date(now, shop.reply_days).iso(),
        status: Status::Received,
        mail_pending: false,
        events: vec![Event {
            at: now.rfc3339(),
            kind: EventKind::Received,
        }],
        case: Default::default(),
    }
}

/// Mail waiting to be sent: which request, to whom. The text is rendered from the
/// stored request when sending, so the outbox holds no personal data.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub shop: String,
    pub reference: String,
    pub mail: OutboxMail,
    pub created_at: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxMail {
    /// The new request, to the shop's privacy contact.
    PrivacyContact,
}

/// A queued entry (outbox, requester mail queue) whose request never became
/// readable is dropped after this long; nothing was acknowledged for it. Not at
/// once: the entry and its record are written at the same time (and KV shows a
/// write elsewhere within a minute), so a cron run may see the entry first.
pub const ORPHAN_OUTBOX_MS: u64 = 24 * 3600 * 1000;

/// Whether an entry created at `created_at` (RFC 3339; unreadable counts as old)
/// whose request is missing may be given up.
pub fn orphaned(created_at: &str, now: Timestamp) -> bool {
    Timestamp::parse_rfc3339(created_at)
        .is_none_or(|created| now.0.saturating_sub(created.0) > ORPHAN_OUTBOX_MS)
}

impl OutboxEntry {
    /// Whether the cron may give up on this entry because its request is missing.
    pub fn is_orphan(&self, request_exists: bool, now: Timestamp) -> bool {
        !request_exists && orphaned(&self.created_at, now)
    }
}

/// What an idempotency key points to: enough to answer a replay without reading
/// the request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyEntry {
    pub reference: String,
    pub due_date: String,
    pub status: Status,
    /// [`digest::request_fingerprint`] of the first request; absent on entries
    /// written before it existed (they replay as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

impl IdempotencyEntry {
    /// Whether `fingerprint` is the request this key was first used for.
    pub fn same_request(&self, fingerprint: &str) -> bool {
        self.fingerprint
            .as_deref()
            .is_none_or(|first| digest::constant_time_eq(first.as_bytes(), fingerprint.as_bytes()))
    }
}

/// Fields of a [`StoredRequest`] that are personal data. At rest they are sealed
/// together in one envelope under [`SEALED_FIELD`]; everything else (status, dates,
/// events) stays readable for listing and the cron. `email_proof` is an unkeyed
/// hash of the address, so it is sealed too (a dictionary would reverse it).
pub const REQUEST_PERSONAL_FIELDS: &[&str] =
    &["name", "email", "order_number", "details", "email_proof"];

/// The JSON field that holds the envelope of a record's personal fields.
pub const SEALED_FIELD: &str = "sealed";

/// Why a stored record could not be read or written. Never quotes the record.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SealError {
    /// The value (or the opened envelope) is not the JSON of the record type.
    Shape(String),
    Open(crypto::OpenError),
}

impl std::error::Error for SealError {}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SealError::Shape(what) => write!(f, "stored record has an unexpected shape: {what}"),
            SealError::Open(error) => error.fmt(f),
        }
    }
}

/// The KV value of a record: its JSON with the `personal` fields moved into one
/// AES-GCM envelope bound to `context` (the record's KV key), so an envelope
/// copied into another record does not open.
pub fn seal_record<T: Serialize>(
    record: &T,
    personal: &[&str],
    context: &str,
    keys: &Keyring,
    nonce: [u8; crypto::NONCE_BYTES],
) -> Result<String, SealError> {
    let mut value = serde_json::to_value(record).map_err(|e| SealError::Shape(e.to_string()))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| SealError::Shape("not an object".into()))?;
    let mut secret = serde_json::Map::new();
    for field in personal {
        if let Some(field_value) = object.remove(*field) {
            secret.insert((*field).to_owned(), field_value);
        }
    }
    let plaintext = serde_json::to_vec(&secret).map_err(|e| SealError::Shape(e.to_string()))?;
    object.insert(
        SEALED_FIELD.to_owned(),
        keys.seal(&plaintext, context, nonce).into(),
    );
    serde_json::to_string(&value).map_err(|e| SealError::Shape(e.to_string()))
}

/// Reads a KV value written by [`seal_record`] under the same `context`. A value
/// without an envelope (written before encryption at rest) is read as it is.
pub fn open_record<T: DeserializeOwned>(
    stored: &str,
    context: &str,
    keys: &Keyring,
) -> Result<T, SealError> {
    let shape = |e: serde_json::Error| SealError::Shape(e.to_string());
    let mut value: serde_json::Value = serde_json::from_str(stored).map_err(shape)?;
    if let Some(object) = value.as_object_mut() {
        if let Some(envelope) = object.remove(SEALED_FIELD) {
            let envelope = envelope
                .as_str()
                .ok_or_else(|| SealError::Shape("envelope is not a string".into()))?;
            let plaintext = keys.open(envelope, context).map_err(SealError::Open)?;
            let secret: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&plaintext).map_err(shape)?;
            object.extend(secret);
        }
    }
    // Read through the same `&str` deserializer as every other stored value rather
    // than `from_value`: each type deserialized from a `Value` is a second copy of
    // its whole serde tree in the Worker (measured in ARCHITECTURE.md, "Worker
    // weight after access answers"). Costs one re-serialisation of a small record.
    let merged = serde_json::to_string(&value).map_err(shape)?;
    serde_json::from_str(&merged).map_err(shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate_shops, ShopEntry};

    fn shop() -> Shop {
        let json = r#"[{"id":"demo-nl","name":"Beugelhuis","privacy_contact":"privacy@beugelhuis.example","reply_days":30,
            "policy_version":"1","languages":["nl"],"retention_days":730,"privacy_policy_url":"/p"}]"#;
        let entries: Vec<ShopEntry> = serde_json::from_str(json).unwrap();
        validate_shops(entries)
            .unwrap()
            .get("demo-nl")
            .unwrap()
            .clone()
    }

    #[test]
    fn request_record() {
        let request: NewRightsRequest = serde_json::from_str(
            r#"{"shop":"demo-nl","right":"erasure","name":" Anna ","email":" Anna@Example.nl ","order_number":"  ","details":"Graag alles wissen.","confirm_true":true,"lang":"nl","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"#,
        )
        .unwrap();
        let now = Timestamp(1_795_511_103_042);
        let mut stored = new_request(request, &shop(), "PR-2222-2222-2222".into(), now);
        assert_eq!(stored.name, "Anna");
        assert_eq!(stored.email, "Anna@Example.nl");
        assert_eq!(stored.order_number, None);
        assert_eq!(stored.due_date, "2026-12-24");
        assert_eq!(stored.received_at, "2026-11-24T09:05:03.042Z");
        assert!(digest::email_proof_matches(
            "PR-2222-2222-2222",
            "anna@example.nl",
            &stored.email_proof
        ));
        let meta = serde_json::to_string(&stored.meta()).unwrap();
        assert_eq!(
            meta,
            r#"{"status":"received","due_date":"2026-12-24","right":"erasure","mail_pending":false,"received":"2026-11-24","email_verified":true,"extended":false}"#
        );
        stored.mail_outcome(false, now);
        assert!(stored.mail_pending);
        assert_eq!(
            stored.events.last().map(|e| e.kind),
            Some(EventKind::MailFailed)
        );
        let accepted = serde_json::to_string(&stored.accepted()).unwrap();
        assert_eq!(
            accepted,
            r#"{"reference":"PR-2222-2222-2222","due_date":"2026-12-24","status":"received"}"#
        );
    }

    #[test]
    fn orphan_outbox_entries() {
        let created = Timestamp(1_795_511_103_042);
        let entry = OutboxEntry {
            shop: "demo-nl".into(),
            reference: "PR-2222-2222-2222".into(),
            mail: OutboxMail::PrivacyContact,
            created_at: created.rfc3339(),
        };
        let later = |ms| Timestamp(created.0 + ms);
        assert!(!entry.is_orphan(true, later(ORPHAN_OUTBOX_MS * 10)));
        assert!(!entry.is_orphan(false, later(60_000)));
        assert!(entry.is_orphan(false, later(ORPHAN_OUTBOX_MS + 1)));
        let unreadable = OutboxEntry {
            created_at: "garbage".into(),
            ..entry
        };
        assert!(unreadable.is_orphan(false, created));
    }

    #[test]
    fn consent_record() {
        let record: ConsentRecord = serde_json::from_str(
            r#"{"shop":"demo-nl","consent_id":"Zx8fP2kLq9Wm4Tr7","policy_version":"2026-11","choices":{"analytics":false,"marketing":false},"source":"banner","lang":"nl","gpc":false}"#,
        )
        .unwrap();
        let stored = new_consent(
            record,
            Timestamp(1_795_511_103_042),
            "00ff00ff00ff00ff",
            Some("Mozilla/5.0"),
        );
        assert_eq!(stored.record_id, "01a20ccd2e42-00ff00ff00ff00ff");
        assert_eq!(
            keys::consent(
                &stored.shop,
                &Timestamp(1_795_511_103_042).year_month(),
                &stored.record_id
            ),
            "consent/demo-nl/2026-11/01a20ccd2e42-00ff00ff00ff00ff"
        );
        let json = serde_json::to_string(&stored).unwrap();
        assert!(!json.contains("Mozilla"), "{json}");
        assert_eq!(stored.user_agent_hash.as_deref().map(str::len), Some(16));
    }

    #[test]
    fn personal_fields_are_sealed_at_rest() {
        let keys = Keyring::from_secrets(
            Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
            None,
            Some("QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="),
        )
        .unwrap();
        let request: NewRightsRequest = serde_json::from_str(
            r##"{"shop":"demo-nl","right":"rectification","name":"Anna de Vries","email":"anna@example.nl","order_number":"#4411","details":"Mijn adres is Kerkstraat 1.","confirm_true":true,"lang":"nl","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"##,
        )
        .unwrap();
        let stored = new_request(
            request,
            &shop(),
            "PR-2222-2222-2222".into(),
            Timestamp(1_795_511_103_042),
        );
        let key = keys::request(&stored.shop, &stored.reference);
        let at_rest = seal_record(&stored, REQUEST_PERSONAL_FIELDS, &key, &keys, [9; 12]).unwrap();
        for personal in ["Anna", "anna@example.nl", "#4411", "Kerkstraat"] {
            assert!(!at_rest.contains(personal), "{personal} in {at_rest}");
        }
        assert!(at_rest.contains(r#""due_date":"2026-12-24""#), "{at_rest}");
        let opened: StoredRequest = open_record(&at_rest, &key, &keys).unwrap();
        assert!(opened == stored);
        // Bound to its key.
        assert!(matches!(
            open_record::<StoredRequest>(&at_rest, "req/demo-nl/PR-3333-3333-3333", &keys),
            Err(SealError::Open(crypto::OpenError::Tampered))
        ));
        // Records written before encryption at rest stay readable.
        let plain = serde_json::to_string(&stored).unwrap();
        assert!(open_record::<StoredRequest>(&plain, &key, &keys).unwrap() == stored);
        assert!(open_record::<StoredRequest>("[]", &key, &keys).is_err());
        assert_eq!(
            keys::email_index(
                "demo-nl",
                &keys.email_index("demo-nl", "anna@example.nl"),
                "PR-2222-2222-2222"
            )
            .matches('/')
            .count(),
            3
        );
    }
}
