//! The consent record a visitor's choice produces (`POST /api/consent`): the proof
//! of consent a shop must be able to show (GDPR art. 7(1)).

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Optional cookie categories. "Necessary" is always on and never recorded as a
/// choice, because it is not one.
#[derive(Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct Choices {
    pub analytics: bool,
    pub marketing: bool,
    /// Functional cookies (remembering settings, chat, embedded players'
    /// preferences). Absent in records from before the category existed: denied.
    #[serde(default)]
    pub preferences: bool,
}

/// The choice for one of the shop's configured services, as in force after the
/// record's choice (its category's choice unless the visitor set it on its own).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct ServiceChoice {
    /// The service's `name` in the shop's configuration.
    pub name: String,
    pub granted: bool,
}

/// Where a choice came from.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    /// First layer: Accept all / Reject all.
    Banner,
    /// The preference centre, including a later withdrawal.
    Preferences,
    /// The browser's Global Privacy Control signal, with no explicit choice.
    Gpc,
    /// The shop's own code through the widget's JS API.
    Api,
}

/// Body of `POST /api/consent`, sent by the widget for every choice (given,
/// changed, withdrawn). Carries no personal data: the consent id is random and
/// lives only in the visitor's consent cookie.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    /// Shop id from the script tag's `data-shop`.
    pub shop: String,
    /// Random id of this visitor's consent, kept in the consent cookie so that
    /// later changes can be linked to the first choice.
    pub consent_id: String,
    /// The shop's cookie-policy version the visitor saw.
    pub policy_version: String,
    pub choices: Choices,
    pub source: ConsentSource,
    pub lang: Lang,
    /// Whether the browser sent Global Privacy Control.
    pub gpc: bool,
    /// Every configured service with its choice (absent from older widgets).
    #[serde(default)]
    pub services: Vec<ServiceChoice>,
}

/// Answer to an accepted consent record (HTTP 201).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct ConsentAccepted {
    /// The KV key suffix under which the record is stored.
    pub record_id: String,
    /// Server time the record was stored, RFC 3339 (UTC).
    pub recorded_at: String,
}
