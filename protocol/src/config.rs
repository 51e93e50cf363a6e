//! The public, per-shop widget configuration the edge serves at
//! `GET /api/shops/<shop>/config` and the widget renders: policy version, consent
//! lifetime, and the services in each optional category.

use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Optional cookie categories a service can belong to.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Preferences,
    Analytics,
    Marketing,
}

/// A text in every supported language.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub en: String,
    pub nl: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
        }
    }
}

/// A third-party service the shop uses, shown in the preference centre.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    /// Who runs the service (e.g. "Google Ireland Ltd"), for the cookie declaration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub category: Category,
    pub purpose: Localized,
    /// Cookie names or patterns, e.g. `_ga`, `_ga_<container-id>`.
    pub cookies: Vec<String>,
    pub retention: Localized,
    pub policy_url: String,
    /// `localStorage` keys the service writes (exact, or a prefix ending in `*`),
    /// removed when its consent is withdrawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_storage: Vec<String>,
}

/// What the widget needs to know about a shop.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct WidgetConfig {
    pub shop: String,
    pub shop_name: String,
    /// Bumping it asks every visitor again.
    pub policy_version: String,
    /// How long a stored choice is valid, in days (default 183: about six months).
    pub consent_max_age_days: u32,
    /// Where the shop's privacy policy lives, linked from the banner.
    pub privacy_policy_url: String,
    pub services: Vec<Service>,
}
