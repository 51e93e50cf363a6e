//! One entry of a request's audit trail (`event/...` keys): who, when, what kind,
//! and the owner's text. Kept apart from `case`, whose rules use it.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// What happened, for the audit trail.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    VerificationMailSent,
    VerificationMailFailed,
    EmailVerified,
    IdentityVerified,
    Note,
    Extended,
    Completed,
    Refused,
    Expired,
    Reminded,
    RequesterNotified,
    RequesterNoticeFailed,
    /// The owner prepared an answer (platform data looked up or uploaded).
    AnswerPrepared,
    /// The access package was stored and its download link mailed.
    AnswerSent,
    /// The requester opened or downloaded the package (`text`: page, json, csv).
    PackageDownloaded,
}

/// One entry of a request's audit trail: who, when, what (and why).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct CaseEvent {
    pub at: String,
    /// The owner's name as given at login, `requester` or `system`.
    pub actor: String,
    pub kind: EventKind,
    /// Note, reason or message, as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The new due date (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

impl CaseEvent {
    pub fn new(now: Timestamp, actor: &str, kind: EventKind) -> CaseEvent {
        CaseEvent {
            at: now.rfc3339(),
            actor: actor.to_owned(),
            kind,
            text: None,
            due_date: None,
        }
    }
}
