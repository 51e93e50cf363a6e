//! Names of the Worker's bindings, as declared in `wrangler.toml`: the one place
//! the code spells them.

/// The KV namespace holding consent records, rights requests, outbox and
/// idempotency keys (prefixes in `store::keys`).
pub const KV: &str = "KV";
/// The `send_email` binding for mail to each shop's privacy contact.
pub const EMAIL: &str = "EMAIL";
/// Var: array of shop entries (`[[vars.SHOPS]]`).
pub const SHOPS: &str = "SHOPS";
/// Var: the fixed sender address of every mail.
pub const MAIL_FROM: &str = "MAIL_FROM";
/// Secret: bearer token of the owner routes (`/api/admin/*`).
pub const ADMIN_TOKEN: &str = "ADMIN_TOKEN";
/// Secret: the AES-256-GCM key for personal fields at rest (base64 of 32 bytes).
pub const DATA_KEY: &str = "DATA_KEY";
/// Secret (optional): earlier data keys, still readable after a rotation (base64,
/// separated by commas).
pub const DATA_KEYS_OLD: &str = "DATA_KEYS_OLD";
/// Secret: the HMAC key of the e-mail blind index and the rate limiter's client
/// keys (base64 of >= 32 bytes). Does not rotate with `DATA_KEY`.
pub const INDEX_KEY: &str = "INDEX_KEY";
/// Rate-limit binding for `POST /api/consent` (`[[ratelimits]]`).
pub const CONSENT_LIMITER: &str = "CONSENT_LIMITER";
/// Rate-limit binding for every other POST.
pub const POST_LIMITER: &str = "POST_LIMITER";
/// Rate-limit binding for failed owner authentication (bearer token, sign-in).
pub const AUTH_LIMITER: &str = "AUTH_LIMITER";
/// Rate-limit binding for public look-ups (`/verify`, `/request-status`, the
/// status and verify APIs), any method.
pub const LOOKUP_LIMITER: &str = "LOOKUP_LIMITER";
/// Var (optional): `off` turns the rate limiter off (load tests only).
pub const RATE_LIMIT: &str = "RATE_LIMIT";
/// Var (optional): the Turnstile siteverify URL (tests serve a stand-in).
pub const TURNSTILE_VERIFY_URL: &str = "TURNSTILE_VERIFY_URL";
/// send_email binding for mail to requesters (unrestricted locally).
pub const REQUESTER_EMAIL: &str = "REQUESTER_EMAIL";
/// Var: `send_email` (default) or `http`: how mail to requesters leaves.
pub const REQUESTER_MAILER: &str = "REQUESTER_MAILER";
/// Var: the HTTP mail API's endpoint (with `REQUESTER_MAILER = "http"`).
pub const MAIL_API_URL: &str = "MAIL_API_URL";
/// Secret: the HTTP mail API's key.
pub const MAIL_API_KEY: &str = "MAIL_API_KEY";
/// Var: the public origin (`https://desk.example`) every link in a mail starts
/// with; never taken from the request's `Host`.
pub const PUBLIC_ORIGIN: &str = "PUBLIC_ORIGIN";
/// Var (optional, a table or JSON): `owner::settings::RequestPolicy`.
pub const REQUESTS: &str = "REQUESTS";
/// Var (optional, tests): where the Shopify Admin API is reached instead of
/// `https://<store>.myshopify.com` (plain http only on loopback: the e2e stand-in).
pub const SHOPIFY_ORIGIN: &str = "SHOPIFY_ORIGIN";
/// Secret prefixes of a shop's Shopify credentials, followed by the shop id in upper
/// case with `-` as `_` (`SHOPIFY_TOKEN_DEMO_EN`): an admin-made app's token, or a
/// Dev Dashboard app's client id and secret (the client-credentials grant).
pub const SHOPIFY_TOKEN_PREFIX: &str = "SHOPIFY_TOKEN_";
pub const SHOPIFY_CLIENT_ID_PREFIX: &str = "SHOPIFY_CLIENT_ID_";
pub const SHOPIFY_CLIENT_SECRET_PREFIX: &str = "SHOPIFY_CLIENT_SECRET_";
