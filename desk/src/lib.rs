//! Privacy Desk's edge logic without the Workers runtime: every decision the Worker
//! makes (validation, state changes, deadlines, what a page shows, what a mail says,
//! what the cron does to each record, the KV key layout), tested on the host with
//! `cargo test -p desk`. The `edge` crate is the only one that talks to Workers.

pub mod access;
pub mod app;
pub mod bindings;
pub mod config;
pub mod cron;
#[cfg(test)]
mod fixtures;
pub mod http;
pub mod intake;
pub mod mail;
pub mod owner;
pub mod platform;
pub mod redact;
pub mod request_form;
pub mod requester;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time;

pub use app::{follow_up, handle, respond, App, Body, Followup, Request};
pub use cron::run::scheduled;
pub use http::owner_route::body_limit;
