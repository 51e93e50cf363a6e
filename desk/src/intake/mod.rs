//! What comes in from shop pages: consent records and rights requests. Abuse
//! checks (rate-limit keys, honeypot, Turnstile), addresses and request references.

pub mod abuse;
mod accept;
pub mod address;
pub mod api;
pub mod reference;
