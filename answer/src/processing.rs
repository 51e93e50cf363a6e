//! The shop's processing as configuration: processors, purposes with their legal
//! basis, retention per data category, where data comes from and whether automated
//! decisions are made. It is what the access package says under art. 15(1)(a)-(h)
//! and (2); `validate` refuses a configuration that would make it say something
//! incomplete or unlawful, naming the field.

use protocol::{Lang, Localized};
use serde::{Deserialize, Serialize};

use crate::{country, DataCategory};

/// Everything the shop declares about its processing.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processing {
    pub processors: Vec<Processor>,
    pub purposes: Vec<Purpose>,
    pub retention: Vec<Retention>,
    /// Where the data comes from when not from the person (art. 15(1)(g)).
    #[serde(default)]
    pub sources: Vec<DataSource>,
    pub automated_decisions: AutomatedDecisions,
}

/// A recipient of personal data: a processor (art. 28) or another recipient such as
/// a carrier or marketplace (art. 15(1)(c)).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processor {
    pub name: String,
    /// What they are to the shop, e.g. "Shop platform" / "Winkelplatform".
    pub role: Localized,
    pub categories: Vec<DataCategory>,
    pub purpose: Localized,
    /// Where they process the data: ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// Required when `country` is outside the EEA (art. 15(2), art. 44-49).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safeguard: Option<Safeguard>,
    /// Where the safeguard can be read or what it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safeguard_details: Option<Localized>,
}

/// The legal ground for a transfer outside the EEA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Safeguard {
    /// Art. 45: the Commission decided the country (or framework, such as the
    /// EU-US Data Privacy Framework) protects data adequately.
    AdequacyDecision,
    /// Art. 46(2)(c): the Commission's standard contractual clauses.
    StandardContractualClauses,
    /// Art. 47.
    BindingCorporateRules,
}

impl Safeguard {
    pub fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Safeguard::AdequacyDecision, Lang::En) => {
                "An adequacy decision of the European Commission (art. 45 GDPR)"
            }
            (Safeguard::AdequacyDecision, Lang::Nl) => {
                "Een adequaatheidsbesluit van de Europese Commissie (art. 45 AVG)"
            }
            (Safeguard::StandardContractualClauses, Lang::En) => {
                "The European Commission's standard contractual clauses (art. 46(2)(c) GDPR)"
            }
            (Safeguard::StandardContractualClauses, Lang::Nl) => {
                "De standaardcontractbepalingen van de Europese Commissie (art. 46 lid 2 sub c AVG)"
            }
            (Safeguard::BindingCorporateRules, Lang::En) => {
                "Binding corporate rules (art. 47 GDPR)"
            }
            (Safeguard::BindingCorporateRules, Lang::Nl) => {
                "Bindende bedrijfsvoorschriften (art. 47 AVG)"
            }
        }
    }
}

/// Why the shop processes data, and on which ground of art. 6(1).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub description: Localized,
    pub legal_basis: LegalBasis,
    pub categories: Vec<DataCategory>,
    /// The interest pursued; required for [`LegalBasis::LegitimateInterests`]
    /// (art. 13(1)(d)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<Localized>,
}

/// The grounds of art. 6(1)(a)-(f).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// (a)
    Consent,
    /// (b)
    Contract,
    /// (c)
    LegalObligation,
    /// (d)
    VitalInterests,
    /// (e)
    PublicTask,
    /// (f)
    LegitimateInterests,
}

impl LegalBasis {
    pub fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (LegalBasis::Consent, Lang::En) => "Your consent (art. 6(1)(a) GDPR)",
            (LegalBasis::Consent, Lang::Nl) => "Uw toestemming (art. 6 lid 1 sub a AVG)",
            (LegalBasis::Contract, Lang::En) => "Performance of a contract (art. 6(1)(b) GDPR)",
            (LegalBasis::Contract, Lang::Nl) => {
                "Uitvoering van de overeenkomst (art. 6 lid 1 sub b AVG)"
            }
            (LegalBasis::LegalObligation, Lang::En) => "Legal obligation (art. 6(1)(c) GDPR)",
            (LegalBasis::LegalObligation, Lang::Nl) => {
                "Wettelijke verplichting (art. 6 lid 1 sub c AVG)"
            }
            (LegalBasis::VitalInterests, Lang::En) => "Vital interests (art. 6(1)(d) GDPR)",
            (LegalBasis::VitalInterests, Lang::Nl) => "Vitaal belang (art. 6 lid 1 sub d AVG)",
            (LegalBasis::PublicTask, Lang::En) => "Public task (art. 6(1)(e) GDPR)",
            (LegalBasis::PublicTask, Lang::Nl) => "Algemeen belang (art. 6 lid 1 sub e AVG)",
            (LegalBasis::LegitimateInterests, Lang::En) => {
                "Legitimate interests (art. 6(1)(f) GDPR)"
            }
            (LegalBasis::LegitimateInterests, Lang::Nl) => {
                "Gerechtvaardigd belang (art. 6 lid 1 sub f AVG)"
            }
        }
    }
}

/// How long one category is kept (art. 15(1)(d)).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub category: DataCategory,
    pub period: Localized,
}

/// Where data in some categories comes from (art. 15(1)(g)).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    pub categories: Vec<DataCategory>,
    pub source: Localized,
}

