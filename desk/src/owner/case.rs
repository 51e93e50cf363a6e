//! A rights request's life on the owner's side, as pure functions over the stored
//! record: e-mail verification, the owner's actions (identity verified, note,
//! extension, completion, refusal) and their rules, the audit-trail events, the
//! list filters, and the anonymised record left after the purge.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use super::list::{is_overdue, Filter, Row, StatusFilter};
pub use crate::cron::purge::{anonymise, AnonymisedRequest};
use crate::http::form::Form;
use crate::owner::settings::RequestPolicy;
pub use crate::store::keys::event_seq;
use crate::store::{Status, StoredRequest};
use crate::time::{Date, Timestamp};

/// Owner-side state kept in the request record.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct CaseState {
    /// The requester's e-mail check; `None` on records from before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_verified_at: Option<String>,
    /// The due date before the (single) extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_due_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
}

/// The requester's e-mail verification. Only a hash of the link's token is kept.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct EmailCheck {
    /// Kept after verification (only this token then says "already verified");
    /// `None` once the request is closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_hash: Option<String>,
    pub expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
}

impl CaseState {
    pub fn email_verified(&self) -> bool {
        self.email
            .as_ref()
            .is_none_or(|check| check.verified_at.is_some())
    }

    /// Still waiting for the requester to confirm their address: neither they
    /// nor the owner (who may have checked identity another way) have.
    pub fn awaiting_requester(&self) -> bool {
        !self.email_verified() && self.identity_verified_at.is_none()
    }
}

/// The stored form of a verification token, bound to its request.
pub fn token_hash(reference: &str, token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"privacy-desk/verify-token/v1\0")
        .chain_update(reference.as_bytes())
        .chain_update(b"\0")
        .chain_update(token.as_bytes())
        .finalize();
    crate::store::digest::hex(&digest)
}

/// Arms (or re-arms, for a resent mail) the e-mail check with a fresh token.
pub fn start_email_check(
    record: &mut StoredRequest,
    token: &str,
    now: Timestamp,
    policy: &RequestPolicy,
) {
    let expires = Timestamp(now.0 + u64::from(policy.verify_link_days) * MS_PER_DAY);
    record.case.email = Some(EmailCheck {
        token_hash: Some(token_hash(&record.reference, token)),
        expires_at: expires.rfc3339(),
        verified_at: None,
    });
}

const MS_PER_DAY: u64 = 86_400_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VerifyOutcome {
    /// Verified now; the record changed and must be stored.
    Verified,
    AlreadyVerified,
    Expired,
    /// Wrong token, closed request, or no check armed: all look the same.
    Invalid,
}

/// Uses a verification token. Compared in constant time, also once the address is
/// verified: only the link's own token then answers `AlreadyVerified`.
pub fn verify_email(record: &mut StoredRequest, token: &str, now: Timestamp) -> VerifyOutcome {
    let reference = record.reference.clone();
    let open = record.status == Status::Received;
    let Some(check) = record.case.email.as_mut() else {
        return VerifyOutcome::Invalid;
    };
    let Some(stored) = check.token_hash.as_deref() else {
        return VerifyOutcome::Invalid;
    };
    let matches = crate::store::digest::constant_time_eq(
        token_hash(&reference, token).as_bytes(),
        stored.as_bytes(),
    );
    if !matches {
        return VerifyOutcome::Invalid;
    }
    if check.verified_at.is_some() {
        return VerifyOutcome::AlreadyVerified;
    }
    if !open {
        return VerifyOutcome::Invalid;
    }
    if Timestamp::parse_rfc3339(&check.expires_at).is_none_or(|expires| now >= expires) {
        return VerifyOutcome::Expired;
    }
    check.verified_at = Some(now.rfc3339());
    VerifyOutcome::Verified
}

pub use super::event::{CaseEvent, EventKind};

pub const SYSTEM: &str = "system";
pub const REQUESTER: &str = "requester";

/// Longest note or reason.
pub const MAX_TEXT_CHARS: usize = 4000;

/// Something the owner does to a request.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Action {
    VerifyIdentity,
    Note(String),
    /// Art. 12(3): once, by one or two months, with the reason told to the requester.
    Extend {
        months: u8,
        reason: String,
    },
    Complete {
        message: Option<String>,
    },
    Refuse {
        reason: String,
    },
}

