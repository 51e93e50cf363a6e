//! Privacy Desk's own records about a person, as plain values turned into records
//! for the package: the rights requests they filed (with their history) and the
//! consent records linked by the consent id they gave.

use protocol::{Lang, Right};

use crate::{DataCategory, Field, Record, RecordKind, SourceKind};

/// A rights request as the edge stores it, reduced to what the person may see.
/// `status` and `history` are passed in already in the requester's language.
pub struct OwnRequest<'a> {
    pub reference: &'a str,
    pub right: Right,
    /// `YYYY-MM-DD`.
    pub received: &'a str,
    pub status: &'a str,
    /// What the person wrote, if anything.
    pub details: Option<&'a str>,
    /// (date, event) pairs, oldest first.
    pub history: &'a [(&'a str, &'a str)],
}

/// A consent record (cookie choice).
pub struct OwnConsent<'a> {
    pub consent_id: &'a str,
    /// `YYYY-MM-DD`.
    pub recorded: &'a str,
    pub analytics: bool,
    pub marketing: bool,
    pub policy_version: &'a str,
}

/// The request as a record, values in `lang`.
pub fn request_record(request: &OwnRequest, lang: Lang) -> Record {
    let mut fields = vec![
        Field::labelled(
            DataCategory::Correspondence,
            "reference",
            "Reference",
            "Referentie",
            request.reference,
        ),
        Field::labelled(
            DataCategory::Correspondence,
            "right",
            "Request",
            "Verzoek",
            right_name(request.right, lang),
        ),
        Field::labelled(
            DataCategory::Correspondence,
            "received",
            "Received",
            "Ontvangen",
            request.received,
        ),
        Field::labelled(
            DataCategory::Correspondence,
            "status",
            "Status",
            "Status",
            request.status,
        ),
    ];
    if let Some(details) = request.details.filter(|d| !d.trim().is_empty()) {
        fields.push(Field::labelled(
            DataCategory::Correspondence,
            "details",
            "Your explanation",
            "Uw toelichting",
            details,
        ));
    }
    for (date, event) in request.history {
        fields.push(Field::labelled(
            DataCategory::Correspondence,
            "history",
            "History",
            "Geschiedenis",
            &format!("{date}: {event}"),
        ));
    }
    Record::new(
        SourceKind::PrivacyDesk,
        RecordKind::Request,
        &format!("Privacy request {}", request.reference),
        &format!("Privacyverzoek {}", request.reference),
        fields,
    )
}

/// The consent record as a record, values in `lang`.
pub fn consent_record(consent: &OwnConsent, lang: Lang) -> Record {
    let yes_no = |granted: bool| match (granted, lang) {
        (true, Lang::En) => "granted",
        (true, Lang::Nl) => "toegestaan",
        (false, Lang::En) => "refused",
        (false, Lang::Nl) => "geweigerd",
    };
    let fields = vec![
        Field::labelled(
            DataCategory::Consent,
            "consent_id",
            "Consent id",
            "Toestemmingscode",
            consent.consent_id,
        ),
        Field::labelled(
            DataCategory::Consent,
            "recorded",
            "Recorded",
            "Vastgelegd",
            consent.recorded,
        ),
        Field::labelled(
            DataCategory::Consent,
            "analytics",
            "Analytics cookies",
            "Analytische cookies",
            yes_no(consent.analytics),
        ),
        Field::labelled(
            DataCategory::Consent,
            "marketing",
            "Marketing cookies",
            "Marketingcookies",
            yes_no(consent.marketing),
        ),
        Field::labelled(
            DataCategory::Consent,
            "policy_version",
            "Policy version",
            "Versie van het beleid",
            consent.policy_version,
        ),
    ];
    Record::new(
        SourceKind::PrivacyDesk,
        RecordKind::Consent,
        &format!("Cookie choice of {}", consent.recorded),
        &format!("Cookiekeuze van {}", consent.recorded),
        fields,
    )
}

fn right_name(right: Right, lang: Lang) -> &'static str {
    match (right, lang) {
        (Right::Access, Lang::En) => "access",
        (Right::Access, Lang::Nl) => "inzage",
        (Right::Rectification, Lang::En) => "rectification",
        (Right::Rectification, Lang::Nl) => "rectificatie",
        (Right::Erasure, Lang::En) => "erasure",
        (Right::Erasure, Lang::Nl) => "verwijdering",
        (Right::Restriction, Lang::En) => "restriction",
        (Right::Restriction, Lang::Nl) => "beperking",
        (Right::Portability, Lang::En) => "portability",
        (Right::Portability, Lang::Nl) => "overdraagbaarheid",
        (Right::Objection, Lang::En) => "objection",
        (Right::Objection, Lang::Nl) => "bezwaar",
        (Right::WithdrawConsent, Lang::En) => "withdrawing consent",
        (Right::WithdrawConsent, Lang::Nl) => "toestemming intrekken",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_records_are_labelled_and_written_in_the_requesters_language() {
        let request = OwnRequest {
            reference: "PR-1",
            right: Right::Erasure,
            received: "2026-11-20",
            status: "ontvangen",
            details: Some("  "),
            history: &[
                ("2026-11-20", "ontvangen"),
                ("2026-11-21", "e-mailadres bevestigd"),
            ],
        };
        let record = request_record(&request, Lang::Nl);
        assert_eq!(record.kind, RecordKind::Request);
        assert_eq!(record.title.nl, "Privacyverzoek PR-1");
        let values: Vec<(&str, &str)> = record
            .fields
            .iter()
            .map(|f| (f.key.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("reference", "PR-1"),
                ("right", "verwijdering"),
                ("received", "2026-11-20"),
                ("status", "ontvangen"),
                ("history", "2026-11-20: ontvangen"),
                ("history", "2026-11-21: e-mailadres bevestigd"),
            ]
        );
        assert!(record
            .fields
            .iter()
            .all(|f| f.category == DataCategory::Correspondence));

        let consent = OwnConsent {
            consent_id: "c1",
            recorded: "2026-11-01",
            analytics: true,
            marketing: false,
            policy_version: "v1",
        };
        for (lang, granted, refused) in [
            (Lang::En, "granted", "refused"),
            (Lang::Nl, "toegestaan", "geweigerd"),
        ] {
            let record = consent_record(&consent, lang);
            let value = |key: &str| {
                record
                    .fields
                    .iter()
                    .find(|f| f.key == key)
                    .map(|f| f.value.clone())
            };
            assert_eq!(value("analytics").as_deref(), Some(granted));
            assert_eq!(value("marketing").as_deref(), Some(refused));
            assert!(record
                .fields
                .iter()
                .all(|f| f.category == DataCategory::Consent));
        }
        let names: std::collections::BTreeSet<_> = Right::ALL
            .iter()
            .map(|r| right_name(*r, Lang::Nl))
            .collect();
        assert_eq!(names.len(), Right::ALL.len());
    }
}
