//! What a shop's platform holds about a person: Shopify's Admin API through
//! `answer::shopify` over the platform's outbound HTTP (the client-credentials
//! token kept sealed in KV until it expires), or the requester's rows of an
//! uploaded order export. Own records (requests, consent) are added in `owner`.

use answer::shopify::{
    CachedToken, Credentials, Http, HttpAnswer, HttpError, Shopify, ShopifyConfig, ShopifyError,
};
use answer::Found;

use super::texts::Problem;
use crate::app::{App, Failure};
use crate::bindings;
use crate::config::Shop;
use crate::platform::{Guard, Mailer, Outbound, Put, Store};
use crate::store::keys;
use crate::time::Timestamp;

/// How long one request to Shopify may take.
const SHOPIFY_TIMEOUT_MS: u32 = 10_000;

/// The `answer` crate's HTTP over the platform's [`Outbound`].
struct Via<'a>(&'a dyn Outbound);

impl Http for Via<'_> {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<HttpAnswer, HttpError> {
        self.0.post(url, headers, body, SHOPIFY_TIMEOUT_MS).await
    }
}

/// A shop's secret by prefix: `SHOPIFY_TOKEN_DEMO_EN` for `demo-en`.
pub(crate) fn secret_name(prefix: &str, shop: &str) -> String {
    format!("{prefix}{}", shop.to_ascii_uppercase().replace('-', "_"))
}

/// What a Shopify look-up found.
pub(crate) struct Looked {
    pub found: Found,
    pub known_customer: bool,
    pub orders_limited: bool,
}

/// The token only: the rest of the cached grant is not secret.
const TOKEN_PERSONAL_FIELDS: &[&str] = &["access_token"];

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// The shop's Shopify credentials from its secrets: a token, or a client id and
    /// secret. `Err` names the secrets to set.
    fn shopify_credentials(&self, shop: &str) -> Result<Credentials, Problem> {
        let secret = |prefix| self.vars.secret(&secret_name(prefix, shop));
        if let Some(token) = secret(bindings::SHOPIFY_TOKEN_PREFIX) {
            return Ok(Credentials::AccessToken(token));
        }
        match (
            secret(bindings::SHOPIFY_CLIENT_ID_PREFIX),
            secret(bindings::SHOPIFY_CLIENT_SECRET_PREFIX),
        ) {
            (Some(client_id), Some(client_secret)) => Ok(Credentials::ClientCredentials {
                client_id,
                client_secret,
            }),
            _ => Err(Problem::NoCredentials(format!(
                "{} + {}",
                secret_name(bindings::SHOPIFY_CLIENT_ID_PREFIX, shop),
                secret_name(bindings::SHOPIFY_CLIENT_SECRET_PREFIX, shop)
            ))),
        }
    }

    fn shopify_config(&self, shop: &Shop) -> Result<ShopifyConfig, Problem> {
        let store = shop.shopify.as_ref().ok_or(Problem::NotAnswerable)?;
        let credentials = self.shopify_credentials(&shop.id)?;
        let config = match self.vars.var(bindings::SHOPIFY_ORIGIN) {
            Some(origin) => ShopifyConfig::with_origin(&origin, &store.api_version, credentials),
            None => ShopifyConfig::new(&store.store, &store.api_version, credentials),
        };
        config.map_err(Problem::Shopify)
    }

    /// The customer with this address, their addresses and orders; without a
    /// customer record, the orders placed with the address (guest checkout).
    pub(crate) async fn look_up_shopify(
        &self,
        shop: &Shop,
        email: &str,
        now: Timestamp,
    ) -> Result<Result<Looked, Problem>, Failure> {
        let config = match self.shopify_config(shop) {
            Ok(config) => config,
            Err(problem) => return Ok(Err(problem)),
        };
        let keyring = self.keyring()?;
        let token_key = keys::shopify_token(&shop.id);
        let cached: Option<CachedToken> =
            self.get_sealed(&keyring, &token_key).await.ok().flatten();
        let client = Shopify::new(Via(self.outbound), config, cached.clone());
        let looked = match client.customer_by_email(email, now.0).await {
            Ok(found) => Ok((found, true)),
            Err(ShopifyError::NoCustomer) => client
                .orders_by_email(email, now.0)
                .await
                .map(|found| (found, false)),
            Err(error) => Err(error),
        };
        let granted = client.cached_token();
        if let Some(token) = granted
            .as_ref()
            .filter(|token| Some(*token) != cached.as_ref())
        {
            let seconds = token.expires_at_ms.saturating_sub(now.0) / 1000;
            let put = Put {
                ttl_seconds: Some(seconds.max(60)),
                ..Put::default()
            };
            self.put_sealed(&keyring, &token_key, token, TOKEN_PERSONAL_FIELDS, put)
                .await?;
        }
        Ok(match looked {
            Ok((found, known_customer)) => Ok(Looked {
                found,
                known_customer,
                orders_limited: granted.is_some_and(|t| t.orders_limited_to_60_days()),
            }),
            Err(error) => {
                self.warn(&format!(
                    "Shopify look-up for shop {} failed: {}",
                    shop.id,
                    error.code()
                ));
                Err(Problem::Shopify(error))
            }
        })
    }
}
