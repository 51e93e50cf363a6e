//! The edge Worker: consent records and rights requests into KV, mail to each
//! shop's privacy contact. Everything but `entry` is a pure core that builds and is
//! tested on the host (`cargo test -p edge`); `entry` translates between the
//! Workers runtime and it.

pub mod abuse;
pub mod address;
pub mod bindings;
pub mod config;
pub mod cors;
pub mod crypto;
pub mod digest;
#[cfg(test)]
mod fixtures;
#[cfg(target_arch = "wasm32")]
mod listing;
pub mod mail;
pub mod owner;
#[cfg(target_arch = "wasm32")]
mod records;
pub mod redact;
pub mod reference;
pub mod reply;
pub mod route;
pub mod store;
pub mod time;

#[cfg(target_arch = "wasm32")]
mod entry;
