//! Wire types shared by the widget (`widget/`) and the edge (`edge/`): request and
//! response bodies, error codes, field limits, validation and their messages in
//! every supported language. These are promises to the outside world: change them
//! only together with their snapshot tests.
//!
//! Without the `std` feature the crate needs only `alloc` (the widget builds it so).

#![cfg_attr(not(any(feature = "std", test)), no_std)]

extern crate alloc;

pub mod banner;
pub mod consent;
pub mod date;
pub mod error;
pub mod lang;
pub mod request;
pub mod validate;

#[cfg(feature = "json")]
pub mod json;

pub use consent::{Choices, ConsentAccepted, ConsentRecord, ConsentSource, ServiceChoice};
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use lang::Lang;
pub use request::{NewRightsRequest, RequestAccepted, Right};
pub use validate::{Field, FieldError, Problem};

/// Largest request body the edge reads, in bytes. Larger bodies are refused
/// with [`ErrorCode::BodyTooLarge`] before parsing.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub mod config;
pub use config::{Category, Localized, Service, WidgetConfig};
