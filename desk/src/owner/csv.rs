//! CSV exports (RFC 4180) of requests and consent records, safe to open in a
//! spreadsheet: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is
//! prefixed with `'` so that it is never read as a formula (CSV injection).

use crate::store::{StoredConsent, StoredRequest};

/// One cell, quoted when needed and defused against formulas.
pub fn cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn row(out: &mut String, cells: &[&str]) {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

pub const REQUEST_COLUMNS: [&str; 16] = [
    "reference",
    "shop",
    "type",
    "status",
    "received_at",
    "due_date",
    "original_due_date",
    "email_verified",
    "identity_verified_at",
    "closed_at",
    "name",
    "email",
    "order_number",
    "details",
    "language",
    "mail_pending",
];

pub fn requests(records: &[StoredRequest]) -> String {
    let mut out = String::new();
    row(&mut out, &REQUEST_COLUMNS);
    for r in records {
        let bool_text = |b: bool| if b { "yes" } else { "no" };
        row(
            &mut out,
            &[
                &r.reference,
                &r.shop,
                r.right.code(),
                r.status.code(),
                &r.received_at,
                &r.due_date,
                r.case.original_due_date.as_deref().unwrap_or(""),
                bool_text(r.case.email_verified()),
                r.case.identity_verified_at.as_deref().unwrap_or(""),
                r.case.closed_at.as_deref().unwrap_or(""),
                &r.name,
                &r.email,
                r.order_number.as_deref().unwrap_or(""),
                r.details.as_deref().unwrap_or(""),
                r.lang.code(),
                bool_text(r.mail_pending),
            ],
        );
    }
    out
}

pub fn consent(records: &[StoredConsent]) -> String {
    let mut out = String::new();
    row(
        &mut out,
        &[
            "record_id",
            "recorded_at",
            "shop",
            "consent_id",
            "policy_version",
            "analytics",
            "marketing",
            "source",
            "language",
            "gpc",
            "user_agent_hash",
            "preferences",
            "services",
        ],
    );
    for c in records {
        let source = serde_json::to_value(c.source)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let yes_no = |b: bool| if b { "granted" } else { "denied" };
        // `Meta Pixel: denied; YouTube: granted`: one cell, in configuration order.
        let services = c
            .services
            .iter()
            .map(|s| format!("{}: {}", s.name, yes_no(s.granted)))
            .collect::<Vec<_>>()
            .join("; ");
        row(
            &mut out,
            &[
                &c.record_id,
                &c.recorded_at,
                &c.shop,
                &c.consent_id,
                &c.policy_version,
                yes_no(c.choices.analytics),
                yes_no(c.choices.marketing),
                &source,
                c.lang.code(),
                if c.gpc { "yes" } else { "no" },
                c.user_agent_hash.as_deref().unwrap_or(""),
                yes_no(c.choices.preferences),
                &services,
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        for (input, want) in [
            ("plain", "plain"),
            ("", ""),
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+31 6 1234", "'+31 6 1234"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("a,b", "\"a,b\""),
            ("line\nbreak", "\"line\nbreak\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(cell(input), want, "{input:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn no_cell_starts_a_formula(text in "\\PC{0,40}") {
            let out = cell(&text);
            let unquoted = out.strip_prefix('"').unwrap_or(&out);
            proptest::prop_assert!(!unquoted.starts_with(['=', '+', '-', '@', '\t', '\r']));
        }
    }
}
