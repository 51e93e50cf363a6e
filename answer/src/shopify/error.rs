//! Everything that can go wrong when asking Shopify, with what the owner should
//! read about it (EN/NL). None of these loses the request: the owner sees the
//! message on the request's page and can try again or upload an export instead.

use protocol::Lang;

/// A failed look-up in Shopify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShopifyError {
    /// The configured store is not a `*.myshopify.com` name.
    #[error("invalid Shopify store name")]
    InvalidStore,
    /// The configured origin is neither https nor plain http on loopback.
    #[error("invalid Shopify origin")]
    InvalidOrigin,
    /// The configured API version is not `YYYY-MM` (or `unstable`).
    #[error("invalid Shopify API version")]
    InvalidApiVersion,
    /// Shopify did not answer in time.
    #[error("Shopify did not answer in time")]
    Timeout,
    /// Shopify could not be reached at all.
    #[error("Shopify could not be reached")]
    Network,
    /// An HTTP status without a more specific meaning (5xx, 404, 402, ...).
    #[error("Shopify answered HTTP {status}")]
    Http { status: u16 },
    /// 401: the access token is wrong, revoked or expired.
    #[error("Shopify refused the access token")]
    Unauthorized,
    /// The client-credentials grant was refused.
    #[error("Shopify refused the app's client ID or secret (HTTP {status})")]
    Grant { status: u16 },
    /// The app lacks a scope (`read_customers`, `read_orders`, `read_all_orders`).
    #[error("Shopify denied access (scope: {})", scope.as_deref().unwrap_or("unknown"))]
    AccessDenied { scope: Option<String> },
    /// 429 or `THROTTLED`: the app's query budget is used up for now.
    #[error("Shopify throttled the request; retry in {retry_after_seconds} s")]
    Throttled {
        retry_after_seconds: u64,
        /// What the query would have cost, and what was left (`extensions.cost`).
        requested_cost: Option<u32>,
        available: Option<u32>,
    },
    /// Another GraphQL error, by its `extensions.code`.
    #[error("Shopify GraphQL error {code}")]
    GraphQl { code: String, message: String },
    /// No customer record has this address (a guest checkout leaves none).
    #[error("no Shopify customer has this e-mail address")]
    NoCustomer,
    /// The answer was not the JSON Shopify documents.
    #[error("Shopify's answer could not be read")]
    Malformed,
}

