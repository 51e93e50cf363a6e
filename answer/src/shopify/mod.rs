//! A client for Shopify's GraphQL Admin API, as its documentation describes it:
//! `POST https://{shop}.myshopify.com/admin/api/{version}/graphql.json` with the
//! `X-Shopify-Access-Token` header; the token either configured or obtained with the
//! client-credentials grant and cached until it expires. It finds the customer by
//! e-mail (`customerByIdentifier`) and pages through their addresses and orders.
//! The network is the [`Http`] trait, which the Worker implements with `fetch`.

mod answer;
mod customer;
mod error;
mod guest;

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use serde_json::json;

pub use error::ShopifyError;

use crate::Found;

/// The API version asked for unless configured otherwise.
pub const DEFAULT_API_VERSION: &str = "2026-10";
/// A cached token is renewed this long before it expires.
pub const TOKEN_MARGIN_MS: u64 = 5 * 60 * 1000;
/// How long a granted token is kept when Shopify does not say (`expires_in`).
pub const TOKEN_DEFAULT_LIFETIME_MS: u64 = 60 * 60 * 1000;
/// At most this many pages per look-up, so one customer cannot exhaust the
/// Worker's subrequests; past it the result is marked truncated.
pub const MAX_PAGES: usize = 20;

/// An HTTP answer as the trait's implementor received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    /// Response headers; names in any case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Why no HTTP answer arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    Timeout,
    /// DNS, TLS, connection reset...; the text is for logs only.
    Network(String),
}

/// The one thing the client needs from the outside world: a POST.
// Worker futures are not `Send`, so the trait deliberately has no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Http {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<HttpAnswer, HttpError>;
}

/// How the client authenticates.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Credentials {
    /// A token as shown once by an app made in the Shopify admin (`shpat_...`).
    AccessToken(String),
    /// An app made in the Dev Dashboard: the client-credentials grant.
    ClientCredentials {
        client_id: String,
        client_secret: String,
    },
}

/// Where and how to reach one shop's Admin API.
#[derive(Clone, PartialEq, Eq)]
pub struct ShopifyConfig {
    origin: String,
    api_version: String,
    credentials: Credentials,
}

impl ShopifyConfig {
    /// `store` is the shop's `*.myshopify.com` name, with or without that suffix.
    pub fn new(
        store: &str,
        api_version: &str,
        credentials: Credentials,
    ) -> Result<ShopifyConfig, ShopifyError> {
        let store = parse_store(store).ok_or(ShopifyError::InvalidStore)?;
        ShopifyConfig::with_origin(
            &format!("https://{store}.myshopify.com"),
            api_version,
            credentials,
        )
    }

    /// Another origin: any https origin, or plain http on a loopback host (the
    /// local stand-in server of the end-to-end tests).
    pub fn with_origin(
        origin: &str,
        api_version: &str,
        credentials: Credentials,
    ) -> Result<ShopifyConfig, ShopifyError> {
        let origin = parse_origin(origin).ok_or(ShopifyError::InvalidOrigin)?;
        if !valid_api_version(api_version) {
            return Err(ShopifyError::InvalidApiVersion);
        }
        Ok(ShopifyConfig {
            origin,
            api_version: api_version.to_owned(),
            credentials,
        })
    }

    pub fn graphql_url(&self) -> String {
        format!(
            "{}/admin/api/{}/graphql.json",
            self.origin, self.api_version
        )
    }

    pub fn token_url(&self) -> String {
        format!("{}/admin/oauth/access_token", self.origin)
    }
}

/// The shop name from `mount-co` or `Mount-Co.myshopify.com`: lower-case letters,
/// digits and inner hyphens, as Shopify allows.
pub fn parse_store(input: &str) -> Option<String> {
    let lower = input.trim().to_ascii_lowercase();
    let name = lower.strip_suffix(".myshopify.com").unwrap_or(&lower);
    let ok = (1..=60).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    ok.then(|| name.to_owned())
}

/// `https://host[:port]`, or `http://` on 127.0.0.0/8, `localhost` or `[::1]`;
/// no path, query, user info or trailing slash. Returned without changes.
pub fn parse_origin(input: &str) -> Option<String> {
    let (secure, authority) = match input.split_once("://")? {
        ("https", rest) => (true, rest),
        ("http", rest) => (false, rest),
        _ => return None,
    };
    let (host, port, bracketed) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, rest) = v6.split_once(']')?;
            (host, rest, true)
        }
        None => match authority.rfind(':') {
            Some(i) => (&authority[..i], &authority[i..], false),
            None => (authority, "", false),
        },
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = if bracketed {
        host == "::1"
    } else {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    };
    let loopback = host == "localhost"
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|n| n.parse::<u8>().is_ok())
        });
    (port_ok && host_ok && (secure || loopback)).then(|| input.to_owned())
}

fn valid_api_version(version: &str) -> bool {
    let b = version.as_bytes();
    version == "unstable"
        || (b.len() == 7
            && b[4] == b'-'
            && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
            && matches!(&version[5..], "01" | "04" | "07" | "10"))
}

/// A token from the client-credentials grant, for the shell to keep (encrypted)
/// between requests.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedToken {
    pub access_token: String,
    /// The granted scopes, comma-separated, as Shopify sent them.
    pub scope: String,
    pub expires_at_ms: u64,
}

