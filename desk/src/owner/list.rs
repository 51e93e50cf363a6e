//! The owner's list of requests: rows from the listing metadata alone (no record
//! reads), its filters, its order, and `mail_pending` from the outbox.

use protocol::Right;

use crate::http::form::Form;
use crate::store::{RequestMeta, Status, StoredRequest};
use crate::time::Date;

/// Open and past its due date.
pub fn is_overdue(meta: &RequestMeta, today: Date) -> bool {
    meta.status == Status::Received
        && Date::parse_iso(&meta.due_date).is_some_and(|due| today > due)
}

/// A request as the list shows it: key parts and its metadata (no personal data,
/// so the list needs no record reads).
#[derive(Clone, PartialEq, Eq)]
pub struct Row {
    pub shop: String,
    pub reference: String,
    pub meta: RequestMeta,
}

/// Which status the list shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Closed,
    Is(Status),
}

/// The owner list's order: open before closed, then by due date (most urgent
/// first), then by reference.
pub fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        (
            a.meta.status != Status::Received,
            &a.meta.due_date,
            &a.reference,
        )
            .cmp(&(
                b.meta.status != Status::Received,
                &b.meta.due_date,
                &b.reference,
            ))
    });
}

/// Sets each request's `mail_pending` from the outbox keys, which are the truth
/// about unsent mail whatever the record says (the owner list and the exports agree).
pub fn mark_mail_pending(requests: &mut [StoredRequest], outbox_keys: &[String]) {
    for request in requests {
        let prefix = crate::store::keys::outbox_prefix(&request.reference);
        request.mail_pending = outbox_keys.iter().any(|key| key.starts_with(&prefix));
    }
}

/// The list's filters, from its query string.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub shop: Option<String>,
    pub status: Option<StatusFilter>,
    pub right: Option<Right>,
    pub overdue: bool,
}

impl Filter {
    pub fn parse(query: &Form) -> Filter {
        let status = match query.get("status").unwrap_or("") {
            "open" => Some(StatusFilter::Open),
            "closed" => Some(StatusFilter::Closed),
            code => Status::ALL
                .into_iter()
                .find(|s| s.code() == code)
                .map(StatusFilter::Is),
        };
        Filter {
            shop: query.text("shop").map(str::to_owned),
            status,
            right: query
                .get("type")
                .and_then(|code| Right::ALL.into_iter().find(|r| r.code() == code)),
            overdue: query.get("overdue") == Some("1"),
        }
    }

    pub fn matches(&self, row: &Row, today: Date) -> bool {
        let status_ok = match self.status {
            None => true,
            Some(StatusFilter::Open) => row.meta.status == Status::Received,
            Some(StatusFilter::Closed) => row.meta.status != Status::Received,
            Some(StatusFilter::Is(status)) => row.meta.status == status,
        };
        self.shop.as_ref().is_none_or(|shop| *shop == row.shop)
            && status_ok
            && self.right.is_none_or(|right| right == row.meta.right)
            && (!self.overdue || is_overdue(&row.meta, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &str) -> Form {
        Form::parse(pairs)
    }

    fn row(shop: &str, reference: &str, status: Status, right: Right, due: &str) -> Row {
        Row {
            shop: shop.into(),
            reference: reference.into(),
            meta: RequestMeta {
                status,
                due_date: due.into(),
                right,
                mail_pending: false,
                received: "2026-12-01".into(),
                email_verified: true,
                extended: false,
                closed: None,
            },
        }
    }

    #[test]
    fn filters() {
        let today = Date::parse_iso("2027-01-10").unwrap();
        let row = |shop: &str, status, right, due: &str| {
            row(shop, "PR-2222-2222-2222", status, right, due)
        };
        let overdue = row("demo-en", Status::Received, Right::Access, "2027-01-09");
        let due_today = row("demo-nl", Status::Received, Right::Erasure, "2027-01-10");
        let done = row("demo-nl", Status::Completed, Right::Erasure, "2027-01-01");
        for (query, want) in [
            ("", [true, true, true]),
            ("overdue=1", [true, false, false]),
            ("shop=demo-nl", [false, true, true]),
            ("status=open", [true, true, false]),
            ("status=closed", [false, false, true]),
            ("status=completed&type=erasure", [false, false, true]),
            ("type=access&shop=", [true, false, false]),
            ("status=bogus&type=bogus", [true, true, true]),
        ] {
            let filter = Filter::parse(&form(query));
            let got = [&overdue, &due_today, &done].map(|r| filter.matches(r, today));
            assert_eq!(got, want, "{query}");
        }
    }

    #[test]
    fn most_urgent_first_open_before_closed() {
        let mut rows = vec![
            row(
                "demo-en",
                "PR-C",
                Status::Completed,
                Right::Access,
                "2026-12-01",
            ),
            row(
                "demo-en",
                "PR-B",
                Status::Received,
                Right::Access,
                "2027-01-05",
            ),
            row(
                "demo-nl",
                "PR-A",
                Status::Received,
                Right::Erasure,
                "2027-01-05",
            ),
            row(
                "demo-nl",
                "PR-D",
                Status::Received,
                Right::Erasure,
                "2026-12-24",
            ),
        ];
        sort_rows(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.reference.as_str()).collect();
        assert_eq!(order, ["PR-D", "PR-A", "PR-B", "PR-C"]);
    }

    #[test]
    fn mail_pending_comes_from_the_outbox() {
        let json = r#"[{"id":"demo-en","name":"M","privacy_contact":"p@m.example","policy_version":"1",
             "languages":["en"],"retention_days":730,"privacy_policy_url":"/p"}]"#;
        let entries: Vec<crate::config::ShopEntry> = serde_json::from_str(json).unwrap();
        let shops = crate::config::validate_shops(entries).unwrap();
        let shop = shops.get("demo-en").unwrap();
        let new = |reference: &str| {
            let request: protocol::NewRightsRequest = serde_json::from_str(
                r#"{"shop":"demo-en","right":"access","name":"A","email":"a@b.nl",
                    "confirm_true":true,"lang":"en","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"#,
            )
            .unwrap();
            crate::store::new_request(request, shop, reference.into(), crate::time::Timestamp(0))
        };
        let mut requests = vec![new("PR-2222-2222-2222"), new("PR-2222-2222-2223")];
        requests[1].mail_pending = true;
        // `PR-2222-2222-22` must not match the prefix of another reference.
        let outbox = [
            "outbox/PR-2222-2222-2222/0".to_owned(),
            "outbox/PR-2222-2222-22/0".to_owned(),
        ];
        mark_mail_pending(&mut requests, &outbox);
        assert!(requests[0].mail_pending);
        assert!(
            !requests[1].mail_pending,
            "the record's flag is not the truth"
        );
    }
}