/// Art. 22 decisions (art. 15(1)(h)).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutomatedDecisions {
    pub made: bool,
    /// The logic involved, its significance and consequences; required when `made`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logic: Option<Localized>,
}

/// A configuration the package cannot be built from, with the field to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ConfigError {
    /// A path into the configuration, e.g. `processors[2].safeguard`.
    pub field: String,
    pub problem: String,
}

impl Processing {
    /// Checks the configuration; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |field: String, problem: &str| {
            Err(ConfigError {
                field,
                problem: problem.to_owned(),
            })
        };
        if self.processors.is_empty() {
            return fail("processors".into(), "name at least one processor");
        }
        for (i, processor) in self.processors.iter().enumerate() {
            let at = |name: &str| format!("processors[{i}].{name}");
            if processor.name.trim().is_empty() {
                return fail(at("name"), "must not be empty");
            }
            if self.processors[..i]
                .iter()
                .any(|p| p.name.trim().eq_ignore_ascii_case(processor.name.trim()))
            {
                return fail(at("name"), "names another processor again");
            }
            text(&processor.role, &at("role"))?;
            text(&processor.purpose, &at("purpose"))?;
            categories(&processor.categories, &at("categories"))?;
            if !country::is_assigned(&processor.country) {
                return fail(
                    at("country"),
                    "must be an ISO 3166-1 alpha-2 code in upper case, e.g. NL or US",
                );
            }
            let outside = !country::in_eea(&processor.country);
            match (outside, processor.safeguard) {
                (true, None) => {
                    return fail(
                        at("safeguard"),
                        "required: the country is outside the EEA (adequacy_decision, standard_contractual_clauses or binding_corporate_rules)",
                    )
                }
                (false, Some(_)) => {
                    return fail(
                        at("safeguard"),
                        "only for countries outside the EEA; remove it or correct the country",
                    )
                }
                _ => {}
            }
            if let Some(details) = &processor.safeguard_details {
                if processor.safeguard.is_none() {
                    return fail(at("safeguard_details"), "given without a safeguard");
                }
                text(details, &at("safeguard_details"))?;
            }
        }
        if self.purposes.is_empty() {
            return fail("purposes".into(), "name at least one purpose");
        }
        for (i, purpose) in self.purposes.iter().enumerate() {
            let at = |name: &str| format!("purposes[{i}].{name}");
            text(&purpose.description, &at("description"))?;
            categories(&purpose.categories, &at("categories"))?;
            match (&purpose.legitimate_interest, purpose.legal_basis) {
                (None, LegalBasis::LegitimateInterests) => {
                    return fail(
                        at("legitimate_interest"),
                        "required when the legal basis is legitimate_interests",
                    )
                }
                (Some(_), basis) if basis != LegalBasis::LegitimateInterests => {
                    return fail(
                        at("legitimate_interest"),
                        "only for the legal basis legitimate_interests",
                    )
                }
                (Some(interest), _) => text(interest, &at("legitimate_interest"))?,
                (None, _) => {}
            }
        }
        for (i, retention) in self.retention.iter().enumerate() {
            text(&retention.period, &format!("retention[{i}].period"))?;
            if self.retention[..i]
                .iter()
                .any(|r| r.category == retention.category)
            {
                return fail(
                    format!("retention[{i}].category"),
                    "has a retention period already",
                );
            }
        }
        // Every category the shop says it processes needs a retention period.
        let used = self
            .purposes
            .iter()
            .flat_map(|p| &p.categories)
            .chain(self.processors.iter().flat_map(|p| &p.categories));
        for category in used {
            if !self.retention.iter().any(|r| r.category == *category) {
                return fail(
                    "retention".into(),
                    &format!("no retention period for the category {}", category.code()),
                );
            }
        }
        for (i, source) in self.sources.iter().enumerate() {
            categories(&source.categories, &format!("sources[{i}].categories"))?;
            text(&source.source, &format!("sources[{i}].source"))?;
        }
        match (&self.automated_decisions.logic, self.automated_decisions.made) {
            (None, true) => fail(
                "automated_decisions.logic".into(),
                "required when automated decisions are made: the logic, its significance and consequences",
            ),
            (Some(_), false) => fail(
                "automated_decisions.logic".into(),
                "only when automated decisions are made",
            ),
            (Some(logic), true) => text(logic, "automated_decisions.logic"),
            (None, false) => Ok(()),
        }
    }

    /// The retention period of one category, if configured.
    pub fn retention_of(&self, category: DataCategory) -> Option<&Localized> {
        self.retention
            .iter()
            .find(|r| r.category == category)
            .map(|r| &r.period)
    }
}

fn text(value: &Localized, field: &str) -> Result<(), ConfigError> {
    for (lang, text) in [("en", &value.en), ("nl", &value.nl)] {
        if text.trim().is_empty() {
            return Err(ConfigError {
                field: format!("{field}.{lang}"),
                problem: "must not be empty".into(),
            });
        }
    }
    Ok(())
}

fn categories(list: &[DataCategory], field: &str) -> Result<(), ConfigError> {
    if list.is_empty() {
        return Err(ConfigError {
            field: field.to_owned(),
            problem: "name at least one data category".into(),
        });
    }
    if let Some(i) = (1..list.len()).find(|&i| list[..i].contains(&list[i])) {
        return Err(ConfigError {
            field: format!("{field}[{i}]"),
            problem: "names a category again".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "processing_tests.rs"]
pub(crate) mod tests;
