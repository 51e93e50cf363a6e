//! What the scheduled run does to each request, decided from its list metadata
//! alone (no record reads): remind the privacy contact, close an unverified
//! request, or purge a closed one's personal data.

use super::case::Row;
use super::notice::Urgency;
use super::settings::RequestPolicy;
use crate::store::Status;
use crate::time::Date;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Task {
    /// Put it in today's reminder to the privacy contact (once per day).
    Remind(Urgency),
    /// Close it: the requester never verified their e-mail address.
    Expire,
    /// Replace it by its anonymised record.
    Purge,
}

pub fn task(row: &Row, today: Date, policy: &RequestPolicy) -> Option<Task> {
    let meta = &row.meta;
    let day = |iso: &str| Date::parse_iso(iso);
    if meta.status != Status::Received {
        let closed = meta.closed.as_deref().and_then(day)?;
        let purge_after = closed.add_days(policy.closed_retention_days);
        return (today > purge_after).then_some(Task::Purge);
    }
    if !meta.email_verified {
        let received = day(&meta.received)?;
        if today >= received.add_days(policy.unverified_close_days) {
            return Some(Task::Expire);
        }
    }
    let due = day(&meta.due_date)?;
    if today > due {
        Some(Task::Remind(Urgency::Overdue))
    } else if today.add_days(policy.remind_before_days) >= due {
        Some(Task::Remind(Urgency::DueSoon))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::RequestMeta;
    use protocol::Right;

    #[test]
    fn task_table() {
        let policy = RequestPolicy::default();
        let row = |status, received: &str, due: &str, verified, closed: Option<&str>| Row {
            shop: "demo-en".into(),
            reference: "PR-2222-2222-2222".into(),
            meta: RequestMeta {
                status,
                due_date: due.into(),
                right: Right::Access,
                mail_pending: false,
                received: received.into(),
                email_verified: verified,
                extended: false,
                closed: closed.map(str::to_owned),
            },
        };
        let today = Date::parse_iso("2026-12-20").unwrap();
        use Status::*;
        for (name, row, want) in [
            (
                "far off",
                row(Received, "2026-12-10", "2027-01-09", true, None),
                None,
            ),
            (
                "due in 8 days",
                row(Received, "2026-11-28", "2026-12-28", true, None),
                None,
            ),
            (
                "due in 7 days",
                row(Received, "2026-11-27", "2026-12-27", true, None),
                Some(Task::Remind(Urgency::DueSoon)),
            ),
            (
                "due today",
                row(Received, "2026-11-20", "2026-12-20", true, None),
                Some(Task::Remind(Urgency::DueSoon)),
            ),
            (
                "overdue",
                row(Received, "2026-11-19", "2026-12-19", true, None),
                Some(Task::Remind(Urgency::Overdue)),
            ),
            (
                "unverified 13 days",
                row(Received, "2026-12-07", "2027-01-06", false, None),
                None,
            ),
            (
                "unverified 14 days",
                row(Received, "2026-12-06", "2027-01-05", false, None),
                Some(Task::Expire),
            ),
            (
                "unverified and overdue",
                row(Received, "2026-11-01", "2026-12-01", false, None),
                Some(Task::Expire),
            ),
            (
                "closed 730 days ago",
                row(
                    Completed,
                    "2024-11-01",
                    "2024-12-01",
                    true,
                    Some("2024-12-20"),
                ),
                None,
            ),
            (
                "closed 731 days ago",
                row(
                    Refused,
                    "2024-11-01",
                    "2024-12-01",
                    true,
                    Some("2024-12-19"),
                ),
                Some(Task::Purge),
            ),
            (
                "closed, no date",
                row(Expired, "2024-11-01", "2024-12-01", false, None),
                None,
            ),
            (
                "closed recently",
                row(
                    Completed,
                    "2026-11-01",
                    "2026-12-01",
                    true,
                    Some("2026-12-19"),
                ),
                None,
            ),
        ] {
            assert_eq!(task(&row, today, &policy), want, "{name}");
        }
    }
}
