//! The access and portability package (art. 15(1)-(3), art. 20): what was found
//! about the person, grouped by data category, together with what the shop's
//! configuration says about purposes, recipients, retention, sources, automated
//! decisions and transfers, in the requester's language. One value, three
//! renderings: an HTML page, JSON and CSV; plus drafted replies for other rights.

mod draft;
mod export;
mod html;
mod texts;

use protocol::{date, Lang, Right};
use serde::Serialize;

use crate::processing::{LegalBasis, Safeguard};
use crate::{country, DataCategory, Found, Processing, SourceKind};

pub use draft::draft_reply;
pub use html::{DownloadForm, PageLinks};
use texts::{right_text, text, Text};

/// The supervisory authority named in every package (the shops are Dutch).
pub const AUTHORITY_NAME: &str = "Autoriteit Persoonsgegevens";
pub const AUTHORITY_URL: &str = "https://autoriteitpersoonsgegevens.nl";

/// What a package is built from.
pub struct PackageInput<'a> {
    pub shop_name: &'a str,
    /// The shop's privacy contact, for questions about the package.
    pub privacy_contact: &'a str,
    /// The rights request's reference (`PR-...`).
    pub reference: &'a str,
    pub lang: Lang,
    /// Days since 1970-01-01 (UTC).
    pub prepared_on: i64,
    pub processing: &'a Processing,
    pub found: &'a Found,
}

/// The package; its JSON is the machine-readable copy (stable field names).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// Always [`Package::FORMAT`], so a reader knows what it holds.
    pub format: &'static str,
    pub shop: String,
    pub privacy_contact: String,
    pub reference: String,
    pub language: Lang,
    /// `YYYY-MM-DD`.
    pub prepared_on: String,
    pub confirmation: Confirmation,
    /// False when a source held more than was fetched.
    pub complete: bool,
    pub data: Vec<CategoryData>,
    pub purposes: Vec<PurposeView>,
    pub recipients: Vec<Recipient>,
    pub retention: Vec<RetentionView>,
    pub sources: Vec<SourceView>,
    pub automated_decisions: Automated,
    pub rights: Vec<RightView>,
    pub complaint: Complaint,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    pub personal_data_processed: bool,
    pub text: String,
}

/// Everything found in one category.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CategoryData {
    pub category: DataCategory,
    pub label: String,
    /// The configured retention period of this category, if any.
    pub retention: Option<String>,
    pub items: Vec<Item>,
}

/// One value, with where it was found.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub source: SourceKind,
    /// The record it belongs to, e.g. "Order #1001".
    pub record: String,
    pub key: String,
    pub field: String,
    pub value: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PurposeView {
    pub description: String,
    pub legal_basis: LegalBasis,
    pub legal_basis_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<String>,
    pub categories: Vec<DataCategory>,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub name: String,
    pub role: String,
    pub purpose: String,
    pub categories: Vec<DataCategory>,
    pub country: String,
    pub outside_eea: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safeguard: Option<Safeguard>,
    /// The safeguard in words, with the shop's details if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safeguard_text: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RetentionView {
    pub category: DataCategory,
    pub label: String,
    pub period: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SourceView {
    pub categories: Vec<DataCategory>,
    pub source: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Automated {
    pub made: bool,
    pub text: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RightView {
    pub right: Right,
    pub text: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub authority: &'static str,
    pub url: &'static str,
    pub text: String,
}

impl Package {
    pub const FORMAT: &'static str = "privacy-desk/access-package/1";

    /// Builds the package; everything in it is in `input.lang`.
    pub fn build(input: &PackageInput) -> Package {
        let lang = input.lang;
        let processing = input.processing;
        let (year, month, day) = date::civil_from_days(input.prepared_on);
        let personal_data_processed = !input.found.records.is_empty();
        let mut data: Vec<CategoryData> = Vec::new();
        for record in &input.found.records {
            for field in &record.fields {
                let item = Item {
                    source: record.source,
                    record: record.title.get(lang).to_owned(),
                    key: field.key.clone(),
                    field: field.label.get(lang).to_owned(),
                    value: field.value.clone(),
                };
                match data.iter_mut().find(|c| c.category == field.category) {
                    Some(group) => group.items.push(item),
                    None => data.push(CategoryData {
                        category: field.category,
                        label: field.category.label(lang).to_owned(),
                        retention: processing
                            .retention_of(field.category)
                            .map(|p| p.get(lang).to_owned()),
                        items: vec![item],
                    }),
                }
            }
        }
        // The categories in their fixed order; items keep the order found.
        data.sort_by_key(|group| group.category);
        Package {
            format: Package::FORMAT,
            shop: input.shop_name.to_owned(),
            privacy_contact: input.privacy_contact.to_owned(),
            reference: input.reference.to_owned(),
            language: lang,
            prepared_on: format!("{year:04}-{month:02}-{day:02}"),
            confirmation: Confirmation {
                personal_data_processed,
                text: text(
                    if personal_data_processed {
                        Text::ConfirmationYes
                    } else {
                        Text::ConfirmationNo
                    },
                    lang,
                )
                .to_owned(),
            },
            complete: !input.found.truncated,
            data,
            purposes: processing
                .purposes
                .iter()
                .map(|p| PurposeView {
                    description: p.description.get(lang).to_owned(),
                    legal_basis: p.legal_basis,
                    legal_basis_text: p.legal_basis.describe(lang).to_owned(),
                    legitimate_interest: p
                        .legitimate_interest
                        .as_ref()
                        .map(|i| i.get(lang).to_owned()),
                    categories: p.categories.clone(),
                })
                .collect(),
            recipients: processing
                .processors
                .iter()
                .map(|p| Recipient {
                    name: p.name.clone(),
                    role: p.role.get(lang).to_owned(),
                    purpose: p.purpose.get(lang).to_owned(),
                    categories: p.categories.clone(),
                    country: p.country.clone(),
                    outside_eea: !country::in_eea(&p.country),
                    safeguard: p.safeguard,
                    safeguard_text: p.safeguard.map(|s| match &p.safeguard_details {
                        Some(details) => format!("{}. {}", s.describe(lang), details.get(lang)),
                        None => s.describe(lang).to_owned(),
                    }),
                })
                .collect(),
            retention: processing
                .retention
                .iter()
                .map(|r| RetentionView {
                    category: r.category,
                    label: r.category.label(lang).to_owned(),
                    period: r.period.get(lang).to_owned(),
                })
                .collect(),
            sources: processing
                .sources
                .iter()
                .map(|s| SourceView {
                    categories: s.categories.clone(),
                    source: s.source.get(lang).to_owned(),
                })
                .collect(),
            automated_decisions: Automated {
                made: processing.automated_decisions.made,
                text: match &processing.automated_decisions.logic {
                    Some(logic) if processing.automated_decisions.made => {
                        logic.get(lang).to_owned()
                    }
                    _ => text(Text::AutomatedNone, lang).to_owned(),
                },
            },
            rights: Right::ALL
                .iter()
                .filter(|r| **r != Right::Access)
                .map(|r| RightView {
                    right: *r,
                    text: right_text(*r, lang).to_owned(),
                })
                .collect(),
            complaint: Complaint {
                authority: AUTHORITY_NAME,
                url: AUTHORITY_URL,
                text: text(Text::Complaint, lang).to_owned(),
            },
        }
    }

    /// The date as people read it, e.g. "30 November 2026".
    fn prepared_long(&self) -> String {
        match date::parse_iso(&self.prepared_on) {
            Some((year, month, day)) => date::long(year, month, day, self.language),
            None => self.prepared_on.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
