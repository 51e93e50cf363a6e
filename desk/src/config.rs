//! Shop configuration: the `SHOPS` var (one entry per shop, see `wrangler.toml`)
//! and `MAIL_FROM`, deserialised and validated once into typed values. A bad entry
//! is an operator's mistake, reported with the shop and the field to fix.

use std::fmt;

use protocol::{validate, Lang, Service, WidgetConfig};
use serde::Deserialize;

/// One `[[vars.SHOPS]]` entry as written in `wrangler.toml`.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopEntry {
    pub id: String,
    pub name: String,
    /// Origins (`https://shop.example`) allowed to POST for this shop, besides the
    /// Worker's own origin.
    #[serde(default)]
    pub origins: Vec<String>,
    pub privacy_contact: String,
    #[serde(default = "default_reply_days")]
    pub reply_days: u32,
    pub policy_version: String,
    pub languages: Vec<Lang>,
    #[serde(default)]
    pub ga_measurement_id: Option<String>,
    #[serde(default = "default_consent_max_age_days")]
    pub consent_max_age_days: u32,
    /// How long consent records (the proof of consent) are kept, in days.
    pub retention_days: u32,
    pub privacy_policy_url: String,
    #[serde(default)]
    pub services: Vec<Service>,
    /// What the shop does with personal data (`[vars.SHOPS.processing]`): the
    /// access package's art. 15 contents. Without it no package can be prepared.
    #[serde(default)]
    pub processing: Option<answer::Processing>,
    /// The shop's Shopify store, when its customer data lives there.
    #[serde(default)]
    pub shopify: Option<ShopifyStore>,
    /// Days a download link of an access package works (the package is deleted then).
    #[serde(default = "default_package_link_days")]
    pub package_link_days: u32,
}

/// `[vars.SHOPS.shopify]`: which store, and which Admin API version.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopifyStore {
    /// The `*.myshopify.com` name, with or without that suffix.
    pub store: String,
    #[serde(default = "default_api_version")]
    pub api_version: String,
}

fn default_api_version() -> String {
    answer::shopify::DEFAULT_API_VERSION.to_owned()
}

fn default_package_link_days() -> u32 {
    14
}

fn default_reply_days() -> u32 {
    30
}

fn default_consent_max_age_days() -> u32 {
    183
}

/// A validated shop.
#[derive(Clone)]
pub struct Shop {
    pub id: String,
    pub name: String,
    pub origins: Vec<String>,
    pub privacy_contact: String,
    pub reply_days: u32,
    pub policy_version: String,
    /// The first is the language of mail to the privacy contact.
    pub languages: Vec<Lang>,
    pub ga_measurement_id: Option<String>,
    pub consent_max_age_days: u32,
    pub retention_days: u32,
    pub privacy_policy_url: String,
    pub services: Vec<Service>,
    pub processing: Option<answer::Processing>,
    pub shopify: Option<ShopifyStore>,
    pub package_link_days: u32,
}

impl Shop {
    /// The language the shop's own mail is written in.
    pub fn mail_lang(&self) -> Lang {
        self.languages.first().copied().unwrap_or(Lang::En)
    }

    /// The public part of the configuration, for `GET /api/shops/<shop>/config`.
    pub fn widget_config(&self) -> WidgetConfig {
        WidgetConfig {
            shop: self.id.clone(),
            shop_name: self.name.clone(),
            policy_version: self.policy_version.clone(),
            consent_max_age_days: self.consent_max_age_days,
            privacy_policy_url: self.privacy_policy_url.clone(),
            services: self.services.clone(),
        }
    }

    /// What `GET /api/shops/<shop>/config` answers: the widget's configuration
    /// and the banner's words in every language, so that the loader draws the
    /// banner as soon as this arrives (see `widget/loader.js`).
    pub fn public_config(&self) -> PublicConfig {
        PublicConfig {
            config: self.widget_config(),
            banner: protocol::banner::Banner::standard(),
        }
    }

    /// Seconds a consent record is kept before KV lets it expire.
    pub fn consent_ttl_seconds(&self) -> u64 {
        u64::from(self.retention_days) * 86_400
    }
}

