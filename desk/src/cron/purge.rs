//! What the purge keeps of a closed request past retention: its anonymised
//! record (type, dates, outcome, verified flags), nothing about the person.

use protocol::Right;
use serde::{Deserialize, Serialize};

use crate::store::{Status, StoredRequest};
use crate::time::Timestamp;

/// What is kept of a request after its personal data is purged: enough to show
/// the shop kept its promises (type, dates, outcome), nothing about the person.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymisedRequest {
    pub shop: String,
    pub right: Right,
    /// Dates only (`YYYY-MM-DD`).
    pub received: String,
    pub due_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_due_date: Option<String>,
    pub closed: String,
    pub outcome: Status,
    pub email_verified: bool,
    pub identity_verified: bool,
    pub purged: String,
}

pub fn anonymise(record: &StoredRequest, now: Timestamp) -> AnonymisedRequest {
    let day = |rfc3339: &str| rfc3339.get(..10).unwrap_or_default().to_owned();
    AnonymisedRequest {
        shop: record.shop.clone(),
        right: record.right,
        received: day(&record.received_at),
        due_date: record.due_date.clone(),
        original_due_date: record.case.original_due_date.clone(),
        closed: record
            .case
            .closed_at
            .as_deref()
            .map(day)
            .unwrap_or_else(|| now.date().iso()),
        outcome: record.status,
        email_verified: record.case.email_verified(),
        identity_verified: record.case.identity_verified_at.is_some(),
        purged: now.date().iso(),
    }
}
