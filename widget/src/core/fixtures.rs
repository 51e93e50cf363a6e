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
        local_storage: Vec::new(),
    }
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