/// The configuration endpoint's JSON: [`WidgetConfig`]'s fields and `banner`.
#[derive(serde::Serialize)]
pub struct PublicConfig {
    #[serde(flatten)]
    pub config: WidgetConfig,
    pub banner: protocol::banner::Banner,
}

/// Every configured shop.
#[derive(Clone)]
pub struct Shops(Vec<Shop>);

impl Shops {
    pub fn get(&self, id: &str) -> Option<&Shop> {
        self.0.iter().find(|shop| shop.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Shop> {
        self.0.iter()
    }
}

/// What is wrong with the configuration. Carries no visitor data, so it may be logged.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct ConfigError {
    /// The shop id (or index) the problem is in; empty for global settings.
    pub shop: String,
    pub field: String,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.shop.is_empty() {
            write!(f, "configuration: {}: {}", self.field, self.problem)
        } else {
            write!(
                f,
                "configuration of shop {}: {}: {}",
                self.shop, self.field, self.problem
            )
        }
    }
}

/// Limits on configuration values.
pub mod limits {
    use std::ops::RangeInclusive;
    /// Art. 12(3) GDPR: one month, extendable by two more.
    pub const REPLY_DAYS: RangeInclusive<u32> = 1..=90;
    /// Regulators expect consent to be asked again after at most 13 months.
    pub const CONSENT_MAX_AGE_DAYS: RangeInclusive<u32> = 1..=395;
    /// Proof of consent is kept for a while after it expires; ten years at most.
    pub const RETENTION_DAYS: RangeInclusive<u32> = 1..=3650;
    /// How long an access package's download link works.
    pub const PACKAGE_LINK_DAYS: RangeInclusive<u32> = 1..=90;
}