/// Why an action was not taken (shown to the owner in their language).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ActionError {
    UnknownAction,
    Closed,
    AlreadyVerified,
    AlreadyExtended,
    /// The extension must be announced before the original deadline passes.
    Overdue,
    BadMonths,
    ReasonRequired,
    NoteRequired,
    TooLong,
}

/// Which mail the requester gets for an action.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Verify,
    Extended,
    Completed,
    Refused,
}

/// Reads an action form (`action=`, `text=`, `months=`).
pub fn parse_action(form: &Form) -> Result<Action, ActionError> {
    let text = form.text("text").map(normalize_text);
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS)
    {
        return Err(ActionError::TooLong);
    }
    match form.get("action").unwrap_or("") {
        "verify_identity" => Ok(Action::VerifyIdentity),
        "note" => text.map(Action::Note).ok_or(ActionError::NoteRequired),
        "extend" => {
            let months = match form.get("months") {
                Some("1") => 1,
                Some("2") => 2,
                _ => return Err(ActionError::BadMonths),
            };
            let reason = text.ok_or(ActionError::ReasonRequired)?;
            Ok(Action::Extend { months, reason })
        }
        "complete" => Ok(Action::Complete { message: text }),
        "refuse" => text
            .map(|reason| Action::Refuse { reason })
            .ok_or(ActionError::ReasonRequired),
        _ => Err(ActionError::UnknownAction),
    }
}

fn normalize_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}

/// The result of an action: the event to append, whether the record changed (and
/// must be stored), and the mail the requester gets.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Applied {
    pub event: CaseEvent,
    pub record_changed: bool,
    pub notice: Option<Notice>,
}

/// Applies an action to the record, or says why it may not be taken.
pub fn apply(
    record: &mut StoredRequest,
    action: Action,
    actor: &str,
    now: Timestamp,
) -> Result<Applied, ActionError> {
    let open = record.status == Status::Received;
    let event = |kind| CaseEvent::new(now, actor, kind);
    match action {
        Action::Note(text) => Ok(Applied {
            event: CaseEvent {
                text: Some(text),
                ..event(EventKind::Note)
            },
            record_changed: false,
            notice: None,
        }),
        _ if !open => Err(ActionError::Closed),
        Action::VerifyIdentity => {
            if record.case.identity_verified_at.is_some() {
                return Err(ActionError::AlreadyVerified);
            }
            record.case.identity_verified_at = Some(now.rfc3339());
            Ok(Applied {
                event: event(EventKind::IdentityVerified),
                record_changed: true,
                notice: None,
            })
        }
        Action::Extend { months, reason } => {
            if record.case.original_due_date.is_some() {
                return Err(ActionError::AlreadyExtended);
            }
            if !(1..=2).contains(&months) {
                return Err(ActionError::BadMonths);
            }
            let due = Date::parse_iso(&record.due_date).ok_or(ActionError::Closed)?;
            if now.date() > due {
                return Err(ActionError::Overdue);
            }
            let new_due = due.add_months(months).iso();
            record.case.original_due_date = Some(record.due_date.clone());
            record.due_date = new_due.clone();
            Ok(Applied {
                event: CaseEvent {
                    text: Some(reason),
                    due_date: Some(new_due),
                    ..event(EventKind::Extended)
                },
                record_changed: true,
                notice: Some(Notice::Extended),
            })
        }
        Action::Complete { message } => {
            close(record, Status::Completed, now);
            Ok(Applied {
                event: CaseEvent {
                    text: message,
                    ..event(EventKind::Completed)
                },
                record_changed: true,
                notice: Some(Notice::Completed),
            })
        }
        Action::Refuse { reason } => {
            close(record, Status::Refused, now);
            Ok(Applied {
                event: CaseEvent {
                    text: Some(reason),
                    ..event(EventKind::Refused)
                },
                record_changed: true,
                notice: Some(Notice::Refused),
            })
        }
    }
}

fn close(record: &mut StoredRequest, status: Status, now: Timestamp) {
    record.status = status;
    record.case.closed_at = Some(now.rfc3339());
    // A link still pending can no longer be used.
    if let Some(check) = record.case.email.as_mut() {
        check.token_hash = None;
    }
}

