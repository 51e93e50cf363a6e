//! What the scheduled run does to each request, decided from its list metadata
//! alone (no record reads): remind the privacy contact, close an unverified
//! request, or purge a closed one's personal data.

use crate::mail::requester::Urgency;
use crate::owner::case::Row;
use crate::owner::settings::RequestPolicy;
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

    /// Every receipt day of four years (2027-2030: one leap day, every month end),
    /// verified, with the demo shops' 30 days: the due date is never later than one
    /// calendar month, the reminder comes exactly in the last `remind_before_days`
    /// days before it, "overdue" from the day after, and an extension by one or two
    /// months moves both.
    #[test]
    fn four_years_of_receipt_days_through_due_date_extension_and_reminders() {
        let policy = RequestPolicy::default();
        let first = Date::parse_iso("2027-01-01").unwrap();
        let last = Date::parse_iso("2030-12-31").unwrap();
        for day in first.to_days()..=last.to_days() {
            let received = Date::from_days(day);
            let at = crate::time::Timestamp(day as u64 * 86_400_000 + 3_600_000);
            let due = crate::time::due_date(at, 30);
            assert!(
                due <= received.add_months(1),
                "{} due {}",
                received.iso(),
                due.iso()
            );
            assert!(due <= received.add_days(30));
            for due in [due, due.add_months(1), due.add_months(2)] {
                let row = Row {
                    shop: "demo-en".into(),
                    reference: "PR-2222-2222-2222".into(),
                    meta: RequestMeta {
                        status: Status::Received,
                        due_date: due.iso(),
                        right: Right::Access,
                        mail_pending: false,
                        received: received.iso(),
                        email_verified: true,
                        extended: false,
                        closed: None,
                    },
                };
                let first_reminder =
                    Date::from_days(due.to_days() - i64::from(policy.remind_before_days));
                for today in [received, first_reminder, due, due.add_days(1)] {
                    let want = if today > due {
                        Some(Task::Remind(Urgency::Overdue))
                    } else if today >= first_reminder {
                        Some(Task::Remind(Urgency::DueSoon))
                    } else {
                        None
                    };
                    assert_eq!(
                        task(&row, today, &policy),
                        want,
                        "received {}, due {}, on {}",
                        received.iso(),
                        due.iso(),
                        today.iso()
                    );
                }
                let day_before = Date::from_days(first_reminder.to_days() - 1);
                if day_before > received {
                    assert_eq!(task(&row, day_before, &policy), None);
                }
            }
        }
    }

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
