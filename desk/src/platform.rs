//! What the core asks of the platform, as small traits: a key-value store, a mail
//! transport, the abuse guards (rate limiter, Turnstile's siteverify), randomness
//! and a log. The Worker shell implements them over KV, send_email and fetch;
//! `crate::testing` implements them in memory for host tests.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

/// Why the platform could not do what was asked. The text comes from the platform
/// (KV, send_email, fetch) and may quote what it choked on, so it is redacted
/// before it reaches a log (`crate::redact`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlatformError(pub String);

impl fmt::Display for PlatformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlatformError {}

impl From<String> for PlatformError {
    fn from(text: String) -> PlatformError {
        PlatformError(text)
    }
}

impl From<&str> for PlatformError {
    fn from(text: &str) -> PlatformError {
        PlatformError(text.to_owned())
    }
}

/// Options of one write.
#[derive(Clone, Default, PartialEq, Debug)]
pub struct Put {
    /// Seconds until the key expires.
    pub ttl_seconds: Option<u64>,
    /// Small JSON kept with the key and returned by [`Store::list`].
    pub metadata: Option<Value>,
}

/// One key of a listing.
#[derive(Clone, PartialEq, Debug)]
pub struct Listed {
    pub name: String,
    pub metadata: Option<Value>,
}

/// One page of a listing; `cursor` is `None` on the last page.
#[derive(Clone, Default, PartialEq, Debug)]
pub struct ListPage {
    pub keys: Vec<Listed>,
    pub cursor: Option<String>,
}

/// A key-value store with prefix listing (Workers KV's shape: eventually
/// consistent, about one write per second per key, keys listed in order).
#[allow(async_fn_in_trait)]
pub trait Store {
    async fn get(&self, key: &str) -> Result<Option<String>, PlatformError>;
    async fn put(&self, key: &str, value: &str, options: Put) -> Result<(), PlatformError>;
    async fn delete(&self, key: &str) -> Result<(), PlatformError>;
    /// Keys under `prefix` in key order, one page from `cursor` on.
    async fn list(&self, prefix: &str, cursor: Option<&str>) -> Result<ListPage, PlatformError>;
}

/// A mail ready for its transport.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Envelope {
    /// Raw MIME through a `send_email` binding.
    Binding {
        binding: &'static str,
        from: String,
        to: String,
        raw: String,
    },
    /// JSON POSTed to an HTTP mail API with a bearer key.
    Http {
        url: String,
        key: String,
        body: String,
    },
}

/// Sends mail. `Ok` only when the transport accepted it.
#[allow(async_fn_in_trait)]
pub trait Mailer {
    async fn send(&self, mail: &Envelope) -> Result<(), PlatformError>;
}

/// The outside services the abuse checks ask.
#[allow(async_fn_in_trait)]
pub trait Guard {
    /// Counts one request of `client` against the limiter bound as `binding`:
    /// `Ok(true)` when within the limit.
    async fn within_limit(
        &self,
        binding: &'static str,
        client: &str,
    ) -> Result<bool, PlatformError>;
    /// POSTs `form` (`application/x-www-form-urlencoded`) to Turnstile's siteverify
    /// at `url`: the answer's status and body.
    async fn siteverify(&self, url: &str, form: &str) -> Result<(u16, Vec<u8>), PlatformError>;
}

/// Cryptographic randomness (the Worker: `crypto.getRandomValues`).
pub trait Entropy {
    fn fill(&self, out: &mut [u8]) -> Result<(), PlatformError>;
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// Where log lines go. Callers pass only keys, references, counts and redacted
/// platform errors: never personal data.
pub trait Log {
    fn log(&self, level: Level, line: &str);
}

/// The Worker's vars and secrets, by the names in `crate::bindings`. A var that is
/// a TOML table or array comes as its JSON text.
pub trait Vars {
    fn var(&self, name: &str) -> Option<String>;
    fn secret(&self, name: &str) -> Option<String>;
}

pub use answer::shopify::{HttpAnswer, HttpError};

/// What an outbound request's future resolves to.
pub type Fetched<'a> = Pin<Box<dyn Future<Output = Result<HttpAnswer, HttpError>> + 'a>>;

/// Outbound HTTP (the Worker: `fetch`), for the shop platforms' APIs (Shopify).
/// A boxed future rather than an `async fn`, so that `App` holds it as `&dyn`
/// like `Vars` (one allocation per outbound request, next to a network round trip).
pub trait Outbound {
    /// POSTs `body` to `url`; gives up after `timeout_ms` with [`HttpError::Timeout`].
    fn post<'a>(
        &'a self,
        url: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: &'a str,
        timeout_ms: u32,
    ) -> Fetched<'a>;
}