/// Validates the shop entries: unique, well-formed ids; a usable privacy contact;
/// origins without paths; periods within their limits.
pub fn validate_shops(entries: Vec<ShopEntry>) -> Result<Shops, ConfigError> {
    if entries.is_empty() {
        return Err(ConfigError {
            shop: String::new(),
            field: "SHOPS".into(),
            problem: "at least one shop is needed".into(),
        });
    }
    let mut shops: Vec<Shop> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let shop_name = if validate::shop_id(&entry.id).is_ok() {
            entry.id.clone()
        } else {
            format!("#{index}")
        };
        let fail = |field: &str, problem: &str| ConfigError {
            shop: shop_name.clone(),
            field: field.to_owned(),
            problem: problem.to_owned(),
        };
        if validate::shop_id(&entry.id).is_err() {
            return Err(fail(
                "id",
                "use lower-case letters, digits and dashes (at most 64)",
            ));
        }
        if shops.iter().any(|shop| shop.id == entry.id) {
            return Err(fail("id", "another shop has the same id"));
        }
        if validate::single_line(&entry.name, 1, 200).is_err() {
            return Err(fail("name", "must be one line of 1 to 200 characters"));
        }
        if !is_plain_address(&entry.privacy_contact) {
            return Err(fail(
                "privacy_contact",
                "must be a plain ASCII e-mail address",
            ));
        }
        if !limits::REPLY_DAYS.contains(&entry.reply_days) {
            return Err(fail("reply_days", "must be between 1 and 90"));
        }
        if validate::single_line(&entry.policy_version, 1, validate::limits::POLICY_VERSION)
            .is_err()
        {
            return Err(fail(
                "policy_version",
                "must be one line of 1 to 32 characters",
            ));
        }
        if entry.languages.is_empty() {
            return Err(fail("languages", "name at least one language"));
        }
        if let Some(id) = &entry.ga_measurement_id {
            let ok = id.len() <= 32
                && id.starts_with("G-")
                && id.len() > 2
                && id[2..]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if !ok {
                return Err(fail("ga_measurement_id", "must look like G-XXXXXXX"));
            }
        }
        if !limits::CONSENT_MAX_AGE_DAYS.contains(&entry.consent_max_age_days) {
            return Err(fail("consent_max_age_days", "must be between 1 and 395"));
        }
        if !limits::RETENTION_DAYS.contains(&entry.retention_days) {
            return Err(fail("retention_days", "must be between 1 and 3650"));
        }
        if !is_url_or_path(&entry.privacy_policy_url) {
            return Err(fail(
                "privacy_policy_url",
                "must be an https URL or a path starting with /",
            ));
        }
        let mut origins = Vec::with_capacity(entry.origins.len());
        for origin in &entry.origins {
            match normalize_origin(origin) {
                Some(origin) => origins.push(origin),
                None => {
                    return Err(fail(
                        "origins",
                        "each must be scheme://host[:port] without a path",
                    ))
                }
            }
        }
        for service in &entry.services {
            if validate::single_line(&service.name, 1, 100).is_err() {
                return Err(fail(
                    "services.name",
                    "must be one line of 1 to 100 characters",
                ));
            }
            if let Some(provider) = &service.provider {
                if validate::single_line(provider, 1, 100).is_err() {
                    return Err(fail(
                        "services.provider",
                        "must be one line of 1 to 100 characters",
                    ));
                }
            }
            if service.purpose.en.trim().is_empty() || service.purpose.nl.trim().is_empty() {
                return Err(fail("services.purpose", "needs a text in every language"));
            }
            if service.retention.en.trim().is_empty() || service.retention.nl.trim().is_empty() {
                return Err(fail("services.retention", "needs a text in every language"));
            }
            if service
                .local_storage
                .iter()
                .any(|key| validate::single_line(key, 1, 100).is_err())
            {
                return Err(fail(
                    "services.local_storage",
                    "each key must be one line of 1 to 100 characters",
                ));
            }
            if !is_url_or_path(&service.policy_url) {
                return Err(fail(
                    "services.policy_url",
                    "must be an https URL or a path starting with /",
                ));
            }
        }
        if let Some(processing) = &entry.processing {
            if let Err(error) = processing.validate() {
                return Err(fail(&format!("processing.{}", error.field), &error.problem));
            }
        }
        if let Some(shopify) = &entry.shopify {
            if answer::shopify::parse_store(&shopify.store).is_none() {
                return Err(fail(
                    "shopify.store",
                    "must be the store's myshopify.com name",
                ));
            }
            let version = answer::shopify::ShopifyConfig::new(
                &shopify.store,
                &shopify.api_version,
                answer::shopify::Credentials::AccessToken(String::new()),
            );
            if version.is_err() {
                return Err(fail("shopify.api_version", "must look like 2026-10"));
            }
        }
        if !limits::PACKAGE_LINK_DAYS.contains(&entry.package_link_days) {
            return Err(fail("package_link_days", "must be between 1 and 90"));
        }
        shops.push(Shop {
            id: entry.id,
            name: entry.name,
            origins,
            privacy_contact: entry.privacy_contact,
            reply_days: entry.reply_days,
            policy_version: entry.policy_version,
            languages: entry.languages,
            ga_measurement_id: entry.ga_measurement_id,
            consent_max_age_days: entry.consent_max_age_days,
            retention_days: entry.retention_days,
            privacy_policy_url: entry.privacy_policy_url,
            services: entry.services,
            processing: entry.processing,
            shopify: entry.shopify,
            package_link_days: entry.package_link_days,
        });
    }
    Ok(Shops(shops))
}

/// Validates `MAIL_FROM`, the fixed sender of every mail.
pub fn validate_mail_from(value: &str) -> Result<String, ConfigError> {
    if is_plain_address(value) {
        Ok(value.to_owned())
    } else {
        Err(ConfigError {
            shop: String::new(),
            field: "MAIL_FROM".into(),
            problem: "must be a plain ASCII e-mail address".into(),
        })
    }
}

/// An address that can go into a header as is: valid, ASCII, no surrounding spaces.
pub fn is_plain_address(value: &str) -> bool {
    value.is_ascii() && value.trim() == value && validate::email(value).is_ok()
}

fn is_url_or_path(value: &str) -> bool {
    let ok_chars =
        !value.is_empty() && value.len() <= 500 && value.bytes().all(|b| b.is_ascii_graphic());
    ok_chars
        && (value.starts_with("https://") || (value.starts_with('/') && !value.starts_with("//")))
}

/// `scheme://host[:port]` in lower case, as browsers send it in `Origin`.
pub fn normalize_origin(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    // Host names and IPv4 addresses; IPv6 literals are not expected for shops.
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (host_ok && port_ok).then_some(lower)
}

#[cfg(test)]
mod tests;
