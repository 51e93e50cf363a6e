//! Answers to rights requests, as a pure core the Worker calls: the shop's
//! processing as configuration, the data found about a person (Shopify's GraphQL
//! Admin API, an uploaded order export, Privacy Desk's own records) labelled by
//! data category, and the access package built from both (HTML, JSON, CSV), plus
//! drafted replies for the other rights. No I/O: the network is behind
//! [`shopify::Http`], and the clock is a value passed in.

mod category;
mod country;
pub mod found;
pub mod orders_csv;
pub mod own;
pub mod package;
pub mod processing;
pub mod shopify;

pub use category::DataCategory;
pub use found::{Field, Found, Record, RecordKind, SourceKind};
pub use package::{draft_reply, Package, PackageInput};
pub use processing::{ConfigError, Processing};