impl CachedToken {
    /// Whether the token can still be used at `now_ms` (with a margin, so that it
    /// does not expire during a look-up).
    pub fn usable_at(&self, now_ms: u64) -> bool {
        now_ms.saturating_add(TOKEN_MARGIN_MS) < self.expires_at_ms
    }

    /// Whether Shopify granted `read_orders` without `read_all_orders`, so orders
    /// older than 60 days are missing from a look-up (the owner page should say so).
    pub fn orders_limited_to_60_days(&self) -> bool {
        let granted = |scope: &str| self.scope.split(',').any(|s| s.trim() == scope);
        granted("read_orders") && !granted("read_all_orders")
    }
}

/// The client for one shop.
pub struct Shopify<H> {
    http: H,
    config: ShopifyConfig,
    token: RefCell<Option<CachedToken>>,
}

impl<H: Http> Shopify<H> {
    /// `cached` is the token the shell kept from an earlier look-up, if any.
    pub fn new(http: H, config: ShopifyConfig, cached: Option<CachedToken>) -> Shopify<H> {
        Shopify {
            http,
            config,
            token: RefCell::new(cached),
        }
    }

    /// The current granted token, for the shell to store after a look-up.
    pub fn cached_token(&self) -> Option<CachedToken> {
        self.token.borrow().clone()
    }

    /// Whether a customer record has this e-mail address: what the owner page shows
    /// as "the address already known to us". One cheap query; a guest checkout
    /// has no customer record, so `false` does not mean "never ordered".
    pub async fn has_customer(&self, email: &str, now_ms: u64) -> Result<bool, ShopifyError> {
        let body = json!({
            "query": customer::EXISTS_QUERY,
            "variables": { "email": email },
        })
        .to_string();
        let data = self.graphql(&body, email, now_ms).await?;
        Ok(data
            .get("customerByIdentifier")
            .is_some_and(|customer| !customer.is_null()))
    }

    /// The customer with this e-mail address, their addresses and orders, every
    /// field labelled by data category.
    pub async fn customer_by_email(&self, email: &str, now_ms: u64) -> Result<Found, ShopifyError> {
        let mut pages = customer::Pages::default();
        for _ in 0..MAX_PAGES {
            let body = json!({
                "query": customer::CUSTOMER_QUERY,
                "variables": pages.variables(email),
            })
            .to_string();
            let data = self.graphql(&body, email, now_ms).await?;
            if !pages.take(data)? {
                return Ok(pages.into_found(false));
            }
        }
        Ok(pages.into_found(true))
    }

    /// Orders placed with this e-mail address, also without a customer record (a
    /// guest checkout). Only orders whose own e-mail address is the requester's are
    /// returned; without `read_all_orders`, only those of the last 60 days.
    pub async fn orders_by_email(&self, email: &str, now_ms: u64) -> Result<Found, ShopifyError> {
        let mut pages = guest::GuestPages::default();
        for _ in 0..MAX_PAGES {
            let body = json!({
                "query": customer::GUEST_ORDERS_QUERY,
                "variables": pages.variables(email),
            })
            .to_string();
            let data = self.graphql(&body, email, now_ms).await?;
            if !pages.take(data, email)? {
                return Ok(pages.into_found(false));
            }
        }
        Ok(pages.into_found(true))
    }

    /// One GraphQL request: its `data`, or the typed error.
    async fn graphql(
        &self,
        body: &str,
        email: &str,
        now_ms: u64,
    ) -> Result<serde_json::Value, ShopifyError> {
        let token = self.access_token(now_ms).await?;
        let headers = [
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
            ("X-Shopify-Access-Token", token.as_str()),
        ];
        let reply = self
            .http
            .post(&self.config.graphql_url(), &headers, body)
            .await
            .map_err(from_http_error)?;
        answer::interpret(&reply, email)
    }

    async fn access_token(&self, now_ms: u64) -> Result<String, ShopifyError> {
        let (client_id, client_secret) = match &self.config.credentials {
            Credentials::AccessToken(token) => return Ok(token.clone()),
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => (client_id, client_secret),
        };
        if let Some(token) = self.token.borrow().as_ref().filter(|t| t.usable_at(now_ms)) {
            return Ok(token.access_token.clone());
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", client_id)
            .append_pair("client_secret", client_secret)
            .finish();
        let reply = self
            .http
            .post(
                &self.config.token_url(),
                &[
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Accept", "application/json"),
                ],
                &body,
            )
            .await
            .map_err(from_http_error)?;
        let token = answer::granted_token(&reply, now_ms)?;
        let access_token = token.access_token.clone();
        *self.token.borrow_mut() = Some(token);
        Ok(access_token)
    }
}

/// A page's `data` as the query's types, read through the `&str` deserializer the
/// rest of the Worker uses: `serde_json::from_value` would be a second copy of
/// each type's serde code in the Worker (measured in ARCHITECTURE.md, "Worker
/// weight after access answers").
fn from_data<T: serde::de::DeserializeOwned>(data: &serde_json::Value) -> Result<T, ShopifyError> {
    let text = serde_json::to_string(data).map_err(|_| ShopifyError::Malformed)?;
    serde_json::from_str(&text).map_err(|_| ShopifyError::Malformed)
}

fn from_http_error(error: HttpError) -> ShopifyError {
    match error {
        HttpError::Timeout => ShopifyError::Timeout,
        HttpError::Network(_) => ShopifyError::Network,
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_failures;
