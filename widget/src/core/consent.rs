//! A visitor's choice as the widget holds it: the categories, and the shop's
//! configured services set apart from their category. What is accepted, and how
//! the JS API's `acceptCategory`/`acceptService` change it.

use crate::prelude::*;

use protocol::{Category, Choices, Service};

/// The names of the services whose Google signals follow their own switch:
/// `analytics_storage` follows "Google Analytics" and the `ad_*` signals "Google
/// Ads" when the shop configures a service of that name, else their category.
pub const GOOGLE_ANALYTICS: &str = "Google Analytics";
pub const GOOGLE_ADS: &str = "Google Ads";

/// A visitor's choice: the categories, and the configured services set apart
/// from their category (`(name, granted)`; empty for a choice of categories only).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Consent {
    pub choices: Choices,
    pub services: Vec<(String, bool)>,
}

impl Consent {
    pub fn of(choices: Choices) -> Consent {
        Consent {
            choices,
            services: Vec::new(),
        }
    }

    /// `necessary` (always), `preferences`, `analytics` or `marketing`; `None`
    /// for any other name.
    pub fn category(&self, name: &str) -> Option<bool> {
        let c = &self.choices;
        Some(match name {
            "necessary" => true,
            "preferences" => c.preferences,
            "analytics" => c.analytics,
            "marketing" => c.marketing,
            _ => return None,
        })
    }

    pub(super) fn category_of(&self, category: Category) -> bool {
        let c = &self.choices;
        match category {
            Category::Preferences => c.preferences,
            Category::Analytics => c.analytics,
            Category::Marketing => c.marketing,
        }
    }

    /// A configured service is accepted when set on its own, else with its category.
    pub fn service(&self, service: &Service) -> bool {
        self.services
            .iter()
            .find(|(name, _)| *name == service.name)
            .map_or_else(|| self.category_of(service.category), |(_, on)| *on)
    }

    /// `acceptedService(name)`: unknown services are not accepted.
    pub fn service_named(&self, name: &str, services: &[Service]) -> bool {
        find(services, name).is_some_and(|s| self.service(s))
    }

    /// Keeps only the services of the configuration whose choice differs from
    /// their category's, so that the cookie stays short and a category change
    /// through the API or a button applies to the services that follow it.
    pub fn normalized(mut self, services: &[Service]) -> Consent {
        let this = Consent::of(self.choices);
        self.services
            .retain(|(name, on)| find(services, name).is_some_and(|s| this.service(s) != *on));
        self
    }

    /// `acceptCategory`: the categories named become granted, with all their services.
    pub fn accept_category(&self, name: &str, services: &[Service]) -> Consent {
        let mut next = self.clone();
        let c = &mut next.choices;
        match name {
            "preferences" => c.preferences = true,
            "analytics" => c.analytics = true,
            "marketing" => c.marketing = true,
            _ => {}
        }
        next.normalized(services)
    }

    /// `acceptService`: a configured service becomes granted on its own.
    pub fn accept_service(&self, name: &str, services: &[Service]) -> Consent {
        let mut next = self.clone();
        next.services.retain(|(n, _)| n != name);
        next.services.push((name.into(), true));
        next.normalized(services)
    }

    /// Google's signal for a service of [`GOOGLE_ANALYTICS`] or [`GOOGLE_ADS`].
    pub(super) fn google(&self, name: &str, category: Category, services: &[Service]) -> bool {
        find(services, name).map_or_else(|| self.category_of(category), |s| self.service(s))
    }
}

fn find<'a>(services: &'a [Service], name: &str) -> Option<&'a Service> {
    services.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::decide::EVERYTHING;
    use crate::core::fixtures::*;

    #[test]
    fn services_follow_their_category_unless_set_apart() {
        let list = services();
        let c = consent(MARKETING_ONLY, &[("Meta Pixel", false), ("Chat", true)]);
        let cases = [
            (GOOGLE_ANALYTICS, false),
            ("Meta Pixel", false),
            ("YouTube", true),
            ("Chat", true),
            ("Unknown", false),
        ];
        for (name, want) in cases {
            assert_eq!(c.service_named(name, &list), want, "{name}");
        }
        assert_eq!(c.category("necessary"), Some(true));
        assert_eq!(c.category("marketing"), Some(true));
        assert_eq!(c.category("preferences"), Some(false));
        assert_eq!(c.category("functional"), None);
    }

    #[test]
    fn api_changes_add_to_the_choice() {
        let list = services();
        let start = consent(ANALYTICS_ONLY, &[(GOOGLE_ANALYTICS, false)]);
        // Accepting a category grants all its services.
        assert!(
            start.accept_category("marketing", &list)
                == consent(
                    Choices {
                        marketing: true,
                        ..ANALYTICS_ONLY
                    },
                    &[(GOOGLE_ANALYTICS, false)]
                )
        );
        assert!(start.accept_category("functional", &list) == start);
        // Accepting a service grants it alone.
        assert!(
            start.accept_service("Meta Pixel", &list)
                == consent(
                    ANALYTICS_ONLY,
                    &[(GOOGLE_ANALYTICS, false), ("Meta Pixel", true)]
                )
        );
        assert!(start.accept_service(GOOGLE_ANALYTICS, &list) == Consent::of(ANALYTICS_ONLY));
        // Unknown services and choices equal to the category are not kept.
        assert!(start.accept_service("Unknown", &list) == start);
        assert!(
            consent(EVERYTHING, &[("YouTube", true), ("Gone", false)]).normalized(&list)
                == Consent::of(EVERYTHING)
        );
        // A marketing service denied while marketing is denied is no exception.
        assert!(
            consent(ANALYTICS_ONLY, &[("Meta Pixel", false), ("YouTube", true)]).normalized(&list)
                == consent(ANALYTICS_ONLY, &[("YouTube", true)])
        );
    }
}
