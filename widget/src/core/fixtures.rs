//! Test-only values shared by the core's table tests: choices, a shop's services
//! (the Dutch demo shop's, plus a preferences one) and a consent with per-service
//! exceptions.

use crate::prelude::*;

use protocol::{Category, Choices, Service};

use super::consent::{Consent, GOOGLE_ANALYTICS};

pub const ANALYTICS_ONLY: Choices = Choices {
    analytics: true,
    marketing: false,
    preferences: false,
};

pub const MARKETING_ONLY: Choices = Choices {
    analytics: false,
    marketing: true,
    preferences: false,
};

pub fn service(name: &str, category: Category, cookies: &[&str]) -> Service {
    service_storing(name, category, cookies, &[])
}

/// A service that also lists `localStorage` keys.
pub fn service_storing(
    name: &str,
    category: Category,
    cookies: &[&str],
    local_storage: &[&str],
) -> Service {
    let text = protocol::Localized {
        en: "x".into(),
        nl: "x".into(),
    };
    Service {
        name: name.into(),
        provider: None,
        category,
        purpose: text.clone(),
        cookies: cookies.iter().map(|c| (*c).into()).collect(),
        retention: text,
        policy_url: String::new(),
        local_storage: local_storage.iter().map(|c| (*c).into()).collect(),
    }
}

/// Compares `generated` (pretty JSON) with the committed case file `file`, or
/// rewrites the file when `UPDATE_RETURNING_CASES` is set: the loader's e2e tests
/// run the committed file, so it must say what the core says.
pub fn golden_file(file: &str, generated: &serde_json::Value, test: &str) {
    let text = serde_json::to_string_pretty(generated).unwrap() + "\n";
    if std::env::var_os("UPDATE_RETURNING_CASES").is_some() {
        std::fs::write(file, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(file).unwrap_or_default();
    assert!(
        committed == text,
        "{file} differs from the core's rules: rewrite it with UPDATE_RETURNING_CASES=1 \
         cargo test -p widget {test}, and run tests/e2e/consent-returning.test.mjs"
    );
}

/// The Dutch demo shop's services, plus a preferences one.
pub fn services() -> Vec<Service> {
    vec![
        service(GOOGLE_ANALYTICS, Category::Analytics, &["_ga"]),
        service("Meta Pixel", Category::Marketing, &["_fbp", "fr"]),
        service("YouTube", Category::Marketing, &["VISITOR_INFO1_LIVE"]),
        service("Chat", Category::Preferences, &["chat_id"]),
    ]
}

pub fn consent(choices: Choices, services: &[(&str, bool)]) -> Consent {
    Consent {
        choices,
        services: services.iter().map(|(n, on)| ((*n).into(), *on)).collect(),
    }
}