impl ShopifyError {
    /// A stable code for logs and the owner page (no personal data).
    pub fn code(&self) -> &'static str {
        match self {
            ShopifyError::InvalidStore => "invalid_store",
            ShopifyError::InvalidOrigin => "invalid_origin",
            ShopifyError::InvalidApiVersion => "invalid_api_version",
            ShopifyError::Timeout => "timeout",
            ShopifyError::Network => "network",
            ShopifyError::Http { .. } => "http_status",
            ShopifyError::Unauthorized => "unauthorized",
            ShopifyError::Grant { .. } => "grant_refused",
            ShopifyError::AccessDenied { .. } => "access_denied",
            ShopifyError::Throttled { .. } => "throttled",
            ShopifyError::GraphQl { .. } => "graphql_error",
            ShopifyError::NoCustomer => "no_customer",
            ShopifyError::Malformed => "malformed_answer",
        }
    }

    /// Whether the same look-up may succeed later without a change of settings.
    pub fn is_transient(&self) -> bool {
        match self {
            ShopifyError::Timeout | ShopifyError::Network | ShopifyError::Throttled { .. } => true,
            ShopifyError::Http { status } => *status >= 500,
            _ => false,
        }
    }

    /// What the shop owner reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ShopifyError::InvalidStore, Lang::En) => "The Shopify store name in the settings is not valid: use the part before .myshopify.com.".into(),
            (ShopifyError::InvalidStore, Lang::Nl) => "De naam van de Shopify-winkel in de instellingen is ongeldig: gebruik het deel vóór .myshopify.com.".into(),
            (ShopifyError::InvalidOrigin, Lang::En) => "The Shopify address in the settings must start with https://.".into(),
            (ShopifyError::InvalidOrigin, Lang::Nl) => "Het Shopify-adres in de instellingen moet met https:// beginnen.".into(),
            (ShopifyError::InvalidApiVersion, Lang::En) => "The Shopify API version in the settings must look like 2026-10.".into(),
            (ShopifyError::InvalidApiVersion, Lang::Nl) => "De Shopify-API-versie in de instellingen moet eruitzien als 2026-10.".into(),
            (ShopifyError::Timeout, Lang::En) => "Shopify did not answer in time. The request is kept; try again in a few minutes.".into(),
            (ShopifyError::Timeout, Lang::Nl) => "Shopify antwoordde niet op tijd. Het verzoek blijft bewaard; probeer het over een paar minuten opnieuw.".into(),
            (ShopifyError::Network, Lang::En) => "Shopify could not be reached. The request is kept; try again later.".into(),
            (ShopifyError::Network, Lang::Nl) => "Shopify was niet bereikbaar. Het verzoek blijft bewaard; probeer het later opnieuw.".into(),
            (ShopifyError::Http { status }, Lang::En) => format!("Shopify answered with an error (HTTP {status}). If it persists, check the store name and API version in the settings."),
            (ShopifyError::Http { status }, Lang::Nl) => format!("Shopify gaf een foutmelding (HTTP {status}). Blijft dit zo, controleer dan de winkelnaam en API-versie in de instellingen."),
            (ShopifyError::Unauthorized, Lang::En) => "Shopify refused the access token. Check that the app is still installed in your store and that the token or client secret is current.".into(),
            (ShopifyError::Unauthorized, Lang::Nl) => "Shopify weigerde het toegangstoken. Controleer of de app nog in je winkel is geïnstalleerd en of het token of client secret klopt.".into(),
            (ShopifyError::Grant { status }, Lang::En) => format!("Shopify refused the app's client ID or secret (HTTP {status}). Check both in the Dev Dashboard and that the app is installed in this store."),
            (ShopifyError::Grant { status }, Lang::Nl) => format!("Shopify weigerde de client ID of het secret van de app (HTTP {status}). Controleer beide in het Dev Dashboard en of de app in deze winkel is geïnstalleerd."),
            (ShopifyError::AccessDenied { scope }, Lang::En) => format!(
                "Shopify denied access{}. Give the app the scopes read_customers and read_orders, and read_all_orders for orders older than 60 days, then release a new version of the app.",
                scope.as_deref().map(|s| format!(": the app lacks {s}")).unwrap_or_default()
            ),
            (ShopifyError::AccessDenied { scope }, Lang::Nl) => format!(
                "Shopify weigerde de toegang{}. Geef de app de scopes read_customers en read_orders, en read_all_orders voor bestellingen ouder dan 60 dagen, en publiceer een nieuwe versie van de app.",
                scope.as_deref().map(|s| format!(": de app mist {s}")).unwrap_or_default()
            ),
            (ShopifyError::Throttled { retry_after_seconds, requested_cost, available }, Lang::En) => format!(
                "Shopify is limiting requests from the app right now{}. Nothing is lost; try again in {retry_after_seconds} seconds.",
                match (requested_cost, available) {
                    (Some(cost), Some(left)) => format!(" (the look-up costs {cost} points, {left} are available)"),
                    _ => String::new(),
                }
            ),
            (ShopifyError::Throttled { retry_after_seconds, requested_cost, available }, Lang::Nl) => format!(
                "Shopify beperkt op dit moment de verzoeken van de app{}. Er gaat niets verloren; probeer het over {retry_after_seconds} seconden opnieuw.",
                match (requested_cost, available) {
                    (Some(cost), Some(left)) => format!(" (de opvraging kost {cost} punten, er zijn er {left} beschikbaar)"),
                    _ => String::new(),
                }
            ),
            (ShopifyError::GraphQl { code, message }, Lang::En) => format!("Shopify could not answer the query ({code}: {message})."),
            (ShopifyError::GraphQl { code, message }, Lang::Nl) => format!("Shopify kon de vraag niet beantwoorden ({code}: {message})."),
            (ShopifyError::NoCustomer, Lang::En) => "Shopify has no customer with this e-mail address. A guest checkout leaves no customer record: search the orders in the Shopify admin by this address, or upload an order export.".into(),
            (ShopifyError::NoCustomer, Lang::Nl) => "Shopify heeft geen klant met dit e-mailadres. Wie als gast afrekent, krijgt geen klantrecord: zoek de bestellingen in de Shopify-beheeromgeving op dit adres, of upload een bestelexport.".into(),
            (ShopifyError::Malformed, Lang::En) => "Shopify's answer could not be read. Check the API version in the settings; try again later.".into(),
            (ShopifyError::Malformed, Lang::Nl) => "Het antwoord van Shopify was onleesbaar. Controleer de API-versie in de instellingen; probeer het later opnieuw.".into(),
        }
    }
}
