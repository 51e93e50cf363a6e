//! The data categories every piece of personal data is labelled with, so that the
//! access package can show "a copy of the data by category" (art. 15(1)(b), (3))
//! and the configuration can say which processor holds which category.

use protocol::Lang;
use serde::{Deserialize, Serialize};

/// What kind of personal data a field is. The wire names are stable: they appear in
/// the shop's configuration and in the machine-readable package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    /// Name, customer number, account dates.
    Identity,
    /// E-mail address, phone number.
    Contact,
    /// Postal addresses (delivery, billing).
    Address,
    /// Orders: what was bought, when, delivery status.
    Order,
    /// Amounts, payment method and status (never card numbers).
    Payment,
    /// Marketing preferences and newsletter subscriptions.
    Marketing,
    /// Cookie and consent choices.
    Consent,
    /// Messages, notes and the history of privacy requests.
    Correspondence,
    /// Reviews and ratings.
    Review,
    /// Browsing and usage data (analytics).
    Usage,
    /// Anything that does not fit the categories above.
    Other,
}

impl DataCategory {
    pub const ALL: [DataCategory; 11] = [
        DataCategory::Identity,
        DataCategory::Contact,
        DataCategory::Address,
        DataCategory::Order,
        DataCategory::Payment,
        DataCategory::Marketing,
        DataCategory::Consent,
        DataCategory::Correspondence,
        DataCategory::Review,
        DataCategory::Usage,
        DataCategory::Other,
    ];

    /// The wire name, as serialised.
    pub fn code(self) -> &'static str {
        match self {
            DataCategory::Identity => "identity",
            DataCategory::Contact => "contact",
            DataCategory::Address => "address",
            DataCategory::Order => "order",
            DataCategory::Payment => "payment",
            DataCategory::Marketing => "marketing",
            DataCategory::Consent => "consent",
            DataCategory::Correspondence => "correspondence",
            DataCategory::Review => "review",
            DataCategory::Usage => "usage",
            DataCategory::Other => "other",
        }
    }

    /// The heading a person reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DataCategory::Identity, Lang::En) => "Identity details",
            (DataCategory::Identity, Lang::Nl) => "Identificatiegegevens",
            (DataCategory::Contact, Lang::En) => "Contact details",
            (DataCategory::Contact, Lang::Nl) => "Contactgegevens",
            (DataCategory::Address, Lang::En) => "Addresses",
            (DataCategory::Address, Lang::Nl) => "Adresgegevens",
            (DataCategory::Order, Lang::En) => "Orders",
            (DataCategory::Order, Lang::Nl) => "Bestellingen",
            (DataCategory::Payment, Lang::En) => "Payment details",
            (DataCategory::Payment, Lang::Nl) => "Betaalgegevens",
            (DataCategory::Marketing, Lang::En) => "Marketing preferences",
            (DataCategory::Marketing, Lang::Nl) => "Marketingvoorkeuren",
            (DataCategory::Consent, Lang::En) => "Cookie and consent choices",
            (DataCategory::Consent, Lang::Nl) => "Cookie- en toestemmingskeuzes",
            (DataCategory::Correspondence, Lang::En) => "Correspondence and requests",
            (DataCategory::Correspondence, Lang::Nl) => "Correspondentie en verzoeken",
            (DataCategory::Review, Lang::En) => "Reviews",
            (DataCategory::Review, Lang::Nl) => "Beoordelingen",
            (DataCategory::Usage, Lang::En) => "Website usage",
            (DataCategory::Usage, Lang::Nl) => "Websitegebruik",
            (DataCategory::Other, Lang::En) => "Other data",
            (DataCategory::Other, Lang::Nl) => "Overige gegevens",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_serialised_names_and_labels_differ_per_language() {
        for category in DataCategory::ALL {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.code()));
            let back: DataCategory = serde_json::from_str(&json).unwrap();
            assert_eq!(back, category);
            assert_ne!(category.label(Lang::En), category.label(Lang::Nl));
        }
        let labels: std::collections::BTreeSet<_> = DataCategory::ALL
            .iter()
            .map(|c| c.label(Lang::En))
            .collect();
        assert_eq!(labels.len(), DataCategory::ALL.len(), "labels are distinct");
    }
}