/// Closes a request whose e-mail address was never verified (cron).
pub fn expire_unverified(record: &mut StoredRequest, now: Timestamp) -> Option<CaseEvent> {
    if record.status != Status::Received || !record.case.awaiting_requester() {
        return None;
    }
    close(record, Status::Expired, now);
    Some(CaseEvent::new(now, SYSTEM, EventKind::Expired))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate_shops, ShopEntry};
    use crate::store::new_request;
    use protocol::NewRightsRequest;

    /// 2026-11-24T09:05:03.042Z
    const NOW: Timestamp = Timestamp(1_795_511_103_042);

    fn record() -> StoredRequest {
        let json = r#"[{"id":"demo-nl","name":"Beugelhuis","privacy_contact":"privacy@beugelhuis.example",
            "policy_version":"1","languages":["nl"],"retention_days":730,"privacy_policy_url":"/p"}]"#;
        let entries: Vec<ShopEntry> = serde_json::from_str(json).unwrap();
        let shops = validate_shops(entries).unwrap();
        let request: NewRightsRequest = serde_json::from_str(
            r#"{"shop":"demo-nl","right":"access","name":"Anna","email":"anna@example.nl","confirm_true":true,"lang":"nl","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"#,
        )
        .unwrap();
        new_request(
            request,
            shops.get("demo-nl").unwrap(),
            "PR-2222-2222-2222".into(),
            NOW,
        )
    }

    fn days(n: u64) -> Timestamp {
        Timestamp(NOW.0 + n * MS_PER_DAY)
    }

    #[test]
    fn email_verification() {
        let policy = RequestPolicy::default();
        let mut r = record();
        assert!(
            r.case.email_verified(),
            "records from before verification count as verified"
        );
        start_email_check(&mut r, "tok", NOW, &policy);
        assert!(!r.case.email_verified());
        assert!(!serde_json::to_string(&r).unwrap().contains("\"tok\""));
        let cases: [(&str, Timestamp, VerifyOutcome); 6] = [
            ("wrong", days(1), VerifyOutcome::Invalid),
            ("tok", days(7), VerifyOutcome::Expired),
            ("tok", days(6), VerifyOutcome::Verified),
            ("tok", days(6), VerifyOutcome::AlreadyVerified),
            ("tok", days(30), VerifyOutcome::AlreadyVerified),
            ("wrong", days(6), VerifyOutcome::Invalid),
        ];
        for (token, at, want) in cases {
            assert_eq!(
                verify_email(&mut r, token, at),
                want,
                "{token} at {}",
                at.rfc3339()
            );
        }
        assert!(r.case.email_verified());
        assert!(r.case.email.as_ref().unwrap().token_hash.is_some());
        // A closed request's link no longer works.
        let mut closed = record();
        start_email_check(&mut closed, "tok", NOW, &policy);
        apply(&mut closed, Action::Refuse { reason: "x".into() }, "o", NOW).unwrap();
        assert_eq!(
            verify_email(&mut closed, "tok", NOW),
            VerifyOutcome::Invalid
        );
    }

    fn form(pairs: &str) -> Form {
        Form::parse(pairs)
    }

    #[test]
    fn parse_actions() {
        for (input, want) in [
            ("action=verify_identity", Ok(Action::VerifyIdentity)),
            (
                "action=note&text=+called+back+",
                Ok(Action::Note("called back".into())),
            ),
            ("action=note&text=+", Err(ActionError::NoteRequired)),
            (
                "action=extend&months=2&text=Many+orders",
                Ok(Action::Extend {
                    months: 2,
                    reason: "Many orders".into(),
                }),
            ),
            ("action=extend&months=3&text=x", Err(ActionError::BadMonths)),
            ("action=extend&months=1", Err(ActionError::ReasonRequired)),
            ("action=complete", Ok(Action::Complete { message: None })),
            ("action=refuse&text=", Err(ActionError::ReasonRequired)),
            (
                "action=refuse&text=Manifestly+unfounded",
                Ok(Action::Refuse {
                    reason: "Manifestly unfounded".into(),
                }),
            ),
            ("action=delete", Err(ActionError::UnknownAction)),
        ] {
            assert_eq!(parse_action(&form(input)), want, "{input}");
        }
        let long = format!("action=note&text={}", "a".repeat(MAX_TEXT_CHARS + 1));
        assert_eq!(parse_action(&form(&long)), Err(ActionError::TooLong));
    }

    #[test]
    fn action_rules() {
        type Step = (
            Action,
            Timestamp,
            Result<(Status, &'static str, Option<Notice>), ActionError>,
        );
        let extend = |months| Action::Extend {
            months,
            reason: "complex".into(),
        };
        let table: Vec<(&str, Vec<Step>)> = vec![
            (
                "extend once, by two months, before the deadline",
                vec![
                    (
                        extend(2),
                        days(29),
                        Ok((Status::Received, "2027-02-24", Some(Notice::Extended))),
                    ),
                    (extend(1), days(30), Err(ActionError::AlreadyExtended)),
                    (
                        Action::Complete { message: None },
                        days(60),
                        Ok((Status::Completed, "2027-02-24", Some(Notice::Completed))),
                    ),
                    (
                        Action::Note("done".into()),
                        days(61),
                        Ok((Status::Completed, "2027-02-24", None)),
                    ),
                    (
                        Action::Refuse { reason: "x".into() },
                        days(61),
                        Err(ActionError::Closed),
                    ),
                ],
            ),
            (
                "no extension after the deadline",
                vec![
                    (extend(1), days(31), Err(ActionError::Overdue)),
                    (
                        Action::VerifyIdentity,
                        days(31),
                        Ok((Status::Received, "2026-12-24", None)),
                    ),
                    (
                        Action::VerifyIdentity,
                        days(31),
                        Err(ActionError::AlreadyVerified),
                    ),
                    (
                        Action::Refuse {
                            reason: "unfounded".into(),
                        },
                        days(32),
                        Ok((Status::Refused, "2026-12-24", Some(Notice::Refused))),
                    ),
                    (extend(1), days(32), Err(ActionError::Closed)),
                ],
            ),
        ];
        for (name, steps) in table {
            let mut r = record();
            for (i, (action, at, want)) in steps.into_iter().enumerate() {
                let got = apply(&mut r, action, "Anna", at).map(|applied| {
                    assert_eq!(applied.event.actor, "Anna");
                    assert_eq!(applied.event.at, at.rfc3339());
                    (r.status, r.due_date.clone(), applied.notice)
                });
                let want = want.map(|(s, d, n)| (s, d.to_owned(), n));
                assert_eq!(got, want, "{name}: step {i}");
            }
        }
        let mut r = record();
        let applied = apply(&mut r, extend(1), "o", NOW).unwrap();
        assert_eq!(applied.event.text.as_deref(), Some("complex"));
        assert_eq!(applied.event.due_date.as_deref(), Some("2027-01-24"));
        assert_eq!(r.case.original_due_date.as_deref(), Some("2026-12-24"));
    }

    #[test]
    fn add_months_table() {
        let d = |iso| Date::parse_iso(iso).unwrap();
        for (from, months, want) in [
            ("2026-12-24", 2, "2027-02-24"),
            ("2026-12-31", 2, "2027-02-28"),
            ("2027-12-31", 2, "2028-02-29"),
            ("2026-11-30", 1, "2026-12-30"),
            ("2026-01-31", 1, "2026-02-28"),
            ("2026-03-31", 1, "2026-04-30"),
        ] {
            assert_eq!(d(from).add_months(months).iso(), want, "{from} + {months}");
        }
    }

    #[test]
    fn expiry_and_anonymising() {
        let mut checked = record();
        start_email_check(&mut checked, "tok", NOW, &RequestPolicy::default());
        apply(&mut checked, Action::VerifyIdentity, "o", NOW).unwrap();
        assert_eq!(
            expire_unverified(&mut checked, days(20)),
            None,
            "the owner checked identity"
        );
        let mut r = record();
        assert_eq!(
            expire_unverified(&mut r, days(20)),
            None,
            "nothing to verify"
        );
        start_email_check(&mut r, "tok", NOW, &RequestPolicy::default());
        let event = expire_unverified(&mut r, days(20)).unwrap();
        assert_eq!(
            (event.kind, event.actor.as_str()),
            (EventKind::Expired, SYSTEM)
        );
        assert_eq!(r.status, Status::Expired);
        let anon = anonymise(&r, days(800));
        let json = serde_json::to_string(&anon).unwrap();
        assert_eq!(
            json,
            r#"{"shop":"demo-nl","right":"access","received":"2026-11-24","due_date":"2026-12-24","closed":"2026-12-14","outcome":"expired","email_verified":false,"identity_verified":false,"purged":"2029-02-01"}"#
        );
        assert!(!json.contains("anna") && !json.contains("PR-"));
    }
}
