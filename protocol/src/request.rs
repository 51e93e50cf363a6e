//! A data-subject rights request (`POST /api/requests`) and its acknowledgement.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::Lang;

/// The GDPR rights a customer can exercise through the form.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// Art. 15.
    Access,
    /// Art. 16.
    Rectification,
    /// Art. 17 ("vergeetverzoek").
    Erasure,
    /// Art. 18.
    Restriction,
    /// Art. 20: a machine-readable copy.
    Portability,
    /// Art. 21.
    Objection,
    /// Art. 7(3).
    WithdrawConsent,
}

impl Right {
    pub const ALL: [Right; 7] = [
        Right::Access,
        Right::Rectification,
        Right::Erasure,
        Right::Restriction,
        Right::Portability,
        Right::Objection,
        Right::WithdrawConsent,
    ];

    /// The wire name, as serialised.
    pub fn code(self) -> &'static str {
        match self {
            Right::Access => "access",
            Right::Rectification => "rectification",
            Right::Erasure => "erasure",
            Right::Restriction => "restriction",
            Right::Portability => "portability",
            Right::Objection => "objection",
            Right::WithdrawConsent => "withdraw_consent",
        }
    }

    /// Rectification and objection cannot be handled without an explanation.
    pub fn requires_details(self) -> bool {
        matches!(self, Right::Rectification | Right::Objection)
    }

    /// Short name of the right, for labels and e-mail subjects. Inlined, so that a
    /// caller with a known language keeps only its words (the widget's form module).
    #[inline(always)]
    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Right::Access) => "Access to my data",
            (Lang::En, Right::Rectification) => "Rectification of my data",
            (Lang::En, Right::Erasure) => "Erasure of my data",
            (Lang::En, Right::Restriction) => "Restriction of processing",
            (Lang::En, Right::Portability) => "A machine-readable copy of my data (portability)",
            (Lang::En, Right::Objection) => "Objection to processing",
            (Lang::En, Right::WithdrawConsent) => "Withdrawal of consent",
            (Lang::Nl, Right::Access) => "Inzage in mijn gegevens",
            (Lang::Nl, Right::Rectification) => "Correctie van mijn gegevens",
            (Lang::Nl, Right::Erasure) => "Verwijdering van mijn gegevens (vergeetverzoek)",
            (Lang::Nl, Right::Restriction) => "Beperking van de verwerking",
            (Lang::Nl, Right::Portability) => {
                "Een machineleesbare kopie van mijn gegevens (overdraagbaarheid)"
            }
            (Lang::Nl, Right::Objection) => "Bezwaar tegen verwerking",
            (Lang::Nl, Right::WithdrawConsent) => "Intrekken van toestemming",
        }
    }
}

/// Body of `POST /api/requests`, sent by the widget's rights-request form.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct NewRightsRequest {
    /// Shop id from the script tag's `data-shop`.
    pub shop: String,
    pub right: Right,
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// The requester confirmed that the information is true.
    pub confirm_true: bool,
    pub lang: Lang,
    /// Random key the widget makes once per form submission and reuses on every
    /// retry, so that a retry never files a second request.
    pub idempotency_key: String,
    /// The honeypot: a field hidden from people and assistive technology. Anything
    /// in it marks the request as automated, and the edge refuses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honeypot: Option<String>,
    /// The Cloudflare Turnstile token, when the script tag has
    /// `data-turnstile-sitekey`; the edge checks it with siteverify for shops that
    /// have a Turnstile secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
}

/// Answer to an accepted rights request (HTTP 201, or 200 for an idempotent replay).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct RequestAccepted {
    /// Human-friendly, unguessable reference, e.g. `PR-7KQ4-M2XD-9HTW`.
    pub reference: String,
    /// The date by which the shop must answer, `YYYY-MM-DD`.
    pub due_date: String,
    pub status: String,
}
