//! What was found about a person, from whichever source: records made of fields,
//! each field labelled with its data category. Shopify, the uploaded CSV and
//! Privacy Desk's own records all end up in this one shape, which the package
//! groups by category.

use protocol::Localized;
use serde::{Deserialize, Serialize};

use crate::DataCategory;

/// Where a record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The shop's Shopify store, through the GraphQL Admin API.
    Shopify,
    /// An order export the owner uploaded (JouwWeb and others).
    OrderExport,
    /// Privacy Desk's own records: rights requests and consent records.
    PrivacyDesk,
}

impl SourceKind {
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Shopify => "shopify",
            SourceKind::OrderExport => "order_export",
            SourceKind::PrivacyDesk => "privacy_desk",
        }
    }
}

/// What a record is, for counting ("3 orders") and for machines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A customer profile (Shopify's customer record).
    Customer,
    Address,
    Order,
    /// One row of an uploaded order export.
    ExportRow,
    /// A rights request filed through Privacy Desk.
    Request,
    /// A consent record (cookie choices).
    Consent,
}

/// One value with what it is (`label`) and which category it belongs to.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub category: DataCategory,
    /// A stable key for machines (`first_name`, or a CSV column's header).
    pub key: String,
    pub label: Localized,
    pub value: String,
}

impl Field {
    /// A field whose label is the same in every language (e.g. a CSV header).
    pub fn plain(category: DataCategory, key: &str, value: &str) -> Field {
        Field {
            category,
            key: key.to_owned(),
            label: Localized {
                en: key.to_owned(),
                nl: key.to_owned(),
            },
            value: value.to_owned(),
        }
    }

    /// A field with a translated label.
    pub fn labelled(category: DataCategory, key: &str, en: &str, nl: &str, value: &str) -> Field {
        Field {
            category,
            key: key.to_owned(),
            label: Localized {
                en: en.to_owned(),
                nl: nl.to_owned(),
            },
            value: value.to_owned(),
        }
    }
}

/// A group of fields that belong together: the customer profile, one address,
/// one order, one CSV row, one rights request, one consent record.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub source: SourceKind,
    pub kind: RecordKind,
    /// What this record is, e.g. "Order #1001" / "Bestelling #1001".
    pub title: Localized,
    pub fields: Vec<Field>,
}

impl Record {
    pub fn new(
        source: SourceKind,
        kind: RecordKind,
        title_en: &str,
        title_nl: &str,
        fields: Vec<Field>,
    ) -> Record {
        Record {
            source,
            kind,
            title: Localized {
                en: title_en.to_owned(),
                nl: title_nl.to_owned(),
            },
            fields,
        }
    }
}

/// Everything found about one person, ready for the package or a drafted reply.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub records: Vec<Record>,
    /// Set when a source held more than was fetched (e.g. a page cap was hit), so
    /// the owner knows the copy is incomplete.
    pub truncated: bool,
}

impl Found {
    /// How many records of this kind came from this source.
    pub fn count(&self, source: SourceKind, kind: RecordKind) -> usize {
        self.records
            .iter()
            .filter(|r| r.source == source && r.kind == kind)
            .count()
    }

    pub fn extend(&mut self, other: Found) {
        self.records.extend(other.records);
        self.truncated |= other.truncated;
    }
}
