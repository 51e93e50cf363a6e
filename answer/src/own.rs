//! Privacy Desk's own records about a person, as plain values turned into records
//! for the package: the rights requests they filed (with their history) and the
//! consent records linked by the consent id they gave.

use protocol::Right;

use crate::{DataCategory, Field, Record, RecordKind, SourceKind};

/// A rights request as the edge stores it, reduced to what the person may see.
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

pub fn request_record(request: &OwnRequest) -> Record {
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
            request.right.code(),
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
            "Je toelichting",
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

pub fn consent_record(consent: &OwnConsent) -> Record {
    let yes_no = |granted: bool| if granted { "granted" } else { "denied" };
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
